//! Invalid requests over gRPC: INVALID_ARGUMENT with a BadRequest naming every bad field
//! (path + stable code); tasks no vehicle can serve come back unassigned, not as errors.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{quick_options, start_server};
use tonic_types::StatusExt;
use tournee::pb;

fn coordinates(lat: f64, lon: f64) -> Option<pb::Location> {
    Some(pb::Location {
        kind: Some(pb::location::Kind::Coordinates(pb::Coordinates {
            lat_deg: lat,
            lon_deg: lon,
        })),
    })
}

fn site(id: &str, lat: f64, lon: f64) -> pb::Site {
    pb::Site {
        id: id.into(),
        location: coordinates(lat, lon),
        ..Default::default()
    }
}

fn stop(site_id: &str) -> Option<pb::TaskStop> {
    Some(pb::TaskStop {
        site_id: site_id.into(),
        ..Default::default()
    })
}

/// A small valid request: a farm, a shop, one van, one shipment.
fn valid() -> pb::SolveRequest {
    pb::SolveRequest {
        sites: vec![site("farm", 47.20, 9.52), site("shop", 47.14, 9.52)],
        producers: vec![pb::Producer {
            id: "p1".into(),
            name: "Farm".into(),
        }],
        vehicles: vec![pb::Vehicle {
            id: "van".into(),
            producer_id: "p1".into(),
            start_site_id: "farm".into(),
            end_site_id: "farm".into(),
            capacity: vec![10],
            ..Default::default()
        }],
        shipments: vec![pb::Shipment {
            id: "eggs".into(),
            producer_id: "p1".into(),
            pickup: stop("farm"),
            delivery: stop("shop"),
            amount: vec![2],
            ..Default::default()
        }],
        options: Some(quick_options(50)),
        ..Default::default()
    }
}

/// (what, how to break the request, field paths that must be named, code)
type Case = (
    &'static str,
    fn(&mut pb::SolveRequest),
    &'static [&'static str],
    &'static str,
);

const CASES: &[Case] = &[
    (
        "description too long",
        |r| {
            r.vehicles[0].description = "x".repeat(1_001);
            if let Some(pickup) = r.shipments[0].pickup.as_mut() {
                pickup.description = "é".repeat(1_001);
            }
        },
        &["vehicles[0].description", "shipments[0].pickup.description"],
        "too_large",
    ),
    (
        "duplicate id",
        |r| r.sites.push(site("farm", 47.0, 9.5)),
        &["sites[2].id"],
        "duplicate_id",
    ),
    (
        "unknown id",
        |r| r.vehicles[0].start_site_id = "nowhere".into(),
        &["vehicles[0].start_site_id"],
        "unknown_id",
    ),
    (
        "unknown producer",
        |r| r.shipments[0].producer_id = "p9".into(),
        &["shipments[0].producer_id"],
        "unknown_id",
    ),
    (
        "window order",
        |r| {
            r.sites[0].opening_windows.push(pb::TimeWindow {
                start_s: 50,
                end_s: 10,
                ..Default::default()
            })
        },
        &["sites[0].opening_windows[0]"],
        "window_order",
    ),
    (
        "shift order",
        |r| {
            r.vehicles[0].shift = Some(pb::TimeWindow {
                start_s: 9,
                end_s: 8,
                ..Default::default()
            })
        },
        &["vehicles[0].shift"],
        "window_order",
    ),
    (
        "negative amount",
        |r| r.shipments[0].amount = vec![-1],
        &["shipments[0].amount[0]"],
        "negative",
    ),
    (
        "negative duration",
        |r| r.sites[1].service_s = -5,
        &["sites[1].service_s"],
        "negative",
    ),
    (
        "negative capacity",
        |r| r.vehicles[0].capacity = vec![-3],
        &["vehicles[0].capacity[0]"],
        "negative",
    ),
    (
        "dimension mismatch",
        |r| r.shipments[0].amount = vec![1, 2],
        &["shipments[0].amount"],
        "dimension_mismatch",
    ),
    (
        "NaN latitude",
        |r| r.sites[0].location = coordinates(f64::NAN, 9.5),
        &["sites[0].location.coordinates.lat_deg"],
        "coordinates",
    ),
    (
        "longitude out of range",
        |r| r.sites[1].location = coordinates(47.0, 200.0),
        &["sites[1].location.coordinates.lon_deg"],
        "coordinates",
    ),
    (
        "empty fleet",
        |r| r.vehicles.clear(),
        &["vehicles"],
        "empty_fleet",
    ),
    (
        "time limit zero",
        |r| r.options.as_mut().unwrap().time_limit_ms = Some(0),
        &["options.time_limit_ms"],
        "out_of_range",
    ),
    (
        "time limit too long",
        |r| r.options.as_mut().unwrap().time_limit_ms = Some(10_000_000),
        &["options.time_limit_ms"],
        "out_of_range",
    ),
    (
        "time limit too short for the sites",
        |r| {
            r.sites.extend((0..1_998).map(|i| {
                let step = f64::from(i) * 1e-4;
                site(&format!("point-{i}"), 47.0 + step, 9.5 + step)
            }));
            // 2,000² cells need 10 + 160 ms.
            r.options.as_mut().unwrap().time_limit_ms = Some(169);
        },
        &["options.time_limit_ms"],
        "out_of_range",
    ),
    (
        "effort above the highest level",
        |r| r.options.as_mut().unwrap().effort = Some(6),
        &["options.effort"],
        "out_of_range",
    ),
    (
        "missing location",
        |r| r.sites[0].location = None,
        &["sites[0].location"],
        "missing",
    ),
    (
        "priority above 100",
        |r| r.shipments[0].priority = 101,
        &["shipments[0].priority"],
        "out_of_range",
    ),
    (
        "matrix not square",
        |r| {
            to_matrices(r, vec![vec![0, 5], vec![5]]);
        },
        &["travel.matrices.profiles[0].durations_s[1]"],
        "matrix_shape",
    ),
    (
        "matrix smaller than the sites",
        |r| {
            to_matrices(r, vec![vec![0]]);
        },
        &["sites[1].location.matrix_index"],
        "matrix_shape",
    ),
    (
        "negative matrix value",
        |r| {
            to_matrices(r, vec![vec![0, -5], vec![5, 0]]);
        },
        &["travel.matrices.profiles[0].durations_s[0].values[1]"],
        "out_of_range",
    ),
];

/// Switches the request to supplied matrices with these durations.
fn to_matrices(request: &mut pb::SolveRequest, durations: Vec<Vec<i64>>) {
    for (index, site) in request.sites.iter_mut().enumerate() {
        site.location = Some(pb::Location {
            kind: Some(pb::location::Kind::MatrixIndex(index as u32)),
        });
    }
    request.travel = Some(pb::TravelOptions {
        source: Some(pb::travel_options::Source::Matrices(pb::SuppliedMatrices {
            profiles: vec![pb::ProfileMatrices {
                profile: "car".into(),
                durations_s: durations
                    .into_iter()
                    .map(|values| pb::MatrixRow { values })
                    .collect(),
                distances_m: Vec::new(),
                costs: Vec::new(),
            }],
        })),
    });
}

fn violations(status: &tonic::Status) -> Vec<(String, String)> {
    let bad_request = status
        .get_details_bad_request()
        .expect("BadRequest details");
    bad_request
        .field_violations
        .into_iter()
        .map(|v| (v.field, v.description))
        .collect()
}

#[tokio::test]
async fn accepts_the_valid_request() {
    let server = start_server().await;
    let mut client = server.client().await;
    let request = valid();
    let response = client
        .solve(request.clone())
        .await
        .expect("valid request")
        .into_inner();
    assert_eq!(response.tours.len(), 1);
    common::assert_feasible(&request, &response);
}

#[tokio::test]
async fn rejects_each_kind_of_violation_with_its_field_path() {
    let server = start_server().await;
    let mut client = server.client().await;
    for (what, breaker, fields, code) in CASES {
        let mut request = valid();
        breaker(&mut request);
        let status = client.solve(request).await.expect_err(what);
        assert_eq!(
            status.code(),
            tonic::Code::InvalidArgument,
            "{what}: {status:?}"
        );
        let found = violations(&status);
        for field in *fields {
            let hit = found.iter().find(|(f, _)| f == field);
            let (_, description) =
                hit.unwrap_or_else(|| panic!("{what}: {field} not in {found:?}"));
            assert!(
                description.starts_with(&format!("[{code}]")),
                "{what}: {description}"
            );
        }
    }
}

#[tokio::test]
async fn names_every_bad_field_of_one_request() {
    let server = start_server().await;
    let mut client = server.client().await;
    let mut request = valid();
    request.sites[0].opening_windows.push(pb::TimeWindow {
        start_s: 50,
        end_s: 10,
        ..Default::default()
    });
    request.shipments[0].amount = vec![-1];
    request.vehicles[0].end_site_id = "nowhere".into();
    request.sites[1].location = coordinates(f64::NAN, 9.5);
    request.options.as_mut().unwrap().time_limit_ms = Some(0);
    let status = client.solve(request).await.expect_err("several violations");
    assert_eq!(status.code(), tonic::Code::InvalidArgument);
    let fields: Vec<String> = violations(&status).into_iter().map(|(f, _)| f).collect();
    for wanted in [
        "sites[0].opening_windows[0]",
        "shipments[0].amount[0]",
        "vehicles[0].end_site_id",
        "sites[1].location.coordinates.lat_deg",
        "options.time_limit_ms",
    ] {
        assert!(
            fields.iter().any(|f| f == wanted),
            "{wanted} not in {fields:?}"
        );
    }
}

#[tokio::test]
async fn returns_unservable_tasks_unassigned_with_their_reason() {
    let server = start_server().await;
    let mut client = server.client().await;
    let mut request = valid();
    request.shipments.push(pb::Shipment {
        id: "frozen-fish".into(),
        pickup: stop("farm"),
        delivery: stop("shop"),
        amount: vec![1],
        skills: vec!["frozen".into()],
        ..Default::default()
    });
    request.shipments.push(pb::Shipment {
        id: "a-whole-cow".into(),
        pickup: stop("farm"),
        delivery: stop("shop"),
        amount: vec![11],
        ..Default::default()
    });
    request.shipments.push(pb::Shipment {
        id: "too-late".into(),
        pickup: stop("farm"),
        delivery: Some(pb::TaskStop {
            site_id: "shop".into(),
            time_windows: vec![pb::TimeWindow {
                start_s: 0,
                end_s: 10,
                ..Default::default()
            }],
            ..Default::default()
        }),
        amount: vec![1],
        ..Default::default()
    });
    let response = client
        .solve(request.clone())
        .await
        .expect("solvable")
        .into_inner();
    let reason_of = |id: &str| {
        response
            .unassigned
            .iter()
            .find(|u| u.task_id == id)
            .map(|u| u.reason)
    };
    assert_eq!(
        reason_of("frozen-fish"),
        Some(pb::UnassignedReason::Skills as i32)
    );
    assert_eq!(
        reason_of("a-whole-cow"),
        Some(pb::UnassignedReason::Capacity as i32)
    );
    assert_eq!(
        reason_of("too-late"),
        Some(pb::UnassignedReason::TimeWindows as i32)
    );
    assert_eq!(reason_of("eggs"), None, "the servable shipment is served");
    common::assert_feasible(&request, &response);
}
