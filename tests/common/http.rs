//! A real server with its HTTP/JSON listener, both on 127.0.0.1:0, a real HTTP client,
//! and the server's own OpenAPI document as the judge of what goes in and comes out.
//! Included by the HTTP test files with `#[path]`, so `common/mod.rs` stays as it is.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::net::SocketAddr;

use serde_json::Value;
use tokio::sync::oneshot;
use tournee::pb;
use tournee::server::ServerConfig;

/// A running server with both listeners; dropping it shuts the server down.
pub struct HttpServer {
    /// The gRPC listener.
    pub grpc: SocketAddr,
    /// The HTTP listener.
    pub http: SocketAddr,
    /// A client that ignores any proxy from the environment.
    pub client: reqwest::Client,
    shutdown: Option<oneshot::Sender<()>>,
}

impl Drop for HttpServer {
    fn drop(&mut self) {
        if let Some(sender) = self.shutdown.take() {
            let _ = sender.send(());
        }
    }
}

impl HttpServer {
    /// The URL of `path` on the HTTP listener.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.http)
    }

    /// A POST of `body` (JSON text) to `path`.
    pub fn post(&self, path: &str, body: impl Into<reqwest::Body>) -> reqwest::RequestBuilder {
        self.client
            .post(self.url(path))
            .header("content-type", "application/json")
            .body(body)
    }

    /// A gRPC client of the same server.
    pub async fn grpc_client(
        &self,
    ) -> pb::routing_client::RoutingClient<tonic::transport::Channel> {
        pb::routing_client::RoutingClient::connect(format!("http://{}", self.grpc))
            .await
            .expect("connect")
    }

    /// Asks the server to shut down (health turns NOT_SERVING, the grace period runs).
    pub fn shut_down(&mut self) {
        if let Some(sender) = self.shutdown.take() {
            let _ = sender.send(());
        }
    }
}

/// Starts the real server with `config` and an HTTP listener.
pub async fn start_http(config: ServerConfig) -> HttpServer {
    let grpc = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let http = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let (grpc_addr, http_addr) = (grpc.local_addr().unwrap(), http.local_addr().unwrap());
    let (sender, receiver) = oneshot::channel::<()>();
    tokio::spawn(async move {
        let shutdown = async {
            let _ = receiver.await;
        };
        tournee::http::run_with_http(grpc, http, shutdown, config)
            .await
            .expect("server");
    });
    HttpServer {
        grpc: grpc_addr,
        http: http_addr,
        client: reqwest::Client::builder().no_proxy().build().unwrap(),
        shutdown: Some(sender),
    }
}

/// The OpenAPI document the server serves.
pub async fn openapi(server: &HttpServer) -> Value {
    let answer = server
        .client
        .get(server.url("/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    answer.json().await.unwrap()
}

/// Fails unless `instance` matches the schema `name` of the OpenAPI `document`
/// (`#/components/schemas/<name>`, references resolved within the document).
pub fn assert_matches(document: &Value, name: &str, instance: &Value) {
    let errors: Vec<String> = validator(document, name)
        .iter_errors(instance)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .take(10)
        .collect();
    assert!(errors.is_empty(), "not a valid {name}: {errors:#?}");
}

/// Whether `instance` matches the schema `name` of the OpenAPI `document`.
pub fn matches(document: &Value, name: &str, instance: &Value) -> bool {
    validator(document, name).is_valid(instance)
}

/// A validator of the schema `name` within the whole document, so that its references
/// resolve.
fn validator(document: &Value, name: &str) -> jsonschema::Validator {
    let mut schema = document.clone();
    schema["$ref"] = Value::String(format!("#/components/schemas/{name}"));
    jsonschema::draft202012::new(&schema).expect("the document compiles")
}

/// `response`'s status, `x-request-id` and JSON body.
pub async fn answer(response: reqwest::Response) -> (u16, Option<String>, Value) {
    let status = response.status().as_u16();
    let id = response
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let body = response.json().await.expect("a JSON body");
    (status, id, body)
}
