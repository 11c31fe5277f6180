//! What changes plans: [`ruin`] removes tasks, [`recreate`] puts them back at their
//! cheapest [`insertion`] (or, past a deadline, next to their neighbours: [`haste`]),
//! [`fleet`]
//! tries the plan on fewer vehicles, [`local_search`] improves routes one operator at a
//! time, and [`operator_bench`] measures those operators. Every move prices its changes
//! through the route tier ([`super::route`]); nothing below imports the moves.

pub mod bounded;
pub mod fleet;
pub mod haste;
pub mod insertion;
pub mod local_search;
pub mod operator_bench;
pub mod recreate;
pub mod regret;
pub mod ruin;
pub mod transfer;
pub mod workspace;
