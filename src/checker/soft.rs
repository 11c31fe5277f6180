//! The soft-window rule, re-derived for the checker: where a stop with soft windows
//! starts its service after arriving, how late or early that is, and the penalty. The
//! contract: service starts in the first window whose latest start (end plus its
//! maximum lateness) the arrival has not passed; an early vehicle waits for the window
//! to open, or, on a tour that serves early, starts at once as far as the window's
//! maximum earliness allows. Written apart from the solver's `domain::soft_start` so
//! that a slip in either shows; only the price formula (`Softness::penalty_micro`)
//! is shared, as the cost formula is.

use crate::domain::{Softness, TimeWindow};

/// A service start in a soft window.
#[derive(Debug, Clone, Copy)]
pub(super) struct Start {
    pub start_s: i64,
    /// The window's (soft) end.
    pub end_s: i64,
    pub late_s: i64,
    pub early_s: i64,
    pub penalty_micro: i64,
}

/// Why no window takes the arrival: the last window's end and maximum lateness.
pub(super) struct TooLate {
    pub end_s: i64,
    pub max_late_s: i64,
}

/// The service start of an arrival at `arrival_s` in `windows` with their `soft`
/// allowances (one each).
pub(super) fn start(
    windows: &[TimeWindow],
    soft: &[Softness],
    arrival_s: i64,
    serve_early: bool,
) -> Result<Start, TooLate> {
    let mut last = TooLate {
        end_s: i64::MIN,
        max_late_s: 0,
    };
    for (window, allowance) in windows.iter().zip(soft) {
        let latest_start_s = window.end_s + allowance.max_late_s;
        if arrival_s > latest_start_s {
            last = TooLate {
                end_s: window.end_s,
                max_late_s: allowance.max_late_s,
            };
            continue;
        }
        let opens_s = if serve_early {
            window.start_s - allowance.max_early_s
        } else {
            window.start_s
        };
        let start_s = if arrival_s < opens_s {
            opens_s
        } else {
            arrival_s
        };
        let late_s = if start_s > window.end_s {
            start_s - window.end_s
        } else {
            0
        };
        let early_s = if start_s < window.start_s {
            window.start_s - start_s
        } else {
            0
        };
        return Ok(Start {
            start_s,
            end_s: window.end_s,
            late_s,
            early_s,
            penalty_micro: allowance.penalty_micro(early_s, late_s),
        });
    }
    Err(last)
}
