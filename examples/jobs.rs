//! Submits long-running operations to `tournee serve` and collects them: the client
//! side of the restart figure in BENCHMARKS.md ("Restart"), where the server is killed
//! with SIGKILL between the two and started again on the same `--data-dir`.
//!
//!     cargo run --release --example jobs -- submit ADDR JOBS ITERATIONS > names.txt
//!     cargo run --release --example jobs -- collect ADDR names.txt
//!
//! `submit` sends the demo request (one thread, seed 3, the iteration cap given) JOBS
//! times with SubmitSolve and prints each operation's name. `collect` waits for each
//! named operation to be done and prints one line per operation (state, runs started,
//! whether it resumed from a checkpoint, iterations, cost), then the counts by state.

use std::collections::BTreeMap;

use anyhow::Context;
use tournee::pb;

type Client = pb::routing_client::RoutingClient<tonic::transport::Channel>;

/// The demo request, one thread, capped at `iterations`.
fn demo_request(iterations: u64) -> anyhow::Result<pb::SolveRequest> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/demo/cooperative.json");
    let text = std::fs::read_to_string(path).context(path)?;
    let mut request: pb::SolveRequest = serde_json::from_str(&text)?;
    request.options = Some(pb::SolveOptions {
        max_iterations: Some(iterations),
        threads: 1,
        seed: 3,
        time_limit_ms: Some(600_000),
        ..Default::default()
    });
    Ok(request)
}

async fn submit(client: &mut Client, jobs: usize, iterations: u64) -> anyhow::Result<()> {
    let request = demo_request(iterations)?;
    for _ in 0..jobs {
        let operation = client.submit_solve(request.clone()).await?.into_inner();
        println!("{}", operation.name);
    }
    Ok(())
}

/// Waits for `name` to be done, however long that takes.
async fn done(client: &mut Client, name: &str) -> anyhow::Result<pb::Operation> {
    loop {
        let wait = pb::WaitOperationRequest {
            name: name.to_string(),
            timeout_ms: 30_000,
        };
        let operation = client.wait_operation(wait).await?.into_inner();
        if operation.done {
            return Ok(operation);
        }
    }
}

async fn collect(client: &mut Client, names: &str) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(names).context(names.to_string())?;
    let mut states: BTreeMap<String, usize> = BTreeMap::new();
    let mut runs: BTreeMap<u32, usize> = BTreeMap::new();
    for name in text.lines().filter(|line| !line.trim().is_empty()) {
        let operation = done(client, name.trim()).await?;
        let metadata = operation.metadata.unwrap_or_default();
        let state = pb::OperationState::try_from(metadata.state).unwrap_or_default();
        let cost = match &operation.result {
            Some(pb::operation::Result::Response(response)) => {
                response.summary.as_ref().map_or(f64::NAN, |s| s.cost)
            }
            _ => f64::NAN,
        };
        println!(
            "{name} {state:?} runs {} warm_started {} iterations {} cost {cost:.2}",
            metadata.attempts, metadata.warm_started, metadata.iterations
        );
        *states.entry(format!("{state:?}")).or_insert(0) += 1;
        *runs.entry(metadata.attempts).or_insert(0) += 1;
    }
    println!("by state {states:?}; by runs started {runs:?}");
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let usage = "usage: jobs submit ADDR JOBS ITERATIONS | jobs collect ADDR NAMES_FILE";
    let (Some(mode), Some(addr)) = (args.get(1), args.get(2)) else {
        anyhow::bail!(usage);
    };
    let mut client = Client::connect(format!("http://{addr}")).await?;
    match (mode.as_str(), args.get(3), args.get(4)) {
        ("submit", Some(jobs), Some(iterations)) => {
            submit(&mut client, jobs.parse()?, iterations.parse()?).await
        }
        ("collect", Some(names), None) => collect(&mut client, names).await,
        _ => anyhow::bail!(usage),
    }
}
