//! The plans of solved coalitions, kept to warm-start larger ones.
//!
//! Two coalitions with no member in common can always plan apart: the union of their
//! plans is a plan of their union (same tasks, same vehicles, same roads). Starting a
//! coalition's search from its cheapest such split makes its cost sub-additive by
//! construction instead of by repair, and saves the construction.

use std::collections::HashMap;

use super::game::{SubProblem, VehicleKey};
use super::totals::Totals;
use crate::domain::Solution;
use crate::solver::WarmStart;

/// Coalitions of up to this many members try every split; larger ones (sampled
/// Shapley, up to 64 players) try only "one member apart".
const ALL_SPLITS_UP_TO: u32 = 16;

/// A coalition's plan in the request's numbering (serialisable: it travels to and from
/// the machines that solve coalitions, `fanout`).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Plan {
    /// Its figures.
    pub totals: Totals,
    /// Per vehicle (and shift) used: its stops as (request task, which stop of the
    /// task).
    routes: Vec<(Slot, Vec<(usize, usize)>)>,
}

impl Plan {
    /// The plan of a solution of `sub`.
    pub fn of(sub: &SubProblem, solution: &Solution, co2_kg_per_km: &[f64]) -> Plan {
        let warm = WarmStart::of_plan(&sub.problem, solution);
        let slots = sub.problem.tour_slots();
        let routes = warm
            .routes
            .into_iter()
            .enumerate()
            .filter(|(_, stops)| !stops.is_empty())
            .map(|(vehicle, stops)| {
                let stops = stops
                    .into_iter()
                    .map(|(task, which)| (sub.tasks[task], which))
                    .collect();
                let (vehicle, shift) = slots[vehicle];
                ((sub.vehicles[vehicle], shift), stops)
            })
            .collect();
        Plan {
            totals: Totals::of(&sub.problem, solution, co2_kg_per_km),
            routes,
        }
    }
}

/// A vehicle of the request or a stand-in, and its shift (`None`: it has none).
type Slot = (VehicleKey, Option<usize>);

/// Solved coalitions by mask.
#[derive(Debug, Default)]
pub struct Plans {
    by_mask: HashMap<u64, Plan>,
}

impl Plans {
    /// Records the plans of `masks`, in the same order.
    pub fn insert(&mut self, masks: &[u64], plans: Vec<Plan>) {
        self.by_mask.extend(masks.iter().copied().zip(plans));
    }

    /// The plan of coalition `mask`, if it was solved.
    pub fn plan(&self, mask: u64) -> Option<&Plan> {
        self.by_mask.get(&mask)
    }

    /// The totals of coalition `mask`, if it was solved.
    pub fn get(&self, mask: u64) -> Option<Totals> {
        self.by_mask.get(&mask).map(|p| p.totals)
    }

    /// The totals of coalition `mask` (zeros if it was not solved).
    pub fn totals(&self, mask: u64) -> Totals {
        self.by_mask
            .get(&mask)
            .map_or(Totals::default(), |p| p.totals)
    }

    /// The cheapest split of `mask` into two solved coalitions (fewest unassigned
    /// tasks first, then cost), if any.
    pub fn best_split(&self, mask: u64) -> Option<(u64, u64)> {
        let key = |part: u64| {
            let (a, b) = (self.by_mask.get(&part)?, self.by_mask.get(&(mask ^ part))?);
            Some((
                a.totals.unassigned + b.totals.unassigned,
                a.totals.figures.cost_micro + b.totals.figures.cost_micro,
                part,
            ))
        };
        let lowest = mask & mask.wrapping_neg();
        let best = if mask.count_ones() <= ALL_SPLITS_UP_TO {
            // Splits (part, rest) with `part` holding the lowest member: each once.
            std::iter::successors(Some((mask - 1) & mask), |part| {
                (*part > 0).then(|| (part - 1) & mask)
            })
            .filter(|part| *part > 0)
            .filter(|part| part & lowest != 0)
            .filter_map(key)
            .min()
        } else {
            (0..64)
                .map(|bit| 1u64 << bit)
                .filter(|bit| mask & bit != 0)
                .filter_map(|bit| key(mask ^ bit))
                .min()
        };
        best.map(|(_, _, part)| (part, mask ^ part))
    }

    /// Where a search for `mask` best starts: its cheapest split into two solved
    /// coalitions, or else a solved coalition with one member more (`(superset, 0)`:
    /// its plan without that member's tasks and vehicles), if any.
    pub fn best_start(&self, mask: u64) -> Option<(u64, u64)> {
        self.best_split(mask).or_else(|| {
            (0..64)
                .map(|bit| mask | 1u64 << bit)
                .filter(|&superset| superset != mask)
                .filter_map(|superset| {
                    let plan = self.by_mask.get(&superset)?;
                    Some((plan.totals.figures.cost_micro, superset))
                })
                .min()
                .map(|(_, superset)| (superset, 0))
        })
    }

    /// The union of the plans of `part` and `rest` in the numbering of `sub`.
    pub fn warm_start(&self, sub: &SubProblem, part: u64, rest: u64) -> WarmStart {
        let slots = sub.problem.tour_slots();
        let mut routes = vec![Vec::new(); slots.len()];
        let plans = [part, rest]
            .into_iter()
            .filter_map(|mask| self.by_mask.get(&mask));
        for (key, stops) in plans.flat_map(|plan| plan.routes.iter()) {
            let Some(vehicle) = slots
                .iter()
                .position(|&(v, shift)| (sub.vehicles[v], shift) == *key)
            else {
                continue;
            };
            routes[vehicle] = stops
                .iter()
                .filter_map(|&(task, which)| {
                    sub.tasks.binary_search(&task).ok().map(|t| (t, which))
                })
                .collect();
        }
        WarmStart { routes }
    }
}
