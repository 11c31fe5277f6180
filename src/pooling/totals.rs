//! [`Totals`]: the figures of one way of organising the transport (every producer alone,
//! one coalition, the pooled plan). The coalition solves, the plan cache and the report
//! all add them up, so they stand in a file of their own below all of them.

use crate::domain::{TourFigures, currency};

/// Totals of one way of organising the transport.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Totals {
    /// The plan's figures, summed over its tours.
    pub figures: TourFigures,
    /// Vehicles used.
    pub vehicles: usize,
    /// CO2, kilograms.
    pub co2_kg: f64,
    /// Tasks left unassigned.
    pub unassigned: usize,
}

impl Totals {
    pub(super) fn add(&mut self, other: &Totals) {
        self.figures.add(&other.figures);
        self.vehicles += other.vehicles;
        self.co2_kg += other.co2_kg;
        self.unassigned += other.unassigned;
    }

    /// The cost of the game, currency units: the plan's cost plus `unserved_task_cost`
    /// for each task it leaves unassigned, so that dropping tasks does not look cheap.
    pub fn priced(&self, unserved_task_cost: f64) -> f64 {
        currency(self.figures.cost_micro) + self.unassigned as f64 * unserved_task_cost
    }
}
