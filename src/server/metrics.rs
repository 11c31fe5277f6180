//! Prometheus metrics of the server, in the text exposition format over plain HTTP
//! (`GET /metrics`): calls by method and status code, solves running and calls waiting
//! (read from admission when scraped), solve durations and search iterations per second
//! as histograms. Hand-written: a few counters and a 60-line HTTP answer do not need a
//! metrics stack, and the server must not grow a second web framework for them.
//!
//! In: what `observe` records at each call's end and each solve's end; out: the text a
//! scraper reads.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use super::admission::Admission;

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
}

/// The server's metrics; share one between the server and its `/metrics` listener.
#[derive(Debug, Default)]
pub struct Metrics {
    recorded: Mutex<Recorded>,
    admission: Mutex<Option<Arc<Admission>>>,
}

impl Metrics {
    /// New, empty metrics.
    pub fn new() -> Arc<Metrics> {
        Arc::new(Metrics::default())
    }

    /// Reads running solves and waiting calls from `admission` when scraped.
    pub(super) fn attach(&self, admission: Arc<Admission>) {
        if let Ok(mut attached) = self.admission.lock() {
            *attached = Some(admission);
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

    /// One solve ended after `elapsed_ms` and `iterations`.
    pub(super) fn solve(&self, elapsed_ms: u64, iterations: u64) {
        let seconds = elapsed_ms as f64 / 1000.0;
        if let Ok(mut recorded) = self.recorded.lock() {
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
        let admission = self.admission.lock().ok().and_then(|a| a.clone());
        let (running, waiting) = admission.map_or((0, 0), |a| (a.running(), a.waiting()));
        out.push_str("# HELP tournee_solves_running Solves and matrix computations running.\n");
        out.push_str("# TYPE tournee_solves_running gauge\n");
        let _ = writeln!(out, "tournee_solves_running {running}");
        out.push_str("# HELP tournee_queue_depth Calls waiting for a solver.\n");
        out.push_str("# TYPE tournee_queue_depth gauge\n");
        let _ = writeln!(out, "tournee_queue_depth {waiting}");
        let Ok(recorded) = self.recorded.lock() else {
            return out;
        };
        out.push_str("# HELP tournee_calls_total Calls answered, by method and gRPC code.\n");
        out.push_str("# TYPE tournee_calls_total counter\n");
        for ((method, code), count) in &recorded.calls {
            let _ = writeln!(
                out,
                "tournee_calls_total{{method=\"{method}\",code=\"{code}\"}} {count}"
            );
        }
        out.push_str("# HELP tournee_solve_duration_seconds Wall time of each solve.\n");
        out.push_str("# TYPE tournee_solve_duration_seconds histogram\n");
        let name = "tournee_solve_duration_seconds";
        recorded
            .solve_duration_s
            .render(&mut out, name, &DURATION_BUCKETS_S);
        out.push_str("# HELP tournee_solve_iterations_per_second Search speed of each solve.\n");
        out.push_str("# TYPE tournee_solve_iterations_per_second histogram\n");
        let name = "tournee_solve_iterations_per_second";
        recorded
            .iterations_per_s
            .render(&mut out, name, &RATE_BUCKETS);
        out
    }
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
