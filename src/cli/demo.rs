//! `tournee demo`: plans the bundled cooperative scenario on the bundled Liechtenstein
//! road extract (both embedded in the binary, so it runs anywhere with no server and no
//! network) and prints it for people.

use std::path::Path;

use tournee::travel::{OsmSource, TravelConfig};

use super::args::{InputFormat, SearchOverrides};

/// The bundled road extract: Liechtenstein, OpenStreetMap 2013-08-03 (ODbL).
const EXTRACT: OsmSource = OsmSource::Embedded {
    name: "liechtenstein-2013-08-03.osm.pbf (bundled)",
    bytes: include_bytes!("../../data/roads/liechtenstein-2013-08-03.osm.pbf"),
};

/// The bundled scenario: five Liechtenstein producers sharing three vans.
const SCENARIO: &str = include_str!("../../data/demo/cooperative.json");

/// Solves and prints the scenario.
pub fn run(
    search: &SearchOverrides,
    map: Option<&Path>,
    straight_line: bool,
) -> anyhow::Result<()> {
    let mut request = super::solve::read_request(SCENARIO, InputFormat::Native)?;
    search.apply(&mut request)?;
    let config = TravelConfig {
        osm: (!straight_line).then_some(EXTRACT),
        osrm_url: None,
    };
    let solved = super::solve::solve(&request, &config)?;
    if let Some(map) = map {
        super::solve::write_map(&solved, map)?;
    }
    println!(
        "tournee demo — a cooperative of {} producers shares {} vans ({} sites, travel: {})\n",
        solved.problem.producers.len(),
        solved.problem.vehicles.len(),
        solved.problem.sites.len(),
        solved.travel.source
    );
    if solved.travel.road.is_some() {
        println!(
            "Roads: © OpenStreetMap contributors (ODbL), Liechtenstein extract of 2013-08-03\n"
        );
    }
    print!(
        "{}",
        tournee::report::plan_text(&solved.problem, &solved.solution)
    );
    println!(
        "Search: {} iterations in {} ms, stopped by {:?}",
        solved.solution.iterations, solved.solution.elapsed_ms, solved.solution.stop_reason
    );
    if let Some(report) = &solved.pooling {
        println!(
            "\n{}",
            tournee::report::pooling_text(&solved.problem, report)
        );
    }
    Ok(())
}
