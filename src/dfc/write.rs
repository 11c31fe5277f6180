//! A solved plan → DFC JSON-LD, in compact form written directly: one `dfc-b:Route` per
//! tour with its ordered `dfc-b:PickUpStep`/`dfc-b:DeliveryStep`/`dfc-b:Step`s (local
//! arrival times with their offset), one `dfc-b:Shipment` per native shipment with the
//! order lines it fulfils (or why it is unassigned), the places and vans the answer
//! mints, one `tournee:CostShare` per producer Enterprise and the pooling report.
//! Links are `{"@id"}` objects (the 1.16 context does not coerce the DFC 2.0
//! properties); input `@id`s are echoed, new ones live under the plan's id base, so the
//! same request and seed give the same ids.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::context::{CONTEXT_URL, TOURNEE_NS};
use super::read::Adapted;
use super::values::{duration, link, price};
use crate::pb;

/// The base of the answer's new ids: the option, else a digest of the request (which
/// holds the seed).
pub fn id_base(adapted: &Adapted) -> String {
    if let Some(base) = &adapted.options.id_base {
        return base.trim_end_matches('/').to_string();
    }
    let text = serde_json::to_string(&adapted.request).unwrap_or_default();
    let digest = Sha256::digest(text.as_bytes());
    let hex: String = digest
        .iter()
        .take(6)
        .map(|byte| format!("{byte:02x}"))
        .collect();
    format!("urn:tournee:plan:{hex}")
}

/// The answer document.
pub fn answer(adapted: &Adapted, response: &pb::SolveResponse) -> Value {
    let writer = Writer::new(adapted, response);
    let mut graph = vec![writer.plan()];
    for (index, tour) in response.tours.iter().enumerate() {
        graph.extend(writer.route(index + 1, tour));
    }
    graph.extend(writer.shipments());
    graph.extend(writer.minted_places());
    graph.extend(writer.minted_vehicles());
    if let Some(report) = &response.pooling {
        graph.extend(super::shares::shares(adapted, &writer.base, report));
    }
    json!({
        "@context": [CONTEXT_URL, {"tournee": TOURNEE_NS}],
        "@graph": graph,
    })
}

/// What the nodes are written from.
struct Writer<'a> {
    adapted: &'a Adapted,
    response: &'a pb::SolveResponse,
    base: String,
    /// Native vehicle id → its DFC id.
    vehicles: BTreeMap<String, String>,
    /// Shipment id → (vehicle, pickup service start, delivery service start).
    served: BTreeMap<String, (String, i64, i64)>,
}

impl<'a> Writer<'a> {
    fn new(adapted: &'a Adapted, response: &'a pb::SolveResponse) -> Self {
        let base = id_base(adapted);
        let vehicles = adapted
            .vehicles
            .iter()
            .enumerate()
            .map(|(index, vehicle)| {
                let id = match vehicle.minted {
                    true => format!("{base}/vehicle/{}", index + 1),
                    false => vehicle.vehicle.id.clone(),
                };
                (vehicle.vehicle.id.clone(), id)
            })
            .collect();
        let mut served: BTreeMap<String, (String, i64, i64)> = BTreeMap::new();
        for tour in &response.tours {
            for step in &tour.steps {
                let entry =
                    served
                        .entry(step.task_id.clone())
                        .or_insert((tour.vehicle_id.clone(), 0, 0));
                match step.kind() {
                    pb::StepKind::Pickup => entry.1 = step.service_start_s,
                    pb::StepKind::Delivery => entry.2 = step.service_start_s,
                    _ => {}
                }
            }
        }
        Writer {
            adapted,
            response,
            base,
            vehicles,
            served,
        }
    }

    fn place(&self, site: &str) -> String {
        self.adapted
            .sites
            .get(site)
            .map_or_else(|| site.to_string(), |origin| origin.place.clone())
    }

    fn vehicle(&self, native: &str) -> String {
        self.vehicles
            .get(native)
            .cloned()
            .unwrap_or_else(|| native.to_string())
    }

    fn shipment_id(&self, native: &str) -> String {
        let number = native.strip_prefix("shipment-").unwrap_or(native);
        format!("{}/shipment/{number}", self.base)
    }

    /// The plan itself: day, mode, totals and notes.
    fn plan(&self) -> Value {
        let adapted = self.adapted;
        let summary = self.response.summary.unwrap_or_default();
        let routes: Vec<Value> = (1..=self.response.tours.len())
            .map(|n| link(&format!("{}/route/{n}", self.base)))
            .collect();
        json!({
            "@id": self.base,
            "@type": "tournee:Plan",
            "tournee:planningDate": adapted.day.date.to_string(),
            "tournee:timeZone": adapted.options.time_zone,
            "tournee:startOfDay": adapted.day.local(0),
            "tournee:mode": adapted.mode.as_str(),
            "tournee:travelSource": self.response.travel_source,
            "tournee:hasRoute": routes,
            "tournee:cost": price(summary.cost),
            "tournee:distanceM": summary.distance_m,
            "tournee:durationS": summary.duration_s,
            "tournee:vehiclesUsed": summary.vehicles_used,
            "tournee:unassignedShipments": summary.unassigned,
            "tournee:notes": adapted.notes,
        })
    }

    /// One route and its steps.
    fn route(&self, number: usize, tour: &pb::Tour) -> Vec<Value> {
        let route_id = format!("{}/route/{number}", self.base);
        let mut nodes = Vec::new();
        let mut steps = Vec::new();
        for (index, group) in stops(&tour.steps).into_iter().enumerate() {
            let id = format!("{route_id}/step/{index}");
            steps.push(link(&id));
            nodes.push(self.step(&id, &route_id, index, group));
        }
        let mut route = json!({
            "@id": route_id,
            "@type": "dfc-b:Route",
            "dfc-b:name": format!("Route {number}"),
            "dfc-b:useVehicle": link(&self.vehicle(&tour.vehicle_id)),
            "dfc-b:hasStep": steps,
            "tournee:distanceM": tour.distance_m,
            "tournee:durationS": tour.duration_s,
            "tournee:cost": price(tour.cost),
        });
        if !tour.geometry.is_empty() {
            route["tournee:polyline"] = Value::String(tour.geometry.clone());
        }
        nodes.insert(0, route);
        nodes
    }

    /// One stop: consecutive pickups (or deliveries) at one site are one DFC step, as
    /// the driver sees it, with every shipment it loads (or unloads).
    fn step(&self, id: &str, route_id: &str, index: usize, group: &[pb::Step]) -> Value {
        let day = &self.adapted.day;
        let (Some(first), Some(last)) = (group.first(), group.last()) else {
            return Value::Null;
        };
        let (kind, extra) = match first.kind() {
            pb::StepKind::Pickup => ("dfc-b:PickUpStep", Some("dfc-b:pickUp")),
            pb::StepKind::Delivery => ("dfc-b:DeliveryStep", Some("dfc-b:delivery")),
            _ => ("dfc-b:Step", None),
        };
        let service_s: i64 = group.iter().map(|step| step.service_s).sum();
        let waiting_s: i64 = group.iter().map(|step| step.waiting_s).sum();
        let mut node = json!({
            "@id": id,
            "@type": kind,
            "dfc-b:isStepOf": link(route_id),
            "tournee:sequence": index,
            "tournee:stepKind": first.kind().as_str_name().trim_start_matches("STEP_KIND_").to_lowercase(),
            "tournee:atPlace": link(&self.place(&first.site_id)),
            "dfc-b:arrivalDate": day.local(first.arrival_s),
            "tournee:departureDate": day.local(last.departure_s),
            "tournee:waitingDuration": duration(waiting_s),
            "dfc-b:duration": duration(service_s),
            "tournee:loadKg": last.load.first().map_or(0.0, |grams| *grams as f64 / 1000.0),
        });
        if let Some(property) = extra {
            let shipments: Vec<Value> = group
                .iter()
                .map(|step| link(&self.shipment_id(&step.task_id)))
                .collect();
            node[property] = Value::Array(shipments);
        }
        node
    }

    /// Every shipment, served or not.
    fn shipments(&self) -> Vec<Value> {
        let unassigned: BTreeMap<&str, &pb::Unassigned> = self
            .response
            .unassigned
            .iter()
            .map(|task| (task.task_id.as_str(), task))
            .collect();
        let day = &self.adapted.day;
        let mut nodes = Vec::new();
        for (native, origin) in &self.adapted.shipments {
            let mut node = json!({
                "@id": self.shipment_id(native),
                "@type": "dfc-b:Shipment",
                "dfc-b:startsAt": link(&self.place(&origin.from)),
                "dfc-b:endsAt": link(&self.place(&origin.to)),
                "dfc-b:transports": {
                    "@type": "dfc-b:RealStock",
                    "dfc-b:hasQuantity": {"@type": "dfc-b:QuantitativeValue", "dfc-b:hasUnit": "dfc-m:Kilogram",
                        "dfc-b:value": origin.mass_g as f64 / 1000.0},
                },
                "tournee:owner": link(&origin.producer),
                "tournee:fulfils": origin.fulfils.iter().map(|line| link(line)).collect::<Vec<_>>(),
                "tournee:temperatureClass": origin.class.as_str(),
                "tournee:leg": origin.leg,
            });
            if !origin.feeds.is_empty() {
                node["tournee:feeds"] = origin
                    .feeds
                    .iter()
                    .map(|id| link(&self.shipment_id(id)))
                    .collect();
            }
            if let Some(task) = unassigned.get(native.as_str()) {
                let reason = task
                    .reason()
                    .as_str_name()
                    .trim_start_matches("UNASSIGNED_REASON_")
                    .to_lowercase();
                node["tournee:unassignedReason"] = Value::String(reason);
                node["tournee:explanation"] = Value::String(task.message.clone());
            } else if let Some((vehicle, pickup_s, delivery_s)) = self.served.get(native) {
                node["dfc-b:isShippedIn"] = link(&self.vehicle(vehicle));
                node["dfc-b:startDate"] = Value::String(day.local(*pickup_s));
                node["dfc-b:endDate"] = Value::String(day.local(*delivery_s));
            }
            nodes.push(node);
        }
        nodes
    }

    /// A PhysicalPlace for each site known only by an Enterprise's or Person's address.
    fn minted_places(&self) -> Vec<Value> {
        self.adapted
            .sites
            .values()
            .filter(|origin| origin.minted)
            .map(|origin| {
                json!({
                    "@id": origin.place,
                    "@type": "dfc-b:PhysicalPlace",
                    "dfc-b:name": origin.name,
                    "tournee:placeOf": link(&origin.node),
                    "dfc-b:hasAddress": {"@type": "dfc-b:Address",
                        "dfc-b:latitude": origin.lat_lon_deg.0, "dfc-b:longitude": origin.lat_lon_deg.1},
                })
            })
            .collect()
    }

    /// The vans of the default fleet.
    fn minted_vehicles(&self) -> Vec<Value> {
        let mut nodes = Vec::new();
        for fleet in self
            .adapted
            .vehicles
            .iter()
            .filter(|vehicle| vehicle.minted)
        {
            let vehicle = &fleet.vehicle;
            let mut node = json!({
                "@id": self.vehicle(&vehicle.id),
                "@type": "dfc-b:Vehicle",
                "dfc-b:name": fleet.name,
                "dfc-b:basedAt": link(&self.place(&fleet.based_at)),
                "dfc-b:hasQuantity": {"@type": "dfc-b:QuantitativeValue", "dfc-b:hasUnit": "dfc-m:Kilogram",
                    "dfc-b:value": vehicle.capacity.first().map_or(0.0, |grams| *grams as f64 / 1000.0)},
                "dfc-b:refrigerated": vehicle.skills.iter().any(|skill| skill == "refrigerated"),
                "dfc-b:frozen": vehicle.skills.iter().any(|skill| skill == "frozen"),
            });
            if !vehicle.producer_id.is_empty() {
                node["tournee:operatedBy"] = link(&vehicle.producer_id);
            }
            nodes.push(node);
        }
        nodes
    }
}

/// A tour's steps grouped into stops: consecutive pickups, or consecutive deliveries,
/// at one site form one group; every other step is a group of its own.
fn stops(steps: &[pb::Step]) -> Vec<&[pb::Step]> {
    let mut groups = Vec::new();
    let mut start = 0;
    for index in 1..=steps.len() {
        let joins = steps.get(index).is_some_and(|step| {
            let previous = &steps[index - 1];
            matches!(step.kind(), pb::StepKind::Pickup | pb::StepKind::Delivery)
                && step.kind() == previous.kind()
                && step.site_id == previous.site_id
        });
        if !joins {
            groups.push(&steps[start..index]);
            start = index;
        }
    }
    groups
}
