//! Prometheus metrics of the server, in the text exposition format over plain HTTP
//! (`GET /metrics`): calls by method and status code (refusals before the handler too:
//! no valid key, too many request bytes held), solves running and calls waiting (read
//! from admission when scraped), request bytes held, solve durations and search
//! iterations per second as histograms, long-running operations by state (this
//! process's jobs queued and running; ended by how, and resumed at start, since the
//! process started), pooling coalitions solved, and the prepared road networks' cache
//! hits and misses (the travel data a matrix is computed on). Hand-written: a few counters and a 60-line HTTP answer do not need a
//! metrics stack, and the server must not grow a second web framework for them.
//!
//! In: what `observe` records at each call's end and each solve's end; out: the text a
//! scraper reads.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Upper bounds of the solve duration buckets, seconds.
const DURATION_BUCKETS_S: [f64; 10] = [0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0];
/// Upper bounds of the iterations-per-second buckets.
const RATE_BUCKETS: [f64; 7] = [10.0, 100.0, 1e3, 1e4, 1e5, 1e6, 1e7];
/// Longest a scrape may take before its connection is dropped.
const SCRAPE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);
/// Longest HTTP request head read from a scraper, bytes.
const MAX_REQUEST_BYTES: usize = 8 * 1024;

/// A histogram with fixed buckets.
#[derive(Debug, Default, Clone)]
struct Histogram {
    counts: Vec<u64>,
    sum: f64,
    total: u64,
}

impl Histogram {
    fn observe(&mut self, bounds: &[f64], value: f64) {
        self.counts.resize(bounds.len(), 0);
        for (count, bound) in self.counts.iter_mut().zip(bounds) {
            if value <= *bound {
                *count += 1;
            }
        }
        self.sum += value;
        self.total += 1;
    }

    fn render(&self, out: &mut String, name: &str, bounds: &[f64]) {
        for (index, bound) in bounds.iter().enumerate() {
            let count = self.counts.get(index).copied().unwrap_or(0);
            let _ = writeln!(out, "{name}_bucket{{le=\"{bound}\"}} {count}");
        }
        let _ = writeln!(out, "{name}_bucket{{le=\"+Inf\"}} {}", self.total);
        let _ = writeln!(out, "{name}_sum {}", self.sum);
        let _ = writeln!(out, "{name}_count {}", self.total);
    }
}

#[derive(Debug, Default)]
struct Recorded {
    calls: BTreeMap<(&'static str, String), u64>,
    solve_duration_s: Histogram,
    iterations_per_s: Histogram,
    /// Operations ended, by how ("succeeded", "failed", "cancelled", "checkpointed").
    operations_ended: BTreeMap<&'static str, u64>,
    operations_resumed: u64,
    pooling_coalitions: u64,
}

/// A job's state while this process holds it, for the operations gauge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobState {
    /// Waiting for a solver.
    Queued,
    /// Solving.
    Running,
}

/// What the metrics read of admission control when scraped (it counts; the metrics
/// only look, so they import none of the parts they watch).
pub(super) trait SolverGauge: std::fmt::Debug + Send + Sync {
    /// Solves running.
    fn running(&self) -> usize;
    /// Calls waiting for a solver.
    fn waiting(&self) -> usize;
}

/// What the metrics read of the bound on request bytes when scraped.
pub(super) trait BytesGauge: std::fmt::Debug + Send + Sync {
    /// Bytes of requests held.
    fn held(&self) -> usize;
}

/// The Routing methods, as metrics label them (a bounded set, whatever the path).
const METHODS: [&str; 10] = [
    "Solve",
    "SolveStream",
    "ComputeMatrix",
    "SubmitSolve",
    "GetOperation",
    "WaitOperation",
    "CancelOperation",
    "ListOperations",
    "DeleteOperation",
    "PlanDfc",
];

/// The method a call names, in its request extensions: one of the Routing methods, or
/// "unknown".
#[derive(Debug, Clone, Copy)]
pub struct CalledMethod(pub &'static str);

impl CalledMethod {
    /// The method of a path `/tournee.v1.Routing/<Method>`.
    pub(super) fn of(path: &str) -> CalledMethod {
        let name = path.rsplit('/').next().unwrap_or_default();
        CalledMethod(
            METHODS
                .into_iter()
                .find(|m| *m == name)
                .unwrap_or("unknown"),
        )
    }
}

/// The server's metrics; share one between the server and its `/metrics` listener.
#[derive(Debug, Default)]
pub struct Metrics {
    recorded: Mutex<Recorded>,
    admission: Mutex<Option<Arc<dyn SolverGauge>>>,
    request_bytes: Mutex<Option<Arc<dyn BytesGauge>>>,
    /// Jobs queued and running in this process.
    jobs: [AtomicUsize; 2],
}

/// One job counted in a state while it lives.
#[derive(Debug)]
pub struct JobGauge {
    metrics: Arc<Metrics>,
    state: JobState,
}

impl Drop for JobGauge {
    fn drop(&mut self) {
        self.metrics.jobs[self.state as usize].fetch_sub(1, Ordering::AcqRel);
    }
}

impl Metrics {
    /// New, empty metrics.
    pub fn new() -> Arc<Metrics> {
        Arc::new(Metrics::default())
    }

    /// Reads running solves and waiting calls from `admission` when scraped.
    pub(super) fn attach(&self, admission: Arc<dyn SolverGauge>) {
        if let Ok(mut attached) = self.admission.lock() {
            *attached = Some(admission);
        }
    }

    /// Reads the request bytes held from `pool` when scraped.
    pub(super) fn attach_request_bytes(&self, pool: Arc<dyn BytesGauge>) {
        if let Ok(mut attached) = self.request_bytes.lock() {
            *attached = Some(pool);
        }
    }

    /// Counts one job in `state` until the gauge is dropped.
    pub(super) fn job(self: &Arc<Self>, state: JobState) -> JobGauge {
        self.jobs[state as usize].fetch_add(1, Ordering::AcqRel);
        JobGauge {
            metrics: self.clone(),
            state,
        }
    }

    /// One operation ended `how`.
    pub(super) fn operation_ended(&self, how: &'static str) {
        if let Ok(mut recorded) = self.recorded.lock() {
            *recorded.operations_ended.entry(how).or_insert(0) += 1;
        }
    }

    /// `count` operations left unfinished by a previous process were queued again.
    pub(super) fn operations_resumed(&self, count: usize) {
        if let Ok(mut recorded) = self.recorded.lock() {
            recorded.operations_resumed += count as u64;
        }
    }

    /// One call ended with `code`.
    pub(super) fn call(&self, method: &'static str, code: tonic::Code) {
        if let Ok(mut recorded) = self.recorded.lock() {
            *recorded
                .calls
                .entry((method, format!("{code:?}")))
                .or_insert(0) += 1;
        }
    }

    /// One solve ended after `elapsed_ms` and `iterations`, having solved
    /// `coalitions` for its pooling report.
    pub(super) fn solve(&self, elapsed_ms: u64, iterations: u64, coalitions: u64) {
        let seconds = elapsed_ms as f64 / 1000.0;
        if let Ok(mut recorded) = self.recorded.lock() {
            recorded.pooling_coalitions += coalitions;
            recorded
                .solve_duration_s
                .observe(&DURATION_BUCKETS_S, seconds);
            if seconds > 0.0 {
                let rate = iterations as f64 / seconds;
                recorded.iterations_per_s.observe(&RATE_BUCKETS, rate);
            }
        }
    }

    /// The text exposition (format 0.0.4).
    pub fn render(&self) -> String {
        let mut out = String::new();
        self.render_gauges(&mut out);
        let Ok(recorded) = self.recorded.lock() else {
            return out;
        };
        head(
            &mut out,
            "tournee_calls_total",
            "counter",
            "Calls answered, by method and gRPC code.",
        );
        for ((method, code), count) in &recorded.calls {
            let _ = writeln!(
                out,
                "tournee_calls_total{{method=\"{method}\",code=\"{code}\"}} {count}"
            );
        }
        let name = "tournee_solve_duration_seconds";
        head(&mut out, name, "histogram", "Wall time of each solve.");
        recorded
            .solve_duration_s
            .render(&mut out, name, &DURATION_BUCKETS_S);
        let name = "tournee_solve_iterations_per_second";
        head(&mut out, name, "histogram", "Search speed of each solve.");
        recorded
            .iterations_per_s
            .render(&mut out, name, &RATE_BUCKETS);
        let name = "tournee_operations_ended_total";
        head(
            &mut out,
            name,
            "counter",
            "Operations ended, by how (checkpointed: stopped by the server, resumed at the next start).",
        );
        for how in ["succeeded", "failed", "cancelled", "checkpointed"] {
            let count = recorded.operations_ended.get(how).copied().unwrap_or(0);
            let _ = writeln!(out, "{name}{{state=\"{how}\"}} {count}");
        }
        let name = "tournee_operations_resumed_total";
        head(
            &mut out,
            name,
            "counter",
            "Operations left unfinished by a previous process, queued again at start.",
        );
        let _ = writeln!(out, "{name} {}", recorded.operations_resumed);
        let name = "tournee_pooling_coalitions_solved_total";
        head(
            &mut out,
            name,
            "counter",
            "Coalitions solved for pooling reports.",
        );
        let _ = writeln!(out, "{name} {}", recorded.pooling_coalitions);
        out
    }

    /// The gauges, read as they are now, and the road network cache's counters.
    fn render_gauges(&self, out: &mut String) {
        let admission = self.admission.lock().ok().and_then(|a| a.clone());
        let (running, waiting) = admission.map_or((0, 0), |a| (a.running(), a.waiting()));
        let name = "tournee_solves_running";
        head(
            out,
            name,
            "gauge",
            "Solves and matrix computations running.",
        );
        let _ = writeln!(out, "{name} {running}");
        let name = "tournee_queue_depth";
        head(out, name, "gauge", "Calls waiting for a solver.");
        let _ = writeln!(out, "{name} {waiting}");
        let pool = self.request_bytes.lock().ok().and_then(|p| p.clone());
        let name = "tournee_request_bytes_in_flight";
        head(
            out,
            name,
            "gauge",
            "Bytes of the requests arriving, queued and running.",
        );
        let _ = writeln!(out, "{name} {}", pool.map_or(0, |p| p.held()));
        let name = "tournee_operations";
        head(
            out,
            name,
            "gauge",
            "Long-running operations this process holds, by state.",
        );
        for (state, label) in [(JobState::Queued, "queued"), (JobState::Running, "running")] {
            let count = self.jobs[state as usize].load(Ordering::Acquire);
            let _ = writeln!(out, "{name}{{state=\"{label}\"}} {count}");
        }
        let cache = crate::roads::cache_counts();
        let name = "tournee_road_network_cache_total";
        head(
            out,
            name,
            "counter",
            "Prepared road networks asked for: found prepared (hit) or prepared then (miss).",
        );
        let _ = writeln!(out, "{name}{{result=\"hit\"}} {}", cache.hits);
        let _ = writeln!(out, "{name}{{result=\"miss\"}} {}", cache.misses);
    }
}

/// The `# HELP` and `# TYPE` lines of the metric `name`.
fn head(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

/// Answers `GET /metrics` on `listener` with `metrics` until the task is dropped; any
/// other path gets 404. One short answer per connection, then it closes.
pub async fn serve_metrics(listener: TcpListener, metrics: Arc<Metrics>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            // Out of file descriptors, say: wait rather than spin.
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            continue;
        };
        let metrics = metrics.clone();
        tokio::spawn(async move {
            let answered = tokio::time::timeout(SCRAPE_TIMEOUT, answer(stream, &metrics)).await;
            if let Ok(Err(error)) = answered {
                tracing::debug!(%error, "metrics scrape failed");
            }
        });
    }
}

/// Reads one request head and answers it.
async fn answer(mut stream: TcpStream, metrics: &Metrics) -> std::io::Result<()> {
    let mut head = Vec::new();
    let mut buffer = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < MAX_REQUEST_BYTES {
        let read = stream.read(&mut buffer).await?;
        if read == 0 {
            break;
        }
        head.extend_from_slice(&buffer[..read]);
    }
    let (status, body) = if head.starts_with(b"GET /metrics ") || head.starts_with(b"GET /metrics?")
    {
        ("200 OK", metrics.render())
    } else {
        ("404 Not Found", "only /metrics here\n".to_string())
    };
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(response.as_bytes()).await?;
    stream.shutdown().await
}
