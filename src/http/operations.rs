//! The long-running operations over HTTP, in the style of Google's HTTP mappings of
//! `google.longrunning.Operations`: an operation named `operations/ID` lives at
//! `/v1/operations/ID`.
//!
//! | HTTP | gRPC |
//! |---|---|
//! | `POST /v1/operations` (a `SolveRequest`) | `SubmitSolve` |
//! | `GET /v1/operations?pageSize=&pageToken=` | `ListOperations` |
//! | `GET /v1/operations/ID` | `GetOperation` |
//! | `POST /v1/operations/ID/wait?timeoutMs=` | `WaitOperation` |
//! | `POST /v1/operations/ID/cancel` | `CancelOperation` |
//! | `DELETE /v1/operations/ID` | `DeleteOperation` |
//!
//! Each is handed to the Routing service as the gRPC call, so operations are scoped
//! by the caller's key exactly as over gRPC.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Response};
use tonic::Code;

use super::Http;
use super::call::{admit, parse_json, read_body, respond};
use super::error::ApiError;
use crate::pb;
use crate::pb::routing_server::Routing;

/// `POST /v1/operations`: submits a `SolveRequest`, answers its `Operation` at once.
pub async fn submit(State(http): State<Http>, headers: HeaderMap, body: Body) -> Response {
    let request = async {
        let admitted = admit(&http.authenticator, &headers)?;
        let message: pb::SolveRequest =
            parse_json(&read_body(&headers, body).await?, "SolveRequest")?;
        Ok::<_, ApiError>(with_message(admitted, message))
    };
    match request.await {
        Ok(request) => respond(http.routing.submit_solve(request).await),
        Err(error) => error.into_response(),
    }
}

/// `GET /v1/operations`: a page of the caller's operations, oldest first.
pub async fn list(State(http): State<Http>, headers: HeaderMap, uri: Uri) -> Response {
    let request = (|| {
        let page_size = match query(&uri, "pageSize") {
            Some(text) => number(&text, "pageSize")?,
            None => 0,
        };
        let page_token = query(&uri, "pageToken").unwrap_or_default();
        let message = pb::ListOperationsRequest {
            page_size,
            page_token,
        };
        Ok::<_, ApiError>(with_message(admit(&http.authenticator, &headers)?, message))
    })();
    match request {
        Ok(request) => respond(http.routing.list_operations(request).await),
        Err(error) => error.into_response(),
    }
}

/// `GET /v1/operations/ID`.
pub async fn get(State(http): State<Http>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let message = pb::GetOperationRequest { name: name(&id) };
    match admit(&http.authenticator, &headers) {
        Ok(admitted) => respond(
            http.routing
                .get_operation(with_message(admitted, message))
                .await,
        ),
        Err(error) => error.into_response(),
    }
}

/// `POST /v1/operations/ID/wait?timeoutMs=`: until done or the timeout passes.
pub async fn wait(
    State(http): State<Http>,
    headers: HeaderMap,
    Path(id): Path<String>,
    uri: Uri,
) -> Response {
    let request = (|| {
        let timeout_ms = match query(&uri, "timeoutMs") {
            Some(text) => number(&text, "timeoutMs")?,
            None => 0,
        };
        let message = pb::WaitOperationRequest {
            name: name(&id),
            timeout_ms,
        };
        Ok::<_, ApiError>(with_message(admit(&http.authenticator, &headers)?, message))
    })();
    match request {
        Ok(request) => respond(http.routing.wait_operation(request).await),
        Err(error) => error.into_response(),
    }
}

/// `POST /v1/operations/ID/cancel`.
pub async fn cancel(
    State(http): State<Http>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let message = pb::CancelOperationRequest { name: name(&id) };
    match admit(&http.authenticator, &headers) {
        Ok(admitted) => respond(
            http.routing
                .cancel_operation(with_message(admitted, message))
                .await,
        ),
        Err(error) => error.into_response(),
    }
}

/// `DELETE /v1/operations/ID`.
pub async fn delete(
    State(http): State<Http>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let message = pb::DeleteOperationRequest { name: name(&id) };
    match admit(&http.authenticator, &headers) {
        Ok(admitted) => respond(
            http.routing
                .delete_operation(with_message(admitted, message))
                .await,
        ),
        Err(error) => error.into_response(),
    }
}

/// The operation's name for the last segment of its path.
fn name(id: &str) -> String {
    format!("operations/{id}")
}

/// The checked caller's request, carrying `message`.
fn with_message<T>(admitted: tonic::Request<()>, message: T) -> tonic::Request<T> {
    let (metadata, extensions, ()) = admitted.into_parts();
    tonic::Request::from_parts(metadata, extensions, message)
}

/// The value of the query parameter `key`, if given, percent-decoded (a page token is
/// an operation's name, whose `/` a client may send as `%2F`).
pub(super) fn query(uri: &Uri, key: &str) -> Option<String> {
    uri.query()?
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(name, _)| *name == key)
        .map(|(_, value)| percent_decoded(value))
}

/// `text` with each `%XX` replaced by its byte (invalid escapes kept as written).
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let escaped = (bytes[index] == b'%')
            .then(|| text.get(index + 1..index + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                decoded.push(byte);
                index += 3;
            }
            None => {
                decoded.push(bytes[index]);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

/// A query parameter as a number, or INVALID_ARGUMENT naming it.
fn number<T: std::str::FromStr>(text: &str, key: &str) -> Result<T, ApiError> {
    text.parse().map_err(|_| {
        ApiError::new(
            Code::InvalidArgument,
            format!("the query parameter {key} must be a non-negative integer, not {text:?}"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_query_parameters_percent_decoded() {
        let uri: Uri = "/v1/operations?pageSize=2&pageToken=operations%2F0a%zz"
            .parse()
            .unwrap();
        assert_eq!(query(&uri, "pageSize").as_deref(), Some("2"));
        assert_eq!(
            query(&uri, "pageToken").as_deref(),
            Some("operations/0a%zz")
        );
        assert_eq!(query(&uri, "timeoutMs"), None);
    }
}
