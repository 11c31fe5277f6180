//! tournee plans shared delivery and collection rounds (*tournées*) for short food
//! supply chains: producers' farms, hubs and pickup points with their hours, the goods
//! each producer must move and the vehicles at hand in; shared tours, what pooling saves
//! against everyone driving alone, and a fair split of the shared cost out.
//!
//! # Reading order
//!
//! The modules stack in layers, each importing only the ones below it, in the order a
//! request flows through them:
//!
//! ```text
//!  request (gRPC, native JSON, VROOM JSON, a literature file)
//!    │  pb ── validate (vroom, scientific translate foreign files into pb first)
//!    ▼
//!  domain::Problem ──► travel (roads, geodesy) ──► solver ──► pooling
//!    │                        pipeline runs these, within a budget
//!    ▼
//!  domain::Solution, checked by checker ──► api (encode, status) / report / vroom
//!    ▼
//!  response (server: gRPC; main.rs: the `tournee` command)
//! ```
//!
//! The vocabulary, at the bottom:
//! - [`domain`]: what users speak (sites, producers, vehicles, shipments, jobs, the
//!   solution) in plain types with integer units; no IO, no protobuf.
//! - [`pb`]: the public API's wire types, generated from `proto/`.
//! - [`geodesy`]: distances on the earth.
//! - [`budget`]: how much work a request may still do (deadline, cancellation, cap).
//!
//! The way in:
//! - [`validate`]: a request → a [`domain::Problem`], every violation collected with
//!   its field path so a client fixes its request in one round trip.
//!
//! The work, each step plain data in and out:
//! - [`roads`]: the embedded OpenStreetMap road graph (car profile, snapping,
//!   many-to-many matrices) with no server;
//! - [`travel`]: the problem's sites → one duration/distance matrix per profile, from
//!   supplied matrices, the road graph, an OSRM server or straight lines;
//! - [`solver`]: a problem and its matrices → a solution (construction, ruin & recreate,
//!   local search, parallel searches), sync, CPU-only and deterministic;
//! - [`eta`]: plan mode (VROOM's `-c`): the given routes timed as they are, with what
//!   they break;
//! - [`checker`]: the one independent feasibility-and-cost evaluator every test and
//!   benchmark trusts;
//! - [`pooling`]: the same orders with every producer alone and every group between,
//!   savings, and the Shapley value, nucleolus, Equal Profit Method and core of the
//!   shared cost;
//! - [`error`]: the crate's [`Error`], every layer's typed error in one enum;
//! - [`pipeline`]: the one end-to-end path (validate → travel → solver → pooling) that
//!   the server, the CLI and the quality bench share.
//!
//! The way out, and the doors:
//! - [`api`]: domain results → responses, and errors → gRPC status;
//! - [`report`]: plans and pooling reports as text tables and SVG maps, for people;
//! - [`format_error`], [`vroom`], [`dfc`] and [`scientific`]: foreign formats — VROOM's
//!   JSON both ways, DFC JSON-LD order cycles in and rounds with cost shares out, and the Solomon, Li & Lim and CVRPLIB files of the literature;
//! - [`quality`]: solution quality on the literature's sets against the best-known
//!   solutions (`tournee bench`);
//! - [`server`]: the gRPC server (routing, health, reflection) over [`pipeline`];
//! - [`http`]: the same server's HTTP/JSON door (native JSON, vroom-express, OpenAPI).
//!
//! Beyond one machine:
//! - [`cluster`]: the NATS JetStream layout (job queue, operation records, dead
//!   letters) that `serve --nats`, `worker` and `batch` share;
//! - [`worker`]: a process that pulls solve jobs from it and stores their results.

// The vocabulary.
pub mod domain;
#[allow(missing_docs, clippy::all, clippy::unwrap_used, clippy::expect_used)]
pub mod pb;
pub mod geodesy;
pub mod budget;

// The way in.
pub mod validate;

// The work.
pub mod roads;
pub mod travel;
pub mod solver;
pub mod checker;
pub mod pooling;
pub mod eta;
pub mod error;
pub mod pipeline;

// The way out, and the doors.
pub mod api;
pub mod report;
pub mod format_error;
pub mod vroom;
pub mod dfc;
pub mod scientific;
pub mod quality;
pub mod server;
pub mod http;
pub mod cluster;
pub mod worker;

pub use error::Error;
