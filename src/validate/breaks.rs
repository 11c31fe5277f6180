//! A vehicle's driver breaks: ids unique per vehicle, windows well formed, duration
//! not negative, `max_load` in the capacity's dimensions. Its own file because a
//! break is an object of its own inside a vehicle, with its own field paths.

use std::collections::HashSet;

use super::violation::{Code, Collector};
use crate::domain::Break;
use crate::pb;

/// Validates `field.breaks`; returns them in the order a tour takes them: by their
/// first window's start (an always-open break first), then as given.
pub fn breaks(
    collector: &mut Collector,
    field: &str,
    breaks: &[pb::Break],
    dimensions: usize,
) -> Vec<Break> {
    let mut seen = HashSet::new();
    let mut out: Vec<Break> = breaks
        .iter()
        .enumerate()
        .map(|(index, given)| {
            let field = format!("{field}.breaks[{index}]");
            if given.id.is_empty() {
                collector.push(
                    Code::Missing,
                    format!("{field}.id"),
                    "give every break a non-empty id",
                );
            } else if !seen.insert(given.id.as_str()) {
                collector.push(
                    Code::DuplicateId,
                    format!("{field}.id"),
                    format!("break id {:?} is used twice on this vehicle", given.id),
                );
            }
            one(collector, &field, given, dimensions)
        })
        .collect();
    out.sort_by_key(|b| b.windows.first().map_or(0, |w| w.start_s));
    out
}

/// One break at `field`.
fn one(collector: &mut Collector, field: &str, given: &pb::Break, dimensions: usize) -> Break {
    let max_load = if given.max_load.is_empty() {
        None
    } else {
        Some(collector.amount(&format!("{field}.max_load"), &given.max_load, dimensions))
    };
    Break {
        id: given.id.clone(),
        description: collector.description(field, &given.description),
        windows: collector.windows(&format!("{field}.windows"), &given.windows),
        duration_s: collector.non_negative(format!("{field}.duration_s"), given.duration_s),
        max_load,
    }
}
