//! The sites: a marker per site in the page's shapes (farm a green square, hub a purple
//! diamond, pickup point a ringed disc), and its name set where it covers the fewest
//! tour lines, stop numbers and other names, on a white halo so that what it does
//! cross stays readable.

use std::collections::HashMap;
use std::fmt::Write;

use super::marks::{BADGE_RADIUS_PX, Badge};
use super::{Drawing, MARGIN_PX, escape};
use crate::domain::{Site, SiteKind};

/// Size of a name's characters, pixels.
const LABEL_FONT_PX: f64 = 11.0;
/// A name's mean character width at that size, pixels (sans-serif, mixed case).
const CHAR_WIDTH_PX: f64 = 6.3;
/// Side of the cells the tour segments are filed in for the label search, pixels.
const CELL_PX: f64 = 40.0;

/// How the legend and the markers name a site kind.
pub(super) fn kind_name(kind: SiteKind) -> &'static str {
    match kind {
        SiteKind::Farm => "farm",
        SiteKind::Hub => "hub",
        SiteKind::PickupPoint => "pickup point",
        SiteKind::Other => "site",
    }
}

/// The marker of a site of `kind` centred on `(x, y)`: the shape tells the kind apart.
pub(super) fn marker(kind: SiteKind, (x, y): (f64, f64)) -> String {
    match kind {
        SiteKind::Farm => format!(
            r##"<rect x="{:.1}" y="{:.1}" width="14" height="14" fill="#2e7d32" stroke="#fff" stroke-width="2"/>"##,
            x - 7.0,
            y - 7.0
        ),
        SiteKind::Hub => format!(
            r##"<path d="M{x:.1} {:.1}L{:.1} {y:.1}L{x:.1} {:.1}L{:.1} {y:.1}Z" fill="#6a1b9a" stroke="#fff" stroke-width="2"/>"##,
            y - 9.0,
            x + 9.0,
            y + 9.0,
            x - 9.0
        ),
        SiteKind::PickupPoint => format!(
            r##"<circle cx="{x:.1}" cy="{y:.1}" r="7" fill="#fff" stroke="#333" stroke-width="2.5"/>"##
        ),
        SiteKind::Other => format!(
            r##"<circle cx="{x:.1}" cy="{y:.1}" r="5" fill="#fff" stroke="#333" stroke-width="2.5"/>"##
        ),
    }
}

fn site_name(site: &Site) -> &str {
    if site.name.is_empty() {
        &site.id
    } else {
        &site.name
    }
}

/// A marker for every site with coordinates; its tooltip is its kind and name.
pub(super) fn write_markers(svg: &mut String, drawing: &Drawing) {
    for (site, xy) in drawing.solved.problem.sites.iter().zip(&drawing.sites_xy) {
        if let Some(xy) = *xy {
            let _ = writeln!(
                svg,
                r#"<g class="site" data-kind="{}"><title>{}: {}</title>{}</g>"#,
                kind_name(site.kind),
                kind_name(site.kind),
                escape(site_name(site)),
                marker(site.kind, xy)
            );
        }
    }
}

/// A box on the drawing: left, top, right, bottom, pixels.
type Rect = (f64, f64, f64, f64);

/// Where a name goes round its site: (dx, dy) of its baseline's anchor, pixels, and
/// its `text-anchor`.
pub(super) type Place = (f64, f64, &'static str);

/// The places tried for a name round its site, in order of preference.
pub(super) const PLACES: [Place; 8] = [
    (12.0, 4.0, "start"),
    (-12.0, 4.0, "end"),
    (0.0, 24.0, "middle"),
    (0.0, -15.0, "middle"),
    (10.0, 19.0, "start"),
    (-10.0, 19.0, "end"),
    (10.0, -11.0, "start"),
    (-10.0, -11.0, "end"),
];

/// The box a name of `width` takes at `place` round `(x, y)`.
pub(super) fn label_box((x, y): (f64, f64), width: f64, (dx, dy, anchor): Place) -> Rect {
    let left = match anchor {
        "start" => x + dx,
        "end" => x + dx - width,
        _ => x + dx - width / 2.0,
    };
    (left, y + dy - LABEL_FONT_PX, left + width, y + dy + 3.0)
}

/// Every site's name, each at the place round its site that covers the fewest tour
/// segments, stop numbers, site markers and names set before it.
pub(super) fn write_labels(svg: &mut String, drawing: &Drawing, badges: &[Badge]) {
    let segments = SegmentGrid::new(&drawing.paths_xy);
    let frame = &drawing.frame;
    let bounds = (
        0.0,
        0.0,
        frame.width_px + 2.0 * MARGIN_PX,
        frame.height_px + 2.0 * MARGIN_PX,
    );
    let mut taken: Vec<Rect> = badges
        .iter()
        .map(|b| square(b.xy, BADGE_RADIUS_PX))
        .chain(drawing.sites_xy.iter().flatten().map(|&xy| square(xy, 8.0)))
        .collect();
    for (site, xy) in drawing.solved.problem.sites.iter().zip(&drawing.sites_xy) {
        let Some(xy) = *xy else { continue };
        let name = site_name(site);
        let width = name.chars().count() as f64 * CHAR_WIDTH_PX;
        let place = best_place(xy, width, &segments, (&taken, bounds));
        taken.push(label_box(xy, width, place));
        let (dx, dy, anchor) = place;
        let _ = writeln!(
            svg,
            r##"<text class="label" x="{:.1}" y="{:.1}" text-anchor="{anchor}" font-size="{LABEL_FONT_PX}" fill="#222" stroke="#fff" stroke-width="3" stroke-linejoin="round" paint-order="stroke">{}</text>"##,
            xy.0 + dx,
            xy.1 + dy,
            escape(name)
        );
    }
}

/// The place round the site at `xy` where a name `width` wide covers the fewest tour
/// segments and `taken` boxes (the first such place in [`PLACES`]'s order), inside
/// `bounds` if it can be (a name cut by the edge is worse than one crossing a line).
pub(super) fn best_place(
    xy: (f64, f64),
    width: f64,
    segments: &SegmentGrid,
    (taken, bounds): (&[Rect], Rect),
) -> Place {
    let mut best = (usize::MAX, PLACES[0]);
    for place in PLACES {
        let rect = label_box(xy, width, place);
        let covered = taken.iter().filter(|&&other| overlaps(rect, other)).count();
        let inside =
            rect.0 >= bounds.0 && rect.1 >= bounds.1 && rect.2 <= bounds.2 && rect.3 <= bounds.3;
        let score = segments.crossing(rect) + covered + if inside { 0 } else { 1000 };
        if score < best.0 {
            best = (score, place);
        }
    }
    best.1
}

fn square((x, y): (f64, f64), half: f64) -> Rect {
    (x - half, y - half, x + half, y + half)
}

fn overlaps(a: Rect, b: Rect) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// The tour segments filed by the grid cells their bounding boxes cover, so that a
/// label's search looks at the segments near it only (a road path has thousands).
pub(super) struct SegmentGrid {
    segments: Vec<((f64, f64), (f64, f64))>,
    cells: HashMap<(i64, i64), Vec<usize>>,
}

impl SegmentGrid {
    pub(super) fn new(paths: &[Vec<(f64, f64)>]) -> SegmentGrid {
        let segments: Vec<_> = paths
            .iter()
            .flat_map(|path| path.windows(2).map(|leg| (leg[0], leg[1])))
            .collect();
        let mut cells: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
        for (index, &(a, b)) in segments.iter().enumerate() {
            let (columns, rows) =
                cell_span((a.0.min(b.0), a.1.min(b.1), a.0.max(b.0), a.1.max(b.1)));
            for column in columns {
                for row in rows.clone() {
                    cells.entry((column, row)).or_default().push(index);
                }
            }
        }
        SegmentGrid { segments, cells }
    }

    /// How many segments cross `rect`.
    pub(super) fn crossing(&self, rect: Rect) -> usize {
        let (columns, rows) = cell_span(rect);
        let mut near: Vec<usize> = columns
            .flat_map(|column| rows.clone().map(move |row| (column, row)))
            .filter_map(|cell| self.cells.get(&cell))
            .flatten()
            .copied()
            .collect();
        near.sort_unstable();
        near.dedup();
        near.into_iter()
            .filter(|&index| {
                let (a, b) = self.segments[index];
                segment_crosses(a, b, rect)
            })
            .count()
    }
}

/// The columns and rows of the grid cells `rect` covers.
fn cell_span(
    (left, top, right, bottom): Rect,
) -> (std::ops::RangeInclusive<i64>, std::ops::RangeInclusive<i64>) {
    let cell = |v: f64| (v / CELL_PX).floor() as i64;
    (cell(left)..=cell(right), cell(top)..=cell(bottom))
}

/// Whether the segment a–b passes through `rect` (Liang–Barsky clipping).
fn segment_crosses(a: (f64, f64), b: (f64, f64), (left, top, right, bottom): Rect) -> bool {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut enter, mut leave) = (0.0_f64, 1.0_f64);
    for (p, q) in [
        (-dx, a.0 - left),
        (dx, right - a.0),
        (-dy, a.1 - top),
        (dy, bottom - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return false;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                enter = enter.max(t);
            } else {
                leave = leave.min(t);
            }
        }
    }
    enter <= leave
}
