//! Who may call, against a real server on 127.0.0.1:0: API keys in front of
//! tournee.v1.Routing (no key and a wrong key refused alike, the right key solves, health
//! and reflection open without one), each key's share of the solvers, TLS with a
//! self-signed certificate (a round trip over TLS; a plaintext client gets nowhere), and
//! the `serve` and `keys` command lines. No step depends on the machine's speed: solves
//! end on iteration caps, and the one that holds a key's place ends only when its caller
//! goes away.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::{Command, Stdio};
use std::sync::Arc;

use common::{TestServer, assert_feasible, demo_request, health_status, quick_options};
use tokio_stream::StreamExt;
use tonic::transport::{Certificate, Channel, ClientTlsConfig};
use tonic_types::StatusExt;
use tournee::pb;
use tournee::server::{
    Access, AdmissionLimits, ApiKeys, ServerConfig, Tls, UNAUTHENTICATED_MESSAGE, key_line,
};

const FARM_KEY: &str = "farm-0123456789abcdef0123456789";
const SHOP_KEY: &str = "shop-0123456789abcdef0123456789";

/// Two keys, "farm" and "shop", as the key file lists them.
fn key_file() -> String {
    format!(
        "# test keys\n{}\n{}\n",
        key_line("farm", FARM_KEY),
        key_line("shop", SHOP_KEY)
    )
}

/// A server that checks the two keys, with room for two solves.
async fn keyed_server(max_solves_per_key: Option<usize>, tls: Option<Tls>) -> TestServer {
    common::start_server_config(ServerConfig {
        access: Access {
            api_keys: Some(Arc::new(ApiKeys::parse(&key_file()).unwrap())),
            max_solves_per_key,
            ..Access::default()
        },
        admission: AdmissionLimits {
            max_concurrent_solves: 2,
            max_queue: 8,
        },
        tls,
        ..ServerConfig::default()
    })
    .await
}

/// `message` with `authorization: <value>`.
fn with_authorization<T>(message: T, value: &str) -> tonic::Request<T> {
    let mut request = tonic::Request::new(message);
    request
        .metadata_mut()
        .insert("authorization", value.parse().unwrap());
    request
}

/// `message` with `key` as bearer key.
fn with_key<T>(message: T, key: &str) -> tonic::Request<T> {
    with_authorization(message, &format!("Bearer {key}"))
}

/// The demo, quick.
fn quick_request() -> pb::SolveRequest {
    let mut request = demo_request();
    request.options = Some(quick_options(30));
    request
}

#[tokio::test]
async fn routing_needs_a_listed_key_and_health_and_reflection_do_not() {
    let server = keyed_server(None, None).await;
    let mut client = server.client().await;

    let missing = client.solve(quick_request()).await.unwrap_err();
    let wrong = client
        .solve(with_key(quick_request(), "farm-0123456789abcdef012345678X"))
        .await
        .unwrap_err();
    let scheme = client
        .solve(with_authorization(quick_request(), FARM_KEY))
        .await
        .unwrap_err();
    // Checked before anything else: an empty matrix request is not even validated.
    let matrix = client
        .compute_matrix(pb::ComputeMatrixRequest::default())
        .await
        .unwrap_err();
    for status in [&missing, &wrong, &scheme, &matrix] {
        assert_eq!(status.code(), tonic::Code::Unauthenticated, "{status:?}");
        assert_eq!(status.message(), UNAUTHENTICATED_MESSAGE);
        assert!(!status.message().contains("farm") && !status.message().contains("shop"));
    }
    let stream = client.solve_stream(quick_request()).await.unwrap_err();
    assert_eq!(stream.code(), tonic::Code::Unauthenticated);

    let request = quick_request();
    let answer = client
        .solve(with_key(request.clone(), FARM_KEY))
        .await
        .expect("the farm's key solves");
    assert!(answer.metadata().get("x-request-id").is_some());
    assert_feasible(&request, answer.get_ref());

    let serving = tonic_health::pb::health_check_response::ServingStatus::Serving as i32;
    assert_eq!(health_status(server.addr, "").await, serving);
    assert_eq!(
        health_status(server.addr, "tournee.v1.Routing").await,
        serving
    );
    let channel = Channel::from_shared(server.url())
        .unwrap()
        .connect()
        .await
        .unwrap();
    assert!(reflection_lists_routing(channel).await);
}

#[tokio::test]
async fn a_key_at_its_limit_gets_resource_exhausted_and_other_keys_go_on() {
    let server = keyed_server(Some(1), None).await;
    let mut client = server.client().await;
    let mut endless = demo_request();
    endless.options = Some(quick_options(u64::MAX));
    let mut running = client
        .solve_stream(with_key(endless, FARM_KEY))
        .await
        .expect("the farm's first solve runs")
        .into_inner();
    running
        .message()
        .await
        .expect("progress")
        .expect("an event");

    let refused = client
        .solve(with_key(quick_request(), FARM_KEY))
        .await
        .unwrap_err();
    assert_eq!(
        refused.code(),
        tonic::Code::ResourceExhausted,
        "{refused:?}"
    );
    let retry = refused.get_details_retry_info().expect("RetryInfo");
    assert!(retry.retry_delay.is_some_and(|delay| !delay.is_zero()));
    assert!(
        refused.message().contains("API key"),
        "{}",
        refused.message()
    );

    let request = quick_request();
    let shop = client
        .solve(with_key(request.clone(), SHOP_KEY))
        .await
        .expect("another key is not held back");
    assert_feasible(&request, shop.get_ref());

    // The farm's running solve ends when its caller goes away; its place comes back when
    // the solve has stopped, which takes as long as it takes: retry until then.
    drop(running);
    let answer = loop {
        match client.solve(with_key(request.clone(), FARM_KEY)).await {
            Err(status) if status.code() == tonic::Code::ResourceExhausted => {
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
            other => break other.expect("the farm's key solves again"),
        }
    };
    assert_feasible(&request, answer.get_ref());
}

/// Two cheap points, straight-line: a call that starts work and ends at once.
fn two_points() -> pb::ComputeMatrixRequest {
    pb::ComputeMatrixRequest {
        points: vec![
            common::site_at("vaduz", 47.1410, 9.5209),
            common::site_at("schaan", 47.1650, 9.5097),
        ],
        ..Default::default()
    }
}

#[tokio::test]
async fn a_key_past_its_rate_waits_for_its_next_call_and_other_keys_go_on() {
    let server = common::start_server_config(ServerConfig {
        access: Access {
            api_keys: Some(Arc::new(ApiKeys::parse(&key_file()).unwrap())),
            max_calls_per_key_per_minute: Some(2),
            ..Access::default()
        },
        ..ServerConfig::default()
    })
    .await;
    let mut client = server.client().await;
    // A burst of two, then one call every 30 s: the third call within the half minute is
    // refused whichever kind of work it starts, and reading an operation costs nothing.
    client
        .compute_matrix(with_key(two_points(), FARM_KEY))
        .await
        .expect("first call");
    let operation = client
        .submit_solve(with_key(quick_request(), FARM_KEY))
        .await
        .expect("second call")
        .into_inner();
    for _ in 0..3 {
        let get = pb::GetOperationRequest {
            name: operation.name.clone(),
        };
        client
            .get_operation(with_key(get, FARM_KEY))
            .await
            .expect("reading is free");
    }
    for refused in [
        client
            .solve(with_key(quick_request(), FARM_KEY))
            .await
            .unwrap_err(),
        client
            .compute_matrix(with_key(two_points(), FARM_KEY))
            .await
            .unwrap_err(),
    ] {
        assert_eq!(
            refused.code(),
            tonic::Code::ResourceExhausted,
            "{refused:?}"
        );
        assert!(
            refused.message().contains("2 calls a minute"),
            "{refused:?}"
        );
        let delay = refused
            .get_details_retry_info()
            .unwrap()
            .retry_delay
            .unwrap();
        assert!(delay > std::time::Duration::ZERO && delay <= std::time::Duration::from_secs(31));
    }
    client
        .compute_matrix(with_key(two_points(), SHOP_KEY))
        .await
        .expect("another key has its own rate");
}

#[tokio::test]
async fn serves_over_tls_with_keys_and_refuses_plaintext() {
    let pair = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    let (cert, key) = (pair.cert.pem(), pair.signing_key.serialize_pem());
    let tls = Tls::from_pem(cert.as_bytes(), key.as_bytes()).expect("a valid pair");
    let server = keyed_server(None, Some(tls)).await;

    let channel = Channel::from_shared(format!("https://{}", server.addr))
        .unwrap()
        .tls_config(
            ClientTlsConfig::new()
                .ca_certificate(Certificate::from_pem(&cert))
                .domain_name("localhost"),
        )
        .unwrap()
        .connect()
        .await
        .expect("a TLS connection");
    let mut client = pb::routing_client::RoutingClient::new(channel.clone());
    let request = quick_request();
    let answer = client
        .solve(with_key(request.clone(), SHOP_KEY))
        .await
        .expect("solved over TLS");
    assert_feasible(&request, answer.get_ref());
    let unauthenticated = client.solve(quick_request()).await.unwrap_err();
    assert_eq!(unauthenticated.code(), tonic::Code::Unauthenticated);
    let mut health = tonic_health::pb::health_client::HealthClient::new(channel.clone());
    let check = tonic_health::pb::HealthCheckRequest {
        service: "tournee.v1.Routing".to_string(),
    };
    assert_eq!(
        health
            .check(check)
            .await
            .expect("health over TLS")
            .into_inner()
            .status,
        tonic_health::pb::health_check_response::ServingStatus::Serving as i32
    );
    assert!(reflection_lists_routing(channel).await);

    // The same server in plain HTTP/2: no connection, or no answer.
    let plain = async {
        let mut client = pb::routing_client::RoutingClient::connect(server.url())
            .await
            .map_err(|error| error.to_string())?;
        client
            .solve(with_key(quick_request(), SHOP_KEY))
            .await
            .map_err(|status| status.to_string())
    };
    assert!(plain.await.is_err());
}

/// Whether reflection, asked without a key on `channel`, lists tournee.v1.Routing.
async fn reflection_lists_routing(channel: Channel) -> bool {
    use tonic_reflection::pb::v1;
    let mut client = v1::server_reflection_client::ServerReflectionClient::new(channel);
    let request = v1::ServerReflectionRequest {
        host: String::new(),
        message_request: Some(v1::server_reflection_request::MessageRequest::ListServices(
            String::new(),
        )),
    };
    let mut answers = client
        .server_reflection_info(tokio_stream::iter(vec![request]))
        .await
        .expect("reflection without a key")
        .into_inner();
    let Some(Ok(answer)) = answers.next().await else {
        return false;
    };
    match answer.message_response {
        Some(v1::server_reflection_response::MessageResponse::ListServicesResponse(list)) => {
            list.service.iter().any(|s| s.name == "tournee.v1.Routing")
        }
        _ => false,
    }
}

/// Runs `tournee ARGS` with `stdin`; its exit success, stdout and stderr.
fn tournee(args: &[&str], stdin: &str) -> (bool, String, String) {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_tournee"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("tournee runs");
    // A command that fails on its arguments exits before reading: a broken pipe then is
    // its answer, not the test's failure.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    let output = child.wait_with_output().unwrap();
    let text = |bytes: Vec<u8>| String::from_utf8(bytes).unwrap();
    (
        output.status.success(),
        text(output.stdout),
        text(output.stderr),
    )
}

#[test]
fn keys_hash_prints_the_line_that_serve_reads() {
    let (ok, line, _) = tournee(
        &["keys", "hash", "--name", "farm"],
        &format!("{FARM_KEY}\n"),
    );
    assert!(ok);
    assert_eq!(line.trim(), key_line("farm", FARM_KEY));
    let keys = ApiKeys::parse(&line).unwrap();
    assert_eq!(keys.name_of(FARM_KEY).as_deref(), Some("farm"));

    let (ok, _, error) = tournee(&["keys", "hash", "--name", "farm"], "short\n");
    assert!(!ok);
    assert!(error.starts_with("error: stdin:"), "{error}");
    let (ok, _, error) = tournee(&["keys", "hash", "--name", "a b"], &format!("{FARM_KEY}\n"));
    assert!(!ok);
    assert!(error.contains("--name"), "{error}");
}

#[test]
fn serve_refuses_bad_key_and_certificate_files_in_one_line_naming_the_flag() {
    let folder = std::env::temp_dir().join(format!("tournee-auth-tls-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let bad_keys = folder.join("keys.txt");
    std::fs::write(&bad_keys, "farm:not-a-hash\n").unwrap();
    let not_pem = folder.join("not.pem");
    std::fs::write(&not_pem, "hello\n").unwrap();
    let missing = folder.join("missing.txt");
    let path = |p: &std::path::Path| p.to_str().unwrap().to_string();
    let serve = ["serve", "--addr", "127.0.0.1:0", "--no-data-dir"];
    for (flags, flag) in [
        (vec!["--api-keys".to_string(), path(&missing)], "--api-keys"),
        (
            vec!["--api-keys".to_string(), path(&bad_keys)],
            "--api-keys: line 1",
        ),
        (
            vec![
                "--tls-cert".into(),
                path(&not_pem),
                "--tls-key".into(),
                path(&not_pem),
            ],
            "--tls-cert",
        ),
        (
            vec![
                "--tls-cert".into(),
                path(&missing),
                "--tls-key".into(),
                path(&not_pem),
            ],
            "--tls-cert: cannot read",
        ),
    ] {
        let args: Vec<&str> = serve
            .iter()
            .copied()
            .chain(flags.iter().map(String::as_str))
            .collect();
        let (ok, _, error) = tournee(&args, "");
        assert!(!ok, "{args:?}");
        let last = error.lines().last().unwrap_or_default();
        assert!(
            last.starts_with(&format!("error: {flag}")),
            "{args:?}: {error}"
        );
    }
    // Flags that need another: refused by the parser before anything starts.
    for args in [
        vec!["serve", "--max-solves-per-key", "2"],
        vec!["serve", "--tls-cert", "x.pem"],
    ] {
        let (ok, _, _) = tournee(&args, "");
        assert!(!ok, "{args:?}");
    }
    std::fs::remove_dir_all(&folder).unwrap();
}
