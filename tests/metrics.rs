//! `/metrics` of a real server on 127.0.0.1:0: after one Solve, the scrape counts it by
//! method and code, and shows the solve in the duration histogram and the gauges.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{demo_request, quick_options, start_server_config};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tournee::server::{Metrics, ServerConfig};

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
