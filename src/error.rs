//! The crate's error: every layer's typed error in one enum. Only `api::status` maps it
//! to gRPC, and only `main.rs` turns it into a command-line message. The pooling report
//! is not among them: it never fails a request (each allocation rule reports its own
//! status instead).

use crate::solver::SolveError;
use crate::validate::Violations;

/// How long a caller refused for want of room is told to wait before retrying,
/// milliseconds.
pub const RETRY_AFTER_MS: u64 = 1_000;

/// Anything that can go wrong while answering a request.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The request breaks rules; every violation is listed.
    #[error(transparent)]
    Validation(#[from] Violations),
    /// The solver failed for a reason of its own.
    #[error(transparent)]
    Solve(#[from] SolveError),
    /// Travel data could not be produced (no extract, OSRM down…).
    #[error(transparent)]
    Travel(#[from] crate::travel::TravelError),
    /// The server runs as many solves as it may and its queue is full: the caller may
    /// retry after `retry_after_ms` milliseconds.
    #[error("the server is busy (all solvers running, queue full); retry in {retry_after_ms} ms")]
    Busy {
        /// When a retry may find room, milliseconds.
        retry_after_ms: u64,
    },
    /// The caller's API key has as many calls running or waiting as it may
    /// (`--max-solves-per-key`): it may retry after `retry_after_ms` milliseconds.
    #[error(
        "this API key has {max} solves running or waiting, its most; retry in {retry_after_ms} ms"
    )]
    KeyBusy {
        /// The key's limit.
        max: usize,
        /// When a retry may find room, milliseconds.
        retry_after_ms: u64,
    },
    /// The caller's API key started as many calls this minute as it may
    /// (`--max-calls-per-key-per-minute`): it may retry after `retry_after_ms` milliseconds.
    #[error("this API key may start {per_minute} calls a minute; retry in {retry_after_ms} ms")]
    KeyRateLimited {
        /// The key's limit, calls per minute.
        per_minute: u32,
        /// When its next call is allowed, milliseconds.
        retry_after_ms: u64,
    },
    /// The requests the server holds (arriving, queued or running) add up to as many
    /// bytes as it may hold (`--max-request-bytes-in-flight`): the caller may retry after
    /// `retry_after_ms` milliseconds.
    #[error(
        "the server holds {max_bytes} bytes of requests, its most; retry in {retry_after_ms} ms"
    )]
    BytesBusy {
        /// The server's limit, bytes.
        max_bytes: usize,
        /// When a retry may find room, milliseconds.
        retry_after_ms: u64,
    },
    /// The caller's deadline passed while its call waited for a solver.
    #[error("the deadline passed while the call waited for a solver")]
    QueuedPastDeadline,
    /// A bug: a worker died or a channel closed.
    #[error("internal error: {0}")]
    Internal(String),
}
