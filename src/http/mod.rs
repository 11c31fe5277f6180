//! The HTTP/JSON door of the server (`serve --http-addr`), beside gRPC in the same
//! process, for web platforms that speak plain JSON over HTTP and for VROOM's users:
//!
//! | endpoint | what | file |
//! |---|---|---|
//! | `POST /v1/solve`, `POST /v1/matrix` | the gRPC API's Solve and ComputeMatrix in its proto3 JSON mapping | `api.rs` |
//! | `/v1/operations…` | the long-running operations (SubmitSolve, Get, Wait, Cancel, List, Delete) | `operations.rs` |
//! | `GET /v1/operations/ID/watch` | an operation's progress as server-sent events | `events.rs` |
//! | `POST /v1/convert/vroom`, `POST /v1/convert/dfc` | a VROOM or DFC document as the native `SolveRequest`, unsolved (for the planner page) | `convert.rs` |
//! | `POST /`, `POST /optimization` | vroom-express and openrouteservice: VROOM JSON both ways | `vroom.rs` |
//! | `POST /dfc/v1/plan` | the gRPC API's PlanDfc: a DFC JSON-LD order cycle in, the rounds and cost shares as DFC JSON-LD out | `dfc.rs` |
//! | `GET /v1/roads?bbox=` | the road graph's roads in a box, for the page's offline map | `roads.rs` |
//! | `GET /health` | 200 serving, 503 draining | `health.rs` |
//! | `GET /`, `GET /planner…` | the planner page and its files, embedded | `page.rs`, `page/` |
//! | `GET /openapi.json` | the OpenAPI 3.1 document | `openapi.rs`, `openapi_paths.rs` |
//!
//! Nothing here solves or validates: every call is handed to the gRPC server's
//! own [`RoutingService`] (and its `Admission`, so gRPC and HTTP callers wait in one
//! queue), after the same API key check (`call.rs`), its body counted against the same
//! bound on request bytes (`bound.rs`); errors are its gRPC statuses in
//! JSON (`error.rs`). The server starts this listener with the gRPC one and stops both
//! together: on shutdown `/health` turns 503, no new connection is taken, and the calls
//! in flight end with their best plan after the grace period like gRPC calls.
//! Plain HTTP only: put TLS in front (a reverse proxy) or keep it on a private network.

mod api;
mod bound;
mod call;
mod convert;
mod dfc;
pub mod error;
mod health;
pub mod openapi;
mod openapi_paths;
mod operations;
mod page;
mod roads;
mod vroom;
mod events;

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tonic::Code;

pub use call::TIMEOUT_HEADER;
pub use error::{ApiError, FieldViolation};

use crate::server::{
    ApiKeys, Authenticator, BeginStop, Door, DoorServing, RoutingService, ServerConfig, ServerError,
};

/// What every HTTP handler shares: the gRPC server's Routing service, its key check,
/// and whether shutdown has begun.
#[derive(Debug, Clone)]
pub struct Http {
    routing: RoutingService,
    authenticator: Authenticator,
    draining: Arc<AtomicBool>,
    /// The planner page's settings (`serve --map-tiles`).
    page: Arc<page::PageConfig>,
}

impl Http {
    /// Handlers over `routing`, behind `authenticator`; `/health` says 503 once
    /// `draining` is set.
    fn new(
        routing: RoutingService,
        authenticator: Authenticator,
        draining: Arc<AtomicBool>,
        page: Arc<page::PageConfig>,
    ) -> Self {
        Http {
            routing,
            authenticator,
            draining,
            page,
        }
    }
}

/// How the server tells its HTTP listener that shutdown begins.
#[derive(Debug)]
struct Stopping {
    draining: Arc<AtomicBool>,
    stop: watch::Sender<bool>,
}

impl Stopping {
    /// `/health` turns 503 and the listener stops taking connections; the calls in
    /// flight go on (the server's stop ends their solves after the grace period).
    fn begin(&self) {
        self.draining.store(true, Ordering::Release);
        let _ = self.stop.send(true);
    }
}

/// The HTTP listener as a [`Door`] of the gRPC server: opened onto its Routing service.
#[derive(Debug)]
pub struct HttpDoor {
    listener: TcpListener,
    page: page::PageConfig,
}

impl HttpDoor {
    /// The HTTP/JSON API on `listener`; the planner page draws no map tiles.
    pub fn new(listener: TcpListener) -> Self {
        HttpDoor {
            listener,
            page: page::PageConfig::default(),
        }
    }

    /// The same, the planner page drawing raster tiles from `template` under its map
    /// (`serve --map-tiles`, e.g. `https://tile.openstreetmap.org/{z}/{x}/{y}.png`), or
    /// why the template cannot be used.
    pub fn with_map_tiles(self, template: &str) -> Result<Self, String> {
        Ok(HttpDoor {
            page: page::PageConfig::with_tiles(template)?,
            ..self
        })
    }
}

impl Door for HttpDoor {
    fn open(
        self: Box<Self>,
        routing: RoutingService,
        keys: Option<Arc<ApiKeys>>,
    ) -> (BeginStop, DoorServing) {
        let draining = Arc::new(AtomicBool::new(false));
        let (stop, mut stopped) = watch::channel(false);
        let page = Arc::new(self.page);
        let http = Http::new(routing, Authenticator::new(keys), draining.clone(), page);
        let shutdown = async move {
            // An error means the server dropped its side without a stop: stop too.
            let _ = stopped.wait_for(|stop| *stop).await;
        };
        let stopping = Stopping { draining, stop };
        (
            Box::new(move || stopping.begin()),
            Box::pin(serve(self.listener, http, shutdown)),
        )
    }
}

/// Serves gRPC on `grpc` and the HTTP/JSON API on `http` until `shutdown` completes,
/// then drains both (see [`crate::server::run_with_door`]).
pub async fn run_with_http(
    grpc: TcpListener,
    http: TcpListener,
    shutdown: impl Future<Output = ()>,
    config: ServerConfig,
) -> Result<(), ServerError> {
    let door: Box<dyn Door> = Box::new(HttpDoor::new(http));
    crate::server::run_with_door(grpc, Some(door), shutdown, config).await
}

/// Every endpoint.
pub fn router(http: Http) -> Router {
    Router::new()
        .route("/v1/solve", post(api::solve))
        .route("/v1/matrix", post(api::matrix))
        .route(
            "/v1/operations",
            post(operations::submit).get(operations::list),
        )
        .route(
            "/v1/operations/{id}",
            get(operations::get).delete(operations::delete),
        )
        .route("/v1/operations/{id}/wait", post(operations::wait))
        .route("/v1/operations/{id}/cancel", post(operations::cancel))
        .route("/v1/operations/{id}/watch", get(events::watch))
        .route("/v1/convert/vroom", post(convert::vroom))
        .route("/v1/convert/dfc", post(convert::dfc))
        .route("/", get(page::index).post(vroom::solve))
        .route("/planner", get(page::index))
        .route("/planner/", get(page::index))
        .route("/planner/config.json", get(page::config))
        .route("/planner/{name}", get(page::asset))
        .route("/v1/roads", get(roads::roads))
        .route("/optimization", post(vroom::solve))
        .route("/dfc/v1/plan", post(dfc::plan))
        .route("/health", get(health::health))
        .route("/openapi.json", get(openapi::document))
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(
            http.routing.request_bytes.clone(),
            bound::bound,
        ))
        .with_state(http)
}

/// Serves `http` on `listener` until `shutdown` completes, then stops taking
/// connections and returns once the calls in flight are answered.
async fn serve(
    listener: TcpListener,
    http: Http,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(http))
        .with_graceful_shutdown(shutdown)
        .await
}

/// Any other path.
pub(crate) async fn not_found() -> Response {
    let message = "no such endpoint; see /openapi.json";
    ApiError::new(Code::NotFound, message).into_response()
}

/// `value` as a JSON answer with `status`.
pub(crate) fn json_response<T: serde::Serialize + ?Sized>(
    status: StatusCode,
    value: &T,
) -> Response {
    match serde_json::to_vec(value) {
        Ok(body) => {
            let json = HeaderValue::from_static("application/json");
            (status, [(header::CONTENT_TYPE, json)], body).into_response()
        }
        // Serialising generated messages and `Value`s does not fail; if it ever did,
        // the caller learns it as an internal error rather than an empty 200.
        Err(error) => {
            let message = format!("encoding the answer: {error}");
            let body = serde_json::json!({"code": "INTERNAL", "message": message});
            (StatusCode::INTERNAL_SERVER_ERROR, body.to_string()).into_response()
        }
    }
}
