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
    answer(http.draining.load(Ordering::Acquire))
}

/// What health says, draining or not.
fn answer(draining: bool) -> Response {
    if draining {
        super::json_response(
            StatusCode::SERVICE_UNAVAILABLE,
            &json!({"status": "NOT_SERVING"}),
        )
    } else {
        super::json_response(StatusCode::OK, &json!({"status": "SERVING"}))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Draining is seen by callers only on a connection already open when shutdown
    // begins (the listener stops taking new ones), which no test can hold open
    // without timing; the answer itself is checked here.
    #[tokio::test]
    async fn says_not_serving_while_draining() {
        let draining = answer(true);
        assert_eq!(draining.status(), StatusCode::SERVICE_UNAVAILABLE);
        let body = axum::body::to_bytes(draining.into_body(), 1024)
            .await
            .unwrap();
        assert_eq!(&body[..], br#"{"status":"NOT_SERVING"}"#);
        assert_eq!(answer(false).status(), StatusCode::OK);
    }
}
