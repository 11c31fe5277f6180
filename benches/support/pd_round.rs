//! The generated pickup-and-delivery rounds of `benches/iterations.rs` and
//! `examples/pd_round.rs`: farms picking up, village points receiving, half the
//! deliveries with a two-hour window, straight-line travel. Deterministic everywhere.

use tournee::pb;

/// A small deterministic generator (64-bit LCG): the rounds are the same everywhere.
struct Lcg(u64);

impl Lcg {
    fn unit(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }

    fn below(&mut self, n: usize) -> usize {
        ((self.unit() * n as f64) as usize).min(n - 1)
    }
}

fn site(id: String, lat_deg: f64, lon_deg: f64) -> pb::Site {
    pb::Site {
        id,
        location: Some(pb::Location {
            kind: Some(pb::location::Kind::Coordinates(pb::Coordinates {
                lat_deg,
                lon_deg,
            })),
        }),
        service_s: 120,
        ..Default::default()
    }
}

/// A cooperative of `stops / 10` farms, as many village points, and `stops / 2`
/// shipments from a farm to a point, served by vans from a hub.
pub fn round(stops: usize) -> pb::SolveRequest {
    let mut rng = Lcg(stops as u64);
    let places = (stops / 10).max(2);
    let mut around = |prefix: &str, index: usize| {
        site(
            format!("{prefix}-{index}"),
            47.1 + 0.3 * (rng.unit() - 0.5),
            9.5 + 0.4 * (rng.unit() - 0.5),
        )
    };
    let mut sites = vec![site("hub".to_string(), 47.1, 9.5)];
    sites.extend((0..places).map(|i| around("farm", i)));
    sites.extend((0..places).map(|i| around("point", i)));
    let shipments = (0..stops / 2)
        .map(|i| {
            let window = (rng.unit() < 0.5).then(|| {
                let start_s = 8 * 3600 + 1800 * rng.below(12) as i64;
                pb::TimeWindow {
                    start_s,
                    end_s: start_s + 7200,
                    ..Default::default()
                }
            });
            pb::Shipment {
                id: format!("s{i}"),
                pickup: Some(pb::TaskStop {
                    site_id: format!("farm-{}", rng.below(places)),
                    ..Default::default()
                }),
                delivery: Some(pb::TaskStop {
                    site_id: format!("point-{}", rng.below(places)),
                    time_windows: window.into_iter().collect(),
                    ..Default::default()
                }),
                amount: vec![1 + rng.below(4) as i64],
                ..Default::default()
            }
        })
        .collect();
    let vehicles = (0..(stops / 20).max(2))
        .map(|i| pb::Vehicle {
            id: format!("van-{i}"),
            start_site_id: "hub".to_string(),
            end_site_id: "hub".to_string(),
            capacity: vec![30],
            shift: Some(pb::TimeWindow {
                start_s: 6 * 3600,
                end_s: 20 * 3600,
                ..Default::default()
            }),
            ..Default::default()
        })
        .collect();
    pb::SolveRequest {
        sites,
        vehicles,
        shipments,
        options: Some(pb::SolveOptions {
            seed: 1,
            threads: 1,
            max_iterations: Some(1),
            time_limit_ms: Some(3_600_000),
            ..Default::default()
        }),
        ..Default::default()
    }
}
