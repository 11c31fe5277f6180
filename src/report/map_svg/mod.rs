//! The plan as an SVG map, drawn with the planner page's conventions
//! (`src/http/page/map.js`): the road network lightly underneath, each vehicle's tour
//! in its own colour along the roads it drives with arrows for the direction, its stops
//! numbered 1..n (consecutive steps at one site are one stop), farms / hubs / pickup
//! points as distinct shapes, a dashed connector from each site to where its tours
//! join the road, the sites of tasks left out ringed in red, names set beside the lines
//! on a white halo, a legend of only what is drawn, and the OpenStreetMap attribution
//! whenever the lines come from its roads.
//!
//! Plain SVG text with no dependency: a file any browser or image viewer opens.

mod legend;
mod marks;
mod sites;

use std::fmt::Write;

use crate::pipeline::Solved;
use crate::roads::RoadNetwork;

/// Largest drawing width, pixels.
const WIDTH_PX: f64 = 1000.0;
/// Largest drawing height, pixels: a north–south region is drawn narrower instead of
/// taller, so that the map fits a printed page.
const MAX_HEIGHT_PX: f64 = 1000.0;
/// Margin around the drawing, pixels.
const MARGIN_PX: f64 = 30.0;
/// Room for the legend on the right, pixels.
const LEGEND_PX: f64 = 300.0;

/// The page's tour colours: Okabe and Ito's colour-blind-safe palette, yellow left out
/// (too pale on white), so that a vehicle has the same colour on both maps.
const COLOURS: [&str; 7] = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000",
];

/// The colour of the tour at `index`.
fn tour_colour(index: usize) -> &'static str {
    COLOURS[index % COLOURS.len()]
}

/// A local equirectangular projection of a bounding box onto the drawing.
struct Frame {
    min_lat: f64,
    max_lat: f64,
    min_lon: f64,
    /// Pixels per degree of latitude.
    px_per_lat: f64,
    /// Pixels per degree of longitude (shrunk by the cosine of the latitude).
    px_per_lon: f64,
    width_px: f64,
    height_px: f64,
}

impl Frame {
    fn new(points: impl Iterator<Item = (f64, f64)>) -> Frame {
        let (mut min_lat, mut max_lat, mut min_lon, mut max_lon) =
            (90.0_f64, -90.0_f64, 180.0_f64, -180.0_f64);
        for (lat, lon) in points {
            min_lat = min_lat.min(lat);
            max_lat = max_lat.max(lat);
            min_lon = min_lon.min(lon);
            max_lon = max_lon.max(lon);
        }
        if min_lat > max_lat {
            (min_lat, max_lat, min_lon, max_lon) = (0.0, 1.0, 0.0, 1.0);
        }
        let pad_lat = ((max_lat - min_lat) * 0.05).max(0.002);
        let pad_lon = ((max_lon - min_lon) * 0.05).max(0.002);
        let (min_lat, max_lat) = (min_lat - pad_lat, max_lat + pad_lat);
        let (min_lon, max_lon) = (min_lon - pad_lon, max_lon + pad_lon);
        let cos_lat = ((min_lat + max_lat) / 2.0).to_radians().cos().max(0.05);
        let px_per_lat =
            (WIDTH_PX / ((max_lon - min_lon) * cos_lat)).min(MAX_HEIGHT_PX / (max_lat - min_lat));
        Frame {
            min_lat,
            max_lat,
            min_lon,
            px_per_lat,
            px_per_lon: px_per_lat * cos_lat,
            width_px: (max_lon - min_lon) * px_per_lat * cos_lat,
            height_px: (max_lat - min_lat) * px_per_lat,
        }
    }

    fn xy(&self, (lat, lon): (f64, f64)) -> (f64, f64) {
        (
            MARGIN_PX + (lon - self.min_lon) * self.px_per_lon,
            MARGIN_PX + (self.max_lat - lat) * self.px_per_lat,
        )
    }

    fn contains(&self, (lat, lon): (f64, f64)) -> bool {
        let (x, _) = self.xy((lat, lon));
        (self.min_lat..=self.max_lat).contains(&lat)
            && (MARGIN_PX..=MARGIN_PX + self.width_px).contains(&x)
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// What the layers draw from: the plan, and its places projected once.
struct Drawing<'a> {
    solved: &'a Solved,
    /// Each site's position on the drawing; `None` for a site without coordinates.
    sites_xy: Vec<Option<(f64, f64)>>,
    /// Each site's position where the roads take it, when the lines follow roads and
    /// the site sits a metre or more off them.
    snapped_xy: Vec<Option<(f64, f64)>>,
    /// Each tour's path on the drawing, in driving order.
    paths_xy: Vec<Vec<(f64, f64)>>,
    /// Whether the lines come from OpenStreetMap's roads (the bundled graph or OSRM).
    on_roads: bool,
    frame: Frame,
}

impl<'a> Drawing<'a> {
    fn new(solved: &'a Solved) -> Drawing<'a> {
        let travel = &solved.travel;
        // The page's rule: every source but straight lines and given matrices draws
        // OpenStreetMap's roads.
        let on_roads = matches!(travel.source, "road_graph" | "osrm");
        let sites: Vec<Option<(f64, f64)>> = solved
            .problem
            .sites
            .iter()
            .map(|site| site.coordinates_deg)
            .collect();
        let snapped: Vec<Option<(f64, f64)>> = (0..sites.len())
            .map(|site| {
                let moved_m = travel.snap_distances_m.get(site).copied().unwrap_or(0.0);
                let placed = travel.snapped_deg.get(site).copied();
                placed.filter(|_| on_roads && sites[site].is_some() && moved_m >= 1.0)
            })
            .collect();
        let paths: Vec<Vec<(f64, f64)>> = solved
            .solution
            .tours
            .iter()
            .map(|tour| solved.tour_path(tour))
            .collect();
        let frame = Frame::new(
            sites
                .iter()
                .chain(&snapped)
                .flatten()
                .copied()
                .chain(paths.iter().flatten().copied()),
        );
        let project = |points: &[Option<(f64, f64)>]| -> Vec<Option<(f64, f64)>> {
            points.iter().map(|p| p.map(|p| frame.xy(p))).collect()
        };
        Drawing {
            solved,
            sites_xy: project(&sites),
            snapped_xy: project(&snapped),
            paths_xy: paths
                .iter()
                .map(|path| path.iter().map(|&p| frame.xy(p)).collect())
                .collect(),
            on_roads,
            frame,
        }
    }
}

/// The plan of `solved` as an SVG document.
pub fn map_svg(solved: &Solved) -> String {
    let drawing = Drawing::new(solved);
    let mut body = String::new();
    // Drawn bottom to top: roads, connectors and tours under the sites they join, the
    // stop numbers over the sites, the names over everything on their white halo.
    if let Some(network) = &solved.travel.road {
        write_roads(&mut body, network, &drawing.frame);
    }
    marks::write_connectors(&mut body, &drawing);
    marks::write_tours(&mut body, &drawing);
    marks::write_unassigned(&mut body, &drawing);
    sites::write_markers(&mut body, &drawing);
    let badges = marks::stop_badges(&drawing);
    marks::write_badges(&mut body, &drawing, &badges);
    sites::write_labels(&mut body, &drawing, &badges);
    let legend_x = drawing.frame.width_px + 2.0 * MARGIN_PX;
    let legend_end_y = legend::write(&mut body, &drawing, legend_x);
    let height = (drawing.frame.height_px + 2.0 * MARGIN_PX).max(legend_end_y + 2.0 * MARGIN_PX);
    let mut svg = String::new();
    write_header(&mut svg, legend_x + LEGEND_PX, height);
    svg.push_str(&body);
    write_attribution(&mut svg, &drawing, height);
    svg.push_str("</svg>\n");
    svg
}

/// The `<svg>` element sized for the drawing and the legend, and a white background.
fn write_header(svg: &mut String, width: f64, height: f64) {
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="sans-serif" font-size="13">"#
    );
    let _ = writeln!(
        svg,
        r##"<rect width="100%" height="100%" fill="#ffffff"/>"##
    );
}

/// Every road segment touching the frame, as one light path.
fn write_roads(svg: &mut String, network: &RoadNetwork, frame: &Frame) {
    let graph = &network.graph;
    let mut d = String::new();
    for arc in 0..graph.arc_count() {
        let (tail, head) = (graph.tail[arc], graph.head[arc]);
        if tail > head && graph.find_arc(head, tail).is_some() {
            continue; // the other direction draws this segment
        }
        let (a, b) = (
            graph.lat_lon_deg[tail as usize],
            graph.lat_lon_deg[head as usize],
        );
        if !frame.contains(a) && !frame.contains(b) {
            continue;
        }
        let ((x1, y1), (x2, y2)) = (frame.xy(a), frame.xy(b));
        let _ = write!(d, "M{x1:.1} {y1:.1}L{x2:.1} {y2:.1}");
    }
    let _ = writeln!(
        svg,
        r##"<path class="roads" d="{d}" stroke="#c8c8c8" stroke-width="0.7" fill="none"/>"##
    );
}

/// Where travel came from and, whenever the lines follow OpenStreetMap's roads, the
/// credit its licence (ODbL) requires.
fn write_attribution(svg: &mut String, drawing: &Drawing, height: f64) {
    let source = drawing.solved.travel.source;
    let credit = if drawing.on_roads {
        "map data © OpenStreetMap contributors (ODbL)"
    } else {
        "straight lines between the sites, not roads"
    };
    let _ = writeln!(
        svg,
        r##"<text class="attribution" x="{:.0}" y="{:.0}" font-size="11" fill="#444">travel: {source} — {credit}</text>"##,
        MARGIN_PX,
        height - 8.0,
    );
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicBool;

    use super::*;
    use crate::budget::Budget;
    use crate::domain::{SiteKind, StepKind, Tour};
    use crate::pb;

    /// The bundled demo solved on straight lines, after `change` to its request.
    fn demo(change: impl FnOnce(&mut pb::SolveRequest)) -> Solved {
        let text = include_str!("../../../data/demo/cooperative.json");
        let mut request: pb::SolveRequest = serde_json::from_str(text).expect("demo request");
        let options = request.options.get_or_insert_with(Default::default);
        options.max_iterations = Some(20);
        options.time_limit_ms = Some(3_600_000);
        options.threads = 1;
        change(&mut request);
        let cancelled = AtomicBool::new(false);
        crate::pipeline::solve(&request, &Budget::new(&cancelled), &|_| {}).expect("solves")
    }

    /// The demo solved as if on roads: every site placed 40 m east of where it is.
    fn on_roads(mut solved: Solved) -> Solved {
        let travel = &mut solved.travel;
        travel.source = "road_graph";
        travel.snapped_deg = solved
            .problem
            .sites
            .iter()
            .map(|site| {
                site.coordinates_deg
                    .map_or((0.0, 0.0), |(lat, lon)| (lat, lon + 0.0005))
            })
            .collect();
        travel.snap_distances_m = vec![40.0; solved.problem.sites.len()];
        solved
    }

    /// How many times `needle` occurs in `svg`.
    fn count(svg: &str, needle: &str) -> usize {
        svg.matches(needle).count()
    }

    /// The stops a tour should show, counted here apart from the drawing's code: a run
    /// of task steps at one site is one stop.
    fn expected_stops(tour: &Tour) -> usize {
        let sites: Vec<usize> = tour
            .steps
            .iter()
            .filter(|step| !matches!(step.kind, StepKind::Start | StepKind::End))
            .filter_map(|step| step.site)
            .collect();
        sites
            .iter()
            .enumerate()
            .filter(|&(at, site)| at == 0 || sites[at - 1] != *site)
            .count()
    }

    /// The SVG is well-formed XML as far as tags go: every element opened is closed, in
    /// order, and no text holds a bare `<` or `&`.
    pub(crate) fn assert_balanced(svg: &str) {
        let mut open: Vec<&str> = Vec::new();
        let mut rest = svg;
        while let Some(start) = rest.find('<') {
            let text = &rest[..start];
            assert!(!text.contains('>'), "stray '>' in {text:?}");
            let bare_amp = text.match_indices('&').any(|(at, _)| {
                !["&amp;", "&lt;", "&gt;", "&quot;"]
                    .iter()
                    .any(|e| text[at..].starts_with(e))
            });
            assert!(!bare_amp, "bare '&' in {text:?}");
            let end = start + rest[start..].find('>').expect("tag closed");
            let tag = &rest[start + 1..end];
            assert_eq!(
                tag.matches('"').count() % 2,
                0,
                "unbalanced quotes in <{tag}>"
            );
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(open.pop(), Some(name), "</{name}> closes the wrong element");
            } else if !tag.ends_with('/') {
                open.push(tag.split_whitespace().next().expect("element name"));
            }
            rest = &rest[end + 1..];
        }
        assert!(open.is_empty(), "left open: {open:?}");
        assert_eq!(svg.matches("<svg ").count(), 1);
    }

    #[test]
    fn numbers_each_tours_stops_one_to_n() {
        let solved = demo(|_| {});
        let svg = map_svg(&solved);
        assert_balanced(&svg);
        assert!(!solved.solution.tours.is_empty());
        for (index, tour) in solved.solution.tours.iter().enumerate() {
            let stops = expected_stops(tour);
            assert!(stops > 0);
            assert_eq!(
                count(&svg, &format!(r#"class="stop" data-tour="{index}""#)),
                stops
            );
            let last = format!(r#"text-anchor="middle">{stops}</text></g>"#);
            assert!(svg.contains(&last), "tour {index} has no stop {stops}");
        }
    }

    #[test]
    fn stops_follow_the_pages_rule() {
        let solved = demo(|_| {});
        for tour in &solved.solution.tours {
            let stops = marks::tour_stops(tour);
            assert_eq!(stops.len(), expected_stops(tour));
            assert!(stops.windows(2).all(|pair| pair[0] != pair[1]));
        }
    }

    #[test]
    fn every_tour_shows_its_direction() {
        let svg = map_svg(&demo(|_| {}));
        let tours = count(&svg, r#"class="tour""#);
        assert!(tours > 0);
        for index in 0..tours {
            let arrows = count(&svg, &format!(r#"class="arrow" data-tour="{index}""#));
            assert!(arrows >= 1, "tour {index} has no arrow");
        }
    }

    #[test]
    fn arrows_sit_mid_leg_pointing_the_way_driven() {
        // Straight lines: one arrow per leg long enough, mid-leg, along the leg.
        let path = [(0.0, 0.0), (100.0, 0.0), (100.0, 100.0), (105.0, 100.0)];
        let placed = marks::arrows(&path, false);
        assert_eq!(placed, vec![(50.0, 0.0, 0.0), (100.0, 50.0, 90.0)]);
        // Roads: every 90 px driven, whatever the segments.
        let road: Vec<(f64, f64)> = (0..=30)
            .map(|i| (300.0 - 10.0 * f64::from(i), 0.0))
            .collect();
        let placed = marks::arrows(&road, true);
        assert_eq!(placed.len(), 3);
        assert!(
            placed
                .iter()
                .all(|&(_, _, angle)| (angle - 180.0).abs() < 1e-9)
        );
        // A path too short for either still shows its direction once.
        assert_eq!(marks::arrows(&[(0.0, 0.0), (0.0, -5.0)], true).len(), 1);
    }

    #[test]
    fn the_legend_lists_only_what_is_drawn() {
        let solved = demo(|_| {});
        let svg = map_svg(&solved);
        assert!(!solved.problem.sites.iter().any(|s| s.kind == SiteKind::Hub));
        assert!(svg.contains(">farm</text>") && svg.contains(">pickup point</text>"));
        assert!(
            !svg.contains(">hub</text>"),
            "a hub in the legend with no hub"
        );
        assert!(!svg.contains(">site</text>") && !svg.contains("Left out"));
        assert!(!svg.contains("way from the site to the road"));
        let vehicles = count(&svg, r#"class="legend-entry" data-vehicle="#);
        assert_eq!(vehicles, solved.solution.tours.len());
        for tour in &solved.solution.tours {
            let id = &solved.problem.vehicles[tour.vehicle].id;
            assert!(
                svg.contains(&format!(r#"data-vehicle="{id}""#)),
                "{id} not in the legend"
            );
        }
        let with_hub = map_svg(&demo(|request| {
            request.sites[5].kind = pb::SiteKind::Hub as i32;
        }));
        assert!(with_hub.contains(">hub</text>"));
    }

    #[test]
    fn connectors_join_the_sites_to_the_roads_the_lines_follow() {
        let solved = on_roads(demo(|_| {}));
        let svg = map_svg(&solved);
        assert_balanced(&svg);
        assert_eq!(
            count(&svg, r#"class="connector""#),
            solved.problem.sites.len()
        );
        assert!(svg.contains("way from the site to the road"));
        assert!(svg.contains("© OpenStreetMap contributors"));
        let straight = map_svg(&demo(|_| {}));
        assert_eq!(count(&straight, r#"class="connector""#), 0);
        assert!(!straight.contains("OpenStreetMap"));
    }

    #[test]
    fn tasks_left_out_are_ringed_and_listed_with_why() {
        let solved = demo(|request| request.shipments[0].amount = vec![1000, 0]);
        assert_eq!(solved.solution.unassigned.len(), 1);
        let svg = map_svg(&solved);
        assert_balanced(&svg);
        // The shipment's farm and pickup point.
        assert_eq!(count(&svg, r#"class="unserved""#), 2);
        assert!(svg.contains(">vegetables-vaduz: capacity</text>"));
        assert!(svg.contains("left out — vegetables-vaduz: capacity"));
    }

    #[test]
    fn names_sit_off_the_lines_on_a_halo() {
        let svg = map_svg(&demo(|_| {}));
        let labels = count(&svg, r#"class="label""#);
        assert_eq!(labels, 10);
        assert_eq!(count(&svg, r#"paint-order="stroke""#), labels);
        // A line right where the preferred place is: the name goes elsewhere.
        let site = (500.0, 500.0);
        let paths = vec![vec![(505.0, 499.0), (700.0, 499.0)]];
        let bounds = (0.0, 0.0, 1000.0, 1000.0);
        let grid = sites::SegmentGrid::new(&paths);
        let place = sites::best_place(site, 60.0, &grid, (&[], bounds));
        assert_ne!(place, sites::PLACES[0]);
        assert_eq!(grid.crossing(sites::label_box(site, 60.0, place)), 0);
        // With nothing near, the first place; at the left edge, not one past it.
        let nothing = sites::SegmentGrid::new(&[]);
        assert_eq!(
            sites::best_place(site, 60.0, &nothing, (&[], bounds)),
            sites::PLACES[0]
        );
        let edge = sites::best_place((20.0, 500.0), 60.0, &nothing, (&[], bounds));
        assert!(sites::label_box((20.0, 500.0), 60.0, edge).0 >= 0.0);
        let taken = [sites::label_box(site, 60.0, sites::PLACES[0])];
        assert_ne!(
            sites::best_place(site, 60.0, &nothing, (&taken, bounds)),
            sites::PLACES[0]
        );
    }

    #[test]
    fn names_with_markup_characters_are_escaped() {
        let svg = map_svg(&demo(|request| {
            request.sites[0].name = "Ferme <Dupont> & fils".into()
        }));
        assert_balanced(&svg);
        assert!(svg.contains("Ferme &lt;Dupont&gt; &amp; fils"));
    }
}
