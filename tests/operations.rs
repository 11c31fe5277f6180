//! Long-running operations against a real server on 127.0.0.1:0 (and the real
//! `tournee serve` binary where a process must die): submit then wait gives what Solve
//! gives; get, list, cancel and delete; refusals at submit; expiry; a server killed with
//! SIGKILL, or stopped with SIGTERM, resumes its unfinished operations at the next start
//! and ends each once. No step depends on the machine's speed: searches end on iteration
//! caps or on a cancel, waits poll without a time bound that matters, and the one time
//! limit used is a floor (a search that must still be running when the test kills it).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::{assert_feasible, demo_request, quick_options, start_server_config};
use tonic::transport::Channel;
use tonic_types::StatusExt;
use tournee::pb;
use tournee::server::{AdmissionLimits, OperationsConfig, ServerConfig};

type Client = pb::routing_client::RoutingClient<Channel>;

/// The demo, solved in `iterations` iterations (u64::MAX: until cancelled).
fn request(iterations: u64) -> pb::SolveRequest {
    let mut request = demo_request();
    request.options = Some(quick_options(iterations));
    request
}

fn state(operation: &pb::Operation) -> pb::OperationState {
    let metadata = operation.metadata.as_ref().expect("metadata");
    pb::OperationState::try_from(metadata.state).expect("a known state")
}

fn attempts(operation: &pb::Operation) -> u32 {
    operation.metadata.as_ref().expect("metadata").attempts
}

fn response(operation: &pb::Operation) -> pb::SolveResponse {
    match &operation.result {
        Some(pb::operation::Result::Response(response)) => response.clone(),
        other => panic!("no response: {other:?}"),
    }
}

async fn get(client: &mut Client, name: &str) -> Result<pb::Operation, tonic::Status> {
    let request = pb::GetOperationRequest {
        name: name.to_string(),
    };
    client.get_operation(request).await.map(|r| r.into_inner())
}

/// Waits until the operation is done, however long that takes.
async fn wait_done(client: &mut Client, name: &str) -> pb::Operation {
    loop {
        let request = pb::WaitOperationRequest {
            name: name.to_string(),
            timeout_ms: 30_000,
        };
        let operation = client
            .wait_operation(request)
            .await
            .expect("wait")
            .into_inner();
        if operation.done {
            return operation;
        }
    }
}

/// Polls until `ready` holds for the operation.
async fn poll_until(client: &mut Client, name: &str, ready: impl Fn(&pb::Operation) -> bool) {
    loop {
        let operation = get(client, name).await.expect("get");
        if ready(&operation) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn one_solver(max_queue: usize) -> ServerConfig {
    ServerConfig {
        admission: AdmissionLimits {
            max_concurrent_solves: 1,
            max_queue,
        },
        ..ServerConfig::default()
    }
}

#[tokio::test]
async fn a_submitted_solve_ends_with_what_solve_answers() {
    let server = start_server_config(ServerConfig::default()).await;
    let mut client = server.client().await;
    let request = request(40);
    let submitted = client
        .submit_solve(request.clone())
        .await
        .unwrap()
        .into_inner();
    assert!(submitted.name.starts_with("operations/"), "{submitted:?}");
    assert!(!submitted.done);
    let done = wait_done(&mut client, &submitted.name).await;
    assert_eq!(state(&done), pb::OperationState::Succeeded);
    assert_eq!(attempts(&done), 1);
    let mut answer = response(&done);
    assert_feasible(&request, &answer);
    let mut direct = client.solve(request.clone()).await.unwrap().into_inner();
    // Same seed, thread and iteration cap: the same plan; only the wall time differs.
    (answer.elapsed_ms, direct.elapsed_ms) = (0, 0);
    assert_eq!(answer, direct);
    let metadata = done.metadata.as_ref().unwrap();
    assert_eq!(metadata.iterations, answer.iterations);
    assert!(metadata.end_time_unix_ms >= metadata.start_time_unix_ms);
    assert!(metadata.start_time_unix_ms >= metadata.create_time_unix_ms);
    assert!(metadata.expire_time_unix_ms > metadata.end_time_unix_ms);
    // A done operation reads the same every time.
    assert_eq!(get(&mut client, &submitted.name).await.unwrap(), done);
}

#[tokio::test]
async fn operations_are_listed_cancelled_and_deleted() {
    let server = start_server_config(one_solver(8)).await;
    let mut client = server.client().await;
    let endless = client
        .submit_solve(request(u64::MAX))
        .await
        .unwrap()
        .into_inner();
    poll_until(&mut client, &endless.name, |op| {
        state(op) == pb::OperationState::Running
    })
    .await;
    // The only solver is busy: the next one waits, and a cancel ends it at once.
    let queued = client.submit_solve(request(30)).await.unwrap().into_inner();
    assert_eq!(state(&queued), pb::OperationState::Queued);
    let cancel = |name: &str| pb::CancelOperationRequest {
        name: name.to_string(),
    };
    let cancelled = client
        .cancel_operation(cancel(&queued.name))
        .await
        .unwrap()
        .into_inner();
    assert!(cancelled.done);
    assert_eq!(state(&cancelled), pb::OperationState::Cancelled);

    let delete = |name: &str| pb::DeleteOperationRequest {
        name: name.to_string(),
    };
    let running = client
        .delete_operation(delete(&endless.name))
        .await
        .unwrap_err();
    assert_eq!(
        running.code(),
        tonic::Code::FailedPrecondition,
        "{running:?}"
    );
    client
        .cancel_operation(cancel(&endless.name))
        .await
        .unwrap();
    let ended = wait_done(&mut client, &endless.name).await;
    assert_eq!(state(&ended), pb::OperationState::Cancelled);
    match &ended.result {
        Some(pb::operation::Result::Error(error)) => {
            assert_eq!(error.code, tonic::Code::Cancelled as i32)
        }
        other => panic!("{other:?}"),
    }

    let third = client.submit_solve(request(20)).await.unwrap().into_inner();
    wait_done(&mut client, &third.name).await;
    let page = |page_token: String| pb::ListOperationsRequest {
        page_size: 2,
        page_token,
    };
    let first = client
        .list_operations(page(String::new()))
        .await
        .unwrap()
        .into_inner();
    let names: Vec<_> = first.operations.iter().map(|op| op.name.clone()).collect();
    assert_eq!(names, [endless.name.clone(), queued.name.clone()]);
    assert!(!first.next_page_token.is_empty());
    let second = client
        .list_operations(page(first.next_page_token))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(second.operations.len(), 1);
    assert_eq!(second.operations[0].name, third.name);
    assert!(second.next_page_token.is_empty());
    let bad = client
        .list_operations(page("nonsense".into()))
        .await
        .unwrap_err();
    assert_eq!(bad.code(), tonic::Code::InvalidArgument);

    client.delete_operation(delete(&third.name)).await.unwrap();
    let gone = get(&mut client, &third.name).await.unwrap_err();
    assert_eq!(gone.code(), tonic::Code::NotFound);
    let unknown = get(&mut client, "operations/none").await.unwrap_err();
    assert_eq!(unknown.code(), tonic::Code::NotFound);
}

#[tokio::test]
async fn an_invalid_or_unplaceable_request_is_refused_at_submit() {
    let server = start_server_config(one_solver(1)).await;
    let mut client = server.client().await;
    let mut invalid = request(30);
    invalid.vehicles.clear();
    let refused = client.submit_solve(invalid).await.unwrap_err();
    assert_eq!(refused.code(), tonic::Code::InvalidArgument, "{refused:?}");
    let violations = refused.get_details_bad_request().expect("BadRequest");
    assert!(
        violations
            .field_violations
            .iter()
            .any(|v| v.field == "vehicles")
    );

    // One solver, one place in the queue: the third operation is refused with a retry
    // delay; once the queued one is cancelled, its place is free again.
    let endless = client.submit_solve(request(u64::MAX)).await.unwrap();
    let queued = client.submit_solve(request(30)).await.unwrap().into_inner();
    let busy = client.submit_solve(request(30)).await.unwrap_err();
    assert_eq!(busy.code(), tonic::Code::ResourceExhausted, "{busy:?}");
    assert!(busy.get_details_retry_info().is_some());
    let listed = client
        .list_operations(pb::ListOperationsRequest::default())
        .await
        .unwrap()
        .into_inner();
    assert_eq!(listed.operations.len(), 2, "only the accepted operations");
    let cancel = |name: String| pb::CancelOperationRequest { name };
    client.cancel_operation(cancel(queued.name)).await.unwrap();
    let accepted = loop {
        match client.submit_solve(request(30)).await {
            Ok(accepted) => break accepted.into_inner(),
            Err(status) => assert_eq!(status.code(), tonic::Code::ResourceExhausted),
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    client
        .cancel_operation(cancel(accepted.name))
        .await
        .unwrap();
    let endless = endless.into_inner().name;
    client.cancel_operation(cancel(endless)).await.unwrap();
}

#[tokio::test]
async fn a_done_operation_is_deleted_after_its_ttl() {
    let server = start_server_config(ServerConfig {
        operations: OperationsConfig {
            ttl: Duration::from_millis(300),
            ..OperationsConfig::default()
        },
        ..ServerConfig::default()
    })
    .await;
    let mut client = server.client().await;
    let submitted = client.submit_solve(request(20)).await.unwrap().into_inner();
    let done = wait_done(&mut client, &submitted.name).await;
    assert_eq!(state(&done), pb::OperationState::Succeeded);
    loop {
        match get(&mut client, &submitted.name).await {
            Err(status) if status.code() == tonic::Code::NotFound => break,
            Ok(operation) => assert_eq!(operation, done),
            Err(status) => panic!("{status:?}"),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let listed = client
        .list_operations(pb::ListOperationsRequest::default())
        .await
        .unwrap()
        .into_inner();
    assert!(listed.operations.is_empty());
}

/// A `tournee serve` process on 127.0.0.1:0 with its store in `data_dir`.
struct Served {
    child: Child,
    addr: String,
}

impl Served {
    fn start(data_dir: &std::path::Path) -> Served {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tournee"))
            .args(["serve", "--addr", "127.0.0.1:0", "--grace-period-s", "0"])
            .args(["--max-concurrent-solves", "1", "--checkpoint-every-s", "1"])
            .arg("--data-dir")
            .arg(data_dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("tournee serve starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("the bound address");
        Served {
            child,
            addr: line.trim().to_string(),
        }
    }

    async fn client(&self) -> Client {
        Client::connect(format!("http://{}", self.addr))
            .await
            .expect("connect")
    }

    /// Sends `signal` and waits for the process to exit; whether it exited 0.
    async fn end(mut self, signal: &str) -> bool {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill")
            .args([signal, &pid])
            .status()
            .expect("kill");
        assert!(sent.success());
        let exit = tokio::task::spawn_blocking(move || self.child.wait())
            .await
            .expect("joined")
            .expect("wait");
        exit.success()
    }
}

/// A fresh directory for one test's store.
fn data_dir(test: &str) -> PathBuf {
    let directory = std::env::temp_dir().join(format!("tournee-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&directory);
    directory
}

#[tokio::test]
async fn a_server_killed_mid_job_resumes_its_operations_and_ends_each_once() {
    let directory = data_dir("sigkill");
    let served = Served::start(&directory);
    let mut client = served.client().await;
    // Runs 10 s at least, whatever the machine: still running when it is killed.
    let mut timed = demo_request();
    timed.options = Some(pb::SolveOptions {
        time_limit_ms: Some(10_000),
        threads: 1,
        seed: 3,
        ..Default::default()
    });
    let running = client
        .submit_solve(timed.clone())
        .await
        .unwrap()
        .into_inner();
    let quick = request(30);
    let queued = client
        .submit_solve(quick.clone())
        .await
        .unwrap()
        .into_inner();
    // Killed once its best plan is checkpointed (after a second of its ten at least).
    poll_until(&mut client, &running.name, |op| {
        op.metadata
            .as_ref()
            .is_some_and(|m| m.checkpoint_time_unix_ms > 0)
    })
    .await;
    assert!(!served.end("-KILL").await, "killed");

    let served = Served::start(&directory);
    let mut client = served.client().await;
    let first = wait_done(&mut client, &running.name).await;
    let second = wait_done(&mut client, &queued.name).await;
    assert_eq!(state(&first), pb::OperationState::Succeeded);
    assert_eq!(state(&second), pb::OperationState::Succeeded);
    assert_eq!(attempts(&first), 2, "run again after the kill");
    assert!(
        first.metadata.as_ref().unwrap().warm_started,
        "from its checkpoint"
    );
    assert_eq!(attempts(&second), 1, "queued when killed, run once");
    assert_feasible(&timed, &response(&first));
    assert_feasible(&quick, &response(&second));
    assert!(served.end("-TERM").await);

    // A third start finds both done, as they were: never run again.
    let served = Served::start(&directory);
    let mut client = served.client().await;
    assert_eq!(get(&mut client, &running.name).await.unwrap(), first);
    assert_eq!(get(&mut client, &queued.name).await.unwrap(), second);
    assert!(served.end("-TERM").await);
    let _ = std::fs::remove_dir_all(&directory);
}

#[tokio::test]
async fn sigterm_checkpoints_a_running_operation_and_the_next_start_resumes_it() {
    let directory = data_dir("sigterm");
    let served = Served::start(&directory);
    let mut client = served.client().await;
    let endless = client
        .submit_solve(request(u64::MAX))
        .await
        .unwrap()
        .into_inner();
    poll_until(&mut client, &endless.name, |op| {
        op.metadata.as_ref().is_some_and(|m| m.phase == "searching")
    })
    .await;
    assert!(served.end("-TERM").await, "exits 0");

    let served = Served::start(&directory);
    let mut client = served.client().await;
    poll_until(&mut client, &endless.name, |op| {
        state(op) == pb::OperationState::Running && attempts(op) == 2
    })
    .await;
    let resumed = get(&mut client, &endless.name).await.unwrap();
    assert!(
        resumed.metadata.as_ref().unwrap().warm_started,
        "{resumed:?}"
    );
    let cancel = pb::CancelOperationRequest {
        name: endless.name.clone(),
    };
    client.cancel_operation(cancel).await.unwrap();
    let ended = wait_done(&mut client, &endless.name).await;
    assert_eq!(state(&ended), pb::OperationState::Cancelled);
    assert!(served.end("-TERM").await);
    let _ = std::fs::remove_dir_all(&directory);
}
