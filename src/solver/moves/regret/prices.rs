//! The regret construction's prices: per pending task and vehicle the cheapest insertion
//! into that vehicle's route as it was when priced, and per task its two cheapest (the
//! terms of its regret), kept as routes change. Choosing the next task then reads two
//! figures per task instead of one per vehicle (200 × 1,000 a round at 1,000 shipments
//! on 200 vans), and only a task whose cheapest or second cheapest route changed is
//! looked at over every vehicle again.

use crate::solver::instance::Instance;
use crate::solver::moves::insertion::{Insertion, best_in_route};
use crate::solver::moves::workspace::Workspace;
use crate::solver::state::State;

/// A price and the version of the route it was taken on.
#[derive(Debug, Clone, Copy)]
struct Priced {
    /// The cheapest insertion (`None`: none fits).
    insertion: Option<Insertion>,
    /// The route's version when priced: stale when the route changed since.
    version: u32,
}

/// A task's two cheapest insertions as (delta, vehicle), ordered by delta then vehicle:
/// the first is the lowest vehicle among the cheapest (as a scan in vehicle order finds
/// it), the second's delta the second lowest of all (equal to the first's on ties).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct BestTwo {
    first: Option<(i128, usize)>,
    second: Option<(i128, usize)>,
}

/// What a task with a single route left loses by waiting: more than any difference.
const LAST_ROUTE_REGRET: i128 = i128::MAX / 4;

/// The delta of no insertion (none fits).
const NONE: i128 = i128::MAX;

/// Cheapest prices one scan of a task's vehicles keeps (see [`Prices::rescan`]).
const KEPT: usize = 4;

impl BestTwo {
    /// Takes a price into account (its vehicle must not be one of the two already).
    fn offer(&mut self, delta: i128, vehicle: usize) {
        let price = Some((delta, vehicle));
        if self.first.is_none_or(|first| (delta, vehicle) < first) {
            self.second = self.first;
            self.first = price;
        } else if self.second.is_none_or(|second| (delta, vehicle) < second) {
            self.second = price;
        }
    }

    /// Whether one of the two is on `vehicle`.
    fn holds(&self, vehicle: usize) -> bool {
        self.first.is_some_and(|(_, v)| v == vehicle)
            || self.second.is_some_and(|(_, v)| v == vehicle)
    }

    /// The regret (second cheapest less cheapest) and the cheapest's vehicle; `None`
    /// when no route takes the task.
    pub(super) fn regret(&self) -> Option<(i128, usize)> {
        let (delta, vehicle) = self.first?;
        let regret = self
            .second
            .map_or(LAST_ROUTE_REGRET, |(second, _)| second - delta);
        Some((regret, vehicle))
    }
}

/// Every pending task's prices over every vehicle, and their two cheapest.
pub(super) struct Prices {
    /// `entries[task][vehicle]`; empty rows for tasks not pending.
    entries: Vec<Vec<Priced>>,
    /// `deltas[task][vehicle]`: the entry's delta ([`NONE`]: none fits), apart so that
    /// a scan over the vehicles reads 16 bytes a vehicle, not the whole entry.
    deltas: Vec<Vec<i128>>,
    /// Per task: its two cheapest fresh prices.
    best_two: Vec<BestTwo>,
    /// Per vehicle: how many times its route changed.
    versions: Vec<u32>,
    /// Prices taken (the tests count them).
    pub(super) priced: u64,
}

/// What pricing reads and the buffers it uses.
pub(super) struct Pricing<'a, 'i> {
    pub(super) instance: &'a Instance<'i>,
    pub(super) state: &'a State,
    pub(super) workspace: &'a mut Workspace,
}

impl Prices {
    /// No price yet for `pending` tasks.
    pub(super) fn new(instance: &Instance, pending: &[usize]) -> Self {
        let vehicles = instance.problem.vehicles.len();
        let mut entries = vec![Vec::new(); instance.task_count()];
        let mut deltas = vec![Vec::new(); instance.task_count()];
        let unpriced = Priced {
            insertion: None,
            version: u32::MAX,
        };
        for &task in pending {
            entries[task] = vec![unpriced; vehicles];
            deltas[task] = vec![NONE; vehicles];
        }
        Prices {
            entries,
            deltas,
            best_two: vec![BestTwo::default(); instance.task_count()],
            versions: vec![0; vehicles],
            priced: 0,
        }
    }

    /// A task's two cheapest.
    pub(super) fn best_two(&self, task: usize) -> &BestTwo {
        &self.best_two[task]
    }

    /// The cheapest insertion of `task` (fresh).
    pub(super) fn cheapest(&self, task: usize) -> Option<Insertion> {
        let (_, vehicle) = self.best_two[task].first?;
        self.entries[task][vehicle].insertion
    }

    /// Prices `task` on every vehicle.
    pub(super) fn fill(&mut self, pricing: &mut Pricing, task: usize) {
        for vehicle in 0..self.versions.len() {
            self.price(pricing, task, vehicle);
        }
        self.rescan(pricing, task);
    }

    /// The route of `vehicle` changed: every price on it is stale.
    pub(super) fn changed(&mut self, vehicle: usize) {
        self.versions[vehicle] = self.versions[vehicle].wrapping_add(1);
    }

    /// After the route of `vehicle` changed: prices `task` on it again when `reprice`
    /// (else its price there stays stale, as an estimate), and keeps its two cheapest
    /// right — over every vehicle again when one of them was on `vehicle`.
    pub(super) fn update(
        &mut self,
        pricing: &mut Pricing,
        task: usize,
        vehicle: usize,
        reprice: bool,
    ) {
        if reprice {
            self.price(pricing, task, vehicle);
        }
        if self.best_two[task].holds(vehicle) {
            self.rescan(pricing, task);
        } else if reprice && self.deltas[task][vehicle] != NONE {
            self.best_two[task].offer(self.deltas[task][vehicle], vehicle);
        }
    }

    /// The best two of `task` over every vehicle; a stale price among them is taken
    /// again until both are fresh, so that the insertion chosen fits the route as it is.
    /// One scan keeps the [`KEPT`] cheapest: stale prices among them are taken again
    /// there, and the scan is redone only when what they became no longer beats every
    /// price left out.
    fn rescan(&mut self, pricing: &mut Pricing, task: usize) {
        loop {
            let mut kept = [(NONE, usize::MAX); KEPT];
            for (vehicle, &delta) in self.deltas[task].iter().enumerate() {
                // Vehicles come in order: a price equal to the last kept is behind it.
                if delta < kept[KEPT - 1].0 {
                    kept[KEPT - 1] = (delta, vehicle);
                    kept.sort_unstable();
                }
            }
            // Every price left out is above this one (none is when some kept are none).
            let bound = kept[KEPT - 1];
            loop {
                let best = BestTwo {
                    first: kept.first().filter(|(delta, _)| *delta != NONE).copied(),
                    second: kept.get(1).filter(|(delta, _)| *delta != NONE).copied(),
                };
                let beats_the_rest = |price: Option<(i128, usize)>| {
                    bound.0 == NONE || price.is_some_and(|price| price < bound)
                };
                if !beats_the_rest(best.first) || !beats_the_rest(best.second) {
                    break;
                }
                let stale: Vec<usize> = [best.first, best.second]
                    .into_iter()
                    .flatten()
                    .map(|(_, vehicle)| vehicle)
                    .filter(|&vehicle| {
                        self.entries[task][vehicle].version != self.versions[vehicle]
                    })
                    .collect();
                if stale.is_empty() {
                    self.best_two[task] = best;
                    return;
                }
                for vehicle in stale {
                    self.price(pricing, task, vehicle);
                    if let Some(slot) = kept.iter_mut().find(|(_, v)| *v == vehicle) {
                        *slot = (self.deltas[task][vehicle], vehicle);
                    }
                }
                kept.sort_unstable();
            }
        }
    }

    /// Prices `task` on the route of `vehicle` as it is.
    fn price(&mut self, pricing: &mut Pricing, task: usize, vehicle: usize) {
        self.priced += 1;
        let workspace = &mut *pricing.workspace;
        self.entries[task][vehicle] = Priced {
            insertion: best_in_route(
                pricing.instance,
                pricing.state,
                task,
                vehicle,
                &mut workspace.scratch,
                &mut workspace.buffer,
                None,
            )
            .ok(),
            version: self.versions[vehicle],
        };
        self.deltas[task][vehicle] = self.entries[task][vehicle]
            .insertion
            .map_or(NONE, |insertion| insertion.delta);
    }
}
