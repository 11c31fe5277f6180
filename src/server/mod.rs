//! The gRPC server: `tournee.v1.Routing`, `grpc.health.v1.Health` and server reflection
//! (v1 and v1alpha) on one listener. A library function, so tests run a real server on
//! `127.0.0.1:0` and the binary only wires arguments and signals. The server owns how
//! many solves run at once (`admission.rs`) and how running solves end when it shuts
//! down (`stop.rs`), and what the operator sees of each call (`observe.rs`: request
//! ids, spans, log events; `metrics.rs`: the Prometheus counters), and the long-running
//! operations and their store (`operations/`). It owns who may call too: API keys in
//! front of Routing (`auth.rs`), a share of the solvers per key (`per_key.rs`) and TLS
//! on the listener (`tls.rs`), and how many bytes of gRPC requests it holds at once,
//! counted as they arrive (`request_bytes.rs`). When shutdown begins, health says
//! NOT_SERVING, so load balancers stop sending calls while the server drains.
//! [`run_with_door`] also opens another [`Door`] onto the same Routing service (the
//! HTTP/JSON listener of `crate::http`, a layer above this one), so both share the
//! solvers, the queue, the keys and the metrics, and stop together.

mod admission;
mod auth;
mod deadline;
mod dfc;
mod key_rate;
mod metrics;
mod observe;
pub mod operations;
mod per_key;
mod request_bytes;
mod routing_service;
mod stop;
mod tls;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio_stream::wrappers::TcpListenerStream;
use tonic::service::interceptor::InterceptedService;

use crate::pb::{self, FILE_DESCRIPTOR_SET};
use crate::validate::{OsrmUrls, Policy, RequestLimits};

pub use admission::{Admission, AdmissionLimits, Permit, RETRY_AFTER_MS};
pub(crate) use auth::Authenticator;
pub use auth::{
    ApiKeys, Caller, KeysError, MIN_KEY_BYTES, UNAUTHENTICATED_MESSAGE, key_line,
    valid_name as valid_key_name,
};
pub use metrics::{Metrics, serve_metrics};
pub use observe::REQUEST_ID;
pub(crate) use observe::{Call, Sizes};
pub use operations::{OperationsConfig, owner_of};
pub use request_bytes::{DEFAULT_MAX_REQUEST_BYTES_IN_FLIGHT, Holding, RequestBytes, Share};
pub use routing_service::RoutingService;
pub use tls::{Tls, TlsError};

/// Largest request the server decodes, bytes: supplied matrices for ~1,500 sites
/// (2 × 1,500² varints) fit; tonic's default of 4 MiB would not.
pub const MAX_DECODING_MESSAGE_BYTES: usize = 64 * 1024 * 1024;

/// Errors while starting or running the server.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// Reflection could not read the descriptor set.
    #[error("reflection: {0}")]
    Reflection(#[from] tonic_reflection::server::Error),
    /// The transport failed.
    #[error("transport: {0}")]
    Transport(#[from] tonic::transport::Error),
    /// The operations store could not be opened or read.
    #[error(transparent)]
    Operations(#[from] operations::OperationError),
    /// Another door (the HTTP listener of `serve --http-addr`) failed.
    #[error("HTTP: {0}")]
    Door(std::io::Error),
}

/// Everything a server is started with: the `serve` flags, in library terms.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Default travel sources (`--osm`, `--osrm-url`).
    pub travel: crate::travel::TravelConfig,
    /// What a request may ask for (see [`server_policy`]).
    pub policy: Policy,
    /// How many solves run and wait (`--max-concurrent-solves`, `--max-queue`).
    pub admission: AdmissionLimits,
    /// How long running solves go on after shutdown begins before they end with their
    /// best plan (`--grace-period-s`).
    pub grace_period: Duration,
    /// What the server counts; serve it with [`serve_metrics`] (`--metrics-addr`).
    pub metrics: Arc<Metrics>,
    /// Who may call Routing and how much (`--api-keys`, `--max-solves-per-key`).
    pub access: Access,
    /// TLS on the listener (`--tls-cert`, `--tls-key`); plain HTTP/2 without.
    pub tls: Option<Tls>,
    /// Where long-running operations are kept, how long (`--data-dir`,
    /// `--operation-ttl-s`).
    pub operations: OperationsConfig,
    /// Most bytes of Routing requests held at once, arriving, queued or running
    /// (`--max-request-bytes-in-flight`; see `request_bytes.rs`).
    pub max_request_bytes_in_flight: usize,
}

/// Who may call `tournee.v1.Routing`, and how much of the solvers one caller may hold.
#[derive(Debug, Clone, Default)]
pub struct Access {
    /// The keys a call must show one of; none: every call is let in.
    pub api_keys: Option<Arc<ApiKeys>>,
    /// Calls one key may have running or waiting for a solver; none: no limit but the
    /// server's.
    pub max_solves_per_key: Option<usize>,
    /// Calls one key may start per minute (Solve, SolveStream, ComputeMatrix,
    /// SubmitSolve); none: no limit.
    pub max_calls_per_key_per_minute: Option<u32>,
}

impl ServerConfig {
    /// The defaults, with `travel` as the default travel sources (only it and no other
    /// OSRM server allowed).
    pub fn new(travel: crate::travel::TravelConfig) -> Self {
        let policy = server_policy(&travel, RequestLimits::default(), &[]);
        ServerConfig {
            travel,
            policy,
            admission: AdmissionLimits::default(),
            grace_period: DEFAULT_GRACE_PERIOD,
            metrics: Metrics::new(),
            access: Access::default(),
            tls: None,
            operations: OperationsConfig::default(),
            max_request_bytes_in_flight: DEFAULT_MAX_REQUEST_BYTES_IN_FLIGHT,
        }
    }
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig::new(crate::travel::TravelConfig::default())
    }
}

/// How long running solves go on after shutdown begins, by default.
pub const DEFAULT_GRACE_PERIOD: Duration = Duration::from_secs(10);

/// Serves with the defaults until `shutdown` completes, then drains in-flight calls.
pub async fn run(
    listener: TcpListener,
    shutdown: impl Future<Output = ()>,
) -> Result<(), ServerError> {
    run_with(listener, shutdown, ServerConfig::default()).await
}

/// What requests to a server may ask for: `limits`, and as OSRM servers only the
/// server's own (`travel.osrm_url`) and `osrm_allow`.
pub fn server_policy(
    travel: &crate::travel::TravelConfig,
    limits: RequestLimits,
    osrm_allow: &[String],
) -> Policy {
    let own = travel.osrm_url.iter().map(String::as_str);
    Policy {
        limits,
        osrm_urls: OsrmUrls::only(own.chain(osrm_allow.iter().map(String::as_str))),
    }
}

/// Serves like [`run_with`] with `travel`, requests validated within `policy`, and
/// the default admission limits and grace period.
pub async fn serve(
    listener: TcpListener,
    shutdown: impl Future<Output = ()>,
    travel: crate::travel::TravelConfig,
    policy: Policy,
) -> Result<(), ServerError> {
    let config = ServerConfig {
        policy,
        ..ServerConfig::new(travel)
    };
    run_with(listener, shutdown, config).await
}

/// The Routing server's type, which names it in health.
type RoutingName = pb::routing_server::RoutingServer<RoutingService>;

/// Serves until `shutdown` completes; then says NOT_SERVING in health, stops accepting
/// calls, lets running solves go on for the grace period, stops them (each answers with
/// its best plan) and returns once every in-flight call is answered.
pub async fn run_with(
    listener: TcpListener,
    shutdown: impl Future<Output = ()>,
    config: ServerConfig,
) -> Result<(), ServerError> {
    run_with_door(listener, None, shutdown, config).await
}

/// How a [`Door`] is told that shutdown begins.
pub type BeginStop = Box<dyn FnOnce() + Send>;

/// What serves a [`Door`] until it is stopped and its calls in flight are answered.
pub type DoorServing = Pin<Box<dyn Future<Output = std::io::Result<()>> + Send>>;

/// Another way in to the server's Routing service, opened and closed with the gRPC
/// listener: the HTTP/JSON API (`crate::http`), which this layer does not know.
pub trait Door: Send {
    /// Opens onto `routing`, whose calls it lets in with `keys` checked as gRPC checks
    /// them: how to tell it that shutdown begins, and what serves it.
    fn open(
        self: Box<Self>,
        routing: RoutingService,
        keys: Option<Arc<ApiKeys>>,
    ) -> (BeginStop, DoorServing);
}

/// Serves like [`run_with`], and `door` when given: the same solvers, queue, keys and
/// metrics; both stop together.
pub async fn run_with_door(
    listener: TcpListener,
    door: Option<Box<dyn Door>>,
    shutdown: impl Future<Output = ()>,
    config: ServerConfig,
) -> Result<(), ServerError> {
    let (health_reporter, health_service) = tonic_health::server::health_reporter();
    health_reporter.set_serving::<RoutingName>().await;
    let reflection_v1 = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
        .build_v1()?;
    let reflection_v1alpha = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
        .build_v1alpha()?;
    let (stop_sender, stop) = stop::stop_channel();
    let grace_period = config.grace_period;
    let (began, begun) = tokio::sync::oneshot::channel::<()>();
    let mut builder = tonic::transport::Server::builder();
    if let Some(tls) = &config.tls {
        builder = builder.tls_config(tls.server_config())?;
    }
    let keys = config.access.api_keys.clone();
    let (routing, operations, service) = routing(config, stop).await?;
    let (begin_stop, door_serving): (BeginStop, DoorServing) = match door {
        Some(door) => door.open(service, keys),
        None => (Box::new(|| {}), Box::pin(async { Ok(()) })),
    };
    let shutdown = async move {
        shutdown.await;
        tracing::info!(grace_period_s = grace_period.as_secs(), "shutdown begins");
        // Before the server stops taking calls: a load balancer watching health learns
        // on the connection it already has that this server is going away.
        draining(&health_reporter).await;
        begin_stop();
        stop_sender.raise_after(grace_period);
        let _ = began.send(());
    };
    let serving = builder
        .add_service(health_service)
        .add_service(reflection_v1)
        .add_service(reflection_v1alpha)
        .add_service(routing)
        .serve_with_incoming_shutdown(TcpListenerStream::new(listener), shutdown);
    // A client that keeps its connection open after every answer must not keep the
    // server up: past the grace period and a margin to send the last answers, stop.
    let overdue = async move {
        match begun.await {
            Ok(()) => tokio::time::sleep(grace_period + DRAIN_MARGIN).await,
            Err(_) => std::future::pending::<()>().await,
        }
    };
    let serving = async move {
        let (grpc, door) = tokio::join!(serving, door_serving);
        grpc?;
        door.map_err(ServerError::Door)
    };
    tokio::select! {
        served = serving => served?,
        () = overdue => tracing::warn!("connections still open after the grace period; closing"),
    }
    // Running operations stop with the grace period too; their checkpoints must be
    // stored before the process exits.
    operations.drain(grace_period + DRAIN_MARGIN).await;
    Ok(())
}

/// The Routing service as served: behind the bound on request bytes and the key check.
type GuardedRouting = request_bytes::Bounded<InterceptedService<RoutingName, auth::Authenticator>>;

/// The Routing service with its solvers and its operations (resumed from the store),
/// behind the bound on request bytes and the key check; and the operations, to drain at
/// shutdown.
async fn routing(
    config: ServerConfig,
    stop: stop::StopReceiver,
) -> Result<
    (
        GuardedRouting,
        Arc<dyn operations::OperationsApi>,
        RoutingService,
    ),
    ServerError,
> {
    let admission = Admission::new(config.admission)
        .with_max_per_key(config.access.max_solves_per_key)
        .with_rate_per_key(config.access.max_calls_per_key_per_minute);
    let admission = Arc::new(admission);
    config.metrics.attach(admission.clone());
    let request_bytes = request_bytes::RequestBytes::new(config.max_request_bytes_in_flight);
    config.metrics.attach_request_bytes(request_bytes.clone());
    let metrics = config.metrics.clone();
    let authenticator = auth::Authenticator::new(config.access.api_keys).counting(metrics.clone());
    let solving = operations::Solving {
        travel: Arc::new(config.travel),
        policy: Arc::new(config.policy),
        admission,
        stop,
        metrics: config.metrics,
    };
    let operations = operations::open_api(&config.operations, solving.clone()).await?;
    let service = RoutingService {
        travel: solving.travel,
        policy: solving.policy,
        admission: solving.admission,
        stop: solving.stop,
        metrics: solving.metrics,
        operations: operations.clone(),
        request_bytes: request_bytes.clone(),
    };
    let routing = pb::routing_server::RoutingServer::new(service.clone())
        .max_decoding_message_size(MAX_DECODING_MESSAGE_BYTES)
        .max_encoding_message_size(MAX_DECODING_MESSAGE_BYTES);
    let routing = InterceptedService::new(routing, authenticator);
    let routing = request_bytes::Bounded::new(routing, request_bytes, metrics);
    Ok((routing, operations, service))
}

/// Health while the server drains: Routing and the server as a whole ("") say
/// NOT_SERVING, so a health-checking load balancer sends its next calls elsewhere.
async fn draining(health: &tonic_health::server::HealthReporter) {
    health.set_not_serving::<RoutingName>().await;
    health
        .set_service_status("", tonic_health::ServingStatus::NotServing)
        .await;
}

/// How long after the grace period the last answers may take to go out, at most.
pub const DRAIN_MARGIN: Duration = Duration::from_secs(10);
