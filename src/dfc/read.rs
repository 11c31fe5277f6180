//! A DFC document and its options → a native [`pb::SolveRequest`] plus the map back to
//! the DFC nodes ([`Adapted`]): the planning day and mode, the sites (farms, hub,
//! destinations, depots) with their windows on that day, the fleet, and the shipments
//! ([`super::shipments`]). Every problem of the document is collected, each with the
//! node `@id` and property it concerns, and all come back together.

use std::collections::BTreeMap;

use serde_json::Value;

use super::fleet::{FleetVehicle, default_vehicles, document_vehicles};
use super::graph::Graph;
use super::hours::{Day, intersect, windows_of};
use super::options::{Checked, DfcOptions, Mode};
use super::orders::{self, Class, Conversion, Destination, Orders};
use super::places::{coordinates, follow, name_of};
use super::shipments::{self, ShipmentOrigin};
use super::terms::*;
use crate::pb;
use crate::validate::{Code, Collector, Violation, Violations};

/// One site of the request and the DFC node behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteOrigin {
    /// The DFC node the answer names for it: the PhysicalPlace, else `<@id>#place`
    /// minted for an Enterprise's or a Person's address.
    pub place: String,
    /// Whether `place` is minted (the answer then describes it).
    pub minted: bool,
    /// The node whose address gave the coordinates.
    pub node: String,
    /// Its name.
    pub name: String,
    /// (lat, lon), degrees.
    pub lat_lon_deg: (f64, f64),
    /// Its windows on the planning day (for a destination: hours ∩ slot), s from t0.
    pub windows_s: Vec<(i64, i64)>,
}

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

/// The goods of one producer for one destination in one class.
#[derive(Debug, Clone, PartialEq)]
pub struct Demand {
    /// The producer.
    pub producer: String,
    /// The destination site.
    pub destination: String,
    /// Temperature class.
    pub class: Class,
    /// Mass, g.
    pub mass_g: i64,
    /// The order lines.
    pub lines: Vec<String>,
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
        day,
        problems,
        sites: BTreeMap::new(),
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
    sites: BTreeMap<String, (pb::Site, SiteOrigin)>,
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
            self.destination(destination);
        }
        let demands: Vec<Demand> = orders
            .demands
            .iter()
            .map(|((producer, destination, class), demand)| Demand {
                producer: producer.clone(),
                destination: destination.clone(),
                class: *class,
                mass_g: demand.mass_g,
                lines: demand.lines.clone(),
            })
            .collect();
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
                self.site(&place, pb::SiteKind::Hub);
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
            self.site(&site, pb::SiteKind::Farm);
            let name = name_of(graph, enterprise);
            producers.push(Producer {
                id: id.clone(),
                name,
                site,
            });
        }
        producers
    }

    /// A destination's site, and its windows: the place's hours ∩ the option's slot.
    fn destination(&mut self, destination: &mut Destination) {
        let slot = destination.slot.map(|(start, end)| {
            (
                self.day.seconds_of(&start).max(0),
                self.day.seconds_of(&end),
            )
        });
        let kind = match destination.kind {
            "pickup" => pb::SiteKind::PickupPoint,
            _ => pb::SiteKind::Unspecified,
        };
        let Some((hours, has_hours)) = self.site(&destination.site, kind) else {
            return;
        };
        destination.windows_s = match (slot, has_hours) {
            (Some(slot), true) => intersect(&hours, &[slot]),
            (Some(slot), false) => vec![slot],
            (None, _) => hours,
        };
        if destination.windows_s.is_empty() && (has_hours || slot.is_some()) {
            let what = format!(
                "{} is closed during the whole slot of shipping option {}",
                destination.site, destination.option
            );
            let path = format!(
                "{} {}",
                destination.site,
                super::context::compact(&OPENING_HOURS[0].iri())
            );
            self.problems.push(Code::DfcClosedDuringSlot, path, what);
        }
    }

    /// Adds a site (once) for the DFC node `id`; its hours on the day, and whether it
    /// has hours at all.
    fn site(&mut self, id: &str, kind: pb::SiteKind) -> Option<(Vec<(i64, i64)>, bool)> {
        if let Some((site, origin)) = self.sites.get_mut(id) {
            if kind == pb::SiteKind::Hub || site.kind == pb::SiteKind::Unspecified as i32 {
                site.kind = kind as i32;
            }
            return Some((origin.windows_s.clone(), !origin.windows_s.is_empty()));
        }
        let graph = self.graph;
        let Some(node) = graph.node(id) else {
            let what = format!("{id} is named as a place but the document does not hold it");
            self.problems
                .push(Code::DfcDanglingReference, id.to_string(), what);
            return None;
        };
        let coordinates = coordinates(graph, node, &mut self.problems).unwrap_or((0.0, 0.0));
        let (hours, has_hours) =
            windows_of(graph, node, &OPENING_HOURS, &self.day, &mut self.problems);
        if has_hours && hours.is_empty() && kind != pb::SiteKind::PickupPoint {
            let what = format!("{id} is closed on {}", self.day.date);
            self.problems
                .push(Code::DfcClosedDuringSlot, node.path(&OPENING_HOURS), what);
        }
        let minted = !node.is(&PHYSICAL_PLACE);
        let origin = SiteOrigin {
            place: if minted {
                format!("{id}#place")
            } else {
                id.to_string()
            },
            minted,
            node: id.to_string(),
            name: name_of(graph, node),
            lat_lon_deg: coordinates,
            windows_s: hours.clone(),
        };
        let site = pb::Site {
            id: id.to_string(),
            name: origin.name.clone(),
            kind: kind as i32,
            location: Some(pb::Location {
                kind: Some(pb::location::Kind::Coordinates(pb::Coordinates {
                    lat_deg: coordinates.0,
                    lon_deg: coordinates.1,
                })),
            }),
            opening_windows: hours
                .iter()
                .map(|&(start_s, end_s)| pb::TimeWindow { start_s, end_s })
                .collect(),
            ..Default::default()
        };
        self.sites.insert(id.to_string(), (site, origin));
        Some((hours, has_hours))
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
            self.site(&vehicle.based_at, pb::SiteKind::Unspecified);
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
