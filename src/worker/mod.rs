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
//!
//! A job with a pooling report fans its coalitions out (`fanout.rs`): every worker pulls
//! coalition tasks before jobs (`coalition.rs`), and the job's owner solves them too
//! while it waits for its layers, so no report waits on workers that all wait.

mod coalition;
mod fanout;
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
use coalition::Pool;

/// How long one pull waits for a coalition task before the jobs' queue is asked.
const PULL_WAIT: Duration = Duration::from_secs(1);
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
    /// Coalition tasks: this worker's share of any pooling report under way.
    pool: Pool,
}

/// What a worker pulled.
enum Work {
    /// A whole job.
    Job(Box<async_nats::jetstream::Message>),
    /// Coalitions of pooling reports under way.
    Coalitions(Vec<async_nats::jetstream::Message>),
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
    let tasks = cluster.coalition_workers(config.redelivery).await?;
    let records = KvRecords::new(cluster.operations.clone());
    let shared = (config.travel.clone(), config.policy.clone());
    let max_tries = config.redelivery.max_tries;
    let pool = Pool::new(cluster.clone(), records.clone(), tasks, shared, max_tries);
    let worker = Worker {
        cluster,
        records,
        config,
        pool,
    };
    tracing::info!(nats = %worker.config.nats_url, "worker pulling jobs");
    let (stopping, stopped) = tokio::sync::watch::channel(false);
    let mut stop = std::pin::pin!(stop);
    loop {
        let pulled = tokio::select! {
            () = &mut stop => break,
            pulled = next_work(&worker.pool, &consumer) => pulled,
        };
        match pulled {
            // Short, and its owner waits for it: finished even when stopping.
            Ok(Some(Work::Coalitions(tasks))) => worker.pool.handle(tasks, None).await,
            Ok(Some(Work::Job(message))) => {
                let handling = worker.handle(*message, stopped.clone());
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

/// The next work: a coalition task first (a report under way goes before new jobs),
/// waiting up to [`PULL_WAIT`] for one, else a job if one is queued; `None` when
/// neither came.
async fn next_work(pool: &Pool, consumer: &PullConsumer) -> Result<Option<Work>, ClusterError> {
    let tasks = pool.next_tasks(Some(PULL_WAIT)).await?;
    if !tasks.is_empty() {
        return Ok(Some(Work::Coalitions(tasks)));
    }
    let mut batch = consumer
        .fetch()
        .max_messages(1)
        .messages()
        .await
        .map_err(|error| ClusterError::Pull(error.to_string()))?;
    match batch.next().await {
        Some(Ok(message)) => Ok(Some(Work::Job(Box::new(message)))),
        Some(Err(error)) => Err(ClusterError::Pull(error.to_string())),
        None => Ok(None),
    }
}
