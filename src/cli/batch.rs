//! `tournee batch --nats URL DIR`: queues every request of a directory (`*.json`,
//! SolveRequest in the proto3 JSON mapping; one per hub and day, say) on NATS
//! JetStream for `tournee worker` processes, and writes each answer beside its request
//! (`NAME.answer.json`, or `NAME.error.json` with the operation's error) as it comes,
//! with a progress bar on stderr. A request whose answer is already there is skipped,
//! so a batch run again after an interruption does only what is left.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use tournee::pb;
use tournee::server::operations::{JetStreamOperations, OperationsApi, SubmitPolicy};

use super::args::InputFormat;

/// `tournee batch`'s arguments.
#[derive(Debug, clap::Args)]
pub struct BatchArguments {
    /// The NATS server (with JetStream) the workers pull from.
    #[arg(long, value_name = "URL")]
    nats: String,
    /// The directory of requests.
    directory: PathBuf,
}

/// The files the answers of `request` go to: the answer, the error.
fn answer_paths(request: &Path) -> (PathBuf, PathBuf) {
    let stem = request
        .file_stem()
        .map(|stem| stem.to_string_lossy().to_string())
        .unwrap_or_default();
    let directory = request.parent().unwrap_or(Path::new("."));
    (
        directory.join(format!("{stem}.answer.json")),
        directory.join(format!("{stem}.error.json")),
    )
}

/// The requests of `directory` that have no answer yet, in name order.
fn pending_requests(directory: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(directory)
        .with_context(|| format!("reading the directory {}", directory.display()))?;
    let mut requests = Vec::new();
    for entry in entries {
        let path = entry.context("reading the directory")?.path();
        let name = path.file_name().map(|n| n.to_string_lossy().to_string());
        let Some(name) = name else { continue };
        let answer = name.ends_with(".answer.json") || name.ends_with(".error.json");
        if !name.ends_with(".json") || answer {
            continue;
        }
        let (answered, failed) = answer_paths(&path);
        if !answered.exists() && !failed.exists() {
            requests.push(path);
        }
    }
    requests.sort();
    Ok(requests)
}

/// Runs a batch.
pub fn run(arguments: &BatchArguments) -> anyhow::Result<()> {
    let requests = pending_requests(&arguments.directory)?;
    let mut parsed = Vec::new();
    for path in &requests {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let request = super::solve::read_request(&text, InputFormat::Native)
            .with_context(|| path.display().to_string())?;
        parsed.push((path.clone(), request));
    }
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    runtime.block_on(async {
        let submit = SubmitPolicy {
            policy: Default::default(),
            ttl: tournee::server::operations::DEFAULT_OPERATION_TTL,
        };
        let operations = JetStreamOperations::connect(&arguments.nats, submit).await?;
        let mut names = Vec::new();
        for (path, request) in parsed {
            let operation = submit_until_queued(&operations, &request)
                .await
                .map_err(|status| anyhow::anyhow!("{}: {}", path.display(), status.message()))?;
            names.push((path, operation.name));
        }
        let total = names.len();
        let mut failed = 0;
        progress(0, total);
        for (done, (path, name)) in names.into_iter().enumerate() {
            let operation = wait_done(&operations, &name).await?;
            if !write_answer(&path, &operation)? {
                failed += 1;
            }
            progress(done + 1, total);
        }
        eprintln!();
        if failed > 0 {
            anyhow::bail!("{failed} of {total} requests failed: see their .error.json");
        }
        Ok(())
    })
}

/// How long a submission retries while NATS is away (restarting) before the batch gives
/// up on it.
const SUBMIT_RETRY_FOR: Duration = Duration::from_secs(300);

/// Submits `request`, asking again while the job queue is unreachable (a NATS restart
/// during the submissions), as [`wait_done`] does while waiting.
async fn submit_until_queued(
    operations: &JetStreamOperations,
    request: &pb::SolveRequest,
) -> Result<pb::Operation, tonic::Status> {
    let give_up = std::time::Instant::now() + SUBMIT_RETRY_FOR;
    loop {
        match operations.submit(String::new(), request.clone()).await {
            Err(status)
                if status.code() == tonic::Code::Unavailable
                    && std::time::Instant::now() < give_up =>
            {
                tracing::debug!(message = status.message(), "submitting a request");
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
            answer => return answer,
        }
    }
}

/// Waits, however long, until the operation `name` is done.
async fn wait_done(operations: &JetStreamOperations, name: &str) -> anyhow::Result<pb::Operation> {
    loop {
        let request = pb::WaitOperationRequest {
            name: name.to_string(),
            timeout_ms: 60_000,
        };
        match operations.wait(String::new(), request, None).await {
            Ok(operation) if operation.done => return Ok(operation),
            Ok(_) => {}
            // NATS away (restarting): the client reconnects; ask again.
            Err(tournee::server::operations::OperationError::Queue(error)) => {
                tracing::debug!(%error, "waiting for an answer");
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
            Err(error) => return Err(error).with_context(|| name.to_string()),
        }
    }
}

/// Writes the answer (or the error) of `operation` beside `request`; whether it
/// succeeded.
fn write_answer(request: &Path, operation: &pb::Operation) -> anyhow::Result<bool> {
    let (answer, error) = answer_paths(request);
    let (path, text, succeeded) = match &operation.result {
        Some(pb::operation::Result::Response(response)) => {
            (answer, serde_json::to_string_pretty(response)?, true)
        }
        Some(pb::operation::Result::Error(failure)) => {
            (error, serde_json::to_string_pretty(failure)?, false)
        }
        // Each request is a solve of its own: neither a batch nor empty.
        Some(pb::operation::Result::Batch(_)) | None => (error, "{}".to_string(), false),
    };
    std::fs::write(&path, text + "\n").with_context(|| format!("writing {}", path.display()))?;
    Ok(succeeded)
}

/// Draws the progress bar on stderr.
fn progress(done: usize, total: usize) {
    const WIDTH: usize = 30;
    let filled = (done * WIDTH).checked_div(total).unwrap_or(WIDTH);
    let bar = format!("{}{}", "#".repeat(filled), ".".repeat(WIDTH - filled));
    let mut stderr = std::io::stderr();
    let _ = write!(stderr, "\rbatch [{bar}] {done}/{total} answered");
    let _ = stderr.flush();
}
