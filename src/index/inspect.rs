//! Looking inside the index files for a word, whether or not a search would find it: every term of
//! every text and keyword field, and every value of every keyword column, in every segment, deleted
//! documents included. The index stores no story text, so this is all it could still hold of an
//! erased story; the erasure tests use it to prove the purge, because the files themselves are
//! compressed and a plain byte search would not see the word even before the erasure.

use tantivy::schema::FieldType;

use super::{IndexError, SearchIndex};

impl SearchIndex {
    /// Whether any term or keyword value in the index contains `needle` (compared in lower case).
    pub fn holds_text(&self, needle: &str) -> Result<bool, IndexError> {
        let needle = needle.to_lowercase().into_bytes();
        let contains = |key: &[u8]| {
            key.to_ascii_lowercase()
                .windows(needle.len())
                .any(|window| window == needle.as_slice())
        };
        self.reader.reload()?;
        let searcher = self.reader.searcher();
        let schema = searcher.schema().clone();
        for segment in searcher.segment_readers() {
            for (field, entry) in schema.fields() {
                if !matches!(entry.field_type(), FieldType::Str(_)) {
                    continue;
                }
                if entry.is_indexed() {
                    let inverted = segment.inverted_index(field)?;
                    let mut terms = inverted
                        .terms()
                        .stream()
                        .map_err(tantivy::TantivyError::from)?;
                    while terms.advance() {
                        if contains(terms.key()) {
                            return Ok(true);
                        }
                    }
                }
                if entry.is_fast()
                    && let Some(column) = segment.fast_fields().str(entry.name())?
                {
                    let mut values = column
                        .dictionary()
                        .stream()
                        .map_err(tantivy::TantivyError::from)?;
                    while values.advance() {
                        if contains(values.key()) {
                            return Ok(true);
                        }
                    }
                }
            }
        }
        Ok(false)
    }
}
