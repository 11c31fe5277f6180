//! The long-running operations over HTTP against a real server on 127.0.0.1:0: submit,
//! wait, get, list, cancel and delete at `/v1/operations…`, each answer judged by the
//! OpenAPI document; an operation is its caller's key's own. Searches end on iteration
//! caps or on a cancel, never on the machine's speed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "common/http.rs"]
mod http;

use std::sync::Arc;

use common::{assert_feasible, demo_request, quick_options};
use http::{HttpServer, answer, assert_matches, openapi, start_http};
use serde_json::Value;
use tournee::pb;
use tournee::server::{ApiKeys, ServerConfig, key_line};

/// The demo with an iteration cap of `iterations`.
fn demo(iterations: u64) -> pb::SolveRequest {
    let mut request = demo_request();
    request.options = Some(quick_options(iterations));
    request
}

/// Sends `request` and reads the answer; `key` as a bearer key when given.
async fn call(request: reqwest::RequestBuilder, key: Option<&str>) -> (u16, Value) {
    let request = match key {
        Some(key) => request.header("authorization", format!("Bearer {key}")),
        None => request,
    };
    let (status, _, body) = answer(request.send().await.unwrap()).await;
    (status, body)
}

/// Waits until the operation `name` is done.
async fn wait_done(server: &HttpServer, name: &str, key: Option<&str>) -> Value {
    loop {
        let url = server.url(&format!("/v1/{name}/wait?timeoutMs=3600000"));
        let (status, operation) = call(server.client.post(url), key).await;
        assert_eq!(status, 200, "{operation}");
        if operation["done"] == true {
            return operation;
        }
    }
}

#[tokio::test]
async fn submit_wait_get_list_and_delete() {
    let server = start_http(ServerConfig::default()).await;
    let document = openapi(&server).await;
    let request = demo(30);
    let body = serde_json::to_string(&request).unwrap();
    let (status, submitted) = call(server.post("/v1/operations", body), None).await;
    assert_eq!(status, 200, "{submitted}");
    assert_matches(&document, "Operation", &submitted);
    let name = submitted["name"].as_str().unwrap().to_string();
    assert!(name.starts_with("operations/"), "{name}");

    let done = wait_done(&server, &name, None).await;
    assert_matches(&document, "Operation", &done);
    let response: pb::SolveResponse = serde_json::from_value(done["response"].clone()).unwrap();
    assert_feasible(&request, &response);

    let url = server.url(&format!("/v1/{name}"));
    let (status, got) = call(server.client.get(&url), None).await;
    assert_eq!((status, &got), (200, &done));
    let (status, listed) = call(
        server.client.get(server.url("/v1/operations?pageSize=5")),
        None,
    )
    .await;
    assert_eq!(status, 200, "{listed}");
    assert_matches(&document, "ListOperationsResponse", &listed);
    assert_eq!(listed["operations"][0]["name"], name.as_str());

    let (status, deleted) = call(server.client.delete(&url), None).await;
    assert_eq!(status, 200, "{deleted}");
    let (status, error) = call(server.client.get(&url), None).await;
    assert_eq!(
        (status, &error["code"]),
        (404, &Value::from("NOT_FOUND")),
        "{error}"
    );
    assert_matches(&document, "Error", &error);
}

#[tokio::test]
async fn refusals_and_cancels_say_what_grpc_says() {
    let server = start_http(ServerConfig::default()).await;
    let document = openapi(&server).await;
    let mut invalid = demo(30);
    invalid.vehicles.clear();
    let body = serde_json::to_string(&invalid).unwrap();
    let (status, error) = call(server.post("/v1/operations", body), None).await;
    assert_eq!(status, 400, "{error}");
    assert_matches(&document, "Error", &error);
    let fields: Vec<&str> = error["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["field"].as_str().unwrap())
        .collect();
    assert!(fields.contains(&"vehicles"), "{fields:?}");
    let bad_size = server.url("/v1/operations?pageSize=many");
    let (status, error) = call(server.client.get(bad_size), None).await;
    assert_eq!(
        (status, &error["code"]),
        (400, &Value::from("INVALID_ARGUMENT"))
    );

    // A search without an end but the cancel.
    let body = serde_json::to_string(&demo(u64::MAX)).unwrap();
    let (status, submitted) = call(server.post("/v1/operations", body), None).await;
    assert_eq!(status, 200, "{submitted}");
    let name = submitted["name"].as_str().unwrap();
    let url = server.url(&format!("/v1/{name}/cancel"));
    let (status, cancelled) = call(server.client.post(url), None).await;
    assert_eq!(status, 200, "{cancelled}");
    let done = wait_done(&server, name, None).await;
    assert_eq!(
        done["error"]["code"],
        tonic::Code::Cancelled as i32,
        "{done}"
    );
}

#[tokio::test]
async fn an_operation_is_its_keys_own() {
    let keys = format!(
        "{}\n{}\n",
        key_line("farm", "key-of-the-farm-0123456789"),
        key_line("shop", "key-of-the-shop-0123456789")
    );
    let mut config = ServerConfig::default();
    config.access.api_keys = Some(Arc::new(ApiKeys::parse(&keys).unwrap()));
    let server = start_http(config).await;
    let (farm, shop) = (
        Some("key-of-the-farm-0123456789"),
        Some("key-of-the-shop-0123456789"),
    );
    let body = serde_json::to_string(&demo(30)).unwrap();
    let (status, _) = call(server.post("/v1/operations", body.clone()), None).await;
    assert_eq!(status, 401);
    let (status, submitted) = call(server.post("/v1/operations", body), farm).await;
    assert_eq!(status, 200, "{submitted}");
    let name = submitted["name"].as_str().unwrap();
    let url = server.url(&format!("/v1/{name}"));
    let (status, _) = call(server.client.get(&url), shop).await;
    assert_eq!(status, 404);
    wait_done(&server, name, farm).await;
    let (status, listed) = call(server.client.get(server.url("/v1/operations")), shop).await;
    assert_eq!(status, 200);
    assert!(
        listed["operations"].as_array().is_none_or(Vec::is_empty),
        "{listed}"
    );
}
