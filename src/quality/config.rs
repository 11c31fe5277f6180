//! What a bench run solves and how: the [`BenchmarkSet`] (file format, `bks.csv` name)
//! and the [`BenchConfig`] of every solve. The file lister, the runner and the CLI all
//! read them, so they stand below those, apart from `mod.rs`.

use crate::domain::Objective;
use crate::scientific::{BenchmarkInstance, FormatError};

/// A benchmark set: its file format and its name in `bks.csv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BenchmarkSet {
    /// Solomon VRPTW, 100 customers (`*.txt`).
    Solomon,
    /// Gehring & Homberger VRPTW, 200–1000 customers (`*.txt`, Solomon format).
    Homberger,
    /// Li & Lim PDPTW (`*.txt`).
    Lilim,
    /// CVRPLIB CVRP, TSPLIB `EUC_2D` (`*.vrp`).
    Cvrp,
}

impl BenchmarkSet {
    /// The set's name in the `set` column of `bks.csv`.
    pub fn name(self) -> &'static str {
        match self {
            BenchmarkSet::Solomon => "solomon",
            BenchmarkSet::Homberger => "homberger",
            BenchmarkSet::Lilim => "lilim",
            BenchmarkSet::Cvrp => "cvrp",
        }
    }

    /// Extension of the set's instance files.
    pub fn extension(self) -> &'static str {
        match self {
            BenchmarkSet::Cvrp => "vrp",
            _ => "txt",
        }
    }

    /// Reads one instance file of the set.
    pub fn parse(self, text: &str) -> Result<BenchmarkInstance, FormatError> {
        match self {
            BenchmarkSet::Solomon | BenchmarkSet::Homberger => {
                crate::scientific::parse_solomon(text)
            }
            BenchmarkSet::Lilim => crate::scientific::parse_lilim(text),
            BenchmarkSet::Cvrp => crate::scientific::parse_tsplib(text),
        }
    }
}

/// How a bench run solves each instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BenchConfig {
    /// The set (file format, `bks.csv` rows).
    pub set: BenchmarkSet,
    /// What the search minimises; also which best-known solution is the reference
    /// (hierarchical for [`Objective::Vehicles`], distance-only otherwise).
    pub objective: Objective,
    /// Budget of each solve, milliseconds (`None`: the effort level's).
    pub time_limit_ms: Option<u64>,
    /// Effort level of each solve (`None`: only the time limit stops it).
    pub effort: Option<u32>,
    /// Parallel searches per solve (0: one per core).
    pub threads: u32,
    /// Solves per instance, with seeds `0..seeds`.
    pub seeds: u64,
    /// Iterations per parallel search (deterministic runs; the time limit still
    /// applies). `None`: no cap.
    pub max_iterations: Option<u64>,
}
