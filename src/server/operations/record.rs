//! What the store keeps of one operation: the public [`pb::Operation`] as the client
//! sees it, and beside it what only the server needs to run it again after a restart
//! (its owner, the best plan checkpointed by its latest run, whether a cancel was asked
//! for). One prost message, so that fields can be added later without breaking the
//! stores already on disk. The request itself is stored apart (`store.rs`), once: a
//! record is rewritten at every checkpoint, a request may weigh megabytes.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::pb;
use crate::solver::WarmStart;

/// One stored operation.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Record {
    /// The operation as the client sees it (name, metadata, done, result).
    #[prost(message, optional, tag = "1")]
    pub operation: Option<pb::Operation>,
    /// Who submitted it (`owner_of`); empty until API keys scope operations.
    #[prost(string, tag = "2")]
    pub owner: String,
    /// The best plan of the latest run that the server stopped, if any.
    #[prost(message, optional, tag = "4")]
    pub checkpoint: Option<Checkpoint>,
    /// CancelOperation was called while it ran: a restart ends it CANCELLED instead of
    /// running it again.
    #[prost(bool, tag = "5")]
    pub cancel_requested: bool,
    /// Why the latest try of a remote worker (`tournee worker`) failed, when it may be
    /// tried again: the reason its dead letter gives if every try fails.
    #[prost(string, tag = "6")]
    pub last_failure: String,
}

/// A plan to resume from: [`WarmStart`] in a storable shape.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Checkpoint {
    /// Per vehicle index, its stops.
    #[prost(message, repeated, tag = "1")]
    pub routes: Vec<CheckpointRoute>,
}

/// One vehicle's stops in a [`Checkpoint`].
#[derive(Clone, PartialEq, prost::Message)]
pub struct CheckpointRoute {
    /// Each stop as `task * 2 + which` (which: 0 for a job or pickup, 1 for a delivery).
    #[prost(uint64, repeated, tag = "1")]
    pub stops: Vec<u64>,
}

impl Checkpoint {
    /// The storable shape of `warm`.
    pub fn from_warm_start(warm: &WarmStart) -> Self {
        let routes = warm
            .routes
            .iter()
            .map(|route| CheckpointRoute {
                stops: route
                    .iter()
                    .map(|&(task, which)| task as u64 * 2 + which as u64)
                    .collect(),
            })
            .collect();
        Checkpoint { routes }
    }

    /// The warm start it stores.
    pub fn to_warm_start(&self) -> WarmStart {
        let routes = self
            .routes
            .iter()
            .map(|route| {
                route
                    .stops
                    .iter()
                    .map(|&stop| ((stop / 2) as usize, (stop % 2) as usize))
                    .collect()
            })
            .collect();
        WarmStart { routes }
    }
}

impl Record {
    /// Whether this is a batch's record (SubmitBatch): one with items.
    pub fn is_batch(&self) -> bool {
        self.operation
            .as_ref()
            .and_then(|op| op.metadata.as_ref())
            .is_some_and(|metadata| !metadata.items.is_empty())
    }

    /// A new operation `name` of `owner`, queued now.
    pub fn queued(name: String, owner: String) -> Self {
        Record {
            operation: Some(pb::Operation {
                name,
                metadata: Some(pb::OperationMetadata {
                    state: pb::OperationState::Queued as i32,
                    phase: "queued".to_string(),
                    create_time_unix_ms: now_unix_ms(),
                    ..Default::default()
                }),
                done: false,
                result: None,
            }),
            owner,
            ..Default::default()
        }
    }

    /// The operation's name ("" when the record is malformed).
    pub fn name(&self) -> &str {
        self.operation.as_ref().map_or("", |op| op.name.as_str())
    }

    /// Whether the operation has ended.
    pub fn done(&self) -> bool {
        self.operation.as_ref().is_some_and(|op| op.done)
    }

    /// The operation's metadata, created empty when missing.
    pub fn metadata_mut(&mut self) -> &mut pb::OperationMetadata {
        self.operation
            .get_or_insert_with(Default::default)
            .metadata
            .get_or_insert_with(Default::default)
    }

    /// When the store may delete it (Unix ms); `None` while not done.
    pub fn expires_at_unix_ms(&self) -> Option<i64> {
        let op = self.operation.as_ref()?;
        op.done
            .then(|| op.metadata.as_ref().map_or(0, |m| m.expire_time_unix_ms))
    }

    /// Whether it is done and past its expiry at `now_unix_ms`.
    pub fn expired(&self, now_unix_ms: i64) -> bool {
        self.expires_at_unix_ms()
            .is_some_and(|at| at <= now_unix_ms)
    }

    /// Ends the operation with `result` at `now_unix_ms`, to be deleted `ttl_ms` later.
    pub fn finish(
        &mut self,
        state: pb::OperationState,
        result: pb::operation::Result,
        now_unix_ms: i64,
        ttl_ms: i64,
    ) {
        let metadata = self.metadata_mut();
        metadata.state = state as i32;
        metadata.phase = "done".to_string();
        metadata.end_time_unix_ms = now_unix_ms;
        metadata.expire_time_unix_ms = now_unix_ms.saturating_add(ttl_ms);
        let operation = self.operation.get_or_insert_with(Default::default);
        operation.done = true;
        operation.result = Some(result);
        self.checkpoint = None;
    }
}

/// Now, in Unix epoch milliseconds.
pub fn now_unix_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_millis() as i64)
}

/// A new operation name: "operations/" then the submit time in microseconds and a
/// random tail, both hexadecimal, so names sort by submission (List pages by name) and
/// never repeat across restarts.
pub fn new_name() -> String {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let micros = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_micros() as u64);
    // RandomState is seeded per process by the OS; the counter separates names made in
    // the same microsecond by this process.
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    format!("operations/{micros:014x}{:016x}", hasher.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checkpoint_round_trips_a_warm_start() {
        let warm = WarmStart {
            routes: vec![vec![(3, 0), (5, 0), (3, 1)], vec![], vec![(0, 0)]],
        };
        assert_eq!(Checkpoint::from_warm_start(&warm).to_warm_start(), warm);
    }

    #[test]
    fn names_are_unique_and_sort_by_submission() {
        let first = new_name();
        let second = new_name();
        assert_ne!(first, second);
        assert!(first.starts_with("operations/"));
        assert_eq!(first.len(), second.len());
    }
}
