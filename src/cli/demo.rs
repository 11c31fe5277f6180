//! `tournee demo`: plans the bundled cooperative scenario (embedded in the binary, so
//! it runs anywhere with no server and no network) and prints it for people.

use super::SearchOverrides;

/// The bundled scenario: five Liechtenstein producers sharing three vans.
const SCENARIO: &str = include_str!("../../data/demo/cooperative.json");

/// Solves and prints the scenario.
pub fn run(search: &SearchOverrides) -> anyhow::Result<()> {
    let mut request = super::solve::read_request(SCENARIO, super::InputFormat::Native)?;
    search.apply(&mut request)?;
    let solved = super::solve::solve(&request)?;
    println!(
        "tournee demo — a cooperative of {} producers shares {} vans ({} sites, travel: {})\n",
        solved.problem.producers.len(),
        solved.problem.vehicles.len(),
        solved.problem.sites.len(),
        solved.travel_source
    );
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
