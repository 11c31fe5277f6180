//! The protobuf edge, outward: domain results → responses ([`encode`], with the pooling
//! report in [`encode_pooling`]), a response read back for the checker ([`decode`]),
//! and the crate's error → gRPC status ([`status`]). The wire types themselves live in
//! [`crate::pb`]; requests come in through [`crate::validate`].

pub mod decode;
pub mod encode;
pub mod encode_pooling;
pub mod status;
