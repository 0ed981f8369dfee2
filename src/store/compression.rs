//! Story records compressed on disk: a record's JSON stored as one zstd frame.
//!
//! The text of the stories is most of what the store holds, and sled writes its pages as they are
//! (its own page compression would need a second zstd library beside tantivy's). Since store format 3
//! every story record is written as a zstd frame of its JSON; other records are small and stay plain
//! JSON. Reading tells the two apart by the first bytes: a zstd frame starts with the magic number
//! `28 B5 2F FD`, a JSON record with `{`, so a record written by any earlier version still reads.
//!
//! No dictionary: each record is a frame of its own, readable without anything else from the store.

use std::borrow::Cow;
use std::cell::RefCell;

use super::StoreError;

/// The first four bytes of every zstd frame.
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xB5, 0x2F, 0xFD];

/// zstd's level: its default, a good balance for records of a few kilobytes, written one at a time
/// by the forms and a hundred thousand at a time by an import. Higher levels gain little on records
/// this small.
const LEVEL: i32 = 3;

/// More than any record holds: a frame that says it holds more is damaged, and is not given the
/// memory it asks for.
const LARGEST_RECORD: usize = 256 * 1024 * 1024;

/// Whether `bytes` are a compressed record.
pub(super) fn is_packed(bytes: &[u8]) -> bool {
    bytes.starts_with(&ZSTD_MAGIC)
}

thread_local! {
    /// One compression and one decompression context per thread, made once: making a context for
    /// every record cost more than the record's own work (an evidence page reads over a hundred).
    static CONTEXTS: RefCell<Contexts> = const { RefCell::new(Contexts { packer: None, unpacker: None }) };
}

struct Contexts {
    packer: Option<zstd::bulk::Compressor<'static>>,
    unpacker: Option<zstd::bulk::Decompressor<'static>>,
}

/// A record's JSON as a zstd frame, which records its size.
pub(super) fn pack(json: &[u8]) -> Vec<u8> {
    // Compressing from memory into memory fails only when zstd cannot allocate its context, and
    // then nothing else would work either.
    CONTEXTS
        .with(|contexts| {
            let packer = &mut contexts.borrow_mut().packer;
            let packer = match packer {
                Some(packer) => packer,
                None => packer.insert(zstd::bulk::Compressor::new(LEVEL)?),
            };
            packer.compress(json)
        })
        .expect("zstd compresses a record held in memory")
}

/// A stored record compressed if it was not yet, for the rewrite that migrates a store.
pub(super) fn packed(bytes: &[u8]) -> Cow<'_, [u8]> {
    if is_packed(bytes) {
        Cow::Borrowed(bytes)
    } else {
        Cow::Owned(pack(bytes))
    }
}

/// The JSON of a stored record, compressed or not.
pub(super) fn unpack(bytes: &[u8]) -> Result<Cow<'_, [u8]>, StoreError> {
    if !is_packed(bytes) {
        return Ok(Cow::Borrowed(bytes));
    }
    let corrupt = |error: std::io::Error| StoreError::Corrupt {
        what: "compressed record".to_string(),
        detail: error.to_string(),
    };
    // Every frame `pack` writes says how large its content is; one that does not is read as a
    // stream instead of into a buffer of a guessed size.
    let Some(size) = zstd::bulk::Decompressor::upper_bound(bytes) else {
        return zstd::stream::decode_all(bytes)
            .map(Cow::Owned)
            .map_err(corrupt);
    };
    if size > LARGEST_RECORD {
        return Err(corrupt(std::io::Error::other(format!(
            "the frame says it holds {size} bytes"
        ))));
    }
    CONTEXTS
        .with(|contexts| {
            let unpacker = &mut contexts.borrow_mut().unpacker;
            let unpacker = match unpacker {
                Some(unpacker) => unpacker,
                None => unpacker.insert(zstd::bulk::Decompressor::new()?),
            };
            unpacker.decompress(bytes, size)
        })
        .map(Cow::Owned)
        .map_err(corrupt)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_packs_smaller_and_unpacks_to_the_same_bytes() {
        let json = br#"{"v":"1","title":"Koffie in de buurtkamer","text":"Elke dinsdag drinken wij koffie in de buurtkamer. Elke dinsdag komen er meer buren, en elke dinsdag blijft er iemand langer.","version":3}"#;
        let stored = pack(json);
        assert!(is_packed(&stored));
        assert!(stored.len() < json.len(), "{} bytes", stored.len());
        let word = b"dinsdag".as_slice();
        assert!(!stored.windows(word.len()).any(|window| window == word));
        assert_eq!(unpack(&stored).unwrap().as_ref(), json.as_slice());
    }

    #[test]
    fn a_plain_record_written_before_reads_as_it_is() {
        let json = br#"{"v":"1","title":"Oud","version":0}"#;
        assert!(!is_packed(json));
        assert!(matches!(unpack(json).unwrap(), Cow::Borrowed(same) if same == json));
        // Packing for the migration compresses it once, and leaves a compressed one alone.
        let once = packed(json).into_owned();
        assert!(is_packed(&once));
        assert!(matches!(packed(&once), Cow::Borrowed(same) if same == once.as_slice()));
        assert_eq!(unpack(&once).unwrap().as_ref(), json.as_slice());
    }

    #[test]
    fn a_damaged_frame_is_a_damaged_record_not_a_panic() {
        let mut stored = pack(b"{\"v\":\"1\",\"text\":\"Een verhaal dat beschadigd raakt.\"}");
        let cut = stored.len() / 2;
        stored.truncate(cut);
        assert!(matches!(
            unpack(&stored),
            Err(StoreError::Corrupt { what, .. }) if what == "compressed record"
        ));
        assert!(matches!(
            unpack(&[0x28, 0xB5, 0x2F, 0xFD, 0, 0]),
            Err(StoreError::Corrupt { .. })
        ));
    }
}
