//! Reports for people: the plan as text (tours, stops, times, loads, totals).

mod text;

pub use text::{clock, plan_text};
