//! Time windows, in seconds from the problem's reference instant.

/// Latest time the problem can speak of, seconds: an "always open" window ends here.
/// Far below `i64::MAX` so sums of times never overflow.
pub const HORIZON_S: i64 = 1 << 40;

/// A closed interval `[start_s, end_s]` of seconds from the reference instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct TimeWindow {
    /// Earliest time, seconds.
    pub start_s: i64,
    /// Latest time, seconds.
    pub end_s: i64,
}

impl TimeWindow {
    /// The window that is always open.
    pub const ALWAYS: TimeWindow = TimeWindow {
        start_s: 0,
        end_s: HORIZON_S,
    };

    /// Whether `time_s` lies inside the window.
    pub fn contains(&self, time_s: i64) -> bool {
        self.start_s <= time_s && time_s <= self.end_s
    }
}

/// Earliest service start at or after `arrival_s` inside one of `windows` (sorted by
/// start), or `None` when every window has closed. Empty `windows` means always open.
pub fn earliest_start_s(windows: &[TimeWindow], arrival_s: i64) -> Option<i64> {
    earliest_window_s(windows, arrival_s).map(|(start_s, _)| start_s)
}

/// Like [`earliest_start_s`], with the end of the window used (`HORIZON_S` when
/// always open).
pub fn earliest_window_s(windows: &[TimeWindow], arrival_s: i64) -> Option<(i64, i64)> {
    if windows.is_empty() {
        return Some((arrival_s, HORIZON_S.max(arrival_s)));
    }
    windows
        .iter()
        .find(|window| window.end_s >= arrival_s)
        .map(|window| (arrival_s.max(window.start_s), window.end_s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_wait_for_the_next_window() {
        let windows = [
            TimeWindow {
                start_s: 10,
                end_s: 20,
            },
            TimeWindow {
                start_s: 40,
                end_s: 50,
            },
        ];
        assert_eq!(earliest_start_s(&windows, 5), Some(10));
        assert_eq!(earliest_start_s(&windows, 15), Some(15));
        assert_eq!(earliest_start_s(&windows, 21), Some(40));
        assert_eq!(earliest_start_s(&windows, 51), None);
        assert_eq!(earliest_start_s(&[], 51), Some(51));
    }
}
