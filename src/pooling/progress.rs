//! How far the pooling report's coalition solves are, for whoever watches a solve (a
//! long-running operation's metadata). [`Counted`] wraps any [`Coalitions`] and tells
//! its callback, after each layer, how many coalitions are solved out of how many
//! planned, summed over every batch the report solves (the exact game, or the sampled
//! one and the coalitions the core check adds), so the count only grows.

use std::sync::Mutex;

use super::fanout::{Coalition, Coalitions, Whole};
use super::plans::Plan;
use crate::budget::Budget;
use crate::solver;

/// Coalitions solved so far out of those planned so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CoalitionProgress {
    /// Solved.
    pub done: usize,
    /// Planned (grows when a later batch adds coalitions).
    pub total: usize,
}

/// A [`Coalitions`] that reports its progress to `on_progress`.
pub struct Counted<'a> {
    inner: &'a dyn Coalitions,
    on_progress: &'a (dyn Fn(CoalitionProgress) + Sync),
    /// Earlier batches' (done, total), then the current batch's.
    counts: Mutex<[CoalitionProgress; 2]>,
}

impl<'a> Counted<'a> {
    /// `inner`, its progress told to `on_progress`.
    pub fn new(
        inner: &'a dyn Coalitions,
        on_progress: &'a (dyn Fn(CoalitionProgress) + Sync),
    ) -> Self {
        Counted {
            inner,
            on_progress,
            counts: Mutex::new([CoalitionProgress::default(); 2]),
        }
    }
}

impl Coalitions for Counted<'_> {
    fn solve_layer(
        &self,
        whole: &Whole,
        layer: &[Coalition],
        budget: &Budget,
    ) -> Result<Vec<Option<Plan>>, solver::SolveError> {
        self.inner.solve_layer(whole, layer, budget)
    }

    fn progress(&self, done: usize, total: usize) {
        let summed = match self.counts.lock() {
            Ok(mut counts) => {
                let [earlier, current] = &mut *counts;
                if done == 0 {
                    // A new batch starts: the current one joins the earlier ones.
                    earlier.done += current.done;
                    earlier.total += current.total;
                }
                *current = CoalitionProgress { done, total };
                CoalitionProgress {
                    done: earlier.done + done,
                    total: earlier.total + total,
                }
            }
            Err(_) => return,
        };
        (self.on_progress)(summed);
        self.inner.progress(done, total);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pooling::Local;

    #[test]
    fn sums_the_batches_so_that_the_count_only_grows() {
        let seen = Mutex::new(Vec::new());
        let record = |progress: CoalitionProgress| seen.lock().unwrap().push(progress);
        let counted = Counted::new(&Local, &record);
        for (done, total) in [(0, 4), (2, 4), (4, 4), (0, 3), (3, 3)] {
            counted.progress(done, total);
        }
        let seen: Vec<(usize, usize)> = seen
            .lock()
            .unwrap()
            .iter()
            .map(|p| (p.done, p.total))
            .collect();
        assert_eq!(seen, [(0, 4), (2, 4), (4, 4), (4, 7), (7, 7)]);
    }
}
