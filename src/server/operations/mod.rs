//! Long-running operations, in the style of `google.longrunning.Operations`: a client
//! submits a solve (`SubmitSolve`), gets a name at once, and reads, waits for, cancels,
//! lists or deletes it. This module owns their life: the durable store (`store.rs`,
//! redb under `--data-dir`), the record kept per operation (`record.rs`), running each
//! one under the server's admission control (`job.rs`) with its best plan checkpointed
//! now and then and when the server stops (`checkpoint.rs`), the RPCs (`rpc.rs`), resuming the unfinished ones at start and purging
//! the expired ones (`lifecycle.rs`). The RPCs reach them through one trait
//! (`api.rs`): the embedded store above, or, with `serve --nats`, records in a NATS
//! JetStream bucket (`kv_records.rs`) whose jobs remote workers run (`jetstream.rs`).
//!
//! Invariants: an operation's result is written once, in the same transaction that
//! marks it done, and a done operation is never run again; an operation that was queued
//! or running when the process died (or was stopped) is run again by the next start,
//! from its checkpointed plan when it has one.

mod api;
mod batch;
mod checkpoint;
mod error;
mod job;
mod jetstream;
mod kv_records;
mod lifecycle;
pub mod record;
mod rpc;
mod store;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{mpsc, watch};

use super::admission::Admission;
use super::auth::Caller;
use super::metrics::Metrics;
use super::stop::StopReceiver;
use crate::pb;
use crate::travel::TravelConfig;
use crate::validate::Policy;

pub use api::{Embedded, OperationsApi};
pub use error::OperationError;
pub use jetstream::JetStreamOperations;
pub use job::{Ending, cancelled_error, end as record_ending, requeue, start as mark_running};
pub use kv_records::KvRecords;
use record::Record;
pub use store::FILE_NAME;
use store::Store;

/// How long a done operation is kept by default: 7 days.
pub const DEFAULT_OPERATION_TTL: Duration = Duration::from_secs(7 * 24 * 3600);

/// Time between two checkpoints of a running operation by default: 10 s.
pub const DEFAULT_CHECKPOINT_EVERY: Duration = Duration::from_secs(10);

/// Where operations are kept and for how long (`serve --data-dir`, `--operation-ttl-s`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationsConfig {
    /// The store's directory; `None`: in memory, lost when the process ends.
    pub data_dir: Option<PathBuf>,
    /// When `data_dir` is held by another running server: keep operations in memory
    /// (with a warning) instead of failing to start. For the default directory, which
    /// two servers on one machine may share.
    pub memory_if_locked: bool,
    /// How long a done operation is kept before it is deleted.
    pub ttl: Duration,
    /// Time between two stored checkpoints of a running operation's best plan.
    pub checkpoint_every: Duration,
    /// A NATS server (`serve --nats URL`): operations live in its JetStream and
    /// `tournee worker` processes run them; `data_dir` is then unused.
    pub nats_url: Option<String>,
}

impl Default for OperationsConfig {
    /// In memory, kept [`DEFAULT_OPERATION_TTL`].
    fn default() -> Self {
        OperationsConfig {
            data_dir: None,
            memory_if_locked: false,
            ttl: DEFAULT_OPERATION_TTL,
            checkpoint_every: DEFAULT_CHECKPOINT_EVERY,
            nats_url: None,
        }
    }
}

/// What a front end checks a new operation against, and how long it is kept once done.
#[derive(Debug, Clone)]
pub struct SubmitPolicy {
    /// What a request may ask for.
    pub policy: Arc<Policy>,
    /// How long a done operation is kept.
    pub ttl: Duration,
}

impl SubmitPolicy {
    /// The TTL in milliseconds, as records store it.
    pub fn ttl_ms(&self) -> i64 {
        self.ttl.as_millis().min(i64::MAX as u128) as i64
    }
}

/// The operations `config` names: connected to NATS with `--nats`, else the embedded
/// store, opened and with its unfinished operations resumed.
pub async fn open_api(
    config: &OperationsConfig,
    solving: Solving,
) -> Result<Arc<dyn OperationsApi>, OperationError> {
    match &config.nats_url {
        Some(url) => {
            let submit = SubmitPolicy {
                policy: solving.policy.clone(),
                ttl: config.ttl,
            };
            Ok(Arc::new(JetStreamOperations::connect(url, submit).await?))
        }
        None => {
            let operations = Operations::open(config, solving)?;
            operations.resume().await?;
            Ok(Arc::new(Embedded(operations)))
        }
    }
}

/// The caller's identity for scoping operations: the name of the API key the key
/// check let the request in with, "" without keys (every caller sees every operation).
pub fn owner_of<T>(request: &tonic::Request<T>) -> String {
    Caller::of(request)
        .key_name()
        .unwrap_or_default()
        .to_string()
}

/// The caller an operation's owner stands for, when its job is admitted (at submit,
/// or again at restart): the key's share of the solvers counts it.
pub fn caller_of(owner: &str) -> Caller {
    if owner.is_empty() {
        Caller::Open
    } else {
        Caller::Key(Arc::from(owner))
    }
}

/// What running a solve needs: the same as a synchronous Solve.
#[derive(Debug, Clone)]
pub struct Solving {
    /// The server's default travel sources.
    pub travel: Arc<TravelConfig>,
    /// What a request may ask for.
    pub policy: Arc<Policy>,
    /// The solvers and their queue, shared with the synchronous calls.
    pub admission: Arc<Admission>,
    /// Raised a grace period after shutdown begins: running jobs checkpoint and stop.
    pub stop: StopReceiver,
    /// What `/metrics` shows.
    pub metrics: Arc<Metrics>,
}

/// The server's operations: their store, the jobs this process runs, and who waits.
#[derive(Debug)]
pub struct Operations {
    store: Arc<Store>,
    ttl: Duration,
    checkpoint_every: Duration,
    solving: Solving,
    /// The jobs this process has admitted or queued, by name.
    live: Mutex<HashMap<String, Arc<Live>>>,
    /// Bumped whenever an operation ends: wakes WaitOperation.
    changed: watch::Sender<u64>,
    /// Cloned by each running job; taken at drain, whose receiver then sees every job
    /// end.
    tracker: Mutex<Option<mpsc::Sender<()>>>,
    drained: tokio::sync::Mutex<mpsc::Receiver<()>>,
}

/// What this process knows of a job beyond its record.
#[derive(Debug, Default)]
struct Live {
    /// The solve's stop flag: set by CancelOperation and by the server's stop.
    cancelled: Arc<AtomicBool>,
    /// Set by CancelOperation only: the job ends CANCELLED rather than checkpointed.
    cancel_requested: AtomicBool,
    /// Best cost, tasks left out and phase so far.
    progress: Mutex<LiveProgress>,
    /// Wakes the job when it is cancelled while queued: it leaves the queue at once.
    dequeued: tokio::sync::Notify,
}

/// A running job's progress, shown by GetOperation before it is stored.
#[derive(Debug, Clone, Default)]
struct LiveProgress {
    best_cost: f64,
    best_unassigned: u32,
    phase: &'static str,
    /// Iterations per parallel search, as of each one's latest snapshot.
    iterations: Vec<u64>,
    /// The pooling report's coalitions solved so far, and planned so far.
    coalitions_done: u32,
    coalitions_total: u32,
}

impl Operations {
    /// Opens the store `config` names (in memory when none) for a server that solves
    /// with `solving`.
    pub fn open(config: &OperationsConfig, solving: Solving) -> Result<Arc<Self>, OperationError> {
        let store = match &config.data_dir {
            None => Store::in_memory()?,
            Some(directory) => match Store::open(directory) {
                Err(OperationError::Locked(which)) if config.memory_if_locked => {
                    tracing::warn!(
                        data_dir = %which,
                        "the operations store is in use by another server; keeping \
                         operations in memory: they will not survive a restart"
                    );
                    Store::in_memory()?
                }
                opened => opened?,
            },
        };
        let (tracker, drained) = mpsc::channel(1);
        Ok(Arc::new(Operations {
            store: Arc::new(store),
            ttl: config.ttl,
            checkpoint_every: config.checkpoint_every,
            solving,
            live: Mutex::new(HashMap::new()),
            changed: watch::channel(0).0,
            tracker: Mutex::new(Some(tracker)),
            drained: tokio::sync::Mutex::new(drained),
        }))
    }

    /// Runs `work` on the store off the async runtime.
    async fn with_store<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Store) -> Result<T, OperationError> + Send + 'static,
    ) -> Result<T, OperationError> {
        let store = self.store.clone();
        tokio::task::spawn_blocking(move || work(&store))
            .await
            .map_err(|error| OperationError::Store(error.to_string()))?
    }

    /// The operation of `record` as a client sees it, with this process's live
    /// progress when it is running here.
    fn view(&self, record: Record) -> pb::Operation {
        let mut operation = record.operation.unwrap_or_default();
        if operation.done {
            return operation;
        }
        let live = self
            .live
            .lock()
            .ok()
            .and_then(|live| live.get(&operation.name).cloned());
        if let Some(progress) = live.and_then(|live| live.progress.lock().ok().map(|p| p.clone())) {
            let metadata = operation.metadata.get_or_insert_with(Default::default);
            if metadata.state == pb::OperationState::Running as i32 {
                metadata.best_cost = progress.best_cost;
                metadata.best_unassigned = progress.best_unassigned;
                metadata.phase = progress.phase.to_string();
                metadata.iterations = progress.iterations.iter().sum();
                metadata.coalitions_done = progress.coalitions_done;
                metadata.coalitions_total = progress.coalitions_total;
            }
        }
        operation
    }

    /// Wakes every WaitOperation to look again.
    fn notify(&self) {
        self.changed
            .send_modify(|version| *version = version.wrapping_add(1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_owner_is_the_request_extension_or_empty() {
        let mut request = tonic::Request::new(());
        assert_eq!(owner_of(&request), "");
        request
            .extensions_mut()
            .insert(Caller::Key(Arc::from("key-1")));
        assert_eq!(owner_of(&request), "key-1");
        assert_eq!(caller_of("key-1"), Caller::Key(Arc::from("key-1")));
        assert_eq!(caller_of(""), Caller::Open);
    }
}
