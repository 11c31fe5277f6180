//! The roles of a transferable shipment's tasks (see `solver::transfers`): which is
//! the shipment served direct and which are its legs, and what each excludes. A group
//! is served by its direct task or by both legs, never by a mix.

use super::Instance;
use crate::solver::transfers::Group;

/// What a task is in its group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The shipment served direct.
    Direct(Group),
    /// Its first leg (farm → transfer point).
    First(Group),
    /// Its second leg (transfer point → destination).
    Second(Group),
}

/// One role per task, empty when the problem has no groups.
pub fn roles(tasks: usize, groups: &[Group]) -> Vec<Option<Role>> {
    if groups.is_empty() {
        return Vec::new();
    }
    let mut roles = vec![None; tasks];
    for &group in groups {
        roles[group.direct] = Some(Role::Direct(group));
        roles[group.first] = Some(Role::First(group));
        roles[group.second] = Some(Role::Second(group));
    }
    roles
}

impl Instance<'_> {
    /// The role of `task`, if it belongs to a group.
    #[inline]
    pub fn role(&self, task: usize) -> Option<Role> {
        self.roles.get(task).copied().flatten()
    }

    /// Whether `task` must not be inserted now: the other way of its group serves it,
    /// or it is a second leg whose first leg is not in a route.
    /// `unassigned` is the search state's sorted list of tasks in no route.
    pub fn transfer_blocked(&self, unassigned: &[usize], task: usize) -> bool {
        let served = |task: usize| unassigned.binary_search(&task).is_err();
        match self.role(task) {
            None => false,
            Some(Role::Direct(group)) => served(group.first) || served(group.second),
            Some(Role::First(group)) => served(group.direct),
            Some(Role::Second(group)) => served(group.direct) || !served(group.first),
        }
    }

    /// Whether the route of `vehicle` carries the other leg of the leg `task`: a van
    /// that carries both legs gains nothing over carrying the goods direct, so
    /// insertions put the legs on two vans.
    pub fn partner_on(&self, route: &[usize], task: usize) -> bool {
        let partner = match self.role(task) {
            Some(Role::First(group)) => group.second,
            Some(Role::Second(group)) => group.first,
            _ => return false,
        };
        route.contains(&self.task_stops[partner][0])
    }

    /// Whether `stops` hold both legs of one shipment: every move is judged through
    /// this (a van carrying both legs gains nothing over carrying the goods direct).
    pub fn both_legs(&self, stops: &[usize]) -> bool {
        if self.roles.is_empty() {
            return false;
        }
        let seconds: Vec<usize> = stops
            .iter()
            .filter_map(|&stop| match self.role(self.stops[stop].task) {
                Some(Role::First(group)) => Some(group.second),
                _ => None,
            })
            .collect();
        !seconds.is_empty()
            && stops
                .iter()
                .any(|&stop| seconds.contains(&self.stops[stop].task))
    }

    /// Whether the unassigned `task` counts as a task left out: a leg never does (its
    /// group counts through its direct task), a direct task unless both legs are in.
    pub fn counts_unassigned(&self, unassigned: &[usize], task: usize) -> bool {
        let served = |task: usize| unassigned.binary_search(&task).is_err();
        match self.role(task) {
            None => true,
            Some(Role::Direct(group)) => !(served(group.first) && served(group.second)),
            Some(Role::First(_) | Role::Second(_)) => false,
        }
    }
}
