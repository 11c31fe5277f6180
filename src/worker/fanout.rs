//! The owner's side of a pooling report fanned out: `pooling` hands it one layer of
//! coalitions of one size at a time (each carrying the plans of its smaller splits, so
//! its warm start is the one the embedded report would use); it keeps the job's
//! request beside the plans for the other workers, publishes the layer's tasks and
//! gathers their plans. While it waits it pulls coalition tasks itself, its own first
//! among equals, so a job never waits on workers that are all busy waiting: the cluster
//! makes progress as long as one worker lives. A coalition no worker could solve
//! (given up after its tries) is solved here; if NATS fails, the layer is solved here
//! too: the report never depends on the cluster answering.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use async_nats::jetstream::consumer::PullConsumer;
use tokio_stream::StreamExt;

use super::coalition::{Outcome, Pool, Task};
use crate::budget::Budget;
use crate::cluster::{ClusterError, key_of};
use crate::pb;
use crate::pooling::{Coalition, Coalitions, Local, Plan, Whole};
use crate::solver::SolveError;

/// How long the owner waits for plans before looking for a task to solve again.
const RESULTS_WAIT: Duration = Duration::from_millis(200);
/// Plans read at most per pull.
const RESULTS_BATCH: usize = 512;

/// Fans the coalitions of one job out over the cluster's workers.
pub struct Fanout {
    pool: Pool,
    runtime: tokio::runtime::Handle,
    job: String,
    key: String,
    request: pb::SolveRequest,
    state: Mutex<Gathered>,
}

/// What the owner has gathered so far.
#[derive(Default)]
struct Gathered {
    request_kept: bool,
    results: Option<PullConsumer>,
    outcomes: HashMap<u64, Outcome>,
}

impl Fanout {
    /// The fan-out of the job `job` (an operation name) solving `request`; `None` for a
    /// name that makes no bucket key. Runs its waits on `runtime`.
    pub fn new(
        pool: Pool,
        runtime: tokio::runtime::Handle,
        job: &str,
        request: pb::SolveRequest,
    ) -> Option<Fanout> {
        let key = key_of(job)?.to_string();
        Some(Fanout {
            pool,
            runtime,
            job: job.to_string(),
            key,
            request,
            state: Mutex::default(),
        })
    }

    /// Publishes the layer's tasks (and the request, once), then gathers their plans.
    async fn gather(
        &self,
        whole: &Whole<'_>,
        layer: &[Coalition],
        budget: &Budget<'_>,
    ) -> Result<Vec<Option<Outcome>>, ClusterError> {
        let mut gathered = std::mem::take(&mut *self.lock());
        let result = self
            .publish_and_wait(&mut gathered, whole, layer, budget)
            .await;
        let outcomes = layer
            .iter()
            .map(|coalition| gathered.outcomes.get(&coalition.mask).cloned())
            .collect();
        *self.lock() = gathered;
        result.map(|()| outcomes)
    }

    async fn publish_and_wait(
        &self,
        gathered: &mut Gathered,
        whole: &Whole<'_>,
        layer: &[Coalition],
        budget: &Budget<'_>,
    ) -> Result<(), ClusterError> {
        let cluster = &self.pool.cluster;
        if !gathered.request_kept {
            cluster
                .publish_pooling_request(&self.key, &self.request)
                .await?;
            gathered.request_kept = true;
        }
        for coalition in layer
            .iter()
            .filter(|c| !gathered.outcomes.contains_key(&c.mask))
        {
            let task = Task {
                job: self.job.clone(),
                coalition: coalition.clone(),
            };
            let bytes = serde_json::to_vec(&task).map_err(ClusterError::publish)?;
            cluster
                .publish_coalition(&self.key, coalition.mask, bytes)
                .await?;
        }
        tracing::info!(
            job = self.job,
            members = layer.first().map_or(0, |c| c.mask.count_ones()),
            coalitions = layer.len(),
            "a layer of coalitions fanned out"
        );
        let results = match gathered.results.take() {
            Some(results) => results,
            None => cluster.coalition_results(&self.key).await?,
        };
        let waited = self.wait(gathered, &results, whole, layer, budget).await;
        gathered.results = Some(results);
        waited
    }

    /// Reads plans into `gathered` until every coalition of `layer` has one or the
    /// budget ends, solving coalition tasks (any job's) whenever no plan is waiting.
    async fn wait(
        &self,
        gathered: &mut Gathered,
        results: &PullConsumer,
        whole: &Whole<'_>,
        layer: &[Coalition],
        budget: &Budget<'_>,
    ) -> Result<(), ClusterError> {
        let mut patient = false;
        loop {
            let wait = patient.then_some(RESULTS_WAIT);
            let read = read_outcomes(results, wait, &mut gathered.outcomes).await?;
            let missing = layer
                .iter()
                .filter(|c| !gathered.outcomes.contains_key(&c.mask))
                .count();
            if missing == 0 || budget.is_over() {
                return Ok(());
            }
            if read > 0 {
                patient = false;
                continue;
            }
            let tasks = self.pool.next_tasks(None).await?;
            patient = tasks.is_empty();
            if !patient {
                self.pool.handle(tasks, Some((&self.job, whole))).await;
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Gathered> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Removes the job's request and plans from NATS (its report is written or it
    /// ended); best effort, the stream's age limit removes what stays.
    pub async fn forget(&self) {
        let kept = self.lock().request_kept;
        if kept && let Err(error) = self.pool.cluster.forget_pooling(&self.key).await {
            tracing::warn!(%error, job = self.job, "cannot remove the job's coalition plans");
        }
    }
}

/// Reads the plans waiting (up to `wait` for the first) into `outcomes`, the first
/// plan of each coalition kept; how many were read.
async fn read_outcomes(
    results: &PullConsumer,
    wait: Option<Duration>,
    outcomes: &mut HashMap<u64, Outcome>,
) -> Result<usize, ClusterError> {
    let pulled = match wait {
        Some(wait) => {
            let batch = results.batch().max_messages(RESULTS_BATCH).expires(wait);
            batch.messages().await
        }
        None => results.fetch().max_messages(RESULTS_BATCH).messages().await,
    };
    let mut messages = pulled.map_err(|error| ClusterError::Pull(error.to_string()))?;
    let mut read = 0;
    while let Some(message) = messages.next().await {
        let message = message.map_err(|error| ClusterError::Pull(error.to_string()))?;
        read += 1;
        match serde_json::from_slice::<Outcome>(&message.payload) {
            Ok(outcome) => {
                outcomes.entry(outcome.mask).or_insert(outcome);
            }
            Err(error) => tracing::warn!(%error, "a coalition plan does not decode; ignored"),
        }
    }
    Ok(read)
}

impl Coalitions for Fanout {
    fn solve_layer(
        &self,
        whole: &Whole,
        layer: &[Coalition],
        budget: &Budget,
    ) -> Result<Vec<Option<Plan>>, SolveError> {
        let outcomes = match self.runtime.block_on(self.gather(whole, layer, budget)) {
            Ok(outcomes) => outcomes,
            Err(error) => {
                tracing::warn!(%error, job = self.job, "fanning coalitions out failed; solving them here");
                return Local.solve_layer(whole, layer, budget);
            }
        };
        let mut plans = Vec::with_capacity(layer.len());
        for (coalition, outcome) in layer.iter().zip(outcomes) {
            let plan = match outcome {
                Some(Outcome {
                    plan: Some(plan), ..
                }) => Some(plan),
                // Given up by the workers: solved here, as the embedded report would.
                Some(Outcome { failure, .. }) if !budget.is_over() => {
                    tracing::warn!(
                        job = self.job,
                        mask = coalition.mask,
                        ?failure,
                        "solving a given-up coalition here"
                    );
                    Some(crate::pooling::solve_coalition(whole, coalition, budget)?)
                }
                _ => None,
            };
            plans.push(plan);
        }
        Ok(plans)
    }
}
