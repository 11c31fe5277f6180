//! Scale-out on NATS JetStream, end to end: a real `nats-server -js`, real
//! `tournee serve --nats` front ends, `tournee worker` and `tournee batch` processes. Jobs survive a
//! worker killed mid-job, a front end restarted, the NATS server restarted; a job that
//! keeps failing ends on the dead-letter subject; every result is stored once and
//! checked by the independent checker. No wait asserts a duration: each polls up to a
//! ceiling that only keeps a broken run from hanging.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::{Command, Stdio};

use common::KillOnDrop;
use common::nats::{
    NatsServer, client, dead_letters, done_revisions, exit_of, publish_again, start_front_end,
    start_worker, submit, until_queue_empty, wait_done,
};
use common::operations::{attempts, request, response, state};
use tonic_types::StatusExt;
use tournee::pb;

/// Iterations of each job: enough work that a worker is caught mid-job.
const ITERATIONS: u64 = 150;

/// Workers whose silent job goes to another after 5 s (a killed worker's job comes back
/// soon; a live worker, which confirms every 1.7 s, keeps its job even on a loaded
/// machine).
const WORKER_FLAGS: [&str; 2] = ["--ack-wait-s", "5"];

/// Submits `count` demo solves through the front end at `url`; their names.
async fn submit_many(url: &str, count: usize) -> Vec<String> {
    let mut client = client(url).await;
    let mut names = Vec::new();
    for _ in 0..count {
        names.push(submit(&mut client, request(ITERATIONS)).await);
    }
    names
}

/// Waits for every operation in `names`; asserts each succeeded with a plan the checker
/// accepts and a result written once.
async fn assert_all_solved(nats: &NatsServer, url: &str, names: &[String]) -> Vec<pb::Operation> {
    let mut operations = Vec::new();
    for name in names {
        let operation = wait_done(url, name).await;
        assert_eq!(
            state(&operation),
            pb::OperationState::Succeeded,
            "{operation:?}"
        );
        common::assert_feasible(&request(ITERATIONS), &response(&operation));
        assert_eq!(done_revisions(nats, name).await, 1, "{name}: one result");
        operations.push(operation);
    }
    operations
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thirty_jobs_on_three_workers_end_once_each_though_one_worker_is_killed_mid_job() {
    let nats = NatsServer::start();
    let (_front, url) = start_front_end(&nats, &[]);
    let victim = start_worker(&nats, &WORKER_FLAGS);
    let _others = [
        start_worker(&nats, &WORKER_FLAGS),
        start_worker(&nats, &WORKER_FLAGS),
    ];
    let names = submit_many(&url, 30).await;
    let line = victim.until_logged("solving a job");
    let held = names
        .iter()
        .find(|name| line.contains(name.as_str()))
        .expect("the log names the job")
        .clone();
    victim.kill();
    let mut client = client(&url).await;
    let held_after_kill = common::operations::get(&mut client, &held)
        .await
        .expect("get");
    let operations = assert_all_solved(&nats, &url, &names).await;
    if !held_after_kill.done {
        // The killed worker's job was taken again by another after the ack wait.
        let held = operations.iter().find(|op| op.name == held).expect("held");
        assert!(attempts(held) >= 2, "{held:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_that_keeps_failing_ends_as_a_dead_letter_and_the_others_finish() {
    let nats = NatsServer::start();
    // A port nothing listens on: the request's OSRM server is down.
    let down = format!(
        "http://127.0.0.1:{}",
        std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
    );
    let allow = ["--osrm-allow", down.as_str()];
    let (_front, url) = start_front_end(&nats, &allow);
    let flags = [&WORKER_FLAGS[..], &allow, &["--max-tries", "2"]].concat();
    let _workers = [start_worker(&nats, &flags), start_worker(&nats, &flags)];
    let mut poison = request(ITERATIONS);
    poison.travel = Some(pb::TravelOptions {
        source: Some(pb::travel_options::Source::Osrm(pb::Osrm {
            url: down.clone(),
            ..Default::default()
        })),
    });
    let mut client = client(&url).await;
    let poisoned = submit(&mut client, poison).await;
    let names = submit_many(&url, 4).await;
    assert_all_solved(&nats, &url, &names).await;
    let failed = wait_done(&url, &poisoned).await;
    assert_eq!(state(&failed), pb::OperationState::Failed);
    let Some(pb::operation::Result::Error(error)) = &failed.result else {
        panic!("no error: {failed:?}");
    };
    assert_eq!(error.code, tonic::Code::Aborted as i32, "{error:?}");
    assert!(
        error.message.contains("given up after 3 tries"),
        "{error:?}"
    );
    assert!(error.message.contains("unreachable"), "{error:?}");
    let letters = dead_letters(&nats).await;
    assert_eq!(letters.len(), 1, "{letters:?}");
    assert_eq!(letters[0].name, poisoned);
    assert_eq!(letters[0].tries, 3);
    assert!(letters[0].reason.contains("unreachable"), "{letters:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_front_end_restarted_while_workers_run_loses_nothing() {
    let nats = NatsServer::start();
    let (front, url) = start_front_end(&nats, &[]);
    let _workers = [
        start_worker(&nats, &WORKER_FLAGS),
        start_worker(&nats, &WORKER_FLAGS),
    ];
    let names = submit_many(&url, 10).await;
    front.terminate();
    front.exits_cleanly().await;
    let (_again, url) = start_front_end(&nats, &[]);
    assert_all_solved(&nats, &url, &names).await;
    let mut client = client(&url).await;
    let listed = client
        .list_operations(pb::ListOperationsRequest::default())
        .await
        .expect("list")
        .into_inner();
    let mut listed: Vec<_> = listed.operations.into_iter().map(|op| op.name).collect();
    listed.sort();
    let mut submitted = names.clone();
    submitted.sort();
    assert_eq!(listed, submitted);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_nats_server_restarted_mid_batch_the_batch_completes() {
    let mut nats = NatsServer::start();
    let directory = std::env::temp_dir().join(format!("tournee-batch-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&directory);
    std::fs::create_dir_all(&directory).unwrap();
    let hubs: Vec<String> = (0..10).map(|hub| format!("hub-{hub:02}")).collect();
    for hub in &hubs {
        let text = serde_json::to_string(&request(ITERATIONS)).unwrap();
        std::fs::write(directory.join(format!("{hub}.json")), text).unwrap();
    }
    let workers = [
        start_worker(&nats, &WORKER_FLAGS),
        start_worker(&nats, &WORKER_FLAGS),
    ];
    // Its stderr kept, to say why if it fails.
    let log = directory.join("batch.log");
    let batch = KillOnDrop::new(
        Command::new(env!("CARGO_BIN_EXE_tournee"))
            .args(["batch", "--nats", &nats.url()])
            .arg(&directory)
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .expect("tournee batch starts"),
    );
    workers[0].until_logged("solving a job");
    nats.stop();
    nats.restart();
    let exit = exit_of(batch).await;
    let stderr = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(exit.success(), "{exit:?}: {stderr}");
    for hub in &hubs {
        let text = std::fs::read_to_string(directory.join(format!("{hub}.answer.json")))
            .expect("the answer beside the request");
        let answer: pb::SolveResponse = serde_json::from_str(&text).expect("an answer");
        common::assert_feasible(&request(ITERATIONS), &answer);
    }
    let _ = std::fs::remove_dir_all(&directory);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancel_on_the_front_end_stops_the_worker_holding_the_job() {
    let nats = NatsServer::start();
    let (_front, url) = start_front_end(&nats, &[]);
    let worker = start_worker(&nats, &WORKER_FLAGS);
    let mut client = client(&url).await;
    // No iteration cap: only the cancel ends it.
    let name = submit(&mut client, request(u64::MAX)).await;
    worker.until_logged("solving a job");
    client
        .cancel_operation(pb::CancelOperationRequest { name: name.clone() })
        .await
        .expect("cancel");
    let cancelled = wait_done(&url, &name).await;
    assert_eq!(state(&cancelled), pb::OperationState::Cancelled);
    // The worker is free again: the next job is solved.
    let next = submit(&mut client, request(ITERATIONS)).await;
    assert_all_solved(&nats, &url, std::slice::from_ref(&next)).await;
    // Its job handed out again (an ack lost, say): acked without a second solve.
    publish_again(&nats, &next, &request(ITERATIONS)).await;
    until_queue_empty(&nats).await;
    let again = common::operations::get(&mut client, &next)
        .await
        .expect("get");
    assert_eq!(attempts(&again), 1, "{again:?}");
    assert_eq!(done_revisions(&nats, &next).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_is_one_operation_done_once_each_of_its_items_is() {
    let nats = NatsServer::start();
    let (_front, url) = start_front_end(&nats, &[]);
    let _workers = [
        start_worker(&nats, &WORKER_FLAGS),
        start_worker(&nats, &WORKER_FLAGS),
    ];
    let mut client = client(&url).await;
    let mut wrong = request(ITERATIONS);
    wrong.options.as_mut().unwrap().time_limit_ms = Some(3_600_001);
    let refused = client
        .submit_batch(pb::SubmitBatchRequest {
            requests: vec![request(ITERATIONS), wrong],
        })
        .await
        .expect_err("a bad item refuses the batch");
    assert_eq!(refused.code(), tonic::Code::InvalidArgument);
    let violations = refused.get_details_bad_request().expect("BadRequest");
    let fields: Vec<_> = violations
        .field_violations
        .iter()
        .map(|v| &v.field)
        .collect();
    assert_eq!(fields, ["requests[1].options.time_limit_ms"], "{refused:?}");
    let batch = client
        .submit_batch(pb::SubmitBatchRequest {
            requests: vec![request(ITERATIONS); 4],
        })
        .await
        .expect("submitted")
        .into_inner();
    let done = wait_done(&url, &batch.name).await;
    assert_eq!(state(&done), pb::OperationState::Succeeded, "{done:?}");
    let metadata = done.metadata.as_ref().unwrap();
    assert_eq!((metadata.items.len(), metadata.items_done), (4, 4));
    assert_eq!(
        done.result,
        Some(pb::operation::Result::Batch(pb::BatchResult {
            succeeded: 4,
            failed: 0
        }))
    );
    assert_all_solved(&nats, &url, &metadata.items).await;
    // Only its four items and itself: the refused batch queued nothing.
    let listed = client
        .list_operations(pb::ListOperationsRequest::default())
        .await
        .expect("list")
        .into_inner();
    assert_eq!(listed.operations.len(), 5);
}

/// A request NATS cannot carry (above its max_payload, 1 MiB by default) is refused at
/// submit with the limit named, not as a queue that is unreachable, and leaves no
/// operation behind.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_above_the_nats_max_payload_is_refused_naming_the_limit() {
    let nats = NatsServer::start();
    let (_front, url) = start_front_end(&nats, &[]);
    // 500 sites with supplied matrices: 2 × 500² three-byte values ≈ 1.5 MB.
    let size = 500usize;
    let site = |i: usize| pb::Site {
        id: format!("s{i}"),
        location: Some(pb::Location {
            kind: Some(pb::location::Kind::MatrixIndex(i as u32)),
        }),
        ..Default::default()
    };
    let row = |i: usize| pb::MatrixRow {
        values: (0..size)
            .map(|j| 100_000 + (i as i64 - j as i64).abs() * 1000)
            .collect(),
    };
    let request = pb::SolveRequest {
        sites: (0..size).map(site).collect(),
        vehicles: vec![pb::Vehicle {
            id: "v".into(),
            start_site_id: "s0".into(),
            end_site_id: "s0".into(),
            ..Default::default()
        }],
        jobs: vec![pb::Job {
            id: "j".into(),
            stop: Some(pb::TaskStop {
                site_id: "s5".into(),
                ..Default::default()
            }),
            ..Default::default()
        }],
        options: Some(common::quick_options(10)),
        travel: Some(pb::TravelOptions {
            source: Some(pb::travel_options::Source::Matrices(pb::SuppliedMatrices {
                profiles: vec![pb::ProfileMatrices {
                    profile: String::new(),
                    durations_s: (0..size).map(row).collect(),
                    distances_m: (0..size).map(row).collect(),
                    ..Default::default()
                }],
            })),
        }),
        ..Default::default()
    };
    assert!(prost::Message::encoded_len(&request) > 1024 * 1024);
    let mut client = client(&url).await;
    let refused = client
        .submit_solve(request)
        .await
        .expect_err("too large for NATS");
    assert_eq!(refused.code(), tonic::Code::InvalidArgument, "{refused:?}");
    assert!(
        refused.message().contains("max_payload of 1048576 bytes"),
        "{refused:?}"
    );
    let listed = client
        .list_operations(pb::ListOperationsRequest::default())
        .await
        .expect("list")
        .into_inner();
    assert!(listed.operations.is_empty(), "{listed:?}");
}
