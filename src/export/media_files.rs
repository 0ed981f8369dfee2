//! A story's photos and recording in the Markdown export: a folder beside the story's file, named as
//! the file without `.md`, holding `foto-1.jpg` … and `opname.<type>`, with `media.toml` giving each
//! photo's description. Import reads the folder back: photos go through the same stripping and
//! resizing as an upload (so no EXIF reaches the store by this road either), recordings through the
//! same checks.

use std::path::Path;

use crate::media::{StoryMedia, audio, read_photo, read_recording};

/// The file in the folder that lists the photos with their descriptions and names the recording.
pub const LIST_FILE: &str = "media.toml";

#[derive(serde::Serialize, serde::Deserialize, Default)]
struct List {
    #[serde(default, rename = "foto", skip_serializing_if = "Vec::is_empty")]
    photos: Vec<PhotoEntry>,
    #[serde(default, rename = "opname", skip_serializing_if = "Option::is_none")]
    recording: Option<RecordingEntry>,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct PhotoEntry {
    bestand: String,
    beschrijving: String,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct RecordingEntry {
    bestand: String,
}

/// The files of a story's media folder: (name, bytes), the list last.
pub fn files(media: &StoryMedia) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut list = List::default();
    for (n, photo) in media.photos.iter().enumerate() {
        let name = format!("foto-{}.jpg", n + 1);
        files.push((name.clone(), photo.jpeg.clone()));
        list.photos.push(PhotoEntry {
            bestand: name,
            beschrijving: photo.alt.clone(),
        });
    }
    if let Some(recording) = &media.recording {
        let name = format!("opname.{}", audio::extension(recording.content_type));
        files.push((name.clone(), recording.bytes.clone()));
        list.recording = Some(RecordingEntry { bestand: name });
    }
    let text = format!(
        "# Foto's en opname bij het verhaal in de map hiernaast (beschrijving: de alt-tekst van de foto).\n{}",
        toml::to_string(&list).expect("the list always serialises")
    );
    files.push((LIST_FILE.to_string(), text.into_bytes()));
    files
}

/// Reads a story's media folder, or says what is wrong with it in words.
pub fn read_folder(dir: &Path) -> Result<StoryMedia, String> {
    let list_path = dir.join(LIST_FILE);
    let text = std::fs::read_to_string(&list_path)
        .map_err(|error| format!("cannot read {}: {error}", list_path.display()))?;
    let list: List = toml::from_str(&text).map_err(|error| format!("{LIST_FILE}: {error}"))?;
    let read = |name: &str| -> Result<Vec<u8>, String> {
        // Only names inside the folder.
        if name.contains(['/', '\\']) || name.starts_with('.') {
            return Err(format!(
                "{LIST_FILE}: {name} is not a file name in the folder"
            ));
        }
        std::fs::read(dir.join(name)).map_err(|error| format!("cannot read {name}: {error}"))
    };
    let mut media = StoryMedia::default();
    for entry in list.photos.iter().take(crate::media::MAX_PHOTOS) {
        let bytes = read(&entry.bestand)?;
        let photo = read_photo(&bytes, &entry.beschrijving)
            .map_err(|key| format!("{}: {}", entry.bestand, problem(key)))?;
        media.photos.push(photo);
    }
    if let Some(entry) = &list.recording {
        let bytes = read(&entry.bestand)?;
        let recording =
            read_recording(bytes).map_err(|key| format!("{}: {}", entry.bestand, problem(key)))?;
        media.recording = Some(recording);
    }
    Ok(media)
}

/// A refusal's message key in words, for the import report.
fn problem(key: &str) -> &'static str {
    match key {
        "media.error_photo_large" => "the photo is larger than 12 MB",
        "media.error_photo_type" => "not a JPEG, PNG or WebP photo",
        "media.error_photo_alt" => "the photo has no description",
        "media.error_audio_large" => "the recording is larger than 20 MB",
        "media.error_audio_long" => "the recording is longer than 15 minutes",
        "media.error_audio_type" => "not a sound file of a known type",
        _ => "the file cannot be read",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_media_folder_reads_back_what_was_written() {
        let photo = read_photo(&crate::testing::jpeg_with_exif(30, 20), "Het plein").unwrap();
        let recording = read_recording(crate::testing::wav(1)).unwrap();
        let media = StoryMedia {
            photos: vec![photo],
            recording: Some(recording.clone()),
        };
        let dir = tempfile::tempdir().unwrap();
        for (name, bytes) in files(&media) {
            std::fs::write(dir.path().join(name), bytes).unwrap();
        }
        let back = read_folder(dir.path()).unwrap();
        assert_eq!(back.photos[0].alt, "Het plein");
        assert_eq!((back.photos[0].width, back.photos[0].height), (20, 30));
        assert_eq!(back.recording, Some(recording));
        std::fs::write(
            dir.path().join(LIST_FILE),
            "[[foto]]\nbestand = \"../geheim.jpg\"\nbeschrijving = \"x\"\n",
        )
        .unwrap();
        assert!(
            read_folder(dir.path())
                .unwrap_err()
                .contains("not a file name")
        );
    }
}
