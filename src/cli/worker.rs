//! `tournee worker --nats URL`: solves the jobs that `serve --nats` front ends (and
//! `tournee batch`) queue in NATS JetStream, until SIGINT or SIGTERM (then the job in
//! hand goes back to the queue). Its flags: the travel sources and request limits of
//! `serve`, and how the shared queue redelivers (`--ack-wait-s`, `--max-tries`).

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;

use super::args::RoadArgs;
use super::serve::LimitArgs;

/// `tournee worker`'s flags.
#[derive(Debug, clap::Args)]
pub struct WorkerArguments {
    /// The NATS server (with JetStream), e.g. nats://127.0.0.1:4222.
    #[arg(long, value_name = "URL")]
    nats: String,
    #[command(flatten)]
    roads: RoadArgs,
    #[command(flatten)]
    limits: LimitArgs,
    /// An OSRM server a request may name in travel.osrm.url, besides --osrm-url
    /// (repeatable), as `serve --osrm-allow`.
    #[arg(long, value_name = "URL")]
    osrm_allow: Vec<String>,
    /// Seconds without news from the worker holding a job before the queue hands it to
    /// another; the worker confirms it is alive a third of this so often. Taken by the
    /// first worker that creates the queue's consumer.
    #[arg(long, value_name = "S", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    ack_wait_s: u64,
    /// Deliveries of a job that may fail (a worker killed, an OSRM server down) before
    /// it is given up on the dead-letter subject tournee.dead. Taken by the first worker
    /// that creates the queue's consumer.
    #[arg(long, value_name = "N", default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=100))]
    max_tries: u32,
    /// Seconds a done operation is kept, then deleted (as `serve --operation-ttl-s`).
    #[arg(long, value_name = "S", default_value_t = tournee::server::operations::DEFAULT_OPERATION_TTL.as_secs(),
          value_parser = clap::value_parser!(u64).range(1..=10 * 365 * 24 * 3600))]
    operation_ttl_s: u64,
}

/// Runs the worker until SIGINT or SIGTERM.
pub fn run(arguments: &WorkerArguments) -> anyhow::Result<()> {
    super::serve::init_logs(super::serve::LogFormat::Human)?;
    let travel = arguments.roads.config()?;
    super::serve::check_osrm_allow(&arguments.osrm_allow)?;
    super::serve::prepare_roads(&travel)?;
    let policy =
        tournee::server::server_policy(&travel, arguments.limits.limits(), &arguments.osrm_allow);
    let config = tournee::worker::WorkerConfig {
        nats_url: arguments.nats.clone(),
        redelivery: tournee::cluster::Redelivery {
            ack_wait: Duration::from_secs(arguments.ack_wait_s),
            max_tries: arguments.max_tries,
        },
        travel: Arc::new(travel),
        policy: Arc::new(policy),
        ttl: Duration::from_secs(arguments.operation_ttl_s),
    };
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    runtime.block_on(async {
        let stop = super::serve::shutdown_signal()?;
        tournee::worker::run(config, stop).await?;
        Ok(())
    })
}
