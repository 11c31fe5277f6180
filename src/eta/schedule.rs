//! When a given route's steps are served, chosen as VROOM 1.15's `choose_ETA` chooses
//! (a linear program there too): first the fewest seconds of violation (service before
//! its window opens, `lead_time`, or after it closes, `delay`; leaving before the shift
//! or ending after it), then the shortest working time, then every step as early as
//! possible. Three small linear programs, one per level, each keeping the optimum of
//! the one before (microlp's simplex: its answers are vertices, integers here since
//! every constraint is a difference of two times). The window of each step is the one
//! the earliest drive reached (VROOM chooses among them too; with one window per step
//! the two agree).

use good_lp::{
    Expression, ProblemVariables, Solution, SolverModel, Variable, constraint, microlp, variable,
};

use crate::domain::{HORIZON_S, TimeWindow};

/// A step as the program sees it.
#[derive(Debug, Clone, Copy)]
pub struct Slot {
    /// Drive from the previous place, seconds.
    pub leg_s: i64,
    /// Setup + service (a break's duration), seconds.
    pub action_s: i64,
    /// The window: service starting before `open_s` is early, after `close_s` late.
    pub open_s: i64,
    /// See `open_s`.
    pub close_s: i64,
    /// Hard bounds of the service start (`service_at`, `_after`, `_before`).
    pub after_s: Option<i64>,
    /// See `after_s`.
    pub before_s: Option<i64>,
}

/// How a route is driven: when it leaves, and each step's service start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Times {
    /// Departure from the start, seconds.
    pub departure_s: i64,
    /// Per step, its service start, seconds.
    pub starts_s: Vec<i64>,
}

/// Finite stand-in for an always-open bound: no constraint is written past it.
const OPEN: i64 = HORIZON_S / 2;

/// The times of `slots` for a vehicle with `shift` whose last leg to its end takes
/// `end_leg_s`; `None` when the program has no answer (hard bounds that cannot all
/// hold), and the caller keeps its earliest drive.
pub fn choose(shift: TimeWindow, slots: &[Slot], end_leg_s: i64) -> Option<Times> {
    let program = Program::new(shift, slots, end_leg_s);
    let violation = program.solve(program.violation(), &[])?;
    let fixed_violation = (program.violation(), violation.0);
    let makespan = program.solve(program.makespan(), std::slice::from_ref(&fixed_violation))?;
    let all_times = program
        .times
        .iter()
        .fold(Expression::from(0), |sum, &t| sum + t);
    let (_, values) = program.solve(
        all_times,
        &[fixed_violation, (program.makespan(), makespan.0)],
    )?;
    let round = |value: f64| value.round() as i64;
    Some(Times {
        departure_s: round(values[0]),
        starts_s: values[1..=slots.len()].iter().map(|&v| round(v)).collect(),
    })
}

/// The program's variables and constraints, shared by the three levels.
struct Program<'a> {
    shift: TimeWindow,
    slots: &'a [Slot],
    end_leg_s: i64,
    /// Departure, each step's start, arrival at the end.
    times: Vec<Variable>,
    /// Earliness and lateness of each time (the departure's and the end's included).
    early: Vec<Variable>,
    late: Vec<Variable>,
    variables: ProblemVariables,
}

impl<'a> Program<'a> {
    fn new(shift: TimeWindow, slots: &'a [Slot], end_leg_s: i64) -> Self {
        let mut variables = ProblemVariables::new();
        let count = slots.len() + 2;
        let bound = OPEN as f64;
        let times = (0..count)
            .map(|_| variables.add(variable().min(0.0).max(bound)))
            .collect();
        let mut violations = || {
            (0..count)
                .map(|_| variables.add(variable().min(0.0).max(bound)))
                .collect::<Vec<_>>()
        };
        let (early, late) = (violations(), violations());
        Program {
            shift,
            slots,
            end_leg_s,
            times,
            early,
            late,
            variables,
        }
    }

    fn violation(&self) -> Expression {
        self.early
            .iter()
            .chain(&self.late)
            .fold(Expression::from(0), |sum, &v| sum + v)
    }

    fn makespan(&self) -> Expression {
        self.times[self.times.len() - 1] - self.times[0]
    }

    /// Minimises `objective` with each (expression, value) of `kept` held at its value;
    /// the optimum and every time.
    fn solve(&self, objective: Expression, kept: &[(Expression, f64)]) -> Option<(f64, Vec<f64>)> {
        let mut rows = Vec::new();
        let (t, early, late) = (&self.times, &self.early, &self.late);
        let n = self.slots.len();
        // Windows: the departure within the shift's start, the end within its end.
        let windows = std::iter::once((self.shift.start_s, OPEN))
            .chain(self.slots.iter().map(|s| (s.open_s, s.close_s)))
            .chain(std::iter::once((i64::MIN, self.shift.end_s)));
        for (i, (open_s, close_s)) in windows.enumerate() {
            if open_s > 0 && open_s < OPEN {
                rows.push(constraint!(early[i] + t[i] >= open_s as f64));
            }
            if close_s < OPEN {
                rows.push(constraint!(t[i] - late[i] <= close_s as f64));
            }
        }
        for (i, slot) in self.slots.iter().enumerate() {
            let previous_action = if i == 0 {
                0
            } else {
                self.slots[i - 1].action_s
            };
            let gap = (previous_action + slot.leg_s) as f64;
            rows.push(constraint!(t[i + 1] - t[i] >= gap));
            if let Some(after_s) = slot.after_s {
                rows.push(constraint!(t[i + 1] >= after_s as f64));
            }
            if let Some(before_s) = slot.before_s {
                rows.push(constraint!(t[i + 1] <= before_s as f64));
            }
        }
        let last_action = self.slots.last().map_or(0, |s| s.action_s);
        rows.push(constraint!(
            t[n + 1] - t[n] >= (last_action + self.end_leg_s) as f64
        ));
        for (expression, value) in kept {
            // A rounding error's slack, not a second: a later level must not buy one
            // second of its own with one of this level's.
            let slack = 1e-7 * (1.0 + value.abs());
            rows.push(constraint!(expression.clone() <= value + slack));
        }
        let variables = self.variables.clone();
        let solved = variables
            .minimise(objective.clone())
            .using(microlp)
            .with_all(rows)
            .solve()
            .ok()?;
        let values = t.iter().map(|&v| solved.value(v)).collect();
        Some((objective.eval_with(&solved), values))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slot(leg_s: i64, open_s: i64, close_s: i64) -> Slot {
        Slot {
            leg_s,
            action_s: 300,
            open_s,
            close_s,
            after_s: None,
            before_s: None,
        }
    }

    #[test]
    fn an_early_stop_spares_a_later_delay_and_the_day_starts_no_earlier_than_needed() {
        let shift = TimeWindow {
            start_s: 0,
            end_s: 20_000,
        };
        // Served at its opening (2,000 s) the first stop makes the second 100 s late;
        // 100 s early costs the same and shortens nothing, but serves earlier.
        let slots = [slot(600, 2000, 3000), slot(300, 0, 2500)];
        let times = choose(shift, &slots, 900).unwrap();
        assert_eq!(times.starts_s, [1900, 2500]);
        assert_eq!(times.departure_s, 1300);
        // Nothing to trade: the van leaves just in time, no waiting.
        let slots = [slot(600, 5000, 6000)];
        let times = choose(shift, &slots, 600).unwrap();
        assert_eq!((times.departure_s, times.starts_s[0]), (4400, 5000));
        // Hard bounds that cannot hold: no answer, the caller drives as early as it can.
        let mut bounded = slot(600, 0, 100_000);
        bounded.before_s = Some(100);
        assert_eq!(choose(shift, &[bounded], 600), None);
    }
}
