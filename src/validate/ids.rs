//! External string ids → dense indices, with duplicate and unknown-id violations.

use std::collections::HashMap;

use super::violation::{Code, Collector};
use crate::domain::Site;

/// Index of every id of one kind of object.
pub struct Ids {
    kind: &'static str,
    index: HashMap<String, usize>,
}

impl Ids {
    /// Indexes ids in order, reporting empty and duplicate ones at `kind[i].id`.
    pub fn new<'a>(
        collector: &mut Collector,
        kind: &'static str,
        ids: impl Iterator<Item = &'a str>,
    ) -> Self {
        let mut index = HashMap::new();
        for (position, id) in ids.enumerate() {
            let field = format!("{kind}[{position}].id");
            if id.is_empty() {
                collector.push(Code::Missing, field, "give every object a non-empty id");
            } else if index.insert(id.to_string(), position).is_some() {
                collector.push(Code::DuplicateId, field, format!("id {id:?} is used twice"));
            }
        }
        Ids { kind, index }
    }

    /// The index of `id`, or a violation at `field` when it names nothing.
    pub fn lookup(
        &self,
        collector: &mut Collector,
        field: impl Into<String>,
        id: &str,
    ) -> Option<usize> {
        let found = self.index.get(id).copied();
        if found.is_none() {
            let description = if id.is_empty() {
                format!("required: name one of the {}", self.kind)
            } else {
                format!("{id:?} names none of the {}", self.kind)
            };
            let code = if id.is_empty() {
                Code::Missing
            } else {
                Code::UnknownId
            };
            collector.push(code, field, description);
        }
        found
    }

    /// An optional reference: empty is `None` without a violation.
    pub fn optional(
        &self,
        collector: &mut Collector,
        field: impl Into<String>,
        id: &str,
    ) -> Option<usize> {
        if id.is_empty() {
            None
        } else {
            self.lookup(collector, field, id)
        }
    }
}

/// What task and vehicle rules need to resolve references.
pub struct Context<'a> {
    /// Site ids.
    pub sites: &'a Ids,
    /// Producer ids.
    pub producers: &'a Ids,
    /// Validated sites (for default windows and service times).
    pub site_list: &'a [Site],
    /// Capacity dimensions.
    pub dimensions: usize,
}
