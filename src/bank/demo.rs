//! The demo municipality: loaded into an empty store with one account per role, for trying the
//! bank out.

use std::path::Path;

use super::Bank;

/// The password of the demo's accounts.
pub const DEMO_PASSWORD: &str = "demo-verhalenbank";

impl Bank {
    /// Imports the demo municipality when the store is empty. Returns whether it did.
    pub fn load_demo_if_empty(&self, sample: &Path) -> anyhow::Result<bool> {
        if !self.store.is_empty() {
            return Ok(false);
        }
        let report = crate::import::import_paths(
            &self.store,
            &[sample.to_path_buf()],
            &indicatif::ProgressBar::hidden(),
        )?;
        anyhow::ensure!(
            report.is_success(),
            "the demo data in {} has {} problems",
            sample.display(),
            report.errors.len()
        );
        self.index.catch_up(&self.store)?;
        self.add_demo_accounts()?;
        Ok(true)
    }

    /// The demo's accounts, one per role, all with the password [`DEMO_PASSWORD`] (documented in the
    /// README). Only a demo gets them; a data folder started without the demo has no accounts at all.
    fn add_demo_accounts(&self) -> anyhow::Result<()> {
        use crate::accounts::{Role, RoleKind, User};
        use crate::ids::{ProviderId, UserName};
        let today = jiff::Zoned::now().date();
        for (name, display, role, provider) in [
            ("beheerder", "Demo beheerder", RoleKind::Admin, None),
            ("analist", "Demo analist", RoleKind::Analyst, None),
            (
                "begeleider",
                "Demo gespreksbegeleider",
                RoleKind::Facilitator,
                None,
            ),
            (
                "buurtwerk",
                "Demo Stichting Buurtwerk",
                RoleKind::Provider,
                Some("buurtwerk"),
            ),
            (
                "welzijn",
                "Demo Stichting Welzijn",
                RoleKind::Provider,
                Some("welzijn"),
            ),
        ] {
            let provider = provider.map(ProviderId::parse).transpose()?;
            let user = User::new(
                UserName::parse(name)?,
                display,
                Role::new(role, provider)?,
                DEMO_PASSWORD,
                today,
            )?;
            self.store.put_user(&user)?;
        }
        Ok(())
    }
}
