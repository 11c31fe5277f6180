//! `tournee serve`: the gRPC server until Ctrl-C.

use anyhow::Context;

use super::args::RoadArgs;

/// Serves on `addr` until interrupted.
pub fn run(addr: &str, roads: &RoadArgs) -> anyhow::Result<()> {
    let travel = roads.config()?;
    if let Some(osm) = &travel.osm {
        let network = osm.load()?;
        eprintln!(
            "road graph: {} ({} nodes, {} arcs; prepared in {} ms)",
            network.source.display(),
            network.stats.nodes,
            network.stats.arcs,
            (network.times.parse + network.times.graph + network.times.hierarchy).as_millis()
        );
    }
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("--addr: cannot listen on {addr}"))?;
        let local = listener.local_addr().context("reading the bound address")?;
        eprintln!(
            "tournee serving tournee.v1.Routing on {local} (health, reflection v1 and v1alpha)"
        );
        let shutdown = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        tournee::server::run_with(listener, shutdown, travel).await?;
        Ok(())
    })
}
