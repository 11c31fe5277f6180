//! The small compact JSON-LD values the answer is written with: links, prices,
//! durations.

use serde_json::{Value, json};

/// `{"@id": id}`.
pub fn link(id: &str) -> Value {
    json!({"@id": id})
}

/// A `dfc-b:Price` in euros, rounded to the cent.
pub fn price(value: f64) -> Value {
    json!({"@type": "dfc-b:Price", "dfc-b:value": cents(value), "dfc-b:hasUnit": "dfc-m:Euro"})
}

/// Currency units rounded to the cent.
pub fn cents(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

/// An `xsd:duration` of whole seconds.
pub fn duration(seconds: i64) -> String {
    format!("PT{seconds}S")
}
