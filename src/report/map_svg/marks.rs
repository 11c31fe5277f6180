//! What the map draws for the plan itself: the tours with their direction arrows, the
//! numbered stops, the connectors from the sites to the roads and the rings around the
//! sites of tasks left out. Each follows the planner page's drawing of the same thing.

use std::fmt::Write;

use super::{Drawing, escape, tour_colour};
use crate::domain::{StepKind, TaskKind, Tour};

/// Pixels driven between two arrows along a road path (the page's spacing).
const ARROW_SPACING_PX: f64 = 90.0;
/// The shortest straight leg that gets an arrow, pixels: shorter, the arrow hides it.
const SHORTEST_ARROWED_LEG_PX: f64 = 24.0;
/// How far a stop's number sits from its site's centre, pixels.
const BADGE_OFFSET_PX: f64 = 15.0;
/// Radius of a stop's number disc, pixels.
pub(super) const BADGE_RADIUS_PX: f64 = 9.0;

/// The sites of a tour's stops, in driving order: consecutive task steps at one site
/// are one stop, the start and the end are none (the page's numbering rule).
pub(super) fn tour_stops(tour: &Tour) -> Vec<usize> {
    let mut stops: Vec<usize> = Vec::new();
    for step in &tour.steps {
        if matches!(step.kind, StepKind::Start | StepKind::End) {
            continue;
        }
        if let Some(site) = step.site
            && stops.last() != Some(&site)
        {
            stops.push(site);
        }
    }
    stops
}

/// A stop's number disc: which tour, which number, over which site, where.
pub(super) struct Badge {
    pub tour: usize,
    pub number: usize,
    pub site: usize,
    pub xy: (f64, f64),
}

/// The number discs of every tour's stops. Each tour sets its discs at its own angle
/// round the site, so tours sharing a site show every number; a site a tour comes back
/// to gets its later numbers further out along that angle.
pub(super) fn stop_badges(drawing: &Drawing) -> Vec<Badge> {
    let tours = &drawing.solved.solution.tours;
    let mut badges = Vec::new();
    for (index, tour) in tours.iter().enumerate() {
        let angle = -std::f64::consts::FRAC_PI_2
            + index as f64 * std::f64::consts::TAU / tours.len().max(1) as f64;
        let stops = tour_stops(tour);
        for (at, &site) in stops.iter().enumerate() {
            let Some((x, y)) = drawing.sites_xy[site] else {
                continue;
            };
            let visits_before = stops[..at].iter().filter(|&&s| s == site).count();
            let offset = BADGE_OFFSET_PX + visits_before as f64 * (2.0 * BADGE_RADIUS_PX + 2.0);
            badges.push(Badge {
                tour: index,
                number: at + 1,
                site,
                xy: (x + offset * angle.cos(), y + offset * angle.sin()),
            });
        }
    }
    badges
}

/// The number discs, each with a tooltip naming its tour, number and site.
pub(super) fn write_badges(svg: &mut String, drawing: &Drawing, badges: &[Badge]) {
    let problem = &drawing.solved.problem;
    for badge in badges {
        let vehicle = drawing.solved.solution.tours[badge.tour].vehicle;
        let site = &problem.sites[badge.site];
        let name = if site.name.is_empty() {
            &site.id
        } else {
            &site.name
        };
        let (x, y) = badge.xy;
        let _ = writeln!(
            svg,
            r##"<g class="stop" data-tour="{}"><title>{} — {}: {}</title><circle cx="{x:.1}" cy="{y:.1}" r="{BADGE_RADIUS_PX}" fill="{}" stroke="#fff" stroke-width="1.5"/><text x="{x:.1}" y="{:.1}" font-size="11" font-weight="bold" fill="#fff" text-anchor="middle">{}</text></g>"##,
            badge.tour,
            escape(&problem.vehicles[vehicle].id),
            badge.number,
            escape(name),
            tour_colour(badge.tour),
            y + 4.0,
            badge.number
        );
    }
}

/// One line per tour in its colour, then its direction arrows.
pub(super) fn write_tours(svg: &mut String, drawing: &Drawing) {
    for (index, path) in drawing.paths_xy.iter().enumerate() {
        let colour = tour_colour(index);
        let points: Vec<String> = path.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
        let _ = writeln!(
            svg,
            r#"<polyline class="tour" data-tour="{index}" points="{}" stroke="{colour}" stroke-width="3.5" stroke-opacity="0.85" fill="none" stroke-linejoin="round" stroke-linecap="round"/>"#,
            points.join(" ")
        );
        for (x, y, angle_deg) in arrows(path, drawing.on_roads) {
            let _ = writeln!(
                svg,
                r##"<path class="arrow" data-tour="{index}" d="M-7 -6L7 0L-7 6Z" fill="{colour}" stroke="#fff" stroke-width="1" transform="translate({x:.1} {y:.1}) rotate({angle_deg:.1})"/>"##
            );
        }
    }
}

/// Where a path's direction arrows go, (x, y, degrees): the middle of each straight leg
/// long enough to show one, or every [`ARROW_SPACING_PX`] along a road path (its many
/// short segments would otherwise crowd it). A path too short for either still gets one,
/// on its longest segment, so that every tour shows its direction.
pub(super) fn arrows(path: &[(f64, f64)], on_roads: bool) -> Vec<(f64, f64, f64)> {
    let arrow = |(x0, y0): (f64, f64), (x1, y1): (f64, f64)| {
        let angle_deg = (y1 - y0).atan2(x1 - x0).to_degrees();
        ((x0 + x1) / 2.0, (y0 + y1) / 2.0, angle_deg)
    };
    let mut placed = Vec::new();
    let mut travelled = 0.0;
    let mut longest: Option<(f64, usize)> = None;
    for (index, leg) in path.windows(2).enumerate() {
        let length = (leg[1].0 - leg[0].0).hypot(leg[1].1 - leg[0].1);
        if length > longest.map_or(0.0, |(l, _)| l) {
            longest = Some((length, index));
        }
        travelled += length;
        let due = if on_roads {
            travelled >= ARROW_SPACING_PX
        } else {
            length >= SHORTEST_ARROWED_LEG_PX
        };
        if due && length > 0.0 {
            travelled = 0.0;
            placed.push(arrow(leg[0], leg[1]));
        }
    }
    if placed.is_empty()
        && let Some((_, index)) = longest
    {
        placed.push(arrow(path[index], path[index + 1]));
    }
    placed
}

/// A thin dashed line from each site off the road to the road point its tours start
/// and end at, so that a farm up a track is seen joined to the road it is served from.
pub(super) fn write_connectors(svg: &mut String, drawing: &Drawing) {
    for (site, snapped) in drawing.sites_xy.iter().zip(&drawing.snapped_xy) {
        if let (Some((x1, y1)), Some((x2, y2))) = (site, snapped) {
            let _ = writeln!(
                svg,
                r##"<line class="connector" x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" stroke="#555" stroke-width="1.5" stroke-dasharray="3 3"/>"##
            );
        }
    }
}

/// The sites of the tasks left out, each ringed in dashed red once, its tooltip
/// listing the tasks there and why each was left out.
pub(super) fn write_unassigned(svg: &mut String, drawing: &Drawing) {
    let problem = &drawing.solved.problem;
    let mut reasons: Vec<Vec<String>> = vec![Vec::new(); problem.sites.len()];
    for left_out in &drawing.solved.solution.unassigned {
        let task = &problem.tasks[left_out.task];
        let sites = match &task.kind {
            TaskKind::Shipment {
                pickup, delivery, ..
            } => vec![pickup.site, delivery.site],
            TaskKind::Job { stop, .. } => vec![stop.site],
        };
        for site in sites {
            reasons[site].push(format!("{}: {}", task.id, left_out.reason.code()));
        }
    }
    for (site, reasons) in reasons.iter().enumerate() {
        if let (Some((x, y)), false) = (drawing.sites_xy[site], reasons.is_empty()) {
            let _ = writeln!(
                svg,
                r##"<circle class="unserved" cx="{x:.1}" cy="{y:.1}" r="13" fill="none" stroke="#a40000" stroke-width="2.5" stroke-dasharray="4 3"><title>left out — {}</title></circle>"##,
                escape(&reasons.join(", "))
            );
        }
    }
}
