//! Transfers at a hub, as the search sees them: each shipment that allows a transfer
//! gets two extra tasks, its legs (pickup → drop at the transfer point, pickup there
//! → delivery), beside the shipment itself served direct. The search serves either the
//! shipment or both legs (`instance::transfers`, `moves::transfer`); [`Expansion::join`]
//! writes the legs back as steps of the shipment.
//!
//! The legs' precedence across two tours (the second leg's pickup starts after the
//! first leg's drop ends plus the handling time) is kept by a split time per shipment:
//! the drop starts by the split and the pickup after split + drop + handling, so each
//! route stays feasible on its own and no move has to re-time another route. The split
//! lies midway in the slack between the earliest arrival at the hub and the latest
//! departure that still meets the delivery, inside the fleet's shifts: a heuristic
//! choice, which the checker does not rely on (it checks the precedence itself).

use crate::domain::{
    HORIZON_S, Problem, Solution, Task, TaskKind, TaskStop, TimeWindow, TransferLeg, TransferPoint,
    TravelMatrix,
};

/// The tasks of one transferable shipment in the expanded problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Group {
    /// The shipment served direct (its index in the request's problem too).
    pub direct: usize,
    /// Pickup → drop at the transfer point.
    pub first: usize,
    /// Pickup at the transfer point → delivery.
    pub second: usize,
}

/// A problem whose transferable shipments have legs, and the way back.
pub struct Expansion {
    /// The request's tasks, then two legs per group.
    pub problem: Problem,
    /// One per shipment that may go through a transfer point.
    pub groups: Vec<Group>,
    /// Tasks of the request's problem.
    tasks: usize,
}

impl Expansion {
    /// The expansion of `problem`, or `None` when no shipment can be transferred
    /// (the search then runs on the problem as it is).
    pub fn of(problem: &Problem, matrices: &[TravelMatrix]) -> Option<Self> {
        if problem.transfer_points.is_empty() {
            return None;
        }
        let matrix = matrices.first()?;
        let mut tasks = problem.tasks.clone();
        let mut groups = Vec::new();
        for (index, task) in problem.tasks.iter().enumerate() {
            let Some((first, second)) = legs(problem, matrix, task) else {
                continue;
            };
            groups.push(Group {
                direct: index,
                first: tasks.len(),
                second: tasks.len() + 1,
            });
            tasks.push(first);
            tasks.push(second);
        }
        if groups.is_empty() {
            return None;
        }
        let count = problem.tasks.len();
        let problem = Problem {
            tasks,
            ..problem.clone()
        };
        Some(Expansion {
            problem,
            groups,
            tasks: count,
        })
    }

    /// Rewrites a solution of the expanded problem as one of the request's: each leg's
    /// steps become the shipment's, marked with their leg, and only the request's tasks
    /// that neither way serves stay unassigned.
    pub fn join(&self, solution: &mut Solution) {
        let mut transferred = vec![false; self.tasks];
        for step in solution.tours.iter_mut().flat_map(|tour| &mut tour.steps) {
            let Some(task) = step.task else { continue };
            let Some(extra) = task.checked_sub(self.tasks) else {
                continue;
            };
            let Some(group) = self.groups.get(extra / 2) else {
                continue;
            };
            step.task = Some(group.direct);
            step.transfer_leg = Some(if extra % 2 == 0 {
                TransferLeg::First
            } else {
                TransferLeg::Second
            });
            transferred[group.direct] = true;
        }
        solution
            .unassigned
            .retain(|entry| entry.task < self.tasks && !transferred[entry.task]);
        solution.summarise();
    }
}

/// The two legs of `task` through its best transfer point (least travel through it),
/// or `None` when it is not a transferable shipment or no transfer point fits.
fn legs(problem: &Problem, matrix: &TravelMatrix, task: &Task) -> Option<(Task, Task)> {
    let TaskKind::Shipment {
        pickup,
        delivery,
        amount,
        max_time_on_board_s: None,
    } = &task.kind
    else {
        return None;
    };
    if !task.allow_transfer {
        return None;
    }
    let location = |site: usize| problem.sites[site].matrix_index;
    let via = |point: &TransferPoint| {
        let hub = location(point.site);
        matrix
            .duration_s(location(pickup.site), hub)
            .saturating_add(matrix.duration_s(hub, location(delivery.site)))
    };
    let (drop, collect) = problem
        .transfer_points
        .iter()
        .filter(|point| point.site != pickup.site && point.site != delivery.site)
        .filter_map(|point| {
            Some((
                via(point),
                split(problem, matrix, (pickup, delivery), point)?,
            ))
        })
        .min_by_key(|(through_s, _)| *through_s)?
        .1;
    let leg = |suffix: &str, from: TaskStop, to: TaskStop| Task {
        id: format!("{}~{suffix}", task.id),
        kind: TaskKind::Shipment {
            pickup: from,
            delivery: to,
            amount: amount.clone(),
            max_time_on_board_s: None,
        },
        allow_transfer: false,
        ..task.clone()
    };
    Some((
        leg("first", pickup.clone(), drop),
        leg("second", collect, delivery.clone()),
    ))
}

/// The drop and pickup stops at `point` for a shipment from `ends.0` to `ends.1`,
/// split in time (see the module's documentation), or `None` when no split leaves both
/// legs a window.
fn split(
    problem: &Problem,
    matrix: &TravelMatrix,
    (pickup, delivery): (&TaskStop, &TaskStop),
    point: &TransferPoint,
) -> Option<(TaskStop, TaskStop)> {
    let hub = &problem.sites[point.site];
    let location = |site: usize| problem.sites[site].matrix_index;
    let shift_start_s = problem.vehicles.iter().map(|v| v.shift.start_s).min()?;
    let shift_end_s = problem.vehicles.iter().map(|v| v.shift.end_s).max()?;
    let opens_s = pickup.time_windows.first().map_or(0, |w| w.start_s);
    let closes_s = delivery.time_windows.last().map_or(HORIZON_S, |w| w.end_s);
    let earliest_drop_s = opens_s.max(shift_start_s)
        + pickup.service_s
        + matrix.duration_s(location(pickup.site), hub.matrix_index);
    let latest_collect_s = closes_s.min(shift_end_s)
        - matrix.duration_s(hub.matrix_index, location(delivery.site))
        - hub.setup_s
        - hub.service_s;
    let gap_s = hub.setup_s + hub.service_s + point.handling_s;
    let slack_s = latest_collect_s - earliest_drop_s - gap_s;
    if slack_s < 0 {
        return None;
    }
    let split_s = earliest_drop_s + slack_s / 2;
    let open = if point.opening_windows.is_empty() {
        vec![TimeWindow::ALWAYS]
    } else {
        point.opening_windows.clone()
    };
    let clip = |from_s: i64, to_s: i64| -> Vec<TimeWindow> {
        open.iter()
            .map(|w| TimeWindow {
                start_s: w.start_s.max(from_s),
                end_s: w.end_s.min(to_s),
            })
            .filter(|w| w.start_s <= w.end_s)
            .collect()
    };
    let drop_windows = clip(0, split_s);
    let collect_windows = clip(split_s + gap_s, HORIZON_S);
    if drop_windows.is_empty() || collect_windows.is_empty() {
        return None;
    }
    let stop = |time_windows| TaskStop {
        site: point.site,
        service_s: hub.service_s,
        time_windows,
        soft: Vec::new(),
        description: String::new(),
    };
    Some((stop(drop_windows), stop(collect_windows)))
}
