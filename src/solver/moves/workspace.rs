//! The buffers one search's insertions share, and the vehicles they may use: below
//! every move that inserts (`recreate`, `haste`, `fleet`, the local search), so that
//! none of them imports another for it.

use crate::solver::instance::Instance;
use crate::solver::route::evaluate::Scratch;

/// Buffers shared by the insertion calls of one search.
pub struct Workspace {
    /// Route evaluation buffers.
    pub scratch: Scratch,
    /// Candidate sequence buffer.
    pub buffer: Vec<usize>,
    /// Vehicles insertions may use (`None`: all); the fleet phase closes some.
    pub allowed: Option<Vec<bool>>,
}

impl Workspace {
    /// Buffers for an instance.
    pub fn new(instance: &Instance) -> Self {
        Workspace {
            scratch: Scratch::new(instance),
            buffer: Vec::new(),
            allowed: None,
        }
    }
}
