//! A search state → the domain [`Solution`]: tours with their schedules and unassigned
//! tasks with reasons.

use super::instance::Instance;
use super::reasons::reason;
use super::route::evaluate::{Scratch, evaluate};
use super::state::State;
use crate::domain::{Solution, Tour, Unassigned};

/// Builds the solution of a state (every route in it is feasible).
pub fn solution(instance: &Instance, state: &State) -> Solution {
    let mut scratch = Scratch::new(instance);
    let mut whole;
    let state = if instance.roles.is_empty() {
        state
    } else {
        // A leg without its partner serves nothing: out before the plan is written.
        whole = state.clone();
        super::moves::transfer::drop_orphans(instance, &mut whole, &mut scratch);
        &whole
    };
    let mut tours = Vec::new();
    let mut unassigned_tasks = state.unassigned.clone();
    for (vehicle, route) in state.routes.iter().enumerate() {
        if route.is_empty() {
            continue;
        }
        let mut steps = Vec::with_capacity(route.len() + 2);
        let Ok(figures) = evaluate(instance, vehicle, route, &mut scratch, Some(&mut steps)) else {
            // Never expected; if it happens, its tasks are reported, not lost.
            debug_assert!(false, "a route of the best state is infeasible");
            unassigned_tasks.extend(route.iter().map(|&stop| instance.stops[stop].task));
            continue;
        };
        tours.push(Tour {
            vehicle,
            shift: None,
            steps,
            figures,
            violations: Vec::new(),
        });
    }
    unassigned_tasks.sort_unstable();
    unassigned_tasks.dedup();
    let unassigned = unassigned_tasks
        .iter()
        .map(|&task| Unassigned {
            task,
            reason: reason(instance, task, &state.routes, &mut scratch),
        })
        .collect();
    let mut solution = Solution {
        tours,
        unassigned,
        ..Solution::default()
    };
    solution.summarise();
    solution
}
