//! The one error of reading a foreign document, shared by both families of formats:
//! VROOM's JSON ([`crate::vroom`]) and the scientific benchmark files
//! ([`crate::scientific`]). It lives apart from both so that neither depends on the
//! other, and so that callers (the CLI, `tournee bench`) handle one type whatever the
//! format.

/// Why a foreign document (VROOM JSON, a benchmark file) cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    /// The text is not JSON.
    #[error("invalid JSON: {message}")]
    Json {
        /// Line of the error, 1-based.
        line: usize,
        /// Column of the error, 1-based.
        column: usize,
        /// What the parser says.
        message: String,
    },
    /// A value is missing or has the wrong shape.
    #[error("{field}: {message}")]
    Field {
        /// Path in the VROOM document, e.g. `vehicles[2].start`, or the place in a
        /// benchmark file, e.g. `line 12`.
        field: String,
        /// What is wrong.
        message: String,
    },
}

impl FormatError {
    /// A [`FormatError::Field`] at `field`.
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        FormatError::Field {
            field: field.into(),
            message: message.into(),
        }
    }
}
