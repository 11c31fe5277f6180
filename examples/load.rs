//! A load driver for `tournee serve`: N callers, each on a connection of its own, send
//! the demo request (data/demo/cooperative.json, one thread, an iteration cap so that
//! each solve costs the same whatever the machine) as Solve calls back to back for D
//! seconds. A caller refused with RESOURCE_EXHAUSTED waits the RetryInfo delay the
//! server gave, as a well-behaved client does, then tries again. At the end it prints
//! the calls by gRPC code, the plans per second and the latency p50/p99 of the answered
//! calls and of the refused ones; with `--pid` the server's peak RSS (VmHWM).
//! The figures are in BENCHMARKS.md ("Load").
//!
//!     cargo run --release --example load -- --addr 127.0.0.1:50051 --callers 16 \
//!         --seconds 20 [--iterations 200] [--key KEY] [--pid SERVER_PID]

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use anyhow::Context;
use tonic::transport::Channel;
use tonic_types::StatusExt;
use tournee::pb;

/// What the command line asks for.
struct Args {
    addr: String,
    callers: usize,
    seconds: u64,
    iterations: u64,
    key: Option<String>,
    pid: Option<u32>,
}

fn parse_args() -> anyhow::Result<Args> {
    let mut args = Args {
        addr: "127.0.0.1:50051".into(),
        callers: 4,
        seconds: 20,
        iterations: 200,
        key: None,
        pid: None,
    };
    let mut words = std::env::args().skip(1);
    while let Some(flag) = words.next() {
        let value = words
            .next()
            .with_context(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--addr" => args.addr = value,
            "--callers" => args.callers = value.parse()?,
            "--seconds" => args.seconds = value.parse()?,
            "--iterations" => args.iterations = value.parse()?,
            "--key" => args.key = Some(value),
            "--pid" => args.pid = Some(value.parse()?),
            _ => anyhow::bail!("unknown flag {flag}"),
        }
    }
    Ok(args)
}

/// One call's outcome: its code and how long it took.
type Outcome = (tonic::Code, Duration);

/// The demo request with a one-thread search capped at `iterations`.
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

/// One caller: Solve calls back to back until `until`, waiting the server's retry delay
/// after a refusal.
async fn caller(
    channel: Channel,
    request: pb::SolveRequest,
    key: Option<String>,
    until: Instant,
) -> Vec<Outcome> {
    let mut client = pb::routing_client::RoutingClient::new(channel);
    let mut outcomes = Vec::new();
    while Instant::now() < until {
        let mut call = tonic::Request::new(request.clone());
        if let Some(key) = &key
            && let Ok(value) = format!("Bearer {key}").parse()
        {
            call.metadata_mut().insert("authorization", value);
        }
        let started = Instant::now();
        let answer = client.solve(call).await;
        let code = answer
            .as_ref()
            .map_or_else(|s| s.code(), |_| tonic::Code::Ok);
        outcomes.push((code, started.elapsed()));
        if let Err(status) = answer {
            let delay = status
                .get_details_retry_info()
                .and_then(|retry| retry.retry_delay)
                .unwrap_or(Duration::from_secs(1));
            tokio::time::sleep(delay.min(until.saturating_duration_since(Instant::now()))).await;
        }
    }
    outcomes
}

/// The `q`-quantile of sorted durations, milliseconds.
fn quantile_ms(sorted: &[Duration], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let index = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted[index.min(sorted.len() - 1)].as_secs_f64() * 1000.0
}

/// The server's peak resident set, KiB, from /proc (Linux).
fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = parse_args()?;
    let request = demo_request(args.iterations)?;
    let url = format!("http://{}", args.addr);
    let mut channels = Vec::new();
    for _ in 0..args.callers {
        let channel = Channel::from_shared(url.clone())?.connect().await?;
        channels.push(channel);
    }
    let started = Instant::now();
    let until = started + Duration::from_secs(args.seconds);
    let tasks: Vec<_> = channels
        .into_iter()
        .map(|channel| tokio::spawn(caller(channel, request.clone(), args.key.clone(), until)))
        .collect();
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.extend(task.await?);
    }
    let wall_s = started.elapsed().as_secs_f64();
    let mut codes: BTreeMap<String, usize> = BTreeMap::new();
    let (mut answered, mut refused) = (Vec::new(), Vec::new());
    for (code, took) in &outcomes {
        *codes.entry(format!("{code:?}")).or_insert(0) += 1;
        match code {
            tonic::Code::Ok => answered.push(*took),
            _ => refused.push(*took),
        }
    }
    answered.sort();
    refused.sort();
    println!(
        "callers {} | {:.1} s | calls {} | codes {codes:?} | plans/s {:.2} | ok p50 {:.0} ms p99 {:.0} ms | refused p50 {:.1} ms p99 {:.1} ms | server peak RSS {}",
        args.callers,
        wall_s,
        outcomes.len(),
        answered.len() as f64 / wall_s,
        quantile_ms(&answered, 0.5),
        quantile_ms(&answered, 0.99),
        quantile_ms(&refused, 0.5),
        quantile_ms(&refused, 0.99),
        args.pid
            .and_then(peak_rss_kib)
            .map_or("-".to_string(), |kib| format!(
                "{:.1} MiB",
                kib as f64 / 1024.0
            )),
    );
    Ok(())
}
