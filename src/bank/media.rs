//! A story's photos and recording as the web asks for them: stored with the story in one durable
//! write, and read back only for whom may see the story. A photo is shown wherever its story is
//! (so to the public only once the story is published with public consent); a recording is never
//! given to the public at all, only to staff who may see the story.

use super::Bank;
use crate::index::search::Scope;
use crate::media::{Photo, Recording, StoryMedia};
use crate::story::receipt::ReceiptCode;
use crate::story::{Story, StoryId};

impl Bank {
    /// Stores a story with its receipt code and its photos and recording, durably, in one write;
    /// returns the outbox sequence number to wait on for it to be searchable.
    pub fn submit_with_media(
        &self,
        story: &Story,
        receipt: &ReceiptCode,
        media: &StoryMedia,
    ) -> anyhow::Result<u64> {
        let seq = self
            .store
            .put_story_with_receipt_and_media(story, &receipt.hash(), media)?;
        tracing::info!(
            story = %story.id,
            photos = media.photos.len(),
            recording = media.recording.is_some(),
            "story stored"
        );
        Ok(seq)
    }

    /// The photos of a story `scope` may see; none when it may not see the story.
    pub fn photos(&self, id: StoryId, scope: &Scope) -> anyhow::Result<Vec<Photo>> {
        if self.visible_story(id, scope)?.is_none() {
            return Ok(Vec::new());
        }
        Ok(self.store.photos(id)?)
    }

    /// The recording of a story, for staff whose `scope` lets them hear it; never for the public.
    pub fn recording_for_staff(
        &self,
        id: StoryId,
        scope: &Scope,
    ) -> anyhow::Result<Option<Recording>> {
        let Some(story) = self.store.get_story(id)? else {
            return Ok(None);
        };
        // Provider staff hear their own organisation's recordings, not those of others' published
        // stories; the public and a session's board never.
        let may_hear = match scope {
            Scope::Municipality => true,
            Scope::Provider(provider) => story.provider.as_ref() == Some(provider),
            Scope::Public | Scope::PublicConsent => false,
        };
        if !may_hear {
            return Ok(None);
        }
        Ok(self.store.recording(id)?)
    }

    /// A story's photos and recording as stored, for the export and the backup's checks.
    pub fn media_of(&self, id: StoryId) -> anyhow::Result<StoryMedia> {
        Ok(self.store.media(id)?)
    }
}
