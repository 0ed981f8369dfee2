//! Storytelling sessions, their interpretations and actions, through the bank: reading them, adding
//! them, and changing one with a single call that reads and writes it as one step.

use crate::ids::SessionId;
use crate::sessions::{Action, EntryId, Interpretation, Session};
use crate::store::Versioned;

use super::{Bank, Change, Refused};

impl Bank {
    pub fn session(&self, id: &SessionId) -> anyhow::Result<Option<Session>> {
        Ok(self.store.session(id)?)
    }

    /// What a story took part in, for its teller: the sessions and rounds it was read in, the
    /// interpretations and actions that followed ([`crate::hearing::HearingBack`]).
    pub fn hearing_back(
        &self,
        story: &crate::story::Story,
    ) -> anyhow::Result<crate::hearing::HearingBack> {
        Ok(crate::hearing::HearingBack::of(
            story,
            &self.sessions()?,
            &self.rounds()?,
            &self.interpretations()?,
            &self.actions()?,
        ))
    }

    /// The session whose short link has this code.
    pub fn session_by_code(&self, code: &str) -> anyhow::Result<Option<Session>> {
        Ok(self.store.session_by_code(code)?)
    }

    /// Stores a session just planned, durably.
    pub fn add_session(&self, session: &Session) -> anyhow::Result<()> {
        Ok(self.store.put_session(session)?)
    }

    /// A session with its version, which a change names when it is saved.
    pub fn session_versioned(&self, id: &SessionId) -> anyhow::Result<Option<Versioned<Session>>> {
        Ok(self.store.session_versioned(id)?)
    }

    /// Changes a session with `change` in one step that reads, checks and writes it: refused with
    /// [`Refused::Changed`] when someone else changed it after version `read_at`, the version the
    /// change was made from. Returns the new version.
    pub fn change_session(
        &self,
        id: &SessionId,
        read_at: u64,
        change: impl FnOnce(&mut Session),
    ) -> anyhow::Result<Change<u64>> {
        let outcome = Refused::of_update(self.store.update_session(id, read_at, change)?);
        if outcome.is_ok() {
            tracing::info!(session = %id, "session changed");
        }
        Ok(outcome)
    }

    /// Every interpretation, newest first.
    pub fn interpretations(&self) -> anyhow::Result<Vec<Interpretation>> {
        Ok(self.store.interpretations()?)
    }

    /// Stores a new interpretation, durably.
    pub fn add_interpretation(&self, interpretation: &Interpretation) -> anyhow::Result<()> {
        Ok(self.store.put_interpretation(interpretation)?)
    }

    /// Every action, by due date.
    pub fn actions(&self) -> anyhow::Result<Vec<Action>> {
        Ok(self.store.actions()?)
    }

    /// Stores a new action, durably.
    pub fn add_action(&self, action: &Action) -> anyhow::Result<()> {
        Ok(self.store.put_action(action)?)
    }

    /// The version of every action, by id, for the forms that change them.
    pub fn action_versions(&self) -> anyhow::Result<std::collections::HashMap<EntryId, u64>> {
        Ok(self.store.action_versions()?)
    }

    /// Changes an action with `change` in one step that reads, checks and writes it: refused with
    /// [`Refused::Changed`] when someone else changed it after version `read_at`, the version the
    /// change was made from. Returns the new version.
    pub fn change_action(
        &self,
        id: EntryId,
        read_at: u64,
        change: impl FnOnce(&mut Action),
    ) -> anyhow::Result<Change<u64>> {
        Ok(Refused::of_update(
            self.store.update_action(id, read_at, change)?,
        ))
    }
}
