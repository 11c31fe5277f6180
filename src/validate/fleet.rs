//! Producers and vehicles: sites, capacity, skills, shift, limits, costs, profile
//! (and, in `shifts.rs`, a vehicle's shifts over a week).

use super::ids::Context;
use super::violation::{Code, Collector};
use crate::domain::{Amount, Costs, Producer, Reload, TimeWindow, Vehicle, micro_currency};
use crate::pb;

/// Validates producers (ids are checked by the caller).
pub fn producers(_collector: &mut Collector, producers: &[pb::Producer]) -> Vec<Producer> {
    producers
        .iter()
        .map(|p| Producer {
            id: p.id.clone(),
            name: p.name.clone(),
        })
        .collect()
}

/// Sorted, deduplicated skill names.
pub fn skills(names: &[String]) -> Vec<String> {
    let mut skills = names.to_vec();
    skills.sort();
    skills.dedup();
    skills
}

/// Validates vehicles; returns them with the sorted list of profiles they use.
pub fn vehicles(
    collector: &mut Collector,
    vehicles: &[pb::Vehicle],
    context: &Context,
) -> (Vec<Vehicle>, Vec<String>) {
    if vehicles.is_empty() {
        collector.push(Code::EmptyFleet, "vehicles", "give at least one vehicle");
    }
    super::ids::Ids::new(
        collector,
        "vehicles",
        vehicles.iter().map(|v| v.id.as_str()),
    );
    let mut profiles: Vec<String> = vehicles.iter().map(|v| profile_name(&v.profile)).collect();
    profiles.sort();
    profiles.dedup();
    let vehicles = vehicles
        .iter()
        .enumerate()
        .map(|(index, vehicle)| self::vehicle(collector, index, vehicle, context, &profiles))
        .collect();
    (vehicles, profiles)
}

/// Validates `vehicles[index]`; `profiles` are the sorted names its profile indexes.
///
/// The violations come in the order of the fields' checks below, which the error
/// list shows to the user: ends, capacity, shift, speed, reload, owner, limits, costs,
/// breaks.
fn vehicle(
    collector: &mut Collector,
    index: usize,
    vehicle: &pb::Vehicle,
    context: &Context,
    profiles: &[String],
) -> Vehicle {
    let field = format!("vehicles[{index}]");
    let (start_site, end_site) = ends(collector, &field, vehicle, context);
    let capacity = capacity(collector, &field, &vehicle.capacity, context.dimensions);
    let shift = match &vehicle.shift {
        Some(shift) => collector.window(format!("{field}.shift"), shift),
        None => TimeWindow::ALWAYS,
    };
    let speed_factor = speed_factor(collector, &field, vehicle.speed_factor);
    let profile_name = profile_name(&vehicle.profile);
    let reload = vehicle
        .reload
        .as_ref()
        .and_then(|reload| self::reload(collector, &field, reload, start_site, context));
    let producer = context.producers.optional(
        collector,
        format!("{field}.producer_id"),
        &vehicle.producer_id,
    );
    let limit = |collector: &mut Collector, name: &str, value: Option<i64>| {
        value.map(|v| collector.non_negative(format!("{field}.{name}"), v))
    };
    let limits = [
        limit(collector, "max_working_time_s", vehicle.max_working_time_s),
        limit(collector, "max_travel_time_s", vehicle.max_travel_time_s),
        limit(collector, "max_distance_m", vehicle.max_distance_m),
        vehicle.max_stops.map(i64::from),
    ];
    let costs = costs(collector, &field, vehicle.costs.as_ref());
    let breaks = super::breaks::breaks(collector, &field, &vehicle.breaks, context.dimensions);
    let inherited = super::shifts::Inherited {
        field: &field,
        window: vehicle.shift.is_some().then_some(shift),
        ends: (start_site, end_site),
        breaks: &breaks,
        limits,
    };
    let shifts = super::shifts::shifts(collector, &vehicle.shifts, &inherited, context);
    Vehicle {
        id: vehicle.id.clone(),
        description: collector.description(&field, &vehicle.description),
        producer,
        start_site,
        end_site,
        capacity,
        skills: skills(&vehicle.skills),
        shift,
        max_working_time_s: limits[0],
        max_travel_time_s: limits[1],
        max_distance_m: limits[2],
        max_stops: vehicle.max_stops.map(|stops| stops as usize),
        costs,
        speed_factor,
        profile: profiles
            .iter()
            .position(|p| *p == profile_name)
            .unwrap_or_default(),
        reload,
        breaks,
        shifts,
    }
}

/// The start and end sites of `field`; a vehicle needs at least one of them.
fn ends(
    collector: &mut Collector,
    field: &str,
    vehicle: &pb::Vehicle,
    context: &Context,
) -> (Option<usize>, Option<usize>) {
    let start_site = context.sites.optional(
        collector,
        format!("{field}.start_site_id"),
        &vehicle.start_site_id,
    );
    let end_site = context.sites.optional(
        collector,
        format!("{field}.end_site_id"),
        &vehicle.end_site_id,
    );
    // A vehicle with shifts may leave its sites to each shift (checked there).
    let shifted = !vehicle.shifts.is_empty();
    if vehicle.start_site_id.is_empty() && vehicle.end_site_id.is_empty() && !shifted {
        collector.push(
            Code::Missing,
            format!("{field}.start_site_id"),
            "give a start site, an end site or both",
        );
    }
    (start_site, end_site)
}

/// `field.capacity`: as many dimensions as `vehicles[0]`, none negative.
fn capacity(collector: &mut Collector, field: &str, capacity: &[i64], dimensions: usize) -> Amount {
    if capacity.len() != dimensions {
        collector.push(
            Code::DimensionMismatch,
            format!("{field}.capacity"),
            format!(
                "{} values, but vehicles[0] has {}",
                capacity.len(),
                dimensions
            ),
        );
    }
    capacity
        .iter()
        .enumerate()
        .map(|(d, value)| collector.non_negative(format!("{field}.capacity[{d}]"), *value))
        .collect()
}

/// `field.speed_factor` with 0 (the wire default) read as 1.
fn speed_factor(collector: &mut Collector, field: &str, value: f64) -> f64 {
    let speed_factor = if value == 0.0 { 1.0 } else { value };
    if !(speed_factor.is_finite() && speed_factor > 0.0 && speed_factor <= 10.0) {
        collector.push(
            Code::OutOfRange,
            format!("{field}.speed_factor"),
            "must be in (0, 10]; 0 means 1",
        );
    }
    speed_factor
}

/// Validates `field.reload`: its hub (default: the start site), duration and trips.
fn reload(
    collector: &mut Collector,
    field: &str,
    reload: &pb::Reload,
    start_site: Option<usize>,
    context: &Context,
) -> Option<Reload> {
    let site = if reload.site_id.is_empty() {
        if start_site.is_none() {
            collector.push(
                Code::Missing,
                format!("{field}.reload.site_id"),
                "give the hub to reload at (the vehicle has no start site to default to)",
            );
        }
        start_site
    } else {
        context.sites.optional(
            collector,
            format!("{field}.reload.site_id"),
            &reload.site_id,
        )
    };
    let duration_s =
        collector.non_negative(format!("{field}.reload.duration_s"), reload.duration_s);
    let max_trips = match reload.max_trips {
        0 => usize::MAX,
        1 => {
            collector.push(
                Code::OutOfRange,
                format!("{field}.reload.max_trips"),
                "must be at least 2 (0: unlimited); leave reload out for one trip",
            );
            1
        }
        trips => trips as usize,
    };
    Some(Reload {
        site: site?,
        duration_s,
        max_trips,
    })
}

/// The profile name with the default applied.
pub fn profile_name(name: &str) -> String {
    if name.is_empty() {
        "car".to_string()
    } else {
        name.to_string()
    }
}

/// Validates costs at `field.costs`; absent: 1 per hour of driving (VROOM's default).
pub fn costs(collector: &mut Collector, field: &str, costs: Option<&pb::VehicleCosts>) -> Costs {
    let Some(costs) = costs else {
        return Costs {
            fixed_micro: 0,
            per_hour_micro: 1_000_000,
            per_km_micro: 0,
            per_task_hour_micro: 0,
        };
    };
    let mut micro = |name: &str, value: f64| -> i64 {
        if !value.is_finite() || !(0.0..=1e9).contains(&value) {
            collector.push(
                Code::OutOfRange,
                format!("{field}.costs.{name}"),
                format!("{value} must be a number in 0..=1e9"),
            );
            return 0;
        }
        micro_currency(value)
    };
    Costs {
        fixed_micro: micro("fixed", costs.fixed),
        per_hour_micro: micro("per_hour", costs.per_hour),
        per_km_micro: micro("per_km", costs.per_km),
        per_task_hour_micro: micro("per_task_hour", costs.per_task_hour),
    }
}
