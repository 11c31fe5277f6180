//! `GET /health`: what gRPC health says of the server, for load balancers and
//! orchestrators that probe over HTTP. 200 `{"status":"SERVING"}` while the server takes
//! calls; 503 `{"status":"NOT_SERVING"}` once shutdown has begun (the server drains:
//! calls in flight finish, new ones should go elsewhere). Open without an API key, like
//! gRPC health.

use std::sync::atomic::Ordering;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

use super::Http;

/// `GET /health`.
pub async fn health(State(http): State<Http>) -> Response {
    if http.draining.load(Ordering::Acquire) {
        super::json_response(
            StatusCode::SERVICE_UNAVAILABLE,
            &json!({"status": "NOT_SERVING"}),
        )
    } else {
        super::json_response(StatusCode::OK, &json!({"status": "SERVING"}))
    }
}
