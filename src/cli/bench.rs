//! `tournee bench`: solution quality on a benchmark set. Arguments and printing only; the
//! work (reading, solving with several seeds, checking, measuring, the table) is the
//! library's `tournee::quality`. Rows print as instances finish; a plan that fails the
//! checker is shown as INFEASIBLE and makes the command fail at the end.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use tournee::domain::Objective;
use tournee::quality::{
    self, BenchConfig, BenchSummary, BenchmarkSet, BksTable, InstanceResult, table,
};

use super::args::{ObjectiveArg, SetArg};

/// Arguments of `tournee bench`.
#[derive(Debug, Clone, clap::Args)]
pub struct BenchArguments {
    /// Directory holding the set's instance files (`bks.csv` is looked for there and one
    /// level up).
    dir: PathBuf,
    /// Benchmark set (decides the file format and the rows of `bks.csv`).
    #[arg(long, value_enum)]
    set: SetArg,
    /// What to minimise; `vehicles` compares with the hierarchical best known, the
    /// others with the distance-only one.
    #[arg(long, value_enum)]
    objective: ObjectiveArg,
    /// Budget of each solve, seconds; the search uses all of it unless --effort is
    /// given too.
    #[arg(
        long,
        allow_negative_numbers = true,
        required_unless_present = "effort"
    )]
    time_limit_s: Option<f64>,
    /// Effort level of each solve, 0..5, as `solve -x`: without --time-limit-s, the
    /// level's budget; with it, also the level's stop on stagnation.
    #[arg(long, short = 'x')]
    effort: Option<u32>,
    /// Parallel searches per solve (0: one per core).
    #[arg(long, default_value_t = 1)]
    threads: u32,
    /// Solves per instance, with seeds 0..K; the best and the mean are reported.
    #[arg(long, default_value_t = 1)]
    seeds: u64,
    /// Iterations per parallel search: a deterministic run (the time limit still
    /// applies). Default: no cap, the search uses the whole time limit.
    #[arg(long)]
    max_iterations: Option<u64>,
    /// Only instances whose name matches: globs with `*` and `?`, comma-separated,
    /// case-insensitive (e.g. `C1*,RC2*`).
    #[arg(long)]
    instances: Option<String>,
    /// Also write the table as CSV here.
    #[arg(long)]
    csv: Option<PathBuf>,
    /// The best-known solutions file (default: DIR/bks.csv, else DIR/../bks.csv).
    #[arg(long)]
    bks: Option<PathBuf>,
}

/// Runs the bench and prints the table and the summary.
pub fn run(arguments: &BenchArguments) -> anyhow::Result<()> {
    let config = config(arguments)?;
    let bks_path = arguments
        .bks
        .clone()
        .or_else(|| quality::bks::locate(&arguments.dir));
    let bks = bks_path.as_deref().map(BksTable::read).transpose()?;
    let files =
        quality::instance_files(&arguments.dir, config.set, arguments.instances.as_deref())?;
    if files.is_empty() {
        anyhow::bail!(
            "{}: no *.{} instance file{}",
            arguments.dir.display(),
            config.set.extension(),
            match &arguments.instances {
                Some(pattern) => format!(" matching {pattern:?}"),
                None => String::new(),
            }
        );
    }
    print_banner(arguments, &config, files.len(), bks_path.as_deref());
    println!("{}", table::text_header());
    let mut results = Vec::with_capacity(files.len());
    for path in &files {
        let result = quality::run_instance(path, &config, bks.as_ref())?;
        print_row(&result, config.objective)?;
        results.push(result);
    }
    let summary = BenchSummary::of(&results, config.objective);
    println!("{summary}");
    if let Some(csv) = &arguments.csv {
        std::fs::write(csv, table::csv(&results, config.objective))
            .with_context(|| format!("--csv: writing {}", csv.display()))?;
    }
    if !summary.all_feasible() {
        anyhow::bail!(
            "{} instance(s) with a plan the checker refused (INFEASIBLE rows)",
            summary.infeasible
        );
    }
    Ok(())
}

/// The library's configuration from the arguments, refused before any file is read
/// when a limit is out of range.
fn config(arguments: &BenchArguments) -> anyhow::Result<BenchConfig> {
    if let Some(seconds) = arguments.time_limit_s
        && !(seconds.is_finite() && seconds > 0.0 && seconds <= 3600.0)
    {
        anyhow::bail!("--time-limit-s: {seconds} is not in (0, 3600] seconds");
    }
    if arguments.effort.is_some_and(|effort| effort > 5) {
        anyhow::bail!("--effort: {:?} is not in 0..=5", arguments.effort);
    }
    if arguments.seeds == 0 || arguments.threads > 256 || arguments.max_iterations == Some(0) {
        anyhow::bail!("--seeds and --max-iterations must be at least 1, --threads at most 256");
    }
    Ok(BenchConfig {
        set: match arguments.set {
            SetArg::Solomon => BenchmarkSet::Solomon,
            SetArg::Homberger => BenchmarkSet::Homberger,
            SetArg::Lilim => BenchmarkSet::Lilim,
            SetArg::Cvrp => BenchmarkSet::Cvrp,
        },
        objective: arguments.objective.domain(),
        time_limit_ms: arguments
            .time_limit_s
            .map(|seconds| (seconds * 1000.0).round().max(1.0) as u64),
        effort: arguments.effort,
        threads: arguments.threads,
        seeds: arguments.seeds,
        max_iterations: arguments.max_iterations,
    })
}

/// The first line: the settings of the run, so that a pasted table says how it was made.
fn print_banner(
    arguments: &BenchArguments,
    config: &BenchConfig,
    instances: usize,
    bks_path: Option<&Path>,
) {
    println!(
        "tournee bench: set {}, objective {:?}, {} per solve, max iterations {}, \
         threads {}, seeds 0..{}, {} instance(s), {} core(s) available, best known: {}",
        config.set.name(),
        arguments.objective,
        match (arguments.time_limit_s, arguments.effort) {
            (Some(seconds), None) => format!("{seconds} s"),
            (Some(seconds), Some(effort)) => format!("{seconds} s at most, effort {effort}"),
            (None, effort) => format!("effort {}", effort.unwrap_or_default()),
        },
        config
            .max_iterations
            .map_or("none".to_string(), |limit| limit.to_string()),
        config.threads,
        config.seeds,
        instances,
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        bks_path.map_or("none found".to_string(), |path| path.display().to_string()),
    );
}

/// One instance's row, and its refused plans on stderr; flushed so that rows show as
/// instances finish.
fn print_row(result: &InstanceResult, objective: Objective) -> anyhow::Result<()> {
    println!("{}", table::text_line(&table::row(result, objective)));
    for run in result.runs.iter().filter(|run| !run.feasible()) {
        let shown: Vec<&str> = run.violations.iter().take(3).map(String::as_str).collect();
        eprintln!(
            "{} seed {}: INFEASIBLE: {}",
            result.name,
            run.seed,
            shown.join("; ")
        );
    }
    std::io::stdout().flush().context("writing the table")
}
