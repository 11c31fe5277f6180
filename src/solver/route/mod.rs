//! One route's tier: everything that reads or judges a single vehicle's sequence of
//! stops. [`evaluate`] simulates a sequence (windows, loads, limits) with [`walk`]'s
//! leg, visit and reload pieces (each node reached as an [`arrival`], soft windows
//! priced there), leaving after the [`delay`] that saves working time, and writes its
//! schedule; [`trips`] places the reloads
//! it simulates; [`breaks`] places the driver's breaks during the walk; [`infeasible`] says why a sequence fails; [`cache`] keeps per-route
//! figures so an insertion is priced in O(1) per position through [`fast_insertion`]
//! (jobs) and [`fast_shipment`] (shipments) when they are exact; [`linear_shipment`] (one
//! best delivery per pickup position from segment data, with a [`min_tree`]) is an exact
//! O(n log n) alternative for long routes, tested but not wired in (measured slower). The plan
//! (`super::state`) and the moves build on this tier; it imports neither.

pub mod arrival;
pub mod breaks;
pub mod cache;
pub mod delay;
pub mod evaluate;
pub mod fast_insertion;
pub mod fast_shipment;
pub mod infeasible;
// Not wired into the search (measured slower than the pruned walk, BENCHMARKS.md): kept,
// tested against brute force, for the work that builds on it.
#[allow(dead_code)]
pub mod linear_delivery;
#[allow(dead_code)]
pub mod linear_shipment;
#[allow(dead_code)]
pub mod min_tree;
pub mod trips;
pub mod walk;
