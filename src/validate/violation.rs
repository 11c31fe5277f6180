//! One broken rule of a request: a stable code, the field path and what to fix.

/// Stable codes of the rules a request can break; tests and clients match on these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    /// A required field is absent or empty.
    Missing,
    /// Two objects of one kind share an id.
    DuplicateId,
    /// An id names no object of the expected kind.
    UnknownId,
    /// A time window starts after it ends, or lies outside the horizon.
    WindowOrder,
    /// A duration, amount, capacity, cost or limit is negative.
    Negative,
    /// Amount and capacity dimensions differ.
    DimensionMismatch,
    /// A coordinate is NaN or out of range.
    Coordinates,
    /// No vehicle.
    EmptyFleet,
    /// A matrix is not square or does not match the sites.
    MatrixShape,
    /// A number is out of its allowed range.
    OutOfRange,
    /// The request asks for more than the server accepts (sites, tasks, vehicles, matrix
    /// cells, pooling players, time limit); see `validate::RequestLimits`.
    TooLarge,
    /// The request names something the server's operator does not allow (an OSRM
    /// server outside `serve --osrm-allow`).
    NotAllowed,
    /// A site is farther from a drivable road than the travel source accepts
    /// (`travel.road_graph.max_snap_distance_m`, or OSRM could not place it).
    OffRoad,
    /// A DFC document names a remote `@context` that is not a known DFC context (contexts
    /// are never fetched).
    DfcUnknownContext,
    /// A DFC document uses a JSON-LD feature the adapter does not read (`@reverse`,
    /// `@nest`, `@import`, scoped contexts…), or is not JSON-LD at all.
    DfcUnsupportedJsonld,
    /// A DFC link names a node that the document does not hold.
    DfcDanglingReference,
    /// A farm, pickup place or delivery address without latitude and longitude.
    DfcMissingCoordinates,
    /// An ordered product with no supplying Enterprise.
    DfcNoSupplier,
    /// An order that selects no shipping option, or an option with no place to go.
    DfcNoShippingOption,
    /// A quantity in a unit with no known factor to grams or pieces.
    DfcUnknownUnit,
    /// Neither the options nor the selected shipping options give a planning day.
    DfcNoPlanningDate,
    /// A place is closed during the whole slot of the shipping option that uses it.
    DfcClosedDuringSlot,
    /// No vehicle: none in the document and no default fleet in the options.
    DfcNoVehicle,
    /// Two shifts of one vehicle overlap in time.
    ShiftOverlap,
    /// A shift and its vehicle say different things about one tour (sites, breaks,
    /// limits, a shift outside the vehicle's own window).
    ShiftConflict,
    /// A soft time window asked where windows stay hard (opening hours, shifts,
    /// breaks), an allowance without its price or a price without its allowance,
    /// overlapping soft windows of one stop, or soft windows under an objective that
    /// cannot price them.
    SoftWindow,
    /// A given route visits a shipment's delivery before its pickup, or one without the
    /// other (allowed in plan mode, which reports it as a `precedence` violation).
    RouteOrder,
}

impl Code {
    /// The code as clients see it.
    pub fn as_str(&self) -> &'static str {
        match self {
            Code::Missing => "missing",
            Code::DuplicateId => "duplicate_id",
            Code::UnknownId => "unknown_id",
            Code::WindowOrder => "window_order",
            Code::Negative => "negative",
            Code::DimensionMismatch => "dimension_mismatch",
            Code::Coordinates => "coordinates",
            Code::EmptyFleet => "empty_fleet",
            Code::MatrixShape => "matrix_shape",
            Code::OutOfRange => "out_of_range",
            Code::TooLarge => "too_large",
            Code::NotAllowed => "not_allowed",
            Code::OffRoad => "off_road",
            Code::DfcUnknownContext => "dfc.unknown_context",
            Code::DfcUnsupportedJsonld => "dfc.unsupported_jsonld",
            Code::DfcDanglingReference => "dfc.dangling_reference",
            Code::DfcMissingCoordinates => "dfc.missing_coordinates",
            Code::DfcNoSupplier => "dfc.no_supplier",
            Code::DfcNoShippingOption => "dfc.no_shipping_option",
            Code::DfcUnknownUnit => "dfc.unknown_unit",
            Code::DfcNoPlanningDate => "dfc.no_planning_date",
            Code::DfcClosedDuringSlot => "dfc.closed_during_slot",
            Code::DfcNoVehicle => "dfc.no_vehicle",
            Code::ShiftOverlap => "shift_overlap",
            Code::ShiftConflict => "shift_conflict",
            Code::SoftWindow => "soft_window",
            Code::RouteOrder => "route_order",
        }
    }
}

/// A broken rule at a field path such as `shipments[3].pickup.time_windows[0]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Which rule.
    pub code: Code,
    /// Field path in the request, proto field names.
    pub field: String,
    /// What is wrong and how to fix it.
    pub description: String,
}

/// Every violation of one request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid request: {}", summary(.0))]
pub struct Violations(pub Vec<Violation>);

fn summary(violations: &[Violation]) -> String {
    violations
        .iter()
        .map(|v| format!("{}: {} [{}]", v.field, v.description, v.code.as_str()))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Longest description, characters.
pub const MAX_DESCRIPTION_CHARS: usize = 1_000;

/// Collects violations while a request is read.
#[derive(Debug, Default)]
pub struct Collector {
    violations: Vec<Violation>,
}

impl Collector {
    /// Records a violation.
    pub fn push(&mut self, code: Code, field: impl Into<String>, description: impl Into<String>) {
        self.violations.push(Violation {
            code,
            field: field.into(),
            description: description.into(),
        });
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.violations.is_empty()
    }

    /// `Ok(value)` when nothing was recorded, else every violation.
    pub fn finish<T>(self, value: T) -> Result<T, Violations> {
        if self.violations.is_empty() {
            Ok(value)
        } else {
            Err(Violations(self.violations))
        }
    }

    /// A duration, amount or limit that must be ≥ 0 and below the horizon.
    pub fn non_negative(&mut self, field: impl Into<String>, value: i64) -> i64 {
        if value < 0 {
            self.push(
                Code::Negative,
                field,
                format!("{value} is negative; use 0 or more"),
            );
            0
        } else if value > crate::domain::HORIZON_S {
            self.push(
                Code::OutOfRange,
                field,
                format!("{value} exceeds {}", crate::domain::HORIZON_S),
            );
            0
        } else {
            value
        }
    }

    /// A hard time window with 0 ≤ start ≤ end ≤ horizon (soft fields are refused:
    /// only a task stop's own windows may be soft, see `soft_windows`).
    pub fn window(
        &mut self,
        field: impl Into<String>,
        window: &crate::pb::TimeWindow,
    ) -> crate::domain::TimeWindow {
        let field = field.into();
        refuse(self, &field, window);
        self.window_bounds(field, window)
    }

    /// A time window's bounds, 0 ≤ start ≤ end ≤ horizon.
    pub fn window_bounds(
        &mut self,
        field: impl Into<String>,
        window: &crate::pb::TimeWindow,
    ) -> crate::domain::TimeWindow {
        let field = field.into();
        let horizon = crate::domain::HORIZON_S;
        if window.start_s > window.end_s {
            self.push(
                Code::WindowOrder,
                field,
                format!(
                    "start_s {} is after end_s {}; swap or fix the window",
                    window.start_s, window.end_s
                ),
            );
        } else if window.start_s < 0 || window.end_s > horizon {
            self.push(
                Code::WindowOrder,
                field,
                format!("window must lie within 0..={horizon} s"),
            );
        }
        crate::domain::TimeWindow {
            start_s: window.start_s,
            end_s: window.end_s,
        }
    }

    /// Windows sorted by start, overlapping ones merged; empty stays empty (always open).
    pub fn windows(
        &mut self,
        field: &str,
        windows: &[crate::pb::TimeWindow],
    ) -> Vec<crate::domain::TimeWindow> {
        let mut out: Vec<_> = windows
            .iter()
            .enumerate()
            .map(|(index, window)| self.window(format!("{field}[{index}]"), window))
            .collect();
        out.sort();
        // Overlapping windows become one, so "the window a stop starts in" is unique.
        let mut merged: Vec<crate::domain::TimeWindow> = Vec::with_capacity(out.len());
        for window in out {
            match merged.last_mut() {
                Some(last) if window.start_s <= last.end_s => {
                    last.end_s = last.end_s.max(window.end_s)
                }
                _ => merged.push(window),
            }
        }
        merged
    }

    /// A description returned as given at `field.description`: at most
    /// [`MAX_DESCRIPTION_CHARS`] characters.
    pub fn description(&mut self, field: &str, text: &str) -> String {
        if text.chars().count() > MAX_DESCRIPTION_CHARS {
            self.push(
                Code::TooLarge,
                format!("{field}.description"),
                format!("at most {MAX_DESCRIPTION_CHARS} characters"),
            );
            return String::new();
        }
        text.to_string()
    }

    /// An amount: empty means zeros; otherwise exactly `dimensions` non-negative values.
    pub fn amount(&mut self, field: &str, amount: &[i64], dimensions: usize) -> Vec<i64> {
        if amount.is_empty() {
            return vec![0; dimensions];
        }
        if amount.len() != dimensions {
            self.push(
                Code::DimensionMismatch,
                field,
                format!(
                    "{} values, but vehicle capacities have {dimensions}",
                    amount.len()
                ),
            );
            return vec![0; dimensions];
        }
        amount
            .iter()
            .enumerate()
            .map(|(index, value)| self.non_negative(format!("{field}[{index}]"), *value))
            .collect()
    }
}

/// Whether `window` asks for any softness.
pub fn is_soft(window: &crate::pb::TimeWindow) -> bool {
    window.max_late_s != 0
        || window.max_early_s != 0
        || window.late_cost_per_hour != 0.0
        || window.early_cost_per_hour != 0.0
}

/// A window that must stay hard (opening hours, shift, break): a violation when soft.
fn refuse(collector: &mut Collector, field: &str, window: &crate::pb::TimeWindow) {
    if is_soft(window) {
        collector.push(
            Code::SoftWindow,
            field,
            "only a task stop's own time_windows may be soft; opening hours, shifts and breaks stay hard",
        );
    }
}
