//! The protobuf edge: generated types of `tournee.v1` (tonic + prost + pbjson) and the
//! conversions between them and the domain. Generated types stop at this module,
//! `validate` and `server`; the solver never sees them.

pub mod decode;
pub mod encode;
pub mod encode_pooling;
pub mod status;

/// Generated code of the `tournee.v1` package, with proto3 JSON (serde) support.
#[allow(missing_docs, clippy::all, clippy::unwrap_used, clippy::expect_used)]
pub mod pb {
    tonic::include_proto!("tournee.v1");
    include!(concat!(env!("OUT_DIR"), "/tournee.v1.serde.rs"));
}

/// Encoded `FileDescriptorSet` of the API, served by reflection.
pub const FILE_DESCRIPTOR_SET: &[u8] = tonic::include_file_descriptor_set!("tournee_descriptor");
