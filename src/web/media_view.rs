//! A story's photos and recording as the story page and the moderation page show them: the addresses
//! `handlers::media` answers, and what a page says about each.

use crate::story::StoryId;

/// A photo as the story page and the moderation page show it.
pub struct PhotoView {
    pub src: String,
    pub alt: String,
    pub width: u32,
    pub height: u32,
}

/// A recording as the moderation page offers it.
pub struct RecordingView {
    pub src: String,
    pub content_type: &'static str,
    /// Its length as "m:ss", where its container says.
    pub length: Option<String>,
}

/// The views of a story's photos.
pub fn photo_views(id: StoryId, photos: &[crate::media::Photo]) -> Vec<PhotoView> {
    photos
        .iter()
        .enumerate()
        .map(|(n, photo)| PhotoView {
            src: format!("/verhaal/{id}/foto/{}", n + 1),
            alt: photo.alt.clone(),
            width: photo.width,
            height: photo.height,
        })
        .collect()
}

/// The view of a story's recording.
pub fn recording_view(id: StoryId, recording: &crate::media::Recording) -> RecordingView {
    RecordingView {
        src: format!("/moderatie/{id}/opname"),
        content_type: recording.content_type,
        length: recording
            .seconds
            .map(|seconds| format!("{}:{:02}", seconds / 60, seconds % 60)),
    }
}
