//! A spoken story: a recording recognised by its first bytes (what phones and recorders make: M4A/MP4,
//! 3GP, MP3, Ogg, WebM, WAV, FLAC, AAC, AMR), within [`MAX_AUDIO_BYTES`], and no longer than
//! [`MAX_AUDIO_SECONDS`] where its container says how long it is (symphonia reads the container; no
//! sound is decoded). The bytes are kept as sent: staff listen to them, nobody else.

use std::io::Cursor;

use symphonia::core::formats::probe::Hint;
use symphonia::core::formats::{FormatOptions, TrackType};
use symphonia::core::io::{MediaSourceStream, MediaSourceStreamOptions};
use symphonia::core::meta::MetadataOptions;

use super::{MAX_AUDIO_BYTES, MAX_AUDIO_SECONDS};

/// A recording as stored: its bytes, their type (from the bytes) and its length if known.
#[derive(Clone, PartialEq)]
pub struct Recording {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
    pub seconds: Option<u64>,
}

impl std::fmt::Debug for Recording {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recording")
            .field("bytes", &self.bytes.len())
            .field("content_type", &self.content_type)
            .field("seconds", &self.seconds)
            .finish()
    }
}

/// The audio types accepted, with the file extension a download gets.
pub const TYPES: &[(&str, &str)] = &[
    ("audio/mp4", "m4a"),
    ("audio/3gpp", "3gp"),
    ("audio/mpeg", "mp3"),
    ("audio/ogg", "ogg"),
    ("audio/webm", "webm"),
    ("audio/wav", "wav"),
    ("audio/flac", "flac"),
    ("audio/aac", "aac"),
    ("audio/amr", "amr"),
];

/// The extension of a stored type, for a file name.
pub fn extension(content_type: &str) -> &'static str {
    TYPES
        .iter()
        .find(|(kind, _)| *kind == content_type)
        .map_or("bin", |(_, extension)| extension)
}

/// The stored type of a content type read back from the store, if it is one of [`TYPES`].
pub fn known_type(content_type: &str) -> Option<&'static str> {
    TYPES
        .iter()
        .find(|(kind, _)| *kind == content_type)
        .map(|(kind, _)| *kind)
}

/// The type of a recording, told by its first bytes.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    let at = |offset: usize, magic: &[u8]| bytes.get(offset..offset + magic.len()) == Some(magic);
    if at(4, b"ftyp") {
        Some(if at(8, b"3gp") || at(8, b"3g2") {
            "audio/3gpp"
        } else {
            "audio/mp4"
        })
    } else if at(0, b"ID3") {
        Some("audio/mpeg")
    } else if at(0, b"OggS") {
        Some("audio/ogg")
    } else if at(0, &[0x1A, 0x45, 0xDF, 0xA3]) {
        Some("audio/webm")
    } else if at(0, b"RIFF") && at(8, b"WAVE") {
        Some("audio/wav")
    } else if at(0, b"fLaC") {
        Some("audio/flac")
    } else if at(0, b"#!AMR") {
        Some("audio/amr")
    } else if bytes.len() >= 2 && bytes[0] == 0xFF && bytes[1] & 0xF6 == 0xF0 {
        Some("audio/aac")
    } else if bytes.len() >= 2 && bytes[0] == 0xFF && bytes[1] & 0xE0 == 0xE0 {
        Some("audio/mpeg")
    } else {
        None
    }
}

/// Reads an uploaded recording, or the message key of what is wrong with it.
pub fn read_recording(bytes: Vec<u8>) -> Result<Recording, &'static str> {
    if bytes.len() > MAX_AUDIO_BYTES {
        return Err("media.error_audio_large");
    }
    let content_type = sniff(&bytes).ok_or("media.error_audio_type")?;
    // AMR is a phone format symphonia has no reader for: the size limit is its only limit.
    let seconds = if content_type == "audio/amr" {
        None
    } else {
        length(&bytes)?
    };
    if seconds.is_some_and(|seconds| seconds > MAX_AUDIO_SECONDS) {
        return Err("media.error_audio_long");
    }
    Ok(Recording {
        bytes,
        content_type,
        seconds,
    })
}

/// The length in seconds as the container gives it; `None` when it does not say (a live recording in
/// WebM, an MP3 without a header that counts its frames). A file whose container cannot be read at
/// all is refused.
fn length(bytes: &[u8]) -> Result<Option<u64>, &'static str> {
    let source = MediaSourceStream::new(
        Box::new(Cursor::new(bytes.to_vec())),
        MediaSourceStreamOptions::default(),
    );
    let reader = symphonia::default::get_probe()
        .probe(
            &Hint::new(),
            source,
            FormatOptions::default(),
            MetadataOptions::default(),
        )
        .map_err(|_| "media.error_audio_unreadable")?;
    let track = reader
        .default_track(TrackType::Audio)
        .or_else(|| reader.tracks().first())
        .ok_or("media.error_audio_unreadable")?;
    let from_duration = track
        .time_base
        .zip(track.duration)
        .and_then(|(base, duration)| base.calc_duration(duration))
        .map(|time| time.as_secs().max(0) as u64);
    let from_frames = track.num_frames.and_then(|frames| {
        let rate = track
            .codec_params
            .as_ref()
            .and_then(|params| params.audio())
            .and_then(|audio| audio.sample_rate)
            .filter(|rate| *rate > 0)?;
        Some(frames / u64::from(rate))
    });
    Ok(from_duration.or(from_frames))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::wav;

    #[test]
    fn a_recording_is_told_by_its_bytes_and_measured_by_its_container() {
        let recording = read_recording(wav(3)).unwrap();
        assert_eq!(recording.content_type, "audio/wav");
        assert_eq!(recording.seconds, Some(3));
        assert_eq!(
            read_recording(b"not a sound at all".to_vec()).unwrap_err(),
            "media.error_audio_type"
        );
        let mut broken = wav(1);
        broken.truncate(20);
        assert_eq!(
            read_recording(broken).unwrap_err(),
            "media.error_audio_unreadable"
        );
        assert_eq!(
            read_recording(vec![0; MAX_AUDIO_BYTES + 1]).unwrap_err(),
            "media.error_audio_large"
        );
    }

    #[test]
    fn a_recording_longer_than_the_limit_is_refused() {
        // Well under the size limit, but a minute too long.
        let long = wav(MAX_AUDIO_SECONDS as u32 + 60);
        assert!(long.len() < MAX_AUDIO_BYTES);
        assert_eq!(read_recording(long).unwrap_err(), "media.error_audio_long");
    }

    #[test]
    fn phone_formats_are_recognised() {
        assert_eq!(sniff(b"\0\0\0\x20ftypM4A \0\0\0\0"), Some("audio/mp4"));
        assert_eq!(sniff(b"\0\0\0\x18ftyp3gp4\0\0\0\0"), Some("audio/3gpp"));
        assert_eq!(sniff(b"OggS\0\x02"), Some("audio/ogg"));
        assert_eq!(sniff(&[0x1A, 0x45, 0xDF, 0xA3, 1]), Some("audio/webm"));
        assert_eq!(sniff(b"#!AMR\n"), Some("audio/amr"));
        assert_eq!(sniff(b"ID3\x04"), Some("audio/mpeg"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n"), None);
    }
}
