//! Long-running operations across restarts of the real `tournee serve` binary on
//! 127.0.0.1:0: a server killed with SIGKILL, or stopped with SIGTERM, resumes its
//! unfinished operations at the next start (from their checkpoints) and ends each once.
//! No step depends on the machine's speed: the one time limit used is a floor (a search
//! that must still be running when the test kills it), and waits poll without a time
//! bound that matters.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use common::operations::{Client, attempts, get, poll_until, request, response, state, wait_done};
use common::{assert_feasible, demo_request};
use tournee::pb;

/// A `tournee serve` process on 127.0.0.1:0 with its store in `data_dir`; killed when
/// dropped unless ended, so that a failing test leaves no server behind.
struct Served {
    child: Option<Child>,
    addr: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
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
            child: Some(child),
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
        let mut child = self.child.take().expect("not ended yet");
        let pid = child.id().to_string();
        let sent = Command::new("kill")
            .args([signal, &pid])
            .status()
            .expect("kill");
        assert!(sent.success());
        let exit = tokio::task::spawn_blocking(move || child.wait())
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
