//! What every HTTP call goes through before and after its endpoint's work, so that it
//! meets the same machinery as a gRPC call: the API key check (`server::auth`'s own
//! [`Authenticator`], before the body is read), the body read within the gRPC limit
//! (a `Content-Length` over it is refused before a byte of the body is read), and the
//! call's headers carried over as gRPC metadata (`x-request-id`; a client's
//! `X-Request-Timeout-Ms` as `grpc-timeout`), so the Routing service's own call
//! logging, metrics, admission and deadline handling see an HTTP call as they see a
//! gRPC one. Back out: the request id the call was logged under, as a header.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tokio_stream::StreamExt;
use tonic::metadata::{MetadataMap, MetadataValue};
use tonic::service::Interceptor;
use tonic::{Code, Status};

use super::error::ApiError;
use crate::server::{Authenticator, MAX_DECODING_MESSAGE_BYTES, REQUEST_ID};

/// The header in which an HTTP client states how long it waits, milliseconds (gRPC
/// clients send `grpc-timeout`); none: no deadline but the request's time limit.
pub const TIMEOUT_HEADER: &str = "x-request-timeout-ms";

/// The caller's headers as gRPC metadata with the caller's identity, or why the call
/// is refused (no valid API key: 401, the same message as gRPC's UNAUTHENTICATED).
pub fn admit(
    authenticator: &Authenticator,
    headers: &HeaderMap,
) -> Result<tonic::Request<()>, ApiError> {
    let mut metadata = MetadataMap::from_headers(headers.clone());
    if let Some(timeout_ms) = timeout_ms(headers) {
        // `m` is gRPC's unit for milliseconds; `server::deadline` then reads it.
        if let Ok(value) = MetadataValue::try_from(format!("{timeout_ms}m")) {
            metadata.insert("grpc-timeout", value);
        }
    }
    let request = tonic::Request::from_parts(metadata, Default::default(), ());
    authenticator
        .clone()
        .call(request)
        .map_err(|status| ApiError::from_status(&status))
}

/// The client's timeout, when it sends a plain number of milliseconds.
fn timeout_ms(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(TIMEOUT_HEADER)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// The whole body, at most [`MAX_DECODING_MESSAGE_BYTES`] (what gRPC decodes): a larger
/// one gets 413 as soon as its `Content-Length` (or, without one, its bytes) pass the
/// limit, without the rest being read.
pub async fn read_body(headers: &HeaderMap, body: Body) -> Result<Vec<u8>, ApiError> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if declared.is_some_and(|length| length > MAX_DECODING_MESSAGE_BYTES as u64) {
        return Err(too_large());
    }
    let capacity = declared.map_or(0, |length| length as usize);
    let mut bytes = Vec::with_capacity(capacity);
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(unreadable)?;
        if bytes.len() + chunk.len() > MAX_DECODING_MESSAGE_BYTES {
            return Err(too_large());
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// Why a body could not be read: the server's bound on request bytes (`bound.rs`), or
/// the client's connection.
fn unreadable(error: axum::Error) -> ApiError {
    // axum wraps a body's error once more for each `Body` it is boxed in.
    let mut error = error.into_inner();
    loop {
        if let Some(super::bound::BytesRefused(refused)) = error.downcast_ref() {
            return super::bound::refusal(refused);
        }
        match error.downcast::<axum::Error>() {
            Ok(wrapped) => error = wrapped.into_inner(),
            Err(other) => {
                error = other;
                break;
            }
        }
    }
    ApiError::new(
        Code::InvalidArgument,
        format!("the request body could not be read: {error}"),
    )
}

/// A body over the limit: the code tonic gives a gRPC message over it, HTTP 413.
fn too_large() -> ApiError {
    let message = format!(
        "the request body is larger than {MAX_DECODING_MESSAGE_BYTES} bytes, the most this server reads"
    );
    ApiError::new(Code::OutOfRange, message).with_http(StatusCode::PAYLOAD_TOO_LARGE)
}

/// `body` parsed as `T` (a message in the proto3 JSON mapping); malformed JSON, or JSON
/// of the wrong shape, is the caller's mistake, named with its line and column.
pub fn parse_json<T: serde::de::DeserializeOwned>(body: &[u8], what: &str) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|error| {
        ApiError::new(
            Code::InvalidArgument,
            format!("the body is not a {what} in the proto3 JSON mapping: {error}"),
        )
    })
}

/// An answer (`Ok`: the JSON of `T`) or the call's error, with the call's request id.
pub fn respond<T: serde::Serialize>(answer: Result<tonic::Response<T>, Status>) -> Response {
    match answer {
        Ok(response) => {
            let id = request_id(response.metadata());
            with_request_id(super::json_response(StatusCode::OK, response.get_ref()), id)
        }
        Err(status) => {
            let id = request_id(status.metadata());
            with_request_id(ApiError::from_status(&status).into_response(), id)
        }
    }
}

/// The request id `observe` put in an answer's metadata.
pub fn request_id(metadata: &MetadataMap) -> Option<HeaderValue> {
    let value = metadata.get(REQUEST_ID)?.to_str().ok()?;
    HeaderValue::from_str(value).ok()
}

/// `response` with the `x-request-id` header when there is an id.
pub fn with_request_id(mut response: Response, id: Option<HeaderValue>) -> Response {
    if let Some(id) = id {
        response.headers_mut().insert(REQUEST_ID, id);
    }
    response
}
