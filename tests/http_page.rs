//! The planner page against a real server on 127.0.0.1:0: `GET /` and `GET /planner`
//! serve the page, `/planner/…` its scripts, style and the demo problem, each with its
//! content type and without a key; an unknown file is the API's 404; and `POST /` is
//! still vroom-express's endpoint.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "common/http.rs"]
mod http;

use http::{answer, start_http};
use serde_json::{Value, json};
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
