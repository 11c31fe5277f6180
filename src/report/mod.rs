//! Reports for people: the plan as text (tours, stops, times, loads, totals), as an
//! SVG map, and the pooling report as a table and as a CSV statement.

mod map_svg;
mod pooling_csv;
mod pooling_table;
mod text;

pub use map_svg::map_svg;
pub use pooling_csv::pooling_csv;
pub use pooling_table::pooling_text;
pub use text::{clock, plan_text};
