//! tournee plans shared delivery and collection rounds (tournées) for short food supply
//! chains. Modules in data-flow order: a request ([`api`]) is validated into a
//! [`domain::Problem`] ([`validate`]), travel matrices come from [`travel`], the
//! [`solver`] returns a [`domain::Solution`] that the [`checker`] can verify, and
//! [`api::encode`] or [`formats`] turn it into a response. [`server`] serves it over
//! gRPC; [`pipeline`] is the one end-to-end path both the server and the CLI use;
//! [`mod@bench`] measures solution quality on the scientific benchmark sets.

pub mod api;
pub mod bench;
pub mod budget;
pub mod checker;
pub mod domain;
pub mod error;
pub mod formats;
pub mod geodesy;
#[allow(missing_docs, clippy::all, clippy::unwrap_used, clippy::expect_used)]
pub mod pb;
pub mod pipeline;
pub mod pooling;
pub mod report;
pub mod roads;
pub mod server;
pub mod solver;
pub mod travel;
pub mod validate;

pub use error::Error;
