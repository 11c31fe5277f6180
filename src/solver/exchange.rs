//! The parallel searches' meeting point: every `every` iterations each search offers
//! its best plan, waits for the others still running, and takes the best of all
//! offers (the lowest `(score, stream)`) when it beats its own. Searches that share
//! what they found spend their threads on the most promising plan instead of repeating
//! each other's walk, which is what lets more threads help (BENCHMARKS.md, "Searches
//! that meet").
//!
//! Deterministic: the meetings happen at fixed iteration counts, and a meeting is
//! decided only once every search still running has offered or left, so the same seed,
//! thread count and iteration cap give the same answer. A search that stops leaves
//! (by dropping its [`Seat`]), so that the others never wait for it.

use std::sync::{Condvar, Mutex, MutexGuard};

use super::state::Score;

/// Meetings between parallel searches whose plans are `P`s.
pub struct Exchange<P> {
    every: u64,
    board: Mutex<Board<P>>,
    turn: Condvar,
}

/// What the searches have said so far.
struct Board<P> {
    /// Searches still running.
    active: usize,
    /// Offers of the meeting under way, by stream.
    offers: Vec<Option<(Score, P)>>,
    /// How many offers it has.
    arrived: usize,
    /// Meetings decided so far.
    decided: u64,
    /// The last meeting's best offer and its stream.
    best: Option<(Score, u64, P)>,
}

impl<P: Clone> Exchange<P> {
    /// Meetings of `searches` searches every `every` iterations (at least one).
    pub fn new(searches: usize, every: u64) -> Self {
        Exchange {
            every: every.max(1),
            board: Mutex::new(Board {
                active: searches,
                offers: vec![None; searches],
                arrived: 0,
                decided: 0,
                best: None,
            }),
            turn: Condvar::new(),
        }
    }

    /// Search `stream`'s seat: it leaves the meetings when dropped.
    pub fn seat(&self, stream: u64) -> Seat<'_, P> {
        Seat {
            exchange: self,
            stream,
            next: self.every,
        }
    }

    fn board(&self) -> MutexGuard<'_, Board<P>> {
        // A search that panicked holding the lock left a board that is still whole.
        self.board
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl<P> Board<P> {
    /// Decides the meeting once every running search has offered.
    fn decide_if_complete(&mut self) -> bool {
        if self.arrived == 0 || self.arrived < self.active {
            return false;
        }
        let best = self
            .offers
            .iter_mut()
            .enumerate()
            .filter_map(|(stream, offer)| offer.take().map(|(s, plan)| (s, stream as u64, plan)))
            .min_by_key(|(score, stream, _)| (*score, *stream));
        self.best = best;
        self.arrived = 0;
        self.decided += 1;
        true
    }
}

/// One search's place at the meetings.
pub struct Seat<'a, P: Clone> {
    exchange: &'a Exchange<P>,
    stream: u64,
    /// Iterations at which it meets the others next.
    next: u64,
}

impl<P: Clone> Seat<'_, P> {
    /// Whether the search meets the others after `iterations` iterations: once per
    /// `every`, also when a phase that counts many iterations at once jumped past one.
    pub fn is_due(&mut self, iterations: u64) -> bool {
        if iterations < self.next {
            return false;
        }
        let every = self.exchange.every;
        self.next = (iterations / every + 1) * every;
        true
    }

    /// Offers `best` (scored `score`) and waits for the meeting: the best offer of all,
    /// when another search's beats it.
    pub fn meet(&self, best: &P, score: Score) -> Option<(P, Score)> {
        let exchange = self.exchange;
        let mut board = exchange.board();
        let meeting = board.decided;
        board.offers[self.stream as usize] = Some((score, best.clone()));
        board.arrived += 1;
        if board.decide_if_complete() {
            exchange.turn.notify_all();
        }
        while board.decided == meeting {
            board = exchange
                .turn
                .wait(board)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
        match &board.best {
            Some((best_score, stream, plan)) if *stream != self.stream && *best_score < score => {
                Some((plan.clone(), *best_score))
            }
            _ => None,
        }
    }
}

impl<P: Clone> Drop for Seat<'_, P> {
    fn drop(&mut self) {
        let exchange = self.exchange;
        let mut board = exchange.board();
        board.active -= 1;
        if board.decide_if_complete() {
            exchange.turn.notify_all();
        }
    }
}

#[cfg(test)]
mod tests;
