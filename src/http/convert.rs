//! `POST /v1/convert/vroom` and `POST /v1/convert/dfc`: a VROOM JSON document, or a
//! DFC JSON-LD order cycle (alone or in `/dfc/v1/plan`'s envelope), read by the very
//! readers the VROOM and DFC doors use ([`crate::vroom`], [`crate::dfc`]) and answered
//! as the native `SolveRequest` in its proto3 JSON mapping, nothing solved.
//!
//! Why: the planner page draws a native request and its native answer (site kinds,
//! producers, windows, loads); with these it plans a VROOM or DFC file through
//! `POST /v1/operations` like a native one, with progress and cancel. A document the
//! readers refuse is 400 `INVALID_ARGUMENT` with the field paths they name (VROOM's
//! `vehicles[2].start`, DFC's `<node @id> <property>`), like a native request's.

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use tonic::Code;

use super::Http;
use super::call::{admit, read_body};
use super::error::{ApiError, FieldViolation};
use crate::error::Error;
use crate::format_error::FormatError;

/// `POST /v1/convert/vroom`: VROOM input → native `SolveRequest`.
pub async fn vroom(State(http): State<Http>, headers: HeaderMap, body: Body) -> Response {
    let converted = async {
        admit(&http.authenticator, &headers)?;
        let body = read_body(&headers, body).await?;
        let text = std::str::from_utf8(&body).map_err(|error| {
            ApiError::new(Code::InvalidArgument, format!("invalid UTF-8: {error}"))
        })?;
        crate::vroom::read_vroom(text)
            .map(|read| read.request)
            .map_err(|error| vroom_error(&error))
    };
    match converted.await {
        Ok(request) => super::json_response(StatusCode::OK, &request),
        Err(error) => error.into_response(),
    }
}

/// `POST /v1/convert/dfc`: a DFC document (or `{"options": …, "document": …}`) →
/// native `SolveRequest`.
pub async fn dfc(State(http): State<Http>, headers: HeaderMap, body: Body) -> Response {
    let converted = async {
        admit(&http.authenticator, &headers)?;
        let body = read_body(&headers, body).await?;
        let value: Value = serde_json::from_slice(&body).map_err(|error| {
            let message = format!("the body is not JSON: {error}");
            ApiError::new(Code::InvalidArgument, message)
        })?;
        let (document, options) = match value.get("document") {
            Some(document) => (document.clone(), value.get("options").cloned()),
            None => (value, None),
        };
        let document = match document {
            Value::String(text) => crate::dfc::parse_document(&text).map_err(dfc_error)?,
            other => other,
        };
        crate::dfc::read(&document, options.as_ref())
            .map(|adapted| adapted.request)
            .map_err(dfc_error)
    };
    match converted.await {
        Ok(request) => super::json_response(StatusCode::OK, &request),
        Err(error) => error.into_response(),
    }
}

/// A VROOM document's fault, naming its field when the reader does.
fn vroom_error(error: &FormatError) -> ApiError {
    let mut api = ApiError::new(
        Code::InvalidArgument,
        format!("not a VROOM document tournee reads: {error}"),
    );
    if let FormatError::Field { field, message } = error {
        api.violations.push(FieldViolation {
            field: field.clone(),
            reason: "vroom".to_string(),
            description: message.clone(),
        });
    }
    api
}

/// A DFC document's problems as the other doors report them: one violation each.
fn dfc_error(violations: crate::validate::Violations) -> ApiError {
    ApiError::from_status(&crate::api::status::status(&Error::Validation(violations)))
}
