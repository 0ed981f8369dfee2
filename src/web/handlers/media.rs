//! A story's photos and recording over HTTP. A photo is answered to whoever may see its story (the
//! public only once it is published with public consent); a recording only to staff who may hear it
//! (`Bank::recording_for_staff`), never to the public. Neither is kept in a cache, so an erased
//! story's files are gone from browsers' caches too.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::story::StoryId;
use crate::web::auth::{CurrentUser, Staff};
use crate::web::{AppError, AppState};

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
