//! Logs of the real `tournee serve` binary on 127.0.0.1:0: `--log-format json` writes
//! one JSON object a line, each call has a request id (the caller's, or a new one) that
//! comes back in the `x-request-id` metadata and tags the call's start and end; nothing
//! of the request's content (site ids, names, coordinates) reaches the logs at info.
//! With `--api-keys`, each call's span names its key, and no key nor its hash is logged.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::Read;
use std::process::{Command, Stdio};

use common::{demo_request, quick_options};
use tournee::pb;
use tournee::server::key_line;

const FARM_KEY: &str = "farm-0123456789abcdef0123456789";
const SHOP_KEY: &str = "shop-0123456789abcdef0123456789";

/// `message` with `key` as bearer key.
fn bearer<T>(message: T, key: &str) -> tonic::Request<T> {
    let mut request = tonic::Request::new(message);
    let value = format!("Bearer {key}").parse().unwrap();
    request.metadata_mut().insert("authorization", value);
    request
}

#[tokio::test]
async fn json_logs_tag_calls_with_their_request_id_and_hold_no_request_content() {
    let mut child = common::KillOnDrop::new(
        Command::new(env!("CARGO_BIN_EXE_tournee"))
            .args([
                "serve",
                "--addr",
                "127.0.0.1:0",
                "--no-data-dir",
                "--log-format",
                "json",
            ])
            .env("RUST_LOG", "info")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("tournee serve starts"),
    );
    let mut stderr = child.stderr.take().expect("stderr");
    let logs = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let addr = child.bound_address();
    let mut client = pb::routing_client::RoutingClient::connect(format!("http://{addr}"))
        .await
        .expect("connect");
    let mut request = demo_request();
    request.options = Some(quick_options(20));

    let mut tagged = tonic::Request::new(request.clone());
    tagged
        .metadata_mut()
        .insert("x-request-id", "caller-42".parse().unwrap());
    let answer = client.solve(tagged).await.expect("solved");
    assert_eq!(answer.metadata().get("x-request-id").unwrap(), "caller-42");
    let untagged = client.solve(request.clone()).await.expect("solved");
    assert!(untagged.metadata().get("x-request-id").is_some());
    let mut bad = request.clone();
    bad.vehicles.clear();
    let refused = client.solve(bad).await.expect_err("no vehicles");
    assert!(refused.metadata().get("x-request-id").is_some());

    drop(client);
    child.terminate();
    child.exits_cleanly().await;
    let logs = logs.join().expect("stderr read");

    for line in logs.lines() {
        serde_json::from_str::<serde_json::Value>(line)
            .unwrap_or_else(|error| panic!("not JSON ({error}): {line}"));
    }
    let tagged_lines: Vec<&str> = logs.lines().filter(|l| l.contains("caller-42")).collect();
    assert!(
        tagged_lines
            .iter()
            .any(|l| l.contains("call started") && l.contains("Solve"))
    );
    assert!(
        tagged_lines
            .iter()
            .any(|l| l.contains("call ended") && l.contains("Ok"))
    );
    assert!(logs.contains("InvalidArgument"));
    // Started without --api-keys: the operator is told anyone may call.
    assert!(logs.contains("no --api-keys"));
    for site in &request.sites {
        assert!(
            !logs.contains(&format!("\"{}\"", site.id)),
            "site id {} logged",
            site.id
        );
        if let Some(pb::location::Kind::Coordinates(point)) =
            site.location.as_ref().and_then(|l| l.kind.as_ref())
        {
            assert!(
                !logs.contains(&point.lat_deg.to_string()),
                "a latitude logged"
            );
        }
    }
}

#[tokio::test]
async fn logs_name_the_key_of_each_call_and_never_the_key() {
    let folder = std::env::temp_dir().join(format!("tournee-auth-logs-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let keys = folder.join("keys.txt");
    std::fs::write(
        &keys,
        format!(
            "{}\n{}\n",
            key_line("farm", FARM_KEY),
            key_line("shop", SHOP_KEY)
        ),
    )
    .unwrap();
    let mut child = common::KillOnDrop::new(
        Command::new(env!("CARGO_BIN_EXE_tournee"))
            .args([
                "serve",
                "--addr",
                "127.0.0.1:0",
                "--no-data-dir",
                "--log-format",
                "json",
            ])
            .args(["--api-keys", keys.to_str().unwrap()])
            .env("RUST_LOG", "info")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("tournee serve starts"),
    );
    let mut stderr = child.stderr.take().unwrap();
    let logs = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let addr = child.bound_address();
    let mut client = pb::routing_client::RoutingClient::connect(format!("http://{addr}"))
        .await
        .expect("connect");
    let mut request = demo_request();
    request.options = Some(quick_options(20));
    client
        .solve(bearer(request.clone(), FARM_KEY))
        .await
        .expect("solved");
    let refused = client.solve(bearer(request.clone(), &SHOP_KEY.to_uppercase()));
    assert_eq!(
        refused.await.unwrap_err().code(),
        tonic::Code::Unauthenticated
    );

    drop(client);
    child.terminate();
    child.exits_cleanly().await;
    let logs = logs.join().unwrap();
    std::fs::remove_dir_all(&folder).unwrap();

    assert!(
        logs.lines()
            .any(|l| l.contains("call started") && l.contains(r#""key":"farm""#)),
        "{logs}"
    );
    assert!(logs.contains("call refused: no valid API key"), "{logs}");
    assert!(!logs.contains("no --api-keys"), "{logs}");
    let farm_hash = &key_line("farm", FARM_KEY)["farm:".len()..];
    for secret in [FARM_KEY, SHOP_KEY, &SHOP_KEY.to_uppercase(), farm_hash] {
        assert!(!logs.contains(secret), "a key or its hash logged");
    }
}
