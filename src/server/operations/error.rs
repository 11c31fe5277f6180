//! What can go wrong with an operation call, and its gRPC status. The solve itself fails
//! with the crate's [`crate::Error`] (mapped by `api::status` like a synchronous Solve);
//! these are the errors of the calls on operations and of their store.

use tonic::Status;

/// An operation call's failure.
#[derive(Debug, thiserror::Error)]
pub enum OperationError {
    /// No such operation (never was, deleted, expired, or another owner's).
    #[error("no operation named {0:?}")]
    NotFound(String),
    /// DeleteOperation on an operation still queued or running.
    #[error("operation {0:?} is not done: cancel it first")]
    NotDone(String),
    /// A page token that no ListOperations gave.
    #[error("page_token is not a token ListOperations gave")]
    BadPageToken,
    /// The store's directory is held by another running server.
    #[error("the operations store in {0} is in use by another process")]
    Locked(String),
    /// The store failed (disk full, corrupt file…).
    #[error("operations store: {0}")]
    Store(String),
    /// A request the NATS server cannot carry (above its max_payload).
    #[error("{0}")]
    TooLarge(String),
    /// The NATS JetStream queue or its records failed (`serve --nats`).
    #[error("job queue: {0}")]
    Queue(String),
}

impl OperationError {
    /// The gRPC status a caller gets.
    pub fn status(&self) -> Status {
        match self {
            OperationError::NotFound(_) => Status::not_found(self.to_string()),
            OperationError::NotDone(_) => Status::failed_precondition(self.to_string()),
            OperationError::BadPageToken | OperationError::TooLarge(_) => {
                Status::invalid_argument(self.to_string())
            }
            OperationError::Locked(_) | OperationError::Store(_) => {
                tracing::error!(error = %self, "operations store failed");
                Status::internal("the operations store failed")
            }
            OperationError::Queue(_) => {
                tracing::error!(error = %self, "the job queue failed");
                Status::unavailable("the job queue is unreachable; retry later")
            }
        }
    }
}
