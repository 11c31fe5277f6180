//! Command-line arguments and their dispatch.

mod bench;
mod demo;
mod matrix;
mod serve;
mod solve;

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Shared delivery and collection rounds for short food supply chains.
#[derive(Debug, Parser)]
#[command(name = "tournee", version, about)]
pub struct Arguments {
    #[command(subcommand)]
    command: Command,
}

/// Input file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// `SolveRequest` in the proto3 JSON mapping.
    Native,
    /// VROOM's input JSON.
    Vroom,
    /// Solomon or Gehring & Homberger VRPTW text (times and distances scaled ×1000).
    Solomon,
    /// Li & Lim PDPTW text (times and distances scaled ×1000).
    Lilim,
    /// CVRPLIB CVRP, TSPLIB `EUC_2D` (distances rounded per edge, scaled ×1000).
    Cvrp,
}

/// What the search minimises (overrides the problem file's objective).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ObjectiveArg {
    /// Total distance.
    Distance,
    /// Fewest vehicles first, then cost.
    Vehicles,
    /// Total cost (for benchmark files: the unscaled distance).
    Cost,
}

impl ObjectiveArg {
    /// The domain objective.
    pub fn domain(self) -> tournee::domain::Objective {
        match self {
            ObjectiveArg::Distance => tournee::domain::Objective::Distance,
            ObjectiveArg::Vehicles => tournee::domain::Objective::Vehicles,
            ObjectiveArg::Cost => tournee::domain::Objective::Cost,
        }
    }

    /// The API objective.
    pub fn proto(self) -> tournee::pb::Objective {
        match self {
            ObjectiveArg::Distance => tournee::pb::Objective::Distance,
            ObjectiveArg::Vehicles => tournee::pb::Objective::Vehicles,
            ObjectiveArg::Cost => tournee::pb::Objective::Cost,
        }
    }
}

/// Benchmark sets of `tournee bench`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SetArg {
    /// Solomon VRPTW (`DIR/*.txt`).
    Solomon,
    /// Gehring & Homberger VRPTW (`DIR/*.txt`).
    Homberger,
    /// Li & Lim PDPTW (`DIR/*.txt`).
    Lilim,
    /// CVRPLIB X instances (`DIR/*.vrp`).
    Cvrp,
}

/// Output file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// `SolveResponse` in the proto3 JSON mapping.
    Native,
    /// VROOM's output JSON.
    Vroom,
}

/// Options that override the problem file's search options.
#[derive(Debug, Clone, clap::Args)]
pub struct SearchOverrides {
    /// Wall-clock budget, seconds.
    #[arg(long, allow_negative_numbers = true)]
    time_limit_s: Option<f64>,
    /// Seed of the search.
    #[arg(long)]
    seed: Option<u64>,
    /// Parallel searches (0: one per core).
    #[arg(long)]
    threads: Option<u32>,
    /// Iterations per parallel search (deterministic stop).
    #[arg(long)]
    max_iterations: Option<u64>,
    /// Adds the pooling report: savings against every producer driving alone and each
    /// producer's fair share of the pooled cost (printed as a table on stderr).
    #[arg(long)]
    pooling: bool,
}

/// Where road data comes from when a request does not say.
#[derive(Debug, Clone, clap::Args)]
pub struct RoadArgs {
    /// An OpenStreetMap PBF extract: travel on its embedded road graph (car profile).
    #[arg(long, value_name = "FILE.pbf")]
    osm: Option<PathBuf>,
    /// An OSRM server's base URL (used when --osm is absent).
    #[arg(long, value_name = "URL")]
    osrm_url: Option<String>,
}

impl RoadArgs {
    /// The travel configuration; the extract is prepared now so that a bad file is
    /// reported once, naming the flag.
    pub fn config(&self) -> anyhow::Result<tournee::travel::TravelConfig> {
        use anyhow::Context;
        let osm = match &self.osm {
            Some(path) => {
                let source = tournee::travel::OsmSource::File(path.clone());
                source.load().with_context(|| "--osm".to_string())?;
                Some(source)
            }
            None => None,
        };
        if let Some(url) = &self.osrm_url
            && !(url.starts_with("http://") || url.starts_with("https://"))
        {
            anyhow::bail!("--osrm-url: {url:?} is not an http:// or https:// URL");
        }
        Ok(tournee::travel::TravelConfig {
            osm,
            osrm_url: self.osrm_url.clone(),
        })
    }
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
    /// Measures solution quality on a benchmark set against its best-known solutions.
    Bench(bench::BenchArguments),
}

/// Runs a parsed command.
pub fn run(arguments: Arguments) -> anyhow::Result<()> {
    match arguments.command {
        Command::Serve { addr, roads } => serve::run(&addr, &roads),
        Command::Solve {
            problem,
            format,
            output_format,
            objective,
            out,
            map,
            roads,
            search,
        } => solve::run(
            &problem,
            format,
            solve::Outputs {
                format: output_format,
                answer: out.as_deref(),
                map: map.as_deref(),
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
        Command::Bench(arguments) => bench::run(&arguments),
    }
}

impl SearchOverrides {
    /// Applies the overrides to a request's options.
    pub fn apply(&self, request: &mut tournee::pb::SolveRequest) -> anyhow::Result<()> {
        let options = request.options.get_or_insert_with(Default::default);
        if let Some(seconds) = self.time_limit_s {
            if !(seconds.is_finite() && seconds > 0.0) {
                anyhow::bail!("--time-limit-s: {seconds} is not a positive number of seconds");
            }
            options.time_limit_ms = Some((seconds * 1000.0).round().max(1.0) as u64);
        }
        if let Some(seed) = self.seed {
            options.seed = seed;
        }
        if let Some(threads) = self.threads {
            options.threads = threads;
        }
        if let Some(iterations) = self.max_iterations {
            options.max_iterations = Some(iterations);
        }
        if self.pooling {
            request.pooling.get_or_insert_with(Default::default).enabled = true;
        }
        Ok(())
    }
}
