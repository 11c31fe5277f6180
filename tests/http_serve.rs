//! `tournee serve --http-addr` as a user runs it: the real binary on 127.0.0.1:0 for
//! both listeners, found through its log line, answers HTTP beside gRPC and exits 0 on
//! SIGTERM. No step depends on the machine's speed: the solve ends on its iteration cap.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use common::{assert_feasible, demo_request, quick_options};
use serde_json::Value;
use tournee::pb;

#[tokio::test]
async fn serve_with_an_http_address_answers_json_and_stops_on_sigterm() {
    let mut child = common::KillOnDrop::new(
        Command::new(env!("CARGO_BIN_EXE_tournee"))
            .args([
                "serve",
                "--addr",
                "127.0.0.1:0",
                "--http-addr",
                "127.0.0.1:0",
            ])
            .args([
                "--no-data-dir",
                "--log-format",
                "json",
                "--grace-period-s",
                "1",
            ])
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("tournee serve starts"),
    );
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let http = loop {
        let line = lines.next().expect("a log line before the end").unwrap();
        let event: Value = serde_json::from_str(&line).unwrap();
        if let Some(bound) = event["fields"]["bound"].as_str()
            && event["fields"]["message"]
                .as_str()
                .is_some_and(|m| m.starts_with("HTTP/JSON API"))
        {
            break bound.to_string();
        }
    };
    // Keep reading the logs, so the server never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));

    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let health = client
        .get(format!("http://{http}/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    let mut request = demo_request();
    request.options = Some(quick_options(30));
    let solved = client
        .post(format!("http://{http}/v1/solve"))
        .header("content-type", "application/json")
        .body(serde_json::to_string(&request).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(solved.status(), 200);
    let response: pb::SolveResponse = solved.json().await.unwrap();
    assert_feasible(&request, &response);

    child.terminate();
    child.exits_cleanly().await;
}
