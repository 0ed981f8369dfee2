//! Story forms that may carry files: the same form read either as `multipart/form-data` (a browser
//! sending photos or a recording) or as an ordinary urlencoded body (a form without files, programs
//! and tests), so a story without media is read exactly as before. Each file is read up to a cap just
//! over its kind's limit, so a file that is too large is reported, not held in memory whole; the text
//! fields together stay within the body limit of every other form.

use axum::extract::{FromRequest, Multipart, Request};
use axum::http::StatusCode;

use crate::media::{
    MAX_AUDIO_BYTES, MAX_PHOTO_BYTES, MAX_PHOTOS, Recording, StoryMedia, read_photo, read_recording,
};
use crate::web::AppError;
use crate::web::forms::{FormData, FormErrors};

/// The name of the file field of photo `n` (1, 2, 3) and of its description.
pub fn photo_field(n: usize) -> &'static str {
    ["foto1", "foto2", "foto3"][n - 1]
}

pub fn photo_alt_field(n: usize) -> &'static str {
    [
        "foto1_beschrijving",
        "foto2_beschrijving",
        "foto3_beschrijving",
    ][n - 1]
}

/// The file field of the recording.
pub const RECORDING_FIELD: &str = "opname";

/// A file as sent: its field, and its bytes up to the cap (`too_large` when there were more).
pub struct SentFile {
    pub field: String,
    pub bytes: Vec<u8>,
    pub too_large: bool,
}

/// A story form's fields and files.
pub struct Upload {
    pub pairs: Vec<(String, String)>,
    pub files: Vec<SentFile>,
}

impl<S: Send + Sync> FromRequest<S> for Upload {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let multipart = request
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.starts_with("multipart/form-data"));
        if !multipart {
            // Without files a form keeps the body limit of every other form.
            let (parts, body) = request.into_parts();
            let bytes = axum::body::to_bytes(body, crate::web::MAX_BODY_BYTES)
                .await
                .map_err(|_| AppError::TooLarge)?;
            let request = Request::from_parts(parts, axum::body::Body::from(bytes));
            let axum::Form(pairs) =
                axum::Form::<Vec<(String, String)>>::from_request(request, state)
                    .await
                    .map_err(|rejection| match rejection.status() {
                        StatusCode::PAYLOAD_TOO_LARGE => AppError::TooLarge,
                        _ => AppError::BadRequest("error.bad_request"),
                    })?;
            return Ok(Upload {
                pairs,
                files: Vec::new(),
            });
        }
        let mut multipart = Multipart::from_request(request, state)
            .await
            .map_err(|_| AppError::BadRequest("error.bad_request"))?;
        let mut upload = Upload {
            pairs: Vec::new(),
            files: Vec::new(),
        };
        let mut text_bytes = 0usize;
        let broken = |error: axum::extract::multipart::MultipartError| match error.status() {
            StatusCode::PAYLOAD_TOO_LARGE => AppError::TooLarge,
            _ => AppError::BadRequest("error.bad_request"),
        };
        while let Some(mut field) = multipart.next_field().await.map_err(broken)? {
            let name = field.name().unwrap_or("").to_string();
            if field.file_name().is_some() {
                let cap = if name == RECORDING_FIELD {
                    MAX_AUDIO_BYTES
                } else {
                    MAX_PHOTO_BYTES
                };
                let mut file = SentFile {
                    field: name,
                    bytes: Vec::new(),
                    too_large: false,
                };
                while let Some(chunk) = field.chunk().await.map_err(broken)? {
                    if file.bytes.len() + chunk.len() > cap {
                        file.too_large = true;
                        file.bytes = Vec::new();
                    } else if !file.too_large {
                        file.bytes.extend_from_slice(&chunk);
                    }
                }
                // An empty file input sends a part with no name and no bytes.
                if file.too_large || !file.bytes.is_empty() {
                    upload.files.push(file);
                }
            } else {
                let value = field.text().await.map_err(broken)?;
                text_bytes += name.len() + value.len();
                if text_bytes > crate::web::MAX_BODY_BYTES {
                    return Err(AppError::TooLarge);
                }
                upload.pairs.push((name, value));
            }
        }
        Ok(upload)
    }
}

impl Upload {
    /// Whether any file came with the form (a form shown again asks to choose them again).
    pub fn has_files(&self) -> bool {
        !self.files.is_empty()
    }

    fn file(&self, field: &str) -> Option<&SentFile> {
        self.files.iter().find(|file| file.field == field)
    }

    /// The form's fields, marked as spoken when a recording came with it.
    pub fn form(&self) -> FormData {
        FormData::new(self.pairs.clone()).spoken(self.file(RECORDING_FIELD).is_some())
    }

    /// Reads the photos and the recording: each one stripped, resized and measured, or its problem
    /// added to `errors` under its own field. Decoding is heavy work, so it runs on the blocking pool.
    pub async fn media(&self, errors: &mut FormErrors) -> Result<StoryMedia, AppError> {
        let form = FormData::new(self.pairs.clone());
        let mut photos = Vec::new();
        for n in 1..=MAX_PHOTOS {
            let Some(file) = self.file(photo_field(n)) else {
                continue;
            };
            if file.too_large {
                errors.add(photo_field(n), "media.error_photo_large");
                continue;
            }
            let bytes = file.bytes.clone();
            let alt = form.text(photo_alt_field(n));
            let read = tokio::task::spawn_blocking(move || read_photo(&bytes, &alt))
                .await
                .map_err(|error| AppError::Internal(anyhow::anyhow!("reading a photo: {error}")))?;
            match read {
                Ok(photo) => photos.push(photo),
                Err(key) if key == "media.error_photo_alt" => errors.add(photo_alt_field(n), key),
                Err(key) => errors.add(photo_field(n), key),
            }
        }
        let recording: Option<Recording> = match self.file(RECORDING_FIELD) {
            None => None,
            Some(file) if file.too_large => {
                errors.add(RECORDING_FIELD, "media.error_audio_large");
                None
            }
            Some(file) => {
                let bytes = file.bytes.clone();
                let read = tokio::task::spawn_blocking(move || read_recording(bytes))
                    .await
                    .map_err(|error| {
                        AppError::Internal(anyhow::anyhow!("reading a recording: {error}"))
                    })?;
                match read {
                    Ok(recording) => Some(recording),
                    Err(key) => {
                        errors.add(RECORDING_FIELD, key);
                        None
                    }
                }
            }
        };
        Ok(StoryMedia { photos, recording })
    }
}
