//! The store's part for the synonyms list: its `synonyms.toml` text in the `settings` tree under
//! `synonyms`, as a versioned record. The version counts the writes, so search can cache what it
//! derives from the list per version, and a change made from an older version is refused. The text
//! is kept as written (comments too), so an export gives back the file that was imported or saved.

use super::records::{TomlDocumentRecord, encode_stamped, version_of};
use super::{Store, StoreError, Update, Versioned, decode};

const SYNONYMS_KEY: &[u8] = b"synonyms";

impl Store {
    /// The synonyms file's text and version, if one was ever stored.
    pub fn synonyms(&self) -> Result<Option<Versioned<String>>, StoreError> {
        let Some(bytes) = self.t().settings.get(SYNONYMS_KEY)? else {
            return Ok(None);
        };
        let TomlDocumentRecord::V1 { toml } = decode(&bytes, "synonyms")?;
        Ok(Some(Versioned {
            item: toml,
            version: version_of(&bytes),
        }))
    }

    /// The version of the synonyms list: 0 when there is none, one more with every change.
    pub fn synonyms_version(&self) -> Result<u64, StoreError> {
        Ok(self
            .t()
            .settings
            .get(SYNONYMS_KEY)?
            .map_or(0, |bytes| version_of(&bytes)))
    }

    /// Stores the synonyms text at the next version, whatever is stored, durably; the same text
    /// again changes nothing. Returns the version now stored.
    pub fn set_synonyms(&self, text: &str) -> Result<u64, StoreError> {
        if let Some(current) = self.synonyms()?
            && current.item == text
        {
            return Ok(current.version);
        }
        let record = TomlDocumentRecord::V1 {
            toml: text.to_string(),
        };
        self.put_next_version(
            |t| &t.settings,
            SYNONYMS_KEY,
            |version| encode_stamped(&record, version),
        )
    }

    /// Stores the synonyms text only while the stored list is still at version `read_at` (0: none
    /// stored yet): a compare-and-swap on the bytes read, so a change in between makes it stale.
    pub fn set_synonyms_checked(&self, text: &str, read_at: u64) -> Result<Update, StoreError> {
        let outcome = {
            let t = self.t();
            let old = t.settings.get(SYNONYMS_KEY)?;
            let version = old.as_deref().map_or(0, version_of);
            if version != read_at {
                return Ok(Update::Stale);
            }
            let record = TomlDocumentRecord::V1 {
                toml: text.to_string(),
            };
            let new = encode_stamped(&record, version + 1);
            match t.settings.compare_and_swap(SYNONYMS_KEY, old, Some(new))? {
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
}
