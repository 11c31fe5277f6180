//! The legend, right of the map: only what the map draws — one line per tour drawn,
//! how to read the numbers and arrows when there are tours, one sample per site kind
//! present, the connector when one is drawn, and the tasks left out with why.

use std::fmt::Write;

use super::marks::BADGE_RADIUS_PX;
use super::sites::{kind_name, marker};
use super::{Drawing, MARGIN_PX, escape, tour_colour};
use crate::domain::SiteKind;

/// Distance between two legend lines, pixels.
const LINE_PX: f64 = 20.0;
/// The tasks left out the legend names one by one; it counts the rest.
const LISTED_UNASSIGNED: usize = 15;

/// Writes the legend at `x`; returns the height it reached.
pub(super) fn write(svg: &mut String, drawing: &Drawing, x: f64) -> f64 {
    let mut y = MARGIN_PX + 10.0;
    if !drawing.solved.solution.tours.is_empty() {
        y = write_tours(svg, drawing, x, y);
        y += 1.5 * LINE_PX;
    }
    let kinds: Vec<SiteKind> = [
        SiteKind::Farm,
        SiteKind::Hub,
        SiteKind::PickupPoint,
        SiteKind::Other,
    ]
    .into_iter()
    .filter(|&kind| {
        let sites = drawing.solved.problem.sites.iter().zip(&drawing.sites_xy);
        sites
            .into_iter()
            .any(|(site, xy)| site.kind == kind && xy.is_some())
    })
    .collect();
    if !kinds.is_empty() {
        heading(svg, x, y, "Sites");
        for kind in kinds {
            y += LINE_PX;
            let sample = marker(kind, (x + 10.0, y - 4.0));
            entry(svg, x, y, &sample, kind_name(kind));
        }
        if drawing.snapped_xy.iter().any(Option::is_some) {
            y += LINE_PX;
            let sample = format!(
                r##"<line x1="{x:.0}" y1="{:.0}" x2="{:.0}" y2="{:.0}" stroke="#555" stroke-width="1.5" stroke-dasharray="3 3"/>"##,
                y - 4.0,
                x + 22.0,
                y - 4.0
            );
            entry(svg, x, y, &sample, "way from the site to the road");
        }
        y += 1.5 * LINE_PX;
    }
    if !drawing.solved.solution.unassigned.is_empty() {
        y = write_unassigned(svg, drawing, x, y);
    }
    y
}

fn heading(svg: &mut String, x: f64, y: f64, text: &str) {
    let _ = writeln!(
        svg,
        r#"<text class="legend-heading" x="{x:.0}" y="{y:.0}" font-weight="bold">{text}</text>"#
    );
}

/// A legend line: a sample drawn left of its words.
fn entry(svg: &mut String, x: f64, y: f64, sample: &str, words: &str) {
    let _ = writeln!(
        svg,
        r#"<g class="legend-entry">{sample}<text x="{:.0}" y="{y:.0}">{words}</text></g>"#,
        x + 30.0
    );
}

/// The "Tours" part: one line per tour with its colour, vehicle and kilometres, then
/// a sample number and arrow. Returns the height reached.
fn write_tours(svg: &mut String, drawing: &Drawing, x: f64, mut y: f64) -> f64 {
    heading(svg, x, y, "Tours");
    let problem = &drawing.solved.problem;
    for (index, tour) in drawing.solved.solution.tours.iter().enumerate() {
        y += LINE_PX;
        let vehicle = &problem.vehicles[tour.vehicle];
        let km = tour.figures.distance_m as f64 / 1000.0;
        let sample = format!(
            r#"<line x1="{x:.0}" y1="{:.0}" x2="{:.0}" y2="{:.0}" stroke="{}" stroke-width="4"/>"#,
            y - 4.0,
            x + 22.0,
            y - 4.0,
            tour_colour(index)
        );
        let _ = writeln!(
            svg,
            r#"<g class="legend-entry" data-vehicle="{}">{sample}<text x="{:.0}" y="{y:.0}">{} — {km:.1} km</text></g>"#,
            escape(&vehicle.id),
            x + 30.0,
            escape(&vehicle.id)
        );
    }
    y += LINE_PX;
    let (cx, cy) = (x + 11.0, y - 4.0);
    let badge = format!(
        r##"<circle cx="{cx:.0}" cy="{cy:.0}" r="{BADGE_RADIUS_PX}" fill="#555"/><text x="{cx:.0}" y="{:.0}" font-size="11" font-weight="bold" fill="#fff" text-anchor="middle">1</text>"##,
        cy + 4.0
    );
    entry(svg, x, y, &badge, "stop, numbered in driving order");
    y += LINE_PX;
    let arrow = format!(
        r##"<path d="M-7 -6L7 0L-7 6Z" fill="#555" transform="translate({:.0} {:.0})"/>"##,
        x + 11.0,
        y - 4.0
    );
    entry(svg, x, y, &arrow, "direction of travel");
    y
}

/// The "Left out" part: the ring the map draws, then each task left out with why
/// (the first [`LISTED_UNASSIGNED`], then how many more). Returns the height reached.
fn write_unassigned(svg: &mut String, drawing: &Drawing, x: f64, mut y: f64) -> f64 {
    let unassigned = &drawing.solved.solution.unassigned;
    heading(svg, x, y, "Left out");
    y += LINE_PX;
    let ring = format!(
        r##"<circle cx="{:.0}" cy="{:.0}" r="8" fill="none" stroke="#a40000" stroke-width="2.5" stroke-dasharray="4 3"/>"##,
        x + 11.0,
        y - 4.0
    );
    entry(
        svg,
        x,
        y,
        &ring,
        &format!("{} task(s) left out", unassigned.len()),
    );
    for left_out in unassigned.iter().take(LISTED_UNASSIGNED) {
        y += LINE_PX * 0.85;
        let task = &drawing.solved.problem.tasks[left_out.task];
        let _ = writeln!(
            svg,
            r#"<text class="unassigned" x="{x:.0}" y="{y:.0}" font-size="11">{}: {}</text>"#,
            escape(&task.id),
            left_out.reason.code()
        );
    }
    if unassigned.len() > LISTED_UNASSIGNED {
        y += LINE_PX * 0.85;
        let _ = writeln!(
            svg,
            r#"<text x="{x:.0}" y="{y:.0}" font-size="11">… and {} more</text>"#,
            unassigned.len() - LISTED_UNASSIGNED
        );
    }
    y
}
