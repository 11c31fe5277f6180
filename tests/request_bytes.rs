//! The bound on request bytes held (`serve --max-request-bytes-in-flight`), against a
//! real server on 127.0.0.1:0: a request bigger than what is left is refused with
//! RESOURCE_EXHAUSTED and a retry delay before it is decoded, and the server goes on; a
//! call's bytes stay counted while it runs (a SolveStream until its reader goes) and
//! come back when it ends; a request with more than 100,000 entries of one list is
//! refused before decoding too (INVALID_ARGUMENT). No step depends on the machine's
//! speed: the held solve ends only when its reader goes away, and the retry after it
//! polls.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::operations::request;
use common::{TestServer, assert_feasible, start_server_config};
use tonic_types::StatusExt;
use tournee::pb;
use tournee::server::{Metrics, ServerConfig};

const MIB: usize = 1024 * 1024;

/// A server that holds at most 2 MiB of requests, and its metrics.
async fn bounded_server() -> (TestServer, Arc<Metrics>) {
    let metrics = Metrics::new();
    let server = start_server_config(ServerConfig {
        max_request_bytes_in_flight: 2 * MIB,
        metrics: metrics.clone(),
        ..ServerConfig::default()
    })
    .await;
    (server, metrics)
}

/// The demo in `iterations` iterations, padded to `bytes` and more (a long site name).
fn padded(iterations: u64, bytes: usize) -> pb::SolveRequest {
    let mut request = request(iterations);
    request.sites[0].name = "x".repeat(bytes);
    request
}

/// Asserts that `status` is the refusal of a server holding too many request bytes.
fn assert_refused_for_bytes(status: &tonic::Status) {
    assert_eq!(status.code(), tonic::Code::ResourceExhausted, "{status:?}");
    assert!(status.message().contains("bytes"), "{}", status.message());
    let retry = status.get_details_retry_info().expect("RetryInfo");
    assert!(retry.retry_delay.is_some_and(|delay| !delay.is_zero()));
}

#[tokio::test]
async fn a_request_past_the_bound_is_refused_and_the_server_goes_on() {
    let (server, metrics) = bounded_server().await;
    let mut client = server.client().await;
    let refused = client.solve(padded(20, 3 * MIB)).await.unwrap_err();
    assert_refused_for_bytes(&refused);
    let stream = client.solve_stream(padded(20, 3 * MIB)).await.unwrap_err();
    assert_refused_for_bytes(&stream);
    let submit = client.submit_solve(padded(20, 3 * MIB)).await.unwrap_err();
    assert_refused_for_bytes(&submit);

    let small = request(20);
    let answer = client
        .solve(small.clone())
        .await
        .expect("a small request fits");
    assert_feasible(&small, answer.get_ref());
    let scrape = metrics.render();
    for method in ["Solve", "SolveStream", "SubmitSolve"] {
        let refused =
            format!("tournee_calls_total{{method=\"{method}\",code=\"ResourceExhausted\"}} 1");
        assert!(scrape.contains(&refused), "{scrape}");
    }
}

#[tokio::test]
async fn a_running_call_holds_its_bytes_until_it_ends() {
    let (server, metrics) = bounded_server().await;
    let mut client = server.client().await;
    let mut held = client
        .solve_stream(padded(u64::MAX, 1_200_000))
        .await
        .expect("the first big request fits")
        .into_inner();
    held.message().await.expect("progress").expect("an event");

    // 1.2 MB held of 2 MiB: another big request does not fit, a small one does.
    let refused = client.solve(padded(20, 1_200_000)).await.unwrap_err();
    assert_refused_for_bytes(&refused);
    let small = request(20);
    client
        .solve(small)
        .await
        .expect("a small request fits beside");

    // The reader goes away: the stream's bytes come back once its answer is gone, which
    // takes as long as it takes: retry until then.
    drop(held);
    let big = padded(20, 1_200_000);
    let answer = loop {
        match client.solve(big.clone()).await {
            Err(status) if status.code() == tonic::Code::ResourceExhausted => {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            other => break other.expect("the big request fits again"),
        }
    };
    assert_feasible(&big, answer.get_ref());
    // Every answer gone, nothing is held.
    while !metrics
        .render()
        .contains("tournee_request_bytes_in_flight 0\n")
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn a_list_past_the_ceiling_is_refused_before_decoding() {
    let (server, _metrics) = bounded_server().await;
    let mut client = server.client().await;
    // 100,001 empty vehicles: 200 kB on the wire, 34 MB once decoded.
    let mut flood = request(20);
    flood.vehicles = vec![pb::Vehicle::default(); 100_001];
    let refused = client.solve(flood).await.unwrap_err();
    assert_eq!(refused.code(), tonic::Code::InvalidArgument, "{refused:?}");
    assert!(
        refused.message().contains("[too_large]"),
        "{}",
        refused.message()
    );

    let small = request(20);
    let answer = client
        .solve(small.clone())
        .await
        .expect("the server goes on");
    assert_feasible(&small, answer.get_ref());
}
