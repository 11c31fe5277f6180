//! Instances the solver's unit tests share: generated Solomon-format rounds (a linear
//! congruential generator, so every run and every machine reads the same instance) and
//! the solver's view of a benchmark file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write;
use std::sync::atomic::AtomicBool;

use crate::budget::Budget;
use crate::pipeline::{self, Solved};
use crate::solver::instance::Instance;
use crate::solver::moves::recreate::{Workspace, regret};
use crate::solver::state::State;

/// How to generate a Solomon-format instance: customers spread over 100 × 100 around a
/// depot at (50, 50), every `window_every`-th with a one-hour window, service 10.
pub struct Generated {
    /// Vehicles of the fleet.
    pub vehicles: u32,
    /// Capacity of each.
    pub capacity: u32,
    /// The generator's seed.
    pub seed: u64,
    /// Every how many customers one has a window.
    pub window_every: usize,
    /// Demands drawn from 5..25 (else 10 each).
    pub random_demand: bool,
}

impl Generated {
    /// The instance's text with `customers` customers.
    pub fn solomon(&self, customers: usize) -> String {
        let mut text = format!(
            "GEN\n\nVEHICLE\nNUMBER     CAPACITY\n  {}         {}\n\n",
            self.vehicles, self.capacity
        );
        text.push_str(
            "CUSTOMER\nCUST NO. XCOORD. YCOORD. DEMAND READY TIME DUE DATE SERVICE TIME\n\n",
        );
        text.push_str("    0   50   50    0    0   1000    0\n");
        let mut x = self.seed;
        let mut draw = |bound: u64| {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (x >> 33) % bound
        };
        for customer in 1..=customers {
            let (cx, cy) = (draw(100), draw(100));
            let demand = if self.random_demand { 5 + draw(20) } else { 10 };
            let (ready, due) = if customer % self.window_every == 0 {
                let ready = 100 + draw(700);
                (ready, ready + 60)
            } else {
                (0, 1000)
            };
            writeln!(text, "{customer} {cx} {cy} {demand} {ready} {due} 10").unwrap();
        }
        text
    }
}

/// The solver's view of a benchmark instance: parsed, validated, its matrix built.
pub fn solved(instance: crate::scientific::BenchmarkInstance) -> Solved {
    let mut request = instance.request;
    request.options = Some(crate::pb::SolveOptions {
        max_iterations: Some(1),
        ..request.options.unwrap_or_default()
    });
    let cancelled = AtomicBool::new(false);
    pipeline::solve(&request, &Budget::new(&cancelled), &|_| {}).unwrap()
}

/// [`solved`] of a Solomon-format text.
pub fn solomon(text: &str) -> Solved {
    solved(crate::scientific::parse_solomon(text).unwrap())
}

/// [`solved`] of a Li & Lim-format text.
pub fn lilim(text: &str) -> Solved {
    solved(crate::scientific::parse_lilim(text).unwrap())
}

/// A regret plan of `instance` (the first plan a search starts from).
pub fn regret_plan(instance: &Instance) -> State {
    let mut plan = State::empty(instance);
    let cancelled = AtomicBool::new(false);
    let mut workspace = Workspace::new(instance);
    regret(
        instance,
        &mut plan,
        &mut workspace,
        &Budget::new(&cancelled),
    );
    plan
}
