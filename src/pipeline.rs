//! The one end-to-end path, used by the gRPC server, the CLI and the quality bench
//! alike: request → validated problem → travel matrices → solver → solution (checked in
//! debug builds) → pooling report. It returns domain results; `api` turns them into
//! responses, so a request is validated once and protobuf is built in one place.

use std::time::{Duration, Instant};

use crate::budget::Budget;
use crate::domain::{Problem, Solution, StopReason, TravelMatrix};
use crate::error::Error;
use crate::pb;
use crate::solver::{self, OnProgress};
use crate::travel::{self, PointMatrix, TravelConfig};
use crate::validate;

/// Share of the time limit (and of the client's deadline) the search gets when the
/// request asks for a pooling report; the report gets the rest.
pub const SEARCH_SHARE_WITH_POOLING: f64 = 0.5;

/// A solved request with what produced it.
#[derive(Debug)]
pub struct Solved {
    /// The validated problem.
    pub problem: Problem,
    /// One travel matrix per profile.
    pub matrices: Vec<TravelMatrix>,
    /// The plan.
    pub solution: Solution,
    /// Where travel data came from, with the snapped sites and the road network.
    pub travel: PointMatrix,
    /// The pooling report, when asked for.
    pub pooling: Option<crate::pooling::Report>,
}

impl Solved {
    /// The (lat, lon) path a tour drives: roads when the matrix came from roads.
    pub fn tour_path(&self, tour: &crate::domain::Tour) -> Vec<(f64, f64)> {
        let points = self.site_points_deg();
        let sites: Vec<usize> = tour.steps.iter().filter_map(|step| step.site).collect();
        travel::tour_path(&self.travel, &points, &sites)
    }

    /// Every site's given (lat, lon); (0, 0) for sites known only by matrix index.
    pub fn site_points_deg(&self) -> Vec<(f64, f64)> {
        self.problem
            .sites
            .iter()
            .map(|site| site.coordinates_deg.unwrap_or((0.0, 0.0)))
            .collect()
    }
}

/// Validates and solves a request with straight lines as the default travel source
/// (blocking; run it off the async runtime).
pub fn solve(
    request: &pb::SolveRequest,
    budget: &Budget,
    on_progress: OnProgress,
) -> Result<Solved, Error> {
    solve_with(request, budget, on_progress, &TravelConfig::default())
}

/// Validates and solves a request; `config` says where road data is when the request
/// does not (blocking; run it off the async runtime).
pub fn solve_with(
    request: &pb::SolveRequest,
    budget: &Budget,
    on_progress: OnProgress,
    config: &TravelConfig,
) -> Result<Solved, Error> {
    solve_within(
        request,
        budget,
        on_progress,
        config,
        &validate::Policy::default(),
    )
}

/// Validates a request within `policy` (the server's limits and allowed OSRM servers),
/// then solves it like [`solve_with`].
pub fn solve_within(
    request: &pb::SolveRequest,
    budget: &Budget,
    on_progress: OnProgress,
    config: &TravelConfig,
    policy: &validate::Policy,
) -> Result<Solved, Error> {
    let problem = validate::problem_within(request, policy)?;
    solve_problem(problem, budget, on_progress, config)
}

/// Solves a validated problem: matrices, plan, and the pooling report when asked for.
pub fn solve_problem(
    problem: Problem,
    budget: &Budget,
    on_progress: OnProgress,
    config: &TravelConfig,
) -> Result<Solved, Error> {
    solve_problem_from(problem, budget, on_progress, config, (None, None))
}

/// Solves a validated problem like [`solve_problem`], the search starting from `warm`
/// when given (a long-running operation resumed from its checkpoint after a restart)
/// and handing its best plan to `checkpoints` now and then when given.
pub fn solve_problem_from(
    problem: Problem,
    budget: &Budget,
    on_progress: OnProgress,
    config: &TravelConfig,
    starts: (Option<&solver::WarmStart>, Option<&solver::Checkpoints>),
) -> Result<Solved, Error> {
    let local = crate::pooling::Local;
    solve_problem_through(problem, budget, on_progress, config, starts, &local)
}

/// Solves a validated problem like [`solve_problem_from`], the pooling report's
/// coalitions solved by `coalitions` (the workers of a cluster, say).
pub fn solve_problem_through(
    problem: Problem,
    budget: &Budget,
    on_progress: OnProgress,
    config: &TravelConfig,
    (warm, checkpoints): (Option<&solver::WarmStart>, Option<&solver::Checkpoints>),
    coalitions: &dyn crate::pooling::Coalitions,
) -> Result<Solved, Error> {
    // The time limit covers the whole answer, the travel matrix included (5,000 sites
    // take a second or more): with a pooling report the search gets the first part of
    // it and the report the rest (both also end at the client's deadline), and the
    // report paces itself to what is left.
    let started = Instant::now();
    let whole = budget.starting_at(started).until(
        started + Duration::from_millis(problem.options.time_limit_ms),
        StopReason::TimeLimit,
    );
    let search_budget = match problem.pooling {
        Some(_) => whole.share(SEARCH_SHARE_WITH_POOLING),
        None => whole,
    };
    let (matrices, travel) = travel::matrices(&problem, config)?;
    if problem.options.plan_only {
        // Plan mode: the given routes are the plan; no search, no pooling report.
        let mut solution = crate::eta::plan(&problem, &matrices);
        solution.elapsed_ms = started.elapsed().as_millis() as u64;
        return Ok(Solved {
            problem,
            matrices,
            solution,
            travel,
            pooling: None,
        });
    }
    // A checkpoint is newer than the routes the request gave.
    let given = solver::WarmStart::from_problem(&problem);
    let warm = warm.or(given.as_ref());
    let solution = solver::solve_checkpointed(
        &problem,
        &matrices,
        &search_budget,
        on_progress,
        warm,
        checkpoints,
    )?;
    // The report never fails the request: a rule it cannot compute says why in it.
    let pooling = problem.pooling.as_ref().map(|_| {
        crate::pooling::report_through(&problem, &matrices, &solution, &whole, coalitions)
    });
    Ok(Solved {
        problem,
        matrices,
        solution,
        travel,
        pooling,
    })
}

/// Computes the matrix between the request's points (the `ComputeMatrix` RPC and
/// `tournee matrix` share it).
pub fn compute_matrix(
    request: &pb::ComputeMatrixRequest,
    config: &TravelConfig,
) -> Result<PointMatrix, Error> {
    compute_matrix_within(request, config, &validate::Policy::default())
}

/// Computes the matrix like [`compute_matrix`], the request validated within `policy`.
pub fn compute_matrix_within(
    request: &pb::ComputeMatrixRequest,
    config: &TravelConfig,
    policy: &validate::Policy,
) -> Result<PointMatrix, Error> {
    let request_data = validate::matrix_request_within(request, policy)?;
    Ok(travel::point_matrix(
        &request_data.points_deg,
        &request_data.travel,
        config,
        "points",
    )?)
}
