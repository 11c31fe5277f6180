//! `tournee serve`: the gRPC server (and the HTTP/JSON API with `--http-addr`) until SIGINT or SIGTERM (then it drains the calls
//! in flight, see `--grace-period-s`), with how many solves run and wait
//! (`--max-concurrent-solves`, `--max-queue`), with the limits on what one request
//! may ask for (`--max-…`), which the CLI's own commands take at their defaults, and the
//! OSRM servers a request may name (`--osrm-url`, `--osrm-allow`; the CLI's own
//! commands take any URL their user gives), and where long-running operations are kept
//! (`--data-dir`, `--operation-ttl-s`: `operations.rs`). Who may call and over what
//! (`--api-keys`, `--max-solves-per-key`, `--tls-cert`, `--tls-key`) is in `access.rs`.

use anyhow::Context;

use super::access::AccessArgs;
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
    /// Most vehicles (a vehicle with shifts counts once per shift).
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

/// How the server shares its cores and how it stops.
#[derive(Debug, Clone, clap::Args)]
pub struct ServiceArgs {
    /// Solves (and matrix computations) running at once (default: one per core).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=4096))]
    max_concurrent_solves: Option<u64>,
    /// Calls waiting for a solver; past them a call gets RESOURCE_EXHAUSTED with a
    /// retry delay (default: 4 × --max-concurrent-solves).
    #[arg(long, value_name = "M", value_parser = clap::value_parser!(u64).range(0..=1_000_000))]
    max_queue: Option<u64>,
    /// On SIGTERM or SIGINT: seconds running solves go on before they answer with their
    /// best plan; the server stops accepting calls at once and exits once all are answered.
    #[arg(long, value_name = "S", default_value_t = 10, value_parser = clap::value_parser!(u64).range(0..=3600))]
    grace_period_s: u64,
    /// Log lines for people (human) or one JSON object a line (json); RUST_LOG picks
    /// what is logged (default: info).
    #[arg(long, value_enum, default_value = "human")]
    log_format: LogFormat,
    /// Address of the Prometheus endpoint (GET /metrics, plain HTTP); none by default.
    /// Keep it on a private interface: it tells call counts, not request content.
    #[arg(long, value_name = "ADDR")]
    metrics_addr: Option<String>,
    /// Most bytes of requests the server holds at once (arriving, queued, running);
    /// past it a call gets RESOURCE_EXHAUSTED with a retry delay, before its request is
    /// decoded. At least 1 MiB; default 512 MiB (a request may weigh 64 MiB).
    #[arg(long, value_name = "BYTES", default_value_t = tournee::server::DEFAULT_MAX_REQUEST_BYTES_IN_FLIGHT as u64,
          value_parser = clap::value_parser!(u64).range(1_048_576..))]
    max_request_bytes_in_flight: u64,
    /// Address of the HTTP/JSON API (POST /v1/solve, /v1/matrix, VROOM's POST / and
    /// /optimization, GET /health, /openapi.json; plain HTTP); none by default. Same
    /// solvers, queue, keys and limits as gRPC.
    #[arg(long, value_name = "ADDR")]
    http_addr: Option<String>,
    /// The planner page (GET / on --http-addr) draws raster map tiles from this URL
    /// template under its tours, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png
    /// (mind the tile server's usage policy). Off by default: the page then draws the
    /// --osm road graph's roads and asks nothing of another server.
    #[arg(long, value_name = "URL_TEMPLATE", requires = "http_addr")]
    map_tiles: Option<String>,
    #[command(flatten)]
    operations: super::operations::OperationArgs,
}

/// How log lines look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// One readable line per event.
    Human,
    /// One JSON object per event, with the call's span (method, request id).
    Json,
}

/// Sends the library's `tracing` events to stderr, filtered by RUST_LOG (default info).
pub fn init_logs(format: LogFormat) -> anyhow::Result<()> {
    use tracing_subscriber::EnvFilter;
    let filter = match std::env::var("RUST_LOG") {
        Ok(directives) => {
            EnvFilter::try_new(&directives).map_err(|error| anyhow::anyhow!("RUST_LOG: {error}"))?
        }
        Err(_) => EnvFilter::new("info"),
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let installed = match format {
        LogFormat::Human => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
    installed.map_err(|error| anyhow::anyhow!("installing the logger: {error}"))
}

impl ServiceArgs {
    /// The library's admission limits.
    pub fn admission(&self) -> tournee::server::AdmissionLimits {
        let defaults = tournee::server::AdmissionLimits::default();
        let running = self
            .max_concurrent_solves
            .map_or(defaults.max_concurrent_solves, |n| n as usize);
        tournee::server::AdmissionLimits {
            max_concurrent_solves: running,
            max_queue: self.max_queue.map_or(4 * running, |m| m as usize),
        }
    }
}

/// A future that completes on SIGINT (Ctrl-C) or SIGTERM (what process managers send).
/// The handlers are in place when this returns, not when the future is first polled: a
/// supervisor (or a test) that signals as soon as the address is printed gets a drain,
/// not the default end by signal. Call it within the runtime.
pub fn shutdown_signal() -> anyhow::Result<impl std::future::Future<Output = ()>> {
    #[cfg(unix)]
    let signalled = {
        use tokio::signal::unix::{SignalKind, signal};
        let mut terminate = signal(SignalKind::terminate()).context("listening for SIGTERM")?;
        let mut interrupt = signal(SignalKind::interrupt()).context("listening for SIGINT")?;
        async move {
            tokio::select! {
                _ = interrupt.recv() => {},
                _ = terminate.recv() => {},
            }
        }
    };
    #[cfg(not(unix))]
    let signalled = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    Ok(async move {
        signalled.await;
        tracing::info!("shutting down: no new calls; answering the calls in flight");
    })
}

/// Prepares the road graph of `--osm` now, so that a bad extract stops the start.
pub fn prepare_roads(travel: &tournee::travel::TravelConfig) -> anyhow::Result<()> {
    if let Some(osm) = &travel.osm {
        let network = osm.load()?;
        let times = &network.times;
        tracing::info!(
            source = %network.source.display(),
            nodes = network.stats.nodes,
            arcs = network.stats.arcs,
            prepared_ms = (times.parse + times.graph + times.hierarchy).as_millis() as u64,
            "road graph ready"
        );
    }
    Ok(())
}

/// The server's metrics, served on `--metrics-addr` when given.
async fn serve_metrics(
    service: &ServiceArgs,
) -> anyhow::Result<std::sync::Arc<tournee::server::Metrics>> {
    let metrics = tournee::server::Metrics::new();
    if let Some(metrics_addr) = &service.metrics_addr {
        let listener = tokio::net::TcpListener::bind(metrics_addr)
            .await
            .with_context(|| format!("--metrics-addr: cannot listen on {metrics_addr}"))?;
        let bound = listener
            .local_addr()
            .context("reading the metrics address")?;
        tracing::info!(%bound, "metrics on http://{bound}/metrics");
        tokio::spawn(tournee::server::serve_metrics(listener, metrics.clone()));
    }
    Ok(metrics)
}

/// The listener of `--http-addr`.
async fn http_listener(http_addr: &str) -> anyhow::Result<tokio::net::TcpListener> {
    let listener = tokio::net::TcpListener::bind(http_addr)
        .await
        .with_context(|| format!("--http-addr: cannot listen on {http_addr}"))?;
    let bound = listener.local_addr().context("reading the HTTP address")?;
    tracing::info!(%bound, tls = false, "HTTP/JSON API on http://{bound}/ (openapi.json)");
    Ok(listener)
}

/// Refuses an `--osrm-allow` that is not an HTTP URL.
pub fn check_osrm_allow(osrm_allow: &[String]) -> anyhow::Result<()> {
    for url in osrm_allow {
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            anyhow::bail!("--osrm-allow: {url:?} is not an http:// or https:// URL");
        }
    }
    Ok(())
}

/// Serves on `addr` until SIGINT or SIGTERM, then drains the calls in flight.
pub fn run(
    addr: &str,
    roads: &RoadArgs,
    limits: &LimitArgs,
    service: &ServiceArgs,
    access: &AccessArgs,
    osrm_allow: &[String],
) -> anyhow::Result<()> {
    init_logs(service.log_format)?;
    let (tls, access) = (access.tls()?, access.access()?);
    let travel = roads.config()?;
    check_osrm_allow(osrm_allow)?;
    prepare_roads(&travel)?;
    let policy = tournee::server::server_policy(&travel, limits.limits(), osrm_allow);
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("--addr: cannot listen on {addr}"))?;
        let local = listener.local_addr().context("reading the bound address")?;
        let shutdown = shutdown_signal()?;
        tracing::info!(
            %local,
            max_concurrent_solves = service.admission().max_concurrent_solves,
            max_queue = service.admission().max_queue,
            api_keys = access.api_keys.as_ref().map_or(0, |keys| keys.len()),
            max_solves_per_key = access.max_solves_per_key,
            max_calls_per_key_per_minute = access.max_calls_per_key_per_minute,
            tls = tls.is_some(),
            "tournee serving tournee.v1.Routing (health, reflection v1 and v1alpha)"
        );
        if access.api_keys.is_none() {
            tracing::warn!("no --api-keys: any caller who reaches this address may solve");
        }
        // The bound address on stdout too, for a supervisor (or a test) that asked for
        // port 0.
        println!("{local}");
        let metrics = serve_metrics(service).await?;
        let http = match &service.http_addr {
            Some(http_addr) => Some(http_listener(http_addr).await?),
            None => None,
        };
        let config = tournee::server::ServerConfig {
            travel,
            policy,
            admission: service.admission(),
            grace_period: std::time::Duration::from_secs(service.grace_period_s),
            metrics,
            access,
            tls,
            operations: service.operations.config(),
            max_request_bytes_in_flight: usize::try_from(service.max_request_bytes_in_flight)
                .unwrap_or(usize::MAX),
        };
        let door = match http {
            Some(listener) => {
                let mut door = tournee::http::HttpDoor::new(listener);
                if let Some(template) = &service.map_tiles {
                    door = door.with_map_tiles(template).map_err(anyhow::Error::msg)?;
                }
                Some(Box::new(door) as Box<dyn tournee::server::Door>)
            }
            None => None,
        };
        tournee::server::run_with_door(listener, door, shutdown, config).await?;
        tracing::info!("every call answered; exiting");
        Ok(())
    })
}
