//! The gRPC server: `tournee.v1.Routing`, `grpc.health.v1.Health` and server reflection
//! (v1 and v1alpha) on one listener. A library function, so tests run a real server on
//! `127.0.0.1:0` and the binary only wires arguments and signals.

mod deadline;
mod routing_service;

use std::future::Future;

use tokio::net::TcpListener;
use tokio_stream::wrappers::TcpListenerStream;

use crate::pb::{self, FILE_DESCRIPTOR_SET};
use crate::validate::{OsrmUrls, Policy, RequestLimits};

pub use routing_service::RoutingService;

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
}

/// Serves until `shutdown` completes, then drains in-flight calls.
pub async fn run(
    listener: TcpListener,
    shutdown: impl Future<Output = ()>,
) -> Result<(), ServerError> {
    run_with(listener, shutdown, crate::travel::TravelConfig::default()).await
}

/// Serves like [`run`], with `travel` as the default travel sources and the default
/// request limits.
pub async fn run_with(
    listener: TcpListener,
    shutdown: impl Future<Output = ()>,
    travel: crate::travel::TravelConfig,
) -> Result<(), ServerError> {
    let policy = server_policy(&travel, RequestLimits::default(), &[]);
    serve(listener, shutdown, travel, policy).await
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

/// Serves like [`run_with`], requests validated within `policy`.
pub async fn serve(
    listener: TcpListener,
    shutdown: impl Future<Output = ()>,
    travel: crate::travel::TravelConfig,
    policy: Policy,
) -> Result<(), ServerError> {
    let (health_reporter, health_service) = tonic_health::server::health_reporter();
    health_reporter
        .set_serving::<pb::routing_server::RoutingServer<RoutingService>>()
        .await;
    let reflection_v1 = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
        .build_v1()?;
    let reflection_v1alpha = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
        .build_v1alpha()?;
    let routing = pb::routing_server::RoutingServer::new(RoutingService {
        travel: std::sync::Arc::new(travel),
        policy: std::sync::Arc::new(policy),
    })
    .max_decoding_message_size(MAX_DECODING_MESSAGE_BYTES)
    .max_encoding_message_size(MAX_DECODING_MESSAGE_BYTES);
    tonic::transport::Server::builder()
        .add_service(health_service)
        .add_service(reflection_v1)
        .add_service(reflection_v1alpha)
        .add_service(routing)
        .serve_with_incoming_shutdown(TcpListenerStream::new(listener), shutdown)
        .await?;
    Ok(())
}
