//! The store's part for the settings files that analysts edit as text and that carry a version of
//! their own: the synonyms list (`synonyms.toml` under `synonyms`) and the questions about the story
//! (`questions.toml` under `questions`) and the urgent-signal list (`signals.toml` under `signals`),
//! each in the `settings` tree as a versioned record. The version
//! counts the writes, so what is derived from a file can be cached per version, and a change made from
//! an older version is refused. The text is kept as written (comments too), so an export gives back the
//! file that was imported or saved.

use super::records::{TomlDocumentRecord, encode_stamped, version_of};
use super::{Store, StoreError, Update, Versioned, decode};

const SYNONYMS_KEY: &[u8] = b"synonyms";
const QUESTIONS_KEY: &[u8] = b"questions";
const SIGNALS_KEY: &[u8] = b"signals";

impl Store {
    /// The synonyms file's text and version, if one was ever stored.
    pub fn synonyms(&self) -> Result<Option<Versioned<String>>, StoreError> {
        self.document(SYNONYMS_KEY, "synonyms")
    }

    /// The version of the synonyms list: 0 when there is none, one more with every change.
    pub fn synonyms_version(&self) -> Result<u64, StoreError> {
        self.document_version(SYNONYMS_KEY)
    }

    /// Stores the synonyms text at the next version, whatever is stored, durably; the same text
    /// again changes nothing. Returns the version now stored.
    pub fn set_synonyms(&self, text: &str) -> Result<u64, StoreError> {
        self.set_document(SYNONYMS_KEY, "synonyms", text)
    }

    /// Stores the synonyms text only while the stored list is still at version `read_at` (0: none
    /// stored yet): a compare-and-swap on the bytes read, so a change in between makes it stale.
    pub fn set_synonyms_checked(&self, text: &str, read_at: u64) -> Result<Update, StoreError> {
        self.set_document_checked(SYNONYMS_KEY, text, read_at)
    }

    /// The questions file's text and version, if one was ever stored.
    pub fn questions(&self) -> Result<Option<Versioned<String>>, StoreError> {
        self.document(QUESTIONS_KEY, "questions")
    }

    /// The version of the questions file: 0 when there is none, one more with every change.
    pub fn questions_version(&self) -> Result<u64, StoreError> {
        self.document_version(QUESTIONS_KEY)
    }

    /// Stores the questions text at the next version (the same text again changes nothing).
    pub fn set_questions(&self, text: &str) -> Result<u64, StoreError> {
        self.set_document(QUESTIONS_KEY, "questions", text)
    }

    /// Stores the questions text only while the stored file is still at version `read_at`.
    pub fn set_questions_checked(&self, text: &str, read_at: u64) -> Result<Update, StoreError> {
        self.set_document_checked(QUESTIONS_KEY, text, read_at)
    }

    /// The urgent-signal list's text and version, if one was ever stored.
    pub fn signals(&self) -> Result<Option<Versioned<String>>, StoreError> {
        self.document(SIGNALS_KEY, "signals")
    }

    /// The version of the urgent-signal list: 0 when there is none, one more with every change.
    pub fn signals_version(&self) -> Result<u64, StoreError> {
        self.document_version(SIGNALS_KEY)
    }

    /// Stores the urgent-signal list at the next version (the same text again changes nothing).
    pub fn set_signals(&self, text: &str) -> Result<u64, StoreError> {
        self.set_document(SIGNALS_KEY, "signals", text)
    }

    /// Stores the urgent-signal list only while the stored one is still at version `read_at`.
    pub fn set_signals_checked(&self, text: &str, read_at: u64) -> Result<Update, StoreError> {
        self.set_document_checked(SIGNALS_KEY, text, read_at)
    }

    fn document(&self, key: &[u8], what: &str) -> Result<Option<Versioned<String>>, StoreError> {
        let Some(bytes) = self.t().settings.get(key)? else {
            return Ok(None);
        };
        let TomlDocumentRecord::V1 { toml } = decode(&bytes, what)?;
        Ok(Some(Versioned {
            item: toml,
            version: version_of(&bytes),
        }))
    }

    fn document_version(&self, key: &[u8]) -> Result<u64, StoreError> {
        Ok(self
            .t()
            .settings
            .get(key)?
            .map_or(0, |bytes| version_of(&bytes)))
    }

    fn set_document(&self, key: &[u8], what: &str, text: &str) -> Result<u64, StoreError> {
        if let Some(current) = self.document(key, what)?
            && current.item == text
        {
            return Ok(current.version);
        }
        let record = TomlDocumentRecord::V1 {
            toml: text.to_string(),
        };
        self.put_next_version(
            |t| &t.settings,
            key,
            |version| encode_stamped(&record, version),
        )
    }

    fn set_document_checked(
        &self,
        key: &[u8],
        text: &str,
        read_at: u64,
    ) -> Result<Update, StoreError> {
        let outcome = {
            let t = self.t();
            let old = t.settings.get(key)?;
            let version = old.as_deref().map_or(0, version_of);
            if version != read_at {
                return Ok(Update::Stale);
            }
            let record = TomlDocumentRecord::V1 {
                toml: text.to_string(),
            };
            let new = encode_stamped(&record, version + 1);
            match t.settings.compare_and_swap(key, old, Some(new))? {
                Ok(()) => Update::Done {
                    version: version + 1,
                },
                Err(_) => Update::Stale,
            }
        };
        self.flush()?;
        Ok(outcome)
    }
}

#[cfg(test)]
mod tests {
    use crate::store::{Store, Update};

    #[test]
    fn the_text_is_kept_with_a_version_and_stale_changes_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("store")).unwrap();
        assert_eq!(store.synonyms().unwrap(), None);
        assert_eq!(store.synonyms_version().unwrap(), 0);

        let first = "# lijst\n[[groep]]\nwoorden = [\"a\", \"b\"]\n";
        assert_eq!(
            store.set_synonyms_checked(first, 0).unwrap(),
            Update::Done { version: 1 }
        );
        assert_eq!(store.set_synonyms_checked("x", 0).unwrap(), Update::Stale);
        let read = store.synonyms().unwrap().unwrap();
        assert_eq!((read.item.as_str(), read.version), (first, 1));

        // The same text again is no change; another text is.
        assert_eq!(store.set_synonyms(first).unwrap(), 1);
        assert_eq!(store.set_synonyms("").unwrap(), 2);
        assert_eq!(store.synonyms_version().unwrap(), 2);
        assert_eq!(store.synonyms().unwrap().unwrap().item, "");
    }

    #[test]
    fn the_questions_have_a_version_of_their_own() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("store")).unwrap();
        assert_eq!(store.questions().unwrap(), None);
        store.set_synonyms("").unwrap();
        assert_eq!(store.questions_version().unwrap(), 0);
        let text = "# vragen\n";
        assert_eq!(
            store.set_questions_checked(text, 0).unwrap(),
            Update::Done { version: 1 }
        );
        assert_eq!(store.set_questions_checked("", 0).unwrap(), Update::Stale);
        assert_eq!(store.set_questions(text).unwrap(), 1);
        assert_eq!(store.questions().unwrap().unwrap().item, text);
        assert_eq!(store.synonyms_version().unwrap(), 1);
    }
}
