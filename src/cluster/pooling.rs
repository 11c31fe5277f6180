//! The part of the layout that fans a pooling report's coalitions out over the workers:
//! a second work-queue stream of coalition tasks, pulled by every worker through its
//! own durable consumer (a worker asks it before the jobs' queue, so coalitions of a
//! report under way go before new jobs), and a stream keeping, per job, the request the
//! coalitions belong to and the plans solved so far. The messages themselves (a
//! coalition and its plan) are the worker's: here they are bytes under a subject.
//!
//! Publishing is idempotent within the duplicate window (the message ids name the job
//! and the coalition), and the job's owner keys what it gathers by coalition, so a task
//! redelivered, published twice or solved twice changes nothing.

use std::time::Duration;

use async_nats::jetstream::{consumer, stream};
use prost::Message;

use super::{Cluster, ClusterError, Redelivery};
use crate::pb;

/// The work-queue stream of coalition tasks.
pub const COALITIONS_STREAM: &str = "TOURNEE_COALITIONS";
/// The subject coalition tasks are published on.
pub const COALITIONS_SUBJECT: &str = "tournee.coalitions";
/// The durable pull consumer every worker pulls coalition tasks from.
pub const COALITION_WORKERS: &str = "tournee-coalition-workers";
/// The stream of the requests whose coalitions are out and of their solved plans.
pub const POOLING_STREAM: &str = "TOURNEE_POOLING";
/// How long a duplicate publish is recognised.
const DUPLICATE_WINDOW: Duration = Duration::from_secs(120);
/// How long a results consumer outlives its last pull (its owner died, say).
const RESULTS_INACTIVE: Duration = Duration::from_secs(300);

/// The subject holding the request of the job with bucket key `key`.
fn request_subject(key: &str) -> String {
    format!("tournee.pooling.request.{key}")
}

/// The subject of the coalition plans of the job with bucket key `key`.
pub fn results_subject(key: &str) -> String {
    format!("tournee.pooling.result.{key}")
}

/// Declares the two streams; `ttl` bounds how long a job's request and plans stay
/// when its owner could not clear them.
pub(super) async fn declare(
    jetstream: &async_nats::jetstream::Context,
    ttl: Duration,
) -> Result<(), ClusterError> {
    jetstream
        .get_or_create_stream(stream::Config {
            name: COALITIONS_STREAM.to_string(),
            subjects: vec![COALITIONS_SUBJECT.to_string()],
            retention: stream::RetentionPolicy::WorkQueue,
            storage: stream::StorageType::File,
            duplicate_window: DUPLICATE_WINDOW,
            ..Default::default()
        })
        .await
        .map_err(ClusterError::declare(COALITIONS_STREAM))?;
    jetstream
        .get_or_create_stream(stream::Config {
            name: POOLING_STREAM.to_string(),
            subjects: vec!["tournee.pooling.>".to_string()],
            storage: stream::StorageType::File,
            duplicate_window: DUPLICATE_WINDOW,
            max_age: ttl,
            ..Default::default()
        })
        .await
        .map_err(ClusterError::declare(POOLING_STREAM))?;
    Ok(())
}

impl Cluster {
    /// The workers' durable consumer of coalition tasks, created with `redelivery` if
    /// missing (like the jobs' one: a task given up after `max_tries`).
    pub async fn coalition_workers(
        &self,
        redelivery: Redelivery,
    ) -> Result<consumer::PullConsumer, ClusterError> {
        let stream = self
            .jetstream
            .get_stream(COALITIONS_STREAM)
            .await
            .map_err(ClusterError::declare(COALITIONS_STREAM))?;
        stream
            .get_or_create_consumer(
                COALITION_WORKERS,
                consumer::pull::Config {
                    durable_name: Some(COALITION_WORKERS.to_string()),
                    ack_policy: consumer::AckPolicy::Explicit,
                    ack_wait: redelivery.ack_wait,
                    max_deliver: i64::from(redelivery.max_tries) + 1,
                    ..Default::default()
                },
            )
            .await
            .map_err(ClusterError::declare(COALITION_WORKERS))
    }

    /// Keeps the request of the job `key` for the workers that solve its coalitions.
    pub async fn publish_pooling_request(
        &self,
        key: &str,
        request: &pb::SolveRequest,
    ) -> Result<(), ClusterError> {
        let id = format!("request.{key}");
        self.publish_once(request_subject(key), &id, request.encode_to_vec())
            .await
    }

    /// The request of the job `key`, if it is kept.
    pub async fn pooling_request(
        &self,
        key: &str,
    ) -> Result<Option<pb::SolveRequest>, ClusterError> {
        let stream = self
            .jetstream
            .get_stream(POOLING_STREAM)
            .await
            .map_err(ClusterError::records)?;
        match stream
            .get_last_raw_message_by_subject(&request_subject(key))
            .await
        {
            Ok(message) => pb::SolveRequest::decode(message.payload.as_ref())
                .map(Some)
                .map_err(ClusterError::records),
            Err(error) if error.kind() == stream::LastRawMessageErrorKind::NoMessageFound => {
                Ok(None)
            }
            Err(error) => Err(ClusterError::records(error)),
        }
    }

    /// Publishes the task of coalition `mask` of the job `key`.
    pub async fn publish_coalition(
        &self,
        key: &str,
        mask: u64,
        task: Vec<u8>,
    ) -> Result<(), ClusterError> {
        let id = format!("{key}.{mask}");
        self.publish_once(COALITIONS_SUBJECT.to_string(), &id, task)
            .await
    }

    /// Publishes the plan (or failure) of coalition `mask` of the job `key`.
    pub async fn publish_coalition_result(
        &self,
        key: &str,
        mask: u64,
        result: Vec<u8>,
    ) -> Result<(), ClusterError> {
        let id = format!("result.{key}.{mask}");
        self.publish_once(results_subject(key), &id, result).await
    }

    /// A new consumer of every plan of the job `key` stored so far and to come.
    pub async fn coalition_results(
        &self,
        key: &str,
    ) -> Result<consumer::PullConsumer, ClusterError> {
        let stream = self
            .jetstream
            .get_stream(POOLING_STREAM)
            .await
            .map_err(ClusterError::declare(POOLING_STREAM))?;
        stream
            .create_consumer(consumer::pull::Config {
                filter_subject: results_subject(key),
                deliver_policy: consumer::DeliverPolicy::All,
                ack_policy: consumer::AckPolicy::None,
                inactive_threshold: RESULTS_INACTIVE,
                ..Default::default()
            })
            .await
            .map_err(|error| ClusterError::Pull(error.to_string()))
    }

    /// Removes the request and plans of the job `key` (its report is written).
    pub async fn forget_pooling(&self, key: &str) -> Result<(), ClusterError> {
        let stream = self
            .jetstream
            .get_stream(POOLING_STREAM)
            .await
            .map_err(ClusterError::records)?;
        for subject in [request_subject(key), results_subject(key)] {
            stream
                .purge()
                .filter(subject)
                .await
                .map_err(ClusterError::records)?;
        }
        Ok(())
    }

    /// Publishes `payload` on `subject` with the message id `id`, and waits until it is
    /// stored (or recognised as a duplicate).
    async fn publish_once(
        &self,
        subject: String,
        id: &str,
        payload: Vec<u8>,
    ) -> Result<(), ClusterError> {
        let mut headers = async_nats::HeaderMap::new();
        headers.insert("Nats-Msg-Id", id);
        let acked = self
            .jetstream
            .publish_with_headers(subject, headers, payload.into())
            .await
            .map_err(ClusterError::publish)?;
        acked.await.map_err(ClusterError::publish)?;
        Ok(())
    }
}
