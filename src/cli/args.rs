//! The arguments that several commands share: input and output formats, the objective
//! and benchmark set flags, the search overrides and where road data comes from, with
//! what turns each into the library's terms. `mod.rs` assembles them into commands and
//! the command files read them, so they stand below both, in a file of their own.

use std::path::PathBuf;

use clap::ValueEnum;

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
    /// The plan for people, as `tournee demo` prints it: a line per step, with its day
    /// on the tours of vehicles with shifts.
    Text,
}

/// Options that override the problem file's search options.
#[derive(Debug, Clone, clap::Args)]
pub struct SearchOverrides {
    /// Wall-clock budget, seconds: the search uses all of it (unless --effort is given
    /// too, which then also stops it on stagnation).
    #[arg(long, allow_negative_numbers = true)]
    time_limit_s: Option<f64>,
    /// How hard to search, 0..5 (like VROOM's -x): without --time-limit-s, a budget
    /// that grows with the instance (level 2 when neither is given).
    #[arg(long, short = 'x')]
    effort: Option<u32>,
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
    /// An OpenStreetMap PBF extract, or the file `tournee prepare` made of one: travel
    /// on its embedded road graph (car profile).
    #[arg(long, value_name = "FILE.pbf|FILE.graph")]
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
        if let Some(effort) = self.effort {
            options.effort = Some(effort);
        }
        if self.pooling {
            request.pooling.get_or_insert_with(Default::default).enabled = true;
        }
        Ok(())
    }
}
