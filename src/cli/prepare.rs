//! `tournee prepare`: an OSM extract → a prepared road network file that `serve`,
//! `solve`, `matrix` and `vroom` read with `--osm` instead of preparing at every start.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use tournee::roads::RoadNetwork;

/// Arguments of `tournee prepare`.
#[derive(Debug, clap::Args)]
pub struct PrepareArguments {
    /// The OpenStreetMap PBF extract.
    #[arg(value_name = "REGION.osm.pbf")]
    extract: PathBuf,
    /// Where to write the prepared network.
    #[arg(long, value_name = "REGION.graph")]
    out: PathBuf,
}

/// Prepares the extract, writes it, and says what it holds and what it took.
pub fn run(arguments: &PrepareArguments) -> anyhow::Result<()> {
    let started = Instant::now();
    let network = RoadNetwork::prepare(&arguments.extract)
        .with_context(|| format!("{}", arguments.extract.display()))?;
    let prepared_s = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let bytes = network
        .save_prepared(&arguments.out)
        .with_context(|| "--out".to_string())?;
    let (stats, times) = (network.stats, network.times);
    println!(
        "{}: {} nodes and {} arcs kept of {} nodes ({} strongly connected parts)",
        arguments.out.display(),
        stats.nodes,
        stats.arcs,
        stats.network_nodes,
        stats.components
    );
    println!(
        "prepared in {prepared_s:.2} s (parse {:.2} s, graph and snapping grid {:.2} s, hierarchy {:.2} s); written in {:.2} s, {:.1} MB",
        times.parse.as_secs_f64(),
        times.graph.as_secs_f64(),
        times.hierarchy.as_secs_f64(),
        started.elapsed().as_secs_f64(),
        bytes as f64 / 1e6
    );
    Ok(())
}
