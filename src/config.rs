//! One typed configuration for the whole program, filled from flags and environment variables, with
//! defaults that work on a laptop. Knows where things live inside the data folder.

use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct Config {
    /// The folder that holds everything Verhalenbank keeps.
    pub data_dir: PathBuf,
}

impl Config {
    pub fn new(data_dir: &Path) -> Self {
        Config {
            data_dir: data_dir.to_path_buf(),
        }
    }

    /// The sled store: the source of truth.
    pub fn store_path(&self) -> PathBuf {
        self.data_dir.join("store")
    }

    /// The tantivy index: derived from the store, can be rebuilt at any time.
    pub fn index_path(&self) -> PathBuf {
        self.data_dir.join("index")
    }
}

/// Run from anywhere: a relative demo folder that is not here is taken from beside the sources.
pub fn beside_sources(sample: PathBuf) -> PathBuf {
    if sample.exists() || sample.is_absolute() {
        sample
    } else {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(&sample)
    }
}
