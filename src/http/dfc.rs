//! `POST /dfc/v1/plan`: an envelope `{"options": {…}, "document": <DFC JSON-LD>}` →
//! the plan as DFC JSON-LD ([`crate::dfc`] both ways). The solve runs on the Routing
//! service's own path (keys, admission, limits, deadline, logging, metrics under the
//! method `Dfc`) with the server's travel source. A document's problems come back
//! like every other bad request: 400 `INVALID_ARGUMENT` with one violation per
//! problem, its `dfc.*` reason and its path `<node @id> <property>`.

use axum::body::Body;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use tonic::Code;
use tracing::Instrument;

use super::Http;
use super::call::{admit, read_body, respond};
use super::error::ApiError;
use crate::dfc::Adapted;
use crate::error::Error;
use crate::server::{Call, Sizes};

/// `POST /dfc/v1/plan`.
pub async fn plan(State(http): State<Http>, headers: HeaderMap, body: Body) -> Response {
    let admitted = match admit(&http.authenticator, &headers) {
        Ok(admitted) => admitted,
        Err(error) => return error.into_response(),
    };
    let body = match read_body(&headers, body).await {
        Ok(body) => body,
        Err(error) => return error.into_response(),
    };
    let adapted = match read_envelope(&body) {
        Ok(adapted) => adapted,
        Err(error) => return error.into_response(),
    };
    let (metadata, extensions, ()) = admitted.into_parts();
    let request = tonic::Request::from_parts(metadata, extensions, adapted.request.clone());
    let sizes = Sizes::of(request.get_ref());
    let call = Call::begin("Dfc", &request, sizes, http.routing.metrics.clone());
    let answer = http
        .routing
        .solve_then(request, &call, move |_, response| {
            crate::dfc::answer(&adapted, &response)
        })
        .instrument(call.span())
        .await;
    respond(call.end(answer.map(tonic::Response::new)))
}

/// The envelope read and its document adapted; the document may also be sent as a
/// JSON string holding the JSON-LD text.
fn read_envelope(body: &[u8]) -> Result<Adapted, ApiError> {
    let envelope: Value = serde_json::from_slice(body).map_err(|error| {
        let message = format!("the body is not JSON: {error}");
        ApiError::new(Code::InvalidArgument, message)
    })?;
    let invalid = |violations| {
        ApiError::from_status(&crate::api::status::status(&Error::Validation(violations)))
    };
    let document = match envelope.get("document") {
        Some(Value::String(text)) => crate::dfc::parse_document(text).map_err(invalid)?,
        Some(document @ (Value::Object(_) | Value::Array(_))) => document.clone(),
        _ => {
            let message = "the body is an envelope {\"options\": {…}, \"document\": <DFC JSON-LD>}: document is missing";
            return Err(ApiError::new(Code::InvalidArgument, message));
        }
    };
    crate::dfc::read(&document, envelope.get("options")).map_err(invalid)
}
