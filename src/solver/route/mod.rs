//! One route's tier: everything that reads or judges a single vehicle's sequence of
//! stops. [`evaluate`] simulates a sequence (windows, loads, limits) and writes its
//! schedule; [`trips`] places the reloads it simulates; [`cache`] keeps per-route
//! figures so moves are priced in O(1); [`insertion`] and [`fast_insertion`] find where
//! a task fits in one route. Moves build on this tier; it never imports them.

pub mod cache;
pub mod evaluate;
pub mod fast_insertion;
pub mod infeasible;
pub mod insertion;
pub mod trips;
pub mod walk;
