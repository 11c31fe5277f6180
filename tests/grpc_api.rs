//! The gRPC API end to end against a real server: Solve, SolveStream, ComputeMatrix,
//! health, reflection (v1 and v1alpha).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{assert_feasible, demo_request, quick_options, start_server};
use tokio_stream::StreamExt;
use tournee::pb;

#[tokio::test]
async fn can_solve_the_demo_over_grpc() {
    let server = start_server().await;
    let mut client = server.client().await;
    let mut request = demo_request();
    request.options = Some(quick_options(300));
    let response = client
        .solve(request.clone())
        .await
        .expect("solve")
        .into_inner();
    assert!(!response.tours.is_empty());
    assert!(response.unassigned.is_empty(), "{:?}", response.unassigned);
    assert_eq!(response.stop_reason, pb::StopReason::MaxIterations as i32);
    assert_eq!(response.travel_source, "straight_line");
    let served: usize = response
        .tours
        .iter()
        .map(|t| t.steps.iter().filter(|s| !s.task_id.is_empty()).count())
        .sum();
    assert_eq!(served, 2 * request.shipments.len());
    assert_feasible(&request, &response);
}

#[tokio::test]
async fn can_stream_progress_then_the_solution() {
    let server = start_server().await;
    let mut client = server.client().await;
    let mut request = demo_request();
    request.options = Some(quick_options(500));
    let mut stream = client
        .solve_stream(request.clone())
        .await
        .expect("stream")
        .into_inner();
    let mut progress = Vec::new();
    let mut finals = Vec::new();
    while let Some(event) = stream.next().await {
        match event.expect("event").event {
            Some(pb::solve_event::Event::Progress(p)) => {
                assert!(finals.is_empty(), "progress after the final solution");
                progress.push(p);
            }
            Some(pb::solve_event::Event::Solution(s)) => finals.push(s),
            None => panic!("empty event"),
        }
    }
    assert!(!progress.is_empty(), "no progress event");
    assert_eq!(finals.len(), 1);
    // Progress only improves, and the final answer is the last best.
    for pair in progress.windows(2) {
        assert!(
            (pair[1].best_unassigned, pair[1].best_cost)
                <= (pair[0].best_unassigned, pair[0].best_cost)
        );
    }
    let last = progress.last().expect("progress");
    let summary = finals[0].summary.expect("summary");
    assert!(
        (last.best_cost - summary.cost).abs() < 1e-6,
        "{} vs {}",
        last.best_cost,
        summary.cost
    );
    assert_feasible(&request, &finals[0]);
}

#[tokio::test]
async fn streams_reject_a_bad_request_up_front() {
    let server = start_server().await;
    let mut client = server.client().await;
    let error = client
        .solve_stream(pb::SolveRequest::default())
        .await
        .expect_err("must fail");
    assert_eq!(error.code(), tonic::Code::InvalidArgument);
}

#[tokio::test]
async fn can_compute_a_matrix() {
    let server = start_server().await;
    let mut client = server.client().await;
    let point = |id: &str, lat: f64, lon: f64| pb::Site {
        id: id.to_string(),
        location: Some(pb::Location {
            kind: Some(pb::location::Kind::Coordinates(pb::Coordinates {
                lat_deg: lat,
                lon_deg: lon,
            })),
        }),
        ..Default::default()
    };
    let request = pb::ComputeMatrixRequest {
        points: vec![
            point("vaduz", 47.1410, 9.5209),
            point("schaan", 47.1650, 9.5097),
            point("balzers", 47.0664, 9.5026),
        ],
        travel: None,
        profile: String::new(),
    };
    let response = client
        .compute_matrix(request)
        .await
        .expect("matrix")
        .into_inner();
    assert_eq!(response.ids, vec!["vaduz", "schaan", "balzers"]);
    assert_eq!(response.durations_s.len(), 3);
    assert_eq!(response.source, "straight_line");
    for i in 0..3 {
        assert_eq!(response.distances_m[i].values[i], 0);
        for j in 0..3 {
            assert_eq!(
                response.distances_m[i].values[j],
                response.distances_m[j].values[i]
            );
        }
    }
    // Vaduz–Balzers is about 8.4 km as the crow flies, × 1.3 detour.
    let vaduz_balzers = response.distances_m[0].values[2];
    assert!((10_000..12_000).contains(&vaduz_balzers), "{vaduz_balzers}");
    // 50 km/h: seconds = metres / 13.9.
    assert_eq!(
        response.durations_s[0].values[2],
        (vaduz_balzers as f64 / (50.0 / 3.6)).round() as i64
    );
}

#[tokio::test]
async fn reports_serving_health() {
    let server = start_server().await;
    let channel = tonic::transport::Channel::from_shared(server.url())
        .expect("url")
        .connect()
        .await
        .expect("connect");
    let mut health = tonic_health::pb::health_client::HealthClient::new(channel);
    for service in ["", "tournee.v1.Routing"] {
        let answer = health
            .check(tonic_health::pb::HealthCheckRequest {
                service: service.to_string(),
            })
            .await
            .expect("health")
            .into_inner();
        assert_eq!(
            answer.status,
            tonic_health::pb::health_check_response::ServingStatus::Serving as i32,
            "{service:?}"
        );
    }
}

#[tokio::test]
async fn lists_services_by_reflection_v1_and_v1alpha() {
    use tonic_reflection::pb::{v1, v1alpha};
    let server = start_server().await;

    let channel = tonic::transport::Channel::from_shared(server.url())
        .expect("url")
        .connect()
        .await
        .expect("connect");
    let mut client = v1::server_reflection_client::ServerReflectionClient::new(channel.clone());
    let request = v1::ServerReflectionRequest {
        host: String::new(),
        message_request: Some(v1::server_reflection_request::MessageRequest::ListServices(
            String::new(),
        )),
    };
    let mut answers = client
        .server_reflection_info(tokio_stream::iter(vec![request]))
        .await
        .expect("reflection")
        .into_inner();
    let Some(Ok(answer)) = answers.next().await else {
        panic!("no reflection answer")
    };
    let Some(v1::server_reflection_response::MessageResponse::ListServicesResponse(list)) =
        answer.message_response
    else {
        panic!("unexpected answer")
    };
    let names: Vec<String> = list.service.into_iter().map(|s| s.name).collect();
    for wanted in [
        "tournee.v1.Routing",
        "grpc.health.v1.Health",
        "grpc.reflection.v1.ServerReflection",
    ] {
        assert!(
            names.iter().any(|n| n == wanted),
            "{wanted} missing from {names:?}"
        );
    }

    let mut alpha = v1alpha::server_reflection_client::ServerReflectionClient::new(channel);
    let request = v1alpha::ServerReflectionRequest {
        host: String::new(),
        message_request: Some(
            v1alpha::server_reflection_request::MessageRequest::FileContainingSymbol(
                "tournee.v1.Routing".to_string(),
            ),
        ),
    };
    let mut answers = alpha
        .server_reflection_info(tokio_stream::iter(vec![request]))
        .await
        .expect("reflection")
        .into_inner();
    let Some(Ok(answer)) = answers.next().await else {
        panic!("no v1alpha answer")
    };
    let Some(v1alpha::server_reflection_response::MessageResponse::FileDescriptorResponse(files)) =
        answer.message_response
    else {
        panic!("unexpected v1alpha answer")
    };
    assert!(!files.file_descriptor_proto.is_empty());
}

#[tokio::test]
async fn accepts_requests_above_four_mebibytes() {
    // 900 sites with supplied matrices: 2 × 900² three-byte values ≈ 4.9 MB on the wire.
    let server = start_server().await;
    let mut client = server.client().await;
    let size = 900usize;
    let sites: Vec<pb::Site> = (0..size)
        .map(|i| pb::Site {
            id: format!("s{i}"),
            location: Some(pb::Location {
                kind: Some(pb::location::Kind::MatrixIndex(i as u32)),
            }),
            ..Default::default()
        })
        .collect();
    let row = |i: usize| pb::MatrixRow {
        values: (0..size)
            .map(|j| 100_000 + (i as i64 - j as i64).abs() * 1000)
            .collect(),
    };
    let request = pb::SolveRequest {
        sites,
        vehicles: vec![pb::Vehicle {
            id: "v".into(),
            start_site_id: "s0".into(),
            end_site_id: "s0".into(),
            ..Default::default()
        }],
        jobs: vec![pb::Job {
            id: "j".into(),
            stop: Some(pb::TaskStop {
                site_id: "s5".into(),
                ..Default::default()
            }),
            ..Default::default()
        }],
        options: Some(quick_options(10)),
        travel: Some(pb::TravelOptions {
            source: Some(pb::travel_options::Source::Matrices(pb::SuppliedMatrices {
                profiles: vec![pb::ProfileMatrices {
                    profile: String::new(),
                    durations_s: (0..size).map(row).collect(),
                    distances_m: (0..size).map(row).collect(),
                    costs: Vec::new(),
                }],
            })),
        }),
        ..Default::default()
    };
    assert!(prost::Message::encoded_len(&request) > 4 * 1024 * 1024);
    let response = client
        .solve(request.clone())
        .await
        .expect("big request")
        .into_inner();
    assert_eq!(response.tours.len(), 1);
    assert_feasible(&request, &response);
}

/// Three sites by matrix index, a van at s0 and a job at each of s1 and s2, over
/// `durations` (also the distances).
fn three_sites(durations: [[i64; 3]; 3]) -> pb::SolveRequest {
    let site = |i: usize| pb::Site {
        id: format!("s{i}"),
        location: Some(pb::Location {
            kind: Some(pb::location::Kind::MatrixIndex(i as u32)),
        }),
        ..Default::default()
    };
    let job = |i: usize| pb::Job {
        id: format!("j{i}"),
        stop: Some(pb::TaskStop {
            site_id: format!("s{i}"),
            ..Default::default()
        }),
        ..Default::default()
    };
    let rows = || {
        durations
            .iter()
            .map(|row| pb::MatrixRow {
                values: row.to_vec(),
            })
            .collect()
    };
    pb::SolveRequest {
        sites: (0..3).map(site).collect(),
        vehicles: vec![pb::Vehicle {
            id: "v".into(),
            start_site_id: "s0".into(),
            end_site_id: "s0".into(),
            ..Default::default()
        }],
        jobs: vec![job(1), job(2)],
        options: Some(quick_options(10)),
        travel: Some(pb::TravelOptions {
            source: Some(pb::travel_options::Source::Matrices(pb::SuppliedMatrices {
                profiles: vec![pb::ProfileMatrices {
                    profile: String::new(),
                    durations_s: rows(),
                    distances_m: rows(),
                    costs: Vec::new(),
                }],
            })),
        }),
        ..Default::default()
    }
}

#[tokio::test]
async fn minus_one_in_a_supplied_matrix_means_no_road() {
    let server = start_server().await;
    let mut client = server.client().await;
    // s2 has no road to or from the others, as ComputeMatrix would say it.
    let request = three_sites([[0, 60, -1], [60, 0, -1], [-1, -1, 0]]);
    let response = client.solve(request.clone()).await.expect("-1 is accepted");
    let response = response.into_inner();
    assert_feasible(&request, &response);
    assert_eq!(response.unassigned.len(), 1, "{:?}", response.unassigned);
    let unassigned = &response.unassigned[0];
    assert_eq!(unassigned.task_id, "j2");
    assert_eq!(
        unassigned.reason,
        pb::UnassignedReason::Unreachable as i32,
        "{unassigned:?}"
    );
    let steps = &response.tours[0].steps;
    assert!(steps.iter().any(|step| step.task_id == "j1"), "{steps:?}");

    let status = client
        .solve(three_sites([[0, 60, -2], [60, 0, 60], [60, 60, 0]]))
        .await
        .expect_err("-2 is not a value");
    assert_eq!(status.code(), tonic::Code::InvalidArgument);
    assert!(status.message().contains("nor -1"), "{status:?}");
}
