//! The Data Food Consortium (DFC) adapter: the platforms of short food supply chains
//! (Open Food Network, CoopCircuits and the tools around them) speak DFC JSON-LD, so
//! an order cycle comes in as DFC and the rounds and cost shares go back as DFC.
//!
//! ```text
//! document ─► graph (JSON-LD node index, context facts built in, never fetched)
//!          ─► orders (lines → demands in grams) ─► read (sites, windows, fleet)
//!          ─► shipments (direct / via hub) ─► pb::SolveRequest + the map back (Adapted)
//! solved response + Adapted ─► write ─► DFC JSON-LD (Route, Step, Shipment, CostShare)
//! ```
//!
//! This module owns the translation only; the request then goes through the normal
//! `validate` → `solver` → `pooling` path like any other. Every problem of a document
//! is collected as a [`crate::validate::Violation`] with a `dfc.*` code and a path
//! `<node @id> <property>`, so a platform fixes its export in one round trip. The
//! design, and why a small reader rather than a JSON-LD processor: DFC.md in the
//! project's shared design notes.

pub mod context;
mod fleet;
pub mod graph;
pub mod hours;
pub mod options;
mod orders;
mod places;
pub mod read;
mod shares;
mod shipments;
mod sites;
pub mod terms;
pub mod units;
mod values;
pub mod write;

pub use options::{DfcOptions, Mode};
pub use orders::{Class, Demand, Destination};
pub use read::{Adapted, adapt};
pub use shipments::ShipmentOrigin;
pub use sites::SiteOrigin;
pub use write::answer;

use serde_json::Value;

use crate::validate::{Code, Collector, Violations};

/// A document's text as JSON; text that is not JSON is one violation at `document`.
pub fn parse_document(text: &str) -> Result<Value, Violations> {
    serde_json::from_str(text).map_err(|error| {
        let mut problems = Collector::default();
        let what = format!(
            "not JSON (line {}, column {}): {error}",
            error.line(),
            error.column()
        );
        problems.push(Code::DfcUnsupportedJsonld, "document", what);
        match problems.finish(()) {
            Err(violations) => violations,
            Ok(()) => Violations(Vec::new()),
        }
    })
}

/// A document and its options, both as text (options empty: every default), read into
/// a request; text that is not JSON is a violation at `document` or `options`.
pub fn read_texts(document: &str, options: &str) -> Result<Adapted, Violations> {
    let document = parse_document(document)?;
    let options = match options.trim() {
        "" => None,
        text => Some(serde_json::from_str::<Value>(text).map_err(|error| {
            let mut problems = Collector::default();
            problems.push(Code::OutOfRange, "options", format!("not JSON: {error}"));
            match problems.finish(()) {
                Err(violations) => violations,
                Ok(()) => Violations(Vec::new()),
            }
        })?),
    };
    read(&document, options.as_ref())
}

/// A document and its options (`None`: every default) read into a request.
pub fn read(document: &Value, options: Option<&Value>) -> Result<Adapted, Violations> {
    let options = match options {
        Some(value) => DfcOptions::from_json(value)?,
        None => DfcOptions::default(),
    };
    adapt(document, &options)
}
