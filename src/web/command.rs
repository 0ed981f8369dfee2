//! The `serve` command: the options of the command line turned into the server's options (single sign-on
//! checked here, so a wrong combination stops the program before it listens), the bank opened, and the
//! server run until it is stopped. `main` sends `serve` here; every other command is `commands::run`.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;

use super::ServeOptions;
use super::oidc::OidcSettings;
use crate::bank::Bank;
use crate::bank::backups::BackupPlan;
use crate::cli::{Cli, Command};
use crate::config::{Config, beside_sources};

/// Runs `verhalenbank serve`.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let config = Config::new(&cli.data_dir);
    let Command::Serve {
        bind,
        no_demo,
        sample,
        https,
        metrics_token,
        metrics_bind,
        backup_dir,
        backup_every,
        backup_keep,
        local_login,
        oidc_issuer,
        oidc_client_id,
        oidc_client_secret,
        oidc_redirect_url,
        oidc_name,
        oidc_groups_claim,
        oidc_role,
        oidc_contact,
    } = cli.command
    else {
        anyhow::bail!("not the serve command");
    };
    serve(
        &config,
        ServeOptions {
            local_login,
            oidc: oidc_settings(
                oidc_issuer,
                oidc_client_id,
                oidc_client_secret,
                oidc_redirect_url,
                oidc_name,
                oidc_groups_claim,
                oidc_role,
                oidc_contact,
                local_login,
            )?,
            bind,
            demo: !no_demo,
            sample: beside_sources(sample),
            https,
            metrics_token,
            metrics_bind,
            data_dir: config.data_dir.clone(),
            backups: backup_dir.map(|dir| {
                (
                    BackupPlan {
                        dir,
                        keep: backup_keep,
                    },
                    backup_every,
                )
            }),
        },
    )
}

#[allow(clippy::too_many_arguments)]
fn oidc_settings(
    issuer: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    redirect_url: Option<String>,
    name: Option<String>,
    groups_claim: String,
    roles: Vec<crate::sso::RoleMapping>,
    contact: Option<String>,
    local_login: bool,
) -> anyhow::Result<Option<OidcSettings>> {
    let Some(issuer) = issuer.filter(|issuer| !issuer.trim().is_empty()) else {
        anyhow::ensure!(
            client_id.is_none() && client_secret.is_none() && roles.is_empty(),
            "oidc-client-id, oidc-client-secret and oidc-role need oidc-issuer: the identity provider's issuer URL"
        );
        anyhow::ensure!(
            local_login,
            "local-login = false needs single sign-on (oidc-issuer, oidc-client-id, oidc-role): otherwise nobody can log in"
        );
        return Ok(None);
    };
    let client_id = client_id
        .filter(|id| !id.trim().is_empty())
        .context("oidc-issuer is set but oidc-client-id is not: give the client id the identity provider gave the bank")?;
    if roles.is_empty() {
        tracing::warn!(
            "single sign-on has no oidc-role mapping: everyone who logs in through it is refused"
        );
    }
    let name = name.unwrap_or_else(|| {
        issuer
            .split("://")
            .nth(1)
            .and_then(|rest| rest.split(['/', ':']).next())
            .unwrap_or(&issuer)
            .to_string()
    });
    Ok(Some(OidcSettings {
        issuer,
        client_id,
        client_secret,
        redirect_url,
        name,
        groups_claim,
        roles,
        contact,
    }))
}

fn serve(config: &Config, options: ServeOptions) -> anyhow::Result<ExitCode> {
    let bank = Arc::new(Bank::open(config)?);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(super::serve(bank, options))?;
    Ok(ExitCode::SUCCESS)
}
