//! Pooling requests shared by the pooling tests.

use tournee::pb;

fn coordinates(lat: f64, lon: f64) -> Option<pb::Location> {
    Some(pb::Location {
        kind: Some(pb::location::Kind::Coordinates(pb::Coordinates {
            lat_deg: lat,
            lon_deg: lon,
        })),
    })
}

/// Producers with farms in a row 11 km south of one hub, farm `i` at longitude offset
/// `offsets[i]` from the hub's; each owns a van at its farm and ships 5 crates to the
/// hub. `idle` more producers have neither tasks nor vehicles.
pub fn around_a_hub(offsets: &[f64], idle: usize) -> pb::SolveRequest {
    let mut request = pb::SolveRequest {
        sites: vec![pb::Site {
            id: "hub".into(),
            location: coordinates(47.20, 9.50),
            ..Default::default()
        }],
        options: Some(super::quick_options(200)),
        pooling: Some(pb::PoolingOptions {
            enabled: true,
            coalition_iterations: 200,
            ..Default::default()
        }),
        ..Default::default()
    };
    for (i, offset) in offsets.iter().enumerate() {
        let id = format!("p{i}");
        request.producers.push(pb::Producer {
            id: id.clone(),
            name: format!("Farm {i}"),
        });
        request.sites.push(pb::Site {
            id: format!("farm{i}"),
            location: coordinates(47.10, 9.50 + offset),
            ..Default::default()
        });
        request.vehicles.push(pb::Vehicle {
            id: format!("van{i}"),
            producer_id: id.clone(),
            start_site_id: format!("farm{i}"),
            end_site_id: format!("farm{i}"),
            capacity: vec![20],
            costs: Some(pb::VehicleCosts {
                fixed: 10.0,
                per_hour: 20.0,
                per_km: 0.4,
                per_task_hour: 0.0,
            }),
            ..Default::default()
        });
        request.shipments.push(pb::Shipment {
            id: format!("crates{i}"),
            producer_id: id,
            pickup: Some(pb::TaskStop {
                site_id: format!("farm{i}"),
                ..Default::default()
            }),
            delivery: Some(pb::TaskStop {
                site_id: "hub".into(),
                ..Default::default()
            }),
            amount: vec![5],
            ..Default::default()
        });
    }
    for i in 0..idle {
        request.producers.push(pb::Producer {
            id: format!("idle{i}"),
            name: String::new(),
        });
    }
    request
}

/// Solves the validated problem of `request` (after `adjust`) on no deadline, encodes
/// it and checks the plan.
pub fn solve_adjusted(
    request: &pb::SolveRequest,
    adjust: impl FnOnce(&mut tournee::domain::Problem),
) -> pb::SolveResponse {
    let mut problem = tournee::validate::problem(request).expect("valid");
    adjust(&mut problem);
    let cancelled = std::sync::atomic::AtomicBool::new(false);
    let budget = tournee::budget::Budget::new(&cancelled);
    let config = tournee::travel::TravelConfig::default();
    let solved = tournee::pipeline::solve_problem(problem, &budget, &|_| {}, &config)
        .expect("the pooled plan comes back");
    let response = tournee::api::encode::response(&solved);
    super::assert_feasible(request, &response);
    response
}
