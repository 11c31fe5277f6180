//! The HTTP/JSON API against a real server on 127.0.0.1:0 with a real HTTP client:
//! solve (the answer passes the checker), matrix, health, the OpenAPI document judging
//! every request and answer, and the errors: malformed JSON, bad fields, a body over the
//! limit, API keys. Searches end on iteration caps, never on the machine's speed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "common/http.rs"]
mod http;

use std::sync::Arc;

use common::{assert_feasible, demo_request, quick_options, site_at};
use http::{answer, assert_matches, matches, openapi, start_http};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tournee::pb;
use tournee::server::{AdmissionLimits, ApiKeys, ServerConfig, key_line};

/// The demo with a 30-iteration search.
fn quick_demo() -> pb::SolveRequest {
    let mut request = demo_request();
    request.options = Some(quick_options(30));
    request
}

#[tokio::test]
async fn solves_the_json_mapping_and_the_answer_passes_the_checker() {
    let config = ServerConfig::default();
    let metrics = config.metrics.clone();
    let server = start_http(config).await;
    let document = openapi(&server).await;
    let request = quick_demo();
    let body = serde_json::to_value(&request).unwrap();
    assert_matches(&document, "SolveRequest", &body);
    let sent = server
        .post("/v1/solve", body.to_string())
        .header("x-request-id", "web-shop-42")
        .header("x-request-timeout-ms", "3600000");
    let (status, id, answer) = answer(sent.send().await.unwrap()).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(id.as_deref(), Some("web-shop-42"));
    assert_matches(&document, "SolveResponse", &answer);
    let response: pb::SolveResponse = serde_json::from_value(answer).unwrap();
    assert!(!response.tours.is_empty());
    assert_feasible(&request, &response);
    // Counted with gRPC's calls, under the same method.
    let counted = metrics.render();
    assert!(
        counted.contains("tournee_calls_total{method=\"Solve\",code=\"Ok\"} 1"),
        "{counted}"
    );
}

#[tokio::test]
async fn computes_a_matrix() {
    let server = start_http(ServerConfig::default()).await;
    let document = openapi(&server).await;
    let request = pb::ComputeMatrixRequest {
        points: vec![
            site_at("vaduz", 47.141, 9.521),
            site_at("schaan", 47.165, 9.509),
            site_at("balzers", 47.066, 9.502),
        ],
        ..Default::default()
    };
    let body = serde_json::to_value(&request).unwrap();
    assert_matches(&document, "ComputeMatrixRequest", &body);
    let (status, id, answer) = answer(
        server
            .post("/v1/matrix", body.to_string())
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert!(id.is_some(), "every answer carries its request id");
    assert_matches(&document, "ComputeMatrixResponse", &answer);
    let matrix: pb::ComputeMatrixResponse = serde_json::from_value(answer).unwrap();
    assert_eq!(matrix.ids, ["vaduz", "schaan", "balzers"]);
    assert_eq!(matrix.durations_s.len(), 3);
    assert_eq!(matrix.durations_s[0].values[0], 0);
    assert!(matrix.distances_m[0].values[2] > 5_000);
}

#[tokio::test]
async fn health_and_the_document_are_open() {
    let keys = ApiKeys::parse(&key_line("shop", "key-of-the-shop-0123456789")).unwrap();
    let mut config = ServerConfig::default();
    config.access.api_keys = Some(Arc::new(keys));
    let server = start_http(config).await;
    let health = server
        .client
        .get(server.url("/health"))
        .send()
        .await
        .unwrap();
    let (status, _, body) = answer(health).await;
    assert_eq!((status, body), (200, json!({"status": "SERVING"})));
    let document = openapi(&server).await;
    assert_eq!(document["openapi"], "3.1.0");
    let paths = [
        "/v1/solve",
        "/v1/matrix",
        "/v1/operations",
        "/v1/operations/{id}/wait",
    ];
    for path in paths.into_iter().chain(["/", "/optimization", "/health"]) {
        assert!(document["paths"][path].is_object(), "{path} documented");
    }
    // The document judges: shapes it does not describe fail.
    let solve = serde_json::to_value(quick_demo()).unwrap();
    assert!(matches(&document, "SolveRequest", &solve));
    let mut wrong = solve.clone();
    wrong["sites"][0]["openingWindows"][0]["startS"] = json!("nine");
    assert!(!matches(&document, "SolveRequest", &wrong));
    wrong = solve.clone();
    wrong["vehicles"][0]["wheels"] = json!(4);
    assert!(!matches(&document, "SolveRequest", &wrong));
    assert!(!matches(
        &document,
        "SolveResponse",
        &json!({"tours": [{"steps": 3}]})
    ));
    assert!(!matches(&document, "Error", &json!({"code": "INTERNAL"})));
    let (status, _, body) = answer(
        server
            .client
            .get(server.url("/nowhere"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((status, &body["code"]), (404, &json!("NOT_FOUND")));
}

#[tokio::test]
async fn malformed_json_is_refused_with_its_position() {
    let server = start_http(ServerConfig::default()).await;
    let document = openapi(&server).await;
    let sent = server.post("/v1/solve", "{\n  \"sites\": [\n}");
    let (status, _, error) = answer(sent.send().await.unwrap()).await;
    assert_eq!(status, 400, "{error}");
    assert_matches(&document, "Error", &error);
    assert_eq!(error["code"], "INVALID_ARGUMENT");
    let message = error["message"].as_str().unwrap();
    assert!(message.contains("line 3 column 1"), "{message}");
    // Valid JSON of the wrong shape is named too.
    let sent = server.post("/v1/solve", r#"{"sites": 7}"#);
    let (status, _, error) = answer(sent.send().await.unwrap()).await;
    assert_eq!(status, 400, "{error}");
    assert!(
        error["message"].as_str().unwrap().contains("column"),
        "{error}"
    );
}

#[tokio::test]
async fn bad_fields_are_listed_with_their_paths_as_grpc_lists_them() {
    let server = start_http(ServerConfig::default()).await;
    let document = openapi(&server).await;
    let mut request = quick_demo();
    request.sites[0] = site_at(&request.sites[0].id, 100.0, 9.5);
    let sent = server.post("/v1/solve", serde_json::to_string(&request).unwrap());
    let (status, _, error) = answer(sent.send().await.unwrap()).await;
    assert_eq!(status, 400, "{error}");
    assert_matches(&document, "Error", &error);
    assert_eq!(error["code"], "INVALID_ARGUMENT");
    let first = &error["violations"][0];
    assert_eq!(first["field"], "sites[0].location.coordinates.lat_deg");
    assert_eq!(first["reason"], "coordinates");
    assert!(error.get("more").is_none());

    // What gRPC says of the same request, HTTP says too.
    let status = server.grpc_client().await.solve(request).await.unwrap_err();
    assert_eq!(error["message"], status.message());

    // A thousand violations: fifty listed, the rest counted.
    let mut request = quick_demo();
    request.sites = (0..1000)
        .map(|i| site_at(&format!("bad-{i}"), 100.0, 9.5))
        .collect();
    let sent = server.post("/v1/solve", serde_json::to_string(&request).unwrap());
    let (status, _, error) = answer(sent.send().await.unwrap()).await;
    assert_eq!(status, 400);
    assert_matches(&document, "Error", &error);
    assert_eq!(error["violations"].as_array().unwrap().len(), 50);
    assert!(error["more"].as_u64().unwrap() >= 950, "{}", error["more"]);
}

#[tokio::test]
async fn a_twenty_mebibyte_body_is_read() {
    let server = start_http(ServerConfig::default()).await;
    // JSON allows any whitespace between tokens: the request itself stays small.
    let text = serde_json::to_string(&quick_demo()).unwrap();
    let body = format!("{}{text}", " ".repeat(20 * 1024 * 1024));
    let (status, _, answer) = answer(server.post("/v1/solve", body).send().await.unwrap()).await;
    assert_eq!(status, 200, "{answer}");
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_before_it_is_sent() {
    let server = start_http(ServerConfig::default()).await;
    // The head announces 100 MiB and no byte of the body follows: the answer can only
    // come from the announced length.
    let mut stream = tokio::net::TcpStream::connect(server.http).await.unwrap();
    let head = format!(
        "POST /v1/solve HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        server.http,
        100 * 1024 * 1024
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    while !String::from_utf8_lossy(&received).contains("}") {
        let read = stream.read(&mut buffer).await.unwrap();
        assert!(read > 0, "closed: {}", String::from_utf8_lossy(&received));
        received.extend_from_slice(&buffer[..read]);
    }
    let text = String::from_utf8_lossy(&received);
    assert!(text.starts_with("HTTP/1.1 413"), "{text}");
    let body: Value = serde_json::from_str(&text[text.find('{').unwrap()..]).unwrap();
    assert_eq!(body["code"], "OUT_OF_RANGE");
    assert!(
        body["message"].as_str().unwrap().contains("67108864"),
        "{body}"
    );
}

/// The answer to `head` then `body` sent on a new connection, as text (what the server
/// wrote before it closed or finished its JSON body). Writes may fail: the server may
/// answer and close before the body is through.
async fn raw_exchange(server: &http::HttpServer, head: &str, body: &[u8]) -> String {
    let mut stream = tokio::net::TcpStream::connect(server.http).await.unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    let _ = stream.write_all(body).await;
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    while !String::from_utf8_lossy(&received).ends_with('}') {
        match stream.read(&mut buffer).await {
            Ok(0) | Err(_) => break,
            Ok(read) => received.extend_from_slice(&buffer[..read]),
        }
    }
    String::from_utf8_lossy(&received).into_owned()
}

/// Asserts that `text` (a raw HTTP answer) refuses a call for the server's bytes.
fn assert_refused_for_bytes(text: &str) {
    assert!(text.starts_with("HTTP/1.1 429"), "{text}");
    assert!(
        text.to_ascii_lowercase().contains("retry-after: "),
        "{text}"
    );
    let body: Value = serde_json::from_str(&text[text.find('{').unwrap()..]).unwrap();
    assert_eq!(body["code"], "RESOURCE_EXHAUSTED", "{body}");
    assert!(
        body["message"].as_str().unwrap().contains("bytes"),
        "{body}"
    );
}

#[tokio::test]
async fn bodies_count_against_the_servers_bound_on_request_bytes() {
    let mib = 1024 * 1024;
    let server = start_http(ServerConfig {
        max_request_bytes_in_flight: 2 * mib,
        ..ServerConfig::default()
    })
    .await;
    let host = server.http;
    // Announced: refused from the head, no byte of the body sent.
    let head = format!(
        "POST /v1/solve HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        3 * mib
    );
    assert_refused_for_bytes(&raw_exchange(&server, &head, b"").await);
    // Unannounced: refused once the chunks that arrived pass the bound.
    let head = format!(
        "POST /v1/solve HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    );
    let chunk = format!("{:x}\r\n{}\r\n", 256 * 1024, " ".repeat(256 * 1024));
    let body = chunk.repeat(12) + "0\r\n\r\n";
    assert_refused_for_bytes(&raw_exchange(&server, &head, body.as_bytes()).await);
    // What the refused calls held came back: a request of 1.5 MiB fits.
    let text = serde_json::to_string(&quick_demo()).unwrap();
    let body = format!("{}{text}", " ".repeat(3 * mib / 2));
    let (status, _, answer) = answer(server.post("/v1/solve", body).send().await.unwrap()).await;
    assert_eq!(status, 200, "{answer}");
}

#[tokio::test]
async fn keys_are_checked_like_grpc_checks_them() {
    let keys = ApiKeys::parse(&key_line("shop", "key-of-the-shop-0123456789")).unwrap();
    let mut config = ServerConfig::default();
    config.access.api_keys = Some(Arc::new(keys));
    let server = start_http(config).await;
    let document = openapi(&server).await;
    let body = serde_json::to_string(&quick_demo()).unwrap();
    for key in [None, Some("Bearer wrong-key-0123456789")] {
        let mut sent = server.post("/v1/solve", body.clone());
        if let Some(key) = key {
            sent = sent.header("authorization", key);
        }
        let (status, _, error) = answer(sent.send().await.unwrap()).await;
        assert_eq!(status, 401, "{error}");
        assert_matches(&document, "Error", &error);
        assert_eq!(error["code"], "UNAUTHENTICATED");
        assert_eq!(error["message"], tournee::server::UNAUTHENTICATED_MESSAGE);
    }
    let sent = server
        .post("/v1/solve", body)
        .header("authorization", "Bearer key-of-the-shop-0123456789");
    let (status, _, answer) = answer(sent.send().await.unwrap()).await;
    assert_eq!(status, 200, "{answer}");
}

/// The demo with an iteration cap that never ends the search: it holds its solver
/// until its caller goes away or the server stops it.
fn endless_demo() -> pb::SolveRequest {
    let mut request = demo_request();
    request.options = Some(quick_options(u64::MAX));
    request
}

/// One solver, no queue.
fn one_solver() -> ServerConfig {
    ServerConfig {
        admission: AdmissionLimits {
            max_concurrent_solves: 1,
            max_queue: 0,
        },
        ..ServerConfig::default()
    }
}

#[tokio::test]
async fn http_and_grpc_callers_share_one_queue() {
    let server = start_http(one_solver()).await;
    let document = openapi(&server).await;
    let mut running = server
        .grpc_client()
        .await
        .solve_stream(endless_demo())
        .await
        .expect("the gRPC call runs")
        .into_inner();
    // Its first progress event: the gRPC solve holds the only solver.
    running
        .message()
        .await
        .expect("progress")
        .expect("an event");

    let body = serde_json::to_string(&quick_demo()).unwrap();
    let refused = server.post("/v1/solve", body).send().await.unwrap();
    let retry_after = refused.headers().get("retry-after").cloned();
    let (status, _, error) = answer(refused).await;
    assert_eq!(status, 429, "{error}");
    assert_matches(&document, "Error", &error);
    assert_eq!(error["code"], "RESOURCE_EXHAUSTED");
    let seconds: u64 = retry_after.unwrap().to_str().unwrap().parse().unwrap();
    assert!(seconds >= 1);
    // VROOM's door waits in the same queue, and says so in vroom-express's shape.
    let vroom = include_str!("../data/vroom/cooperative.json");
    let refused = server.post("/", vroom).send().await.unwrap();
    assert!(refused.headers().contains_key("retry-after"));
    let (status, _, error) = answer(refused).await;
    assert_eq!((status, &error["code"]), (429, &json!(1)), "{error}");
    assert_matches(&document, "VroomError", &error);
    let health = server
        .client
        .get(server.url("/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    drop(running);
}

#[tokio::test]
async fn a_call_in_flight_at_shutdown_gets_its_best_plan() {
    let config = ServerConfig {
        grace_period: std::time::Duration::ZERO,
        ..one_solver()
    };
    let metrics = config.metrics.clone();
    let mut server = start_http(config).await;
    let request = endless_demo();
    let sent = server.post("/v1/solve", serde_json::to_string(&request).unwrap());
    let call = tokio::spawn(sent.send());
    // Shut down once the solve runs (a state to wait for, not a duration).
    while !metrics.render().contains("tournee_solves_running 1") {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    server.shut_down();
    let (status, _, answer) = answer(call.await.unwrap().unwrap()).await;
    assert_eq!(status, 200, "{answer}");
    let response: pb::SolveResponse = serde_json::from_value(answer).unwrap();
    assert_eq!(response.stop_reason, pb::StopReason::Cancelled as i32);
    assert_feasible(&request, &response);
}
