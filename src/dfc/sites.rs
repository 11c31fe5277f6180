//! The request's sites, one per DFC node that goods leave from or reach (a farm's
//! place or an Enterprise's address, the hub, a pickup place or a customer's address,
//! a depot): coordinates, the node's weekly hours on the planning day, and for a
//! destination those hours ∩ its option's slot; with the DFC node the answer names for
//! each (a PhysicalPlace, or one minted for an address).

use std::collections::BTreeMap;

use super::graph::Graph;
use super::hours::{Day, intersect, windows_of};
use super::orders::Destination;
use super::places::{coordinates, name_of};
use super::terms::{OPENING_HOURS, PHYSICAL_PLACE};
use crate::pb;
use crate::validate::{Code, Collector};

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

/// The sites met so far, by id.
pub struct Sites<'a> {
    /// The document.
    pub graph: &'a Graph,
    /// The planning day.
    pub day: Day,
    /// Site id → the native site and its origin.
    pub entries: BTreeMap<String, (pb::Site, SiteOrigin)>,
}

impl Sites<'_> {
    /// A destination's site, and its windows: the place's hours ∩ the option's slot.
    pub fn destination(&mut self, destination: &mut Destination, problems: &mut Collector) {
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
        let Some((hours, has_hours)) = self.add(&destination.site, kind, problems) else {
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
            problems.push(Code::DfcClosedDuringSlot, path, what);
        }
    }

    /// Adds a site (once) for the DFC node `id`; its hours on the day, and whether it
    /// has hours at all.
    pub fn add(
        &mut self,
        id: &str,
        kind: pb::SiteKind,
        problems: &mut Collector,
    ) -> Option<(Vec<(i64, i64)>, bool)> {
        if let Some((site, origin)) = self.entries.get_mut(id) {
            if kind == pb::SiteKind::Hub || site.kind == pb::SiteKind::Unspecified as i32 {
                site.kind = kind as i32;
            }
            return Some((origin.windows_s.clone(), !origin.windows_s.is_empty()));
        }
        let graph = self.graph;
        let Some(node) = graph.node(id) else {
            let what = format!("{id} is named as a place but the document does not hold it");
            problems.push(Code::DfcDanglingReference, id.to_string(), what);
            return None;
        };
        let coordinates = coordinates(graph, node, problems).unwrap_or((0.0, 0.0));
        let (hours, has_hours) = windows_of(graph, node, &OPENING_HOURS, &self.day, problems);
        if has_hours && hours.is_empty() && kind != pb::SiteKind::PickupPoint {
            let what = format!("{id} is closed on {}", self.day.date);
            problems.push(Code::DfcClosedDuringSlot, node.path(&OPENING_HOURS), what);
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
                .map(|&(start_s, end_s)| pb::TimeWindow {
                    start_s,
                    end_s,
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        };
        self.entries.insert(id.to_string(), (site, origin));
        Some((hours, has_hours))
    }
}
