//! `GET /v1/operations/ID/watch`: an operation's progress as a stream of server-sent
//! events (`text/event-stream`), for browsers (`EventSource`) and any HTTP client, so
//! that a client sees the best cost, the tasks left out, the phase and, with a pooling
//! report, the coalitions solved out of those planned, without polling.
//!
//! | event | data |
//! |---|---|
//! | `progress` | `{"operation": <Operation>, "elapsedMs": N}`, when the metadata changes, and at least every [`HEARTBEAT`] (so the elapsed time moves and proxies keep the connection) |
//! | `done` | the same with the done operation (its response or error); the stream ends |
//! | `failure` | the API's error JSON (the operation was deleted meanwhile); the stream ends |
//!
//! It reads the same operations store as `GET /v1/operations/ID` (every [`POLL`]), so
//! it works with the embedded store and with NATS alike, scoped by the caller's key
//! exactly as the other calls on an operation; an unknown operation or a refused key
//! is answered as they are, as JSON, before any event. `elapsedMs` runs from the
//! operation's creation, by the server's clock.

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, Sse};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;

use super::Http;
use super::call::admit;
use super::error::ApiError;
use crate::pb;
use crate::server::operations::{OperationsApi, record::now_unix_ms};
use crate::server::owner_of;

/// How often the store is read.
const POLL: Duration = Duration::from_millis(200);
/// The longest time between two events of a running operation.
pub const HEARTBEAT: Duration = Duration::from_secs(1);

/// `GET /v1/operations/ID/watch`.
pub async fn watch(
    State(http): State<Http>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let admitted = match admit(&http.authenticator, &headers) {
        Ok(admitted) => admitted,
        Err(error) => return error.into_response(),
    };
    let (owner, name) = (owner_of(&admitted), format!("operations/{id}"));
    let (operations, draining) = (http.routing.operations.clone(), http.draining.clone());
    let first = match operations.get(owner.clone(), name.clone()).await {
        Ok(operation) => operation,
        Err(error) => return ApiError::from_status(&error.status()).into_response(),
    };
    let (sender, receiver) = mpsc::channel(8);
    tokio::spawn(async move {
        let watched = Watched {
            operations: operations.as_ref(),
            owner,
            name,
            sender,
            draining,
        };
        watched.run(first).await;
    });
    Sse::new(ReceiverStream::new(receiver)).into_response()
}

/// One client's watch of one operation.
struct Watched<'a> {
    operations: &'a dyn OperationsApi,
    owner: String,
    name: String,
    sender: mpsc::Sender<Result<Event, Infallible>>,
    /// Set when the server begins to shut down: the stream ends then (a client falls
    /// back to polling), or the graceful shutdown would wait for an operation that
    /// the stop checkpoints rather than ends.
    draining: Arc<AtomicBool>,
}

impl Watched<'_> {
    /// Sends `first` then each change until the operation is done, it disappears, the
    /// client goes away or the server begins to shut down.
    async fn run(&self, first: pb::Operation) {
        let mut operation = first;
        let mut last_sent: Option<(pb::OperationMetadata, Instant)> = None;
        loop {
            if operation.done {
                let _ = self.sender.send(Ok(event("done", &operation))).await;
                return;
            }
            let metadata = operation.metadata.clone().unwrap_or_default();
            let due = match &last_sent {
                Some((sent, at)) => *sent != metadata || at.elapsed() >= HEARTBEAT,
                None => true,
            };
            if due {
                if self
                    .sender
                    .send(Ok(event("progress", &operation)))
                    .await
                    .is_err()
                {
                    return;
                }
                last_sent = Some((metadata, Instant::now()));
            }
            tokio::time::sleep(POLL).await;
            if self.sender.is_closed() || self.draining.load(Ordering::Acquire) {
                return;
            }
            operation = match self
                .operations
                .get(self.owner.clone(), self.name.clone())
                .await
            {
                Ok(operation) => operation,
                Err(error) => {
                    let error = ApiError::from_status(&error.status());
                    let data = serde_json::to_string(&error).unwrap_or_default();
                    let failure = Event::default().event("failure").data(data);
                    let _ = self.sender.send(Ok(failure)).await;
                    return;
                }
            };
        }
    }
}

/// An event named `kind` carrying `operation` and the time since its creation.
fn event(kind: &str, operation: &pb::Operation) -> Event {
    let created = operation
        .metadata
        .as_ref()
        .map_or(0, |metadata| metadata.create_time_unix_ms);
    let elapsed_ms = (now_unix_ms() - created).max(0);
    let data = json!({"operation": operation, "elapsedMs": elapsed_ms});
    Event::default().event(kind).data(data.to_string())
}
