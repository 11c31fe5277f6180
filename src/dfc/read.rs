//! A DFC document and its options → a native [`pb::SolveRequest`] plus the map back to
//! the DFC nodes ([`Adapted`]): the planning day and mode, the sites (farms, hub,
//! destinations, depots) with their windows on that day, the fleet, and the shipments
//! ([`super::shipments`]). Every problem of the document is collected, each with the
//! node `@id` and property it concerns, and all come back together.

use std::collections::BTreeMap;

use serde_json::Value;

use super::fleet::{FleetVehicle, default_vehicles, document_vehicles};
use super::graph::Graph;
use super::hours::Day;
use super::options::{Checked, DfcOptions, Mode};
use super::orders::{self, Conversion, Demand, Destination, Orders};
use super::places::{follow, name_of};
use super::shipments::{self, ShipmentOrigin};
use super::sites::{SiteOrigin, Sites};
use super::terms::*;
use crate::pb;
use crate::validate::{Code, Collector, Violation, Violations};

/// One producer: the supplying Enterprise and where its goods are collected.
#[derive(Debug, Clone, PartialEq)]
pub struct Producer {
    /// The Enterprise `@id` (also the native producer id).
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its farm site id.
    pub site: String,
}

/// A document read: the request and the map back to DFC.
#[derive(Debug, Clone)]
pub struct Adapted {
    /// The native request.
    pub request: pb::SolveRequest,
    /// The planning day.
    pub day: Day,
    /// Direct or via the hub.
    pub mode: Mode,
    /// The hub's site, when the session has one.
    pub hub: Option<String>,
    /// The Enterprise coordinating the session (it pays for the vans no producer
    /// operates).
    pub coordinator: Option<String>,
    /// Site id → its DFC node.
    pub sites: BTreeMap<String, SiteOrigin>,
    /// The producers, in id order.
    pub producers: Vec<Producer>,
    /// The destinations, in site order.
    pub destinations: Vec<Destination>,
    /// The demands, in (producer, destination, class) order.
    pub demands: Vec<Demand>,
    /// Native shipment id → what it carries.
    pub shipments: BTreeMap<String, ShipmentOrigin>,
    /// The fleet.
    pub vehicles: Vec<FleetVehicle>,
    /// Orders read.
    pub orders: usize,
    /// What the answer should say (defaults used, simplifications).
    pub notes: Vec<String>,
    /// The options.
    pub options: DfcOptions,
}

/// Reads a DFC document with its options.
pub fn adapt(document: &Value, options: &DfcOptions) -> Result<Adapted, Violations> {
    let mut problems = Collector::default();
    let checked = options.check(&mut problems);
    let graph = Graph::read(document, &mut problems);
    let conversion = Conversion {
        default_unit_mass_g: options.default_unit_mass_g,
        kg_per_litre: options.kg_per_litre,
    };
    let orders = orders::read(&graph, conversion, &mut problems);
    let Some(day) = planning_day(&checked, &orders, &mut problems) else {
        return Err(finish(problems));
    };
    let mut reader = Reader {
        graph: &graph,
        day: day.clone(),
        problems,
        sites: Sites {
            graph: &graph,
            day,
            entries: BTreeMap::new(),
        },
        notes: Vec::new(),
    };
    let adapted = reader.adapt(orders, options, &checked);
    if reader.problems.is_empty() {
        Ok(adapted)
    } else {
        Err(finish(reader.problems))
    }
}

/// Every violation once (a product's unit read by many lines is one problem).
fn finish(problems: Collector) -> Violations {
    let violations = match problems.finish(()) {
        Err(violations) => violations.0,
        Ok(()) => Vec::new(),
    };
    let mut unique: Vec<Violation> = Vec::new();
    for violation in violations {
        if !unique.contains(&violation) {
            unique.push(violation);
        }
    }
    Violations(unique)
}

/// The planning day: the option, else the local date of the earliest selected slot.
fn planning_day(checked: &Checked, orders: &Orders, problems: &mut Collector) -> Option<Day> {
    let earliest = orders
        .destinations
        .values()
        .filter_map(|destination| destination.slot.map(|slot| slot.0))
        .min();
    let date = checked
        .planning_date
        .or_else(|| earliest.map(|start| Day::local_date(checked.zone, &start)));
    if date.is_none() && problems.is_empty() {
        let what = "no planning day: give options.planning_date, or start and end dates on the shipping options the orders select";
        problems.push(Code::DfcNoPlanningDate, "options.planning_date", what);
    }
    date.map(|date| Day::new(date, checked.zone))
}

/// The state of one read.
struct Reader<'a> {
    graph: &'a Graph,
    day: Day,
    problems: Collector,
    sites: Sites<'a>,
    notes: Vec<String>,
}

impl Reader<'_> {
    fn adapt(&mut self, orders: Orders, options: &DfcOptions, checked: &Checked) -> Adapted {
        let (hub, coordinator) = self.hub(&orders).unzip();
        let mode = match (options.mode, &hub) {
            (Some(Mode::ViaHub), None) => {
                let what = "via_hub needs a hub: a SaleSession with a Coordination and hostedAt";
                self.problems.push(Code::OutOfRange, "options.mode", what);
                Mode::Direct
            }
            (Some(mode), _) => mode,
            (None, Some(_)) => Mode::ViaHub,
            (None, None) => Mode::Direct,
        };
        let producers = self.producers(&orders);
        let mut orders = orders;
        for destination in orders.destinations.values_mut() {
            self.sites.destination(destination, &mut self.problems);
        }
        let demands: Vec<Demand> = orders.demands.values().cloned().collect();
        let vehicles = self.fleet(options, hub.as_deref(), &producers);
        for product in &orders.unweighed {
            let grams = options.default_unit_mass_g;
            self.notes.push(format!(
                "product {product} states no mass: {grams} g per sales unit assumed"
            ));
        }
        let plan = shipments::Plan {
            mode,
            hub: hub.as_deref(),
            day: &self.day,
            hub_cutoff_s: checked.hub_cutoff_s,
            options,
        };
        let windows = shipments::Windows {
            sites: self
                .sites
                .entries
                .iter()
                .map(|(id, (_, origin))| (id.clone(), origin.windows_s.clone()))
                .collect(),
            destinations: orders
                .destinations
                .iter()
                .map(|(id, destination)| (id.clone(), destination.windows_s.clone()))
                .collect(),
        };
        let farms = producers
            .iter()
            .map(|producer| (producer.id.clone(), producer.site.clone()))
            .collect();
        let (native, origins, notes) =
            shipments::build(&plan, &demands, &farms, &windows, &mut self.problems);
        self.notes.extend(notes);
        let request = self.request(native, &producers, &vehicles, options);
        Adapted {
            request,
            day: self.day.clone(),
            mode,
            hub,
            coordinator: coordinator.flatten(),
            sites: self
                .sites
                .entries
                .iter()
                .map(|(id, (_, origin))| (id.clone(), origin.clone()))
                .collect(),
            producers,
            destinations: orders.destinations.into_values().collect(),
            demands,
            shipments: origins,
            vehicles,
            orders: orders.orders,
            notes: std::mem::take(&mut self.notes),
            options: options.clone(),
        }
    }

    /// The hub: the place a coordinated session is hosted at, and its coordinator.
    fn hub(&mut self, orders: &Orders) -> Option<(String, Option<String>)> {
        let graph = self.graph;
        let mut sessions: Vec<&crate::dfc::graph::Node> = orders
            .sessions
            .iter()
            .filter_map(|id| graph.node(id))
            .collect();
        if sessions.is_empty() {
            sessions = graph.of_type(&SALE_SESSION);
        }
        for session in sessions {
            let coordinator = graph
                .linked(session, &OBJECT_OF, &HAS_OBJECT)
                .iter()
                .filter_map(|id| graph.node(id))
                .find_map(|coordination| graph.link(coordination, &COORDINATED_BY));
            if let (Some(coordinator), Some(place)) = (coordinator, graph.link(session, &HOSTED_AT))
            {
                follow(graph, session, &HOSTED_AT, &place, &mut self.problems)?;
                self.sites
                    .add(&place, pb::SiteKind::Hub, &mut self.problems);
                let known = graph.node(&coordinator).map(|node| node.id.clone());
                return Some((place, known));
            }
        }
        None
    }

    /// Each producer and its farm site (`tournee:collectedAt`, else its address).
    fn producers(&mut self, orders: &Orders) -> Vec<Producer> {
        let graph = self.graph;
        let mut ids: Vec<&String> = orders
            .demands
            .keys()
            .map(|(producer, _, _)| producer)
            .collect();
        ids.dedup();
        let mut producers = Vec::new();
        for id in ids {
            let Some(enterprise) = graph.node(id) else {
                continue;
            };
            let site = match graph.link(enterprise, &COLLECTED_AT) {
                Some(place) => {
                    match follow(graph, enterprise, &COLLECTED_AT, &place, &mut self.problems) {
                        Some(_) => place,
                        None => continue,
                    }
                }
                None => id.clone(),
            };
            self.sites
                .add(&site, pb::SiteKind::Farm, &mut self.problems);
            let name = name_of(graph, enterprise);
            producers.push(Producer {
                id: id.clone(),
                name,
                site,
            });
        }
        producers
    }

    /// The document's vehicles, else the default fleet.
    fn fleet(
        &mut self,
        options: &DfcOptions,
        hub: Option<&str>,
        producers: &[Producer],
    ) -> Vec<FleetVehicle> {
        let ids: Vec<String> = producers
            .iter()
            .map(|producer| producer.id.clone())
            .collect();
        let (mut fleet, notes) =
            document_vehicles(self.graph, &self.day, options, &ids, &mut self.problems);
        self.notes.extend(notes);
        if self.graph.of_type(&VEHICLE).is_empty() {
            let farms: Vec<(String, String)> = producers
                .iter()
                .map(|p| (p.site.clone(), p.id.clone()))
                .collect();
            fleet = default_vehicles(options, &self.day, hub, &farms);
            if !fleet.is_empty() {
                self.notes.push(format!(
                    "the document has no dfc-b:Vehicle: {} default van(s) from the options",
                    fleet.len()
                ));
            }
        }
        for vehicle in &fleet {
            self.sites.add(
                &vehicle.based_at,
                pb::SiteKind::Unspecified,
                &mut self.problems,
            );
        }
        if fleet.is_empty() {
            let what = "no vehicle: the document has no available dfc-b:Vehicle and options.default_fleet gives none";
            self.problems
                .push(Code::DfcNoVehicle, "options.default_fleet", what);
        }
        fleet
    }

    /// The native request.
    fn request(
        &self,
        shipments: Vec<pb::Shipment>,
        producers: &[Producer],
        vehicles: &[FleetVehicle],
        options: &DfcOptions,
    ) -> pb::SolveRequest {
        let setup_s = options.service.stop_setup_s;
        pb::SolveRequest {
            sites: self
                .sites
                .entries
                .values()
                .map(|(site, _)| pb::Site {
                    setup_s,
                    ..site.clone()
                })
                .collect(),
            producers: producers
                .iter()
                .map(|p| pb::Producer {
                    id: p.id.clone(),
                    name: p.name.clone(),
                })
                .collect(),
            vehicles: vehicles
                .iter()
                .map(|vehicle| vehicle.vehicle.clone())
                .collect(),
            shipments,
            options: Some(pb::SolveOptions {
                objective: pb::Objective::Cost as i32,
                seed: options.search.seed,
                threads: options.search.threads,
                max_iterations: options.search.max_iterations,
                time_limit_ms: options.search.time_limit_ms,
                geometry: options.geometry,
                ..Default::default()
            }),
            pooling: options.pooling.then(|| pb::PoolingOptions {
                enabled: true,
                ..Default::default()
            }),
            ..Default::default()
        }
    }
}
