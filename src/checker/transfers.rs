//! Transfers at a hub: a shipment whose steps carry a transfer leg is checked as two
//! shipments (the legs) by every other rule of the checker, and here across its two
//! tours: the shipment allows transfers, each leg has its pickup and delivery once,
//! the legs ride two tours, the first leg drops where the second picks up, at a
//! transfer point, and the second leg's pickup there starts no earlier than the drop's
//! end plus the handling time.

use super::finding::Finding;
use crate::domain::{
    Problem, Solution, StepKind, Task, TaskKind, TaskStop, TimeWindow, TourStep, TransferLeg,
};

/// A problem and solution where each transferred shipment is its first leg (at its
/// own index) and a second leg (appended), for the rules of single tours.
pub struct LegView {
    /// The problem with legs.
    pub problem: Problem,
    /// The solution with the second legs' steps renamed.
    pub solution: Solution,
}

/// The steps of one transferred shipment, by kind and leg, as (tour, step) indices.
#[derive(Default)]
struct Legs {
    first_pickup: Vec<(usize, usize)>,
    drop: Vec<(usize, usize)>,
    collect: Vec<(usize, usize)>,
    second_delivery: Vec<(usize, usize)>,
    direct: usize,
}

fn legs_of(problem: &Problem, solution: &Solution) -> Vec<Option<Legs>> {
    let mut legs: Vec<Option<Legs>> = (0..problem.tasks.len()).map(|_| None).collect();
    for step in solution.tours.iter().flat_map(|tour| &tour.steps) {
        if let Some(task) = step.task.filter(|&task| task < problem.tasks.len())
            && step.transfer_leg.is_some()
        {
            legs[task].get_or_insert_with(Legs::default);
        }
    }
    for (t, tour) in solution.tours.iter().enumerate() {
        for (s, step) in tour.steps.iter().enumerate() {
            let Some(entry) = step.task.and_then(|task| legs.get_mut(task)?.as_mut()) else {
                continue;
            };
            match (step.kind, step.transfer_leg) {
                (StepKind::Pickup, Some(TransferLeg::First)) => entry.first_pickup.push((t, s)),
                (StepKind::Delivery, Some(TransferLeg::First)) => entry.drop.push((t, s)),
                (StepKind::Pickup, Some(TransferLeg::Second)) => entry.collect.push((t, s)),
                (StepKind::Delivery, Some(TransferLeg::Second)) => {
                    entry.second_delivery.push((t, s))
                }
                _ => entry.direct += 1,
            }
        }
    }
    legs
}

fn step_at(solution: &Solution, (tour, step): (usize, usize)) -> &TourStep {
    &solution.tours[tour].steps[step]
}

/// The rules across the two tours of each transferred shipment.
pub fn check(problem: &Problem, solution: &Solution) -> Vec<Finding> {
    let mut findings = Vec::new();
    let step = |at: (usize, usize)| step_at(solution, at);
    for (task, legs) in legs_of(problem, solution).iter().enumerate() {
        let Some(legs) = legs else { continue };
        let place = format!("task[{}]", problem.tasks[task].id);
        let mut broken = |rule: String| findings.push(Finding::new(place.clone(), rule));
        if !problem.tasks[task].allow_transfer {
            broken("transferred, but the shipment does not allow transfers".into());
        }
        let counts = [
            legs.first_pickup.len(),
            legs.drop.len(),
            legs.collect.len(),
            legs.second_delivery.len(),
        ];
        if counts != [1, 1, 1, 1] || legs.direct != 0 {
            broken(format!(
                "a transferred shipment has one pickup and one delivery per leg and no \
                 other step; found {counts:?} by leg and {} unmarked",
                legs.direct
            ));
            continue;
        }
        if legs.drop[0].0 == legs.collect[0].0 {
            broken("both legs ride one tour: a transfer hands the goods to another".into());
        }
        let (drop, collect) = (step(legs.drop[0]), step(legs.collect[0]));
        if drop.site != collect.site {
            broken("the second leg picks up elsewhere than the first leg dropped".into());
        }
        let Some(point) = problem
            .transfer_points
            .iter()
            .find(|point| drop.site == Some(point.site))
        else {
            broken("the first leg drops at no transfer point".into());
            continue;
        };
        let open = |time_s: i64| {
            point.opening_windows.is_empty()
                || point.opening_windows.iter().any(|w| w.contains(time_s))
        };
        if !open(drop.service_start_s) || !open(collect.service_start_s) {
            broken("a leg starts at the transfer point outside its opening windows".into());
        }
        let ready_s = drop.service_start_s + drop.service_s + point.handling_s;
        if collect.service_start_s < ready_s {
            broken(format!(
                "the second leg's pickup starts at {} s, before the drop's end plus handling \
                 ({} s)",
                collect.service_start_s, ready_s
            ));
        }
    }
    findings
}

impl LegView {
    /// The view of a solution with transferred shipments, `None` when it has none.
    pub fn of(problem: &Problem, solution: &Solution) -> Option<LegView> {
        let legs = legs_of(problem, solution);
        if legs.iter().all(Option::is_none) {
            return None;
        }
        let mut view = LegView {
            problem: problem.clone(),
            solution: solution.clone(),
        };
        for (task, legs) in legs.iter().enumerate() {
            let Some(legs) = legs else { continue };
            let hub = legs.drop.first().and_then(|&at| step_at(solution, at).site);
            let reported = |steps: &[(usize, usize)]| {
                steps
                    .first()
                    .map(|&at| step_at(solution, at).service_start_s)
            };
            let handed_over = (reported(&legs.drop), reported(&legs.collect));
            let Some(second) = split(problem, task, hub, handed_over) else {
                continue;
            };
            view.problem.tasks[task] = second.0;
            let index = view.problem.tasks.len();
            view.problem.tasks.push(second.1);
            for &(t, s) in legs.collect.iter().chain(&legs.second_delivery) {
                view.solution.tours[t].steps[s].task = Some(index);
            }
        }
        Some(view)
    }
}

/// The two legs of shipment `task` through the site `hub` (the transfer point's hours,
/// none when the site is none). When the goods change van ties the two tours together,
/// so the replay of each takes it from the plan: the drop closes at its reported start
/// and the pickup opens at its own (`handed_over`), and [`check`] holds the one to the
/// other.
fn split(
    problem: &Problem,
    task: usize,
    hub: Option<usize>,
    handed_over: (Option<i64>, Option<i64>),
) -> Option<(Task, Task)> {
    let original = &problem.tasks[task];
    let TaskKind::Shipment {
        pickup,
        delivery,
        amount,
        max_time_on_board_s,
    } = &original.kind
    else {
        return None;
    };
    let hub = hub?;
    let windows = problem
        .transfer_points
        .iter()
        .find(|point| point.site == hub)
        .map(|point| point.opening_windows.clone())
        .unwrap_or_default();
    let at_hub = |time_windows| TaskStop {
        site: hub,
        service_s: problem.sites[hub].service_s,
        time_windows,
        soft: Vec::new(),
        description: String::new(),
    };
    let open = if windows.is_empty() {
        vec![TimeWindow::ALWAYS]
    } else {
        windows.clone()
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
    let dropped = clip(i64::MIN, handed_over.0.unwrap_or(crate::domain::HORIZON_S));
    let collected = clip(handed_over.1.unwrap_or(0), crate::domain::HORIZON_S);
    let leg = |id: String, from: &TaskStop, to: &TaskStop| Task {
        id,
        kind: TaskKind::Shipment {
            pickup: from.clone(),
            delivery: to.clone(),
            amount: amount.clone(),
            max_time_on_board_s: *max_time_on_board_s,
        },
        ..original.clone()
    };
    Some((
        leg(original.id.clone(), pickup, &at_hub(dropped)),
        leg(
            format!("{} (second leg)", original.id),
            &at_hub(collected),
            delivery,
        ),
    ))
}
