//! Soft time windows: how far a task stop's window may be missed, and what missing it
//! costs. Google Route Optimization's `soft_start_time` / `soft_end_time` with a cost per
//! hour before and after, and OR-Tools' soft cumul bounds, in our integer units: the
//! window `[start_s, end_s]` is where service should start; service may start up to
//! `max_early_s` before it and up to `max_late_s` after it, each second priced at a
//! rate per hour in micro-currency. A window with no allowance is hard (the default).

use super::time_window::TimeWindow;

/// The allowances of one window; all zero: a hard window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Softness {
    /// Most seconds service may start before the window opens.
    pub max_early_s: i64,
    /// Price of starting early, micro-currency per hour.
    pub early_per_hour_micro: i64,
    /// Most seconds service may start after the window closes.
    pub max_late_s: i64,
    /// Price of starting late, micro-currency per hour.
    pub late_per_hour_micro: i64,
}

impl Softness {
    /// A hard window: no earliness, no lateness.
    pub const HARD: Softness = Softness {
        max_early_s: 0,
        early_per_hour_micro: 0,
        max_late_s: 0,
        late_per_hour_micro: 0,
    };

    /// Whether the window allows no deviation at all.
    pub fn is_hard(&self) -> bool {
        self.max_early_s == 0 && self.max_late_s == 0
    }

    /// Price of starting `early_s` before and `late_s` after the window, micro-currency:
    /// each part rounded to the nearest micro-unit. The one penalty formula of the crate:
    /// the solver and the checker both price deviations with it.
    pub fn penalty_micro(&self, early_s: i64, late_s: i64) -> i64 {
        let per = |rate: i64, seconds: i64| -> i64 {
            let numerator = i128::from(rate) * i128::from(seconds);
            (numerator + 1800).div_euclid(3600).clamp(0, 1 << 53) as i64
        };
        per(self.early_per_hour_micro, early_s)
            .saturating_add(per(self.late_per_hour_micro, late_s))
    }
}

/// Where service starts in a stop's soft windows, and how far from its window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SoftStart {
    /// Service start, seconds.
    pub start_s: i64,
    /// End of the window it starts in (its soft end), seconds.
    pub window_end_s: i64,
    /// Seconds before the window opens (0 when not early).
    pub early_s: i64,
    /// Seconds after the window closes (0 when not late).
    pub late_s: i64,
    /// What the deviation costs, micro-currency.
    pub penalty_micro: i64,
}

/// The service start of a vehicle arriving at `arrival_s` at a stop with `windows`
/// (sorted) and their `soft` allowances (one per window): in the first window whose
/// latest start (its end plus its lateness) is not passed, as early as allowed. When
/// the vehicle is early, it waits for the window to open, or with `serve_early` starts
/// at once if the window's earliness allows (else waits until it does). `None` when
/// every window's latest start has passed.
pub fn soft_start(
    windows: &[TimeWindow],
    soft: &[Softness],
    arrival_s: i64,
    serve_early: bool,
) -> Option<SoftStart> {
    let (window, softness) = windows
        .iter()
        .zip(soft)
        .find(|(window, softness)| window.end_s + softness.max_late_s >= arrival_s)?;
    let start_s = if serve_early {
        arrival_s.max(window.start_s - softness.max_early_s)
    } else {
        arrival_s.max(window.start_s)
    };
    let early_s = (window.start_s - start_s).max(0);
    let late_s = (start_s - window.end_s).max(0);
    Some(SoftStart {
        start_s,
        window_end_s: window.end_s,
        early_s,
        late_s,
        penalty_micro: softness.penalty_micro(early_s, late_s),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const WINDOW: TimeWindow = TimeWindow {
        start_s: 100,
        end_s: 200,
    };
    const SOFT: Softness = Softness {
        max_early_s: 50,
        early_per_hour_micro: 3_600_000,
        max_late_s: 60,
        late_per_hour_micro: 7_200_000,
    };

    #[test]
    fn late_within_the_allowance_pays_per_second() {
        let start = soft_start(&[WINDOW], &[SOFT], 230, false).unwrap();
        assert_eq!((start.start_s, start.late_s, start.early_s), (230, 30, 0));
        assert_eq!(start.penalty_micro, 60_000);
        assert_eq!(soft_start(&[WINDOW], &[SOFT], 261, false), None);
    }

    #[test]
    fn early_service_only_when_asked_and_within_the_allowance() {
        let waits = soft_start(&[WINDOW], &[SOFT], 70, false).unwrap();
        assert_eq!((waits.start_s, waits.penalty_micro), (100, 0));
        let early = soft_start(&[WINDOW], &[SOFT], 70, true).unwrap();
        assert_eq!(
            (early.start_s, early.early_s, early.penalty_micro),
            (70, 30, 30_000)
        );
        let too_early = soft_start(&[WINDOW], &[SOFT], 10, true).unwrap();
        assert_eq!((too_early.start_s, too_early.early_s), (50, 50));
    }
}
