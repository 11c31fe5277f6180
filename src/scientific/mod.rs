//! The scientific benchmark files of the vehicle-routing literature: Solomon and
//! Gehring & Homberger VRPTW ([`solomon`]), Li & Lim PDPTW ([`lilim`]) and CVRPLIB CVRP
//! ([`tsplib`]). Each reader only parses its file's layout; [`instance`] owns what they
//! share: how a literature instance becomes a native request (scaled integers, supplied
//! matrices, identical vehicles) and how a plan is measured back in the literature's
//! units ([`BenchmarkInstance::measure`]), so that `tournee bench` compares like with like.

pub mod instance;
pub mod lilim;
pub mod solomon;
pub mod tsplib;

pub use crate::format_error::FormatError;
pub use instance::{BenchmarkInstance, DistanceConvention, Measure, SCALE};
pub use lilim::parse_lilim;
pub use solomon::parse_solomon;
pub use tsplib::parse_tsplib;
