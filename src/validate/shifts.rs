//! A vehicle's shifts (`vehicles[i].shifts[j]`): ids, windows that never overlap and
//! lie inside the vehicle's own `shift` when it has one, and each value a shift may set
//! (sites, breaks, limits) resolved against the vehicle's: a shift inherits what it
//! leaves out, and a value set on both with different contents is a `shift_conflict`,
//! since the request would then say two things about one tour.

use std::collections::HashSet;

use super::ids::Context;
use super::violation::{Code, Collector};
use crate::domain::{Break, Shift, TimeWindow};
use crate::pb;

/// What a shift inherits from its vehicle, already validated.
pub struct Inherited<'a> {
    /// `vehicles[i]`.
    pub field: &'a str,
    /// The vehicle's `shift`, when given.
    pub window: Option<TimeWindow>,
    /// Its start and end sites.
    pub ends: (Option<usize>, Option<usize>),
    /// Its breaks.
    pub breaks: &'a [Break],
    /// Its limits: working time, travel time, distance, stops.
    pub limits: [Option<i64>; 4],
}

/// Validates the vehicle's shifts; returns them in request order.
pub fn shifts(
    collector: &mut Collector,
    given: &[pb::Shift],
    inherited: &Inherited,
    context: &Context,
) -> Vec<Shift> {
    let field = inherited.field;
    if !given.is_empty() {
        windowed_breaks(collector, inherited);
    }
    let mut seen = HashSet::new();
    let shifts: Vec<Shift> = given
        .iter()
        .enumerate()
        .map(|(index, shift)| {
            let field = format!("{field}.shifts[{index}]");
            if shift.id.is_empty() {
                collector.push(
                    Code::Missing,
                    format!("{field}.id"),
                    "give every shift an id",
                );
            } else if !seen.insert(shift.id.as_str()) {
                collector.push(
                    Code::DuplicateId,
                    format!("{field}.id"),
                    format!("shift id {:?} is used twice on this vehicle", shift.id),
                );
            }
            one(collector, &field, shift, inherited, context)
        })
        .collect();
    // A shift without a window is reported as missing, not as overlapping the rest.
    let windows: Vec<Option<TimeWindow>> = given
        .iter()
        .zip(&shifts)
        .map(|(given, shift)| given.window.as_ref().map(|_| shift.window))
        .collect();
    overlaps(collector, field, &windows);
    shifts
}

/// A vehicle-level break with windows cannot apply to several days' shifts.
fn windowed_breaks(collector: &mut Collector, inherited: &Inherited) {
    for (index, driver_break) in inherited.breaks.iter().enumerate() {
        if !driver_break.windows.is_empty() {
            collector.push(
                Code::ShiftConflict,
                format!("{}.breaks[{index}].windows", inherited.field),
                "a break window lies on one day: give each shift its own breaks, or \
                 leave the vehicle's breaks without windows",
            );
        }
    }
}

/// One shift at `field`.
fn one(
    collector: &mut Collector,
    field: &str,
    shift: &pb::Shift,
    inherited: &Inherited,
    context: &Context,
) -> Shift {
    let window = match &shift.window {
        Some(window) => collector.window(format!("{field}.window"), window),
        None => {
            collector.push(
                Code::Missing,
                format!("{field}.window"),
                "give the shift its window",
            );
            TimeWindow::ALWAYS
        }
    };
    if let Some(outer) = inherited.window
        && (window.start_s < outer.start_s || window.end_s > outer.end_s)
    {
        collector.push(
            Code::ShiftConflict,
            format!("{field}.window"),
            format!(
                "the shift runs outside the vehicle's shift {}..{} s",
                outer.start_s, outer.end_s
            ),
        );
    }
    let mut site = |name: &str, id: &str, vehicle_site: Option<usize>| {
        let own = context
            .sites
            .optional(collector, format!("{field}.{name}"), id);
        merge(collector, &format!("{field}.{name}"), own, vehicle_site)
    };
    let start_site = site("start_site_id", &shift.start_site_id, inherited.ends.0);
    let end_site = site("end_site_id", &shift.end_site_id, inherited.ends.1);
    if start_site.is_none() && end_site.is_none() {
        collector.push(
            Code::Missing,
            format!("{field}.start_site_id"),
            "give the shift (or its vehicle) a start site, an end site or both",
        );
    }
    let breaks = shift_breaks(collector, field, shift, inherited, context);
    let [working, travel, distance, stops] = inherited.limits;
    let mut limit = |name: &str, own: Option<i64>, vehicle: Option<i64>| {
        let own = own.map(|v| collector.non_negative(format!("{field}.{name}"), v));
        merge(collector, &format!("{field}.{name}"), own, vehicle)
    };
    Shift {
        id: shift.id.clone(),
        window,
        start_site,
        end_site,
        breaks,
        max_working_time_s: limit("max_working_time_s", shift.max_working_time_s, working),
        max_travel_time_s: limit("max_travel_time_s", shift.max_travel_time_s, travel),
        max_distance_m: limit("max_distance_m", shift.max_distance_m, distance),
        max_stops: limit("max_stops", shift.max_stops.map(i64::from), stops)
            .map(|stops| stops as usize),
    }
}

/// The shift's breaks, else the vehicle's; both given is a conflict.
fn shift_breaks(
    collector: &mut Collector,
    field: &str,
    shift: &pb::Shift,
    inherited: &Inherited,
    context: &Context,
) -> Vec<Break> {
    if shift.breaks.is_empty() {
        return inherited.breaks.to_vec();
    }
    if !inherited.breaks.is_empty() {
        collector.push(
            Code::ShiftConflict,
            format!("{field}.breaks"),
            "the vehicle has breaks too: give breaks on the vehicle or on its shifts",
        );
    }
    super::breaks::breaks(collector, field, &shift.breaks, context.dimensions)
}

/// The shift's own value, else the vehicle's; both given and different is a conflict.
fn merge<T: PartialEq + Copy + std::fmt::Debug>(
    collector: &mut Collector,
    field: &str,
    own: Option<T>,
    vehicle: Option<T>,
) -> Option<T> {
    match (own, vehicle) {
        (Some(own), Some(vehicle)) if own != vehicle => {
            collector.push(
                Code::ShiftConflict,
                field,
                "the vehicle sets another value: set it on the vehicle or on its shifts",
            );
            Some(own)
        }
        (own, vehicle) => own.or(vehicle),
    }
}

/// Two shifts of one vehicle may not share a moment (a driver drives one tour at a
/// time): each shift overlapping an earlier one is reported.
fn overlaps(collector: &mut Collector, field: &str, windows: &[Option<TimeWindow>]) {
    for (index, window) in windows.iter().enumerate() {
        let Some(window) = window else {
            continue;
        };
        let clash = windows[..index].iter().position(|earlier| {
            earlier.is_some_and(|earlier| {
                earlier.start_s < window.end_s && window.start_s < earlier.end_s
            })
        });
        if let Some(earlier) = clash {
            collector.push(
                Code::ShiftOverlap,
                format!("{field}.shifts[{index}].window"),
                format!("overlaps shifts[{earlier}]: a vehicle drives one shift at a time"),
            );
        }
    }
}
