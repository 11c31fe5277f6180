//! Effort levels: how long, and how patiently, a search runs when the request does not
//! say (the `effort` option, like VROOM's `-x`). Each level stops after a number of
//! iterations without a new best and, without a time limit, within a time budget; both
//! grow with the instance (per 100 tasks, counting at least 10), so a 1,000-task round
//! gets ten times the patience of a 100-task one, and a 10-task file a tenth: VROOM's
//! `-x 5` answers such a file in a second, and so must its drop-in. A time limit the request gives is used whole:
//! the search then stops on stagnation only when an effort level is given too.

/// The level of a request that names none: today's 2,000 iterations and 5 s at 100 tasks.
pub const DEFAULT_EFFORT: u32 = 2;

/// Per level: iterations without improvement, and seconds, per 100 tasks.
const LEVELS: [(u64, u64); 6] = [
    (500, 1),
    (1_000, 2),
    (2_000, 5),
    (5_000, 10),
    (20_000, 30),
    (100_000, 60),
];

/// The highest level.
pub const MAX_EFFORT: u32 = LEVELS.len() as u32 - 1;

/// The time limit (milliseconds, at most `max_time_limit_ms`) and the stagnation stop
/// of a search over `tasks` tasks, from the request's time limit and effort level
/// (`effort` already checked to be at most [`MAX_EFFORT`]).
pub fn budgets(
    time_limit_ms: Option<u64>,
    effort: Option<u32>,
    tasks: usize,
    max_time_limit_ms: u64,
) -> (u64, Option<u64>) {
    let hundreds = (tasks as f64 / 100.0).max(0.1);
    let level = |effort: u32| LEVELS[(effort.min(MAX_EFFORT)) as usize];
    let stagnation = |effort: u32| Some((level(effort).0 as f64 * hundreds).round() as u64);
    match time_limit_ms {
        Some(given) => (given, effort.and_then(stagnation)),
        None => {
            let effort = effort.unwrap_or(DEFAULT_EFFORT);
            let seconds = level(effort).1 as f64 * hundreds;
            let time_limit_ms = ((seconds * 1000.0).round() as u64).min(max_time_limit_ms);
            (time_limit_ms, stagnation(effort))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_scale_with_the_instance_and_a_given_limit_is_used_whole() {
        let hour = 3_600_000;
        // A small instance gets patience in proportion, down to ten tasks' worth.
        assert_eq!(budgets(None, None, 18, hour), (900, Some(360)));
        assert_eq!(budgets(None, Some(5), 3, hour), (6_000, Some(10_000)));
        assert_eq!(budgets(None, Some(0), 100, hour), (1_000, Some(500)));
        assert_eq!(budgets(None, Some(3), 1_000, hour), (100_000, Some(50_000)));
        assert_eq!(
            budgets(None, Some(5), 10_000, hour),
            (hour, Some(10_000_000))
        );
        assert_eq!(budgets(Some(10_000), None, 100, hour), (10_000, None));
        assert_eq!(
            budgets(Some(10_000), Some(1), 200, hour),
            (10_000, Some(2_000))
        );
    }
}
