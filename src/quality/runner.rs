//! One instance of a bench run: read the file, solve it once per seed through the normal
//! pipeline with the whole time limit, check every plan with the independent checker,
//! and measure it in the literature's units. Instances run one after the other; the
//! parallelism of a solve is its `threads`.

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use super::bks::{BksEntry, BksTable};
use super::config::BenchConfig;
use super::error::BenchError;
use super::files::instance_name;
use crate::budget::Budget;
use crate::domain::Objective;
use crate::pb;
use crate::pipeline;
use crate::scientific::Measure;

/// One solve of an instance.
#[derive(Debug, Clone, PartialEq)]
pub struct RunResult {
    /// The seed.
    pub seed: u64,
    /// Vehicles, unscaled distance and unassigned tasks of the plan.
    pub measure: Measure,
    /// What the checker found wrong; empty when the plan is feasible.
    pub violations: Vec<String>,
    /// Wall time of the solve (validation, matrices, search), milliseconds.
    pub wall_ms: u64,
    /// Search iterations, all parallel searches together.
    pub iterations: u64,
}

impl RunResult {
    /// Whether the checker accepted the plan.
    pub fn feasible(&self) -> bool {
        self.violations.is_empty()
    }
}

/// Every solve of one instance.
#[derive(Debug, Clone, PartialEq)]
pub struct InstanceResult {
    /// Instance name (file name without extension).
    pub name: String,
    /// Vehicles the file offers.
    pub fleet_size: usize,
    /// One run per seed, in seed order.
    pub runs: Vec<RunResult>,
    /// Best-known figures, when `bks.csv` has the instance.
    pub bks: Option<BksEntry>,
}

impl InstanceResult {
    /// The best run for `objective` (fewest unassigned, then fewest vehicles when they
    /// come first, then shortest distance), among the feasible runs when there are some.
    pub fn best(&self, objective: Objective) -> Option<&RunResult> {
        let key = |run: &RunResult| {
            let vehicles = match objective {
                Objective::Vehicles => run.measure.vehicles,
                _ => 0,
            };
            (run.measure.unassigned, vehicles)
        };
        let candidates: Vec<&RunResult> = if self.runs.iter().any(RunResult::feasible) {
            self.runs.iter().filter(|run| run.feasible()).collect()
        } else {
            self.runs.iter().collect()
        };
        candidates.into_iter().min_by(|a, b| {
            key(a)
                .cmp(&key(b))
                .then(a.measure.distance.total_cmp(&b.measure.distance))
        })
    }

    /// Whether every run passed the checker.
    pub fn feasible(&self) -> bool {
        self.runs.iter().all(RunResult::feasible)
    }

    /// Mean vehicles over the runs.
    pub fn mean_vehicles(&self) -> f64 {
        self.mean(|run| run.measure.vehicles as f64)
    }

    /// Mean unscaled distance over the runs.
    pub fn mean_distance(&self) -> f64 {
        self.mean(|run| run.measure.distance)
    }

    /// Mean wall time of a run, seconds.
    pub fn mean_wall_s(&self) -> f64 {
        self.mean(|run| run.wall_ms as f64 / 1000.0)
    }

    fn mean(&self, value: impl Fn(&RunResult) -> f64) -> f64 {
        if self.runs.is_empty() {
            return 0.0;
        }
        self.runs.iter().map(value).sum::<f64>() / self.runs.len() as f64
    }
}

/// Solves the instance at `path` with seeds `0..config.seeds` and checks every plan.
pub fn run_instance(
    path: &Path,
    config: &BenchConfig,
    bks: Option<&BksTable>,
) -> Result<InstanceResult, BenchError> {
    let text = std::fs::read_to_string(path).map_err(|error| BenchError::io(path, error))?;
    let mut instance = config
        .set
        .parse(&text)
        .map_err(|source| BenchError::Format {
            path: path.to_path_buf(),
            source,
        })?;
    let name = instance_name(path);
    let cancelled = AtomicBool::new(false);
    let budget = Budget::new(&cancelled);
    let mut runs = Vec::new();
    for seed in 0..config.seeds.max(1) {
        instance.request.options = Some(options(config, seed));
        let started = Instant::now();
        let solved = pipeline::solve(&instance.request, &budget, &|_| {}).map_err(|source| {
            BenchError::Solve {
                path: path.to_path_buf(),
                source,
            }
        })?;
        let wall_ms = started.elapsed().as_millis() as u64;
        let violations =
            match crate::checker::check(&solved.problem, &solved.matrices, &solved.solution) {
                Ok(()) => Vec::new(),
                Err(violations) => violations.iter().map(ToString::to_string).collect(),
            };
        runs.push(RunResult {
            seed,
            measure: instance.measure(&solved.problem, &solved.solution),
            violations,
            wall_ms,
            iterations: solved.solution.iterations,
        });
    }
    Ok(InstanceResult {
        bks: bks.and_then(|table| table.find(config.set.name(), &name).copied()),
        name,
        fleet_size: instance.fleet_size,
        runs,
    })
}

/// Search options of one bench solve: the time limit, the effort level and the
/// iteration cap of the run.
fn options(config: &BenchConfig, seed: u64) -> pb::SolveOptions {
    let objective = match config.objective {
        Objective::Cost => pb::Objective::Cost,
        Objective::Distance => pb::Objective::Distance,
        Objective::Duration => pb::Objective::Duration,
        Objective::Vehicles => pb::Objective::Vehicles,
    };
    pb::SolveOptions {
        geometry: false,
        objective: objective as i32,
        time_limit_ms: config.time_limit_ms,
        seed,
        threads: config.threads,
        max_iterations: config.max_iterations,
        effort: config.effort,
        balance_per_hour: 0.0,
        plan_only: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quality::BenchmarkSet;

    fn run(measure: (usize, f64, usize), feasible: bool) -> RunResult {
        RunResult {
            seed: 0,
            measure: Measure {
                vehicles: measure.0,
                distance: measure.1,
                unassigned: measure.2,
            },
            violations: if feasible {
                Vec::new()
            } else {
                vec!["x".to_string()]
            },
            wall_ms: 1000,
            iterations: 1,
        }
    }

    #[test]
    fn the_best_run_follows_the_objective() {
        let result = InstanceResult {
            name: "x".to_string(),
            fleet_size: 25,
            runs: vec![
                run((11, 900.0, 0), true),
                run((10, 950.0, 0), true),
                run((9, 800.0, 0), false),
                run((9, 700.0, 1), true),
            ],
            bks: None,
        };
        let best = |objective| result.best(objective).map(|run| run.measure.distance);
        assert_eq!(best(Objective::Distance), Some(900.0));
        assert_eq!(best(Objective::Vehicles), Some(950.0));
        assert!(!result.feasible());
        assert_eq!(result.mean_vehicles(), 39.0 / 4.0);
    }

    #[test]
    fn solves_and_checks_c101_within_the_time_limit() {
        let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/solomon");
        let config = BenchConfig {
            set: BenchmarkSet::Solomon,
            objective: Objective::Distance,
            time_limit_ms: Some(200),
            effort: None,
            threads: 1,
            seeds: 2,
            max_iterations: None,
        };
        let result = run_instance(&dir.join("C101.txt"), &config, None).unwrap();
        assert_eq!(result.name, "C101");
        assert_eq!(result.runs.len(), 2);
        assert!(result.feasible(), "{:?}", result.runs[0].violations);
        let best = result.best(Objective::Distance).unwrap();
        assert_eq!(best.measure.unassigned, 0);
        assert!(best.measure.vehicles <= 25);
        assert!(best.measure.distance >= 828.93, "{}", best.measure.distance);
        assert!(best.wall_ms >= 190, "used the time limit: {}", best.wall_ms);
    }
}
