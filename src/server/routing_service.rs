//! `tournee.v1.Routing`: each RPC decodes, runs [`crate::pipeline`] off the async
//! runtime, and encodes. Each call first gets a solver from [`Admission`] (or waits,
//! or is refused), as its caller (the key checked in `auth.rs`, in the request's
//! extensions); a client that goes away, or the server's stop after its grace period,
//! cancels its solve, which then ends with its best plan.

use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use tokio::sync::mpsc;
use tokio_stream::Stream;
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Request, Response, Status};

use super::admission::Admission;
use super::auth::Caller;
use super::deadline::client_deadline;
use super::metrics::Metrics;
use super::stop::{StopReceiver, Watching};
use tracing::Instrument;

use super::observe::{self, Call, Sizes, failure};
use super::operations::{OperationsApi, owner_of};
use crate::api::encode;
use crate::budget::Budget;
use crate::domain::Problem;
use crate::error::Error;
use crate::pb;
use crate::pipeline;
use crate::solver::Progress;
use crate::travel::TravelConfig;
use crate::validate;

/// The routing service: every request carries its whole problem; the service holds
/// where road data is when a request does not say, what a request may ask for, the
/// solvers every call shares, and the server-wide stop.
#[derive(Debug, Clone)]
pub struct RoutingService {
    /// The server's default travel sources (`serve --osm`, `--osrm-url`).
    pub travel: Arc<TravelConfig>,
    /// What a request may ask for (`serve --max-…`).
    pub policy: Arc<validate::Policy>,
    /// The solvers and their queue (`serve --max-concurrent-solves`, `--max-queue`).
    pub admission: Arc<Admission>,
    /// Raised a grace period after shutdown begins: running solves end with their best.
    pub stop: StopReceiver,
    /// What `/metrics` shows (`serve --metrics-addr`).
    pub metrics: Arc<Metrics>,
    /// The long-running operations (SubmitSolve and the calls on an operation).
    pub operations: Arc<dyn OperationsApi>,
    /// The bound on request bytes held at once (`--max-request-bytes-in-flight`), which
    /// the gRPC listener applies in front of this service and the HTTP door in its own.
    pub request_bytes: Arc<super::RequestBytes>,
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
        let call = Call::begin(
            "Solve",
            &request,
            Sizes::of(request.get_ref()),
            self.metrics.clone(),
        );
        let answer = self
            .solve_call(request, &call)
            .instrument(call.span())
            .await;
        call.end(answer)
    }

    type SolveStreamStream = EventStream;

    async fn solve_stream(
        &self,
        request: Request<pb::SolveRequest>,
    ) -> Result<Response<EventStream>, Status> {
        let call = Call::begin(
            "SolveStream",
            &request,
            Sizes::of(request.get_ref()),
            self.metrics.clone(),
        );
        let answer = self
            .stream_call(request, &call)
            .instrument(call.span())
            .await;
        call.end(answer)
    }

    async fn compute_matrix(
        &self,
        request: Request<pb::ComputeMatrixRequest>,
    ) -> Result<Response<pb::ComputeMatrixResponse>, Status> {
        let sizes = Sizes {
            sites: request.get_ref().points.len(),
            ..Sizes::default()
        };
        let call = Call::begin("ComputeMatrix", &request, sizes, self.metrics.clone());
        let answer = self
            .matrix_call(request, &call)
            .instrument(call.span())
            .await;
        call.end(answer)
    }

    async fn submit_solve(
        &self,
        request: Request<pb::SolveRequest>,
    ) -> Result<Response<pb::Operation>, Status> {
        let sizes = Sizes::of(request.get_ref());
        let call = Call::begin("SubmitSolve", &request, sizes, self.metrics.clone());
        let owner = owner_of(&request);
        let answer = self.operations.submit(owner, request.into_inner());
        call.end(answer.instrument(call.span()).await.map(Response::new))
    }

    async fn submit_batch(
        &self,
        request: Request<pb::SubmitBatchRequest>,
    ) -> Result<Response<pb::Operation>, Status> {
        let call = Call::begin(
            "SubmitBatch",
            &request,
            Sizes::default(),
            self.metrics.clone(),
        );
        let owner = owner_of(&request);
        let answer = self.operations.submit_batch(owner, request.into_inner());
        call.end(answer.instrument(call.span()).await.map(Response::new))
    }

    async fn get_operation(
        &self,
        request: Request<pb::GetOperationRequest>,
    ) -> Result<Response<pb::Operation>, Status> {
        let call = self.operation_call("GetOperation", &request);
        let (owner, name) = (owner_of(&request), request.into_inner().name);
        let answer = self
            .operations
            .get(owner, name)
            .instrument(call.span())
            .await;
        call.end(answer.map(Response::new).map_err(|error| error.status()))
    }

    async fn wait_operation(
        &self,
        request: Request<pb::WaitOperationRequest>,
    ) -> Result<Response<pb::Operation>, Status> {
        let call = self.operation_call("WaitOperation", &request);
        let deadline = client_deadline(request.metadata(), Instant::now());
        let owner = owner_of(&request);
        let answer = self.operations.wait(owner, request.into_inner(), deadline);
        let answer = answer.instrument(call.span()).await;
        call.end(answer.map(Response::new).map_err(|error| error.status()))
    }

    async fn cancel_operation(
        &self,
        request: Request<pb::CancelOperationRequest>,
    ) -> Result<Response<pb::Operation>, Status> {
        let call = self.operation_call("CancelOperation", &request);
        let (owner, name) = (owner_of(&request), request.into_inner().name);
        let answer = self
            .operations
            .cancel(owner, name)
            .instrument(call.span())
            .await;
        call.end(answer.map(Response::new).map_err(|error| error.status()))
    }

    async fn list_operations(
        &self,
        request: Request<pb::ListOperationsRequest>,
    ) -> Result<Response<pb::ListOperationsResponse>, Status> {
        let call = self.operation_call("ListOperations", &request);
        let owner = owner_of(&request);
        let answer = self.operations.list(owner, request.into_inner());
        let answer = answer.instrument(call.span()).await;
        call.end(answer.map(Response::new).map_err(|error| error.status()))
    }

    async fn plan_dfc(
        &self,
        request: Request<pb::DfcPlanRequest>,
    ) -> Result<Response<pb::DfcPlanResponse>, Status> {
        self.plan_dfc_call(request).await
    }

    async fn delete_operation(
        &self,
        request: Request<pb::DeleteOperationRequest>,
    ) -> Result<Response<pb::DeleteOperationResponse>, Status> {
        let call = self.operation_call("DeleteOperation", &request);
        let (owner, name) = (owner_of(&request), request.into_inner().name);
        let answer = self
            .operations
            .delete(owner, name)
            .instrument(call.span())
            .await;
        let answer = answer.map(|()| Response::new(pb::DeleteOperationResponse {}));
        call.end(answer.map_err(|error| error.status()))
    }
}

impl RoutingService {
    /// The logged call of an RPC on one operation (no problem sizes to log).
    fn operation_call<T>(&self, method: &'static str, request: &Request<T>) -> Call {
        let metrics = self.metrics.clone();
        Call::begin(method, request, Sizes::default(), metrics)
    }

    async fn solve_call(
        &self,
        request: Request<pb::SolveRequest>,
        call: &Call,
    ) -> Result<Response<pb::SolveResponse>, Status> {
        let answer = self.solve_then(request, call, |_, response| response);
        answer.await.map(Response::new)
    }

    /// Solves like `Solve` (admission, deadline, cancellation when the caller goes away
    /// or the server stops), then answers with `answer` of the solved request and its
    /// response: the HTTP doors that speak another format (VROOM's) share this path.
    pub(crate) async fn solve_then<T: Send + 'static>(
        &self,
        request: Request<pb::SolveRequest>,
        call: &Call,
        answer: impl FnOnce(pipeline::Solved, pb::SolveResponse) -> T + Send + 'static,
    ) -> Result<T, Status> {
        let deadline = client_deadline(request.metadata(), Instant::now());
        let caller = Caller::of(&request);
        let request = request.into_inner();
        let permit = self
            .admission
            .admit(&caller, deadline)
            .await
            .map_err(|e| failure(&e))?;
        let cancelled = Arc::new(AtomicBool::new(false));
        let _guard = CancelOnDrop(cancelled.clone());
        let watching = self.stop.cancel_on_stop(cancelled.clone());
        let (travel, policy, span) = (self.travel.clone(), self.policy.clone(), call.span());
        let metrics = self.metrics.clone();
        let solved = tokio::task::spawn_blocking(move || {
            let (_permit, _watching, _entered) = (permit, watching, span.enter());
            let budget = Budget::new(&cancelled).with_client_deadline(deadline);
            pipeline::solve_within(&request, &budget, &|_| {}, &travel, &policy).map(|solved| {
                let response = encode::response(&solved);
                observe::solved(&metrics, &response);
                answer(solved, response)
            })
        })
        .await
        .map_err(|error| failure(&Error::Internal(error.to_string())))?;
        solved.map_err(|error| failure(&error))
    }

    async fn stream_call(
        &self,
        request: Request<pb::SolveRequest>,
        call: &Call,
    ) -> Result<Response<EventStream>, Status> {
        let deadline = client_deadline(request.metadata(), Instant::now());
        let caller = Caller::of(&request);
        // Validate first, so a bad request fails the call itself rather than the stream.
        let problem = validate::problem_within(&request.into_inner(), &self.policy)
            .map_err(|violations| failure(&Error::Validation(violations)))?;
        let permit = self
            .admission
            .admit(&caller, deadline)
            .await
            .map_err(|e| failure(&e))?;
        let (sender, receiver) = mpsc::channel::<Result<pb::SolveEvent, Status>>(64);
        let cancelled = Arc::new(AtomicBool::new(false));
        // A reader that goes away cancels the solve at once, not at its next progress.
        let closed = sender.clone();
        let watching = (
            Watching::cancel_when(async move { closed.closed().await }, cancelled.clone()),
            self.stop.cancel_on_stop(cancelled.clone()),
        );
        let (travel, span, metrics) = (self.travel.clone(), call.span(), self.metrics.clone());
        tokio::task::spawn_blocking(move || {
            let (_permit, _watching, _entered) = (permit, watching, span.enter());
            let ending = Ending {
                sender: &sender,
                cancelled: &cancelled,
                metrics: &metrics,
            };
            stream_solve(problem, deadline, &travel, &ending);
        });
        Ok(Response::new(Box::pin(ReceiverStream::new(receiver))))
    }

    async fn matrix_call(
        &self,
        request: Request<pb::ComputeMatrixRequest>,
        call: &Call,
    ) -> Result<Response<pb::ComputeMatrixResponse>, Status> {
        let deadline = client_deadline(request.metadata(), Instant::now());
        let caller = Caller::of(&request);
        let request = request.into_inner();
        let permit = self
            .admission
            .admit(&caller, deadline)
            .await
            .map_err(|e| failure(&e))?;
        let (travel, policy, span) = (self.travel.clone(), self.policy.clone(), call.span());
        let response = tokio::task::spawn_blocking(move || {
            let (_permit, _entered) = (permit, span.enter());
            pipeline::compute_matrix_within(&request, &travel, &policy)
                .map(|computed| encode::matrix(&request, &computed))
        })
        .await
        .map_err(|error| failure(&Error::Internal(error.to_string())))?;
        response.map(Response::new).map_err(|error| failure(&error))
    }
}

/// Where a streamed solve's events go, what stops it, where it is counted.
struct Ending<'a> {
    sender: &'a mpsc::Sender<Result<pb::SolveEvent, Status>>,
    cancelled: &'a AtomicBool,
    metrics: &'a Metrics,
}

/// Solves `problem` and sends its progress, then its answer, to `sender`; stops when the
/// reader goes away. Blocking: run it off the async runtime.
fn stream_solve(
    problem: Problem,
    deadline: Option<Instant>,
    travel: &TravelConfig,
    ending: &Ending,
) {
    let Ending {
        sender,
        cancelled,
        metrics,
    } = *ending;
    let objective = problem.options.objective;
    // A slow reader misses intermediate progress, never the last one: the event that
    // did not fit waits here and goes out before the final answer.
    let undelivered = Mutex::new(None);
    let on_progress = |progress: Progress| {
        if sender.is_closed() {
            cancelled.store(true, Ordering::Relaxed);
        }
        let event = pb::SolveEvent {
            event: Some(pb::solve_event::Event::Progress(encode::progress(
                objective, progress,
            ))),
        };
        let missed = match sender.try_send(Ok(event)) {
            Err(mpsc::error::TrySendError::Full(event)) => Some(event),
            _ => None,
        };
        if let Ok(mut undelivered) = undelivered.lock() {
            *undelivered = missed;
        }
    };
    let budget = Budget::new(cancelled).with_client_deadline(deadline);
    // A panic must not end the stream with status OK and no answer: it becomes the
    // stream's last event, as an internal error.
    let solved = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        pipeline::solve_problem(problem, &budget, &on_progress, travel)
            .map(|solved| encode::response(&solved))
            .inspect(|response| observe::solved(metrics, response))
    }))
    .unwrap_or_else(|_| Err(Error::Internal("the solve panicked".to_string())));
    let last = match solved {
        Ok(response) => Ok(pb::SolveEvent {
            event: Some(pb::solve_event::Event::Solution(response)),
        }),
        Err(error) => Err(failure(&error)),
    };
    if let Some(progress) = undelivered.into_inner().ok().flatten() {
        let _ = sender.blocking_send(progress);
    }
    let _ = sender.blocking_send(last);
}
