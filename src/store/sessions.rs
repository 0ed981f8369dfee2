//! The store's part for storytelling sessions, interpretations and actions: one sled tree each, keyed
//! by id, every write flushed before it returns. They are few (hundreds, not millions), so listing reads
//! the whole tree.

use super::records::{
    ActionRecord, InterpretationRecord, SessionRecord, corrupt_entry, encode_stamped, version_of,
};
use super::{Store, StoreError, Update, Versioned, decode};
use crate::ids::SessionId;
use crate::sessions::file::{ActionOut, InterpretationOut, SessionOut};
use crate::sessions::{Action, EntryId, Interpretation, Session};

impl Store {
    /// Stores a session (new, or replacing what is stored) at its next version, durably.
    pub fn put_session(&self, session: &Session) -> Result<(), StoreError> {
        let record = SessionRecord::V1(SessionOut::from_session(session));
        self.put_next_version(
            |t| &t.sessions,
            session.id.as_str().as_bytes(),
            |version| encode_stamped(&record, version),
        )?;
        Ok(())
    }

    /// Changes a session with `change`, only while it is still at version `read_at`.
    pub fn update_session(
        &self,
        id: &SessionId,
        read_at: u64,
        change: impl FnOnce(&mut Session),
    ) -> Result<Update, StoreError> {
        self.update_checked(
            |t| &t.sessions,
            id.as_str().as_bytes(),
            read_at,
            decode_session,
            |session, version| {
                encode_stamped(
                    &SessionRecord::V1(SessionOut::from_session(session)),
                    version,
                )
            },
            change,
        )
    }

    /// A session with its version.
    pub fn session_versioned(
        &self,
        id: &SessionId,
    ) -> Result<Option<Versioned<Session>>, StoreError> {
        self.t()
            .sessions
            .get(id.as_str().as_bytes())?
            .map(|bytes| {
                Ok(Versioned {
                    item: decode_session(&bytes)?,
                    version: version_of(&bytes),
                })
            })
            .transpose()
    }

    pub fn session(&self, id: &SessionId) -> Result<Option<Session>, StoreError> {
        self.t()
            .sessions
            .get(id.as_str().as_bytes())?
            .map(|bytes| decode_session(&bytes))
            .transpose()
    }

    /// Every session, in id order.
    pub fn sessions(&self) -> Result<Vec<Session>, StoreError> {
        self.t()
            .sessions
            .iter()
            .values()
            .map(|bytes| decode_session(&bytes?))
            .collect()
    }

    /// The session whose short link has this code.
    pub fn session_by_code(&self, code: &str) -> Result<Option<Session>, StoreError> {
        Ok(self
            .sessions()?
            .into_iter()
            .find(|session| session.code == code))
    }

    /// Stores an interpretation at its next version, durably.
    pub fn put_interpretation(&self, interpretation: &Interpretation) -> Result<(), StoreError> {
        let record =
            InterpretationRecord::V1(InterpretationOut::from_interpretation(interpretation));
        self.put_next_version(
            |t| &t.interpretations,
            interpretation.id.as_bytes().as_slice(),
            |version| encode_stamped(&record, version),
        )?;
        Ok(())
    }

    /// Every interpretation, newest first.
    pub fn interpretations(&self) -> Result<Vec<Interpretation>, StoreError> {
        let mut all: Vec<Interpretation> = self
            .t()
            .interpretations
            .iter()
            .values()
            .map(|bytes| {
                let InterpretationRecord::V1(out) = decode(&bytes?, "interpretation")?;
                out.into_interpretation()
                    .map_err(|problem| corrupt_entry("interpretation", problem))
            })
            .collect::<Result<_, _>>()?;
        all.sort_by(|a, b| b.date.cmp(&a.date).then(a.id.cmp(&b.id)));
        Ok(all)
    }

    /// Stores an action at its next version, durably.
    pub fn put_action(&self, action: &Action) -> Result<(), StoreError> {
        let record = ActionRecord::V1(ActionOut::from_action(action));
        self.put_next_version(
            |t| &t.actions,
            action.id.as_bytes().as_slice(),
            |version| encode_stamped(&record, version),
        )?;
        Ok(())
    }

    /// Changes an action with `change`, only while it is still at version `read_at`.
    pub fn update_action(
        &self,
        id: EntryId,
        read_at: u64,
        change: impl FnOnce(&mut Action),
    ) -> Result<Update, StoreError> {
        self.update_checked(
            |t| &t.actions,
            id.as_bytes().as_slice(),
            read_at,
            decode_action,
            |action, version| {
                encode_stamped(&ActionRecord::V1(ActionOut::from_action(action)), version)
            },
            change,
        )
    }

    pub fn action(&self, id: EntryId) -> Result<Option<Action>, StoreError> {
        Ok(self.action_versioned(id)?.map(|read| read.item))
    }

    /// An action with its version.
    pub fn action_versioned(&self, id: EntryId) -> Result<Option<Versioned<Action>>, StoreError> {
        self.t()
            .actions
            .get(id.as_bytes())?
            .map(|bytes| {
                Ok(Versioned {
                    item: decode_action(&bytes)?,
                    version: version_of(&bytes),
                })
            })
            .transpose()
    }

    /// The version of every action, by id.
    pub fn action_versions(&self) -> Result<std::collections::HashMap<EntryId, u64>, StoreError> {
        self.t()
            .actions
            .iter()
            .values()
            .map(|bytes| {
                let bytes = bytes?;
                Ok((decode_action(&bytes)?.id, version_of(&bytes)))
            })
            .collect()
    }

    /// Every action, by due date.
    pub fn actions(&self) -> Result<Vec<Action>, StoreError> {
        let mut all: Vec<Action> = self
            .t()
            .actions
            .iter()
            .values()
            .map(|bytes| decode_action(&bytes?))
            .collect::<Result<_, _>>()?;
        all.sort_by(|a, b| a.due.cmp(&b.due).then(a.id.cmp(&b.id)));
        Ok(all)
    }
}

fn decode_session(bytes: &[u8]) -> Result<Session, StoreError> {
    let SessionRecord::V1(out) = decode(bytes, "session")?;
    out.into_session()
        .map_err(|problem| corrupt_entry("session", problem))
}

fn decode_action(bytes: &[u8]) -> Result<Action, StoreError> {
    let ActionRecord::V1(out) = decode(bytes, "action")?;
    out.into_action()
        .map_err(|problem| corrupt_entry("action", problem))
}
