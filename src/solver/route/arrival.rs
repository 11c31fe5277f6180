//! A node reached by a [`super::walk::Walk`]: the leg driven to it, when service
//! starts, and how far that is from a soft window (with its price); and the leg itself,
//! read from the vehicle's matrices. Kept apart from the walk so each stays short.

use super::infeasible::Infeasible;
use crate::domain::UNREACHABLE;
use crate::solver::instance::Instance;

/// A node reached but not yet accounted: the leg driven to it and when service starts.
#[derive(Debug, Clone, Copy)]
pub struct Arrival {
    /// Driving, seconds.
    pub(super) leg_s: i64,
    /// Distance, metres.
    pub(super) leg_m: i64,
    /// Cost from the profile's cost matrix, currency units (0 without one).
    pub(super) leg_cost: i64,
    /// At the node, seconds.
    pub(super) arrival_s: i64,
    /// Service starts (arrival plus waiting for the window), seconds.
    pub(super) start_s: i64,
    /// Seconds after a soft window's end (0 when on time).
    pub(super) late_s: i64,
    /// Seconds before a soft window's start (0 when not early).
    pub(super) early_s: i64,
    /// What the lateness and earliness cost, micro-currency.
    pub(super) penalty_micro: i64,
}

impl Arrival {
    /// Being at a node without driving or waiting: the start and the end of a tour.
    #[inline]
    pub(super) fn here(time_s: i64) -> Self {
        Arrival {
            leg_s: 0,
            leg_m: 0,
            leg_cost: 0,
            arrival_s: time_s,
            start_s: time_s,
            late_s: 0,
            early_s: 0,
            penalty_micro: 0,
        }
    }

    /// Reached after a leg of (`leg_s`, `leg_m`, `leg_cost`) at `arrival_s`, starting
    /// at `start_s` in a hard window (or a break's): no lateness, no earliness.
    #[inline]
    pub(super) fn hard(
        (leg_s, leg_m, leg_cost): (i64, i64, i64),
        arrival_s: i64,
        start_s: i64,
    ) -> Self {
        Arrival {
            leg_s,
            leg_m,
            leg_cost,
            arrival_s,
            start_s,
            late_s: 0,
            early_s: 0,
            penalty_micro: 0,
        }
    }
}

/// Driving time, distance and cost matrix cell from `from` (none: an open start, free)
/// to `to`.
#[inline]
pub(super) fn leg(
    instance: &Instance,
    vehicle: usize,
    from: Option<usize>,
    to: usize,
) -> Result<(i64, i64, i64), Infeasible> {
    let Some(from) = from else {
        return Ok((0, 0, 0));
    };
    let (leg_s, leg_m) = (
        instance.duration_s(vehicle, from, to),
        instance.distance_m(vehicle, from, to),
    );
    if leg_s >= UNREACHABLE || leg_m >= UNREACHABLE {
        return Err(Infeasible::Unreachable);
    }
    Ok((leg_s, leg_m, instance.cost(vehicle, from, to)))
}
