//! Periodic checkpoints of a running operation: each parallel search hands over its best
//! plan every `checkpoint_every` (see `solver::Checkpoints`); the best of them is
//! stored in the operation's record, so that a server killed without warning (SIGKILL,
//! power loss) resumes the operation from it rather than from scratch. Called on the
//! search threads: a store write happens only when the plan beats the stored one.

use std::sync::Mutex;

use super::Live;
use super::record::{Checkpoint, now_unix_ms};
use super::store::Store;
use crate::solver::Snapshot;

/// Stores the best snapshot of one run.
pub struct Checkpointer<'a> {
    /// Where the record is.
    pub store: &'a Store,
    /// The operation's name.
    pub name: &'a str,
    /// Where GetOperation reads the iterations.
    pub live: &'a Live,
    /// (tasks left out, objective) of the plan stored last by this run.
    pub stored: Mutex<Option<(usize, i64)>>,
}

impl Checkpointer<'_> {
    /// Counts `snapshot`'s iterations and stores its plan if it is the best so far.
    pub fn take(&self, snapshot: Snapshot) {
        let iterations = match self.live.progress.lock() {
            Ok(mut progress) => {
                let stream = snapshot.stream as usize;
                if progress.iterations.len() <= stream {
                    progress.iterations.resize(stream + 1, 0);
                }
                progress.iterations[stream] = snapshot.iterations;
                progress.iterations.iter().sum()
            }
            Err(_) => snapshot.iterations,
        };
        let score = (snapshot.best_unassigned, snapshot.best_objective);
        let Ok(mut stored) = self.stored.lock() else {
            return;
        };
        if stored.is_some_and(|known| known <= score) {
            return;
        }
        let checkpoint = Checkpoint::from_warm_start(&snapshot.plan);
        let written = self.store.update(self.name, |record| {
            if record.done() {
                return false;
            }
            record.checkpoint = Some(checkpoint);
            let metadata = record.metadata_mut();
            metadata.iterations = iterations;
            metadata.checkpoint_time_unix_ms = now_unix_ms();
            true
        });
        match written {
            Ok(_) => *stored = Some(score),
            Err(error) => tracing::warn!(%error, name = self.name, "cannot store a checkpoint"),
        }
    }
}
