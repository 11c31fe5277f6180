//! vroom-express's door: `POST /` (and openrouteservice's `POST /optimization`) take
//! VROOM's input JSON and answer VROOM's output JSON ([`crate::vroom`] both ways), so
//! a VROOM user switches by changing a URL. The solve runs on the Routing service's own
//! path (keys, admission, deadline, logging, metrics under the method `Vroom`), with
//! the server's travel source for coordinates (`serve --osm`, `--osrm-url`), each
//! route's geometry when `options.g` asks for it, and a `warnings` entry for each key
//! read past (as `tournee vroom` answers). vroom-express's `options.c` (plan mode, its
//! `-c`) times the vehicles' given `steps` instead of solving (see [`crate::eta`]).
//!
//! Errors are written as vroom-express writes them, `{"code": N, "error": "…"}`, with
//! its codes and HTTP statuses: 2 (input) → 400, 3 (routing) → 500, 1 (internal) → 500,
//! 4 (too large: vroom-express's own size checks, here the server's request limits and
//! the body limit) → 413. What vroom-express never answers (no valid key, a full queue,
//! a deadline passed in the queue) keeps the HTTP status the native API gives it
//! (401, 429 with `Retry-After`, 504) with the code of the closest kind.

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{Value, json};
use tracing::Instrument;

use super::Http;
use super::call::{admit, read_body, with_request_id};
use super::error::ApiError;
use crate::server::{Call, Sizes};
use crate::vroom::ReadVroom;

/// vroom-express's error codes (its `config.vroomErrorCodes`).
mod codes {
    /// An internal error.
    pub const INTERNAL: u8 = 1;
    /// The input is wrong.
    pub const INPUT: u8 = 2;
    /// Routing failed.
    pub const ROUTING: u8 = 3;
    /// The problem is larger than the server takes.
    pub const TOO_LARGE: u8 = 4;
}

/// `POST /` and `POST /optimization`: VROOM input → VROOM output.
pub async fn solve(State(http): State<Http>, headers: HeaderMap, body: Body) -> Response {
    let admitted = match admit(&http.authenticator, &headers) {
        Ok(admitted) => admitted,
        Err(error) => return vroom_error(&error),
    };
    let body = match read_body(&headers, body).await {
        Ok(body) => body,
        Err(error) => return vroom_error(&error),
    };
    let (request, unknown_keys) = match read_input(&body) {
        Ok(read) => (read.request, read.unknown_keys),
        Err(message) => return error_body(StatusCode::BAD_REQUEST, codes::INPUT, &message),
    };
    let (metadata, extensions, ()) = admitted.into_parts();
    let request = tonic::Request::from_parts(metadata, extensions, request);
    let sizes = Sizes::of(request.get_ref());
    let call = Call::begin("Vroom", &request, sizes, http.routing.metrics.clone());
    let answer = http
        .routing
        .solve_then(request, &call, move |solved, _| {
            crate::vroom::with_warnings(crate::vroom::vroom_answer(&solved), &unknown_keys)
        })
        .instrument(call.span())
        .await;
    match call.end(answer.map(tonic::Response::new)) {
        Ok(response) => {
            let id = super::call::request_id(response.metadata());
            with_request_id(super::json_response(StatusCode::OK, response.get_ref()), id)
        }
        Err(status) => {
            let id = super::call::request_id(status.metadata());
            with_request_id(vroom_error(&ApiError::from_status(&status)), id)
        }
    }
}

/// The VROOM document as a native request with the unknown keys it read past (they
/// become the answer's `warnings`); what vroom-express says of a document without
/// vehicles, or without jobs and shipments, is said here too, and the keys tournee
/// cannot honour yet are input errors.
fn read_input(body: &[u8]) -> Result<ReadVroom, String> {
    let text = std::str::from_utf8(body).map_err(|error| format!("invalid UTF-8: {error}"))?;
    let value: Value =
        serde_json::from_str(text).map_err(|error| format!("invalid JSON: {error}"))?;
    let has = |key: &str| value.get(key).is_some();
    if !(has("vehicles") && (has("jobs") || has("shipments"))) {
        return Err("Invalid JSON object in request, please add vehicles and jobs or shipments to the object body".into());
    }
    crate::vroom::read_vroom(text).map_err(|error| error.to_string())
}

/// A native error in vroom-express's words: its code, its HTTP status where it has one.
fn vroom_error(error: &ApiError) -> Response {
    let violations = error
        .violations
        .iter()
        .map(|violation| format!("{}: {}", violation.field, violation.description));
    let listed: Vec<String> = std::iter::once(error.message.clone())
        .chain(violations.skip(1))
        .collect();
    let message = listed.join("; ");
    let all = |reason: &str| {
        !error.violations.is_empty() && error.violations.iter().all(|v| v.reason == reason)
    };
    let too_large = error.http == StatusCode::PAYLOAD_TOO_LARGE || all("too_large");
    let (status, code) = match error.code {
        _ if too_large => (StatusCode::PAYLOAD_TOO_LARGE, codes::TOO_LARGE),
        // A site no road reaches is what VROOM reports as a routing error, as `tournee
        // vroom` does.
        _ if all("off_road") => (StatusCode::INTERNAL_SERVER_ERROR, codes::ROUTING),
        "INVALID_ARGUMENT" => (StatusCode::BAD_REQUEST, codes::INPUT),
        "UNAVAILABLE" | "FAILED_PRECONDITION" => {
            (StatusCode::INTERNAL_SERVER_ERROR, codes::ROUTING)
        }
        "UNAUTHENTICATED" => (error.http, codes::INPUT),
        "RESOURCE_EXHAUSTED" | "DEADLINE_EXCEEDED" => (error.http, codes::INTERNAL),
        _ => (StatusCode::INTERNAL_SERVER_ERROR, codes::INTERNAL),
    };
    let mut response = error_body(status, code, &message);
    if let Some(seconds) = error.retry_after_s {
        response.headers_mut().insert(
            axum::http::header::RETRY_AFTER,
            axum::http::HeaderValue::from(seconds),
        );
    }
    response
}

/// `{"code": code, "error": message}` with `status`.
fn error_body(status: StatusCode, code: u8, message: &str) -> Response {
    super::json_response(status, &json!({"code": code, "error": message}))
}
