//! Long-running operations behind API keys, against a real server on 127.0.0.1:0 with
//! two keys: another key's operation is NOT_FOUND to every call on it (not
//! PERMISSION_DENIED, which would tell that it exists) and absent from its list, while
//! its owner sees it; and a submitted operation holds its owner's share of the solvers
//! (`--max-solves-per-key`) until it ends, as a synchronous call does. No step depends
//! on the machine's speed: the held operation ends only when cancelled, and waits poll.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::operations::{request, state};
use common::{TestServer, start_server_config};
use tonic::{Code, Request};
use tournee::pb;
use tournee::server::{Access, AdmissionLimits, ApiKeys, ServerConfig, key_line};

const FARM_KEY: &str = "farm-0123456789abcdef0123456789";
const SHOP_KEY: &str = "shop-0123456789abcdef0123456789";

/// A server that checks the keys "farm" and "shop", with room for two solves.
async fn keyed_server(max_solves_per_key: Option<usize>) -> TestServer {
    let file = format!(
        "{}\n{}\n",
        key_line("farm", FARM_KEY),
        key_line("shop", SHOP_KEY)
    );
    start_server_config(ServerConfig {
        access: Access {
            api_keys: Some(Arc::new(ApiKeys::parse(&file).unwrap())),
            max_solves_per_key,
            ..Access::default()
        },
        admission: AdmissionLimits {
            max_concurrent_solves: 2,
            max_queue: 8,
        },
        ..ServerConfig::default()
    })
    .await
}

/// `message` sent with `key`.
fn as_key<T>(key: &str, message: T) -> Request<T> {
    let mut request = Request::new(message);
    let value = format!("Bearer {key}").parse().unwrap();
    request.metadata_mut().insert("authorization", value);
    request
}

type Client = pb::routing_client::RoutingClient<tonic::transport::Channel>;

/// The code of every call `key` can make on the operation `name`, but List.
async fn codes_on(client: &mut Client, key: &str, name: &str) -> [Code; 4] {
    let name = name.to_string();
    let code = |answer: Result<(), tonic::Status>| answer.err().map_or(Code::Ok, |s| s.code());
    let get = pb::GetOperationRequest { name: name.clone() };
    let wait = pb::WaitOperationRequest {
        name: name.clone(),
        timeout_ms: 1,
    };
    let cancel = pb::CancelOperationRequest { name: name.clone() };
    let delete = pb::DeleteOperationRequest { name };
    [
        code(client.get_operation(as_key(key, get)).await.map(drop)),
        code(client.wait_operation(as_key(key, wait)).await.map(drop)),
        code(client.cancel_operation(as_key(key, cancel)).await.map(drop)),
        code(client.delete_operation(as_key(key, delete)).await.map(drop)),
    ]
}

/// The names `key` lists.
async fn listed(client: &mut Client, key: &str) -> Vec<String> {
    let list = pb::ListOperationsRequest::default();
    let page = client.list_operations(as_key(key, list)).await.unwrap();
    page.into_inner()
        .operations
        .into_iter()
        .map(|op| op.name)
        .collect()
}

/// Polls as `key` until the operation `name` is in `wanted`.
async fn poll_state(client: &mut Client, key: &str, name: &str, wanted: pb::OperationState) {
    loop {
        let get = pb::GetOperationRequest {
            name: name.to_string(),
        };
        let operation = client.get_operation(as_key(key, get)).await.unwrap();
        if state(operation.get_ref()) == wanted {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn another_keys_operation_is_not_found_and_not_listed() {
    let server = keyed_server(None).await;
    let mut client = server.client().await;
    let submitted = client
        .submit_solve(as_key(FARM_KEY, request(u64::MAX)))
        .await
        .expect("the farm submits")
        .into_inner();
    let name = submitted.name.clone();
    poll_state(&mut client, FARM_KEY, &name, pb::OperationState::Running).await;

    // The shop gets what it gets for a name that never existed, for every call.
    let unknown = codes_on(&mut client, SHOP_KEY, "operations/none").await;
    assert_eq!(unknown, [Code::NotFound; 4]);
    assert_eq!(codes_on(&mut client, SHOP_KEY, &name).await, unknown);
    assert!(listed(&mut client, SHOP_KEY).await.is_empty());
    // The shop's cancel did nothing: the farm's operation still runs.
    poll_state(&mut client, FARM_KEY, &name, pb::OperationState::Running).await;
    assert_eq!(
        listed(&mut client, FARM_KEY).await,
        std::slice::from_ref(&name)
    );

    // Done, it stays the farm's: the shop can neither read nor delete it.
    let cancel = pb::CancelOperationRequest { name: name.clone() };
    client
        .cancel_operation(as_key(FARM_KEY, cancel))
        .await
        .expect("the farm cancels its own");
    poll_state(&mut client, FARM_KEY, &name, pb::OperationState::Cancelled).await;
    assert_eq!(codes_on(&mut client, SHOP_KEY, &name).await, unknown);
    let get = pb::GetOperationRequest { name: name.clone() };
    let kept = client.get_operation(as_key(FARM_KEY, get)).await.unwrap();
    assert!(kept.get_ref().done);

    // The shop's own operation is the shop's only.
    let own = client
        .submit_solve(as_key(SHOP_KEY, request(20)))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        listed(&mut client, SHOP_KEY).await,
        std::slice::from_ref(&own.name)
    );
    assert_eq!(
        listed(&mut client, FARM_KEY).await,
        std::slice::from_ref(&name)
    );
    let delete = pb::DeleteOperationRequest { name: name.clone() };
    client
        .delete_operation(as_key(FARM_KEY, delete))
        .await
        .expect("the farm deletes its own");
    assert!(listed(&mut client, FARM_KEY).await.is_empty());
}

#[tokio::test]
async fn a_submitted_operation_counts_against_its_keys_share() {
    let server = keyed_server(Some(1)).await;
    let mut client = server.client().await;
    let held = client
        .submit_solve(as_key(FARM_KEY, request(u64::MAX)))
        .await
        .expect("the farm's first operation")
        .into_inner();

    // The farm's one place is taken by its operation: its next calls are refused with
    // a retry delay, submitted or synchronous; the shop goes on.
    let busy = client
        .submit_solve(as_key(FARM_KEY, request(20)))
        .await
        .unwrap_err();
    assert_eq!(busy.code(), Code::ResourceExhausted, "{busy:?}");
    let sync = client.solve(as_key(FARM_KEY, request(20))).await;
    assert_eq!(sync.unwrap_err().code(), Code::ResourceExhausted);
    let shop = client
        .submit_solve(as_key(SHOP_KEY, request(20)))
        .await
        .expect("another key is not held back")
        .into_inner();
    let mut shop_client = server.client().await;
    let shop_done = wait_done_as(&mut shop_client, SHOP_KEY, &shop.name).await;
    assert_eq!(state(&shop_done), pb::OperationState::Succeeded);

    // Once the farm's operation ends, its place comes back (when the search has
    // stopped, which takes as long as it takes: retry until then).
    let cancel = pb::CancelOperationRequest {
        name: held.name.clone(),
    };
    client
        .cancel_operation(as_key(FARM_KEY, cancel))
        .await
        .unwrap();
    let next = loop {
        match client.submit_solve(as_key(FARM_KEY, request(20))).await {
            Err(status) if status.code() == Code::ResourceExhausted => {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            other => break other.expect("the farm submits again").into_inner(),
        }
    };
    let done = wait_done_as(&mut client, FARM_KEY, &next.name).await;
    assert_eq!(state(&done), pb::OperationState::Succeeded);
}

/// Waits as `key` until the operation is done, however long that takes.
async fn wait_done_as(client: &mut Client, key: &str, name: &str) -> pb::Operation {
    loop {
        let wait = pb::WaitOperationRequest {
            name: name.to_string(),
            timeout_ms: 30_000,
        };
        let operation = client
            .wait_operation(as_key(key, wait))
            .await
            .expect("wait")
            .into_inner();
        if operation.done {
            return operation;
        }
    }
}
