//! Graceful shutdown of the real `tournee serve` binary on 127.0.0.1:0: SIGTERM while a
//! solve runs stops new calls, the running solve answers with its best plan after the
//! grace period, and the process exits 0. No step depends on the machine's speed: the
//! solve's only end is the server's stop.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use common::{assert_feasible, demo_request, quick_options};
use tournee::pb;

#[tokio::test]
async fn sigterm_answers_the_running_solve_with_its_best_plan_and_exits_0() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tournee"))
        .args(["serve", "--addr", "127.0.0.1:0", "--grace-period-s", "1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("tournee serve starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("the bound address");
    let addr = line.trim().to_string();
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

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());

    let mut answer = None;
    while let Some(event) = events.message().await.expect("no UNAVAILABLE") {
        if let Some(pb::solve_event::Event::Solution(response)) = event.event {
            answer = Some(response);
        }
    }
    let answer = answer.expect("the stream ends with the plan");
    assert_eq!(answer.stop_reason, pb::StopReason::Cancelled as i32);
    assert_feasible(&request, &answer);
    let exit = tokio::task::spawn_blocking(move || child.wait())
        .await
        .expect("joined")
        .expect("wait");
    assert!(exit.success(), "{exit:?}");
}
