//! tournee plans shared delivery and collection rounds (tournées) for short food supply
//! chains. Modules in data-flow order: a request ([`api`]) is validated into a
//! [`domain::Problem`] ([`validate`]), travel matrices come from [`travel`], the
//! [`solver`] returns a [`domain::Solution`] that the [`checker`] can verify, and
//! [`api::encode`] or [`vroom`] turn it into a response. [`server`] serves it over
//! gRPC; [`pipeline`] is the one end-to-end path both the server and the CLI use;
//! [`scientific`] reads the literature's benchmark files and [`quality`] measures
//! solution quality on them against the best-known solutions.

pub mod api;
pub mod budget;
pub mod checker;
pub mod domain;
pub mod error;
pub mod format_error;
pub mod geodesy;
#[allow(missing_docs, clippy::all, clippy::unwrap_used, clippy::expect_used)]
pub mod pb;
pub mod pipeline;
pub mod pooling;
pub mod quality;
pub mod report;
pub mod roads;
pub mod scientific;
pub mod server;
pub mod solver;
pub mod travel;
pub mod validate;
pub mod vroom;

pub use error::Error;
