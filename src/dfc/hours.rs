//! Wall-clock times → seconds from the planning day's local midnight (t0), through the
//! IANA time-zone database: a DST day is 23 h or 25 h long, so "open 08:00–19:00" is
//! not 39,600 s after t0 on every day of the year. Weekly opening hours
//! (`schema:OpeningHoursSpecification`) become the day's windows here, and dates are
//! read as RFC 3339 or in OFN's `"Thu Aug 22 2024 05:40:38 UTC"` form.

use chrono::{
    DateTime, Datelike, Duration, FixedOffset, LocalResult, NaiveDate, NaiveDateTime,
    SecondsFormat, TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;

use super::graph::{Graph, Node};
use super::terms::{CLOSES, DAY_OF_WEEK, OPENS, Term, VALID_FROM, VALID_THROUGH};
use crate::validate::{Code, Collector};

/// Seconds in a day of 24 hours (wall-clock times are seconds of the day, 0..=86,400).
const DAY_S: i64 = 86_400;

/// The planning day in its time zone.
#[derive(Debug, Clone)]
pub struct Day {
    /// The local date.
    pub date: NaiveDate,
    /// The time zone.
    pub zone: Tz,
    /// Local midnight of `date`: every time of the request counts seconds from it.
    pub t0: DateTime<Tz>,
    /// From t0 to the next local midnight, seconds (82,800 or 90,000 on DST days).
    pub length_s: i64,
}

impl Day {
    /// The day `date` in `zone`.
    pub fn new(date: NaiveDate, zone: Tz) -> Day {
        let t0 = resolve(zone, date.and_time(chrono::NaiveTime::MIN));
        let next = date.succ_opt().unwrap_or(date);
        let end = resolve(zone, next.and_time(chrono::NaiveTime::MIN));
        Day {
            date,
            zone,
            t0,
            length_s: (end - t0).num_seconds(),
        }
    }

    /// Seconds from t0 to `seconds_of_day` after midnight of `date`, local time.
    pub fn seconds_at(&self, date: NaiveDate, seconds_of_day: i64) -> i64 {
        let local = date.and_time(chrono::NaiveTime::MIN) + Duration::seconds(seconds_of_day);
        (resolve(self.zone, local) - self.t0).num_seconds()
    }

    /// Seconds from t0 to an instant.
    pub fn seconds_of(&self, instant: &DateTime<FixedOffset>) -> i64 {
        (instant.with_timezone(&Utc) - self.t0.with_timezone(&Utc)).num_seconds()
    }

    /// The local date of an instant.
    pub fn local_date(zone: Tz, instant: &DateTime<FixedOffset>) -> NaiveDate {
        instant.with_timezone(&zone).date_naive()
    }

    /// `seconds` from t0 as a local RFC 3339 time with its offset.
    pub fn local(&self, seconds: i64) -> String {
        (self.t0 + Duration::seconds(seconds)).to_rfc3339_opts(SecondsFormat::Secs, false)
    }
}

/// A local time as an instant: the earlier of an ambiguous hour (fall back), the first
/// instant after a skipped one (spring forward).
fn resolve(zone: Tz, local: NaiveDateTime) -> DateTime<Tz> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(instant) | LocalResult::Ambiguous(instant, _) => instant,
        LocalResult::None => match zone.from_local_datetime(&(local + Duration::hours(1))) {
            LocalResult::Single(instant) | LocalResult::Ambiguous(instant, _) => instant,
            LocalResult::None => zone.from_utc_datetime(&local),
        },
    }
}

/// An RFC 3339 date-time, or OFN's `"Thu Aug 22 2024 05:40:38 UTC"`.
pub fn parse_datetime(text: &str) -> Option<DateTime<FixedOffset>> {
    let text = text.trim();
    DateTime::parse_from_rfc3339(text).ok().or_else(|| {
        let bare = text
            .strip_suffix(" UTC")
            .or_else(|| text.strip_suffix(" GMT"))?;
        let naive = NaiveDateTime::parse_from_str(bare, "%a %b %d %Y %H:%M:%S").ok()?;
        Some(Utc.from_utc_datetime(&naive).fixed_offset())
    })
}

/// An `xsd:time` (`"17:00:00"`, `"17:00"`, an offset ignored) as seconds of the day;
/// `"24:00"` is the end of the day.
pub fn parse_time(text: &str) -> Option<i64> {
    let clock = text.trim().get(..8.min(text.trim().len()))?;
    let mut parts = clock.split(':').map(|part| part.parse::<i64>().ok());
    let (hours, minutes) = (parts.next()??, parts.next()??);
    let seconds = parts.next().flatten().unwrap_or(0);
    let total = hours * 3600 + minutes * 60 + seconds;
    ((0..=23).contains(&hours) || total == DAY_S)
        .then_some(total)
        .filter(|_| (0..60).contains(&minutes) && (0..60).contains(&seconds))
}

/// Sorted, overlapping or touching windows merged.
pub fn merge(mut windows: Vec<(i64, i64)>) -> Vec<(i64, i64)> {
    windows.sort();
    let mut merged: Vec<(i64, i64)> = Vec::with_capacity(windows.len());
    for (start, end) in windows {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}

/// The parts common to two sets of windows.
pub fn intersect(first: &[(i64, i64)], second: &[(i64, i64)]) -> Vec<(i64, i64)> {
    let mut out = Vec::new();
    for &(a_start, a_end) in first {
        for &(b_start, b_end) in second {
            let (start, end) = (a_start.max(b_start), a_end.min(b_end));
            if start < end {
                out.push((start, end));
            }
        }
    }
    merge(out)
}

/// The windows on the planning day of a node's weekly hours (`property`: the place's
/// `isOpenDuring` or the vehicle's `isAvailableDuring`), and whether it has any hours
/// at all; unreadable times are collected as violations.
pub fn windows_of(
    graph: &Graph,
    node: &Node,
    property: &[Term],
    day: &Day,
    problems: &mut Collector,
) -> (Vec<(i64, i64)>, bool) {
    let specs = graph.linked(node, property, &[]);
    let mut windows = Vec::new();
    for id in &specs {
        let Some(spec) = graph.node(id) else {
            let path = node.path(property);
            problems.push(
                Code::DfcDanglingReference,
                path,
                format!("no node {id} in the document"),
            );
            continue;
        };
        if !applies(graph, spec, day) {
            continue;
        }
        let opens = time_of(graph, spec, &OPENS, problems);
        let closes = time_of(graph, spec, &CLOSES, problems);
        if let (Some(opens), Some(closes)) = (opens, closes) {
            let start = day.seconds_at(day.date, opens);
            // A closing time at or before the opening one is past midnight.
            let closes = if closes <= opens {
                closes + DAY_S
            } else {
                closes
            };
            windows.push((start, day.seconds_at(day.date, closes)));
        }
    }
    (merge(windows), !specs.is_empty())
}

/// Whether a specification covers the planning day (its days, its validity).
fn applies(graph: &Graph, spec: &Node, day: &Day) -> bool {
    let days = graph.linked(spec, &DAY_OF_WEEK, &[]);
    let weekday = day.date.weekday();
    let on_day = days.is_empty() || days.iter().any(|name| weekday_of(name) == Some(weekday));
    let date_of = |terms: &[Term]| {
        let text = graph.literal(spec, terms)?.text();
        NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d").ok()
    };
    let after_start = date_of(&VALID_FROM).is_none_or(|from| from <= day.date);
    let before_end = date_of(&VALID_THROUGH).is_none_or(|through| day.date <= through);
    on_day && after_start && before_end
}

/// `schema:Monday`, `https://schema.org/Monday` or `"Monday"` → the weekday.
fn weekday_of(name: &str) -> Option<Weekday> {
    let local = name.rsplit(['/', '#', ':']).next().unwrap_or(name);
    local.parse().ok()
}

/// A time property of a specification, as seconds of the day.
fn time_of(graph: &Graph, spec: &Node, property: &[Term], problems: &mut Collector) -> Option<i64> {
    let Some(literal) = graph.literal(spec, property) else {
        let what = format!(
            "an opening-hours specification needs {}",
            property[0].local()
        );
        problems.push(Code::Missing, spec.path(property), what);
        return None;
    };
    let parsed = parse_time(&literal.text());
    if parsed.is_none() {
        let what = format!("{:?} is not a time of day (HH:MM:SS)", literal.text());
        problems.push(Code::OutOfRange, spec.path(property), what);
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dst_day_is_25_hours_long() {
        let zone: Tz = "Europe/Paris".parse().unwrap();
        let sunday = NaiveDate::from_ymd_opt(2026, 10, 25).unwrap();
        let day = Day::new(sunday, zone);
        assert_eq!(day.length_s, 25 * 3600);
        assert_eq!(day.seconds_at(sunday, 12 * 3600), 13 * 3600);
        assert_eq!(day.local(13 * 3600), "2026-10-25T12:00:00+01:00");
        let week_before = Day::new(NaiveDate::from_ymd_opt(2026, 10, 18).unwrap(), zone);
        assert_eq!(
            week_before.seconds_at(week_before.date, 12 * 3600),
            12 * 3600
        );
    }

    #[test]
    fn times_and_dates_parse_in_both_forms() {
        assert_eq!(parse_time("17:30:00"), Some(63_000));
        assert_eq!(parse_time("08:00"), Some(28_800));
        assert_eq!(parse_time("24:00:00"), Some(DAY_S));
        assert_eq!(parse_time("25:00"), None);
        let ofn = parse_datetime("Thu Aug 22 2024 05:40:38 UTC").unwrap();
        assert_eq!(ofn, parse_datetime("2024-08-22T05:40:38Z").unwrap());
        assert_eq!(merge(vec![(5, 9), (0, 6), (10, 12)]), [(0, 9), (10, 12)]);
        assert_eq!(
            intersect(&[(0, 10), (20, 30)], &[(5, 25)]),
            [(5, 10), (20, 25)]
        );
    }
}
