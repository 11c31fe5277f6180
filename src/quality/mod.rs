//! Solution quality against best-known solutions (`tournee bench`), i.e. against the
//! literature: which files of a benchmark set to run ([`instance_files`]), the
//! best-known solutions they are compared with ([`bks`]), one instance solved with several seeds and checked ([`runner`]), and the
//! table, CSV and summary line ([`table`]). Every solve goes through
//! [`crate::pipeline::solve`] and every plan through [`crate::checker::check`]; figures
//! are measured in the literature's units by [`crate::scientific::BenchmarkInstance`].
//!
//! Runs use the whole time limit: `max_iterations` is set to `u64::MAX`, so the default
//! stop ("no improvement for a while") never fires and only the clock stops a search.
//! (The solver's annealing schedule then stays at its initial temperature, since its
//! progress is measured in iterations out of that limit; [`BenchConfig::max_iterations`]
//! gives a deterministic, cooling run instead.)

pub mod bks;
mod config;
mod error;
mod files;
pub mod runner;
pub mod table;

pub use bks::{BksEntry, BksTable};
pub use config::{BenchConfig, BenchmarkSet};
pub use error::BenchError;
pub use files::{instance_files, instance_name, matches};
pub use runner::{InstanceResult, RunResult, run_instance};
pub use table::BenchSummary;
