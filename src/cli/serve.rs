//! `tournee serve`: the gRPC server until Ctrl-C, with the limits on what one request
//! may ask for (`--max-…`), which the CLI's own commands take at their defaults, and the
//! OSRM servers a request may name (`--osrm-url`, `--osrm-allow`; the CLI's own
//! commands take any URL their user gives).

use anyhow::Context;

use super::args::RoadArgs;

/// Upper bounds on one request; a request above one is refused with INVALID_ARGUMENT
/// (`too_large`) before any work. Defaults: `tournee::validate::RequestLimits::default()`.
#[derive(Debug, Clone, clap::Args)]
pub struct LimitArgs {
    /// Most sites of a Solve (points of a ComputeMatrix).
    #[arg(long, value_name = "N", default_value_t = tournee::validate::RequestLimits::default().max_sites)]
    max_sites: usize,
    /// Most tasks (shipments + jobs).
    #[arg(long, value_name = "N", default_value_t = tournee::validate::RequestLimits::default().max_tasks)]
    max_tasks: usize,
    /// Most vehicles.
    #[arg(long, value_name = "N", default_value_t = tournee::validate::RequestLimits::default().max_vehicles)]
    max_vehicles: usize,
    /// Most travel matrix cells (sites² per profile, rows² per supplied matrix).
    #[arg(long, value_name = "N", default_value_t = tournee::validate::RequestLimits::default().max_matrix_cells)]
    max_matrix_cells: u64,
    /// Most producers in a request asking for the pooling report.
    #[arg(long, value_name = "N", default_value_t = tournee::validate::RequestLimits::default().max_pooling_players)]
    max_pooling_players: usize,
    /// Longest options.time_limit_ms, milliseconds (1..=3600000).
    #[arg(long, value_name = "MS", default_value_t = tournee::validate::RequestLimits::default().max_time_limit_ms,
          value_parser = clap::value_parser!(u64).range(1..=3_600_000))]
    max_time_limit_ms: u64,
}

impl LimitArgs {
    /// The library's limits.
    pub fn limits(&self) -> tournee::validate::RequestLimits {
        tournee::validate::RequestLimits {
            max_sites: self.max_sites,
            max_tasks: self.max_tasks,
            max_vehicles: self.max_vehicles,
            max_matrix_cells: self.max_matrix_cells,
            max_pooling_players: self.max_pooling_players,
            max_time_limit_ms: self.max_time_limit_ms,
        }
    }
}

/// Serves on `addr` until interrupted.
pub fn run(
    addr: &str,
    roads: &RoadArgs,
    limits: &LimitArgs,
    osrm_allow: &[String],
) -> anyhow::Result<()> {
    let travel = roads.config()?;
    for url in osrm_allow {
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            anyhow::bail!("--osrm-allow: {url:?} is not an http:// or https:// URL");
        }
    }
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
    let policy = tournee::server::server_policy(&travel, limits.limits(), osrm_allow);
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
        tournee::server::serve(listener, shutdown, travel, policy).await?;
        Ok(())
    })
}
