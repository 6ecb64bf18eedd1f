//! Error types of the library. They are defined here, not beside the code
//! that raises them, so that this module depends on no other.

use std::path::PathBuf;

/// Everything that can go wrong in kbsearch's library code.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("content folder {path} cannot be read: {source}")]
    Content {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("no index at {0}: run `kbsearch index` first")]
    IndexMissing(PathBuf),
    #[error("index at {path} is unusable: {reason}")]
    IndexCorrupt { path: PathBuf, reason: String },
    #[error("I/O error on {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("index engine error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("invalid query: {0}")]
    BadQuery(String),
    /// A document or section the request names is not in the index.
    #[error("{0}")]
    NotFound(String),
    #[error("synonyms file: {0}")]
    Synonyms(#[from] SynonymsError),
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A problem in the synonyms file, with the line it is on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: line {line}: {message}")]
pub struct SynonymsError {
    pub file: String,
    pub line: usize,
    pub message: String,
}
