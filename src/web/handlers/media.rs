//! A story's photos and recording over HTTP. A photo is answered to whoever may see its story (the
//! public only once it is published with public consent); a recording only to staff who may hear it
//! (`Bank::recording_for_staff`), never to the public. Neither is kept in a cache, so an erased
//! story's files are gone from browsers' caches too.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::story::StoryId;
use crate::web::auth::{CurrentUser, Staff};
use crate::web::paths;
use crate::web::{AppError, AppState};

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
            src: paths::story_photo(id, n + 1),
            alt: photo.alt.clone(),
            width: photo.width,
            height: photo.height,
        })
        .collect()
}

/// The view of a story's recording.
pub fn recording_view(id: StoryId, recording: &crate::media::Recording) -> RecordingView {
    RecordingView {
        src: paths::story_recording(id),
        content_type: recording.content_type,
        length: recording
            .seconds
            .map(|seconds| format!("{}:{:02}", seconds / 60, seconds % 60)),
    }
}

/// `/verhaal/{id}/foto/{n}`: photo `n` (from 1) of a story the visitor may see.
pub async fn photo(
    user: CurrentUser,
    State(state): State<AppState>,
    Path((id, number)): Path<(String, usize)>,
) -> Result<Response, AppError> {
    let id = StoryId::parse(&id).map_err(|_| AppError::NotFound)?;
    let scope = user.scope();
    let photos = state.run(move |bank| bank.photos(id, &scope)).await?;
    let photo = number
        .checked_sub(1)
        .and_then(|index| photos.into_iter().nth(index))
        .ok_or(AppError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/jpeg".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"verhaal-{id}-foto-{number}.jpg\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        photo.jpeg,
    )
        .into_response())
}

/// `/moderatie/{id}/opname`: the recording of a story, for staff who may hear it.
pub async fn recording(
    Staff(user): Staff,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = StoryId::parse(&id).map_err(|_| AppError::NotFound)?;
    let scope = user.scope();
    let recording = state
        .run(move |bank| bank.recording_for_staff(id, &scope))
        .await?
        .ok_or(AppError::NotFound)?;
    crate::web::audit::note_story(id);
    let extension = crate::media::audio::extension(recording.content_type);
    Ok((
        [
            (header::CONTENT_TYPE, recording.content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"verhaal-{id}-opname.{extension}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        recording.bytes,
    )
        .into_response())
}
