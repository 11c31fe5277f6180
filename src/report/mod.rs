//! Reports for people: the plan as text (tours, stops, times, loads, totals) and the
//! pooling report as a table.

mod pooling_table;
mod text;

pub use pooling_table::pooling_text;
pub use text::{clock, plan_text};
