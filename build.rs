//! Compiles `proto/tournee/v1/*.proto` with protox (pure Rust, no system `protoc`),
//! generates the tonic/prost code, the proto3 JSON mapping (pbjson) and keeps the
//! descriptor set for server reflection.

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let files = ["proto/tournee/v1/routing.proto"];
    for file in files {
        println!("cargo:rerun-if-changed={file}");
    }
    let out_dir = PathBuf::from(std::env::var("OUT_DIR")?);
    let descriptor_set = protox::compile(files, ["proto"])?;
    let descriptor_bytes = prost::Message::encode_to_vec(&descriptor_set);
    let descriptor_path = out_dir.join("tournee_descriptor.bin");
    std::fs::write(&descriptor_path, &descriptor_bytes)?;

    tonic_prost_build::configure()
        .build_server(true)
        .build_client(true)
        // Undecodable bytes are the client's mistake: INVALID_ARGUMENT, not INTERNAL.
        .codec_path("crate::pb::WireCodec")
        .compile_fds(descriptor_set)?;

    pbjson_build::Builder::new()
        .register_descriptors(&descriptor_bytes)?
        .build(&[".tournee.v1"])?;
    Ok(())
}
