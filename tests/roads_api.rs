//! Real roads end to end: a server started with the bundled Liechtenstein extract
//! (`serve --osm`), the `ComputeMatrix` RPC against `tournee matrix`, tour geometry,
//! snapping errors, and the CLI's demo and map.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Command;

use common::{
    LIECHTENSTEIN, assert_feasible_with, demo_request, liechtenstein_config, quick_options,
    site_at as point,
};
use tonic_types::StatusExt;
use tournee::pb;

/// Five villages: Vaduz, Schaan, Balzers, Eschen, Triesenberg.
fn villages() -> Vec<pb::Site> {
    vec![
        point("vaduz", 47.1410, 9.5209),
        point("schaan", 47.1650, 9.5097),
        point("balzers", 47.0666, 9.5026),
        point("eschen", 47.2106, 9.5224),
        point("triesenberg", 47.1181, 9.5433),
    ]
}

fn road_graph() -> Option<pb::TravelOptions> {
    Some(pb::TravelOptions {
        source: Some(pb::travel_options::Source::RoadGraph(
            pb::RoadGraph::default(),
        )),
    })
}

#[tokio::test]
async fn the_demo_plans_on_roads_with_geometry_along_them() {
    let server = common::start_server_with(liechtenstein_config()).await;
    let mut client = server.client().await;
    let mut request = demo_request();
    let mut options = quick_options(300);
    options.geometry = true;
    request.options = Some(options);
    let response = client
        .solve(request.clone())
        .await
        .expect("solve")
        .into_inner();
    assert_eq!(response.travel_source, "road_graph");
    assert_eq!(response.snapped_sites.len(), request.sites.len());
    assert!(
        response
            .snapped_sites
            .iter()
            .all(|s| s.snap_distance_m < 500.0)
    );
    assert_feasible_with(&request, &response, &liechtenstein_config());
    for tour in &response.tours {
        let line = polyline::decode_polyline(&tour.geometry, 5).expect("precision-5 polyline");
        // A road path has many more points than the tour has stops, and its length
        // matches the tour's road distance.
        assert!(line.0.len() > tour.steps.len(), "{} points", line.0.len());
        let length_m: f64 = line
            .0
            .windows(2)
            .map(|w| tournee::geodesy::haversine_m((w[0].y, w[0].x), (w[1].y, w[1].x)))
            .sum();
        let distance_m = tour.distance_m as f64;
        assert!(
            (length_m - distance_m).abs() <= distance_m * 0.02 + 50.0,
            "{length_m} vs {distance_m}"
        );
    }
}

#[tokio::test]
async fn compute_matrix_and_the_cli_give_the_same_numbers() {
    let server = common::start_server_with(liechtenstein_config()).await;
    let mut client = server.client().await;
    let request = pb::ComputeMatrixRequest {
        points: villages(),
        travel: road_graph(),
        profile: String::new(),
    };
    let response = client
        .compute_matrix(request)
        .await
        .expect("matrix")
        .into_inner();
    assert_eq!(response.source, "road_graph");
    assert!(response.unreachable.is_empty());
    // Asymmetric, positive off the diagonal, and slower than 130 km/h crow flight.
    let d = |i: usize, j: usize| response.durations_s[i].values[j];
    assert!((0..5).all(|i| d(i, i) == 0));
    assert!((0..5).any(|i| (0..5).any(|j| d(i, j) != d(j, i))));
    let vaduz_balzers_m = response.distances_m[0].values[2];
    assert!(
        (8_000..14_000).contains(&vaduz_balzers_m),
        "{vaduz_balzers_m}"
    );

    let dir = std::env::temp_dir().join(format!("tournee-matrix-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let csv = dir.join("points.csv");
    let mut text = String::from("id,lat,lon\n");
    for site in villages() {
        let Some(pb::location::Kind::Coordinates(c)) = site.location.unwrap().kind else {
            unreachable!()
        };
        text.push_str(&format!("{},{},{}\n", site.id, c.lat_deg, c.lon_deg));
    }
    std::fs::write(&csv, text).unwrap();
    let out = dir.join("m.json");
    let status = Command::new(env!("CARGO_BIN_EXE_tournee"))
        .args(["matrix", "--osm", LIECHTENSTEIN, "--points"])
        .arg(&csv)
        .arg("--out")
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    let cli: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(cli["source"], "road_graph");
    assert_eq!(cli["ids"][4], "triesenberg");
    for i in 0..5 {
        for j in 0..5 {
            assert_eq!(cli["durations_s"][i][j], response.durations_s[i].values[j]);
            assert_eq!(cli["distances_m"][i][j], response.distances_m[i].values[j]);
        }
        // JSON keeps 17 digits; serde_json's default parser may round the last one.
        let close = |value: &serde_json::Value, expected: f64| {
            (value.as_f64().unwrap() - expected).abs() < 1e-9
        };
        assert!(close(&cli["snapped"][i][0], response.snapped[i].lat_deg));
        assert!(close(&cli["snapped"][i][1], response.snapped[i].lon_deg));
        assert!(close(
            &cli["snap_distances_m"][i],
            response.snap_distances_m[i]
        ));
    }
}

#[tokio::test]
async fn a_site_far_from_any_road_is_named() {
    let server = common::start_server_with(liechtenstein_config()).await;
    let mut client = server.client().await;
    let mut points = villages();
    points.push(point("zurich", 47.3769, 8.5417)); // 60 km from the extract
    let status = client
        .compute_matrix(pb::ComputeMatrixRequest {
            points,
            travel: road_graph(),
            profile: String::new(),
        })
        .await
        .expect_err("rejected");
    assert_eq!(status.code(), tonic::Code::InvalidArgument);
    let fields: Vec<String> = status
        .get_details_bad_request()
        .unwrap()
        .field_violations
        .into_iter()
        .map(|v| format!("{} {}", v.field, &v.description[..10]))
        .collect();
    assert_eq!(fields, ["points[5].location.coordinates [off_road]"]);
    // Allowed to, the request falls back to straight lines and says so.
    let mut points = villages();
    points.push(point("zurich", 47.3769, 8.5417));
    let response = client
        .compute_matrix(pb::ComputeMatrixRequest {
            points,
            travel: Some(pb::TravelOptions {
                source: Some(pb::travel_options::Source::RoadGraph(pb::RoadGraph {
                    allow_straight_line_fallback: true,
                    ..Default::default()
                })),
            }),
            profile: String::new(),
        })
        .await
        .expect("fallback")
        .into_inner();
    assert_eq!(response.source, "straight_line_fallback");
}

#[tokio::test]
async fn a_road_graph_needs_an_extract_unless_the_fallback_is_allowed() {
    let server = common::start_server().await;
    let mut client = server.client().await;
    let request = |fallback: bool| pb::ComputeMatrixRequest {
        points: villages(),
        travel: Some(pb::TravelOptions {
            source: Some(pb::travel_options::Source::RoadGraph(pb::RoadGraph {
                allow_straight_line_fallback: fallback,
                ..Default::default()
            })),
        }),
        profile: String::new(),
    };
    let status = client
        .compute_matrix(request(false))
        .await
        .expect_err("no extract");
    assert_eq!(status.code(), tonic::Code::FailedPrecondition);
    assert!(status.message().contains("--osm"), "{}", status.message());
    let response = client
        .compute_matrix(request(true))
        .await
        .expect("fallback")
        .into_inner();
    assert_eq!(response.source, "straight_line_fallback");
}

#[tokio::test]
async fn an_allowed_osrm_server_that_is_down_is_unavailable_without_its_url() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let travel = tournee::travel::TravelConfig::default();
    let policy =
        tournee::server::server_policy(&travel, Default::default(), std::slice::from_ref(&url));
    let server = common::start_server_within(travel, policy).await;
    let mut client = server.client().await;
    let request = |fallback: bool| pb::ComputeMatrixRequest {
        points: villages(),
        travel: Some(pb::TravelOptions {
            source: Some(pb::travel_options::Source::Osrm(pb::Osrm {
                url: url.clone(),
                allow_straight_line_fallback: fallback,
                timeout_ms: 2_000,
                max_table_size: 0,
            })),
        }),
        profile: String::new(),
    };
    let status = client
        .compute_matrix(request(false))
        .await
        .expect_err("down");
    assert_eq!(status.code(), tonic::Code::Unavailable);
    // Neither the URL nor what the port answered goes back to the caller.
    assert_eq!(
        status.message(),
        "the OSRM server named in travel.osrm.url is unreachable (refused, timed out or not HTTP)"
    );
    let response = client
        .compute_matrix(request(true))
        .await
        .expect("fallback")
        .into_inner();
    assert_eq!(response.source, "straight_line_fallback");
}

#[test]
fn the_demo_runs_on_the_bundled_roads_and_draws_its_map() {
    let map = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("tournee-demo-{}.svg", std::process::id()));
    let output = Command::new(env!("CARGO_BIN_EXE_tournee"))
        .args(["demo", "--max-iterations", "200", "--threads", "1", "--map"])
        .arg(&map)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("travel: road_graph"), "{stdout}");
    assert!(stdout.contains("OpenStreetMap"), "{stdout}");
    let svg = std::fs::read_to_string(&map).unwrap();
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    assert!(svg.contains("© OpenStreetMap contributors"));
    let tours = stdout.lines().filter(|l| l.starts_with("Vehicle ")).count();
    assert!(tours >= 1);
    assert_eq!(svg.matches("<polyline").count(), tours, "one line per tour");
    assert!(
        svg.contains("stroke=\"#c8c8c8\""),
        "the road network underneath"
    );
    for kind in ["farm", "pickup point"] {
        assert!(
            svg.contains(&format!(">{kind}</text>")),
            "legend for {kind}"
        );
    }
    // The legend lists only what is drawn: the demo has no hub.
    assert!(!svg.contains(">hub</text>"), "a hub in the legend");
}
