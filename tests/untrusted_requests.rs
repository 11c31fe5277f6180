//! What a careless or hostile caller can do to a real server on `127.0.0.1:0`: errors
//! every client can read whatever the input, undecodable bytes answered as the caller's
//! mistake, requests too large refused before any work, and OSRM servers the operator
//! did not allow never contacted. The server must keep serving after each.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{demo_request, quick_options, site_at, start_server};
use prost::bytes::BufMut;
use tonic::codec::{Codec, DecodeBuf, Decoder, EncodeBuf, Encoder};
use tonic_types::StatusExt;
use tournee::pb;

/// Bytes of a status as they travel in trailers: the message, the details (base64) and
/// any other metadata.
fn trailer_bytes(status: &tonic::Status) -> usize {
    let metadata: usize = status
        .metadata()
        .iter()
        .map(|entry| match entry {
            tonic::metadata::KeyAndValueRef::Ascii(key, value) => key.as_str().len() + value.len(),
            tonic::metadata::KeyAndValueRef::Binary(key, value) => {
                key.as_str().len() + value.as_encoded_bytes().len()
            }
        })
        .sum();
    status.message().len() + status.details().len().div_ceil(3) * 4 + metadata
}

/// The first field violation of an `INVALID_ARGUMENT` status.
fn first_violation(status: &tonic::Status) -> tonic_types::FieldViolation {
    assert_eq!(status.code(), tonic::Code::InvalidArgument, "{status:?}");
    let listed = status
        .get_details_bad_request()
        .expect("details")
        .field_violations;
    listed.into_iter().next().expect("a field violation")
}

#[tokio::test]
async fn a_thousand_violations_fit_in_small_trailers() {
    let server = start_server().await;
    let mut client = server.client().await;
    let mut request = demo_request();
    request.sites = (0..1000)
        .map(|i| site_at(&format!("bad-{i}-{}", "x".repeat(300)), 100.0, 9.5))
        .collect();
    let status = client.solve(request).await.expect_err("rejected");
    assert_eq!(status.code(), tonic::Code::InvalidArgument);
    assert!(
        trailer_bytes(&status) < 8 * 1024,
        "{} bytes",
        trailer_bytes(&status)
    );
    assert!(status.message().starts_with("1"), "{}", status.message());
    let listed = status
        .get_details_bad_request()
        .expect("details")
        .field_violations;
    assert_eq!(listed.len(), 51);
    assert_eq!(listed[0].field, "sites[0].location.coordinates.lat_deg");
    let last = &listed[50];
    assert_eq!(last.field, "request");
    assert!(
        last.description.starts_with("[truncated] "),
        "{}",
        last.description
    );
    assert!(
        last.description.ends_with(" more violations"),
        "{}",
        last.description
    );
}

/// A codec that sends raw bytes and never expects an answer to decode.
#[derive(Default)]
struct RawBytes;

impl Codec for RawBytes {
    type Encode = Vec<u8>;
    type Decode = ();
    type Encoder = RawBytes;
    type Decoder = RawBytes;
    fn encoder(&mut self) -> RawBytes {
        RawBytes
    }
    fn decoder(&mut self) -> RawBytes {
        RawBytes
    }
}

impl Encoder for RawBytes {
    type Item = Vec<u8>;
    type Error = tonic::Status;
    fn encode(&mut self, item: Vec<u8>, buf: &mut EncodeBuf<'_>) -> Result<(), tonic::Status> {
        buf.put_slice(&item);
        Ok(())
    }
}

impl Decoder for RawBytes {
    type Item = ();
    type Error = tonic::Status;
    fn decode(&mut self, _buf: &mut DecodeBuf<'_>) -> Result<Option<()>, tonic::Status> {
        Ok(Some(()))
    }
}

#[tokio::test]
async fn undecodable_bytes_are_invalid_argument() {
    let server = start_server().await;
    let channel = tonic::transport::Endpoint::from_shared(server.url())
        .unwrap()
        .connect()
        .await
        .unwrap();
    let mut grpc = tonic::client::Grpc::new(channel);
    // Field 1 (sites) as a varint, then a truncated length-delimited field.
    for garbage in [
        vec![0x08, 0x01],
        vec![0x0a, 0xff, 0xff, 0x01, 0x02],
        vec![0xff; 7],
    ] {
        grpc.ready().await.unwrap();
        let path =
            tonic::codegen::http::uri::PathAndQuery::from_static("/tournee.v1.Routing/Solve");
        let status = grpc
            .unary(tonic::Request::new(garbage), path, RawBytes)
            .await
            .expect_err("garbage rejected");
        assert_eq!(status.code(), tonic::Code::InvalidArgument, "{status:?}");
    }
    let mut client = server.client().await;
    let mut request = demo_request();
    request.options = Some(quick_options(50));
    client.solve(request).await.expect("still serving");
}

#[tokio::test]
async fn a_hundred_thousand_sites_are_refused_and_the_server_keeps_serving() {
    let server = start_server().await;
    let mut client = server.client().await;
    let sites: Vec<pb::Site> = (0..100_000)
        .map(|i| site_at(&i.to_string(), 47.0 + (i % 100) as f64 * 0.001, 9.5))
        .collect();
    let mut request = demo_request();
    request.sites = sites.clone();
    let status = client.solve(request).await.expect_err("too large");
    let first = first_violation(&status);
    assert_eq!(first.field, "sites");
    assert!(
        first.description.starts_with("[too_large] 100000 sites"),
        "{first:?}"
    );
    assert!(first.description.contains("at most 10000"), "{first:?}");
    let matrix = pb::ComputeMatrixRequest {
        points: sites,
        ..Default::default()
    };
    let status = client.compute_matrix(matrix).await.expect_err("too large");
    let first = first_violation(&status);
    assert_eq!(first.field, "points");
    let mut request = demo_request();
    request.options = Some(quick_options(50));
    client.solve(request).await.expect("still serving");
}

#[tokio::test]
async fn a_supplied_matrix_of_empty_rows_is_refused_before_allocation() {
    let server = start_server().await;
    let mut client = server.client().await;
    let mut request = demo_request();
    // A million empty rows: 2 bytes each on the wire, 10¹² cells if believed.
    request.travel = Some(pb::TravelOptions {
        source: Some(pb::travel_options::Source::Matrices(pb::SuppliedMatrices {
            profiles: vec![pb::ProfileMatrices {
                durations_s: vec![pb::MatrixRow::default(); 1_000_000],
                ..Default::default()
            }],
        })),
    });
    let status = client.solve(request).await.expect_err("too large");
    let first = first_violation(&status);
    assert_eq!(first.field, "travel.matrices.profiles[0].durations_s");
    assert!(first.description.starts_with("[too_large]"), "{first:?}");
}

#[tokio::test]
async fn an_osrm_server_outside_the_allow_list_is_never_contacted() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let server = start_server().await;
    let mut client = server.client().await;
    let travel = |fallback: bool| pb::TravelOptions {
        source: Some(pb::travel_options::Source::Osrm(pb::Osrm {
            url: format!("{url}/admin/internal?x=1"),
            allow_straight_line_fallback: fallback,
            ..Default::default()
        })),
    };
    for fallback in [false, true] {
        let mut request = demo_request();
        request.travel = Some(travel(fallback));
        let status = client.solve(request).await.expect_err("refused");
        let first = first_violation(&status);
        assert_eq!(first.field, "travel.osrm.url");
        assert!(first.description.starts_with("[not_allowed]"), "{first:?}");
        let matrix = pb::ComputeMatrixRequest {
            points: vec![site_at("a", 47.14, 9.52), site_at("b", 47.16, 9.51)],
            travel: Some(travel(fallback)),
            ..Default::default()
        };
        let status = client.compute_matrix(matrix).await.expect_err("refused");
        assert_eq!(status.code(), tonic::Code::InvalidArgument);
    }
    // A connection, had one been made, would wait in the backlog by now: the answers
    // came back after validation, which is where the URL was refused.
    for _ in 0..20 {
        match listener.accept() {
            Ok((_, peer)) => panic!("the server connected from {peer}"),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                std::thread::sleep(std::time::Duration::from_millis(5))
            }
            Err(e) => panic!("{e}"),
        }
    }
}

#[tokio::test]
async fn an_osrm_timeout_above_a_minute_is_refused() {
    let server = start_server().await;
    let mut client = server.client().await;
    let mut request = demo_request();
    request.travel = Some(pb::TravelOptions {
        source: Some(pb::travel_options::Source::Osrm(pb::Osrm {
            timeout_ms: u32::MAX,
            ..Default::default()
        })),
    });
    let status = client.solve(request).await.expect_err("refused");
    let first = first_violation(&status);
    assert_eq!(first.field, "travel.osrm.timeout_ms");
}

/// The demo with `count` more jobs, each at a site of its own, and `time_limit_ms`.
fn with_jobs(count: usize, time_limit_ms: u64) -> pb::SolveRequest {
    let mut request = demo_request();
    for i in 0..count {
        let id = format!("point-{i}");
        let step = (i % 1_000) as f64 * 1e-4;
        request
            .sites
            .push(site_at(&id, 47.0 + step, 9.5 + (i / 1_000) as f64 * 1e-3));
        request.jobs.push(pb::Job {
            id: format!("job-{i}"),
            stop: Some(pb::TaskStop {
                site_id: id,
                ..Default::default()
            }),
            ..Default::default()
        });
    }
    let mut options = quick_options(1);
    options.time_limit_ms = Some(time_limit_ms);
    request.options = Some(options);
    request
}

#[tokio::test]
async fn requests_too_big_for_their_time_limit_are_refused_at_once() {
    let server = start_server().await;
    let mut client = server.client().await;
    // 10,000 jobs in 2 s: more sites (and matrix cells) than a server computes.
    let status = client
        .solve(with_jobs(10_000, 2_000))
        .await
        .expect_err("too large");
    let first = first_violation(&status);
    assert_eq!(first.field, "sites", "{first:?}");
    assert!(first.description.starts_with("[too_large]"), "{first:?}");
    // 4,900 jobs in 100 ms: within the sizes, but a plan needs about a second.
    let status = client
        .solve(with_jobs(4_900, 100))
        .await
        .expect_err("too short");
    let first = first_violation(&status);
    assert_eq!(first.field, "options.time_limit_ms", "{first:?}");
    assert!(
        first
            .description
            .starts_with("[out_of_range] 100 ms is too short"),
        "{first:?}"
    );
    assert!(first.description.ends_with("at least 974 ms"), "{first:?}");
    let mut request = demo_request();
    request.options = Some(quick_options(50));
    client.solve(request).await.expect("still serving");
}
