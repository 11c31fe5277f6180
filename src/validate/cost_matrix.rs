//! A profile's cost matrix (`travel.matrices.profiles[i].costs`, VROOM's
//! `matrices.<profile>.costs`): its cells checked, and the vehicles of that profile
//! priced by it. Apart from `options.rs`, which reads durations and distances, because a
//! cost matrix changes what the vehicles pay as well as what the matrix holds.
//!
//! As in VROOM, the matrix replaces the price of driving (per hour, per km) for the
//! vehicles of its profile; `fixed` and `per_task_hour` still apply. VROOM refuses a
//! `per_hour` other than its default with a cost matrix and ignores `per_km`; the native
//! API refuses both when non-zero, so that no rate a client set is silently dropped.

use super::violation::{Code, Collector};
use crate::domain::{TravelSource, Vehicle};
use crate::pb;

/// Largest cost of one leg, currency units (the bound of `VehicleCosts`' rates), so
/// that a tour's sum never nears overflow.
pub const MAX_LEG_COST: i64 = 1_000_000_000;

/// The cells of a cost matrix at `field` (`rows`, which must be `size` × `size` like the
/// durations), row-major; empty when none is given or it is refused.
pub(super) fn cost_cells(
    collector: &mut Collector,
    field: &str,
    rows: &[pb::MatrixRow],
    size: usize,
) -> Vec<i64> {
    if rows.is_empty() {
        return Vec::new();
    }
    if rows.len() != size {
        collector.push(
            Code::MatrixShape,
            field,
            format!(
                "{} rows; the cost matrix must be {size}×{size} like durations_s",
                rows.len()
            ),
        );
        return Vec::new();
    }
    let mut cells = Vec::with_capacity(size * size);
    for (row_index, row) in rows.iter().enumerate() {
        if row.values.len() != size {
            collector.push(
                Code::MatrixShape,
                format!("{field}[{row_index}]"),
                format!(
                    "{} values; a {size}×{size} matrix needs {size} per row",
                    row.values.len()
                ),
            );
            return Vec::new();
        }
        for (column, &value) in row.values.iter().enumerate() {
            let cell = format!("{field}[{row_index}].values[{column}]");
            if value < 0 {
                collector.push(Code::Negative, cell, format!("{value} is negative"));
                return Vec::new();
            }
            if value > MAX_LEG_COST {
                let message = format!("{value} is not in 0..={MAX_LEG_COST}");
                collector.push(Code::OutOfRange, cell, message);
                return Vec::new();
            }
        }
        cells.extend_from_slice(&row.values);
    }
    cells
}

/// Prices the vehicles whose profile has a cost matrix by it alone: their `per_hour`
/// (1 per hour by default) and `per_km` drop to 0, and a non-zero one given in the
/// request (`given`, in the order of `vehicles`) is a violation.
pub(super) fn price_by_cost_matrices(
    collector: &mut Collector,
    given: &[pb::Vehicle],
    vehicles: &mut [Vehicle],
    travel: &TravelSource,
    profiles: &[String],
) {
    let TravelSource::Supplied(matrices) = travel else {
        return;
    };
    for (index, (request, vehicle)) in given.iter().zip(vehicles.iter_mut()).enumerate() {
        if !matrices
            .get(vehicle.profile)
            .is_some_and(|matrix| matrix.has_costs())
        {
            continue;
        }
        if let Some(costs) = &request.costs {
            for (name, rate) in [("per_hour", costs.per_hour), ("per_km", costs.per_km)] {
                if rate != 0.0 {
                    let profile = profiles.get(vehicle.profile).map_or("car", String::as_str);
                    collector.push(
                        Code::OutOfRange,
                        format!("vehicles[{index}].costs.{name}"),
                        format!(
                            "{rate}: must be 0, the cost matrix of profile {profile:?} prices this vehicle's travel"
                        ),
                    );
                }
            }
        }
        vehicle.costs.per_hour_micro = 0;
        vehicle.costs.per_km_micro = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(values: &[&[i64]]) -> Vec<pb::MatrixRow> {
        values
            .iter()
            .map(|row| pb::MatrixRow {
                values: row.to_vec(),
            })
            .collect()
    }

    fn codes(rows: &[pb::MatrixRow], size: usize) -> Vec<(String, String)> {
        let mut collector = Collector::default();
        cost_cells(&mut collector, "costs", rows, size);
        match collector.finish(()) {
            Ok(()) => Vec::new(),
            Err(violations) => violations
                .0
                .iter()
                .map(|v| (v.code.as_str().to_string(), v.field.clone()))
                .collect(),
        }
    }

    #[test]
    fn cells_are_checked_for_shape_sign_and_size() {
        let mut collector = Collector::default();
        let cells = cost_cells(&mut collector, "costs", &rows(&[&[0, 7], &[3, 0]]), 2);
        assert_eq!(cells, [0, 7, 3, 0]);
        assert!(cost_cells(&mut collector, "costs", &[], 2).is_empty());
        assert!(collector.is_empty());
        let violation = |code: &str, field: &str| vec![(code.to_string(), field.to_string())];
        assert_eq!(
            codes(&rows(&[&[0, 1]]), 2),
            violation("matrix_shape", "costs")
        );
        assert_eq!(
            codes(&rows(&[&[0, 1], &[1]]), 2),
            violation("matrix_shape", "costs[1]")
        );
        assert_eq!(
            codes(&rows(&[&[0, 1], &[-1, 0]]), 2),
            violation("negative", "costs[1].values[0]")
        );
        assert_eq!(
            codes(&rows(&[&[0, MAX_LEG_COST + 1], &[1, 0]]), 2),
            violation("out_of_range", "costs[0].values[1]")
        );
    }
}
