//! Graceful shutdown of the real `tournee serve` binary on 127.0.0.1:0: SIGTERM while a
//! solve runs stops new calls, the running solve answers with its best plan after the
//! grace period, and the process exits 0; health says NOT_SERVING to a watcher as soon as
//! shutdown begins. No step depends on the machine's speed: the solve's only end is the
//! server's stop.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::{Command, Stdio};

use common::{assert_feasible, demo_request, quick_options};
use tournee::pb;

#[tokio::test]
async fn sigterm_answers_the_running_solve_with_its_best_plan_and_exits_0() {
    let mut child = common::KillOnDrop::new(
        Command::new(env!("CARGO_BIN_EXE_tournee"))
            .args([
                "serve",
                "--addr",
                "127.0.0.1:0",
                "--no-data-dir",
                "--grace-period-s",
                "1",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("tournee serve starts"),
    );
    let addr = child.bound_address();
    let mut client = pb::routing_client::RoutingClient::connect(format!("http://{addr}"))
        .await
        .expect("connect");
    let mut request = demo_request();
    request.options = Some(quick_options(u64::MAX));
    let mut events = client
        .solve_stream(request.clone())
        .await
        .expect("the call runs")
        .into_inner();
    events.message().await.expect("progress").expect("an event");

    child.terminate();

    let mut answer = None;
    while let Some(event) = events.message().await.expect("no UNAVAILABLE") {
        if let Some(pb::solve_event::Event::Solution(response)) = event.event {
            answer = Some(response);
        }
    }
    let answer = answer.expect("the stream ends with the plan");
    assert_eq!(answer.stop_reason, pb::StopReason::Cancelled as i32);
    assert_feasible(&request, &answer);
    child.exits_cleanly().await;
}

#[tokio::test]
async fn health_says_not_serving_once_shutdown_begins() {
    use tonic_health::pb::health_check_response::ServingStatus;
    let mut child = common::KillOnDrop::new(
        Command::new(env!("CARGO_BIN_EXE_tournee"))
            .args([
                "serve",
                "--addr",
                "127.0.0.1:0",
                "--no-data-dir",
                "--grace-period-s",
                "1",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("tournee serve starts"),
    );
    let addr = child.bound_address();
    let channel = tonic::transport::Channel::from_shared(format!("http://{addr}"))
        .expect("url")
        .connect()
        .await
        .expect("connect");
    // What a load balancer does: watch, on a connection it keeps.
    let mut health = tonic_health::pb::health_client::HealthClient::new(channel);
    let mut watches = Vec::new();
    for service in ["tournee.v1.Routing", ""] {
        let request = tonic_health::pb::HealthCheckRequest {
            service: service.to_string(),
        };
        let mut watch = health.watch(request).await.expect("watch").into_inner();
        let first = watch.message().await.expect("status").expect("a status");
        assert_eq!(first.status, ServingStatus::Serving as i32, "{service:?}");
        watches.push(watch);
    }

    child.terminate();
    for watch in &mut watches {
        let next = watch.message().await.expect("status").expect("a status");
        assert_eq!(next.status, ServingStatus::NotServing as i32);
    }

    // The balancer lets go; with no call left, the server exits.
    drop((watches, health));
    child.exits_cleanly().await;
}

#[tokio::test]
async fn sigterm_as_soon_as_the_address_is_printed_still_drains_and_exits_0() {
    // What a supervisor may do: the signal handlers are in place before the address is
    // printed, so the process ends by its drain (exit 0), never by the signal.
    let mut child = common::KillOnDrop::new(
        Command::new(env!("CARGO_BIN_EXE_tournee"))
            .args([
                "serve",
                "--addr",
                "127.0.0.1:0",
                "--no-data-dir",
                "--grace-period-s",
                "1",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("tournee serve starts"),
    );
    // Signalled the moment the address is out.
    child.bound_address();
    child.terminate();
    child.exits_cleanly().await;
}
