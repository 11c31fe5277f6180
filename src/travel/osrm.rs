//! A thin, blocking client for an external `osrm-routed` server: `/table` (durations,
//! distances and snapped positions of N points) and `/route` (the geometry of a tour).
//!
//! It owns what callers should not have to know about OSRM's HTTP interface: the server's
//! limits (`--max-table-size`, `--max-viaroute-size`), worked around by splitting requests
//! and reassembling the answers; the URL length, above which tables go as the JSON POST
//! body OSRM 26 accepts; the `lon,lat` order of OSRM URLs (the crate speaks `(lat, lon)`);
//! and the keep-alive connections the server closes during long series, which are retried.
//! What to do with unreachable pairs, rounding and fallbacks is the caller's business.
//! See `ROADS.md` §2, §3 and §6.6 of the design notes.
//!
//! This file holds the public face (client, answers, errors) and the reassembly of
//! split answers; `blocks` plans the splits, `request` speaks HTTP to the server.

mod blocks;
mod request;

use std::time::Duration;

use geo::Coord;

use crate::domain::DEFAULT_OSRM_MAX_TABLE_SIZE;
use blocks::{plan_route, plan_table};
use request::{chain, coordinates_path};

/// `osrm-routed`'s default `--max-viaroute-size`.
const MAX_ROUTE_POINTS: usize = 500;
/// Longer GET URLs become POSTs: well under the server's header limit (25 kB by default)
/// and under what proxies commonly accept.
const DEFAULT_POST_THRESHOLD_BYTES: usize = 8000;
/// Retries after a connection failure; one usually suffices (a closed keep-alive).
const RETRIES: u32 = 2;
/// Most requests one table may need: a tiny `max_table_size` must not turn one call
/// into thousands of HTTP requests.
pub const MAX_TABLE_REQUESTS: usize = 400;
/// Longest answer read, bytes; a larger one is refused rather than buffered (a
/// 5,000-point table is about 0.5 GB of JSON, far beyond what a request may ask for).
pub const DEFAULT_MAX_ANSWER_BYTES: u64 = 64 * 1024 * 1024;

/// A client for one OSRM server and profile. Cheap to clone (the connection pool is shared).
#[derive(Debug, Clone)]
pub struct OsrmClient {
    base_url: String,
    profile: String,
    http: reqwest::blocking::Client,
    max_table_size: usize,
    post_threshold_bytes: usize,
    retries: u32,
    max_answer_bytes: u64,
}

/// Why an OSRM request failed.
#[derive(Debug, thiserror::Error)]
pub enum OsrmError {
    /// Server not reachable / connection failures after retries / timeout.
    #[error("OSRM server {url} unavailable: {message}")]
    Unavailable {
        /// The endpoint asked (base URL and service, without the query).
        url: String,
        /// What went wrong.
        message: String,
    },
    /// The server answered with an OSRM error code (e.g. TooBig, InvalidQuery, NoSegment)
    /// or with something that is not a usable OSRM answer.
    #[error("OSRM server {url} answered {code}: {message}")]
    Answer {
        /// The endpoint asked (base URL and service, without the query).
        url: String,
        /// OSRM's code, or `BadAnswer` / `HTTP <status>` when there is none.
        code: String,
        /// OSRM's message, or what was wrong with the answer.
        message: String,
    },
}

/// An N×N table, row-major (`from * size + to`). `None` is OSRM's `null`: no route.
#[derive(Debug, Clone, PartialEq)]
pub struct OsrmTable {
    /// Travel times in seconds.
    pub durations_s: Vec<Option<f64>>,
    /// Road distances of the fastest routes, metres.
    pub distances_m: Vec<Option<f64>>,
    /// N.
    pub size: usize,
    /// Where OSRM snapped each point, (lat, lon) degrees.
    pub snapped_lat_lon_deg: Vec<(f64, f64)>,
    /// How far each point is from its snapped position, metres.
    pub snap_distances_m: Vec<f64>,
}

/// The fastest route through points in order.
#[derive(Debug, Clone, PartialEq)]
pub struct OsrmRoute {
    /// The full geometry, encoded polyline of precision 5.
    pub polyline5: String,
    /// Total travel time, seconds.
    pub duration_s: f64,
    /// Total distance, metres.
    pub distance_m: f64,
}

impl OsrmClient {
    /// A client for the server at `base_url` (e.g. `http://127.0.0.1:5000`), profile
    /// `driving`, each request limited to `timeout`. Nothing is sent yet.
    pub fn new(base_url: &str, timeout: Duration) -> Result<OsrmClient, OsrmError> {
        let base_url = base_url.trim_end_matches('/').to_string();
        let unavailable = |message| OsrmError::Unavailable {
            url: base_url.clone(),
            message,
        };
        let parsed = reqwest::Url::parse(&base_url)
            .map_err(|e| unavailable(format!("not a valid URL: {e}")))?;
        // Built without TLS: https would fail on every request, better say so now.
        if parsed.scheme() != "http" {
            return Err(unavailable(format!(
                "scheme {} unsupported (http only)",
                parsed.scheme()
            )));
        }
        // No redirects: a server named by a request must not lead the client elsewhere.
        let http = reqwest::blocking::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(5)))
            .build()
            .map_err(|e| unavailable(chain(&e)))?;
        Ok(OsrmClient {
            base_url,
            profile: "driving".to_string(),
            http,
            max_table_size: DEFAULT_OSRM_MAX_TABLE_SIZE,
            post_threshold_bytes: DEFAULT_POST_THRESHOLD_BYTES,
            retries: RETRIES,
            max_answer_bytes: DEFAULT_MAX_ANSWER_BYTES,
        })
    }

    /// The server's `--max-table-size` (default 100, osrm-routed's default). Values below 2
    /// count as 2: a request needs room for one source and one destination.
    pub fn with_max_table_size(mut self, n: usize) -> Self {
        self.max_table_size = n.max(2);
        self
    }

    /// Table requests whose GET URL would exceed `n` bytes go by POST (default 8000).
    /// POST needs OSRM ≥ 26; 0 forces it.
    pub fn with_post_threshold_bytes(mut self, n: usize) -> Self {
        self.post_threshold_bytes = n;
        self
    }

    /// Answers longer than `n` bytes are refused (default 64 MiB).
    pub fn with_max_answer_bytes(mut self, n: u64) -> Self {
        self.max_answer_bytes = n;
        self
    }

    /// Durations, distances and snapped positions between all `(lat, lon)` points, in
    /// several requests when N exceeds the server's table size; refused, before any is
    /// sent, when that takes more than [`MAX_TABLE_REQUESTS`].
    pub fn table(&self, points_lat_lon_deg: &[(f64, f64)]) -> Result<OsrmTable, OsrmError> {
        let n = points_lat_lon_deg.len();
        let plan = plan_table(n, self.max_table_size);
        if plan.len() > MAX_TABLE_REQUESTS {
            let message = format!(
                "{n} points in tables of {} need {} requests; at most {MAX_TABLE_REQUESTS}",
                self.max_table_size,
                plan.len()
            );
            return Err(self.answer_error("table", "TooManyRequests", message));
        }
        let mut table = OsrmTable {
            durations_s: vec![None; n * n],
            distances_m: vec![None; n * n],
            size: n,
            snapped_lat_lon_deg: points_lat_lon_deg.to_vec(),
            snap_distances_m: vec![0.0; n],
        };
        for request in plan {
            let answer = self.table_request(points_lat_lon_deg, &request)?;
            let (rows, columns) = (request.sources.len(), request.destinations.len());
            let fits = |m: &Vec<Vec<_>>| m.len() == rows && m.iter().all(|r| r.len() == columns);
            let (Some(durations), Some(distances)) = (&answer.durations, &answer.distances) else {
                return Err(self.bad_answer("table", "no durations or distances".into()));
            };
            if !fits(durations) || !fits(distances) || answer.sources.len() != rows {
                let message = format!("expected {rows}×{columns} durations, distances, sources");
                return Err(self.bad_answer("table", message));
            }
            for (row, from) in request.sources.clone().enumerate() {
                for (column, to) in request.destinations.clone().enumerate() {
                    table.durations_s[from * n + to] = durations[row][column];
                    table.distances_m[from * n + to] = distances[row][column];
                }
                // A point is a source in several requests, snapped the same way in all:
                // keep the one where its block meets the first destination block.
                if request.destinations.start == 0 {
                    let [lon, lat] = answer.sources[row].location;
                    table.snapped_lat_lon_deg[from] = (lat, lon);
                    table.snap_distances_m[from] = answer.sources[row].distance;
                }
            }
        }
        Ok(table)
    }

    /// The fastest route through the `(lat, lon)` points in order (at least two), with its
    /// full geometry; split at the server's 500-point limit and joined.
    pub fn route(&self, points_lat_lon_deg: &[(f64, f64)]) -> Result<OsrmRoute, OsrmError> {
        if points_lat_lon_deg.len() < 2 {
            let message = "a route needs at least two points".to_string();
            return Err(self.answer_error("route", "InvalidQuery", message));
        }
        let mut line: Vec<Coord<f64>> = Vec::new();
        let (mut duration_s, mut distance_m) = (0.0, 0.0);
        for range in plan_route(points_lat_lon_deg.len(), MAX_ROUTE_POINTS) {
            let path = coordinates_path(points_lat_lon_deg, &range.collect::<Vec<_>>());
            // continue_straight=false allows a U-turn at a stop (car.lua forbids it by
            // default), as the table's independent legs do: the drawn tour is then the one
            // whose durations the solver used (5 Liechtenstein stops: 31.9 km, not 38.9).
            let query = "overview=full&geometries=polyline&steps=false&continue_straight=false";
            let url = format!("{}/{path}?{query}", self.endpoint("route"));
            let answer = self.call("route", &url, None)?;
            let Some(route) = answer.routes.into_iter().next() else {
                return Err(self.bad_answer("route", "no route in the answer".into()));
            };
            let decoded = polyline::decode_polyline(&route.geometry, 5)
                .map_err(|e| self.bad_answer("route", format!("bad polyline: {e}")))?;
            // Each chunk starts at the point where the previous one ended: drop the repeat.
            let skip = usize::from(!line.is_empty());
            line.extend(decoded.0.into_iter().skip(skip));
            duration_s += route.duration;
            distance_m += route.distance;
        }
        let polyline5 = polyline::encode_coordinates(line, 5)
            .map_err(|e| self.bad_answer("route", format!("cannot encode the geometry: {e}")))?;
        Ok(OsrmRoute {
            polyline5,
            duration_s,
            distance_m,
        })
    }

    fn endpoint(&self, service: &str) -> String {
        format!("{}/{service}/v1/{}", self.base_url, self.profile)
    }

    fn answer_error(&self, service: &str, code: &str, message: String) -> OsrmError {
        OsrmError::Answer {
            url: self.endpoint(service),
            code: code.to_string(),
            message,
        }
    }

    fn bad_answer(&self, service: &str, message: String) -> OsrmError {
        self.answer_error(service, "BadAnswer", message)
    }

    fn unavailable(&self, service: &str, message: String) -> OsrmError {
        OsrmError::Unavailable {
            url: self.endpoint(service),
            message,
        }
    }
}
