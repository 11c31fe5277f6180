//! The buffers one search's insertions share, the vehicles they may use, and the best
//! insertion over them: below every move that inserts (`recreate`, `haste`, `fleet`,
//! the transfer groups, the local search), so that none of them imports another for it.

use super::candidates::{self, Locator};
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
    /// Where each stop is while a greedy recreate inserts granularly (large fleets
    /// only, [`candidates::applies`]); `None`: every vehicle is tried.
    locator: Option<Locator>,
    /// Candidate vehicles buffer of granular insertion.
    near: Vec<usize>,
}

impl Workspace {
    /// Buffers for an instance.
    pub fn new(instance: &Instance) -> Self {
        Workspace {
            scratch: Scratch::new(instance),
            buffer: Vec::new(),
            allowed: None,
            locator: None,
            near: Vec::new(),
        }
    }

    /// From now on (until [`Workspace::forget`]), [`Workspace::best_anywhere`] tries
    /// first the routes near each task, on instances where that pays; records where
    /// every stop of `state` is.
    pub fn locate(&mut self, instance: &Instance, state: &State) {
        self.locator = candidates::applies(instance).then(|| Locator::new(instance, state));
    }

    /// Records that `task` went into the route of `vehicle` (after [`Workspace::locate`]).
    pub fn placed(&mut self, instance: &Instance, task: usize, vehicle: usize) {
        if let Some(locator) = self.locator.as_mut() {
            locator.placed(instance, task, vehicle);
        }
    }

    /// Back to trying every vehicle.
    pub fn forget(&mut self) {
        self.locator = None;
    }

    /// Best insertion of `task` over every vehicle insertions may use (recreate's and
    /// the transfer groups' one way of asking); granular after [`Workspace::locate`].
    pub fn best_anywhere(
        &mut self,
        instance: &Instance,
        state: &State,
        task: usize,
        blink: Option<&mut Blink>,
    ) -> Option<Insertion> {
        let allowed = self.allowed.as_deref();
        if let Some(locator) = &self.locator {
            return candidates::best_near(
                instance,
                state,
                task,
                locator,
                allowed,
                &mut self.near,
                &mut self.scratch,
                &mut self.buffer,
                blink,
            );
        }
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
