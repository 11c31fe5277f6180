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

use std::ops::Range;
use std::time::Duration;

use geo::Coord;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::domain::DEFAULT_OSRM_MAX_TABLE_SIZE;

/// `osrm-routed`'s default `--max-viaroute-size`.
const MAX_ROUTE_POINTS: usize = 500;
/// Longer GET URLs become POSTs: well under the server's header limit (25 kB by default)
/// and under what proxies commonly accept.
const DEFAULT_POST_THRESHOLD_BYTES: usize = 8000;
/// Retries after a connection failure; one usually suffices (a closed keep-alive).
const RETRIES: u32 = 2;
/// First pause before a retry, doubled each time.
const BACKOFF: Duration = Duration::from_millis(100);

/// A client for one OSRM server and profile. Cheap to clone (the connection pool is shared).
#[derive(Debug, Clone)]
pub struct OsrmClient {
    base_url: String,
    profile: String,
    http: reqwest::blocking::Client,
    max_table_size: usize,
    post_threshold_bytes: usize,
    retries: u32,
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

/// One `/table` request: the cells from the points `sources` to the points `destinations`.
#[derive(Debug, Clone, PartialEq)]
struct TableRequest {
    sources: Range<usize>,
    destinations: Range<usize>,
}

/// The local `sources=` and `destinations=` indices of a request.
type IndexLists = (Vec<usize>, Vec<usize>);

impl TableRequest {
    /// The points to send and, unless every point is both, the local `sources=` and
    /// `destinations=` indices. OSRM refuses a one-coordinate table, so a single point is
    /// sent twice, as source and as destination.
    fn wire(&self) -> (Vec<usize>, Option<IndexLists>) {
        let (s, d) = (self.sources.clone(), self.destinations.clone());
        if s == d && s.len() >= 2 {
            return (s.collect(), None);
        }
        let lists = (
            (0..s.len()).collect(),
            (s.len()..s.len() + d.len()).collect(),
        );
        (s.chain(d).collect(), Some(lists))
    }
}

/// Requests covering every cell of an N×N table once, none sending more than
/// `max_table_size` coordinates (OSRM counts all of a request's coordinates, sources and
/// destinations alike): one request if N fits, else every pair of blocks of ≤ max/2 points.
fn plan_table(n: usize, max_table_size: usize) -> Vec<TableRequest> {
    let block = if n <= max_table_size {
        n.max(1)
    } else {
        (max_table_size / 2).max(1)
    };
    let blocks: Vec<Range<usize>> = (0..n)
        .step_by(block)
        .map(|s| s..(s + block).min(n))
        .collect();
    let pairs = blocks
        .iter()
        .flat_map(|s| blocks.iter().map(move |d| (s.clone(), d.clone())));
    pairs
        .map(|(sources, destinations)| TableRequest {
            sources,
            destinations,
        })
        .collect()
}

/// Consecutive ranges of at most `max` points, each starting at the previous one's last
/// point, so that every leg of the whole route is in exactly one range.
fn plan_route(n: usize, max: usize) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut start = 0;
    while start + 1 < n {
        let end = (start + max.max(2)).min(n);
        ranges.push(start..end);
        start = end - 1;
    }
    ranges
}

/// `lon,lat;lon,lat…` with 6 decimals, OSRM's precision.
fn coordinates_path(points_lat_lon_deg: &[(f64, f64)], indices: &[usize]) -> String {
    let each = indices.iter().map(|&i| points_lat_lon_deg[i]);
    each.map(|(lat, lon)| format!("{lon:.6},{lat:.6}"))
        .collect::<Vec<_>>()
        .join(";")
}

fn index_list(indices: &[usize]) -> String {
    indices
        .iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(";")
}

/// Any OSRM answer, error answers included (they carry only `code` and `message`).
#[derive(Debug, Deserialize)]
struct Answer {
    code: String,
    #[serde(default)]
    message: String,
    durations: Option<Vec<Vec<Option<f64>>>>,
    distances: Option<Vec<Vec<Option<f64>>>>,
    #[serde(default)]
    sources: Vec<Waypoint>,
    #[serde(default)]
    routes: Vec<RouteLine>,
}

#[derive(Debug, Deserialize)]
struct Waypoint {
    location: [f64; 2],
    #[serde(default)]
    distance: f64,
}

#[derive(Debug, Deserialize)]
struct RouteLine {
    geometry: String,
    duration: f64,
    distance: f64,
}

/// An error and its causes on one line: reqwest's own message ("error sending request")
/// says little, the cause ("Connection refused") is further down the chain.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text = format!("{text}: {cause}");
        source = cause.source();
    }
    text
}

/// The start of a body, for messages.
fn snippet(body: &[u8]) -> String {
    String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned()
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
        let http = reqwest::blocking::Client::builder()
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

    /// Durations, distances and snapped positions between all `(lat, lon)` points, in
    /// several requests when N exceeds the server's table size.
    pub fn table(&self, points_lat_lon_deg: &[(f64, f64)]) -> Result<OsrmTable, OsrmError> {
        let n = points_lat_lon_deg.len();
        let mut table = OsrmTable {
            durations_s: vec![None; n * n],
            distances_m: vec![None; n * n],
            size: n,
            snapped_lat_lon_deg: points_lat_lon_deg.to_vec(),
            snap_distances_m: vec![0.0; n],
        };
        for request in plan_table(n, self.max_table_size) {
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

    /// GET while the URL is short enough, else POST with the same content as JSON.
    fn table_request(
        &self,
        points: &[(f64, f64)],
        request: &TableRequest,
    ) -> Result<Answer, OsrmError> {
        let (coords, lists) = request.wire();
        let path = coordinates_path(points, &coords);
        let mut url = format!(
            "{}/{path}?annotations=duration,distance",
            self.endpoint("table")
        );
        if let Some((sources, destinations)) = &lists {
            let (s, d) = (index_list(sources), index_list(destinations));
            url.push_str(&format!("&sources={s}&destinations={d}"));
        }
        if url.len() <= self.post_threshold_bytes {
            return self.call("table", &url, None);
        }
        // Rounded as in the URL, so that GET and POST ask exactly the same.
        let round6 = |x: f64| (x * 1e6).round() / 1e6;
        let coordinates: Vec<[f64; 2]> = coords
            .iter()
            .map(|&i| [round6(points[i].1), round6(points[i].0)])
            .collect();
        let mut body =
            json!({ "coordinates": coordinates, "annotations": ["duration", "distance"] });
        if let Some((sources, destinations)) = lists {
            body["sources"] = json!(sources);
            body["destinations"] = json!(destinations);
        }
        self.call("table", &self.endpoint("table"), Some(&body))
    }

    /// One request (POST when there is a body), retried on connection failures, and its
    /// answer when the code is "Ok".
    fn call(&self, service: &str, url: &str, body: Option<&Value>) -> Result<Answer, OsrmError> {
        let mut attempt = 0;
        let (status, bytes) = loop {
            let request = match body {
                Some(body) => self.http.post(url).json(body),
                None => self.http.get(url),
            };
            let result = request.send().and_then(|response| {
                let status = response.status();
                response.bytes().map(|bytes| (status, bytes))
            });
            match result {
                Ok(answer) => break answer,
                // Not after a timeout: the server is busy or the table too big, and waiting
                // again would only multiply the delay.
                Err(e)
                    if attempt < self.retries
                        && !e.is_timeout()
                        && (e.is_connect() || e.is_request() || e.is_body()) =>
                {
                    std::thread::sleep(BACKOFF * 2u32.pow(attempt));
                    attempt += 1;
                }
                Err(e) => {
                    let message = format!("{} ({attempt} retries)", chain(&e.without_url()));
                    return Err(self.unavailable(service, message));
                }
            }
        };
        match serde_json::from_slice::<Answer>(&bytes) {
            Ok(answer) if answer.code == "Ok" && status.is_success() => Ok(answer),
            Ok(answer) => Err(self.answer_error(service, &answer.code, answer.message)),
            // No OSRM JSON behind an error status: a gateway in front of a server that is down.
            Err(_) if matches!(status.as_u16(), 502..=504) => {
                Err(self.unavailable(service, format!("HTTP {status}")))
            }
            Err(_) if !status.is_success() => {
                let code = format!("HTTP {}", status.as_u16());
                Err(self.answer_error(service, &code, snippet(&bytes)))
            }
            Err(e) => {
                Err(self.bad_answer(service, format!("{e}; answer begins {:?}", snippet(&bytes))))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_plans_cover_every_cell_once_within_the_limit() {
        let cases = [
            (0, 100),
            (1, 100),
            (2, 2),
            (5, 2),
            (100, 100),
            (101, 100),
            (200, 100),
        ];
        for (n, max) in cases
            .into_iter()
            .chain([(251, 100), (51, 100), (7, 3), (3, 7)])
        {
            let mut seen = vec![0u32; n * n];
            for request in plan_table(n, max) {
                let (coords, _) = request.wire();
                assert!(
                    (2..=max).contains(&coords.len()),
                    "n={n} max={max}: {coords:?}"
                );
                for from in request.sources.clone() {
                    request
                        .destinations
                        .clone()
                        .for_each(|to| seen[from * n + to] += 1);
                }
            }
            assert!(
                seen.iter().all(|&count| count == 1),
                "n={n} max={max}: {seen:?}"
            );
        }
        assert_eq!(
            (plan_table(200, 100).len(), plan_table(200, 1000).len()),
            (16, 1)
        );
        let one = TableRequest {
            sources: 0..1,
            destinations: 0..1,
        };
        assert_eq!(one.wire(), (vec![0, 0], Some((vec![0], vec![1]))));
        let pair = TableRequest {
            sources: 4..6,
            destinations: 0..3,
        };
        assert_eq!(
            pair.wire(),
            (vec![4, 5, 0, 1, 2], Some((vec![0, 1], vec![2, 3, 4])))
        );
    }

    #[test]
    fn route_chunks_share_their_ends() {
        assert_eq!(plan_route(1, 500), Vec::<Range<usize>>::new());
        assert_eq!(plan_route(500, 500), vec![0..500]);
        assert_eq!(plan_route(1200, 500), vec![0..500, 499..999, 998..1200]);
        assert_eq!(plan_route(4, 2), vec![0..2, 1..3, 2..4]);
    }

    #[test]
    fn urls_are_lon_lat_with_six_decimals() -> Result<(), OsrmError> {
        let points = [(47.1606641, 9.5068609), (-33.5, -70.25)];
        let path = "9.506861,47.160664;-70.250000,-33.500000";
        assert_eq!(
            (coordinates_path(&points, &[0, 1]), index_list(&[3, 4])),
            (path.into(), "3;4".into())
        );
        let client = OsrmClient::new("http://127.0.0.1:5000/", Duration::from_secs(1))?;
        assert_eq!(
            client.endpoint("table"),
            "http://127.0.0.1:5000/table/v1/driving"
        );
        assert!(OsrmClient::new("https://example.org", Duration::from_secs(1)).is_err());
        assert!(OsrmClient::new("not a url", Duration::from_secs(1)).is_err());
        Ok(())
    }

    #[test]
    fn parses_answers_with_null_cells_and_errors() -> Result<(), serde_json::Error> {
        let body = r#"{"code":"Ok","durations":[[0,12.5],[null,0]],"distances":[[0,100.2],[null,0]],
            "sources":[{"hint":"x","location":[9.5,47.1],"name":"A","distance":3.25},
                       {"location":[9.6,47.2],"name":"B","distance":0}],
            "destinations":[{"location":[9.5,47.1]},{"location":[9.6,47.2]}]}"#;
        let answer: Answer = serde_json::from_str(body)?;
        let expected = vec![vec![Some(0.0), Some(12.5)], vec![None, Some(0.0)]];
        assert_eq!(
            (answer.code.as_str(), answer.durations),
            ("Ok", Some(expected))
        );
        assert_eq!(answer.distances.map(|d| d[1][0]), Some(None));
        assert_eq!(
            (answer.sources[0].location, answer.sources[0].distance),
            ([9.5, 47.1], 3.25)
        );
        let body = r#"{"code":"TooBig","message":"Too many table coordinates"}"#;
        let answer: Answer = serde_json::from_str(body)?;
        assert_eq!(
            (answer.code.as_str(), answer.message.as_str()),
            ("TooBig", "Too many table coordinates")
        );
        assert!(answer.durations.is_none() && answer.routes.is_empty());
        let url = "http://h:1/table/v1/driving".to_string();
        let error = OsrmError::Answer {
            url,
            code: "TooBig".into(),
            message: "m".into(),
        };
        assert_eq!(
            error.to_string(),
            "OSRM server http://h:1/table/v1/driving answered TooBig: m"
        );
        Ok(())
    }
}
