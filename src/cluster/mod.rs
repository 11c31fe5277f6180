//! The layout tournee keeps in NATS JetStream when it runs on several machines
//! (`serve --nats`, `worker --nats`, `batch --nats`): one work-queue stream of solve jobs
//! and its durable pull consumer shared by every worker, a key-value bucket of operation
//! records (the result is written there, once), a stream of dead letters for the
//! jobs that failed too often, and the streams that fan a pooling report's coalitions
//! out over the workers (`pooling.rs`). This module owns the names, the settings and the
//! messages of that layout, and nothing of what a record means: `server::operations`
//! reads and writes records, `worker` runs jobs.
//!
//! Every process declares what it uses (`get_or_create`), so any of them may start
//! first; the first to create the workers' consumer fixes its ack wait and tries.

mod error;
mod pooling;

use std::time::Duration;

use async_nats::jetstream::{self, consumer, kv, stream};
use prost::Message;

use crate::pb;

pub use error::ClusterError;
pub use pooling::{
    COALITION_WORKERS, COALITIONS_STREAM, COALITIONS_SUBJECT, POOLING_STREAM, results_subject,
};

/// The work-queue stream of solve jobs: each message is taken by one worker.
pub const JOBS_STREAM: &str = "TOURNEE_JOBS";
/// The subject jobs are published on.
pub const JOBS_SUBJECT: &str = "tournee.jobs";
/// The durable pull consumer every worker pulls from.
pub const WORKERS_CONSUMER: &str = "tournee-workers";
/// The stream keeping the dead letters (limits retention: read them with any client).
pub const DEAD_STREAM: &str = "TOURNEE_DEAD";
/// The subject of dead letters: one JSON object per job given up.
pub const DEAD_SUBJECT: &str = "tournee.dead";
/// The bucket of operation records, by operation id.
pub const OPERATIONS_BUCKET: &str = "tournee-operations";
/// Revisions kept per operation: its few state changes (queued, running, done).
const HISTORY: i64 = 16;

/// One solve job: the operation it belongs to and its request.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Job {
    /// The operation's name (`operations/ID`): the job's idempotency key.
    #[prost(string, tag = "1")]
    pub name: String,
    /// What to solve.
    #[prost(message, optional, tag = "2")]
    pub request: Option<pb::SolveRequest>,
}

/// A job given up, as published on [`DEAD_SUBJECT`].
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DeadLetter {
    /// The operation's name.
    pub name: String,
    /// Deliveries of the job, the last included.
    pub tries: i64,
    /// Why it was given up: the last failure seen.
    pub reason: String,
}

/// How the workers' consumer redelivers (`worker --ack-wait-s`, `--max-tries`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Redelivery {
    /// Time without an acknowledgement (or an in-progress one) after which a job goes
    /// to another worker.
    pub ack_wait: Duration,
    /// Deliveries of a job that may fail before it is given up.
    pub max_tries: u32,
}

impl Default for Redelivery {
    /// 30 s, 3 tries.
    fn default() -> Self {
        Redelivery {
            ack_wait: Duration::from_secs(30),
            max_tries: 3,
        }
    }
}

/// A connection to NATS with tournee's streams and bucket declared.
#[derive(Debug, Clone)]
pub struct Cluster {
    /// The JetStream context.
    pub jetstream: jetstream::Context,
    /// The operation records.
    pub operations: kv::Store,
}

impl Cluster {
    /// Connects to the NATS server at `url` and declares the layout. A lost connection
    /// is re-established by the client for ever, so a restarted NATS server is found
    /// again.
    pub async fn connect(url: &str, records_ttl: Duration) -> Result<Cluster, ClusterError> {
        let client = async_nats::ConnectOptions::new()
            .name("tournee")
            .retry_on_initial_connect()
            .connection_timeout(Duration::from_secs(10))
            .connect(url)
            .await
            .map_err(|error| ClusterError::Connect(url.to_string(), error.to_string()))?;
        let jetstream = jetstream::new(client);
        // A busy or just-started server can time a declaration out: a front end or a
        // worker that gave up there would exit while its peers run.
        let mut tries = 1;
        let operations = loop {
            match declare(&jetstream, records_ttl).await {
                Ok(operations) => break operations,
                Err(error) if tries < DECLARE_TRIES => {
                    tracing::warn!(%error, tries, "declaring the NATS layout failed; trying again");
                    tries += 1;
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
                Err(error) => return Err(error),
            }
        };
        Ok(Cluster {
            jetstream,
            operations,
        })
    }

    /// The workers' durable pull consumer, created with `redelivery` if missing. The
    /// server delivers a job at most `max_tries + 1` times: the extra delivery is the
    /// one a worker turns into a dead letter, so no job is retried for ever even when
    /// every try kills its worker.
    pub async fn workers(
        &self,
        redelivery: Redelivery,
    ) -> Result<consumer::PullConsumer, ClusterError> {
        let stream = self
            .jetstream
            .get_stream(JOBS_STREAM)
            .await
            .map_err(ClusterError::declare(JOBS_STREAM))?;
        stream
            .get_or_create_consumer(
                WORKERS_CONSUMER,
                consumer::pull::Config {
                    durable_name: Some(WORKERS_CONSUMER.to_string()),
                    ack_policy: consumer::AckPolicy::Explicit,
                    ack_wait: redelivery.ack_wait,
                    max_deliver: i64::from(redelivery.max_tries) + 1,
                    ..Default::default()
                },
            )
            .await
            .map_err(ClusterError::declare(WORKERS_CONSUMER))
    }

    /// Publishes the job of operation `name`; the operation name is the message id, so
    /// a publish retried within two minutes is stored once.
    pub async fn publish_job(
        &self,
        name: &str,
        request: &pb::SolveRequest,
    ) -> Result<(), ClusterError> {
        let job = Job {
            name: name.to_string(),
            request: Some(request.clone()),
        };
        let payload = job.encode_to_vec();
        // Refused here with the limit named: the server would close the connection
        // over it, which the client only reports as a lost publish.
        let max_payload = self.jetstream.client().server_info().max_payload;
        if max_payload > 0 && payload.len() > max_payload {
            return Err(ClusterError::TooLarge {
                bytes: payload.len(),
                max_payload,
            });
        }
        let mut headers = async_nats::HeaderMap::new();
        headers.insert("Nats-Msg-Id", name);
        let acked = self
            .jetstream
            .publish_with_headers(JOBS_SUBJECT, headers, payload.into())
            .await
            .map_err(ClusterError::publish)?;
        acked.await.map_err(ClusterError::publish)?;
        Ok(())
    }

    /// Publishes `letter` on the dead-letter subject.
    pub async fn dead_letter(&self, letter: &DeadLetter) -> Result<(), ClusterError> {
        let payload =
            serde_json::to_vec(letter).map_err(|error| ClusterError::Publish(error.to_string()))?;
        let acked = self
            .jetstream
            .publish(DEAD_SUBJECT, payload.into())
            .await
            .map_err(ClusterError::publish)?;
        acked.await.map_err(ClusterError::publish)?;
        Ok(())
    }
}

/// The bucket key of the operation `name` (`operations/ID` → `ID`); `None` for a name
/// no operation can have (the key check keeps client text out of subjects).
pub fn key_of(name: &str) -> Option<&str> {
    let id = name.strip_prefix("operations/")?;
    let valid = !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_');
    valid.then_some(id)
}

/// How often a front end or worker tries to declare the layout before giving up.
const DECLARE_TRIES: u32 = 5;

/// Declares the streams and the bucket if missing; the bucket of operation records.
async fn declare(
    jetstream: &jetstream::Context,
    records_ttl: Duration,
) -> Result<async_nats::jetstream::kv::Store, ClusterError> {
    jetstream
        .get_or_create_stream(stream::Config {
            name: JOBS_STREAM.to_string(),
            subjects: vec![JOBS_SUBJECT.to_string()],
            retention: stream::RetentionPolicy::WorkQueue,
            storage: stream::StorageType::File,
            duplicate_window: Duration::from_secs(120),
            ..Default::default()
        })
        .await
        .map_err(ClusterError::declare(JOBS_STREAM))?;
    jetstream
        .get_or_create_stream(stream::Config {
            name: DEAD_STREAM.to_string(),
            subjects: vec![DEAD_SUBJECT.to_string()],
            storage: stream::StorageType::File,
            ..Default::default()
        })
        .await
        .map_err(ClusterError::declare(DEAD_STREAM))?;
    pooling::declare(jetstream, records_ttl).await?;
    // The bucket's stream declared as the key-value convention has it, rather than
    // through `create_key_value`, whose account query nats-server 2.9 answers in a
    // shape this client does not read.
    jetstream
        .get_or_create_stream(stream::Config {
            name: format!("KV_{OPERATIONS_BUCKET}"),
            subjects: vec![format!("$KV.{OPERATIONS_BUCKET}.>")],
            max_messages_per_subject: HISTORY,
            max_age: records_ttl,
            storage: stream::StorageType::File,
            allow_rollup: true,
            deny_delete: true,
            allow_direct: true,
            discard: stream::DiscardPolicy::New,
            num_replicas: 1,
            ..Default::default()
        })
        .await
        .map_err(ClusterError::declare(OPERATIONS_BUCKET))?;
    jetstream
        .get_key_value(OPERATIONS_BUCKET)
        .await
        .map_err(ClusterError::declare(OPERATIONS_BUCKET))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_the_ids_of_well_formed_names_only() {
        assert_eq!(key_of("operations/00ab-c_d"), Some("00ab-c_d"));
        assert_eq!(key_of("operations/"), None);
        assert_eq!(key_of("operations/a.b"), None);
        assert_eq!(key_of("operations/a>"), None);
        assert_eq!(key_of("jobs/abc"), None);
    }

    #[test]
    fn a_job_round_trips() {
        let job = Job {
            name: "operations/abc".into(),
            request: Some(pb::SolveRequest::default()),
        };
        assert_eq!(Job::decode(job.encode_to_vec().as_slice()).ok(), Some(job));
    }
}
