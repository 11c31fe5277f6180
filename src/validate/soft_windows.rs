//! Soft time windows of task stops: the allowed lateness and earliness of each window
//! and their prices, read into `domain::Softness`. Only a task stop's own windows may be
//! soft: a site's opening hours (also a hub's, for reloads), a shift and a break stay
//! hard, so a soft field there is a violation rather than silently ignored (the
//! collector's `window` refuses it). The penalty is a cost, so soft windows need a
//! cost objective.

use super::violation::{Code, Collector, is_soft};
use crate::domain::{HORIZON_S, Objective, Softness, Task, TaskKind, TimeWindow, micro_currency};
use crate::pb;

/// Highest price of a deviation, currency units per hour.
const MAX_COST_PER_HOUR: f64 = 1e9;

/// A task stop's windows at `field` (its `time_windows`) with their allowances, sorted
/// by start. Soft windows are kept apart, not merged, so each keeps its own prices;
/// they must not overlap, so that the window a service starts in is unique. `None`
/// when every window is hard: the caller then merges them as usual.
pub fn stop_windows(
    collector: &mut Collector,
    field: &str,
    windows: &[pb::TimeWindow],
) -> Option<(Vec<TimeWindow>, Vec<Softness>)> {
    if !windows.iter().any(is_soft) {
        return None;
    }
    let mut pairs: Vec<(TimeWindow, Softness)> = windows
        .iter()
        .enumerate()
        .map(|(index, window)| {
            let field = format!("{field}[{index}]");
            let bounds = collector.window_bounds(field.clone(), window);
            (bounds, softness(collector, &field, window))
        })
        .collect();
    pairs.sort_by_key(|(window, _)| *window);
    if pairs.windows(2).any(|w| w[1].0.start_s <= w[0].0.end_s) {
        collector.push(
            Code::SoftWindow,
            field,
            "soft windows of one stop must not overlap; give each its own span",
        );
    }
    Some(pairs.into_iter().unzip())
}

/// The allowances of one window at `field`.
fn softness(collector: &mut Collector, field: &str, window: &pb::TimeWindow) -> Softness {
    let (max_late_s, late_per_hour_micro) = side(
        collector,
        field,
        ("max_late_s", window.max_late_s),
        ("late_cost_per_hour", window.late_cost_per_hour),
    );
    let (max_early_s, early_per_hour_micro) = side(
        collector,
        field,
        ("max_early_s", window.max_early_s),
        ("early_cost_per_hour", window.early_cost_per_hour),
    );
    if window.end_s.saturating_add(max_late_s) > HORIZON_S {
        collector.push(
            Code::OutOfRange,
            format!("{field}.max_late_s"),
            format!("end_s + max_late_s must not exceed {HORIZON_S}"),
        );
    }
    if max_early_s > window.start_s.max(0) {
        collector.push(
            Code::OutOfRange,
            format!("{field}.max_early_s"),
            "start_s - max_early_s must not fall before 0",
        );
    }
    Softness {
        max_early_s,
        early_per_hour_micro,
        max_late_s,
        late_per_hour_micro,
    }
}

/// One side (late or early): a non-negative maximum and a price per hour that come
/// together, both set or both zero (a free deviation would be a wider window; a price
/// with no allowance would never be paid).
fn side(
    collector: &mut Collector,
    field: &str,
    (max_name, max_s): (&str, i64),
    (cost_name, cost_per_hour): (&str, f64),
) -> (i64, i64) {
    let max_s = collector.non_negative(format!("{field}.{max_name}"), max_s);
    let cost_field = format!("{field}.{cost_name}");
    if !cost_per_hour.is_finite() || cost_per_hour > MAX_COST_PER_HOUR {
        collector.push(
            Code::OutOfRange,
            cost_field,
            format!("a finite price of at most {MAX_COST_PER_HOUR} per hour"),
        );
        return (0, 0);
    }
    if cost_per_hour < 0.0 {
        collector.push(Code::Negative, cost_field, "a price of 0 or more per hour");
        return (0, 0);
    }
    match (max_s > 0, cost_per_hour > 0.0) {
        (true, false) => collector.push(
            Code::SoftWindow,
            cost_field,
            format!("{max_name} is set: give its price per hour (above 0)"),
        ),
        (false, true) => collector.push(
            Code::SoftWindow,
            format!("{field}.{max_name}"),
            format!("{cost_name} is set: give the most seconds it allows (above 0)"),
        ),
        _ => {}
    }
    (max_s, micro_currency(cost_per_hour))
}

/// Soft windows are priced in currency: a distance or duration objective cannot weigh
/// them, so such a request is refused at `options.objective`.
pub fn objective(collector: &mut Collector, objective: Objective, tasks: &[Task]) {
    let any_soft = tasks.iter().any(|task| match &task.kind {
        TaskKind::Shipment {
            pickup, delivery, ..
        } => !pickup.soft.is_empty() || !delivery.soft.is_empty(),
        TaskKind::Job { stop, .. } => !stop.soft.is_empty(),
    });
    if any_soft && matches!(objective, Objective::Distance | Objective::Duration) {
        collector.push(
            Code::SoftWindow,
            "options.objective",
            "soft time windows are priced in currency: use OBJECTIVE_COST or OBJECTIVE_VEHICLES",
        );
    }
}
