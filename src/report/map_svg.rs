//! The plan as an SVG map: the road network drawn lightly underneath, each vehicle's
//! tour in its own colour along the roads it drives, sites marked by kind, a legend,
//! and the OpenStreetMap attribution the data's licence asks for.
//!
//! Plain SVG text with no dependency: a file any browser or image viewer opens.

use std::fmt::Write;

use crate::domain::SiteKind;
use crate::pipeline::Solved;
use crate::roads::RoadNetwork;

/// Drawing width, pixels (the height follows the region's shape).
const WIDTH_PX: f64 = 1000.0;
/// Margin around the drawing, pixels.
const MARGIN_PX: f64 = 30.0;
/// Room for the legend on the right, pixels.
const LEGEND_PX: f64 = 260.0;

/// Distinct colours for tours (colour-blind-friendly first: Okabe & Ito).
const COLOURS: [&str; 10] = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#8C564B",
    "#7F7F7F", "#BCBD22",
];

/// A local equirectangular projection of a bounding box onto the drawing.
struct Frame {
    min_lat: f64,
    max_lat: f64,
    min_lon: f64,
    /// Pixels per degree of latitude.
    px_per_lat: f64,
    /// Pixels per degree of longitude (shrunk by the cosine of the latitude).
    px_per_lon: f64,
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
        let px_per_lat = WIDTH_PX / ((max_lon - min_lon) * cos_lat);
        Frame {
            min_lat,
            max_lat,
            min_lon,
            px_per_lat,
            px_per_lon: px_per_lat * cos_lat,
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
            && (MARGIN_PX..=MARGIN_PX + WIDTH_PX).contains(&x)
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The plan of `solved` as an SVG document.
pub fn map_svg(solved: &Solved) -> String {
    let sites = solved.site_points_deg();
    let paths: Vec<Vec<(f64, f64)>> = solved
        .solution
        .tours
        .iter()
        .map(|tour| solved.tour_path(tour))
        .collect();
    let frame = Frame::new(sites.iter().copied().chain(paths.iter().flatten().copied()));
    let height = frame.height_px + 2.0 * MARGIN_PX;
    let mut svg = String::new();
    write_header(&mut svg, height);
    // Drawn bottom to top: roads under tours, tours under the sites they join.
    if let Some(network) = &solved.travel.road {
        write_roads(&mut svg, network, &frame);
    }
    write_tours(&mut svg, &paths, &frame);
    write_sites(&mut svg, solved, &sites, &frame);
    let legend_x = WIDTH_PX + 2.0 * MARGIN_PX;
    let y = write_tour_legend(&mut svg, solved, legend_x);
    write_site_legend(&mut svg, legend_x, y);
    write_attribution(&mut svg, solved, height);
    svg.push_str("</svg>\n");
    svg
}

/// The `<svg>` element sized for the drawing and the legend, and a white background.
fn write_header(svg: &mut String, height: f64) {
    let width = WIDTH_PX + 2.0 * MARGIN_PX + LEGEND_PX;
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
        r##"<path d="{d}" stroke="#c8c8c8" stroke-width="0.7" fill="none"/>"##
    );
}

/// One polyline per tour, in the tour's colour.
fn write_tours(svg: &mut String, paths: &[Vec<(f64, f64)>], frame: &Frame) {
    for (index, path) in paths.iter().enumerate() {
        let colour = COLOURS[index % COLOURS.len()];
        let points: Vec<String> = path
            .iter()
            .map(|&p| {
                let (x, y) = frame.xy(p);
                format!("{x:.1},{y:.1}")
            })
            .collect();
        let _ = writeln!(
            svg,
            r#"<polyline points="{}" stroke="{colour}" stroke-width="3" stroke-opacity="0.8" fill="none" stroke-linejoin="round"/>"#,
            points.join(" ")
        );
    }
}

/// A marker and a label for every site with coordinates; the marker's tooltip is the
/// site's name.
fn write_sites(svg: &mut String, solved: &Solved, sites: &[(f64, f64)], frame: &Frame) {
    for (site, &point) in solved.problem.sites.iter().zip(sites) {
        if site.coordinates_deg.is_none() {
            continue;
        }
        let (x, y) = frame.xy(point);
        let title = escape(if site.name.is_empty() {
            &site.id
        } else {
            &site.name
        });
        let shape = site_marker(site.kind, x, y);
        let _ = writeln!(svg, "<g><title>{title}</title>{shape}</g>");
        let _ = writeln!(
            svg,
            r##"<text x="{:.1}" y="{:.1}" font-size="11" fill="#333">{title}</text>"##,
            x + 9.0,
            y + 4.0
        );
    }
}

/// The marker of a site of `kind` centred on `(x, y)`: the shape tells the kind apart.
fn site_marker(kind: SiteKind, x: f64, y: f64) -> String {
    match kind {
        SiteKind::Farm => {
            format!(r##"<circle cx="{x:.1}" cy="{y:.1}" r="6" fill="#2e8b57" stroke="#fff"/>"##)
        }
        SiteKind::Hub => format!(
            r##"<rect x="{:.1}" y="{:.1}" width="14" height="14" fill="#1f3a93" stroke="#fff"/>"##,
            x - 7.0,
            y - 7.0
        ),
        SiteKind::PickupPoint => format!(
            r##"<polygon points="{x:.1},{:.1} {:.1},{:.1} {:.1},{:.1}" fill="#e67e22" stroke="#fff"/>"##,
            y - 8.0,
            x - 7.0,
            y + 5.0,
            x + 7.0,
            y + 5.0
        ),
        SiteKind::Other => format!(r##"<circle cx="{x:.1}" cy="{y:.1}" r="4" fill="#555"/>"##),
    }
}

/// The "Tours" legend: one line per tour with its colour, vehicle and kilometres.
/// Returns the height reached, where the next legend starts.
fn write_tour_legend(svg: &mut String, solved: &Solved, legend_x: f64) -> f64 {
    let mut y = MARGIN_PX + 10.0;
    let _ = writeln!(
        svg,
        r#"<text x="{legend_x:.0}" y="{y:.0}" font-weight="bold">Tours</text>"#
    );
    for (index, tour) in solved.solution.tours.iter().enumerate() {
        y += 20.0;
        let vehicle = &solved.problem.vehicles[tour.vehicle];
        let colour = COLOURS[index % COLOURS.len()];
        let km = tour.figures.distance_m as f64 / 1000.0;
        let _ = writeln!(
            svg,
            r#"<line x1="{legend_x:.0}" y1="{:.0}" x2="{:.0}" y2="{:.0}" stroke="{colour}" stroke-width="4"/><text x="{:.0}" y="{y:.0}">{} — {km:.1} km</text>"#,
            y - 4.0,
            legend_x + 24.0,
            y - 4.0,
            legend_x + 30.0,
            escape(&vehicle.id)
        );
    }
    y
}

/// The "Sites" legend below the tours' (which ends at `y`): one sample marker per kind.
fn write_site_legend(svg: &mut String, legend_x: f64, y: f64) {
    let mut y = y + 30.0;
    let _ = writeln!(
        svg,
        r#"<text x="{legend_x:.0}" y="{y:.0}" font-weight="bold">Sites</text>"#
    );
    for (label, shape) in site_legend_samples(legend_x, y) {
        y += 20.0;
        let _ = writeln!(
            svg,
            r#"{shape}<text x="{:.0}" y="{:.0}">{label}</text>"#,
            legend_x + 30.0,
            y
        );
    }
}

/// The legend's sample markers, below the heading at `y`, without the white outline of
/// the map's markers.
fn site_legend_samples(legend_x: f64, y: f64) -> [(&'static str, String); 3] {
    [
        (
            "farm",
            format!(
                r##"<circle cx="{:.0}" cy="{:.0}" r="6" fill="#2e8b57"/>"##,
                legend_x + 10.0,
                y + 16.0
            ),
        ),
        (
            "hub",
            format!(
                r##"<rect x="{:.0}" y="{:.0}" width="14" height="14" fill="#1f3a93"/>"##,
                legend_x + 3.0,
                y + 29.0
            ),
        ),
        (
            "pickup point",
            format!(
                r##"<polygon points="{:.0},{:.0} {:.0},{:.0} {:.0},{:.0}" fill="#e67e22"/>"##,
                legend_x + 10.0,
                y + 48.0,
                legend_x + 3.0,
                y + 61.0,
                legend_x + 17.0,
                y + 61.0
            ),
        ),
    ]
}

/// Where travel came from and the credit the OpenStreetMap licence (ODbL) requires.
fn write_attribution(svg: &mut String, solved: &Solved, height: f64) {
    let _ = writeln!(
        svg,
        r##"<text x="{:.0}" y="{:.0}" font-size="11" fill="#444">travel: {} — map data © OpenStreetMap contributors (ODbL)</text>"##,
        MARGIN_PX,
        height - 8.0,
        solved.travel.source
    );
}
