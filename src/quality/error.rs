//! [`BenchError`]: why a bench run cannot go on. Raised by the file lister, the `bks.csv`
//! reader and the runner alike, so it stands in a file of its own below them.

use std::path::{Path, PathBuf};

use crate::scientific::FormatError;

/// Why a bench run cannot go on (a failed check is not an error: it is reported).
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    /// A file or directory could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The IO error.
        source: std::io::Error,
    },
    /// An instance file is not in the set's format.
    #[error("{path}: {source}")]
    Format {
        /// The instance file.
        path: PathBuf,
        /// What is wrong.
        source: FormatError,
    },
    /// `bks.csv` cannot be read.
    #[error("{path}: line {line}: {message}")]
    Bks {
        /// The file.
        path: PathBuf,
        /// Line, 1-based.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The request built from an instance was refused, or the solver failed.
    #[error("{path}: {source}")]
    Solve {
        /// The instance file.
        path: PathBuf,
        /// The crate's error.
        source: crate::Error,
    },
}

impl BenchError {
    /// A [`BenchError::Io`] for `path`.
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        BenchError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}
