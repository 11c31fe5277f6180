//! The small JSON readers of VROOM's input: typed values with field paths, and the
//! reader of VROOM's `matrices`/`matrix`.

use serde_json::Value;

use super::FormatError;
use crate::pb;

/// `object[key]`, with JSON `null` counted as absent.
pub(super) fn get<'a>(object: &'a Value, key: &str) -> Option<&'a Value> {
    object.get(key).filter(|value| !value.is_null())
}

/// An integer (a float with no fractional part is accepted).
pub(super) fn int(value: &Value, field: &str) -> Result<i64, FormatError> {
    if let Some(integer) = value.as_i64() {
        return Ok(integer);
    }
    match value.as_f64() {
        Some(float) if float.fract() == 0.0 && float.abs() < 9.0e15 => Ok(float as i64),
        _ => Err(FormatError::field(
            field,
            format!("expected an integer, found {value}"),
        )),
    }
}

/// The path of `key` inside the value at `field` (`""` is the document's root).
pub(super) fn path(field: &str, key: &str) -> String {
    if field.is_empty() {
        key.to_string()
    } else {
        format!("{field}.{key}")
    }
}

/// `value`, checked to be a JSON object.
pub(super) fn object<'a>(value: &'a Value, field: &str) -> Result<&'a Value, FormatError> {
    if value.is_object() {
        Ok(value)
    } else {
        Err(FormatError::field(
            field,
            format!("expected an object, found {value}"),
        ))
    }
}

/// An optional integer at `object[key]`.
pub(super) fn opt_int(object: &Value, key: &str, field: &str) -> Result<Option<i64>, FormatError> {
    get(object, key)
        .map(|value| int(value, &path(field, key)))
        .transpose()
}

/// An optional number at `object[key]`.
pub(super) fn opt_number(
    object: &Value,
    key: &str,
    field: &str,
) -> Result<Option<f64>, FormatError> {
    get(object, key)
        .map(|value| number(value, &path(field, key)))
        .transpose()
}

/// A non-negative integer that fits in `u32`.
pub(super) fn u32_of(value: &Value, field: &str) -> Result<u32, FormatError> {
    let integer = int(value, field)?;
    u32::try_from(integer)
        .map_err(|_| FormatError::field(field, format!("{integer} is not in 0..={}", u32::MAX)))
}

/// A VROOM id: a non-negative integer, as a string.
pub(super) fn id(object: &Value, field: &str) -> Result<String, FormatError> {
    let value = get(object, "id")
        .ok_or_else(|| FormatError::field(path(field, "id"), "required: an integer id"))?;
    match value.as_u64() {
        Some(id) => Ok(id.to_string()),
        None => Err(FormatError::field(
            path(field, "id"),
            format!("expected a non-negative integer, found {value}"),
        )),
    }
}

/// A finite number.
pub(super) fn number(value: &Value, field: &str) -> Result<f64, FormatError> {
    value
        .as_f64()
        .filter(|number| number.is_finite())
        .ok_or_else(|| FormatError::field(field, format!("expected a number, found {value}")))
}

/// An array.
pub(super) fn array<'a>(value: &'a Value, field: &str) -> Result<&'a Vec<Value>, FormatError> {
    value
        .as_array()
        .ok_or_else(|| FormatError::field(field, format!("expected an array, found {value}")))
}

/// The elements of the optional array `object[key]` (empty when absent).
pub(super) fn items<'a>(
    object: &'a Value,
    key: &str,
    field: &str,
) -> Result<&'a [Value], FormatError> {
    match get(object, key) {
        Some(value) => array(value, &path(field, key)).map(Vec::as_slice),
        None => Ok(&[]),
    }
}

/// An array of integers at `object[key]` (empty when absent).
pub(super) fn ints(object: &Value, key: &str, field: &str) -> Result<Vec<i64>, FormatError> {
    let field = path(field, key);
    items(object, key, "")?
        .iter()
        .enumerate()
        .map(|(index, value)| int(value, &format!("{field}[{index}]")))
        .collect()
}

/// `[lon, lat]` → (lon, lat), in range.
pub(super) fn coordinates(value: &Value, field: &str) -> Result<(f64, f64), FormatError> {
    let [lon, lat] = array(value, field)?.as_slice() else {
        return Err(FormatError::field(field, "expected [lon, lat]"));
    };
    let (lon, lat) = (
        number(lon, &format!("{field}[0]"))?,
        number(lat, &format!("{field}[1]"))?,
    );
    if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
        let message = format!("[{lon}, {lat}] is not [lon, lat] in [-180, 180] × [-90, 90]");
        return Err(FormatError::field(field, message));
    }
    Ok((lon, lat))
}

/// `[start, end]` → a native window.
pub(super) fn window(value: &Value, field: &str) -> Result<pb::TimeWindow, FormatError> {
    match array(value, field)?.as_slice() {
        [start, end] => Ok(pb::TimeWindow {
            start_s: int(start, &format!("{field}[0]"))?,
            end_s: int(end, &format!("{field}[1]"))?,
        }),
        _ => Err(FormatError::field(field, "expected [start, end]")),
    }
}

/// `matrices` (per profile) or the legacy `matrix` (durations of `car`), else straight
/// lines.
pub(super) fn travel(input: &Value) -> Result<pb::TravelOptions, FormatError> {
    let source = if let Some(matrices) = get(input, "matrices") {
        let Some(profiles) = matrices.as_object() else {
            return Err(FormatError::field(
                "matrices",
                "expected an object: profile → matrices",
            ));
        };
        let profiles = profiles
            .iter()
            .map(|(profile, entry)| {
                let field = format!("matrices.{profile}");
                object(entry, &field)?;
                let durations = get(entry, "durations")
                    .ok_or_else(|| FormatError::field(path(&field, "durations"), "required"))?;
                Ok(pb::ProfileMatrices {
                    profile: profile.clone(),
                    durations_s: rows(durations, &path(&field, "durations"))?,
                    distances_m: match get(entry, "distances") {
                        Some(distances) => rows(distances, &path(&field, "distances"))?,
                        None => Vec::new(),
                    },
                })
            })
            .collect::<Result<Vec<_>, FormatError>>()?;
        pb::travel_options::Source::Matrices(pb::SuppliedMatrices { profiles })
    } else if let Some(matrix) = get(input, "matrix") {
        let profile = pb::ProfileMatrices {
            profile: "car".to_string(),
            durations_s: rows(matrix, "matrix")?,
            distances_m: Vec::new(),
        };
        pb::travel_options::Source::Matrices(pb::SuppliedMatrices {
            profiles: vec![profile],
        })
    } else {
        pb::travel_options::Source::StraightLine(pb::StraightLine::default())
    };
    Ok(pb::TravelOptions {
        source: Some(source),
    })
}

/// A matrix: an array of rows of integers.
pub(super) fn rows(value: &Value, field: &str) -> Result<Vec<pb::MatrixRow>, FormatError> {
    array(value, field)?
        .iter()
        .enumerate()
        .map(|(row, values)| {
            let row_field = format!("{field}[{row}]");
            let values = array(values, &row_field)?
                .iter()
                .enumerate()
                .map(|(column, value)| int(value, &format!("{row_field}[{column}]")))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(pb::MatrixRow { values })
        })
        .collect()
}
