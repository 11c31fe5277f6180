//! The fleet: each `dfc-b:Vehicle` of the document (depot, shift on the planning day,
//! capacity in grams, cold chain, operator and costs), or, with none, the default fleet
//! of the options (one van at the hub, or one per producer at its farm).

use super::graph::{Graph, Node};
use super::hours::{Day, windows_of};
use super::options::{DfcOptions, FleetKind};
use super::places::follow;
use super::terms::*;
use super::units::measure;
use crate::pb;
use crate::validate::{Code, Collector};

/// A vehicle of the request and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct FleetVehicle {
    /// The native vehicle.
    pub vehicle: pb::Vehicle,
    /// The depot's DFC node (a place, or a producer's farm site).
    pub based_at: String,
    /// Whether the vehicle comes from the options (the answer then describes it).
    pub minted: bool,
    /// Its name.
    pub name: String,
}

/// The document's vehicles available on the planning day, and notes on those left out or
/// simplified.
pub fn document_vehicles(
    graph: &Graph,
    day: &Day,
    options: &DfcOptions,
    producers: &[String],
    problems: &mut Collector,
) -> (Vec<FleetVehicle>, Vec<String>) {
    let mut fleet = Vec::new();
    let mut notes = Vec::new();
    for node in graph.of_type(&VEHICLE) {
        let Some(base) = graph.link(node, &BASED_AT) else {
            problems.push(
                Code::Missing,
                node.path(&BASED_AT),
                "a vehicle needs basedAt → its depot's PhysicalPlace",
            );
            continue;
        };
        if follow(graph, node, &BASED_AT, &base, problems).is_none() {
            continue;
        }
        let (windows, has_hours) = windows_of(graph, node, &AVAILABLE_DURING, day, problems);
        if has_hours && windows.is_empty() {
            notes.push(format!(
                "vehicle {} is not available on {}: left out",
                node.id, day.date
            ));
            continue;
        }
        if windows.len() > 1 {
            notes.push(format!("vehicle {}: its shift runs from its first to its last window; the gaps between are not modelled", node.id));
        }
        let shift = match (windows.first(), windows.last()) {
            (Some(first), Some(last)) => (first.0, last.1),
            _ => (0, day.length_s),
        };
        let operator = graph
            .link(node, &OPERATED_BY)
            .filter(|id| producers.contains(id));
        let vehicle = pb::Vehicle {
            id: node.id.clone(),
            producer_id: operator.unwrap_or_default(),
            start_site_id: base.clone(),
            end_site_id: end_site(options, &base),
            capacity: vec![capacity_g(graph, node, options, problems)],
            skills: skills(flag(graph, node, &REFRIGERATED), flag(graph, node, &FROZEN)),
            shift: Some(pb::TimeWindow {
                start_s: shift.0,
                end_s: shift.1,
                ..Default::default()
            }),
            costs: Some(costs(graph, node, options)),
            description: super::places::name_of(graph, node),
            ..Default::default()
        };
        let name = vehicle.description.clone();
        fleet.push(FleetVehicle {
            vehicle,
            based_at: base,
            minted: false,
            name,
        });
    }
    (fleet, notes)
}

/// The default fleet: one van at the hub, or one at each `farms` entry ((site, producer)).
pub fn default_vehicles(
    options: &DfcOptions,
    day: &Day,
    hub: Option<&str>,
    farms: &[(String, String)],
) -> Vec<FleetVehicle> {
    let fleet = &options.default_fleet;
    let depots: Vec<(String, String)> = match (fleet.kind, hub) {
        (FleetKind::None, _) => Vec::new(),
        (FleetKind::Hub | FleetKind::Auto, Some(hub)) => vec![(hub.to_string(), String::new())],
        (FleetKind::Hub, None) => Vec::new(),
        (FleetKind::PerProducer | FleetKind::Auto, _) => farms.to_vec(),
    };
    depots
        .into_iter()
        .enumerate()
        .map(|(index, (site, producer))| {
            let id = format!("default-van-{}", index + 1);
            let vehicle = pb::Vehicle {
                id: id.clone(),
                producer_id: producer,
                start_site_id: site.clone(),
                end_site_id: end_site(options, &site),
                capacity: vec![(fleet.capacity_kg * 1000.0).round() as i64],
                skills: skills(fleet.refrigerated, fleet.frozen),
                shift: Some(pb::TimeWindow {
                    start_s: 0,
                    end_s: day.length_s,
                    ..Default::default()
                }),
                costs: Some(pb::VehicleCosts {
                    fixed: options.costs.fixed,
                    per_km: options.costs.per_km,
                    per_hour: options.costs.per_hour,
                    ..Default::default()
                }),
                description: format!("default van {}", index + 1),
                ..Default::default()
            };
            let name = vehicle.description.clone();
            FleetVehicle {
                vehicle,
                based_at: site,
                minted: true,
                name,
            }
        })
        .collect()
}

/// Where a vehicle ends: back at its depot, or (an open route) wherever its last stop
/// is.
fn end_site(options: &DfcOptions, depot: &str) -> String {
    match options.return_to_depot {
        true => depot.to_string(),
        false => String::new(),
    }
}

/// Skills of a vehicle: a freezer also carries chilled goods.
fn skills(refrigerated: bool, frozen: bool) -> Vec<String> {
    let mut skills = Vec::new();
    if refrigerated || frozen {
        skills.push("refrigerated".to_string());
    }
    if frozen {
        skills.push("frozen".to_string());
    }
    skills
}

fn flag(graph: &Graph, node: &Node, terms: &[Term]) -> bool {
    graph
        .literal(node, terms)
        .and_then(|literal| literal.bool())
        == Some(true)
}

/// A vehicle's `hasQuantity` in grams; the default capacity when it states none.
fn capacity_g(graph: &Graph, node: &Node, options: &DfcOptions, problems: &mut Collector) -> i64 {
    let default = (options.default_fleet.capacity_kg * 1000.0).round() as i64;
    let Some(id) = graph.link(node, &HAS_QUANTITY) else {
        return default;
    };
    let Some(value) = follow(graph, node, &HAS_QUANTITY, &id, problems) else {
        return default;
    };
    let unit = graph.link(value, &HAS_UNIT).unwrap_or_default();
    let amount = graph
        .literal(value, &VALUE)
        .and_then(|literal| literal.number());
    let grams = super::terms::measure(&unit)
        .and_then(measure)
        .zip(amount)
        .and_then(|(unit, amount)| unit.grams(amount, options.kg_per_litre));
    match grams {
        Some(grams) => grams.round() as i64,
        None => {
            let what =
                format!("a vehicle's capacity is a mass or volume with a value; {unit:?} is not");
            problems.push(Code::DfcUnknownUnit, node.path(&HAS_QUANTITY), what);
            default
        }
    }
}

/// A vehicle's `tournee:` costs, the options' cost model for what it omits.
fn costs(graph: &Graph, node: &Node, options: &DfcOptions) -> pb::VehicleCosts {
    let number = |terms: &[Term], default: f64| {
        graph
            .literal(node, terms)
            .and_then(|literal| literal.number())
            .unwrap_or(default)
    };
    pb::VehicleCosts {
        fixed: number(&FIXED_COST, options.costs.fixed),
        per_km: number(&COST_PER_KM, options.costs.per_km),
        per_hour: number(&COST_PER_HOUR, options.costs.per_hour),
        ..Default::default()
    }
}
