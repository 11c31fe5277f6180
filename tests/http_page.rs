//! The planner page against a real server on 127.0.0.1:0: `GET /` and `GET /planner`
//! serve the page, `/planner/…` its scripts, style and the demo problem, each with its
//! content type and without a key; an unknown file is the API's 404; and `POST /` is
//! still vroom-express's endpoint. What the page calls besides the operations: VROOM
//! and DFC files converted to native requests (`/v1/convert/…`, bad fields named), an
//! operation's progress as server-sent events (`/v1/operations/ID/watch`: costs never
//! rise, the last event is the done operation, a pooling report's coalitions counted),
//! the road graph's roads in a box (`/v1/roads`) and the operator's tile template
//! (`/planner/config.json`, opened in the content security policy). Searches end on
//! iteration caps, never on the machine's speed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "common/http.rs"]
mod http;

use common::{assert_feasible, demo_request, liechtenstein_config, quick_options};
use http::{answer, start_http};
use serde_json::{Value, json};
use tournee::pb;
use tournee::server::{ApiKeys, ServerConfig, key_line};

/// GETs `path`: status, content type, body.
async fn get(server: &http::HttpServer, path: &str) -> (u16, String, String) {
    let answer = server.client.get(server.url(path)).send().await.unwrap();
    let status = answer.status().as_u16();
    let content_type = answer
        .headers()
        .get("content-type")
        .map(|value| value.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, content_type, answer.text().await.unwrap())
}

#[tokio::test]
async fn serves_the_page_and_its_files_with_their_content_types() {
    let server = start_http(ServerConfig::default()).await;
    for path in ["/", "/planner", "/planner/", "/planner/index.html"] {
        let (status, content_type, body) = get(&server, path).await;
        assert_eq!(status, 200, "{path}");
        assert_eq!(content_type, "text/html; charset=utf-8", "{path}");
        assert!(body.contains("<script src=\"/planner/app.js\">"), "{path}");
    }
    let files = [
        ("/planner/app.js", "text/javascript; charset=utf-8", "POST"),
        (
            "/planner/map.js",
            "text/javascript; charset=utf-8",
            "drawMap",
        ),
        (
            "/planner/sheets.js",
            "text/javascript; charset=utf-8",
            "drawSheets",
        ),
        ("/planner/i18n.js", "text/javascript; charset=utf-8", "fr"),
        (
            "/planner/style.css",
            "text/css; charset=utf-8",
            "@media print",
        ),
        ("/planner/demo.json", "application/json", "farm-rhein"),
    ];
    for (path, expected, word) in files {
        let (status, content_type, body) = get(&server, path).await;
        assert_eq!((status, content_type.as_str()), (200, expected), "{path}");
        assert!(body.contains(word), "{path}");
    }
    let (_, _, demo) = get(&server, "/planner/demo.json").await;
    let demo: Value = serde_json::from_str(&demo).unwrap();
    assert_eq!(demo["vehicles"].as_array().unwrap().len(), 3);
    let (status, _, body) = get(&server, "/planner/nothing.js").await;
    assert_eq!(status, 404);
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap()["code"],
        "NOT_FOUND"
    );
}

#[tokio::test]
async fn the_page_needs_no_key_where_the_api_does() {
    let keys = ApiKeys::parse(&key_line("coop", "key-of-the-coop-0123456789")).unwrap();
    let mut config = ServerConfig::default();
    config.access.api_keys = Some(std::sync::Arc::new(keys));
    let server = start_http(config).await;
    let (status, _, _) = get(&server, "/").await;
    assert_eq!(status, 200);
    let (status, _, _) = get(&server, "/planner/app.js").await;
    assert_eq!(status, 200);
    let refused = server.post("/v1/operations", "{}").send().await.unwrap();
    assert_eq!(refused.status(), 401);
}

#[tokio::test]
async fn post_at_the_root_is_still_vroom() {
    let server = start_http(ServerConfig::default()).await;
    let input = json!({
        "vehicles": [{"id": 1, "start": [9.52, 47.14], "end": [9.52, 47.14]}],
        "jobs": [{"id": 7, "location": [9.51, 47.16]}],
    });
    let (status, _, output) =
        answer(server.post("/", input.to_string()).send().await.unwrap()).await;
    assert_eq!(status, 200, "{output}");
    assert_eq!(output["code"], 0);
    assert_eq!(output["routes"][0]["steps"][1]["id"], 7);
    let (status, _, error) = answer(server.post("/", "{").send().await.unwrap()).await;
    assert_eq!(status, 400);
    assert_eq!(error["code"], 2, "{error}");
}

#[tokio::test]
async fn converts_vroom_and_dfc_files_to_native_requests() {
    let server = start_http(ServerConfig::default()).await;
    let vroom = include_str!("../data/vroom/cooperative.json");
    let (status, _, request) = answer(
        server
            .post("/v1/convert/vroom", vroom)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{request}");
    let native: pb::SolveRequest = serde_json::from_value(request).unwrap();
    let vehicles: Value = serde_json::from_str(vroom).unwrap();
    assert_eq!(
        native.vehicles.len(),
        vehicles["vehicles"].as_array().unwrap().len()
    );
    assert!(!native.sites.is_empty() && !native.shipments.is_empty());
    tournee::validate::problem(&native).expect("a valid native request");

    let dfc = include_str!("../data/dfc/dev-b-two-farms.jsonld");
    let (status, _, request) =
        answer(server.post("/v1/convert/dfc", dfc).send().await.unwrap()).await;
    assert_eq!(status, 200, "{request}");
    let native: pb::SolveRequest = serde_json::from_value(request).unwrap();
    assert!(!native.sites.is_empty() && !native.vehicles.is_empty());
    tournee::validate::problem(&native).expect("a valid native request");
    // The envelope of /dfc/v1/plan is read too.
    let envelope = json!({"document": serde_json::from_str::<Value>(dfc).unwrap()});
    let (status, _, _) = answer(
        server
            .post("/v1/convert/dfc", envelope.to_string())
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_bad_vroom_or_dfc_file_names_its_fields() {
    let server = start_http(ServerConfig::default()).await;
    let bad = json!({"vehicles": [{"id": 1, "start": "here"}], "jobs": [{"id": 7, "location": [9.5, 47.1]}]});
    let (status, _, error) = answer(
        server
            .post("/v1/convert/vroom", bad.to_string())
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 400, "{error}");
    assert_eq!(error["code"], "INVALID_ARGUMENT");
    assert_eq!(
        error["violations"][0]["field"], "vehicles[0].start",
        "{error}"
    );

    let mut dfc: Value =
        serde_json::from_str(include_str!("../data/dfc/dev-b-two-farms.jsonld")).unwrap();
    // No order left: nothing to plan.
    dfc["@graph"]
        .as_array_mut()
        .unwrap()
        .retain(|node| !node["@type"].as_str().unwrap_or("").contains("Order"));
    let (status, _, error) = answer(
        server
            .post("/v1/convert/dfc", dfc.to_string())
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 400, "{error}");
    let violations = error["violations"].as_array().unwrap();
    assert!(!violations.is_empty(), "{error}");
    for violation in violations {
        let reason = violation["reason"].as_str().unwrap();
        assert!(reason.starts_with("dfc."), "{violation}");
        assert!(
            !violation["field"].as_str().unwrap().is_empty(),
            "{violation}"
        );
    }
}

/// The events of a `text/event-stream` answer, read chunk by chunk as they come: (name,
/// data as JSON).
async fn events(mut answer: reqwest::Response) -> Vec<(String, Value)> {
    let mut text = String::new();
    while let Some(chunk) = answer.chunk().await.unwrap() {
        text.push_str(&String::from_utf8_lossy(&chunk));
    }
    text.split("\n\n")
        .filter(|block| !block.trim().is_empty())
        .map(|block| {
            let line = |key: &str| {
                block
                    .lines()
                    .filter_map(|line| line.strip_prefix(key))
                    .map(str::trim_start)
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            let data = serde_json::from_str(&line("data:")).unwrap_or(Value::Null);
            (line("event:"), data)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watch_streams_progress_until_the_done_operation() {
    let server = start_http(ServerConfig::default()).await;
    let mut request = demo_request();
    request.options = Some(quick_options(300));
    request.pooling = Some(pb::PoolingOptions {
        enabled: true,
        coalition_iterations: 20,
        ..Default::default()
    });
    let body = serde_json::to_string(&request).unwrap();
    let (status, _, submitted) =
        answer(server.post("/v1/operations", body).send().await.unwrap()).await;
    assert_eq!(status, 200, "{submitted}");
    let name = submitted["name"].as_str().unwrap();
    let stream = server
        .client
        .get(server.url(&format!("/v1/{name}/watch")))
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), 200);
    let content_type = stream.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        content_type.starts_with("text/event-stream"),
        "{content_type}"
    );
    let events = events(stream).await;
    let (last, others) = events.split_last().expect("events");
    assert_eq!(last.0, "done", "{events:?}");
    let done = &last.1["operation"];
    assert_eq!(done["done"], true);
    assert!(last.1["elapsedMs"].as_i64().unwrap() >= 0);
    assert!(
        others.iter().all(|(name, _)| name == "progress"),
        "{events:?}"
    );
    // The best cost never rises from one event to the next once a plan is known.
    let costs: Vec<f64> = events
        .iter()
        .filter_map(|(_, data)| data["operation"]["metadata"]["bestCost"].as_f64())
        .filter(|cost| *cost > 0.0)
        .collect();
    assert!(!costs.is_empty(), "{events:?}");
    assert!(
        costs.windows(2).all(|pair| pair[1] <= pair[0] + 1e-9),
        "{costs:?}"
    );
    // The pooling report's coalitions: all of those planned were solved.
    let metadata = &done["metadata"];
    let total = metadata["coalitionsTotal"].as_u64().unwrap_or(0);
    assert!(
        total >= 30,
        "5 producers: 30 coalitions besides the pooled plan, {metadata}"
    );
    assert_eq!(
        metadata["coalitionsDone"].as_u64(),
        Some(total),
        "{metadata}"
    );
    let response: pb::SolveResponse = serde_json::from_value(done["response"].clone()).unwrap();
    assert_feasible(&request, &response);
    assert!(response.pooling.is_some());
}

#[tokio::test]
async fn watch_checks_the_key_and_the_name_first() {
    let keys = ApiKeys::parse(&key_line("coop", "key-of-the-coop-0123456789")).unwrap();
    let mut config = ServerConfig::default();
    config.access.api_keys = Some(std::sync::Arc::new(keys));
    let server = start_http(config).await;
    let url = server.url("/v1/operations/nothing/watch");
    let refused = server.client.get(&url).send().await.unwrap();
    assert_eq!(refused.status(), 401);
    let unknown = server
        .client
        .get(&url)
        .header("authorization", "Bearer key-of-the-coop-0123456789")
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn roads_in_a_box_come_from_the_road_graph() {
    let server = start_http(ServerConfig::new(liechtenstein_config())).await;
    let url = server.url("/v1/roads?bbox=9.50,47.12,9.54,47.16");
    let (status, _, roads) = answer(server.client.get(url).send().await.unwrap()).await;
    assert_eq!(status, 200, "{roads}");
    let lines = roads["roads"].as_array().unwrap();
    assert!(lines.len() > 10, "{} roads", lines.len());
    assert!(
        roads["source"].as_str().unwrap().contains("liechtenstein"),
        "{}",
        roads["source"]
    );
    for bad in ["9.54,47.12,9.50,47.16", "9.5,47.1", "east,47.1,9.6,47.2"] {
        let url = server.url(&format!("/v1/roads?bbox={bad}"));
        let (status, _, error) = answer(server.client.get(url).send().await.unwrap()).await;
        assert_eq!(status, 400, "{bad}: {error}");
        assert_eq!(error["violations"][0]["field"], "bbox", "{error}");
    }
    let plain = start_http(ServerConfig::default()).await;
    let url = plain.url("/v1/roads?bbox=9.50,47.12,9.54,47.16");
    let (status, _, roads) = answer(plain.client.get(url).send().await.unwrap()).await;
    assert_eq!((status, roads), (200, json!({"source": "", "roads": []})));
}

/// A server whose page draws tiles from `template`, on 127.0.0.1:0.
async fn start_with_tiles(
    template: &str,
) -> (std::net::SocketAddr, tokio::sync::oneshot::Sender<()>) {
    let grpc = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let door = tournee::http::HttpDoor::new(listener)
        .with_map_tiles(template)
        .unwrap();
    let (sender, receiver) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        let shutdown = async {
            let _ = receiver.await;
        };
        let door: Box<dyn tournee::server::Door> = Box::new(door);
        tournee::server::run_with_door(grpc, Some(door), shutdown, ServerConfig::default())
            .await
            .unwrap();
    });
    (address, sender)
}

#[tokio::test]
async fn the_page_reads_the_tile_template_and_may_load_its_images() {
    let server = start_http(ServerConfig::default()).await;
    let (_, _, config) = get(&server, "/planner/config.json").await;
    assert_eq!(
        serde_json::from_str::<Value>(&config).unwrap(),
        json!({"mapTiles": null})
    );
    let page = server.client.get(server.url("/")).send().await.unwrap();
    let policy = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(policy.contains("img-src 'self' data: blob:;"), "{policy}");

    let template = "https://tile.example.org/{z}/{x}/{y}.png";
    let (address, _stop) = start_with_tiles(template).await;
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let config: Value = client
        .get(format!("http://{address}/planner/config.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(config, json!({"mapTiles": template}));
    let page = client
        .get(format!("http://{address}/planner"))
        .send()
        .await
        .unwrap();
    let policy = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        policy.contains("img-src 'self' data: blob: https://tile.example.org;"),
        "{policy}"
    );
    assert!(
        tournee::http::HttpDoor::new(tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap())
            .with_map_tiles("https://tile.example.org/{z}/{x}.png")
            .is_err()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watch_ends_when_the_server_shuts_down() {
    let config = ServerConfig {
        grace_period: std::time::Duration::from_millis(100),
        ..Default::default()
    };
    let mut server = start_http(config).await;
    let mut request = demo_request();
    let mut options = quick_options(1);
    options.max_iterations = None;
    request.options = Some(options);
    let body = serde_json::to_string(&request).unwrap();
    let (status, _, submitted) =
        answer(server.post("/v1/operations", body).send().await.unwrap()).await;
    assert_eq!(status, 200, "{submitted}");
    let name = submitted["name"].as_str().unwrap();
    let mut stream = server
        .client
        .get(server.url(&format!("/v1/{name}/watch")))
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), 200);
    stream.chunk().await.unwrap().expect("a first event");
    server.shut_down();
    // A ceiling, not a measure: without the end the stream would run for ever.
    let ceiling = std::time::Duration::from_secs(300);
    let ended = tokio::time::timeout(ceiling, async {
        while stream.chunk().await.ok().flatten().is_some() {}
    })
    .await;
    assert!(ended.is_ok(), "the stream outlived the server's shutdown");
}
