//! Request → validated [`Problem`], collecting every violation (stable code + field
//! path) so a client fixes its request in one round trip. A task that no vehicle can
//! serve (missing skill, too big) is not a violation: the solver reports it unassigned.

mod effort;
mod fleet;
mod goods;
mod ids;
mod options;
mod pooling;
mod sites;
mod tasks;
mod violation;

pub use violation::{Code, Collector, Violation, Violations};

use crate::domain::Problem;
use crate::pb;

/// Validates a request and converts it into the domain.
pub fn problem(request: &pb::SolveRequest) -> Result<Problem, Violations> {
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
    let dimensions = request
        .vehicles
        .first()
        .map_or(0, |vehicle| vehicle.capacity.len());
    let context = ids::Context {
        sites: &site_ids,
        producers: &producer_ids,
        site_list: &sites,
        dimensions,
    };
    let (vehicles, profiles) = fleet::vehicles(&mut collector, &request.vehicles, &context);
    let mut tasks = tasks::tasks(&mut collector, request, &context);
    let (goods_kinds, incompatible_goods) = goods::goods(&mut collector, request, &mut tasks);
    let options = options::search_options(&mut collector, request.options.as_ref(), tasks.len());
    let travel = options::travel(&mut collector, request.travel.as_ref(), &sites, &profiles);
    let pooling = pooling::pooling_options(
        &mut collector,
        request.pooling.as_ref(),
        &profiles,
        dimensions,
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

/// Validates a ComputeMatrix request (coordinates required).
pub fn matrix_request(request: &pb::ComputeMatrixRequest) -> Result<MatrixRequest, Violations> {
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
    let travel = options::travel(&mut collector, travel, &sites, &[]);
    let points_deg = sites
        .iter()
        .map(|site| site.coordinates_deg.unwrap_or((0.0, 0.0)))
        .collect();
    collector.finish(MatrixRequest { points_deg, travel })
}
