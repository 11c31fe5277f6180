//! What the operator sees of each call: a request id (the caller's `x-request-id` when
//! it sends a short, plain one, a new one otherwise, always returned in the response
//! metadata), a `call` span with the method, that id and the caller's key name (when the
//! server checks keys; never the key) around all of the call's work, and info events
//! when it starts and ends (sizes, status code, duration, how the search ended). Never
//! coordinates, names, the ids of the request's objects or URLs at info level; an OSRM
//! failure's detail, which callers no longer see, goes out at warn with any URL in it
//! cut out (a URL to OSRM carries the request's coordinates).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use tonic::metadata::{MetadataMap, MetadataValue};
use tonic::{Code, Request, Response, Status};
use tracing::{Span, error, info, info_span, warn};

use super::auth::Caller;
use super::metrics::Metrics;
use crate::api::status::status;
use crate::error::Error;
use crate::pb;
use crate::travel::TravelError;
use crate::travel::osrm::OsrmError;

/// The metadata key of the request id, both ways.
pub const REQUEST_ID: &str = "x-request-id";

/// Longest request id taken from a caller, bytes.
const MAX_REQUEST_ID_BYTES: usize = 64;

/// Calls since the process started: the tail of the ids the server makes up.
static CALLS: AtomicU64 = AtomicU64::new(0);

/// How big a request is, for the logs.
#[derive(Debug, Clone, Copy, Default)]
pub struct Sizes {
    /// Sites (points of a matrix).
    pub sites: usize,
    /// Shipments and jobs.
    pub tasks: usize,
    /// Vehicles.
    pub vehicles: usize,
}

impl Sizes {
    /// A solve request's sizes.
    pub fn of(request: &pb::SolveRequest) -> Sizes {
        Sizes {
            sites: request.sites.len(),
            tasks: request.shipments.len() + request.jobs.len(),
            vehicles: request.vehicles.len(),
        }
    }
}

/// One call being traced.
#[derive(Debug)]
pub struct Call {
    method: &'static str,
    metrics: Arc<Metrics>,
    id: String,
    started: Instant,
    span: Span,
}

impl Call {
    /// Opens the call's span (with the caller's key name, never the key) and logs its
    /// start.
    pub fn begin<T>(
        method: &'static str,
        request: &Request<T>,
        sizes: Sizes,
        metrics: Arc<Metrics>,
    ) -> Call {
        let id = caller_id(request.metadata()).unwrap_or_else(new_id);
        let caller = Caller::of(request);
        let span = info_span!("call", method, request_id = %id, key = caller.key_name());
        span.in_scope(|| {
            info!(
                sites = sizes.sites,
                tasks = sizes.tasks,
                vehicles = sizes.vehicles,
                "call started"
            );
        });
        Call {
            method,
            metrics,
            id,
            started: Instant::now(),
            span,
        }
    }

    /// The call's span, for the work it runs on other threads.
    pub fn span(&self) -> Span {
        self.span.clone()
    }

    /// Logs the call's end and puts its request id in the answer's metadata.
    pub fn end<T>(&self, result: Result<Response<T>, Status>) -> Result<Response<T>, Status> {
        let code = result.as_ref().map_or_else(Status::code, |_| Code::Ok);
        let duration_ms = self.started.elapsed().as_millis() as u64;
        self.span
            .in_scope(|| info!(code = ?code, duration_ms, "call ended"));
        self.metrics.call(self.method, code);
        let value = MetadataValue::try_from(self.id.as_str());
        match (result, value) {
            (Ok(mut response), Ok(value)) => {
                response.metadata_mut().insert(REQUEST_ID, value);
                Ok(response)
            }
            (Err(mut status), Ok(value)) => {
                status.metadata_mut().insert(REQUEST_ID, value);
                Err(status)
            }
            (result, Err(_)) => result,
        }
    }
}

/// Logs how a solve ended (in the call's span; no plan content, only figures) and
/// counts it in `metrics`.
pub fn solved(metrics: &Metrics, response: &pb::SolveResponse) {
    let coalitions = response
        .pooling
        .as_ref()
        .map_or(0, |pooling| u64::from(pooling.coalitions_solved));
    metrics.solve(response.elapsed_ms, response.iterations, coalitions);
    info!(
        stop_reason = ?pb::StopReason::try_from(response.stop_reason).unwrap_or_default(),
        iterations = response.iterations,
        elapsed_ms = response.elapsed_ms,
        tours = response.tours.len(),
        unassigned = response.unassigned.len(),
        "solved"
    );
}

/// The gRPC status of `error`, logging for the operator what the caller is not told.
pub fn failure(error: &Error) -> Status {
    match error {
        Error::Travel(TravelError::Osrm(osrm)) => warn_osrm("operator's", osrm),
        Error::Travel(TravelError::RequestOsrm(osrm)) => warn_osrm("request's", osrm),
        Error::Internal(_) | Error::Solve(_) => error!(error = %error, "internal error"),
        _ => {}
    }
    status(error)
}

/// An OSRM failure at warn level: the endpoint kind, code and message, URLs cut out.
fn warn_osrm(which: &str, error: &OsrmError) {
    match error {
        OsrmError::Unavailable { message, .. } => {
            warn!(server = which, detail = %without_urls(message), "OSRM unavailable");
        }
        OsrmError::Answer { code, message, .. } => {
            warn!(server = which, code = %without_urls(code), detail = %without_urls(message),
                  "OSRM answered with an error");
        }
    }
}

/// `text` with every word that holds a URL replaced by `<url>`, cut to 300 bytes.
fn without_urls(text: &str) -> String {
    let words: Vec<&str> = text
        .split(' ')
        .map(|word| if word.contains("://") { "<url>" } else { word })
        .collect();
    let joined = words.join(" ");
    let mut end = joined.len().min(300);
    while !joined.is_char_boundary(end) {
        end -= 1;
    }
    joined[..end].to_string()
}

/// The caller's request id, when it is short and plain (letters, digits, `-_.:`).
fn caller_id(metadata: &MetadataMap) -> Option<String> {
    let id = metadata.get(REQUEST_ID)?.to_str().ok()?;
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_.:".contains(c);
    (!id.is_empty() && id.len() <= MAX_REQUEST_ID_BYTES && id.chars().all(plain))
        .then(|| id.to_string())
}

/// A new request id: the process id and the call's number.
fn new_id() -> String {
    let call = CALLS.fetch_add(1, Ordering::Relaxed);
    format!("{:x}-{call}", std::process::id())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_plain_caller_ids_and_cuts_urls() {
        let mut metadata = MetadataMap::new();
        assert_eq!(caller_id(&metadata), None);
        metadata.insert(REQUEST_ID, "abc-1".parse().unwrap());
        assert_eq!(caller_id(&metadata).as_deref(), Some("abc-1"));
        metadata.insert(REQUEST_ID, "a b".parse().unwrap());
        assert_eq!(caller_id(&metadata), None);
        assert_eq!(
            without_urls("error for url (http://x/table/v1/driving/9.5,47.1;9.6,47.2) refused"),
            "error for url <url> refused"
        );
    }
}
