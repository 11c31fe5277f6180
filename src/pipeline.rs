//! The one end-to-end path, used by the gRPC server and the CLI alike:
//! request → validated problem → travel matrices → solver → solution (checked in debug
//! builds) → response.

use std::sync::atomic::AtomicBool;
use std::time::Instant;

use crate::api::{encode, pb};
use crate::domain::{Objective, Problem, Solution, TravelMatrix};
use crate::error::Error;
use crate::solver::{self, Progress};
use crate::{travel, validate};

/// A solved request with what produced it.
#[derive(Debug)]
pub struct Solved {
    /// The validated problem.
    pub problem: Problem,
    /// One travel matrix per profile.
    pub matrices: Vec<TravelMatrix>,
    /// The plan.
    pub solution: Solution,
    /// Where travel data came from.
    pub travel_source: &'static str,
    /// The pooling report, when asked for.
    pub pooling: Option<crate::pooling::Report>,
}

impl Solved {
    /// The gRPC response.
    pub fn response(&self) -> pb::SolveResponse {
        encode::response(
            &self.problem,
            &self.solution,
            self.travel_source,
            self.pooling.as_ref(),
        )
    }
}

/// Outside limits on one solve: the client's deadline, cancellation, progress.
pub struct Hooks<'a> {
    /// The client's deadline, if any.
    pub client_deadline: Option<Instant>,
    /// Set when the client goes away.
    pub cancelled: &'a AtomicBool,
    /// Receives progress events.
    pub on_progress: &'a (dyn Fn(pb::Progress) + Sync),
}

/// Validates and solves a request (blocking; run it off the async runtime).
pub fn solve(request: &pb::SolveRequest, hooks: &Hooks) -> Result<Solved, Error> {
    let problem = validate::problem(request)?;
    let (matrices, travel_source) = travel::matrices(&problem);
    let objective = problem.options.objective;
    let on_progress =
        |progress: Progress| (hooks.on_progress)(progress_message(objective, progress));
    let limits = solver::Limits {
        client_deadline: hooks.client_deadline,
        cancelled: hooks.cancelled,
        on_progress: &on_progress,
    };
    let solution = solver::solve(&problem, &matrices, &limits)?;
    let pooling = match problem.pooling {
        Some(_) => {
            let pooling_limits = crate::pooling::Limits {
                cancelled: hooks.cancelled,
                client_deadline: hooks.client_deadline,
            };
            Some(crate::pooling::report(
                &problem,
                &matrices,
                &solution,
                &pooling_limits,
            )?)
        }
        None => None,
    };
    Ok(Solved {
        problem,
        matrices,
        solution,
        travel_source,
        pooling,
    })
}

/// A progress event in the objective's unit (currency for cost objectives).
fn progress_message(objective: Objective, progress: Progress) -> pb::Progress {
    let best_cost = match objective {
        Objective::Cost | Objective::Vehicles => encode::currency(progress.best_objective),
        Objective::Distance | Objective::Duration => progress.best_objective as f64,
    };
    pb::Progress {
        best_cost,
        best_unassigned: progress.best_unassigned as u32,
        elapsed_ms: progress.elapsed_ms,
    }
}

/// Computes the matrix between the request's points.
pub fn compute_matrix(
    request: &pb::ComputeMatrixRequest,
) -> Result<pb::ComputeMatrixResponse, Error> {
    let request_data = validate::matrix_request(request)?;
    let (speed_kmh, detour_factor) = match request_data.travel {
        crate::domain::TravelSource::StraightLine {
            speed_kmh,
            detour_factor,
        } => (speed_kmh, detour_factor),
        crate::domain::TravelSource::Supplied(_) => (50.0, 1.3),
    };
    let matrix = travel::straight_line_matrix(&request_data.points_deg, speed_kmh, detour_factor);
    let rows = |values: &[i64]| -> Vec<pb::MatrixRow> {
        values
            .chunks(matrix.size.max(1))
            .map(|row| pb::MatrixRow {
                values: row.to_vec(),
            })
            .collect()
    };
    Ok(pb::ComputeMatrixResponse {
        ids: request.points.iter().map(|p| p.id.clone()).collect(),
        durations_s: rows(&matrix.duration_s),
        distances_m: rows(&matrix.distance_m),
        source: "straight_line".to_string(),
    })
}
