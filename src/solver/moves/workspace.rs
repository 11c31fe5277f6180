//! The buffers one search's insertions share, the vehicles they may use, and the best
//! insertion over them: below every move that inserts (`recreate`, `haste`, `fleet`,
//! the transfer groups, the local search), so that none of them imports another for it.

use super::insertion::{Blink, Insertion, best_among};
use crate::solver::instance::Instance;
use crate::solver::route::evaluate::Scratch;
use crate::solver::state::State;

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

    /// Best insertion of `task` over every vehicle insertions may use (recreate's and
    /// the transfer groups' one way of asking).
    pub fn best_anywhere(
        &mut self,
        instance: &Instance,
        state: &State,
        task: usize,
        blink: Option<&mut Blink>,
    ) -> Option<Insertion> {
        let allowed = self.allowed.as_deref();
        let vehicles = (0..instance.problem.vehicles.len())
            .filter(|&vehicle| allowed.is_none_or(|allowed| allowed[vehicle]));
        best_among(
            instance,
            state,
            task,
            vehicles,
            &mut self.scratch,
            &mut self.buffer,
            blink,
        )
    }
}
