//! Helpers of the long-running operations tests: the client, reading an operation,
//! waiting for one without a time bound that matters.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(dead_code)]

use std::time::Duration;

use tonic::transport::Channel;
use tournee::pb;

use super::{demo_request, quick_options};

/// A routing client.
pub type Client = pb::routing_client::RoutingClient<Channel>;

/// The demo, solved in `iterations` iterations (u64::MAX: until cancelled).
pub fn request(iterations: u64) -> pb::SolveRequest {
    let mut request = demo_request();
    request.options = Some(quick_options(iterations));
    request
}

/// The operation's state.
pub fn state(operation: &pb::Operation) -> pb::OperationState {
    let metadata = operation.metadata.as_ref().expect("metadata");
    pb::OperationState::try_from(metadata.state).expect("a known state")
}

/// Runs the operation has started.
pub fn attempts(operation: &pb::Operation) -> u32 {
    operation.metadata.as_ref().expect("metadata").attempts
}

/// The plan of a succeeded operation.
pub fn response(operation: &pb::Operation) -> pb::SolveResponse {
    match &operation.result {
        Some(pb::operation::Result::Response(response)) => response.clone(),
        other => panic!("no response: {other:?}"),
    }
}

/// GetOperation.
pub async fn get(client: &mut Client, name: &str) -> Result<pb::Operation, tonic::Status> {
    let request = pb::GetOperationRequest {
        name: name.to_string(),
    };
    client.get_operation(request).await.map(|r| r.into_inner())
}

/// Waits until the operation is done, however long that takes.
pub async fn wait_done(client: &mut Client, name: &str) -> pb::Operation {
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
pub async fn poll_until(client: &mut Client, name: &str, ready: impl Fn(&pb::Operation) -> bool) {
    loop {
        let operation = get(client, name).await.expect("get");
        if ready(&operation) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
