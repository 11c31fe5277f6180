//! Command-line arguments and their dispatch.

mod access;
mod args;
mod batch;
mod bench;
mod demo;
mod dfc;
mod keys;
mod matrix;
mod operations;
mod prepare;
mod serve;
mod solve;
mod vroom;
mod worker;

pub use vroom::ExitStatus;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use args::{InputFormat, ObjectiveArg, OutputFormat, RoadArgs, SearchOverrides};

/// Shared delivery and collection rounds for short food supply chains.
#[derive(Debug, Parser)]
#[command(name = "tournee", version, about)]
pub struct Arguments {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serves the gRPC API (tournee.v1.Routing, health, reflection).
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:50051")]
        addr: String,
        #[command(flatten)]
        roads: RoadArgs,
        #[command(flatten)]
        limits: serve::LimitArgs,
        // Boxed: the server's many flags would make this variant far larger than the
        // others (clippy's large_enum_variant).
        #[command(flatten)]
        service: Box<serve::ServiceArgs>,
        #[command(flatten)]
        access: access::AccessArgs,
        /// An OSRM server a request may name in travel.osrm.url, besides --osrm-url
        /// (repeatable); requests may name no other.
        #[arg(long, value_name = "URL")]
        osrm_allow: Vec<String>,
    },
    /// Solves a problem file.
    Solve {
        /// The problem file.
        problem: PathBuf,
        /// Format of the problem file.
        #[arg(long, value_enum, default_value = "native")]
        format: InputFormat,
        /// Format of the answer (default: the input's format; native for benchmark
        /// files).
        #[arg(long, value_enum)]
        output_format: Option<OutputFormat>,
        /// What to minimise (default: the file's objective; cost for benchmark files).
        #[arg(long, value_enum)]
        objective: Option<ObjectiveArg>,
        /// Write the answer here instead of stdout.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Draw the tours on a map (SVG).
        #[arg(long, value_name = "FILE.svg")]
        map: Option<PathBuf>,
        /// Write the pooling report as a CSV statement, one row per producer (cost
        /// alone, share and saving under each rule, km and CO2 avoided); implies
        /// --pooling.
        #[arg(long, value_name = "FILE.csv")]
        pooling_csv: Option<PathBuf>,
        #[command(flatten)]
        roads: RoadArgs,
        #[command(flatten)]
        search: SearchOverrides,
    },
    /// Plans the bundled cooperative scenario on the bundled Liechtenstein road
    /// extract and prints the tours.
    Demo {
        /// Draw the tours on a map (SVG).
        #[arg(long, value_name = "FILE.svg")]
        map: Option<PathBuf>,
        /// Plan on straight lines instead of the bundled roads.
        #[arg(long)]
        straight_line: bool,
        #[command(flatten)]
        search: SearchOverrides,
    },
    /// Computes a duration and distance matrix between points (`id,lat,lon` CSV).
    Matrix(matrix::MatrixArguments),
    /// Prepares an OpenStreetMap extract once (graph, hierarchy) into a file that --osm
    /// reads back at start-up instead of preparing again.
    Prepare(prepare::PrepareArguments),
    /// Measures solution quality on a benchmark set against its best-known solutions.
    Bench(bench::BenchArguments),
    /// Makes the lines of the API key file of `serve --api-keys`.
    Keys(keys::KeysArguments),
    /// Runs like the `vroom` command (same flags, input, output and error codes): a
    /// script that runs VROOM switches by renaming the command.
    Vroom(vroom::VroomArguments),
    /// Plans a DFC (Data Food Consortium) order cycle given as JSON-LD and answers in
    /// DFC JSON-LD: routes, steps, shipments and each producer's cost share.
    Dfc(dfc::DfcArguments),
    /// Solves the jobs queued in NATS JetStream by `serve --nats` (one at a time),
    /// until SIGINT or SIGTERM.
    Worker(worker::WorkerArguments),
    /// Queues every request of a directory on NATS JetStream for the workers and
    /// writes each answer beside its request (NAME.answer.json), with a progress bar.
    Batch(batch::BatchArguments),
}

/// Runs a parsed command.
pub fn run(arguments: Arguments) -> anyhow::Result<()> {
    match arguments.command {
        Command::Serve {
            addr,
            roads,
            limits,
            service,
            access,
            osrm_allow,
        } => serve::run(&addr, &roads, &limits, &service, &access, &osrm_allow),
        Command::Solve {
            problem,
            format,
            output_format,
            objective,
            out,
            map,
            pooling_csv,
            roads,
            search,
        } => solve::run(
            &problem,
            format,
            solve::Outputs {
                format: output_format,
                answer: out.as_deref(),
                map: map.as_deref(),
                pooling_csv: pooling_csv.as_deref(),
            },
            objective,
            &roads,
            &search,
        ),
        Command::Demo {
            map,
            straight_line,
            search,
        } => demo::run(&search, map.as_deref(), straight_line),
        Command::Matrix(arguments) => matrix::run(&arguments),
        Command::Prepare(arguments) => prepare::run(&arguments),
        Command::Bench(arguments) => bench::run(&arguments),
        Command::Keys(arguments) => keys::run(&arguments),
        Command::Vroom(arguments) => vroom::run(&arguments),
        Command::Dfc(arguments) => dfc::run(&arguments),
        Command::Worker(arguments) => worker::run(&arguments),
        Command::Batch(arguments) => batch::run(&arguments),
    }
}
