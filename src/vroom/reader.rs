//! VROOM's input ([`super::model`]) → native [`pb::SolveRequest`]. Owns the mapping of
//! VROOM's keys and of tournee's extensions onto the native API, so that a VROOM problem
//! is then validated and solved exactly like a native one, and the order in which the
//! document is checked (travel, shipments, jobs, vehicles, `incompatible_goods`): the
//! first error in that order is the one reported.
//!
//! Sites: VROOM has none, tasks carry their own location. One site is made per distinct
//! (location, setup) pair; vehicles start and end at the first site made at their
//! location (or a new one with no setup). Setup difference: VROOM pays a task's setup
//! unless the previous step is at the same *location*; tournee pays it unless the
//! previous stop is at the same *site*. The two agree when all tasks at one location
//! share one setup (the usual case); when they differ, tournee may pay a setup VROOM
//! would not (consecutive tasks at one location with different setups).
//!
//! Costs: VROOM's cost unit is abstract; its default `per_hour` of 3600 makes the cost
//! the travel time in seconds. The native `per_hour` is currency per hour, so VROOM's
//! figures map one to one and tournee's costs equal VROOM's (`per_hour` 3600 when
//! `costs` or its `per_hour` is absent). A profile's `costs` matrix prices the travel
//! of its vehicles instead (see [`super::fields::costs`]).
//!
//! With `matrices` (or the legacy `matrix`, durations of profile `car`) every location
//! must be a `location_index`; coordinates given alongside are dropped, since a native
//! site has one location. Without matrices every location must be `[lon, lat]`, and
//! travel is by the source the server or the command is configured with (`--osm`,
//! `--osrm-url`, `tournee vroom -r osrm -a … -p …`), else straight lines, as VROOM routes
//! coordinates with its routing server.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::fields::{breaks, costs, goods_kind, id, ints, priority, shipment_end, skills, steps};
use super::json::{Field, Read, path};
use super::model::{Coordinates, Input, Job, ProducerId, Shipment, Stop, Vehicle};
use super::travel::{profiles_with_costs, travel};
use crate::format_error::FormatError;
use crate::pb;
use pb::location::Kind;

/// VROOM's profile when a vehicle names none.
const DEFAULT_PROFILE: &str = "car";

/// Converts VROOM input (a parsed JSON document) into a native request, ready for
/// `validate::problem`. Errors name the offending VROOM field (`vehicles[2].start`).
pub fn request_from_vroom(input: &Value) -> Result<pb::SolveRequest, FormatError> {
    super::keys::check(input)?;
    let input = Input::read(input, "(document)")?;
    let travel = travel(&input)?;
    let matrices = matches!(
        travel.as_ref().and_then(|t| t.source.as_ref()),
        Some(pb::travel_options::Source::Matrices(_))
    );
    let mut reader = Reader {
        matrices,
        cost_profiles: profiles_with_costs(travel.as_ref()),
        ..Reader::default()
    };
    // Tasks first: vehicles then start and end at the tasks' sites where they coincide.
    let shipments = reader.list(&input.shipments, "shipments", Reader::shipment)?;
    let jobs = reader.list(&input.jobs, "jobs", Reader::job)?;
    let vehicles = reader.list(&input.vehicles, "vehicles", Reader::vehicle)?;
    let incompatible_goods = input.incompatible_goods.read("incompatible_goods")?;
    let (geometry, plan_only) = match input.options.read("options")? {
        Some(options) => (
            options.g.read("options.g")?.unwrap_or(false),
            options.c.read("options.c")?.unwrap_or(false),
        ),
        None => (false, false),
    };
    Ok(pb::SolveRequest {
        sites: reader.sites,
        producers: reader.producers,
        vehicles,
        shipments,
        jobs,
        options: (geometry || plan_only).then(|| pb::SolveOptions {
            geometry,
            plan_only,
            ..Default::default()
        }),
        travel,
        pooling: None,
        incompatible_goods: incompatible_goods.map(|pairs| pairs.0).unwrap_or_default(),
        // VROOM has no transfers.
        transfer_points: Vec::new(),
    })
}

/// A location read from VROOM: its site key and native form.
struct Place {
    key: String,
    location: pb::Location,
}

/// Sites and producers gathered while reading, and the ids seen so far.
#[derive(Default)]
struct Reader {
    matrices: bool,
    /// Profiles whose vehicles a cost matrix prices.
    cost_profiles: Vec<String>,
    sites: Vec<pb::Site>,
    site_ids: HashSet<String>,
    first_site_at: HashMap<String, String>,
    producers: Vec<pb::Producer>,
    producer_ids: HashSet<String>,
    pickup_ids: HashSet<String>,
    delivery_ids: HashSet<String>,
    /// (`pickup` or `delivery`, VROOM id) → the native shipment id, for vehicle steps.
    shipment_ends: HashMap<(&'static str, String), String>,
}

/// Reads one VROOM object (a vehicle, job or shipment) at a field path.
type ReadWith<M, T> = fn(&mut Reader, M, &str) -> Result<T, FormatError>;

impl Reader {
    /// Every element of the array `list` (at top-level `key`), each read as a model `M`
    /// and then by `read`, one element after the other.
    fn list<M: Read, T>(
        &mut self,
        list: &Field<Vec<Field<M>>>,
        key: &str,
        read: ReadWith<M, T>,
    ) -> Result<Vec<T>, FormatError> {
        let elements = list.read(key)?.unwrap_or_default();
        let elements = elements.iter().enumerate();
        elements
            .map(|(index, element)| {
                let field = format!("{key}[{index}]");
                read(self, element.read_element(&field)?, &field)
            })
            .collect()
    }

    fn vehicle(&mut self, vehicle: Vehicle, field: &str) -> Result<pb::Vehicle, FormatError> {
        let id = id(&vehicle.id, field)?;
        let start = self.place(&vehicle.start, &vehicle.start_index, "start", field)?;
        let end = self.place(&vehicle.end, &vehicle.end_index, "end", field)?;
        if start.is_none() && end.is_none() {
            let key = if self.matrices {
                "start_index"
            } else {
                "start"
            };
            let message = format!("give `{key}`, the matching end or both");
            return Err(FormatError::field(path(field, key), message));
        }
        let profile = vehicle.profile.read(&path(field, "profile"))?;
        let cost_matrix = self.cost_profiles.contains(
            &profile
                .clone()
                .unwrap_or_else(|| DEFAULT_PROFILE.to_string()),
        );
        let costs = costs(&vehicle.costs, field, cost_matrix)?;
        let producer_id = self.producer(&vehicle.producer, field)?;
        Ok(pb::Vehicle {
            id,
            description: vehicle
                .description
                .read(&path(field, "description"))?
                .unwrap_or_default(),
            producer_id,
            start_site_id: start
                .map(|place| self.vehicle_site(place))
                .unwrap_or_default(),
            end_site_id: end
                .map(|place| self.vehicle_site(place))
                .unwrap_or_default(),
            capacity: ints(&vehicle.capacity, "capacity", field)?,
            skills: skills(&vehicle.skills, field)?,
            shift: vehicle.time_window.read(&path(field, "time_window"))?,
            max_working_time_s: None,
            max_travel_time_s: vehicle
                .max_travel_time
                .read(&path(field, "max_travel_time"))?,
            max_distance_m: vehicle.max_distance.read(&path(field, "max_distance"))?,
            max_stops: vehicle.max_tasks.read(&path(field, "max_tasks"))?,
            costs: Some(costs),
            speed_factor: (vehicle.speed_factor.read(&path(field, "speed_factor"))?).unwrap_or(0.0),
            profile: profile.unwrap_or_default(),
            // VROOM has no reloads: one trip per vehicle.
            reload: None,
            breaks: breaks(&vehicle.breaks, field)?,
            // VROOM has no shifts: one tour within its time window.
            shifts: Vec::new(),
            initial_route: steps(&vehicle.steps, field, &self.shipment_ends)?,
        })
    }

    fn job(&mut self, job: Job, field: &str) -> Result<pb::Job, FormatError> {
        Ok(pb::Job {
            id: id(&job.stop.id, field)?,
            producer_id: self.producer(&job.producer, field)?,
            stop: Some(self.stop(&job.stop, field)?),
            delivery: ints(&job.delivery, "delivery", field)?,
            pickup: ints(&job.pickup, "pickup", field)?,
            skills: skills(&job.skills, field)?,
            priority: priority(&job.priority, field)?,
            goods_kind: goods_kind(&job.goods_kind, field)?,
        })
    }

    fn shipment(&mut self, shipment: Shipment, field: &str) -> Result<pb::Shipment, FormatError> {
        let (pickup, pickup_field, pickup_id) =
            shipment_end(&shipment.pickup, "pickup", field, &mut self.pickup_ids)?;
        let (delivery, delivery_field, delivery_id) = shipment_end(
            &shipment.delivery,
            "delivery",
            field,
            &mut self.delivery_ids,
        )?;
        let max_time_on_board = path(field, "max_time_on_board");
        let id = format!("s{pickup_id}-{delivery_id}");
        self.shipment_ends.insert(("pickup", pickup_id), id.clone());
        self.shipment_ends
            .insert(("delivery", delivery_id), id.clone());
        Ok(pb::Shipment {
            id,
            producer_id: self.producer(&shipment.producer, field)?,
            pickup: Some(self.stop(&pickup, &pickup_field)?),
            delivery: Some(self.stop(&delivery, &delivery_field)?),
            amount: ints(&shipment.amount, "amount", field)?,
            skills: skills(&shipment.skills, field)?,
            priority: priority(&shipment.priority, field)?,
            max_time_on_board_s: shipment.max_time_on_board.read(&max_time_on_board)?,
            goods_kind: goods_kind(&shipment.goods_kind, field)?,
            allow_transfer: false,
        })
    }

    /// A task's stop: its site (by location and setup), service and windows.
    fn stop(&mut self, stop: &Stop, field: &str) -> Result<pb::TaskStop, FormatError> {
        let place = self
            .place(&stop.location, &stop.location_index, "location", field)?
            .ok_or_else(|| {
                if self.matrices {
                    FormatError::field(path(field, "location_index"), "required with matrices")
                } else {
                    FormatError::field(path(field, "location"), "required: [lon, lat]")
                }
            })?;
        let setup = stop.setup.read(&path(field, "setup"))?.unwrap_or(0);
        if setup < 0 {
            return Err(FormatError::field(
                path(field, "setup"),
                format!("{setup} is negative"),
            ));
        }
        let time_windows = stop.time_windows.read(&path(field, "time_windows"))?;
        let service_s = Some(stop.service.read(&path(field, "service"))?.unwrap_or(0));
        Ok(pb::TaskStop {
            site_id: self.site(place, setup),
            service_s,
            time_windows: time_windows.unwrap_or_default(),
            description: stop
                .description
                .read(&path(field, "description"))?
                .unwrap_or_default(),
        })
    }

    /// The location at `key` (coordinates) or `{key}_index`, whichever the travel source
    /// uses.
    fn place(
        &self,
        coordinates: &Field<Coordinates>,
        index: &Field<u32>,
        key: &str,
        field: &str,
    ) -> Result<Option<Place>, FormatError> {
        let index_key = format!("{key}_index");
        let coordinates = coordinates.read(&path(field, key))?;
        let index = index.read(&path(field, &index_key))?;
        let place = |key, kind| Place {
            key,
            location: pb::Location { kind: Some(kind) },
        };
        match (self.matrices, coordinates, index) {
            (true, _, Some(index)) => Ok(Some(place(
                format!("loc-{index}"),
                Kind::MatrixIndex(index),
            ))),
            (false, Some(Coordinates { lon, lat }), _) => {
                let point = pb::Coordinates {
                    lat_deg: lat,
                    lon_deg: lon,
                };
                Ok(Some(place(
                    format!("loc-{lon},{lat}"),
                    Kind::Coordinates(point),
                )))
            }
            (true, Some(_), None) => Err(FormatError::field(
                path(field, &index_key),
                "required with matrices (coordinates alone cannot be looked up)",
            )),
            (false, None, Some(_)) => Err(FormatError::field(
                path(field, key),
                "required: [lon, lat] (a matrix index needs `matrices`)",
            )),
            (_, None, None) => Ok(None),
        }
    }
    /// The site of `place` with `setup`, made on first use.
    fn site(&mut self, place: Place, setup: i64) -> String {
        let id = match setup {
            0 => place.key.clone(),
            _ => format!("{}-setup-{setup}", place.key),
        };
        if self.site_ids.insert(id.clone()) {
            self.first_site_at
                .entry(place.key)
                .or_insert_with(|| id.clone());
            self.sites.push(pb::Site {
                id: id.clone(),
                location: Some(place.location),
                setup_s: setup,
                ..Default::default()
            });
        }
        id
    }

    /// A vehicle's start or end: the first site at that location, so that no setup is
    /// paid for a first task there (as in VROOM).
    fn vehicle_site(&mut self, place: Place) -> String {
        match self.first_site_at.get(&place.key) {
            Some(id) => id.clone(),
            None => self.site(place, 0),
        }
    }

    /// The extension `producer` (string or integer), registered as a producer.
    fn producer(
        &mut self,
        producer: &Field<ProducerId>,
        field: &str,
    ) -> Result<String, FormatError> {
        let Some(ProducerId(id)) = producer.read(&path(field, "producer"))? else {
            return Ok(String::new());
        };
        if self.producer_ids.insert(id.clone()) {
            self.producers.push(pb::Producer {
                id: id.clone(),
                name: String::new(),
            });
        }
        Ok(id)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::vroom::tests::small_problem;
    use pb::travel_options::Source;

    fn ids<T>(items: &[T], id: impl Fn(&T) -> &str) -> Vec<&str> {
        items.iter().map(id).collect()
    }

    #[test]
    fn converts_a_small_problem() {
        let mut request = request_from_vroom(&small_problem()).unwrap();
        let sites = ids(&request.sites, |s| &s.id);
        assert_eq!(
            sites,
            ["loc-1", "loc-3", "loc-1-setup-60", "loc-2", "loc-0"]
        );
        assert_eq!(request.sites[2].setup_s, 60);
        let index_2 = pb::Location {
            kind: Some(Kind::MatrixIndex(2)),
        };
        assert_eq!(request.sites[3].location, Some(index_2));
        assert_eq!(ids(&request.producers, |p| &p.id), ["ferme-a", "7"]);

        let [first, second] = &request.vehicles[..] else {
            panic!("two vehicles")
        };
        let names = [
            &first.id,
            &first.producer_id,
            &first.start_site_id,
            &first.end_site_id,
        ];
        assert_eq!(names, ["1", "ferme-a", "loc-0", "loc-0"]);
        assert_eq!(first.skills, ["1"]);
        assert_eq!(
            first.shift,
            Some(pb::TimeWindow {
                start_s: 0,
                end_s: 36000,
                ..Default::default()
            })
        );
        let costs = |v: &pb::Vehicle| v.costs.map(|c| (c.fixed, c.per_hour, c.per_km));
        assert_eq!(costs(first), Some((100.0, 3600.0, 0.0)));
        assert_eq!(costs(second), Some((0.0, 3600.0, 0.0)));
        assert_eq!(
            (second.end_site_id.as_str(), second.max_stops),
            ("", Some(3))
        );
        assert_eq!(
            (second.max_travel_time_s, second.max_distance_m),
            (Some(20000), Some(100000))
        );
        assert_eq!(
            (second.speed_factor, second.profile.as_str()),
            (1.25, "car")
        );

        let [job_1, job_2] = &request.jobs[..] else {
            panic!("two jobs")
        };
        let stop = job_1.stop.clone().unwrap();
        assert_eq!(
            (job_1.id.as_str(), stop.site_id.as_str()),
            ("1", "loc-1-setup-60")
        );
        assert_eq!(
            (stop.service_s, job_1.delivery.as_slice()),
            (Some(300), &[1][..])
        );
        assert_eq!(
            stop.time_windows,
            [pb::TimeWindow {
                start_s: 3600,
                end_s: 7200,
                ..Default::default()
            }]
        );
        assert_eq!(
            (job_2.pickup.as_slice(), job_2.skills[0].as_str()),
            (&[2][..], "1")
        );
        assert_eq!((job_2.priority, job_2.producer_id.as_str()), (10, "7"));

        let shipment = &request.shipments[0];
        assert_eq!(shipment.id, "s1-2");
        let pickup = shipment
            .pickup
            .as_ref()
            .map(|s| (s.site_id.as_str(), s.service_s));
        assert_eq!(pickup, Some(("loc-1", Some(120))));
        assert_eq!(
            shipment.delivery.as_ref().map(|s| s.site_id.as_str()),
            Some("loc-3")
        );
        assert_eq!(shipment.amount, [2]);
        assert_eq!(shipment.max_time_on_board_s, Some(3600));

        let source = request.travel.as_ref().and_then(|t| t.source.clone());
        let Some(Source::Matrices(matrices)) = source else {
            panic!("matrices expected")
        };
        let [car] = &matrices.profiles[..] else {
            panic!("one profile")
        };
        assert_eq!((car.profile.as_str(), car.durations_s.len()), ("car", 4));
        assert_eq!(car.distances_m[1].values, [600, 0, 300, 700]);

        request.options = Some(pb::SolveOptions {
            max_iterations: Some(200),
            threads: 1,
            ..Default::default()
        });
        assert_eq!(crate::validate::problem(&request).unwrap().tasks.len(), 3);
    }

    #[test]
    fn reads_the_legacy_matrix_and_routes_coordinates_by_the_configured_source() {
        let legacy = json!({"vehicles": [{"id": 0, "start_index": 0}],
                            "jobs": [{"id": 4, "location_index": 1}], "matrix": [[0, 5], [5, 0]]});
        let source = request_from_vroom(&legacy)
            .unwrap()
            .travel
            .and_then(|t| t.source);
        let Some(Source::Matrices(matrices)) = source else {
            panic!("matrices expected")
        };
        assert_eq!(matrices.profiles[0].profile, "car");
        assert_eq!(matrices.profiles[0].durations_s[0].values, [0, 5]);

        let lines = json!({"vehicles": [{"id": 0, "start": [9.52, 47.14], "end": [9.52, 47.14]}],
                           "jobs": [{"id": 4, "location": [9.5, 47.2]},
                                    {"id": 5, "location": [9.52, 47.14]}]});
        let request = request_from_vroom(&lines).unwrap();
        // No source: the road graph or OSRM the server or command is configured with.
        assert_eq!(request.travel.as_ref().and_then(|t| t.source.clone()), None);
        assert_eq!(request.options, None);
        let with_geometry = json!({"vehicles": [{"id": 0, "start": [9.52, 47.14]}],
                                   "jobs": [{"id": 4, "location": [9.5, 47.2]}],
                                   "options": {"g": true}});
        let request = request_from_vroom(&with_geometry).unwrap();
        assert!(request.options.is_some_and(|o| o.geometry));
        let bad = json!({"vehicles": [], "options": {"g": 1}});
        let error = request_from_vroom(&bad).unwrap_err().to_string();
        assert!(error.contains("options.g"), "{error}");
        assert_eq!(
            ids(&request.sites, |s| &s.id),
            ["loc-9.5,47.2", "loc-9.52,47.14"]
        );
        let point = pb::Coordinates {
            lat_deg: 47.2,
            lon_deg: 9.5,
        };
        let location = pb::Location {
            kind: Some(Kind::Coordinates(point)),
        };
        assert_eq!(request.sites[0].location, Some(location));
        assert_eq!(request.vehicles[0].start_site_id, "loc-9.52,47.14");
        assert_eq!(request.vehicles[0].costs.map(|c| c.per_hour), Some(3600.0));
        assert!(crate::validate::problem(&request).is_ok());
    }

    #[test]
    fn errors_name_the_vroom_field() {
        let at = json!([1, 2]);
        let job = |extra: Value| {
            let mut job = json!({"id": 1, "location": at});
            job.as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            json!({"jobs": [job]})
        };
        let end = |id: u64| json!({"id": id, "location": at});
        let no_index = json!({"matrix": [[0]], "jobs": [{"id": 1, "location": at}]});
        let cases = [
            (json!([1, 2]), "(document)"),
            (
                json!({"vehicles": [{"id": 1, "start": at}, {"start": at}]}),
                "vehicles[1].id",
            ),
            (json!({"vehicles": [{"id": -1}]}), "vehicles[0].id"),
            (json!({"vehicles": [{"id": 1}]}), "vehicles[0].start"),
            (job(json!({"location": [47.1, 95.0]})), "jobs[0].location"),
            (
                json!({"vehicles": [{"id": 1, "end": at, "profile": 3}]}),
                "vehicles[0].profile",
            ),
            (
                job(json!({"location": [9.5, "north"]})),
                "jobs[0].location[1]",
            ),
            (
                json!({"jobs": [{"id": 1, "location_index": 3}]}),
                "jobs[0].location",
            ),
            (no_index, "jobs[0].location_index"),
            (
                json!({"matrices": {"car": {"distances": [[0]]}}}),
                "matrices.car.durations",
            ),
            (
                job(json!({"time_windows": [[1, 2, 3]]})),
                "jobs[0].time_windows[0]",
            ),
            (job(json!({"producer": ""})), "jobs[0].producer"),
            (job(json!({"delivery": 5})), "jobs[0].delivery"),
            (job(json!({"skills": "cold"})), "jobs[0].skills"),
            (job(json!({"setup": -5})), "jobs[0].setup"),
            (
                json!({"shipments": [{"pickup": end(1)}]}),
                "shipments[0].delivery",
            ),
            (
                json!({"shipments": [{"pickup": end(1), "delivery": end(2)},
                                     {"pickup": end(3), "delivery": end(2)}]}),
                "shipments[1].delivery.id",
            ),
        ];
        for (input, expected) in cases {
            match request_from_vroom(&input) {
                Err(FormatError::Field { field, .. }) => assert_eq!(field, expected, "{input}"),
                other => panic!("expected an error at {expected}, got {other:?}"),
            }
        }
    }
}
