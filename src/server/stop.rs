//! The server-wide "stop soon": when the server shuts down, the solves still running get
//! a grace period, then their cancellation flags are set, so each ends with its best
//! plan so far (stop reason CANCELLED) and its caller gets an answer before the process
//! exits. Solves that start after that moment stop at once, with their first plan.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Raises the server-wide stop, once.
#[derive(Debug)]
pub struct StopSender(watch::Sender<bool>);

/// What each call watches for the server-wide stop.
#[derive(Debug, Clone)]
pub struct StopReceiver(watch::Receiver<bool>);

/// A new, lowered stop.
pub fn stop_channel() -> (StopSender, StopReceiver) {
    let (sender, receiver) = watch::channel(false);
    (StopSender(sender), StopReceiver(receiver))
}

impl StopSender {
    /// Raises the stop after `grace` (on a task of its own, so the caller goes on).
    pub fn raise_after(self, grace: Duration) {
        tokio::spawn(async move {
            tokio::time::sleep(grace).await;
            let _ = self.0.send(true);
        });
    }
}

/// Stops watching when dropped (when the call's work ends).
pub struct Watching(JoinHandle<()>);

impl Watching {
    /// Sets `cancelled` when `done` completes, until the guard is dropped.
    pub fn cancel_when(
        done: impl std::future::Future<Output = ()> + Send + 'static,
        cancelled: Arc<AtomicBool>,
    ) -> Watching {
        Watching(tokio::spawn(async move {
            done.await;
            cancelled.store(true, Ordering::Relaxed);
        }))
    }
}

impl Drop for Watching {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl StopReceiver {
    /// Whether the stop is raised (a queued long-running operation then stays queued
    /// for the next start instead of starting a run that would stop at once).
    pub fn is_raised(&self) -> bool {
        *self.0.borrow()
    }

    /// Sets `cancelled` when the stop is raised (at once when it already is), until the
    /// returned guard is dropped.
    pub fn cancel_on_stop(&self, cancelled: Arc<AtomicBool>) -> Watching {
        let mut receiver = self.0.clone();
        let raised = async move {
            if receiver.wait_for(|stop| *stop).await.is_err() {
                // The server ended without a stop: never cancel.
                std::future::pending::<()>().await;
            }
        };
        Watching::cancel_when(raised, cancelled)
    }
}
