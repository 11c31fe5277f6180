//! Request → validated [`Problem`], collecting every violation (stable code + field
//! path) so a client fixes its request in one round trip. A task that no vehicle can
//! serve (missing skill, too big) is not a violation: the solver reports it unassigned.

mod breaks;
mod cost_matrix;
mod effort;
mod fleet;
mod goods;
mod ids;
mod limits;
mod options;
mod pooling;
mod shifts;
mod routes;
mod sites;
mod soft_windows;
mod tasks;
mod transfers;
mod violation;

pub use limits::{OsrmUrls, Policy, RequestLimits};
pub use violation::{Code, Collector, Violation, Violations};

use crate::domain::Problem;
use crate::pb;

/// Validates a request and converts it into the domain, within the default [`Policy`].
pub fn problem(request: &pb::SolveRequest) -> Result<Problem, Violations> {
    problem_within(request, &Policy::default())
}

/// Validates a request within `policy` and converts it into the domain. Sizes come
/// first: a request above the limits is refused before anything sized by it is built.
pub fn problem_within(request: &pb::SolveRequest, policy: &Policy) -> Result<Problem, Violations> {
    let mut sizes = Collector::default();
    limits::check_problem(&mut sizes, request, &policy.limits);
    sizes.finish(())?;
    let mut collector = Collector::default();
    let travel_kind = options::travel_kind(request.travel.as_ref());
    let sites = sites::sites(&mut collector, &request.sites, travel_kind);
    let site_ids = ids::Ids::new(
        &mut collector,
        "sites",
        request.sites.iter().map(|s| s.id.as_str()),
    );
    let producers = fleet::producers(&mut collector, &request.producers);
    let producer_ids = ids::Ids::new(
        &mut collector,
        "producers",
        request.producers.iter().map(|p| p.id.as_str()),
    );
    let dimensions = request.vehicles.first().map_or(0, |v| v.capacity.len());
    let context = ids::Context {
        sites: &site_ids,
        producers: &producer_ids,
        site_list: &sites,
        dimensions,
    };
    let (mut vehicles, profiles) = fleet::vehicles(&mut collector, &request.vehicles, &context);
    let (mut tasks, transfer_points) = transfers::with_tasks(&mut collector, request, &context);
    let (goods_kinds, (incompatible_goods, apart_on_board)) =
        goods::goods(&mut collector, request, &mut tasks);
    let options = options::search_options(
        &mut collector,
        request.options.as_ref(),
        tasks.len(),
        policy.limits.max_time_limit_ms,
    );
    let travel = options::travel(
        &mut collector,
        request.travel.as_ref(),
        &sites,
        &profiles,
        policy,
    );
    cost_matrix::price_by_cost_matrices(
        &mut collector,
        &request.vehicles,
        &mut vehicles,
        &travel,
        &profiles,
    );
    let pooling = pooling::pooling_options(
        &mut collector,
        request.pooling.as_ref(),
        &profiles,
        dimensions,
    );
    soft_windows::objective(&mut collector, options.objective, &tasks);
    let routes = routes::routes(
        &mut collector,
        request,
        (&vehicles, &tasks),
        options.plan_only,
    );
    let problem = Problem {
        sites,
        producers,
        vehicles,
        tasks,
        dimensions,
        profiles,
        travel,
        options,
        pooling,
        goods_kinds,
        incompatible_goods,
        apart_on_board,
        routes,
        transfer_points,
    };
    collector.finish(problem)
}

/// Validated ComputeMatrix request: points (lat, lon in degrees) and straight-line
/// parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct MatrixRequest {
    /// Points in request order.
    pub points_deg: Vec<(f64, f64)>,
    /// Travel source for the points.
    pub travel: crate::domain::TravelSource,
}

/// Validates a ComputeMatrix request (coordinates required), within the default
/// [`Policy`].
pub fn matrix_request(request: &pb::ComputeMatrixRequest) -> Result<MatrixRequest, Violations> {
    matrix_request_within(request, &Policy::default())
}

/// Validates a ComputeMatrix request within `policy`, sizes first.
pub fn matrix_request_within(
    request: &pb::ComputeMatrixRequest,
    policy: &Policy,
) -> Result<MatrixRequest, Violations> {
    let mut sizes = Collector::default();
    limits::check_matrix_request(&mut sizes, request, &policy.limits);
    sizes.finish(())?;
    let mut collector = Collector::default();
    if request.points.is_empty() {
        collector.push(Code::Missing, "points", "give at least one point");
    }
    let sites = sites::sites(
        &mut collector,
        &request.points,
        options::TravelKind::StraightLine,
    );
    ids::Ids::new(
        &mut collector,
        "points",
        request.points.iter().map(|s| s.id.as_str()),
    );
    let travel = match request
        .travel
        .as_ref()
        .and_then(|travel| travel.source.as_ref())
    {
        Some(pb::travel_options::Source::Matrices(_)) => {
            collector.push(
                Code::OutOfRange,
                "travel.matrices",
                "supplied matrices cannot be computed; use road_graph, osrm or straight_line",
            );
            None
        }
        _ => request.travel.as_ref(),
    };
    let travel = options::travel(&mut collector, travel, &sites, &[], policy);
    let points_deg = sites
        .iter()
        .map(|site| site.coordinates_deg.unwrap_or((0.0, 0.0)))
        .collect();
    collector.finish(MatrixRequest { points_deg, travel })
}
