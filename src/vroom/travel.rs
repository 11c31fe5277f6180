//! VROOM's `matrices` (per profile: durations, distances, costs) or legacy `matrix` →
//! the native travel source. Apart from the reader because whether matrices are
//! supplied decides how every location is read (a `location_index` or `[lon, lat]`),
//! and which profiles have a cost matrix how their vehicles are priced, so it is settled
//! before any task or vehicle.

use super::json::path;
use super::model::Input;
use crate::format_error::FormatError;
use crate::pb;

/// `matrices` (per profile) or the legacy `matrix` (durations of `car`), else the
/// configured default source (the road graph or OSRM the server or command was started
/// with, else straight lines).
pub(super) fn travel(input: &Input) -> Result<Option<pb::TravelOptions>, FormatError> {
    let source = if let Some(matrices) = input.matrices.read("matrices")? {
        let profiles = matrices
            .0
            .into_iter()
            .map(|(profile, entry)| {
                let field = format!("matrices.{profile}");
                let entry = entry.read_element(&field)?;
                let durations = path(&field, "durations");
                let durations_s = rows(entry.durations.read(&durations)?)
                    .ok_or_else(|| FormatError::field(durations, "required"))?;
                let distances = entry.distances.read(&path(&field, "distances"))?;
                let costs = entry.costs.read(&path(&field, "costs"))?;
                Ok(pb::ProfileMatrices {
                    profile,
                    durations_s,
                    distances_m: rows(distances).unwrap_or_default(),
                    costs: rows(costs).unwrap_or_default(),
                })
            })
            .collect::<Result<Vec<_>, FormatError>>()?;
        pb::travel_options::Source::Matrices(pb::SuppliedMatrices { profiles })
    } else if let Some(matrix) = input.matrix.read("matrix")? {
        let profile = pb::ProfileMatrices {
            profile: "car".to_string(),
            durations_s: rows(Some(matrix)).unwrap_or_default(),
            distances_m: Vec::new(),
            costs: Vec::new(),
        };
        pb::travel_options::Source::Matrices(pb::SuppliedMatrices {
            profiles: vec![profile],
        })
    } else {
        return Ok(None);
    };
    Ok(Some(pb::TravelOptions {
        source: Some(source),
    }))
}

/// A matrix's rows in the native form.
fn rows(matrix: Option<Vec<Vec<i64>>>) -> Option<Vec<pb::MatrixRow>> {
    matrix.map(|rows| {
        let row = |values| pb::MatrixRow { values };
        rows.into_iter().map(row).collect()
    })
}

/// The profiles of `travel` that come with a cost matrix.
pub(super) fn profiles_with_costs(travel: Option<&pb::TravelOptions>) -> Vec<String> {
    match travel.and_then(|t| t.source.as_ref()) {
        Some(pb::travel_options::Source::Matrices(supplied)) => supplied
            .profiles
            .iter()
            .filter(|entry| !entry.costs.is_empty())
            .map(|entry| entry.profile.clone())
            .collect(),
        _ => Vec::new(),
    }
}
