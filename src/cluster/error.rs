//! What can go wrong between tournee and its NATS server.

/// A failure talking to NATS JetStream.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    /// The first connection failed.
    #[error("--nats: cannot connect to {0}: {1}")]
    Connect(String, String),
    /// A stream, consumer or bucket could not be declared or found.
    #[error("NATS JetStream: cannot declare {0}: {1}")]
    Declare(&'static str, String),
    /// A message was not stored.
    #[error("NATS JetStream: publishing failed: {0}")]
    Publish(String),
    /// A key-value read or write failed.
    #[error("NATS JetStream key-value: {0}")]
    Records(String),
    /// A message is larger than the NATS server takes (its `max_payload`).
    #[error(
        "the request is {bytes} bytes as a job, above the NATS server's max_payload of {max_payload} bytes: send a smaller request, or raise max_payload in the nats-server configuration"
    )]
    TooLarge {
        /// The message's size, bytes.
        bytes: usize,
        /// The server's limit, bytes (1 MiB unless configured).
        max_payload: usize,
    },
    /// Pulling jobs failed.
    #[error("NATS JetStream: pulling jobs failed: {0}")]
    Pull(String),
}

impl ClusterError {
    /// Maps a declaration failure of `what`.
    pub fn declare<E: std::fmt::Display>(what: &'static str) -> impl Fn(E) -> ClusterError {
        move |error| ClusterError::Declare(what, error.to_string())
    }

    /// Maps a publish failure.
    pub fn publish(error: impl std::fmt::Display) -> ClusterError {
        ClusterError::Publish(error.to_string())
    }

    /// Maps a key-value failure.
    pub fn records(error: impl std::fmt::Display) -> ClusterError {
        ClusterError::Records(error.to_string())
    }
}
