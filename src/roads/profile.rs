//! The car profile: which OSM ways a van may drive, in which directions, and how fast.
//!
//! The values are those of OSRM's stock `car.lua` (see `ROADS.md` §7 of the design
//! notes), so that the embedded graph and an OSRM server agree on what a road is.

/// Why a tag set is not a drivable way, or how it can be driven.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WaySpeed {
    /// Speed along the way's node order, km/h; `None`: not allowed.
    pub forward_kmh: Option<f64>,
    /// Speed against the node order, km/h; `None`: not allowed (one-way).
    pub backward_kmh: Option<f64>,
}

/// Speed of a highway class, km/h, or `None` when cars do not use it.
fn class_speed_kmh(highway: &str) -> Option<f64> {
    Some(match highway {
        "motorway" => 90.0,
        "motorway_link" => 45.0,
        "trunk" => 85.0,
        "trunk_link" => 40.0,
        "primary" => 65.0,
        "primary_link" => 30.0,
        "secondary" => 55.0,
        "secondary_link" => 25.0,
        "tertiary" => 40.0,
        "tertiary_link" => 20.0,
        "unclassified" | "residential" => 25.0,
        "living_street" => 10.0,
        "service" => 15.0,
        _ => return None,
    })
}

/// A `maxspeed` value in km/h: numbers (with `mph`), and the zone names OSRM knows.
fn parse_maxspeed_kmh(value: &str) -> Option<f64> {
    let value = value.trim();
    let zone = match value.to_ascii_lowercase().as_str() {
        "fr:urban" | "de:urban" | "at:urban" | "ch:urban" | "urban" => Some(50.0),
        "fr:rural" | "at:rural" => Some(80.0),
        "de:rural" | "ch:rural" | "rural" => Some(100.0),
        "ch:motorway" => Some(120.0),
        "fr:motorway" | "de:motorway" | "at:motorway" => Some(130.0),
        "ch:trunk" => Some(100.0),
        "fr:walk" | "de:walk" | "walk" => Some(10.0),
        "none" => Some(140.0),
        _ => None,
    };
    if zone.is_some() {
        return zone;
    }
    let (number, factor) = match value.strip_suffix("mph") {
        Some(number) => (number.trim(), 1.609_344),
        None => (value.trim_end_matches("km/h").trim(), 1.0),
    };
    number
        .parse::<f64>()
        .ok()
        .filter(|kmh| kmh.is_finite() && *kmh > 0.0)
        .map(|kmh| kmh * factor)
}

/// Surface caps, km/h.
fn surface_cap_kmh(surface: &str) -> Option<f64> {
    Some(match surface {
        "gravel" | "unpaved" | "ground" | "dirt" | "fine_gravel" | "grass" | "mud" | "sand" => 40.0,
        "cobblestone" | "sett" | "unhewn_cobblestone" => 30.0,
        "paving_stones" => 60.0,
        "compacted" => 80.0,
        _ => return None,
    })
}

/// The car profile applied to one way's tags; `None` when a car may not use it.
pub fn car_way_speed<'a>(tags: impl Iterator<Item = (&'a str, &'a str)>) -> Option<WaySpeed> {
    let mut highway = None;
    let mut maxspeed = None;
    let mut maxspeed_forward = None;
    let mut maxspeed_backward = None;
    let mut surface = None;
    let mut oneway = None;
    let mut junction = None;
    let mut denied = false;
    for (key, value) in tags {
        match key {
            "highway" => highway = Some(value),
            "maxspeed" => maxspeed = parse_maxspeed_kmh(value),
            "maxspeed:forward" => maxspeed_forward = parse_maxspeed_kmh(value),
            "maxspeed:backward" => maxspeed_backward = parse_maxspeed_kmh(value),
            "surface" => surface = Some(value),
            "oneway" => oneway = Some(value),
            "junction" => junction = Some(value),
            "access" | "motor_vehicle" | "motorcar" | "vehicle" => {
                // OSRM's car profile drops these unless a later, more specific tag
                // allows cars again; the common case is a plain denial.
                if matches!(
                    value,
                    "no" | "private"
                        | "agricultural"
                        | "forestry"
                        | "emergency"
                        | "psv"
                        | "customers"
                        | "delivery"
                        | "military"
                ) {
                    denied = true;
                }
            }
            "area" if value == "yes" => denied = true,
            "impassable" if value == "yes" => denied = true,
            "construction" if value == "yes" => denied = true,
            "status" if value == "impassable" => denied = true,
            "service" if matches!(value, "parking_aisle" | "driveway") => {}
            _ => {}
        }
    }
    let base_kmh = class_speed_kmh(highway?)?;
    if denied {
        return None;
    }
    let cap = |kmh: f64| match surface.and_then(surface_cap_kmh) {
        Some(cap) => kmh.min(cap),
        None => kmh,
    };
    // A posted limit replaces the class speed at 80 % of its value (OSRM's factor).
    let speed = |tagged: Option<f64>| cap(tagged.or(maxspeed).map_or(base_kmh, |v| v * 0.8));
    let implied_oneway = matches!(highway, Some("motorway"))
        || matches!(junction, Some("roundabout") | Some("circular"));
    let (forward, backward) = match oneway {
        Some("yes") | Some("1") | Some("true") => (true, false),
        Some("-1") | Some("reverse") => (false, true),
        Some("no") | Some("0") | Some("false") => (true, true),
        _ => (true, !implied_oneway),
    };
    Some(WaySpeed {
        forward_kmh: forward.then(|| speed(maxspeed_forward)),
        backward_kmh: backward.then(|| speed(maxspeed_backward)),
    })
}

/// Seconds added when a route passes a node with these tags (OSRM: signals, stop and
/// give-way signs).
pub fn node_penalty_s<'a>(tags: impl Iterator<Item = (&'a str, &'a str)>) -> f64 {
    let mut penalty_s: f64 = 0.0;
    for (key, value) in tags {
        let signal = key == "highway" && matches!(value, "traffic_signals" | "stop" | "give_way");
        let crossing = key == "crossing" && value == "traffic_signals";
        if signal || crossing {
            penalty_s = penalty_s.max(2.0);
        }
    }
    penalty_s
}

/// No arc is faster than this, km/h: bounds a path's length by its duration.
pub const MAX_SPEED_KMH: f64 = 140.0;

/// Seconds added at a junction (a node where three or more road ends meet): what a
/// node-based graph can express of OSRM's turn penalties.
pub const JUNCTION_PENALTY_S: f64 = 1.0;

#[cfg(test)]
mod tests {
    use super::*;

    fn speed(tags: &[(&'static str, &'static str)]) -> Option<WaySpeed> {
        car_way_speed(tags.iter().copied())
    }

    #[test]
    fn classes_limits_surfaces_and_one_ways() {
        let primary = speed(&[("highway", "primary")]).map(|s| s.forward_kmh);
        assert_eq!(primary, Some(Some(65.0)));
        let limited = speed(&[("highway", "primary"), ("maxspeed", "50")]);
        assert_eq!(limited.and_then(|s| s.forward_kmh), Some(40.0));
        let gravel = speed(&[("highway", "secondary"), ("surface", "gravel")]);
        assert_eq!(gravel.and_then(|s| s.backward_kmh), Some(40.0));
        let oneway = speed(&[("highway", "residential"), ("oneway", "yes")]);
        assert_eq!(oneway.map(|s| s.backward_kmh), Some(None));
        let reverse = speed(&[("highway", "residential"), ("oneway", "-1")]);
        assert_eq!(reverse.map(|s| s.forward_kmh), Some(None));
        let roundabout = speed(&[("highway", "tertiary"), ("junction", "roundabout")]);
        assert_eq!(roundabout.map(|s| s.backward_kmh), Some(None));
        assert_eq!(speed(&[("highway", "track")]), None);
        assert_eq!(speed(&[("highway", "footway")]), None);
        assert_eq!(
            speed(&[("highway", "service"), ("access", "private")]),
            None
        );
        assert_eq!(speed(&[("building", "yes")]), None);
        let mph = speed(&[("highway", "primary"), ("maxspeed", "30 mph")]);
        let kmh = mph.and_then(|s| s.forward_kmh).unwrap_or(0.0);
        assert!((kmh - 30.0 * 1.609_344 * 0.8).abs() < 1e-9);
    }

    #[test]
    fn signals_cost_two_seconds() {
        assert_eq!(
            node_penalty_s([("highway", "traffic_signals")].into_iter()),
            2.0
        );
        assert_eq!(node_penalty_s([("amenity", "bench")].into_iter()), 0.0);
    }
}
