//! Who may see which story: the one visibility rule. The index turns a scope into a clause of every
//! query; reading one story by id asks [`Scope::may_see`]. No IO.

use super::{Consent, Moderation, Story};
use crate::ids::ProviderId;

/// Who is searching, which decides what they may find.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Anyone: published stories whose teller allowed public use.
    Public,
    /// Staff of a provider: their own organisation's stories in any state, and the public ones.
    Provider(ProviderId),
    /// The municipality's analysts and facilitators: everything.
    Municipality,
    /// Stories whose tellers allowed public use, published or still waiting for moderation (not
    /// rejected): for a session's board, shown in the room where they were just told.
    PublicConsent,
}

impl Scope {
    /// Whether this scope may see a story: the rule the index applies inside its queries (`index::search`), for
    /// reading one story by id.
    pub fn may_see(&self, story: &Story) -> bool {
        let public = story.is_published() && story.consent == Consent::Public;
        match self {
            Scope::Municipality => true,
            Scope::Public => public,
            Scope::Provider(provider) => public || story.provider.as_ref() == Some(provider),
            Scope::PublicConsent => {
                story.consent == Consent::Public
                    && !matches!(story.moderation, Moderation::Rejected(_))
            }
        }
    }
}
