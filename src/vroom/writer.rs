//! Domain [`Solution`] → VROOM output JSON (`code`, `summary`, `unassigned`, `routes`).
//! Owns the translation back to VROOM's vocabulary, so that tools built for VROOM can
//! read tournee's answers: `duration` is travel time (VROOM's meaning, not working
//! time), costs are integers, a shipment is two tasks (`pickup` and `delivery`, each with
//! its VROOM id, also when unassigned), and a step's setup is split from its service.
//!
//! VROOM ids are recovered from the conventions of [`super::request_from_vroom`]: task
//! `"7"` is job 7, task `"s3-4"` the shipment of pickup 3 and delivery 4, vehicle `"2"`
//! vehicle 2. Ids that do not follow them (a problem sent in the native format) are
//! written as strings. Extensions: `reason` and `explanation` on unassigned tasks (why
//! it was left out; `description` is the task's own, as in VROOM), `producer` on a
//! route whose vehicle has one. As VROOM does, an open
//! tour still starts with a `start` step (at its first stop) and ends with an `end` step
//! (at its last stop), a shipment's priority counts at both its steps, and the
//! deprecated `amount` repeats `delivery` and `job` a task step's `id`.

use serde_json::{Value, json};

use crate::domain::{
    Amount, Break, Problem, RouteViolation, Site, Solution, StepKind, Task, TaskKind, Tour,
    TourStep, TravelSource, Unassigned,
};

/// Writes `solution` of `problem` in VROOM's output format (`code` 0).
pub fn vroom_output(problem: &Problem, solution: &Solution) -> Value {
    let mut summary = Totals::new(problem.dimensions);
    let routes: Vec<Value> = solution
        .tours
        .iter()
        .map(|tour| route(problem, tour, &mut summary))
        .collect();
    let unassigned: Vec<Value> = solution
        .unassigned
        .iter()
        .flat_map(|entry| unassigned(problem, entry))
        .collect();
    let mut answer = json!({
        "code": 0,
        "summary": {
            "cost": summary.cost,
            "routes": routes.len(),
            "unassigned": unassigned.len(),
            "delivery": summary.delivery,
            "amount": summary.delivery,
            "pickup": summary.pickup,
            "setup": summary.setup,
            "service": summary.service,
            "duration": summary.duration,
            "waiting_time": summary.waiting,
            "priority": summary.priority,
            "distance": summary.distance,
            "violations": violations(&crate::eta::summary(&solution.tours)),
            "computing_times": { "loading": 0, "solving": solution.elapsed_ms, "routing": 0 },
        },
        "unassigned": unassigned,
        "routes": routes,
    });
    leave_out_unknowns(problem, &mut answer);
    answer
}

/// Drops the figures VROOM leaves out when the input does not give them: amounts and
/// loads when nothing has a capacity dimension, distances when matrices come without
/// distances.
fn leave_out_unknowns(problem: &Problem, answer: &mut Value) {
    let mut unknown: Vec<&str> = Vec::new();
    if problem.dimensions == 0 {
        unknown.extend(["delivery", "amount", "pickup", "load"]);
    }
    if let TravelSource::Supplied(matrices) = &problem.travel
        && matrices.iter().any(|matrix| !matrix.distances_known)
    {
        unknown.push("distance");
    }
    if unknown.is_empty() {
        return;
    }
    let forget = |object: &mut Value| {
        if let Some(object) = object.as_object_mut() {
            object.retain(|key, _| !unknown.contains(&key.as_str()));
        }
    };
    forget(&mut answer["summary"]);
    for route in answer["routes"].as_array_mut().into_iter().flatten() {
        for step in route["steps"].as_array_mut().into_iter().flatten() {
            forget(step);
        }
        forget(route);
    }
}

/// Figures VROOM reports per route and in the summary.
#[derive(Debug, Default)]
struct Totals {
    cost: i64,
    delivery: Amount,
    pickup: Amount,
    setup: i64,
    service: i64,
    duration: i64,
    waiting: i64,
    priority: u64,
    distance: i64,
}

impl Totals {
    fn new(dimensions: usize) -> Self {
        Totals {
            delivery: vec![0; dimensions],
            pickup: vec![0; dimensions],
            ..Totals::default()
        }
    }

    fn add(&mut self, other: &Totals) {
        self.cost += other.cost;
        add_amount(&mut self.delivery, &other.delivery);
        add_amount(&mut self.pickup, &other.pickup);
        self.setup += other.setup;
        self.service += other.service;
        self.duration += other.duration;
        self.waiting += other.waiting;
        self.priority += other.priority;
        self.distance += other.distance;
    }
}

fn add_amount(total: &mut Amount, amount: &[i64]) {
    for (total, value) in total.iter_mut().zip(amount) {
        *total += value;
    }
}

/// Micro-currency → VROOM's integer cost, rounded down as VROOM rounds a route's cost.
fn cost(micro: i64) -> i64 {
    micro.div_euclid(1_000_000)
}

fn route(problem: &Problem, tour: &Tour, summary: &mut Totals) -> Value {
    let mut totals = Totals::new(problem.dimensions);
    totals.cost = cost(tour.figures.cost_micro);
    totals.duration = tour.figures.travel_s;
    totals.waiting = tour.figures.waiting_s;
    totals.distance = tour.figures.distance_m;
    // An open tour starts where its first stop is and ends where its last stop is, as
    // VROOM writes it.
    let first_site = tour.steps.iter().find_map(|step| step.site);
    let mut last_site = None;
    // On a shift, the shift's breaks (`Vehicle::on_shift`).
    let driver = problem.tour_vehicle(tour.vehicle, tour.shift);
    let breaks = driver.as_deref().map_or(&[][..], |v| &v.breaks);
    let steps: Vec<Value> = tour
        .steps
        .iter()
        .map(|tour_step| {
            let stand_in = match tour_step.kind {
                StepKind::Start => first_site,
                _ => last_site,
            };
            let written = step(problem, breaks, tour_step, stand_in, &mut totals);
            last_site = tour_step.site.or(last_site);
            written
        })
        .collect();
    summary.add(&totals);
    let vehicle = problem.vehicles.get(tour.vehicle);
    let mut route = json!({
        "vehicle": vehicle.map_or(Value::Null, |vehicle| integer_or_string(&vehicle.id)),
        "cost": totals.cost,
        "delivery": totals.delivery,
        "amount": totals.delivery,
        "pickup": totals.pickup,
        "setup": totals.setup,
        "service": totals.service,
        "duration": totals.duration,
        "waiting_time": totals.waiting,
        "priority": totals.priority,
        "distance": totals.distance,
        "steps": steps,
        "violations": violations(&tour.violations),
    });
    let producer = vehicle.and_then(|vehicle| vehicle.producer);
    if let Some(producer) = producer.and_then(|producer| problem.producers.get(producer)) {
        route["producer"] = json!(producer.id);
    }
    if let Some(vehicle) = vehicle.filter(|vehicle| !vehicle.description.is_empty()) {
        route["description"] = json!(vehicle.description);
    }
    // VROOM has no shifts: a week's route names its shift, like `producer`, as an
    // extension.
    let shift = vehicle.zip(tour.shift).and_then(|(v, s)| v.shifts.get(s));
    if let Some(shift) = shift {
        route["shift"] = json!(shift.id);
    }
    route
}

/// One step. The start of an open start and the end of an open end stand at
/// `stand_in`, the first stop's and the last stop's site.
fn step(
    problem: &Problem,
    breaks: &[Break],
    step: &TourStep,
    stand_in: Option<usize>,
    totals: &mut Totals,
) -> Value {
    let kind = match step.kind {
        StepKind::Start => "start",
        StepKind::Job => "job",
        StepKind::Pickup => "pickup",
        StepKind::Delivery => "delivery",
        StepKind::End => "end",
        StepKind::Reload => "reload",
        StepKind::Break => "break",
    };
    let site = match step.kind {
        StepKind::Start | StepKind::End => step.site.or(stand_in),
        // VROOM's breaks have no location of their own.
        StepKind::Break => None,
        _ => step.site,
    };
    let mut value = json!({
        "type": kind,
        "setup": 0,
        "service": 0,
        "waiting_time": step.waiting_s,
        "load": step.load,
        "arrival": step.arrival_s,
        "duration": step.travel_s,
        "distance": step.distance_m,
        "violations": violations(&step.violations),
    });
    if let Some(site) = site.and_then(|site| problem.sites.get(site)) {
        locate(problem, site, &mut value);
    }
    if let Some(task) = step.task.and_then(|task| problem.tasks.get(task)) {
        task_step(task, step, totals, &mut value);
    } else if matches!(step.kind, StepKind::Reload | StepKind::Break) {
        totals.service += step.service_s;
        value["service"] = json!(step.service_s);
    }
    if let Some(driver_break) = step.driver_break.and_then(|b| breaks.get(b)) {
        value["id"] = integer_or_string(&driver_break.id);
        if !driver_break.description.is_empty() {
            value["description"] = json!(driver_break.description);
        }
    }
    value
}

/// What a task's step adds to `value` (its id, setup, service, description) and to
/// the route's `totals`.
fn task_step(task: &Task, step: &TourStep, totals: &mut Totals, value: &mut Value) {
    let (pickup_id, delivery_id) = shipment_ids(&task.id);
    let (stop, id) = match &task.kind {
        TaskKind::Job {
            stop,
            delivery,
            pickup,
        } => {
            add_amount(&mut totals.delivery, delivery);
            add_amount(&mut totals.pickup, pickup);
            totals.priority += u64::from(task.priority);
            (stop, job_id(&task.id))
        }
        TaskKind::Shipment { pickup, amount, .. } if step.kind == StepKind::Pickup => {
            add_amount(&mut totals.pickup, amount);
            totals.priority += u64::from(task.priority);
            (pickup, pickup_id)
        }
        TaskKind::Shipment {
            delivery, amount, ..
        } => {
            add_amount(&mut totals.delivery, amount);
            // VROOM counts a shipment's priority at both of its steps.
            totals.priority += u64::from(task.priority);
            (delivery, delivery_id)
        }
    };
    let service = stop.service_s.min(step.service_s);
    let setup = step.service_s - service;
    totals.setup += setup;
    totals.service += service;
    // VROOM still writes the deprecated `job` beside `id`.
    value["job"] = id.clone();
    value["id"] = id;
    value["setup"] = json!(setup);
    value["service"] = json!(service);
    if !stop.description.is_empty() {
        value["description"] = json!(stop.description);
    }
}

/// Plan mode's violations as VROOM writes them: `cause`, and `duration` for a delay or
/// a lead time (empty outside plan mode).
fn violations(list: &[RouteViolation]) -> Value {
    list.iter()
        .map(|violation| match violation.duration_s {
            Some(duration_s) => json!({"cause": violation.cause.code(), "duration": duration_s}),
            None => json!({"cause": violation.cause.code()}),
        })
        .collect()
}

/// One entry per VROOM task: one for a job, two (pickup, delivery) for a shipment.
fn unassigned(problem: &Problem, entry: &Unassigned) -> Vec<Value> {
    let Some(task) = problem.tasks.get(entry.task) else {
        return Vec::new();
    };
    let ends = match &task.kind {
        TaskKind::Job { stop, .. } => vec![("job", job_id(&task.id), stop)],
        TaskKind::Shipment {
            pickup, delivery, ..
        } => {
            let (pickup_id, delivery_id) = shipment_ids(&task.id);
            vec![
                ("pickup", pickup_id, pickup),
                ("delivery", delivery_id, delivery),
            ]
        }
    };
    ends.into_iter()
        .map(|(kind, id, stop)| {
            // VROOM's `description` is the task's own; why it is left out is tournee's
            // `reason` (a code) and `explanation`.
            let mut value = json!({
                "id": id,
                "type": kind,
                "reason": entry.reason.code(),
                "explanation": entry.reason.message(),
            });
            if !stop.description.is_empty() {
                value["description"] = json!(stop.description);
            }
            if let Some(site) = problem.sites.get(stop.site) {
                locate(problem, site, &mut value);
            }
            value
        })
        .collect()
}

/// Adds `location` ([lon, lat]) when the site has coordinates and `location_index`
/// when travel comes from supplied matrices.
fn locate(problem: &Problem, site: &Site, value: &mut Value) {
    if let Some((lat, lon)) = site.coordinates_deg {
        value["location"] = json!([lon, lat]);
    }
    if matches!(problem.travel, TravelSource::Supplied(_)) {
        value["location_index"] = json!(site.matrix_index);
    }
}

/// `"7"` → 7; any other id stays a string.
fn integer_or_string(id: &str) -> Value {
    match id.parse::<u64>() {
        Ok(number) if number.to_string() == id => json!(number),
        _ => json!(id),
    }
}

/// A job's VROOM id.
fn job_id(task_id: &str) -> Value {
    integer_or_string(task_id)
}

/// A shipment's VROOM pickup and delivery ids: `"s3-4"` → (3, 4); other ids → the id
/// twice, as strings.
fn shipment_ids(task_id: &str) -> (Value, Value) {
    let parsed = task_id
        .strip_prefix('s')
        .and_then(|rest| rest.split_once('-'));
    match parsed.map(|(pickup, delivery)| (integer_or_string(pickup), integer_or_string(delivery)))
    {
        Some((pickup, delivery)) if pickup.is_u64() && delivery.is_u64() => (pickup, delivery),
        _ => (json!(task_id), json!(task_id)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vroom::request_from_vroom;
    use crate::vroom::tests::small_problem;

    fn solve(input: &Value) -> (Problem, Solution) {
        crate::vroom::tests::solve(&mut request_from_vroom(input).unwrap(), 200)
    }

    fn sum(values: &[Value], key: &str) -> i64 {
        values
            .iter()
            .map(|value| value[key].as_i64().unwrap())
            .sum()
    }

    #[test]
    fn writes_an_open_tour_as_vroom_does() {
        let times = json!([[0, 600, 900], [600, 0, 300], [900, 300, 0]]);
        let input = json!({
            "vehicles": [{"id": 1, "start_index": 0, "capacity": [4]}],
            "shipments": [{"pickup": {"id": 1, "location_index": 1},
                           "delivery": {"id": 2, "location_index": 2},
                           "amount": [3], "priority": 5}],
            "matrices": {"car": {"durations": times}}
        });
        let (problem, solution) = solve(&input);
        let output = vroom_output(&problem, &solution);
        let steps = output["routes"][0]["steps"].as_array().unwrap();
        let kinds: Vec<&str> = steps.iter().map(|s| s["type"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["start", "pickup", "delivery", "end"]);
        let (delivery, end) = (&steps[2], &steps[3]);
        assert_eq!(end["location_index"], delivery["location_index"]);
        assert_eq!(end["arrival"], delivery["arrival"]);
        // A shipment's priority counts at its pickup and at its delivery.
        assert_eq!(output["summary"]["priority"], 10);
        assert_eq!(output["routes"][0]["priority"], 10);
        assert_eq!(output["summary"]["amount"], json!([3]));
        assert_eq!(
            output["routes"][0]["amount"],
            output["routes"][0]["delivery"]
        );
    }

    #[test]
    fn writes_routes_with_vroom_ids_and_figures() {
        let (problem, solution) = solve(&small_problem());
        assert!(solution.unassigned.is_empty());
        let output = vroom_output(&problem, &solution);
        assert_eq!(output["code"], 0);
        let routes = output["routes"].as_array().unwrap();
        let mut served = Vec::new();
        for route in routes {
            let steps = route["steps"].as_array().unwrap();
            assert_eq!(steps[0]["type"], "start");
            // Vehicle 2 has no end: VROOM still writes an end step, at its last stop.
            assert_eq!(steps[steps.len() - 1]["type"], "end");
            assert_eq!(
                route["producer"].as_str(),
                (route["vehicle"] == 1).then_some("ferme-a")
            );
            for step in steps {
                assert!(step["location_index"].is_u64(), "{step}");
                assert!(
                    step.get("location").is_none(),
                    "matrix problem: coordinates are dropped"
                );
                if step["type"] == "job" && step["id"] == 1 {
                    assert_eq!(
                        (&step["setup"], &step["service"]),
                        (&json!(60), &json!(300))
                    );
                }
                if step.get("id").is_some() {
                    served.push((step["type"].to_string(), step["id"].as_u64().unwrap()));
                }
            }
            assert_eq!(route["service"].as_i64(), Some(sum(steps, "service")));
            assert_eq!(route["setup"].as_i64(), Some(sum(steps, "setup")));
        }
        served.sort();
        let expected = [("delivery", 2), ("job", 1), ("job", 2), ("pickup", 1)];
        assert_eq!(served, expected.map(|(kind, id)| (format!("{kind:?}"), id)));
        let summary = &output["summary"];
        assert_eq!(summary["routes"].as_u64(), Some(routes.len() as u64));
        assert_eq!(summary["unassigned"], 0);
        assert_eq!(summary["cost"].as_i64(), Some(sum(routes, "cost")));
        assert_eq!(
            summary["duration"].as_i64(),
            Some(solution.summary.figures.travel_s)
        );
        assert_eq!(
            summary["distance"].as_i64(),
            Some(solution.summary.figures.distance_m)
        );
        assert_eq!(summary["delivery"], json!([3]));
        assert_eq!(summary["pickup"], json!([4]));
        assert_eq!(summary["priority"], 10);
        assert_eq!(
            summary["computing_times"]["solving"].as_u64(),
            Some(solution.elapsed_ms)
        );
    }

    #[test]
    fn unassigned_tasks_carry_reasons_and_shipments_give_two_entries() {
        let input = json!({
            "vehicles": [{"id": 1, "start": [9.5209, 47.141], "end": [9.5209, 47.141],
                          "capacity": [5]}],
            "jobs": [{"id": 1, "location": [9.5097, 47.165], "delivery": [10],
                      "description": "Zehn Kisten"},
                     {"id": 2, "location": [9.5228, 47.211], "delivery": [1],
                      "description": "Eine Kiste"}],
            "shipments": [{"pickup": {"id": 5, "location": [9.526, 47.2447]},
                           "delivery": {"id": 6, "location": [9.5026, 47.0664]},
                           "amount": [1], "skills": [9]}]
        });
        let (problem, solution) = solve(&input);
        let output = vroom_output(&problem, &solution);
        let unassigned = output["unassigned"].as_array().unwrap();
        let entries: Vec<_> = unassigned
            .iter()
            .map(|u| json!([u["type"], u["id"], u["reason"]]))
            .collect();
        let expected = json!([
            ["pickup", 5, "skills"],
            ["delivery", 6, "skills"],
            ["job", 1, "capacity"]
        ]);
        assert_eq!(Value::from(entries), expected);
        assert_eq!(unassigned[0]["location"], json!([9.526, 47.2447]));
        assert_eq!(unassigned[1]["location"], json!([9.5026, 47.0664]));
        assert!(
            unassigned[2]["explanation"]
                .as_str()
                .is_some_and(|d| d.contains("capacity"))
        );
        // VROOM's `description` is the task's own, on unassigned entries and steps.
        assert_eq!(unassigned[2]["description"], "Zehn Kisten");
        assert_eq!(unassigned[0].get("description"), None);
        assert!(unassigned.iter().all(|u| u.get("location_index").is_none()));
        assert_eq!(output["summary"]["unassigned"], 3);
        let steps = output["routes"][0]["steps"].as_array().unwrap();
        assert_eq!(steps[1]["location"], json!([9.5228, 47.211]));
        assert_eq!(steps[1]["description"], "Eine Kiste");
        assert_eq!(output["routes"][0].get("producer"), None);
    }

    #[test]
    fn ids_that_do_not_follow_the_conventions_stay_strings() {
        assert_eq!(integer_or_string("7"), json!(7));
        assert_eq!(integer_or_string("07"), json!("07"));
        assert_eq!(integer_or_string("van-1"), json!("van-1"));
        assert_eq!(shipment_ids("s3-4"), (json!(3), json!(4)));
        assert_eq!(shipment_ids("s3-x"), (json!("s3-x"), json!("s3-x")));
        assert_eq!(shipment_ids("eggs"), (json!("eggs"), json!("eggs")));
        assert_eq!(cost(1_999_999), 1);
        assert_eq!(cost(2_000_000), 2);
    }
}
