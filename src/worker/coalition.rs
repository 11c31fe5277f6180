//! One coalition task's life on a worker (any worker: the job's owner too, while it
//! waits for its layer): read the job's record (done or gone: ack, nothing to solve),
//! give the task up as a failure the owner then solves itself when it was delivered
//! more often than it may be tried, build the job's problem and matrices from the
//! request kept beside the plans (once per job: the last few are cached), solve the
//! coalition exactly as the owner would (`pooling::solve_coalition`), publish its plan
//! under the job's results subject, and only then ack. A redelivered task publishes
//! the same plan again, which the duplicate window or the owner (first plan per
//! coalition) absorbs.

use std::collections::VecDeque;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_nats::jetstream::consumer::PullConsumer;
use async_nats::jetstream::{AckKind, Message};
use rayon::prelude::*;
use tokio_stream::StreamExt;

use crate::budget::Budget;
use crate::cluster::{Cluster, ClusterError, key_of};
use crate::domain::{Problem, TravelMatrix};
use crate::error::Error;
use crate::pooling::{self, Coalition, Plan, Player, Whole};
use crate::server::operations::KvRecords;
use crate::travel::{self, TravelConfig};
use crate::validate::{self, Policy};

/// Jobs whose problem and matrices a worker keeps for their coalition tasks.
const CACHED_JOBS: usize = 4;
/// Delay before a task that could not be handled is delivered again.
const RETRY_DELAY: Duration = Duration::from_secs(1);

/// A coalition task on the wire: the job it belongs to and the coalition.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Task {
    /// The job's operation name.
    pub job: String,
    /// The coalition, with the plans it starts from.
    pub coalition: Coalition,
}

/// A coalition's outcome on the wire: its plan, or why no worker could solve it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Outcome {
    /// The coalition.
    pub mask: u64,
    /// Its plan.
    pub plan: Option<Plan>,
    /// Why it was given up (the owner solves it itself).
    pub failure: Option<String>,
}

/// A delivery admitted for solving.
struct Admitted {
    message: Message,
    tries: i64,
    key: String,
    task: Task,
    /// The job's problem; `None` for the owner's own job.
    context: Option<Arc<JobContext>>,
}

/// A job's problem as its coalitions need it.
pub struct JobContext {
    problem: Problem,
    matrices: Vec<TravelMatrix>,
    players: Vec<Player>,
}

impl JobContext {
    fn whole(&self) -> Whole<'_> {
        Whole {
            problem: &self.problem,
            matrices: &self.matrices,
            players: &self.players,
        }
    }
}

/// The problems of the last jobs met, by operation id, oldest first.
type Contexts = Arc<Mutex<VecDeque<(String, Arc<JobContext>)>>>;

/// What solving coalition tasks needs; shared by a worker's loop and the owner of a
/// job waiting for its layers.
#[derive(Clone)]
pub struct Pool {
    pub(super) cluster: Cluster,
    pub(super) records: KvRecords,
    pub(super) tasks: PullConsumer,
    pub(super) travel: Arc<TravelConfig>,
    pub(super) policy: Arc<Policy>,
    pub(super) max_tries: u32,
    contexts: Contexts,
}

impl Pool {
    /// The pool of a worker.
    pub(super) fn new(
        cluster: Cluster,
        records: KvRecords,
        tasks: PullConsumer,
        (travel, policy): (Arc<TravelConfig>, Arc<Policy>),
        max_tries: u32,
    ) -> Pool {
        Pool {
            cluster,
            records,
            tasks,
            travel,
            policy,
            max_tries,
            contexts: Arc::default(),
        }
    }

    /// The next coalition tasks, as many as this machine solves at once (one per
    /// core), waiting up to `wait` for the first (none: do not wait).
    pub(super) async fn next_tasks(
        &self,
        wait: Option<Duration>,
    ) -> Result<Vec<Message>, ClusterError> {
        let most = rayon::current_num_threads().max(1);
        let pulled = match wait {
            Some(wait) => {
                let batch = self.tasks.batch().max_messages(most).expires(wait);
                batch.messages().await
            }
            None => self.tasks.fetch().max_messages(most).messages().await,
        };
        let mut batch = pulled.map_err(|error| ClusterError::Pull(error.to_string()))?;
        let mut messages = Vec::new();
        while let Some(message) = batch.next().await {
            messages.push(message.map_err(|error| ClusterError::Pull(error.to_string()))?);
        }
        Ok(messages)
    }

    /// Handles deliveries of coalition tasks, solving them in parallel. `own`: the job
    /// a waiting owner holds (its name and problem): its tasks are solved with that
    /// problem, and every task on the owner's own thread (and rayon's).
    pub(super) async fn handle(&self, messages: Vec<Message>, own: Option<(&str, &Whole<'_>)>) {
        let own_job = own.map(|(job, _)| job);
        let mut ready = Vec::new();
        for message in messages {
            if let Some(admitted) = self.admit(message, own_job).await {
                ready.push(admitted);
            }
        }
        if ready.is_empty() {
            return;
        }
        let work: Vec<(Option<Arc<JobContext>>, Coalition)> = ready
            .iter_mut()
            .map(|r| (r.context.take(), r.task.coalition.clone()))
            .collect();
        let solved = match own {
            Some((_, whole)) => solve_all(Some(whole), &work),
            None => self.solve_elsewhere(&ready, work).await,
        };
        for (admitted, solved) in ready.into_iter().zip(solved) {
            self.conclude(admitted, solved).await;
        }
    }

    /// A delivery worth solving, its problem found; `None` when it was dealt with
    /// already (dropped, acked, given up or handed back).
    async fn admit(&self, message: Message, own_job: Option<&str>) -> Option<Admitted> {
        let tries = message.info().map_or(1, |info| info.delivered);
        let task: Task = match serde_json::from_slice(&message.payload) {
            Ok(task) => task,
            Err(error) => {
                tracing::error!(%error, "a coalition task does not decode; dropped");
                return not_admitted(&message, AckKind::Term).await;
            }
        };
        let Some(key) = key_of(&task.job).map(str::to_string) else {
            tracing::error!(
                job = task.job,
                "a coalition task names no operation; dropped"
            );
            return not_admitted(&message, AckKind::Term).await;
        };
        match self.records.get(&task.job).await {
            Ok(Some((record, _))) if !record.done() => {}
            // The job ended (or is gone): nobody waits for this coalition.
            Ok(_) => return not_admitted(&message, AckKind::Ack).await,
            Err(_) => return not_admitted(&message, AckKind::Nak(Some(RETRY_DELAY))).await,
        }
        let mask = task.coalition.mask;
        if tries > i64::from(self.max_tries) {
            let failure = format!("coalition given up after {tries} tries");
            tracing::warn!(job = task.job, mask, failure, "coalition task given up");
            let outcome = Outcome {
                mask,
                plan: None,
                failure: Some(failure),
            };
            self.publish(&message, &key, outcome).await;
            return None;
        }
        let context = if own_job == Some(task.job.as_str()) {
            None
        } else {
            match self.context(&key).await {
                Ok(context) => Some(context),
                Err(error) => {
                    tracing::warn!(%error, job = task.job, "cannot build the job's problem; handing its coalition back");
                    let delay = RETRY_DELAY * u32::try_from(tries).unwrap_or(1);
                    return not_admitted(&message, AckKind::Nak(Some(delay))).await;
                }
            }
        };
        Some(Admitted {
            message,
            tries,
            key,
            task,
            context,
        })
    }

    /// Publishes the plan of `admitted`, or hands it back when its solve failed.
    async fn conclude(&self, admitted: Admitted, solved: Result<Plan, Error>) {
        let Admitted {
            message,
            tries,
            key,
            task,
            ..
        } = admitted;
        let mask = task.coalition.mask;
        match solved {
            Ok(plan) => {
                let outcome = Outcome {
                    mask,
                    plan: Some(plan),
                    failure: None,
                };
                self.publish(&message, &key, outcome).await;
            }
            Err(error) => {
                tracing::warn!(%error, job = task.job, mask, tries, "a coalition failed; tried again");
                let delay = RETRY_DELAY * u32::try_from(tries).unwrap_or(1);
                acknowledge(&message, AckKind::Nak(Some(delay))).await;
            }
        }
    }

    /// Solves `work` on a blocking thread (and rayon's), holding the deliveries of
    /// `ready` with in-progress acks meanwhile.
    async fn solve_elsewhere(
        &self,
        ready: &[Admitted],
        work: Vec<(Option<Arc<JobContext>>, Coalition)>,
    ) -> Vec<Result<Plan, Error>> {
        let count = work.len();
        let mut solving = tokio::task::spawn_blocking(move || solve_all(None, &work));
        let mut progress = tokio::time::interval(Duration::from_secs(2));
        loop {
            tokio::select! {
                joined = &mut solving => {
                    return joined.unwrap_or_else(|error| {
                        (0..count).map(|_| Err(Error::Internal(error.to_string()))).collect()
                    });
                }
                _ = progress.tick() => {
                    for admitted in ready {
                        let _ = admitted.message.ack_with(AckKind::Progress).await;
                    }
                }
            }
        }
    }

    /// The problem of the job `key`: cached, or built from its kept request.
    async fn context(&self, key: &str) -> Result<Arc<JobContext>, Error> {
        if let Some(context) = self.cached(key) {
            return Ok(context);
        }
        let request = self
            .cluster
            .pooling_request(key)
            .await
            .map_err(|error| Error::Internal(error.to_string()))?
            .ok_or_else(|| Error::Internal(format!("no request kept for job {key}")))?;
        let (travel, policy) = (self.travel.clone(), self.policy.clone());
        let built = tokio::task::spawn_blocking(move || -> Result<JobContext, Error> {
            let problem = validate::problem_within(&request, &policy)?;
            let (matrices, _) = travel::matrices(&problem, &travel)?;
            let players = pooling::players(&problem);
            Ok(JobContext {
                problem,
                matrices,
                players,
            })
        })
        .await
        .map_err(|error| Error::Internal(error.to_string()))??;
        tracing::info!(job = key, "solving coalitions of a job");
        let context = Arc::new(built);
        if let Ok(mut contexts) = self.contexts.lock() {
            if contexts.len() == CACHED_JOBS {
                contexts.pop_front();
            }
            contexts.push_back((key.to_string(), context.clone()));
        }
        Ok(context)
    }

    fn cached(&self, key: &str) -> Option<Arc<JobContext>> {
        let contexts = self.contexts.lock().ok()?;
        contexts
            .iter()
            .find(|(job, _)| job == key)
            .map(|(_, context)| context.clone())
    }

    /// Publishes `outcome` for the job `key`, then acks the task (or hands it back).
    async fn publish(&self, message: &Message, key: &str, outcome: Outcome) {
        let published = match serde_json::to_vec(&outcome) {
            Ok(bytes) => {
                self.cluster
                    .publish_coalition_result(key, outcome.mask, bytes)
                    .await
            }
            Err(error) => Err(ClusterError::Publish(error.to_string())),
        };
        match published {
            Ok(()) => acknowledge(message, AckKind::Ack).await,
            Err(error) => {
                tracing::warn!(%error, job = key, "cannot publish a coalition's plan; handing it back");
                acknowledge(message, AckKind::Nak(Some(RETRY_DELAY))).await;
            }
        }
    }
}

/// Solves each coalition of `work` in parallel with its job's problem, or `own`'s
/// when it has none. Blocking.
fn solve_all(
    own: Option<&Whole>,
    work: &[(Option<Arc<JobContext>>, Coalition)],
) -> Vec<Result<Plan, Error>> {
    work.par_iter()
        .map(|(context, coalition)| match (context, own) {
            (Some(context), _) => solve_caught(&context.whole(), coalition),
            (None, Some(whole)) => solve_caught(whole, coalition),
            (None, None) => Err(Error::Internal(
                "a coalition without its problem".to_string(),
            )),
        })
        .collect()
}

/// Solves `coalition` of `whole` to its iteration cap (no deadline: the owner stops
/// waiting at its own); a panic is an error. Blocking.
pub fn solve_caught(whole: &Whole, coalition: &Coalition) -> Result<Plan, Error> {
    let never = AtomicBool::new(false);
    let budget = Budget::new(&never);
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        pooling::solve_coalition(whole, coalition, &budget).map_err(Error::from)
    }))
    .unwrap_or_else(|_| Err(Error::Internal("a coalition solve panicked".to_string())))
}

/// Sends `kind` for a coalition task; a lost acknowledgement only means a redelivery.
async fn acknowledge(message: &Message, kind: AckKind) {
    if let Err(error) = message.ack_with(kind).await {
        tracing::warn!(%error, "cannot acknowledge a coalition task");
    }
}

/// Sends `kind` for a task that is not to be solved here.
async fn not_admitted(message: &Message, kind: AckKind) -> Option<Admitted> {
    acknowledge(message, kind).await;
    None
}
