//! Demands → native shipments. `direct`: one shipment per demand, farm → destination.
//! `via_hub`: each producer's goods of one class go to the hub in one inbound leg,
//! delivered in the hub's hours before the cutoff, and leave it in one outbound leg per
//! destination, picked up after the cutoff plus the sorting time; a destination at the
//! hub needs the inbound leg only, and one with no window after the dispatch (a
//! morning canteen) is served directly, with a note. Aggregating is what a driver does:
//! a farm is one stop, not one stop per order line.

use std::collections::BTreeMap;

use super::hours::{Day, intersect};
use super::options::{DfcOptions, Mode};
use super::orders::{Class, Demand};
use super::terms::OPENING_HOURS;
use crate::pb;
use crate::validate::{Code, Collector};

/// What one native shipment carries, for the answer.
#[derive(Debug, Clone, PartialEq)]
pub struct ShipmentOrigin {
    /// The owner (Enterprise `@id`).
    pub producer: String,
    /// Pickup site.
    pub from: String,
    /// Delivery site.
    pub to: String,
    /// Temperature class.
    pub class: Class,
    /// Mass, g.
    pub mass_g: i64,
    /// The order lines it brings to their destination.
    pub fulfils: Vec<String>,
    /// `direct`, `inbound` (farm → hub) or `outbound` (hub → destination).
    pub leg: &'static str,
    /// For an inbound leg: the outbound shipments it feeds.
    pub feeds: Vec<String>,
}

/// Windows on the planning day, s from t0.
pub struct Windows {
    /// Site → its hours (a farm's collection hours, the hub's hours).
    pub sites: BTreeMap<String, Vec<(i64, i64)>>,
    /// Destination site → its delivery windows (hours ∩ slot).
    pub destinations: BTreeMap<String, Vec<(i64, i64)>>,
}

impl Windows {
    fn pickup(&self, site: &str) -> Option<&Vec<(i64, i64)>> {
        self.sites.get(site)
    }

    fn delivery(&self, site: &str) -> Option<&Vec<(i64, i64)>> {
        self.destinations.get(site).or_else(|| self.sites.get(site))
    }
}

/// The hub's windows for each side, s from t0.
#[derive(Debug, Clone)]
struct HubWindows {
    /// When inbound goods may arrive (its hours before the cutoff).
    inbound: Vec<(i64, i64)>,
    /// When outbound goods may leave (its hours after the cutoff plus sorting).
    outbound: Vec<(i64, i64)>,
}

/// What the legs depend on.
pub struct Plan<'a> {
    /// Direct or via the hub.
    pub mode: Mode,
    /// The hub's site.
    pub hub: Option<&'a str>,
    /// The planning day.
    pub day: &'a Day,
    /// The hub cutoff, seconds of the day.
    pub hub_cutoff_s: i64,
    /// The options (service model, sorting time).
    pub options: &'a DfcOptions,
}

/// The shipments of `demands`, their origins, and notes; `farms`: producer → site,
/// `windows`: site → its windows.
pub fn build(
    plan: &Plan,
    demands: &[Demand],
    farms: &BTreeMap<String, String>,
    windows: &Windows,
    problems: &mut Collector,
) -> (
    Vec<pb::Shipment>,
    BTreeMap<String, ShipmentOrigin>,
    Vec<String>,
) {
    let mut legs: Vec<ShipmentOrigin> = Vec::new();
    let mut inbound: BTreeMap<(String, Class), ShipmentOrigin> = BTreeMap::new();
    let mut notes = Vec::new();
    let hub_legs = match (plan.mode, plan.hub) {
        (Mode::ViaHub, Some(hub)) => Some((hub, hub_windows(plan, hub, windows, problems))),
        _ => None,
    };
    for demand in demands {
        let Some(farm) = farms.get(&demand.producer) else {
            continue;
        };
        let direct = ShipmentOrigin {
            producer: demand.producer.clone(),
            from: farm.clone(),
            to: demand.destination.clone(),
            class: demand.class,
            mass_g: demand.mass_g,
            fulfils: demand.lines.clone(),
            leg: "direct",
            feeds: Vec::new(),
        };
        let Some((hub, hub_windows)) = &hub_legs else {
            legs.push(direct);
            continue;
        };
        let key = (demand.producer.clone(), demand.class);
        let leg = inbound.entry(key).or_insert_with(|| ShipmentOrigin {
            to: hub.to_string(),
            mass_g: 0,
            fulfils: Vec::new(),
            leg: "inbound",
            ..direct.clone()
        });
        if demand.destination == *hub {
            leg.mass_g += demand.mass_g;
            leg.fulfils.extend(demand.lines.iter().cloned());
            continue;
        }
        let destination = windows
            .delivery(&demand.destination)
            .cloned()
            .unwrap_or_default();
        let dispatch_s = hub_windows.outbound.first().map_or(0, |window| window.0);
        if !destination.is_empty() && intersect(&destination, &[(dispatch_s, i64::MAX)]).is_empty()
        {
            notes.push(format!(
                "{} has no window after the hub's dispatch: its goods from {} go directly",
                demand.destination, demand.producer
            ));
            legs.push(direct);
            continue;
        }
        leg.mass_g += demand.mass_g;
        legs.push(ShipmentOrigin {
            from: hub.to_string(),
            leg: "outbound",
            ..direct
        });
    }
    let first_inbound = legs.len();
    legs.extend(inbound.into_values().filter(|leg| leg.mass_g > 0));
    name_and_link(plan, legs, first_inbound, &hub_legs, windows, notes)
}

/// Ids for every leg, the inbound legs linked to the outbound ones they feed, and the
/// native shipments.
fn name_and_link(
    plan: &Plan,
    legs: Vec<ShipmentOrigin>,
    first_inbound: usize,
    hub_legs: &Option<(&str, HubWindows)>,
    windows: &Windows,
    notes: Vec<String>,
) -> (
    Vec<pb::Shipment>,
    BTreeMap<String, ShipmentOrigin>,
    Vec<String>,
) {
    let ids: Vec<String> = (1..=legs.len()).map(|n| format!("shipment-{n}")).collect();
    let mut origins = BTreeMap::new();
    let mut native = Vec::new();
    for (index, mut leg) in legs.iter().cloned().enumerate() {
        if index >= first_inbound {
            leg.feeds = legs[..first_inbound]
                .iter()
                .zip(&ids)
                .filter(|(other, _)| {
                    other.leg == "outbound"
                        && other.producer == leg.producer
                        && other.class == leg.class
                })
                .map(|(_, id)| id.clone())
                .collect();
        }
        let (pickup_w, delivery_w) = match (leg.leg, hub_legs) {
            ("inbound", Some((_, hub))) => (windows.pickup(&leg.from), Some(&hub.inbound)),
            ("outbound", Some((_, hub))) => (Some(&hub.outbound), windows.delivery(&leg.to)),
            _ => (windows.pickup(&leg.from), windows.delivery(&leg.to)),
        };
        native.push(shipment(plan, &ids[index], &leg, pickup_w, delivery_w));
        origins.insert(ids[index].clone(), leg);
    }
    (native, origins, notes)
}

/// The hub's inbound windows (its hours before the cutoff) and outbound ones (after
/// the cutoff plus sorting); an empty side is a violation.
fn hub_windows(plan: &Plan, hub: &str, windows: &Windows, problems: &mut Collector) -> HubWindows {
    let day = plan.day;
    let hours = match windows.sites.get(hub) {
        Some(hours) if !hours.is_empty() => hours.clone(),
        _ => vec![(0, day.length_s)],
    };
    let cutoff = day.seconds_at(day.date, plan.hub_cutoff_s);
    let dispatch = day.seconds_at(
        day.date,
        plan.hub_cutoff_s + plan.options.hub_sorting_s.max(0),
    );
    let inbound = intersect(&hours, &[(0, cutoff)]);
    let outbound = intersect(&hours, &[(dispatch, i64::MAX)]);
    let path = format!("{hub} {}", super::context::compact(&OPENING_HOURS[0].iri()));
    if inbound.is_empty() {
        problems.push(
            Code::DfcClosedDuringSlot,
            path.clone(),
            "the hub is closed before options.hub_cutoff: inbound goods cannot arrive",
        );
    }
    if outbound.is_empty() {
        problems.push(
            Code::DfcClosedDuringSlot,
            path,
            "the hub is closed after options.hub_cutoff plus hub_sorting_s: goods cannot leave",
        );
    }
    HubWindows { inbound, outbound }
}

/// One native shipment.
fn shipment(
    plan: &Plan,
    id: &str,
    leg: &ShipmentOrigin,
    pickup_w: Option<&Vec<(i64, i64)>>,
    delivery_w: Option<&Vec<(i64, i64)>>,
) -> pb::Shipment {
    let service = &plan.options.service;
    let handling_s = (service.handling_s_per_kg * leg.mass_g as f64 / 1000.0).round() as i64;
    let stop = |site: &str, windows: Option<&Vec<(i64, i64)>>| pb::TaskStop {
        site_id: site.to_string(),
        service_s: Some(handling_s.max(0)),
        time_windows: windows
            .map(|windows| {
                windows
                    .iter()
                    .map(|&(start_s, end_s)| pb::TimeWindow {
                        start_s,
                        end_s,
                        ..Default::default()
                    })
                    .collect()
            })
            .unwrap_or_default(),
        description: String::new(),
    };
    let chilled = leg.class != Class::Ambient;
    pb::Shipment {
        id: id.to_string(),
        producer_id: leg.producer.clone(),
        pickup: Some(stop(&leg.from, pickup_w)),
        delivery: Some(stop(&leg.to, delivery_w)),
        amount: vec![leg.mass_g],
        skills: if chilled {
            vec![leg.class.skill().to_string()]
        } else {
            Vec::new()
        },
        max_time_on_board_s: service.chilled_max_on_board_s.filter(|_| chilled),
        ..Default::default()
    }
}
