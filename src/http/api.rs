//! `POST /v1/solve` and `POST /v1/matrix`: the gRPC API's `Solve` and `ComputeMatrix`
//! in its proto3 JSON mapping (the CLI's native files). Each call is handed, as a gRPC
//! request, to the very [`RoutingService`](crate::server::RoutingService) behind the gRPC
//! listener: one implementation of validation, limits, admission, deadlines, logging and
//! metrics, whichever door a call came in by.

use axum::body::Body;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};

use super::Http;
use super::call::{admit, parse_json, read_body, respond};
use crate::pb;
use crate::pb::routing_server::Routing;

/// `POST /v1/solve`: a `SolveRequest` → its `SolveResponse`.
pub async fn solve(State(http): State<Http>, headers: HeaderMap, body: Body) -> Response {
    let request = match read::<pb::SolveRequest>(&http, &headers, body, "SolveRequest").await {
        Ok(request) => request,
        Err(error) => return error.into_response(),
    };
    respond(http.routing.solve(request).await)
}

/// `POST /v1/matrix`: a `ComputeMatrixRequest` → its `ComputeMatrixResponse`.
pub async fn matrix(State(http): State<Http>, headers: HeaderMap, body: Body) -> Response {
    let what = "ComputeMatrixRequest";
    let request = match read::<pb::ComputeMatrixRequest>(&http, &headers, body, what).await {
        Ok(request) => request,
        Err(error) => return error.into_response(),
    };
    respond(http.routing.compute_matrix(request).await)
}

/// The key check, then the body as a `T`, as the gRPC request the service takes.
async fn read<T: serde::de::DeserializeOwned>(
    http: &Http,
    headers: &HeaderMap,
    body: Body,
    what: &str,
) -> Result<tonic::Request<T>, super::error::ApiError> {
    let admitted = admit(&http.authenticator, headers)?;
    let message: T = parse_json(&read_body(headers, body).await?, what)?;
    let (metadata, extensions, ()) = admitted.into_parts();
    Ok(tonic::Request::from_parts(metadata, extensions, message))
}
