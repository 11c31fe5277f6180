//! `tournee.v1.Routing`: each RPC decodes, runs [`crate::pipeline`] off the async
//! runtime, and encodes. A client that goes away cancels its solve.

use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use tokio::sync::mpsc;
use tokio_stream::Stream;
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Request, Response, Status};

use super::deadline::client_deadline;
use crate::api::{pb, status::status};
use crate::error::Error;
use crate::pipeline::{self, Hooks};

/// The routing service: every request carries its whole problem; the service holds
/// only where road data is when a request does not say.
#[derive(Debug, Default, Clone)]
pub struct RoutingService {
    /// The server's default travel sources (`serve --osm`, `--osrm-url`).
    pub travel: Arc<crate::travel::TravelConfig>,
}

/// Sets the flag when dropped: tonic drops a handler whose client went away.
struct CancelOnDrop(Arc<AtomicBool>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

type EventStream = Pin<Box<dyn Stream<Item = Result<pb::SolveEvent, Status>> + Send>>;

#[tonic::async_trait]
impl pb::routing_server::Routing for RoutingService {
    async fn solve(
        &self,
        request: Request<pb::SolveRequest>,
    ) -> Result<Response<pb::SolveResponse>, Status> {
        let deadline = client_deadline(request.metadata(), Instant::now());
        let request = request.into_inner();
        let cancelled = Arc::new(AtomicBool::new(false));
        let _guard = CancelOnDrop(cancelled.clone());
        let travel = self.travel.clone();
        let solved = tokio::task::spawn_blocking(move || {
            let hooks = Hooks {
                client_deadline: deadline,
                cancelled: &cancelled,
                on_progress: &|_| {},
            };
            pipeline::solve_with(&request, &hooks, &travel).map(|solved| solved.response())
        })
        .await
        .map_err(|error| status(&Error::Internal(error.to_string())))?;
        solved.map(Response::new).map_err(|error| status(&error))
    }

    type SolveStreamStream = EventStream;

    async fn solve_stream(
        &self,
        request: Request<pb::SolveRequest>,
    ) -> Result<Response<EventStream>, Status> {
        let deadline = client_deadline(request.metadata(), Instant::now());
        let request = request.into_inner();
        // Validate first, so a bad request fails the call itself rather than the stream.
        crate::validate::problem(&request)
            .map_err(|violations| status(&Error::Validation(violations)))?;
        let (sender, receiver) = mpsc::channel::<Result<pb::SolveEvent, Status>>(64);
        let travel = self.travel.clone();
        tokio::task::spawn_blocking(move || {
            let cancelled = AtomicBool::new(false);
            // A slow reader misses intermediate progress, never the last one: the event
            // that did not fit waits here and goes out before the final answer.
            let undelivered = Mutex::new(None);
            let on_progress = |progress: pb::Progress| {
                if sender.is_closed() {
                    cancelled.store(true, Ordering::Relaxed);
                }
                let event = pb::SolveEvent {
                    event: Some(pb::solve_event::Event::Progress(progress)),
                };
                let missed = match sender.try_send(Ok(event)) {
                    Err(mpsc::error::TrySendError::Full(event)) => Some(event),
                    _ => None,
                };
                if let Ok(mut undelivered) = undelivered.lock() {
                    *undelivered = missed;
                }
            };
            let hooks = Hooks {
                client_deadline: deadline,
                cancelled: &cancelled,
                on_progress: &on_progress,
            };
            let last = match pipeline::solve_with(&request, &hooks, &travel) {
                Ok(solved) => Ok(pb::SolveEvent {
                    event: Some(pb::solve_event::Event::Solution(solved.response())),
                }),
                Err(error) => Err(status(&error)),
            };
            if let Some(progress) = undelivered.into_inner().ok().flatten() {
                let _ = sender.blocking_send(progress);
            }
            let _ = sender.blocking_send(last);
        });
        Ok(Response::new(Box::pin(ReceiverStream::new(receiver))))
    }

    async fn compute_matrix(
        &self,
        request: Request<pb::ComputeMatrixRequest>,
    ) -> Result<Response<pb::ComputeMatrixResponse>, Status> {
        let request = request.into_inner();
        let travel = self.travel.clone();
        let response =
            tokio::task::spawn_blocking(move || pipeline::compute_matrix(&request, &travel))
                .await
                .map_err(|error| status(&Error::Internal(error.to_string())))?;
        response.map(Response::new).map_err(|error| status(&error))
    }
}
