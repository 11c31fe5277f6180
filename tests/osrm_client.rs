//! The OSRM client against a real `osrm-routed` (v26.10.0 from `scripts/osrm-setup`, on the
//! Liechtenstein extract). Each test starts its own servers on free loopback ports and kills
//! them by PID when it ends. A failing setup fails the tests: nothing is skipped.

#![allow(clippy::unwrap_used, clippy::expect_used)]
use std::fs::File;
use std::io::Read;
use std::net::TcpListener;
use std::path::Path;
use std::time::{Duration, Instant};

use tournee::travel::osrm::{OsrmClient, OsrmError, OsrmTable};

mod common;

use common::osrm::{Server, free_port, start};

const TIMEOUT: Duration = Duration::from_secs(30);

/// The reference answer of osrm-routed 26.10.0 (CH) for 200 points: points as (lat, lon).
struct Reference {
    points: Vec<(f64, f64)>,
    durations: Vec<Vec<Option<f64>>>,
    distances: Vec<Vec<Option<f64>>>,
}

fn reference() -> Reference {
    #[derive(serde::Deserialize)]
    struct Raw {
        points: Vec<[f64; 2]>,
        durations: Vec<Vec<Option<f64>>>,
        distances: Vec<Vec<Option<f64>>>,
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data/roads/reference/osrm_table200_liechtenstein-2013-08-03.json.gz");
    let mut json = String::new();
    flate2::read::GzDecoder::new(File::open(&path).expect("open the reference"))
        .read_to_string(&mut json)
        .expect("gunzip the reference");
    let raw: Raw = serde_json::from_str(&json).expect("parse the reference");
    Reference {
        points: raw.points.iter().map(|&[lon, lat]| (lat, lon)).collect(),
        durations: raw.durations,
        distances: raw.distances,
    }
}

fn client(server: &Server, max_table_size: usize) -> OsrmClient {
    OsrmClient::new(&server.url, TIMEOUT)
        .expect("client")
        .with_max_table_size(max_table_size)
}

fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let value = f();
    eprintln!("{what}: {:.1} ms", started.elapsed().as_secs_f64() * 1e3);
    value
}

#[test]
fn table_of_200_points_equals_the_reference() {
    let reference = reference();
    let server = start(1000);
    let table = timed("table 200×200, one GET", || {
        client(&server, 1000).table(&reference.points)
    })
    .expect("table");
    let n = reference.points.len();
    assert_eq!(
        (table.size, table.durations_s.len(), table.distances_m.len()),
        (n, n * n, n * n)
    );
    for (cells, expected, what) in [
        (&table.durations_s, &reference.durations, "duration"),
        (&table.distances_m, &reference.distances, "distance"),
    ] {
        for from in 0..n {
            for to in 0..n {
                let (got, want) = (cells[from * n + to], expected[from][to]);
                let close = match (got, want) {
                    (Some(got), Some(want)) => (got - want).abs() <= 0.1,
                    (None, None) => true,
                    _ => false,
                };
                assert!(close, "{what} {from}→{to}: got {got:?}, reference {want:?}");
            }
        }
    }
    assert_eq!(table.snapped_lat_lon_deg.len(), n);
    assert!(
        table
            .snap_distances_m
            .iter()
            .all(|&d| d.is_finite() && d >= 0.0)
    );
}

#[test]
fn chunked_table_equals_the_unchunked_one() {
    let points = reference().points;
    let (big, small) = (start(1000), start(100));
    let whole = client(&big, 1000).table(&points).expect("one request");
    let chunked = timed("table 200×200, 16 chunks of ≤ 100 coordinates", || {
        client(&small, 100).table(&points)
    })
    .expect("chunked table");
    assert_eq!(chunked, whole);
    let requests = small.log().matches("/table/v1/driving").count();
    assert_eq!(requests, 16, "expected 16 chunk requests in the log");
}

#[test]
fn post_answers_as_get() {
    let points = reference().points;
    let server = start(1000);
    let get: OsrmTable = client(&server, 1000).table(&points).expect("GET table");
    let post = timed("table 200×200, POST", || {
        client(&server, 1000)
            .with_post_threshold_bytes(0)
            .table(&points)
    })
    .expect("POST table");
    assert_eq!(post, get);
    // The server logs a POST as the path followed by the JSON body.
    assert!(
        server.log().contains(r#"/table/v1/driving {"#),
        "no POST in the server log"
    );
    // POST with sources/destinations lists too: chunked over blocks of 50.
    let chunked = client(&server, 100)
        .with_post_threshold_bytes(0)
        .table(&points);
    assert_eq!(chunked.expect("chunked POST table"), get);
}

#[test]
fn route_follows_the_table_legs() {
    let points: Vec<(f64, f64)> = reference().points.into_iter().take(5).collect();
    let server = start(1000);
    let client = client(&server, 1000);
    let table = client.table(&points).expect("table");
    let route = timed("route through 5 points", || client.route(&points)).expect("route");
    let line = polyline::decode_polyline(&route.polyline5, 5)
        .expect("decode the polyline")
        .0;
    assert!(line.len() >= 2);
    let metres = |(lat1, lon1): (f64, f64), (lat2, lon2): (f64, f64)| {
        let (dlat, dlon) = ((lat2 - lat1).to_radians(), (lon2 - lon1).to_radians());
        let a = (dlat / 2.0).sin().powi(2)
            + lat1.to_radians().cos() * lat2.to_radians().cos() * (dlon / 2.0).sin().powi(2);
        2.0 * 6_371_000.0 * a.sqrt().asin()
    };
    let (first, last) = (line[0], line[line.len() - 1]);
    assert!(metres((first.y, first.x), table.snapped_lat_lon_deg[0]) <= 50.0);
    assert!(metres((last.y, last.x), table.snapped_lat_lon_deg[4]) <= 50.0);
    let legs: f64 = (0..4)
        .map(|i| table.distances_m[i * 5 + i + 1].expect("leg"))
        .sum();
    assert!(
        (route.distance_m - legs).abs() <= 0.01 * legs,
        "route {} m, legs {legs} m",
        route.distance_m
    );
    let leg_durations: f64 = (0..4)
        .map(|i| table.durations_s[i * 5 + i + 1].expect("leg"))
        .sum();
    assert!((route.duration_s - leg_durations).abs() <= 0.01 * leg_durations);
}

#[test]
fn a_server_that_is_down_is_unavailable() {
    let url = format!("http://127.0.0.1:{}", free_port());
    let client = OsrmClient::new(&url, TIMEOUT).expect("client");
    let started = Instant::now();
    let error = client
        .table(&[(47.16, 9.50), (47.18, 9.51)])
        .expect_err("nothing listens");
    eprintln!(
        "down server detected in {:.0} ms: {error}",
        started.elapsed().as_secs_f64() * 1e3
    );
    assert!(matches!(&error, OsrmError::Unavailable { url: u, .. } if u.starts_with(&url)));
    assert!(error.to_string().contains(&url), "{error}");
    let error = client
        .route(&[(47.16, 9.50), (47.18, 9.51)])
        .expect_err("nothing listens");
    assert!(matches!(error, OsrmError::Unavailable { .. }), "{error}");
}

#[test]
fn too_big_a_table_is_an_osrm_answer() {
    let points: Vec<(f64, f64)> = reference().points.into_iter().take(150).collect();
    let server = start(100);
    let error = client(&server, 1000)
        .table(&points)
        .expect_err("150 > --max-table-size 100");
    match &error {
        OsrmError::Answer { url, code, .. } => {
            assert_eq!(code, "TooBig");
            assert!(url.starts_with(&server.url));
        }
        other => panic!("expected an OSRM answer, got {other:?}"),
    }
    assert!(error.to_string().contains("TooBig") && error.to_string().contains(&server.url));
}

/// A connection closed without an answer (what osrm-routed does to a keep-alive connection
/// during long series) is retried: a fake server drops the first request, answers the second.
#[test]
fn a_dropped_connection_is_retried() {
    use std::io::Write;
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    let fake = std::thread::spawn(move || {
        let body = r#"{"code":"Ok","durations":[[0,5],[6,0]],"distances":[[0,50],[60,0]],
            "sources":[{"location":[9.5,47.1],"distance":1},{"location":[9.6,47.2],"distance":2}]}"#;
        for attempt in 0..2 {
            let (mut stream, _) = listener.accept().expect("accept");
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request).expect("read the request");
            if attempt == 1 {
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                stream.write_all(head.as_bytes()).expect("write");
                stream.write_all(body.as_bytes()).expect("write");
            }
        }
    });
    let client = OsrmClient::new(&url, TIMEOUT).expect("client");
    let table = client
        .table(&[(47.1, 9.5), (47.2, 9.6)])
        .expect("answered on the retry");
    assert_eq!(
        table.durations_s,
        vec![Some(0.0), Some(5.0), Some(6.0), Some(0.0)]
    );
    assert_eq!(table.snapped_lat_lon_deg, vec![(47.1, 9.5), (47.2, 9.6)]);
    fake.join().expect("fake server");
}

/// More than the server's 500 route points: the client splits the route and joins it, and
/// the whole still follows the table's legs.
#[test]
fn long_route_is_split_and_joined() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data/roads/reference/points_liechtenstein-2013-08-03.json");
    let raw: Vec<[f64; 2]> =
        serde_json::from_reader(File::open(path).expect("open the points")).expect("parse");
    let points: Vec<(f64, f64)> = raw.iter().take(620).map(|&[lon, lat]| (lat, lon)).collect();
    let server = start(1000);
    let client = client(&server, 1000);
    let table = client.table(&points).expect("table");
    let route = timed("route through 620 points (2 requests)", || {
        client.route(&points)
    })
    .expect("route");
    assert_eq!(server.log().matches("/route/v1/driving/").count(), 2);
    let n = points.len();
    let legs: f64 = (0..n - 1)
        .map(|i| table.distances_m[i * n + i + 1].expect("leg"))
        .sum();
    let error = (route.distance_m - legs).abs() / legs;
    assert!(error <= 0.01, "route {} m, legs {legs} m", route.distance_m);
    let line = polyline::decode_polyline(&route.polyline5, 5)
        .expect("decode")
        .0;
    let ends = [
        (line[0], table.snapped_lat_lon_deg[0]),
        (line[line.len() - 1], table.snapped_lat_lon_deg[n - 1]),
    ];
    for (end, snapped) in ends {
        assert!((end.y - snapped.0).abs() < 1e-4 && (end.x - snapped.1).abs() < 1e-4);
    }
}
