//! Long-running operations against a real server on 127.0.0.1:0: submit then wait
//! gives what Solve gives; get, list, cancel and delete; refusals at submit; expiry. No
//! step depends on the machine's speed: searches end on iteration caps or on a cancel,
//! and waits poll without a time bound that matters (restarts: `operations_restart.rs`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::operations::{attempts, get, poll_until, request, response, state, wait_done};
use common::{assert_feasible, start_server_config};
use tonic_types::StatusExt;
use tournee::pb;
use tournee::server::{AdmissionLimits, OperationsConfig, ServerConfig};

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

    // A batch needs remote workers (serve --nats): refused here, naming the flag.
    let batch = pb::SubmitBatchRequest {
        requests: vec![request(30)],
    };
    let refused = client.submit_batch(batch).await.unwrap_err();
    assert_eq!(
        refused.code(),
        tonic::Code::FailedPrecondition,
        "{refused:?}"
    );
    assert!(refused.message().contains("--nats"), "{refused:?}");
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
