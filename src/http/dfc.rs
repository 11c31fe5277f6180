//! `POST /dfc/v1/plan`: an envelope `{"options": {…}, "document": <DFC JSON-LD>}` →
//! the plan as DFC JSON-LD. The envelope becomes the gRPC `PlanDfc` request, handed to
//! the very Routing service behind the gRPC listener (keys, admission, limits,
//! deadline, logging, metrics), and its JSON-LD text goes back as the JSON body. A
//! document's problems come back like every other bad request: 400
//! `INVALID_ARGUMENT` with one violation per problem, its `dfc.*` reason and its path
//! `<node @id> <property>`.

use axum::body::Body;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use tonic::Code;

use super::Http;
use super::call::{admit, read_body, respond};
use super::error::ApiError;
use crate::pb;
use crate::pb::routing_server::Routing;

/// `POST /dfc/v1/plan`.
pub async fn plan(State(http): State<Http>, headers: HeaderMap, body: Body) -> Response {
    let admitted = match admit(&http.authenticator, &headers) {
        Ok(admitted) => admitted,
        Err(error) => return error.into_response(),
    };
    let message = match read_body(&headers, body)
        .await
        .and_then(|body| envelope(&body))
    {
        Ok(message) => message,
        Err(error) => return error.into_response(),
    };
    let (metadata, extensions, ()) = admitted.into_parts();
    let request = tonic::Request::from_parts(metadata, extensions, message);
    let answer = http.routing.plan_dfc(request).await;
    // The plan is JSON the service wrote: it parses back.
    respond(answer.map(|response| {
        response.map(|plan| serde_json::from_str::<Value>(&plan.plan).unwrap_or(Value::Null))
    }))
}

/// The envelope as a `PlanDfc` request; the document may also be sent as a JSON
/// string holding the JSON-LD text.
fn envelope(body: &[u8]) -> Result<pb::DfcPlanRequest, ApiError> {
    let envelope: Value = serde_json::from_slice(body).map_err(|error| {
        let message = format!("the body is not JSON: {error}");
        ApiError::new(Code::InvalidArgument, message)
    })?;
    let document = match envelope.get("document") {
        Some(Value::String(text)) => text.clone(),
        Some(document @ (Value::Object(_) | Value::Array(_))) => document.to_string(),
        _ => {
            let message = "the body is an envelope {\"options\": {…}, \"document\": <DFC JSON-LD>}: document is missing";
            return Err(ApiError::new(Code::InvalidArgument, message));
        }
    };
    let options = envelope
        .get("options")
        .map_or_else(String::new, Value::to_string);
    Ok(pb::DfcPlanRequest { document, options })
}
