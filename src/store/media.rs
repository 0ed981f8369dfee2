//! The media tree: a story's photos and its recording, kept next to the story and written in the same
//! transaction as it (acknowledged only after the flush, as stories are). A key is the story's id
//! (16 bytes), a kind (`p` photo, `a` recording) and a number; a value is a header (its length as u32
//! big-endian, then versioned JSON: type, description, size, length) followed by the file's bytes.
//! Erasure removes every key of the story in the erasure's own transaction, and the rewrite that
//! follows leaves no copy in any file; backups hold this tree like every other.

use sled::transaction::{ConflictableTransactionError, TransactionalTree};

use super::{Store, StoreError};
use crate::media::{Photo, Recording, StoryMedia};
use crate::story::StoryId;

const PHOTO: u8 = b'p';
const RECORDING: u8 = b'a';

/// The header of a stored file.
#[derive(serde::Serialize, serde::Deserialize)]
struct Header {
    v: u32,
    #[serde(rename = "type")]
    content_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    alt: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    width: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    height: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    seconds: Option<u64>,
}

fn key(id: StoryId, kind: u8, number: u8) -> [u8; 18] {
    let mut key = [0u8; 18];
    key[..16].copy_from_slice(id.as_bytes());
    key[16] = kind;
    key[17] = number;
    key
}

fn value(header: &Header, bytes: &[u8]) -> Vec<u8> {
    let json = serde_json::to_vec(header).expect("headers always serialise");
    let mut out = Vec::with_capacity(4 + json.len() + bytes.len());
    out.extend_from_slice(&(json.len() as u32).to_be_bytes());
    out.extend_from_slice(&json);
    out.extend_from_slice(bytes);
    out
}

fn split(value: &[u8]) -> Result<(Header, &[u8]), StoreError> {
    let corrupt = |detail: &str| StoreError::Corrupt {
        what: "media".to_string(),
        detail: detail.to_string(),
    };
    let length = value
        .get(..4)
        .map(|bytes| u32::from_be_bytes(bytes.try_into().expect("four bytes")) as usize)
        .ok_or_else(|| corrupt("no header"))?;
    let json = value
        .get(4..4 + length)
        .ok_or_else(|| corrupt("a header longer than the value"))?;
    let header: Header =
        serde_json::from_slice(json).map_err(|error| corrupt(&error.to_string()))?;
    Ok((header, &value[4 + length..]))
}

/// Writes a story's media inside its transaction.
pub(super) fn write(
    tree: &TransactionalTree,
    id: StoryId,
    media: &StoryMedia,
) -> Result<(), ConflictableTransactionError<StoreError>> {
    for (number, photo) in media.photos.iter().enumerate() {
        let header = Header {
            v: 1,
            content_type: "image/jpeg".to_string(),
            alt: Some(photo.alt.clone()),
            width: Some(photo.width),
            height: Some(photo.height),
            seconds: None,
        };
        tree.insert(&key(id, PHOTO, number as u8), value(&header, &photo.jpeg))?;
    }
    if let Some(recording) = &media.recording {
        let header = Header {
            v: 1,
            content_type: recording.content_type.to_string(),
            alt: None,
            width: None,
            height: None,
            seconds: recording.seconds,
        };
        tree.insert(&key(id, RECORDING, 0), value(&header, &recording.bytes))?;
    }
    Ok(())
}

impl Store {
    /// The keys of a story's media, read before the transaction that erases the story removes them.
    pub(super) fn media_keys(&self, id: StoryId) -> Result<Vec<sled::IVec>, StoreError> {
        self.t()
            .media
            .scan_prefix(id.as_bytes())
            .keys()
            .map(|key| key.map_err(StoreError::from))
            .collect()
    }

    /// Replaces the photos and recording of a stored story, as an import does after storing the story
    /// itself; refused with [`StoreError::Erased`] for an erased story, and nothing is written when the
    /// story is not (or no longer) there. Returns whether it was written. Flushed before it returns.
    pub fn put_media(&self, id: StoryId, media: &StoryMedia) -> Result<bool, StoreError> {
        use sled::Transactional;
        let old = self.media_keys(id)?;
        let written = {
            let t = self.t();
            (&t.stories, &t.erasures, &t.media).transaction(|(stories, erasures, tree)| {
                if erasures.get(id.as_bytes().as_slice())?.is_some() {
                    return Err(ConflictableTransactionError::Abort(StoreError::Erased(id)));
                }
                if stories.get(id.as_bytes().as_slice())?.is_none() {
                    return Ok(false);
                }
                for key in &old {
                    tree.remove(key)?;
                }
                write(tree, id, media)?;
                Ok(true)
            })?
        };
        self.flush()?;
        Ok(written)
    }

    /// A story's photos, in the order they were sent.
    pub fn photos(&self, id: StoryId) -> Result<Vec<Photo>, StoreError> {
        let mut photos = Vec::new();
        for item in self.t().media.scan_prefix(&key(id, PHOTO, 0)[..17]) {
            let (_, stored) = item?;
            let (header, bytes) = split(&stored)?;
            photos.push(Photo {
                jpeg: bytes.to_vec(),
                width: header.width.unwrap_or(0),
                height: header.height.unwrap_or(0),
                alt: header.alt.unwrap_or_default(),
            });
        }
        Ok(photos)
    }

    /// A story's recording, if it has one.
    pub fn recording(&self, id: StoryId) -> Result<Option<Recording>, StoreError> {
        let Some(stored) = self.t().media.get(key(id, RECORDING, 0))? else {
            return Ok(None);
        };
        let (header, bytes) = split(&stored)?;
        let content_type =
            crate::media::audio::known_type(&header.content_type).ok_or_else(|| {
                StoreError::Corrupt {
                    what: "media".to_string(),
                    detail: format!("unknown audio type {}", header.content_type),
                }
            })?;
        Ok(Some(Recording {
            bytes: bytes.to_vec(),
            content_type,
            seconds: header.seconds,
        }))
    }

    /// A story's photos and recording.
    pub fn media(&self, id: StoryId) -> Result<StoryMedia, StoreError> {
        Ok(StoryMedia {
            photos: self.photos(id)?,
            recording: self.recording(id)?,
        })
    }

    /// How many stories have photos or a recording, and how many bytes these take.
    pub fn media_count(&self) -> usize {
        self.t().media.len()
    }
}
