//! Admission control against a real server on 127.0.0.1:0: one solve running, one
//! waiting, the next refused with RESOURCE_EXHAUSTED and a retry delay, health still
//! answering; the waiting call runs once the solver is free. No step depends on the
//! machine's speed: the running solve stops only when its caller goes away.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{assert_feasible, demo_request, health_status, quick_options, start_server_config};
use tonic_types::StatusExt;
use tournee::pb;
use tournee::server::{AdmissionLimits, ServerConfig};

/// The demo with an iteration cap that never ends the search.
fn endless_request() -> pb::SolveRequest {
    let mut request = demo_request();
    request.options = Some(quick_options(u64::MAX));
    request
}

#[tokio::test]
async fn past_the_queue_a_call_gets_resource_exhausted_with_retry_info() {
    let server = start_server_config(ServerConfig {
        admission: AdmissionLimits {
            max_concurrent_solves: 1,
            max_queue: 1,
        },
        ..ServerConfig::default()
    })
    .await;
    let mut client = server.client().await;
    let mut running = client
        .solve_stream(endless_request())
        .await
        .expect("the first call runs")
        .into_inner();
    // Its first progress event: the solve holds the only solver.
    running
        .message()
        .await
        .expect("progress")
        .expect("an event");

    let mut quick = demo_request();
    quick.options = Some(quick_options(30));
    let calls: Vec<_> = (0..2)
        .map(|_| {
            let (mut client, request) = (client.clone(), quick.clone());
            tokio::spawn(async move { client.solve(request).await })
        })
        .collect();
    // One of the two waits for the solver; the other finds the queue full and is refused
    // at once, whichever the server saw first.
    let (refused, rest) = first_to_end(calls).await;
    let status = refused.expect("joined").expect_err("refused");
    assert_eq!(status.code(), tonic::Code::ResourceExhausted, "{status:?}");
    let retry = status.get_details_retry_info().expect("RetryInfo");
    assert!(retry.retry_delay.is_some_and(|delay| !delay.is_zero()));
    assert!(status.message().len() < 200);

    let serving = tonic_health::pb::health_check_response::ServingStatus::Serving as i32;
    assert_eq!(health_status(server.addr, "").await, serving);
    assert_eq!(
        health_status(server.addr, "tournee.v1.Routing").await,
        serving
    );

    // The caller of the running solve goes away: the waiting call gets the solver.
    drop(running);
    let waited = rest
        .await
        .expect("joined")
        .expect("the waiting call is solved");
    assert_feasible(&quick, &waited.into_inner());
}

type Call = tokio::task::JoinHandle<Result<tonic::Response<pb::SolveResponse>, tonic::Status>>;

/// The first of two calls to end, and the other.
async fn first_to_end(
    mut calls: Vec<Call>,
) -> (
    Result<Result<tonic::Response<pb::SolveResponse>, tonic::Status>, tokio::task::JoinError>,
    Call,
) {
    let mut second = calls.pop().expect("two calls");
    let mut first = calls.pop().expect("two calls");
    tokio::select! {
        done = &mut first => (done, second),
        done = &mut second => (done, first),
    }
}
