//! An operations store across the server's life: at start, the operations a previous
//! process left queued or running are queued again (their checkpoint kept, so they
//! resume from it); while serving, done operations past their TTL are purged; at the
//! end, the server waits for its running jobs to store how they ended.

use std::sync::{Arc, Weak};
use std::time::Duration;

use super::caller_of;
use super::job::{Admitted, requeue};
use super::record::now_unix_ms;
use super::{OperationError, Operations};
use crate::error::Error;
use crate::server::admission::RETRY_AFTER_MS;
use crate::server::auth::Caller;

/// Fewest and most time between two purges.
const PURGE_EVERY_MIN: Duration = Duration::from_millis(200);
const PURGE_EVERY_MAX: Duration = Duration::from_secs(60);

impl Operations {
    /// Queues again every operation a previous process left unfinished (ending CANCELLED
    /// those whose cancel was asked for), oldest first, and starts purging expired ones.
    pub async fn resume(self: &Arc<Self>) -> Result<usize, OperationError> {
        let ttl_ms = self.ttl.as_millis().min(i64::MAX as u128) as i64;
        let unfinished = self
            .with_store(move |store| {
                let unfinished = store.page("", usize::MAX, |record| !record.done())?;
                let mut resumed = Vec::new();
                for record in unfinished {
                    let name = record.name().to_string();
                    if let Some(record) = store.update(&name, |r| requeue(r, ttl_ms))?
                        && !record.done()
                    {
                        resumed.push((name, record.owner.clone()));
                    }
                }
                Ok(resumed)
            })
            .await?;
        self.solving.metrics.operations_resumed(unfinished.len());
        for (name, owner) in &unfinished {
            tracing::info!(name, "resuming an operation left unfinished");
            self.spawn(name.clone(), self.admit_until_free(caller_of(owner)));
        }
        self.spawn_purge();
        Ok(unfinished.len())
    }

    /// A solver for a resumed job: it never gives up on a full queue or a busy key (the
    /// job was accepted once), it retries after the usual delay.
    fn admit_until_free(self: &Arc<Self>, caller: Caller) -> Admitted {
        let admission = self.solving.admission.clone();
        Admitted::Waiting(Box::pin(async move {
            loop {
                match admission.admit_charged(&caller, None).await {
                    Err(Error::Busy { .. } | Error::KeyBusy { .. }) => {
                        tokio::time::sleep(Duration::from_millis(RETRY_AFTER_MS)).await;
                    }
                    admitted => return admitted,
                }
            }
        }))
    }

    /// Purges expired operations now and then, while the operations live.
    fn spawn_purge(self: &Arc<Self>) {
        let every = (self.ttl / 4).clamp(PURGE_EVERY_MIN, PURGE_EVERY_MAX);
        let operations: Weak<Operations> = Arc::downgrade(self);
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(every).await;
                let Some(operations) = operations.upgrade() else {
                    return;
                };
                let purged = operations
                    .with_store(|store| store.purge(now_unix_ms()))
                    .await;
                match purged {
                    Ok(0) => {}
                    Ok(purged) => tracing::info!(purged, "expired operations deleted"),
                    Err(error) => tracing::error!(%error, "purging expired operations"),
                }
            }
        });
    }

    /// Waits up to `patience` for the running jobs to store how they ended; no job
    /// starts after this begins.
    pub async fn drain(&self, patience: Duration) {
        if let Ok(mut tracker) = self.tracker.lock() {
            tracker.take();
        }
        let mut drained = self.drained.lock().await;
        if tokio::time::timeout(patience, drained.recv())
            .await
            .is_err()
        {
            tracing::warn!("operations still running at exit; the next start resumes them");
        }
    }
}
