//! The one end-to-end path, used by the gRPC server and the CLI alike:
//! request → validated problem → travel matrices → solver → solution (checked in debug
//! builds) → response.

use std::sync::atomic::AtomicBool;
use std::time::Instant;

use crate::api::{encode, pb};
use crate::domain::{Objective, Problem, Solution, TravelMatrix};
use crate::error::Error;
use crate::solver::{self, Progress};
use crate::travel::{self, TravelConfig};
use crate::validate;

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
    pub travel: travel::PointMatrix,
    /// The pooling report, when asked for.
    pub pooling: Option<crate::pooling::Report>,
}

impl Solved {
    /// The gRPC response.
    pub fn response(&self) -> pb::SolveResponse {
        let mut response = encode::response(
            &self.problem,
            &self.solution,
            self.travel.source,
            self.pooling.as_ref(),
        );
        if self.problem.options.geometry {
            for (tour, encoded) in self.solution.tours.iter().zip(response.tours.iter_mut()) {
                encoded.geometry = travel::encode_polyline5(&self.tour_path(tour));
            }
        }
        response.snapped_sites = self
            .travel
            .snapped_deg
            .iter()
            .zip(&self.travel.snap_distances_m)
            .zip(&self.problem.sites)
            .map(
                |((&(lat_deg, lon_deg), &snap_distance_m), site)| pb::SnappedSite {
                    site_id: site.id.clone(),
                    snapped: Some(pb::Coordinates { lat_deg, lon_deg }),
                    snap_distance_m,
                },
            )
            .collect();
        response
    }

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

/// Outside limits on one solve: the client's deadline, cancellation, progress.
pub struct Hooks<'a> {
    /// The client's deadline, if any.
    pub client_deadline: Option<Instant>,
    /// Set when the client goes away.
    pub cancelled: &'a AtomicBool,
    /// Receives progress events.
    pub on_progress: &'a (dyn Fn(pb::Progress) + Sync),
}

/// Validates and solves a request with straight lines as the default travel source
/// (blocking; run it off the async runtime).
pub fn solve(request: &pb::SolveRequest, hooks: &Hooks) -> Result<Solved, Error> {
    solve_with(request, hooks, &TravelConfig::default())
}

/// Validates and solves a request; `config` says where road data is when the request
/// does not (blocking; run it off the async runtime).
pub fn solve_with(
    request: &pb::SolveRequest,
    hooks: &Hooks,
    config: &TravelConfig,
) -> Result<Solved, Error> {
    let problem = validate::problem(request)?;
    let (matrices, travel) = travel::matrices(&problem, config)?;
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
        travel,
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

/// Computes the matrix between the request's points (the `ComputeMatrix` RPC and
/// `tournee matrix` share it).
pub fn compute_matrix(
    request: &pb::ComputeMatrixRequest,
    config: &TravelConfig,
) -> Result<pb::ComputeMatrixResponse, Error> {
    let request_data = validate::matrix_request(request)?;
    let computed = travel::point_matrix(
        &request_data.points_deg,
        &request_data.travel,
        config,
        "points",
    )?;
    let matrix = &computed.matrix;
    let rows = |values: &[i64]| -> Vec<pb::MatrixRow> {
        values
            .chunks(matrix.size.max(1))
            .map(|row| pb::MatrixRow {
                values: row
                    .iter()
                    .map(|&v| {
                        if v >= crate::domain::UNREACHABLE {
                            -1
                        } else {
                            v
                        }
                    })
                    .collect(),
            })
            .collect()
    };
    Ok(pb::ComputeMatrixResponse {
        ids: request.points.iter().map(|p| p.id.clone()).collect(),
        durations_s: rows(&matrix.duration_s),
        distances_m: rows(&matrix.distance_m),
        source: computed.source.to_string(),
        snapped: computed
            .snapped_deg
            .iter()
            .map(|&(lat_deg, lon_deg)| pb::Coordinates { lat_deg, lon_deg })
            .collect(),
        snap_distances_m: computed.snap_distances_m.clone(),
        unreachable: computed
            .unreachable
            .iter()
            .map(|&(from, to)| pb::MatrixCell {
                from: from as u32,
                to: to as u32,
            })
            .collect(),
    })
}
