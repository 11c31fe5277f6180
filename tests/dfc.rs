//! The DFC adapter end to end: the two order cycles of `data/dfc/` read into the sites,
//! windows, demands in grams, skills and vehicles their `*.expected.json` state; their
//! plans accepted by the independent checker; every order line fulfilled by exactly one
//! shipment or unassigned with a reason; the answer read back by the adapter's own
//! JSON-LD reader (every `@id` it links to exists, its terms expand to DFC 2.0 IRIs);
//! bad documents refused with one violation each, with its path; a DST day; and the
//! `tournee dfc solve` command and the `POST /dfc/v1/plan` endpoint, real binary and
//! real server. Every solve is capped by iterations, never by time.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "common/http.rs"]
mod http;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::AtomicBool;

use serde_json::{Value, json};
use tournee::dfc::graph::Graph;
use tournee::dfc::terms::b;
use tournee::dfc::{Adapted, Mode};
use tournee::validate::Collector;

const HUB: &str = include_str!("../data/dfc/dev-a-hub-crest.jsonld");
const HUB_EXPECTED: &str = include_str!("../data/dfc/dev-a-hub-crest.expected.json");
const FARMS: &str = include_str!("../data/dfc/dev-b-two-farms.jsonld");
const FARMS_EXPECTED: &str = include_str!("../data/dfc/dev-b-two-farms.expected.json");

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

/// Options that end every solve by its iteration cap.
fn capped(pooling: bool) -> Value {
    json!({"pooling": pooling, "search": {"max_iterations": 100, "threads": 1, "seed": 5, "time_limit_ms": 3_600_000}})
}

fn adapt(document: &str, options: &Value) -> Adapted {
    tournee::dfc::read(&parse(document), Some(options)).unwrap_or_else(|error| panic!("{error}"))
}

fn windows(value: &Value) -> Vec<(i64, i64)> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|pair| (pair[0].as_i64().unwrap(), pair[1].as_i64().unwrap()))
        .collect()
}

/// An expected entry's (lat, lon).
fn lat_lon(want: &Value) -> (f64, f64) {
    (
        want["lat_deg"].as_f64().unwrap(),
        want["lon_deg"].as_f64().unwrap(),
    )
}

fn assert_matches_expected(adapted: &Adapted, expected: &Value) {
    assert_eq!(adapted.day.date.to_string(), expected["planning_date"]);
    assert_eq!(adapted.day.local(0), expected["t0"]);
    assert_eq!(adapted.mode.as_str(), expected["mode"]);
    assert_eq!(adapted.orders as u64, expected["orders"].as_u64().unwrap());
    let lines: usize = adapted
        .demands
        .iter()
        .map(|demand| demand.lines.len())
        .sum();
    assert_eq!(lines as u64, expected["order_lines"].as_u64().unwrap());
    let total: i64 = adapted.demands.iter().map(|demand| demand.mass_g).sum();
    assert_eq!(total, expected["total_g"].as_i64().unwrap());
    match (&adapted.hub, expected["hub"].as_object()) {
        (Some(hub), Some(want)) => {
            assert_eq!(hub, &want["site"]);
            let site = &adapted.sites[hub];
            assert_eq!(site.lat_lon_deg, lat_lon(&expected["hub"]));
            assert_eq!(site.windows_s, windows(&want["windows_s"]));
        }
        (None, None) => {}
        other => panic!("hub {other:?}"),
    }
    let producers = expected["producers"].as_array().unwrap();
    assert_eq!(adapted.producers.len(), producers.len());
    for (producer, want) in adapted.producers.iter().zip(producers) {
        assert_eq!(
            (producer.id.as_str(), producer.name.as_str()),
            (want["id"].as_str().unwrap(), want["name"].as_str().unwrap())
        );
        assert_eq!(producer.site, want["site"]);
        let site = &adapted.sites[&producer.site];
        assert_eq!(site.lat_lon_deg, lat_lon(want));
        assert_eq!(
            site.windows_s,
            windows(&want["collection_windows_s"]),
            "{}",
            producer.id
        );
        let own = adapted
            .demands
            .iter()
            .filter(|demand| demand.producer == producer.id);
        let (grams, lines) = own.fold((0, 0), |(g, l), demand| {
            (g + demand.mass_g, l + demand.lines.len())
        });
        assert_eq!(
            (grams, lines as i64),
            (
                want["total_g"].as_i64().unwrap(),
                want["order_lines"].as_i64().unwrap()
            )
        );
    }
    let destinations = expected["destinations"].as_array().unwrap();
    assert_eq!(adapted.destinations.len(), destinations.len());
    for want in destinations {
        let found = adapted
            .destinations
            .iter()
            .find(|d| d.site == want["id"])
            .expect("destination");
        assert_eq!(
            (found.kind, found.option.as_str()),
            (
                want["kind"].as_str().unwrap(),
                want["option"].as_str().unwrap()
            )
        );
        assert_eq!(
            found.windows_s,
            windows(&want["windows_s"]),
            "{}",
            found.site
        );
        assert_eq!(found.orders as u64, want["orders"].as_u64().unwrap());
        let site = &adapted.sites[&found.site];
        assert_eq!(site.lat_lon_deg, lat_lon(want));
    }
    let demands = expected["demands"].as_array().unwrap();
    assert_eq!(adapted.demands.len(), demands.len());
    for want in demands {
        let found = adapted
            .demands
            .iter()
            .find(|d| {
                d.producer == want["producer"]
                    && d.destination == want["destination"]
                    && d.class.skill() == want["skill"]
            })
            .unwrap_or_else(|| panic!("no demand {want}"));
        assert_eq!(found.mass_g, want["mass_g"].as_i64().unwrap(), "{want}");
        let lines: BTreeSet<&str> = found.lines.iter().map(String::as_str).collect();
        let wanted: BTreeSet<&str> = want["order_lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap())
            .collect();
        assert_eq!(lines, wanted);
    }
    let vehicles = expected["vehicles"].as_array().unwrap();
    let from_document: Vec<_> = adapted
        .vehicles
        .iter()
        .filter(|vehicle| !vehicle.minted)
        .collect();
    assert_eq!(from_document.len(), vehicles.len());
    for (fleet, want) in from_document.iter().zip(vehicles) {
        let vehicle = &fleet.vehicle;
        assert_eq!(vehicle.id, want["id"]);
        assert_eq!(fleet.based_at, want["based_at"]);
        assert_eq!(vehicle.capacity, [want["capacity_g"].as_i64().unwrap()]);
        let skills: Vec<&str> = want["skills"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect();
        assert_eq!(vehicle.skills, skills);
        let shift = vehicle.shift.unwrap();
        assert_eq!(
            vec![(shift.start_s, shift.end_s)],
            windows(&json!([want["shift_s"]]))
        );
        assert_eq!(
            vehicle.producer_id,
            want["operated_by"].as_str().unwrap_or("")
        );
        let costs = vehicle.costs.unwrap();
        let want_costs = &want["costs"];
        assert_eq!(
            (costs.fixed, costs.per_km, costs.per_hour),
            (
                want_costs["fixedCost"].as_f64().unwrap(),
                want_costs["costPerKm"].as_f64().unwrap(),
                want_costs["costPerHour"].as_f64().unwrap()
            )
        );
    }
}

#[test]
fn the_hub_cycle_reads_as_expected() {
    let adapted = adapt(HUB, &capped(false));
    assert_matches_expected(&adapted, &parse(HUB_EXPECTED));
    assert_eq!(adapted.mode, Mode::ViaHub);
    // Inbound legs (farm → hub, one per producer and class) reach the hub before the
    // 12:00 cutoff; outbound legs leave it from 12:30 (cutoff + 30 min sorting); the
    // hub's own pickup orders need the inbound leg only.
    let hub = adapted.hub.clone().unwrap();
    let mut inbound = BTreeSet::new();
    for shipment in &adapted.request.shipments {
        let origin = &adapted.shipments[&shipment.id];
        let (pickup, delivery) = (
            shipment.pickup.as_ref().unwrap(),
            shipment.delivery.as_ref().unwrap(),
        );
        match origin.leg {
            "inbound" => {
                assert_eq!(delivery.site_id, hub);
                assert!(delivery.time_windows.iter().all(|w| w.end_s <= 12 * 3600));
                assert!(inbound.insert((origin.producer.clone(), origin.class)));
            }
            "outbound" => {
                assert_eq!(pickup.site_id, hub);
                assert_ne!(delivery.site_id, hub);
                assert!(
                    pickup
                        .time_windows
                        .iter()
                        .all(|w| w.start_s >= 12 * 3600 + 1800)
                );
            }
            other => panic!("{other} leg in via_hub mode"),
        }
    }
    // The picodons (1,380 g) are the one refrigerated inbound leg.
    let chilled: Vec<i64> = adapted
        .shipments
        .values()
        .filter(|origin| origin.leg == "inbound" && origin.class.skill() == "refrigerated")
        .map(|origin| origin.mass_g)
        .collect();
    assert_eq!(chilled, [1380]);
    let inbound_g: i64 = adapted
        .shipments
        .values()
        .filter(|o| o.leg == "inbound")
        .map(|o| o.mass_g)
        .sum();
    assert_eq!(inbound_g, 210_730);
}

#[test]
fn the_two_farms_read_as_expected_with_a_default_van_each() {
    let adapted = adapt(FARMS, &capped(false));
    assert_matches_expected(&adapted, &parse(FARMS_EXPECTED));
    assert_eq!(adapted.mode, Mode::Direct);
    let vans: Vec<_> = adapted
        .vehicles
        .iter()
        .map(|v| (v.vehicle.producer_id.as_str(), v.based_at.as_str()))
        .collect();
    let farm = |n| format!("https://boutique-paysanne.example/api/dfc/enterprises/{n}");
    assert_eq!(
        vans,
        [
            (farm(201).as_str(), farm(201).as_str()),
            (farm(202).as_str(), farm(202).as_str())
        ]
    );
    // Open routes: the vans end at their last stop, and the plan still checks.
    let mut open = capped(false);
    open["return_to_depot"] = json!(false);
    let adapted = adapt(FARMS, &open);
    assert!(
        adapted
            .vehicles
            .iter()
            .all(|v| v.vehicle.end_site_id.is_empty())
    );
    let answer = solve_and_check(&adapted);
    assert_every_line_fulfilled_once(FARMS, &answer);
}

/// Solves an adapted request through the pipeline, checks it with the checker, and
/// returns the DFC answer.
fn solve_and_check(adapted: &Adapted) -> Value {
    let cancelled = AtomicBool::new(false);
    let budget = tournee::budget::Budget::new(&cancelled);
    let solved = tournee::pipeline::solve(&adapted.request, &budget, &|_| {}).unwrap();
    if let Err(findings) =
        tournee::checker::check(&solved.problem, &solved.matrices, &solved.solution)
    {
        panic!("checker rejects the plan: {findings:#?}");
    }
    tournee::dfc::answer(adapted, &tournee::api::encode::response(&solved))
}

/// Each order line of `document` → the answer's shipments that fulfil it; each must
/// be one, shipped or unassigned with a reason.
fn assert_every_line_fulfilled_once(document: &str, answer: &Value) {
    let lines: Vec<String> = parse(document)["@graph"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|node| node["@type"] == "dfc-b:OrderLine")
        .map(|node| node["@id"].as_str().unwrap().to_string())
        .collect();
    let mut fulfilled: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    for node in answer["@graph"].as_array().unwrap() {
        if node["@type"] != "dfc-b:Shipment" {
            continue;
        }
        let shipped = node["dfc-b:isShippedIn"]["@id"].is_string();
        let reason = node["tournee:unassignedReason"]
            .as_str()
            .is_some_and(|r| !r.is_empty());
        assert!(
            shipped != reason,
            "shipped or unassigned with a reason: {node}"
        );
        for line in node["tournee:fulfils"].as_array().unwrap() {
            fulfilled
                .entry(line["@id"].as_str().unwrap().to_string())
                .or_default()
                .push(node);
        }
    }
    assert_eq!(fulfilled.len(), lines.len());
    for line in &lines {
        assert_eq!(fulfilled.get(line).map(Vec::len), Some(1), "{line}");
    }
}

/// The answer read back with the adapter's reader: no problem, every linked `@id` in
/// the answer or the input, and the DFC 2.0 terms expanded to their IRIs.
fn assert_round_trip(document: &str, answer: &Value) {
    let mut problems = Collector::default();
    let read = Graph::read(answer, &mut problems);
    let input = Graph::read(&parse(document), &mut Collector::default());
    assert!(problems.is_empty(), "{:?}", problems.finish(()));
    let mut links = Vec::new();
    collect_links(answer, &mut links);
    for id in &links {
        assert!(
            read.node(id).is_some() || input.node(id).is_some(),
            "{id} is linked but held nowhere"
        );
    }
    let routes = read.of_type(&[b("Route")]);
    assert!(!routes.is_empty());
    for route in routes {
        let steps = read.linked(route, &[b("hasStep")], &[b("isStepOf")]);
        assert!(steps.len() >= 2);
        for step in steps {
            let step = read.node(&step).unwrap();
            assert!(step.is(&[b("Step"), b("PickUpStep"), b("DeliveryStep")]));
            assert!(read.literal(step, &[b("arrivalDate")]).is_some());
            assert!(read.literal(step, &[b("duration")]).is_some());
        }
        assert!(read.link(route, &[b("useVehicle")]).is_some());
    }
    let shipments = read.of_type(&[b("Shipment")]);
    assert!(shipments.iter().all(
        |s| read.link(s, &[b("startsAt")]).is_some() && read.link(s, &[b("endsAt")]).is_some()
    ));
    // Every shipment served is loaded at exactly one step and unloaded at exactly one.
    for shipment in shipments {
        let served = read.link(shipment, &[b("isShippedIn")]).is_some();
        for (kind, property) in [("PickUpStep", "pickUp"), ("DeliveryStep", "delivery")] {
            let steps = read.linked(shipment, &[], &[b(property)]);
            assert_eq!(steps.len(), usize::from(served), "{} {kind}", shipment.id);
            assert!(
                steps
                    .iter()
                    .all(|step| read.node(step).unwrap().is(&[b(kind)]))
            );
        }
    }
}

fn collect_links(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(object) => {
            if object.len() == 1
                && let Some(Value::String(id)) = object.get("@id")
            {
                out.push(id.clone());
            }
            object.values().for_each(|inner| collect_links(inner, out));
        }
        Value::Array(items) => items.iter().for_each(|inner| collect_links(inner, out)),
        _ => {}
    }
}

#[test]
fn the_hub_cycle_is_planned_checked_fulfilled_and_read_back() {
    let adapted = adapt(HUB, &capped(false));
    let answer = solve_and_check(&adapted);
    assert_every_line_fulfilled_once(HUB, &answer);
    assert_round_trip(HUB, &answer);
    // Same request and seed: the same answer, ids and all.
    assert_eq!(solve_and_check(&adapt(HUB, &capped(false))), answer);
}

#[test]
fn the_two_farms_are_planned_with_a_cost_share_each() {
    let adapted = adapt(FARMS, &capped(true));
    let answer = solve_and_check(&adapted);
    assert_every_line_fulfilled_once(FARMS, &answer);
    assert_round_trip(FARMS, &answer);
    let shares: Vec<&Value> = answer["@graph"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["@type"] == "tournee:CostShare")
        .collect();
    let payers: BTreeSet<&str> = shares
        .iter()
        .map(|s| s["tournee:payer"]["@id"].as_str().unwrap())
        .collect();
    let producers: BTreeSet<&str> = adapted.producers.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(payers, producers);
    let plan = &answer["@graph"][0];
    let total: f64 = shares
        .iter()
        .map(|s| s["tournee:share"]["dfc-b:value"].as_f64().unwrap())
        .sum();
    let cost = plan["tournee:cost"]["dfc-b:value"].as_f64().unwrap();
    assert!(
        (total - cost).abs() <= 0.02 * shares.len() as f64,
        "{total} vs {cost}"
    );
}

/// The two-farm document with `change` applied to the node of `id`.
fn farms_with(id: &str, change: impl Fn(&mut Value)) -> Value {
    let mut document = parse(FARMS);
    let base = "https://boutique-paysanne.example/api/dfc/";
    let nodes = document["@graph"].as_array_mut().unwrap();
    let node = nodes
        .iter_mut()
        .find(|node| node["@id"] == format!("{base}{id}"))
        .expect("node");
    change(node);
    document
}

/// The two-farm document with its Livron place closed on Friday evening, the slot of
/// the option that uses it.
fn closed_friday_evening() -> Value {
    farms_with("places/2", |place| {
        place["dfc-b:hasOpeningHours"][0]["https://schema.org/opens"] = json!("09:00:00");
        place["dfc-b:hasOpeningHours"][0]["https://schema.org/closes"] = json!("12:00:00");
    })
}

/// The one violation a document gets: (code, path).
fn only_violation(document: &Value) -> (String, String) {
    let error = tournee::dfc::read(document, Some(&capped(false))).expect_err("refused");
    assert_eq!(error.0.len(), 1, "{error}");
    (
        error.0[0].code.as_str().to_string(),
        error.0[0].field.clone(),
    )
}

#[test]
fn bad_documents_get_one_violation_each_with_its_path() {
    let base = "https://boutique-paysanne.example/api/dfc/";
    let mut unknown_context = parse(FARMS);
    unknown_context["@context"] = json!("https://example.org/dfc-context.jsonld");
    assert_eq!(
        only_violation(&unknown_context),
        ("dfc.unknown_context".into(), "@context".into())
    );

    let mut dangling = parse(FARMS);
    dangling["@graph"]
        .as_array_mut()
        .unwrap()
        .retain(|node| node["@id"] != format!("{base}places/1"));
    let path = format!("{base}pickup_options/1 dfc-b:pickedUpAt");
    assert_eq!(
        only_violation(&dangling),
        ("dfc.dangling_reference".into(), path)
    );

    let no_coordinates = farms_with("places/2", |place| {
        let address = place["dfc-b:hasAddress"].as_object_mut().unwrap();
        address.remove("dfc-b:latitude");
        address.remove("dfc-b:longitude");
    });
    let path = format!("{base}places/2#hasAddress dfc-b:latitude");
    assert_eq!(
        only_violation(&no_coordinates),
        ("dfc.missing_coordinates".into(), path)
    );

    let unknown_unit = farms_with("enterprises/202/supplied_products/1", |product| {
        product["dfc-b:hasQuantity"]["dfc-b:hasUnit"] = json!("dfc-m:Wagonload");
    });
    let path = format!("{base}enterprises/202/supplied_products/1 dfc-b:hasQuantity");
    assert_eq!(
        only_violation(&unknown_unit),
        ("dfc.unknown_unit".into(), path)
    );

    let closed = closed_friday_evening();
    let path = format!("{base}places/2 dfc-b:isOpenDuring");
    assert_eq!(
        only_violation(&closed),
        ("dfc.closed_during_slot".into(), path)
    );
}

#[test]
fn a_dst_day_gives_windows_one_hour_longer() {
    // Open 00:00–12:00 every day, no slot: the window spans the night's clock change.
    let mut document = farms_with("places/1", |place| {
        place["dfc-b:hasOpeningHours"] = json!({"@type": "https://schema.org/OpeningHoursSpecification",
            "https://schema.org/opens": "00:00:00", "https://schema.org/closes": "12:00:00"});
    });
    for node in document["@graph"].as_array_mut().unwrap() {
        if node["@id"] == "https://boutique-paysanne.example/api/dfc/places/2" {
            node.as_object_mut()
                .unwrap()
                .remove("dfc-b:hasOpeningHours");
        }
        if node["@type"] == "dfc-b:PickupOption" {
            let option = node.as_object_mut().unwrap();
            option.remove("dfc-b:startDate");
            option.remove("dfc-b:endDate");
        }
    }
    let on = |date: &str| {
        let mut options = capped(false);
        options["planning_date"] = json!(date);
        let adapted = tournee::dfc::read(&document, Some(&options)).unwrap();
        let place = "https://boutique-paysanne.example/api/dfc/places/1";
        let destination = adapted
            .destinations
            .iter()
            .find(|d| d.site == place)
            .unwrap();
        let shift = adapted.vehicles[0].vehicle.shift.unwrap();
        (destination.windows_s.clone(), shift.end_s - shift.start_s)
    };
    // The last Sunday of October 2026 in Europe/Paris, and the Sunday before.
    assert_eq!(on("2026-10-18"), (vec![(0, 12 * 3600)], 24 * 3600));
    assert_eq!(on("2026-10-25"), (vec![(0, 13 * 3600)], 25 * 3600));
}

/// A scratch file of this test process.
fn scratch(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("tournee-dfc-{}-{name}", std::process::id()))
}

fn tournee(arguments: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_tournee"))
        .args(arguments)
        .output()
        .expect("tournee runs")
}

#[test]
fn the_command_plans_a_document_and_refuses_a_bad_one_in_one_line() {
    let document = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/dfc/dev-b-two-farms.jsonld"
    );
    let (options, out, map) = (
        scratch("options.json"),
        scratch("plan.jsonld"),
        scratch("plan.svg"),
    );
    let mut with_geometry = capped(true);
    with_geometry["geometry"] = json!(true);
    std::fs::write(&options, with_geometry.to_string()).unwrap();
    let output = tournee(&[
        "dfc",
        "solve",
        document,
        "--options",
        options.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--map",
        map.to_str().unwrap(),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let answer: Value = parse(&std::fs::read_to_string(&out).unwrap());
    assert_every_line_fulfilled_once(FARMS, &answer);
    assert_round_trip(FARMS, &answer);
    assert!(std::fs::read_to_string(&map).unwrap().contains("<svg"));
    let routes = answer["@graph"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["@type"] == "dfc-b:Route");
    assert!(
        routes.clone().count() > 0
            && routes
                .clone()
                .all(|route| route["tournee:polyline"].is_string())
    );
    let bad = scratch("bad.jsonld");
    let mut document = parse(FARMS);
    document["@context"] = json!("https://example.org/context.json");
    std::fs::write(&bad, document.to_string()).unwrap();
    let output = tournee(&[
        "dfc",
        "solve",
        bad.to_str().unwrap(),
        "--max-iterations",
        "10",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("@context") && stderr.contains("dfc.unknown_context"),
        "{stderr}"
    );
    for path in [options, out, map, bad] {
        let _ = std::fs::remove_file(path);
    }
}

/// `POST /dfc/v1/plan` of `envelope`: status, request id, body.
async fn post_plan(server: &http::HttpServer, envelope: &Value) -> (u16, Option<String>, Value) {
    let sent = server.post("/dfc/v1/plan", envelope.to_string());
    http::answer(sent.send().await.unwrap()).await
}

#[tokio::test]
async fn the_endpoint_answers_dfc_and_lists_a_documents_problems() {
    let server = http::start_http(tournee::server::ServerConfig::default()).await;
    let document = http::openapi(&server).await;
    let envelope = json!({"options": capped(true), "document": parse(FARMS)});
    let (status, id, answer) = post_plan(&server, &envelope).await;
    assert_eq!(status, 200, "{answer}");
    assert!(id.is_some());
    http::assert_matches(&document, "DfcPlan", &answer);
    assert_every_line_fulfilled_once(FARMS, &answer);
    assert_round_trip(FARMS, &answer);
    let closed = closed_friday_evening();
    let envelope = json!({"options": capped(false), "document": closed.clone()});
    let (status, _, error) = post_plan(&server, &envelope).await;
    assert_eq!(status, 400, "{error}");
    http::assert_matches(&document, "Error", &error);
    assert_eq!(error["code"], "INVALID_ARGUMENT");
    assert_eq!(error["violations"][0]["reason"], "dfc.closed_during_slot");
    let field = "https://boutique-paysanne.example/api/dfc/places/2 dfc-b:isOpenDuring";
    assert_eq!(error["violations"][0]["field"], field);
    // The same through gRPC, JSON-LD as text.
    let mut client = server.grpc_client().await;
    let message = tournee::pb::DfcPlanRequest {
        document: FARMS.to_string(),
        options: capped(false).to_string(),
    };
    let plan = client.plan_dfc(message).await.unwrap().into_inner().plan;
    assert_every_line_fulfilled_once(FARMS, &parse(&plan));
    let message = tournee::pb::DfcPlanRequest {
        document: closed.to_string(),
        options: String::new(),
    };
    let status = client.plan_dfc(message).await.unwrap_err();
    assert_eq!(status.code(), tonic::Code::InvalidArgument);
    let details = tonic_types::StatusExt::get_details_bad_request(&status).unwrap();
    assert_eq!(details.field_violations[0].field, field);
}

#[test]
fn the_built_in_context_is_the_published_one() {
    // Shared data, never committed: read from ../shared beside the clone (or the folder
    // TOURNEE_SHARED_DIR names, for a worktree elsewhere) when present.
    let shared = std::env::var_os("TOURNEE_SHARED_DIR").map_or_else(
        || std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"),
        std::path::PathBuf::from,
    );
    let path = shared.join("dfc/context/context_1.16.0.json");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!(
            "{} absent: the comparison needs the shared folder",
            path.display()
        );
        return;
    };
    let context = parse(&text)["@context"].clone();
    let object = context.as_object().unwrap();
    let prefixes: BTreeMap<&str, &str> = object
        .iter()
        .filter_map(|(k, v)| Some((k.as_str(), v.as_str()?)))
        .collect();
    assert_eq!(
        prefixes,
        tournee::dfc::context::PREFIXES.into_iter().collect()
    );
    let links: BTreeSet<&str> = object
        .iter()
        .filter(|(_, v)| v["@type"] == "@id")
        .map(|(k, _)| k.as_str())
        .collect();
    assert_eq!(
        links,
        tournee::dfc::context::LINK_PROPERTIES.into_iter().collect()
    );
}

#[test]
fn goods_no_vehicle_can_carry_are_unassigned_with_their_reason() {
    // Frozen eggs, and default vans that are refrigerated but not freezers.
    let frozen = farms_with("enterprises/201/supplied_products/1", |product| {
        product["dfc-b:frozen"] = json!(true);
    });
    let adapted = tournee::dfc::read(&frozen, Some(&capped(false))).unwrap();
    let text = frozen.to_string();
    let answer = solve_and_check(&adapted);
    assert_every_line_fulfilled_once(&text, &answer);
    let reasons: Vec<&str> = answer["@graph"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|node| node["tournee:unassignedReason"].as_str())
        .collect();
    assert_eq!(reasons, ["skills", "skills"]);
}

#[test]
fn the_readmes_smallest_document_is_planned() {
    let minimal = include_str!("../data/dfc/minimal.jsonld");
    let adapted = adapt(minimal, &capped(false));
    assert_eq!(
        (adapted.day.date.to_string(), adapted.demands[0].mass_g),
        ("2026-12-09".into(), 2000)
    );
    assert_eq!(adapted.demands[0].class.skill(), "refrigerated");
    let answer = solve_and_check(&adapted);
    assert_every_line_fulfilled_once(minimal, &answer);
    assert_round_trip(minimal, &answer);
}
