//! Photos and spoken stories that come with a story (no IO but in memory): what a file is, read from
//! its bytes and never from its name; a photo decoded and encoded again, so that no EXIF or location
//! data survives, and made small enough for the web; a recording's length read from its container.
//! Each refusal is a message key, so the form can say in the resident's language what was wrong.

pub mod audio;
pub mod photo;

pub use audio::{Recording, read_recording};
pub use photo::{Photo, read_photo};

/// At most this many photos with one story.
pub const MAX_PHOTOS: usize = 3;
/// The largest photo file accepted, in bytes (phones make photos of 3 to 8 MB).
pub const MAX_PHOTO_BYTES: usize = 12 * 1024 * 1024;
/// The largest recording accepted, in bytes: about 20 minutes of a phone's voice recording.
pub const MAX_AUDIO_BYTES: usize = 20 * 1024 * 1024;
/// The longest recording accepted, in seconds, where its container says how long it is.
pub const MAX_AUDIO_SECONDS: u64 = 15 * 60;
/// The longest description of a photo (its alternative text), in characters.
pub const MAX_ALT_CHARS: usize = 300;
/// The largest request a form with photos and a recording may send: every photo and the recording at
/// their largest, and room for the text fields. The reverse proxy in front must allow as much
/// (docs/deploy.md).
pub const UPLOAD_BODY_BYTES: usize = MAX_PHOTOS * MAX_PHOTO_BYTES + MAX_AUDIO_BYTES + 1024 * 1024;

/// What a story brings besides its text: the photos as stored (already stripped and resized) and
/// the recording.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoryMedia {
    pub photos: Vec<Photo>,
    pub recording: Option<Recording>,
}

impl StoryMedia {
    pub fn is_empty(&self) -> bool {
        self.photos.is_empty() && self.recording.is_none()
    }
}
