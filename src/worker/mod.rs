//! `tournee worker --nats URL`: a process that pulls solve jobs from the JetStream work
//! queue (`cluster`), one at a time, solves them with the same pipeline as `serve`, and
//! stores each result in the operation's record. It owns the at-least-once delivery
//! made exactly-once: a job whose record is already done is acked without solving
//! (job ids are idempotency keys), a result is written only into a record not yet done,
//! a job that keeps failing is given up on a dead-letter subject with its reason. See
//! `job.rs` for one job's life and `solve.rs` for the solve beside its acknowledgements.
//!
//! Many workers on many machines share the queue: the server hands each job to one of
//! them, and to another when the first dies (after the ack wait) or gives it back.

mod job;
mod solve;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use async_nats::jetstream::consumer::PullConsumer;
use tokio_stream::StreamExt;

use crate::cluster::{Cluster, ClusterError, Redelivery};
use crate::server::operations::KvRecords;
use crate::travel::TravelConfig;
use crate::validate::Policy;

/// How long one pull waits for a job before asking again.
const PULL_WAIT: Duration = Duration::from_secs(5);
/// Pause after a failed pull (NATS restarting, say) before the next.
const PULL_RETRY: Duration = Duration::from_millis(500);

/// What a worker needs.
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// The NATS server (`--nats`).
    pub nats_url: String,
    /// The consumer's ack wait and tries, used when this worker creates it.
    pub redelivery: Redelivery,
    /// Default travel sources (`--osm`, `--osrm-url`).
    pub travel: Arc<TravelConfig>,
    /// What a request may ask for; checked again here, as the worker's flags may differ
    /// from the front end's.
    pub policy: Arc<Policy>,
    /// How long a done operation is kept (its record's expiry).
    pub ttl: Duration,
}

/// What one job's handling shares with the others.
struct Worker {
    cluster: Cluster,
    records: KvRecords,
    config: WorkerConfig,
}

/// Runs a worker until `stop` completes. A job being solved when `stop` comes is given
/// back to the queue at once (not stored), so another worker takes it without waiting
/// for the ack wait.
pub async fn run(
    config: WorkerConfig,
    stop: impl Future<Output = ()> + Send,
) -> Result<(), ClusterError> {
    let cluster = Cluster::connect(&config.nats_url, config.ttl).await?;
    let consumer = cluster.workers(config.redelivery).await?;
    let records = KvRecords::new(cluster.operations.clone());
    let worker = Worker {
        cluster,
        records,
        config,
    };
    tracing::info!(nats = %worker.config.nats_url, "worker pulling jobs");
    let (stopping, stopped) = tokio::sync::watch::channel(false);
    let mut stop = std::pin::pin!(stop);
    loop {
        let pulled = tokio::select! {
            () = &mut stop => break,
            pulled = next_job(&consumer) => pulled,
        };
        match pulled {
            Ok(Some(message)) => {
                let handling = worker.handle(message, stopped.clone());
                let mut handling = std::pin::pin!(handling);
                tokio::select! {
                    () = &mut handling => {}
                    () = &mut stop => {
                        let _ = stopping.send(true);
                        handling.await;
                        break;
                    }
                }
            }
            Ok(None) => {}
            Err(error) => {
                tracing::warn!(%error, "pulling jobs; trying again");
                tokio::time::sleep(PULL_RETRY).await;
            }
        }
    }
    tracing::info!("worker stopped");
    Ok(())
}

/// The next job, or `None` when none came within [`PULL_WAIT`].
async fn next_job(
    consumer: &PullConsumer,
) -> Result<Option<async_nats::jetstream::Message>, ClusterError> {
    let mut batch = consumer
        .batch()
        .max_messages(1)
        .expires(PULL_WAIT)
        .messages()
        .await
        .map_err(|error| ClusterError::Pull(error.to_string()))?;
    match batch.next().await {
        Some(Ok(message)) => Ok(Some(message)),
        Some(Err(error)) => Err(ClusterError::Pull(error.to_string())),
        None => Ok(None),
    }
}
