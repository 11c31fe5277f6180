//! `/metrics` of a real server on 127.0.0.1:0: after one Solve, the scrape counts it by
//! method and code, and shows the solve in the duration histogram and the gauges; calls
//! refused for want of a key are counted by method; long-running operations show by
//! state (running, then ended succeeded or cancelled); a pooled solve counts its
//! coalitions, and a solve on the embedded road graph its lookup of the prepared
//! network. No step depends on the machine's speed: searches end on iteration caps or a
//! cancel, and waits poll.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;

use common::operations::request;
use common::{demo_request, quick_options, start_server_config};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tournee::pb;
use tournee::server::{Access, ApiKeys, Metrics, ServerConfig, key_line};

/// `GET path` on `addr`, the whole answer.
async fn get(addr: std::net::SocketAddr, path: &str) -> String {
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let head = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n");
    stream.write_all(head.as_bytes()).await.expect("write");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.expect("read");
    answer
}

#[tokio::test]
async fn scrape_counts_a_solve_by_method_and_code() {
    let metrics = Metrics::new();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let metrics_addr = listener.local_addr().expect("addr");
    tokio::spawn(tournee::server::serve_metrics(listener, metrics.clone()));
    let server = start_server_config(ServerConfig {
        metrics,
        ..ServerConfig::default()
    })
    .await;
    let mut request = demo_request();
    request.options = Some(quick_options(20));
    let mut client = server.client().await;
    client.solve(request.clone()).await.expect("solved");
    request.vehicles.clear();
    client.solve(request).await.expect_err("no vehicles");

    let answer = get(metrics_addr, "/metrics").await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("tournee_calls_total{method=\"Solve\",code=\"Ok\"} 1"));
    assert!(answer.contains("tournee_calls_total{method=\"Solve\",code=\"InvalidArgument\"} 1"));
    assert!(answer.contains("tournee_solve_duration_seconds_count 1"));
    assert!(answer.contains("tournee_solves_running 0"));
    assert!(answer.contains("tournee_queue_depth 0"));
    assert!(
        get(metrics_addr, "/other")
            .await
            .starts_with("HTTP/1.1 404")
    );
}

/// The value of the sample `series` (name and labels, as the scrape writes them).
fn sample(scrape: &str, series: &str) -> Option<f64> {
    scrape.lines().find_map(|line| {
        let value = line.strip_prefix(series)?.strip_prefix(' ')?;
        value.parse().ok()
    })
}

/// A server with the key "farm" and its metrics served on an address of their own.
async fn keyed_server_with_metrics(
    travel: tournee::travel::TravelConfig,
) -> (common::TestServer, std::net::SocketAddr) {
    let metrics = Metrics::new();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let metrics_addr = listener.local_addr().expect("addr");
    tokio::spawn(tournee::server::serve_metrics(listener, metrics.clone()));
    let keys = ApiKeys::parse(&key_line("farm", FARM_KEY)).expect("keys");
    let server = start_server_config(ServerConfig {
        metrics,
        access: Access {
            api_keys: Some(Arc::new(keys)),
            max_solves_per_key: None,
            ..Access::default()
        },
        ..ServerConfig::new(travel)
    })
    .await;
    (server, metrics_addr)
}

const FARM_KEY: &str = "farm-0123456789abcdef0123456789";

/// `message` sent with the farm's key.
fn as_farm<T>(message: T) -> tonic::Request<T> {
    let mut request = tonic::Request::new(message);
    let value = format!("Bearer {FARM_KEY}").parse().expect("ascii");
    request.metadata_mut().insert("authorization", value);
    request
}

#[tokio::test]
async fn scrape_shows_operations_by_state_and_refused_calls() {
    let (server, metrics_addr) = keyed_server_with_metrics(Default::default()).await;
    let mut client = server.client().await;
    let refused = client.solve(request(20)).await.unwrap_err();
    assert_eq!(refused.code(), tonic::Code::Unauthenticated);

    let endless = client
        .submit_solve(as_farm(request(u64::MAX)))
        .await
        .expect("submitted")
        .into_inner();
    // Running once the scrape says so, however long the start takes.
    let running = "tournee_operations{state=\"running\"}";
    while sample(&get(metrics_addr, "/metrics").await, running) != Some(1.0) {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let cancel = pb::CancelOperationRequest {
        name: endless.name.clone(),
    };
    client
        .cancel_operation(as_farm(cancel))
        .await
        .expect("cancelled");
    let quick = client
        .submit_solve(as_farm(request(20)))
        .await
        .expect("submitted")
        .into_inner();
    for name in [&endless.name, &quick.name] {
        wait_done_as_farm(&mut client, name).await;
    }

    let scrape = get(metrics_addr, "/metrics").await;
    let ended = |state: &str| {
        sample(
            &scrape,
            &format!("tournee_operations_ended_total{{state=\"{state}\"}}"),
        )
    };
    assert_eq!(ended("succeeded"), Some(1.0), "{scrape}");
    assert_eq!(ended("cancelled"), Some(1.0), "{scrape}");
    assert_eq!(ended("failed"), Some(0.0), "{scrape}");
    assert_eq!(sample(&scrape, running), Some(0.0), "{scrape}");
    assert_eq!(
        sample(&scrape, "tournee_operations{state=\"queued\"}"),
        Some(0.0)
    );
    assert_eq!(
        sample(&scrape, "tournee_operations_resumed_total"),
        Some(0.0)
    );
    let unauthenticated = "tournee_calls_total{method=\"Solve\",code=\"Unauthenticated\"}";
    assert_eq!(sample(&scrape, unauthenticated), Some(1.0), "{scrape}");
    let submitted = "tournee_calls_total{method=\"SubmitSolve\",code=\"Ok\"}";
    assert_eq!(sample(&scrape, submitted), Some(2.0), "{scrape}");
}

#[tokio::test]
async fn scrape_counts_pooling_coalitions_and_road_network_cache_lookups() {
    let (server, metrics_addr) = keyed_server_with_metrics(common::liechtenstein_config()).await;
    let mut client = server.client().await;
    let before = get(metrics_addr, "/metrics").await;
    let lookups = |scrape: &str| {
        let hits = sample(scrape, "tournee_road_network_cache_total{result=\"hit\"}");
        let misses = sample(scrape, "tournee_road_network_cache_total{result=\"miss\"}");
        hits.unwrap_or(-1.0) + misses.unwrap_or(-1.0)
    };
    // The demo's five producers, on the roads of Liechtenstein, with the pooling report:
    // their coalitions are solved for it.
    let mut pooled = request(30);
    pooled.pooling = Some(pb::PoolingOptions {
        enabled: true,
        coalition_iterations: 20,
        ..Default::default()
    });
    let answer = client.solve(as_farm(pooled)).await.expect("solved");
    let coalitions = answer
        .get_ref()
        .pooling
        .as_ref()
        .expect("report")
        .coalitions_solved;
    assert!(coalitions > 0, "{coalitions}");

    let scrape = get(metrics_addr, "/metrics").await;
    let solved = sample(&scrape, "tournee_pooling_coalitions_solved_total");
    assert_eq!(solved, Some(f64::from(coalitions)), "{scrape}");
    // The road network is looked up (prepared, or found prepared: the cache is the
    // process's, shared with the other tests) at least once for the request's matrix.
    assert!(lookups(&scrape) > lookups(&before), "{before}\n{scrape}");
}

/// Waits as the farm until the operation is done, however long that takes.
async fn wait_done_as_farm(client: &mut common::operations::Client, name: &str) {
    loop {
        let wait = pb::WaitOperationRequest {
            name: name.to_string(),
            timeout_ms: 30_000,
        };
        let operation = client.wait_operation(as_farm(wait)).await.expect("wait");
        if operation.into_inner().done {
            return;
        }
    }
}
