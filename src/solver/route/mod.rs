//! One route's tier: everything that reads or judges a single vehicle's sequence of
//! stops. [`evaluate`] simulates a sequence (windows, loads, limits) with [`walk`]'s
//! leg, visit and reload pieces (each node reached as an [`arrival`], soft windows
//! priced there), leaving after the [`delay`] that saves working time, and writes its
//! schedule; [`trips`] places the reloads
//! it simulates; [`breaks`] places the driver's breaks during the walk; [`infeasible`] says why a sequence fails; [`cache`] keeps per-route
//! figures so an insertion is priced in O(1) per position through [`fast_insertion`]
//! (jobs) and [`fast_shipment`] (shipments, their delivery's legs read once per route
//! into [`delivery_legs`]) when they are exact, and [`candidates`]
//! confirms the cheapest of them by simulation where they are not. The plan
//! (`super::state`) and the moves build on this tier; it imports neither.

pub mod arrival;
pub mod breaks;
pub mod cache;
pub mod delivery_legs;
pub mod candidates;
pub mod delay;
pub mod evaluate;
pub mod fast_insertion;
pub mod fast_shipment;
pub mod infeasible;
pub mod trips;
pub mod walk;
