//! How a value of VROOM's document is read: [`Field`] keeps it as written and [`Read`]
//! turns it into its typed form with tournee's own messages and field paths.
//!
//! Why not let serde type the values directly: serde's errors name neither the VROOM
//! path (`vehicles[2].start`) nor the expected shape the way tournee's clients (and
//! tests) read them, and serde stops at the first value in document order, whereas the
//! reader reports the first error in its own order (shipments, then jobs, then
//! vehicles). So deserializing the model never fails on a value; reading a field does.

use std::marker::PhantomData;

use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::format_error::FormatError;
use crate::pb;

/// A value of the document, read as a `T` on demand. JSON `null` counts as absent, as in
/// VROOM.
pub struct Field<T> {
    raw: Value,
    kind: PhantomData<fn() -> T>,
}

impl<T> Default for Field<T> {
    fn default() -> Self {
        Field {
            raw: Value::Null,
            kind: PhantomData,
        }
    }
}

impl<T> std::fmt::Debug for Field<T> {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.raw.fmt(formatter)
    }
}

impl<'de, T> Deserialize<'de> for Field<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Value::deserialize(deserializer).map(|raw| Field {
            raw,
            kind: PhantomData,
        })
    }
}

impl<T> Field<T> {
    /// The value as written, `None` when absent or `null`.
    pub fn raw(&self) -> Option<&Value> {
        Some(&self.raw).filter(|raw| !raw.is_null())
    }
}

impl<T: Read> Field<T> {
    /// The value as a `T` (`None` when absent), or what is wrong with it at `field`.
    pub fn read(&self, field: &str) -> Result<Option<T>, FormatError> {
        self.raw().map(|raw| T::read(raw, field)).transpose()
    }

    /// The value as a `T`, `null` included: an element of an array is never absent.
    pub fn read_element(&self, field: &str) -> Result<T, FormatError> {
        T::read(&self.raw, field)
    }
}

/// A typed reading of a JSON value found at a field path.
pub trait Read: Sized {
    /// `value`, read at `field`.
    fn read(value: &Value, field: &str) -> Result<Self, FormatError>;
}

impl<T> Read for Field<T> {
    fn read(value: &Value, _field: &str) -> Result<Self, FormatError> {
        Ok(Field {
            raw: value.clone(),
            kind: PhantomData,
        })
    }
}

/// An integer (a float with no fractional part is accepted).
impl Read for i64 {
    fn read(value: &Value, field: &str) -> Result<Self, FormatError> {
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
}

/// `true` or `false`.
impl Read for bool {
    fn read(value: &Value, field: &str) -> Result<Self, FormatError> {
        value.as_bool().ok_or_else(|| {
            FormatError::field(field, format!("expected true or false, found {value}"))
        })
    }
}

/// A non-negative integer that fits in `u32`.
impl Read for u32 {
    fn read(value: &Value, field: &str) -> Result<Self, FormatError> {
        let integer = i64::read(value, field)?;
        u32::try_from(integer)
            .map_err(|_| FormatError::field(field, format!("{integer} is not in 0..={}", u32::MAX)))
    }
}

/// A finite number.
impl Read for f64 {
    fn read(value: &Value, field: &str) -> Result<Self, FormatError> {
        value
            .as_f64()
            .filter(|number| number.is_finite())
            .ok_or_else(|| FormatError::field(field, format!("expected a number, found {value}")))
    }
}

impl Read for String {
    fn read(value: &Value, field: &str) -> Result<Self, FormatError> {
        match value {
            Value::String(text) => Ok(text.clone()),
            other => Err(FormatError::field(
                field,
                format!("expected a string, found {other}"),
            )),
        }
    }
}

/// An array, each element read at `field[index]`.
impl<T: Read> Read for Vec<T> {
    fn read(value: &Value, field: &str) -> Result<Self, FormatError> {
        array(value, field)?
            .iter()
            .enumerate()
            .map(|(index, element)| T::read(element, &format!("{field}[{index}]")))
            .collect()
    }
}

/// `[start, end]` → a native window.
impl Read for pb::TimeWindow {
    fn read(value: &Value, field: &str) -> Result<Self, FormatError> {
        match array(value, field)?.as_slice() {
            [start, end] => Ok(pb::TimeWindow {
                start_s: i64::read(start, &format!("{field}[0]"))?,
                end_s: i64::read(end, &format!("{field}[1]"))?,
                ..Default::default()
            }),
            _ => Err(FormatError::field(field, "expected [start, end]")),
        }
    }
}

/// The path of `key` inside the value at `field` (`""` is the document's root).
pub fn path(field: &str, key: &str) -> String {
    if field.is_empty() {
        key.to_string()
    } else {
        format!("{field}.{key}")
    }
}

/// `value`, checked to be a JSON object.
pub fn object<'a>(value: &'a Value, field: &str) -> Result<&'a Value, FormatError> {
    if value.is_object() {
        Ok(value)
    } else {
        Err(FormatError::field(
            field,
            format!("expected an object, found {value}"),
        ))
    }
}

/// An array.
pub fn array<'a>(value: &'a Value, field: &str) -> Result<&'a Vec<Value>, FormatError> {
    value
        .as_array()
        .ok_or_else(|| FormatError::field(field, format!("expected an array, found {value}")))
}
