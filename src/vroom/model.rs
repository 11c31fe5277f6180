//! VROOM's input document as typed serde structs: the keys tournee reads (see VROOM's
//! `docs/API.md`) and tournee's extensions (`producer` on vehicles and tasks,
//! `max_time_on_board` and `goods_kind` on tasks, top-level `incompatible_goods`). The
//! model says which keys exist and what each must hold; the translation into a native
//! request is [`super::reader`]'s.
//!
//! Keys outside the model are sorted by `keys.rs`: VROOM features tournee has no
//! equivalent for (none today) are refused, keys VROOM does
//! not define either are read past with a warning. Every value is a [`Field`], checked when the reader reads it, so
//! that errors keep tournee's messages, paths and order (see [`super::json`]).

use serde::Deserialize;
use serde_json::Value;

use super::json::{Field, Read, array, object};
use crate::format_error::FormatError;
use crate::pb;

/// The whole document.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Input {
    /// The vehicles.
    pub vehicles: Field<Vec<Field<Vehicle>>>,
    /// Single-stop tasks.
    pub jobs: Field<Vec<Field<Job>>>,
    /// Pickup-and-delivery pairs.
    pub shipments: Field<Vec<Field<Shipment>>>,
    /// Per profile, supplied durations, distances and costs.
    pub matrices: Field<Matrices>,
    /// Legacy: the durations of profile `car`.
    pub matrix: Field<Vec<Vec<i64>>>,
    /// Extension: goods kinds that may not share a vehicle.
    pub incompatible_goods: Field<GoodsPairs>,
    /// Options of the answer.
    pub options: Field<Options>,
}

/// The document's `options`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Options {
    /// Add each route's geometry (an encoded polyline) and distances.
    pub g: Field<bool>,
    /// Plan mode, as vroom-express's `options.c` passes `-c` to `vroom`.
    pub c: Field<bool>,
}

/// A vehicle.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Vehicle {
    /// Required.
    pub id: Field<Id>,
    /// Free text, returned as given.
    pub description: Field<String>,
    /// Start coordinates, without matrices.
    pub start: Field<Coordinates>,
    /// Start matrix index, with matrices.
    pub start_index: Field<u32>,
    /// End coordinates, without matrices.
    pub end: Field<Coordinates>,
    /// End matrix index, with matrices.
    pub end_index: Field<u32>,
    /// Fixed and per-hour costs (VROOM's `per_hour` defaults to 3600).
    pub costs: Field<Costs>,
    /// Routing profile, a key of `matrices`.
    pub profile: Field<String>,
    /// Extension: the producer the vehicle belongs to.
    pub producer: Field<ProducerId>,
    /// Capacity per dimension.
    pub capacity: Field<Vec<i64>>,
    /// Integer skills.
    pub skills: Field<Vec<i64>>,
    /// Working hours.
    pub time_window: Field<pb::TimeWindow>,
    /// Seconds.
    pub max_travel_time: Field<i64>,
    /// Metres.
    pub max_distance: Field<i64>,
    /// Tasks per route.
    pub max_tasks: Field<u32>,
    /// Travel times are divided by it.
    pub speed_factor: Field<f64>,
    /// The driver's breaks.
    pub breaks: Field<Vec<Field<Break>>>,
    /// A given route: the search's start, or the plan itself in plan mode (`-c`).
    pub steps: Field<Vec<Field<Step>>>,
}

/// A step of a vehicle's given route.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Step {
    /// `start`, `job`, `pickup`, `delivery`, `break` or `end`.
    #[serde(rename = "type")]
    pub kind: Field<String>,
    /// The job's, shipment end's or break's id (required for those).
    pub id: Field<Id>,
    /// Plan mode: service starts exactly then.
    pub service_at: Field<i64>,
    /// Plan mode: service starts no earlier.
    pub service_after: Field<i64>,
    /// Plan mode: service starts no later.
    pub service_before: Field<i64>,
    /// Extension: what a re-optimisation keeps, `"vehicle"` or `"sequence"`.
    pub lock: Field<String>,
}

/// A driver's break of a vehicle.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Break {
    /// Required, unique among the vehicle's breaks.
    pub id: Field<Id>,
    /// `[[start, end], …]`: when the break may start.
    pub time_windows: Field<Vec<pb::TimeWindow>>,
    /// How long it lasts, seconds.
    pub service: Field<i64>,
    /// Most goods on board during the break, per capacity dimension.
    pub max_load: Field<Vec<i64>>,
    /// Free text, returned as given.
    pub description: Field<String>,
}

/// A vehicle's `costs`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
#[allow(missing_docs)]
pub struct Costs {
    pub fixed: Field<f64>,
    pub per_hour: Field<f64>,
    pub per_km: Field<f64>,
    pub per_task_hour: Field<f64>,
}

/// Where and when a task is done: a job, or one end of a shipment.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Stop {
    /// Required.
    pub id: Field<Id>,
    /// Coordinates, without matrices.
    pub location: Field<Coordinates>,
    /// Matrix index, with matrices.
    pub location_index: Field<u32>,
    /// Seconds, paid unless the previous step is at the same location.
    pub setup: Field<i64>,
    /// Seconds.
    pub service: Field<i64>,
    /// `[[start, end], …]`.
    pub time_windows: Field<Vec<pb::TimeWindow>>,
    /// Free text, returned as given.
    pub description: Field<String>,
}

/// A single-stop task.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Job {
    /// Id, place and times.
    #[serde(flatten)]
    pub stop: Stop,
    /// Amount delivered, per dimension.
    pub delivery: Field<Vec<i64>>,
    /// Amount picked up, per dimension.
    pub pickup: Field<Vec<i64>>,
    /// Integer skills required.
    pub skills: Field<Vec<i64>>,
    /// 0..=100.
    pub priority: Field<u32>,
    /// Extension: the producer the task belongs to.
    pub producer: Field<ProducerId>,
    /// Extension: the kind of goods, for `incompatible_goods`.
    pub goods_kind: Field<GoodsKind>,
}

/// A pickup and its delivery.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Shipment {
    /// Required.
    pub pickup: Field<Stop>,
    /// Required.
    pub delivery: Field<Stop>,
    /// Amount carried, per dimension.
    pub amount: Field<Vec<i64>>,
    /// Integer skills required.
    pub skills: Field<Vec<i64>>,
    /// 0..=100.
    pub priority: Field<u32>,
    /// Extension: seconds from pickup to delivery at most.
    pub max_time_on_board: Field<i64>,
    /// Extension: the producer the shipment belongs to.
    pub producer: Field<ProducerId>,
    /// Extension: the kind of goods, for `incompatible_goods`.
    pub goods_kind: Field<GoodsKind>,
}

/// One profile's matrices.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ProfileMatrices {
    /// Required: seconds.
    pub durations: Field<Vec<Vec<i64>>>,
    /// Metres.
    pub distances: Field<Vec<Vec<i64>>>,
    /// Cost of each leg; replaces `per_hour` and `per_km` for the profile's vehicles.
    pub costs: Field<Vec<Vec<i64>>>,
}

/// Objects are read in two steps: the shape here, each key when the reader needs it.
macro_rules! read_object {
    ($($model:ty),*) => {$(
        impl Read for $model {
            fn read(value: &Value, field: &str) -> Result<Self, FormatError> {
                Self::deserialize(object(value, field)?)
                    .map_err(|error| FormatError::field(field, error.to_string()))
            }
        }
    )*};
}

read_object!(
    Input,
    Vehicle,
    Break,
    Step,
    Costs,
    Stop,
    Job,
    Shipment,
    ProfileMatrices,
    Options
);

/// A VROOM id: a non-negative integer, kept as its decimal string.
#[derive(Debug)]
pub struct Id(pub String);

impl Read for Id {
    fn read(value: &Value, field: &str) -> Result<Self, FormatError> {
        match value.as_u64() {
            Some(id) => Ok(Id(id.to_string())),
            None => Err(FormatError::field(
                field,
                format!("expected a non-negative integer, found {value}"),
            )),
        }
    }
}

/// `[lon, lat]`, in range.
#[derive(Debug, Clone, Copy)]
#[allow(missing_docs)]
pub struct Coordinates {
    pub lon: f64,
    pub lat: f64,
}

impl Read for Coordinates {
    fn read(value: &Value, field: &str) -> Result<Self, FormatError> {
        let [lon, lat] = array(value, field)?.as_slice() else {
            return Err(FormatError::field(field, "expected [lon, lat]"));
        };
        let (lon, lat) = (
            f64::read(lon, &format!("{field}[0]"))?,
            f64::read(lat, &format!("{field}[1]"))?,
        );
        if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
            let message = format!("[{lon}, {lat}] is not [lon, lat] in [-180, 180] × [-90, 90]");
            return Err(FormatError::field(field, message));
        }
        Ok(Coordinates { lon, lat })
    }
}

/// Extension `producer`: a non-empty string or a non-negative integer, as a string.
#[derive(Debug)]
pub struct ProducerId(pub String);

impl Read for ProducerId {
    fn read(value: &Value, field: &str) -> Result<Self, FormatError> {
        match value {
            Value::String(name) if !name.is_empty() => Ok(ProducerId(name.clone())),
            other => match other.as_u64() {
                Some(number) => Ok(ProducerId(number.to_string())),
                None => {
                    let message = format!("expected a non-empty string or integer, found {other}");
                    Err(FormatError::field(field, message))
                }
            },
        }
    }
}

/// Extension `goods_kind`: a string.
#[derive(Debug)]
pub struct GoodsKind(pub String);

impl Read for GoodsKind {
    fn read(value: &Value, field: &str) -> Result<Self, FormatError> {
        match value {
            Value::String(kind) => Ok(GoodsKind(kind.clone())),
            _ => Err(FormatError::field(field, "must be a string")),
        }
    }
}

/// Extension `incompatible_goods`: `[["raw_meat", "ready_to_eat"], …]`, never in the same
/// vehicle; a third element `"not_on_board_together"` lets them share the vehicle, never
/// the load.
#[derive(Debug)]
pub struct GoodsPairs(pub Vec<pb::IncompatibleGoods>);

/// The third element of a pair whose goods may share the vehicle, never the load.
const ON_BOARD: &str = "not_on_board_together";

impl Read for GoodsPairs {
    fn read(value: &Value, field: &str) -> Result<Self, FormatError> {
        let list = value
            .as_array()
            .ok_or_else(|| FormatError::field(field, "must be a list of [kind, kind] pairs"))?;
        let pair = |(index, pair): (usize, &Value)| match pair.as_array().map(|p| p.as_slice()) {
            Some([Value::String(first), Value::String(second)]) => Ok(pb::IncompatibleGoods {
                first: first.clone(),
                second: second.clone(),
                rule: pb::GoodsRule::NotInSameVehicle as i32,
            }),
            Some(
                [
                    Value::String(first),
                    Value::String(second),
                    Value::String(rule),
                ],
            ) if rule == ON_BOARD => Ok(pb::IncompatibleGoods {
                first: first.clone(),
                second: second.clone(),
                rule: pb::GoodsRule::NotOnBoardTogether as i32,
            }),
            _ => Err(FormatError::field(
                format!("{field}[{index}]"),
                "must be a pair of goods kinds [\"a\", \"b\"], or [\"a\", \"b\", \"not_on_board_together\"]",
            )),
        };
        list.iter()
            .enumerate()
            .map(pair)
            .collect::<Result<_, _>>()
            .map(GoodsPairs)
    }
}

/// `matrices`: profile → its matrices, in the document's key order as `serde_json` keeps
/// it. Each profile's object is read by the reader, in turn.
#[derive(Debug)]
pub struct Matrices(pub Vec<(String, Field<ProfileMatrices>)>);

impl Read for Matrices {
    fn read(value: &Value, field: &str) -> Result<Self, FormatError> {
        let Some(profiles) = value.as_object() else {
            return Err(FormatError::field(
                field,
                "expected an object: profile → matrices",
            ));
        };
        let profiles = profiles.iter().map(|(profile, entry)| {
            <Field<ProfileMatrices> as Read>::read(entry, field)
                .map(|entry| (profile.clone(), entry))
        });
        profiles.collect::<Result<_, _>>().map(Matrices)
    }
}
