//! The options sent beside a DFC document, as plain JSON (DFC has no terms for them):
//! the planning day and time zone, direct or via-hub flow, the fleet when the document
//! has no `dfc-b:Vehicle`, how long stops take, what vehicles cost, the pooling report,
//! the base of the answer's new ids and the search's knobs. Every field has a default,
//! so `{}` is a valid set of options; an unknown field is an error naming it.

use chrono::NaiveDate;
use chrono_tz::Tz;
use serde::Deserialize;

use super::hours::parse_time;
use crate::validate::{Code, Collector};

/// How goods travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Farm → destination.
    Direct,
    /// Farm → hub (before the cutoff), then hub → destination (after sorting).
    ViaHub,
}

impl Mode {
    /// The name clients use.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Direct => "direct",
            Mode::ViaHub => "via_hub",
        }
    }
}

/// Where the default fleet stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FleetKind {
    /// One van at the hub when there is one, else one per producer at its farm.
    #[default]
    Auto,
    /// One van at the hub.
    Hub,
    /// One van per producer at its farm, operated by it.
    PerProducer,
    /// No default fleet: a document without vehicles is refused (`dfc.no_vehicle`).
    None,
}

/// The fleet used when the document has no `dfc-b:Vehicle`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DefaultFleet {
    /// Where the vans stand.
    pub kind: FleetKind,
    /// Each van's capacity, kg.
    pub capacity_kg: f64,
    /// Whether the vans carry chilled goods.
    pub refrigerated: bool,
    /// Whether the vans carry frozen goods.
    pub frozen: bool,
}

impl Default for DefaultFleet {
    fn default() -> Self {
        DefaultFleet {
            kind: FleetKind::Auto,
            capacity_kg: 600.0,
            refrigerated: true,
            frozen: false,
        }
    }
}

/// What vehicles cost when the document does not say (`tournee:fixedCost`…).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CostModel {
    /// Per vehicle used, currency units.
    pub fixed: f64,
    /// Per km driven.
    pub per_km: f64,
    /// Per hour of the tour.
    pub per_hour: f64,
}

impl Default for CostModel {
    fn default() -> Self {
        CostModel {
            fixed: 10.0,
            per_km: 0.3,
            per_hour: 18.0,
        }
    }
}

/// How long a stop takes: a setup per site, plus handling per kg.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServiceModel {
    /// Per visit of a site, seconds.
    pub stop_setup_s: i64,
    /// Per kg loaded or unloaded, seconds.
    pub handling_s_per_kg: f64,
    /// Longest time chilled and frozen goods may spend on board, seconds (none: no
    /// limit).
    pub chilled_max_on_board_s: Option<i64>,
}

impl Default for ServiceModel {
    fn default() -> Self {
        ServiceModel {
            stop_setup_s: 300,
            handling_s_per_kg: 6.0,
            chilled_max_on_board_s: None,
        }
    }
}

/// The search's knobs (the native request's `options`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Search {
    /// Seed of the search: the same document, options and seed give the same answer.
    pub seed: u64,
    /// Parallel searches (0: one per core).
    pub threads: u32,
    /// Iterations per parallel search.
    pub max_iterations: Option<u64>,
    /// Wall-clock budget, ms.
    pub time_limit_ms: Option<u64>,
}

/// Every option.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DfcOptions {
    /// The delivery day, `YYYY-MM-DD` (default: the local date of the earliest slot
    /// among the selected shipping options).
    pub planning_date: Option<String>,
    /// IANA time zone of the hours and of the answer's times.
    pub time_zone: String,
    /// Direct or via the hub (default: via_hub when the session has a hub).
    pub mode: Option<Mode>,
    /// Inbound deliveries reach the hub before this local time (`HH:MM`).
    pub hub_cutoff: String,
    /// Between the cutoff and the first outbound pickup at the hub, seconds.
    pub hub_sorting_s: i64,
    /// The fleet when the document has no vehicle.
    pub default_fleet: DefaultFleet,
    /// Vehicle costs when the document gives none.
    pub costs: CostModel,
    /// Stop durations.
    pub service: ServiceModel,
    /// Mass of one sales unit when the product states none, grams (warned).
    pub default_unit_mass_g: f64,
    /// Density of goods sold by volume, kg per litre.
    pub kg_per_litre: f64,
    /// Whether to add the pooling report and the cost shares.
    pub pooling: bool,
    /// Which rule's share `tournee:share` carries: shapley, proportional, nucleolus, epm.
    pub share_rule: String,
    /// Base of the answer's new `@id`s (default `urn:tournee:plan:<digest>`).
    pub id_base: Option<String>,
    /// Whether vehicles come back to their depot (false: each route ends at its last
    /// stop).
    pub return_to_depot: bool,
    /// Whether each route carries its path as a precision-5 polyline
    /// (`tournee:polyline`, along the roads when travel comes from roads).
    pub geometry: bool,
    /// The search.
    pub search: Search,
}

impl Default for DfcOptions {
    fn default() -> Self {
        DfcOptions {
            planning_date: None,
            time_zone: "Europe/Paris".to_string(),
            mode: None,
            hub_cutoff: "12:00".to_string(),
            hub_sorting_s: 1800,
            default_fleet: DefaultFleet::default(),
            costs: CostModel::default(),
            service: ServiceModel::default(),
            default_unit_mass_g: 1000.0,
            kg_per_litre: 1.0,
            pooling: true,
            share_rule: "shapley".to_string(),
            id_base: None,
            return_to_depot: true,
            geometry: false,
            search: Search::default(),
        }
    }
}

/// The options checked: parsed date, zone and cutoff.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The planning day, when given.
    pub planning_date: Option<NaiveDate>,
    /// The time zone.
    pub zone: Tz,
    /// The hub cutoff, seconds of the day.
    pub hub_cutoff_s: i64,
}

/// The allocation rules a share can follow.
pub const SHARE_RULES: [&str; 4] = ["shapley", "proportional", "nucleolus", "epm"];

impl DfcOptions {
    /// Options from JSON; a field of the wrong shape is a violation at `options…`.
    pub fn from_json(value: &serde_json::Value) -> Result<DfcOptions, crate::validate::Violations> {
        DfcOptions::deserialize(value).map_err(|error| {
            let mut problems = Collector::default();
            problems.push(Code::OutOfRange, "options", error.to_string());
            match problems.finish(()) {
                Err(violations) => violations,
                Ok(()) => crate::validate::Violations(Vec::new()),
            }
        })
    }

    /// The values that need parsing, each bad one collected.
    pub fn check(&self, problems: &mut Collector) -> Checked {
        let planning_date = self.planning_date.as_ref().and_then(|text| {
            let parsed = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
            if parsed.is_none() {
                problems.push(
                    Code::OutOfRange,
                    "options.planning_date",
                    format!("{text:?} is not a date YYYY-MM-DD"),
                );
            }
            parsed
        });
        let zone = self.time_zone.parse::<Tz>().unwrap_or_else(|_| {
            let what = format!(
                "{:?} is not an IANA time zone (e.g. Europe/Paris)",
                self.time_zone
            );
            problems.push(Code::OutOfRange, "options.time_zone", what);
            chrono_tz::Europe::Paris
        });
        let hub_cutoff_s = parse_time(&self.hub_cutoff).unwrap_or_else(|| {
            let what = format!("{:?} is not a time of day HH:MM", self.hub_cutoff);
            problems.push(Code::OutOfRange, "options.hub_cutoff", what);
            12 * 3600
        });
        if !SHARE_RULES.contains(&self.share_rule.as_str()) {
            let what = format!("{:?} is not one of {SHARE_RULES:?}", self.share_rule);
            problems.push(Code::OutOfRange, "options.share_rule", what);
        }
        let positive = [
            (
                "options.default_fleet.capacity_kg",
                self.default_fleet.capacity_kg,
            ),
            ("options.default_unit_mass_g", self.default_unit_mass_g),
            ("options.kg_per_litre", self.kg_per_litre),
        ];
        for (field, value) in positive {
            if !(value.is_finite() && value > 0.0) {
                problems.push(
                    Code::OutOfRange,
                    field,
                    format!("{value} must be a positive number"),
                );
            }
        }
        Checked {
            planning_date,
            zone,
            hub_cutoff_s,
        }
    }
}
