//! Prepared road networks (`tournee prepare`): the file read back is the network that was
//! prepared (same graph, same hierarchy, same matrices); a file of another profile is
//! refused with the command that fixes it; a damaged or truncated file is an error and
//! never a panic; and the CLI plans on the prepared file exactly as on the extract.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use tournee::roads::{PROFILE_VERSION, RoadError, RoadNetwork};

const EXTRACT: &str = "data/roads/liechtenstein-2013-08-03.osm.pbf";

fn points_deg(count: usize) -> Vec<(f64, f64)> {
    let text = std::fs::read_to_string("data/roads/reference/points_liechtenstein-2013-08-03.json")
        .unwrap();
    let points: Vec<(f64, f64)> = serde_json::from_str(&text).unwrap();
    points
        .into_iter()
        .take(count)
        .map(|(lon, lat)| (lat, lon))
        .collect()
}

/// A scratch file under the target directory, removed when dropped — when its test
/// fails too — so that runs leave nothing behind (they used to leave their graphs in
/// the system's temporary directory); the process id in its name keeps two runs at
/// once apart.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("roads_prepared");
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir.join(format!("{}-{name}", std::process::id())))
    }

    /// A scratch file holding `bytes`.
    fn holding(name: &str, bytes: &[u8]) -> Scratch {
        let file = Scratch::new(name);
        std::fs::write(&file, bytes).unwrap();
        file
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

impl std::ops::Deref for Scratch {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for Scratch {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

fn scratch(name: &str) -> Scratch {
    Scratch::new(name)
}

/// The extract prepared, and the bytes of its prepared file, made once for every test
/// here; a test that reads a file writes these bytes to a scratch file of its own.
fn prepared() -> &'static (RoadNetwork, Vec<u8>) {
    static PREPARED: std::sync::OnceLock<(RoadNetwork, Vec<u8>)> = std::sync::OnceLock::new();
    PREPARED.get_or_init(|| {
        let network = RoadNetwork::prepare(Path::new(EXTRACT)).unwrap();
        let path = scratch("liechtenstein.graph");
        let size = network.save_prepared(&path).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(size, bytes.len() as u64);
        (network, bytes)
    })
}

#[test]
fn the_prepared_file_reads_back_as_the_network_that_was_prepared() {
    let (network, bytes) = prepared();
    let path = Scratch::holding("read-back.graph", bytes);
    let read = RoadNetwork::read_prepared(&path).unwrap();
    assert_eq!(read.stats, network.stats);
    assert_eq!(read.extract_sha256, network.extract_sha256);
    assert_eq!(read.graph.lat_lon_deg, network.graph.lat_lon_deg);
    assert_eq!(read.graph.head, network.graph.head);
    assert_eq!(read.graph.duration_ms, network.graph.duration_ms);
    assert_eq!(read.graph.distance_dm, network.graph.distance_dm);
    assert!(read.hierarchy() == network.hierarchy());
    let points = points_deg(150);
    assert_eq!(read.matrix(&points), network.matrix(&points));
    assert_eq!(
        read.snap(&points),
        network.snap(&points),
        "the snapping grid"
    );
    assert_eq!(
        read.path_lat_lon(read.graph.head[0], read.graph.tail[5]),
        network.path_lat_lon(network.graph.head[0], network.graph.tail[5])
    );
}

#[test]
fn loading_the_prepared_file_shares_the_extracts_cache_entry() {
    let (_, bytes) = prepared();
    let path = Scratch::holding("shared.graph", bytes);
    let from_file = RoadNetwork::load(&path).unwrap();
    let from_extract = RoadNetwork::load(Path::new(EXTRACT)).unwrap();
    assert!(std::sync::Arc::ptr_eq(&from_file, &from_extract));
}

/// The profile version is the first text of the header, after the magic and the format.
fn with_profile(bytes: &[u8], profile: &str) -> Vec<u8> {
    assert_eq!(profile.len(), PROFILE_VERSION.len());
    let at = 8 + 4 + 8;
    assert_eq!(&bytes[at..at + profile.len()], PROFILE_VERSION.as_bytes());
    let mut changed = bytes.to_vec();
    changed[at..at + profile.len()].copy_from_slice(profile.as_bytes());
    changed
}

#[test]
fn a_file_of_another_profile_is_refused_with_the_command_that_fixes_it() {
    let (_, bytes) = prepared();
    let stale = scratch("stale.graph");
    std::fs::write(&stale, with_profile(bytes, "car-0")).unwrap();
    let error = RoadNetwork::load(&stale).unwrap_err();
    assert!(matches!(error, RoadError::PreparedStale { .. }), "{error}");
    let text = error.to_string();
    assert!(
        text.contains("\"car-0\"") && text.contains(PROFILE_VERSION),
        "{text}"
    );
    assert!(text.contains("tournee prepare"), "{text}");
}

#[test]
fn a_file_of_an_older_format_is_refused_with_the_command_that_fixes_it() {
    let (_, bytes) = prepared();
    let mut older = bytes.clone();
    let format = u32::from_le_bytes(older[8..12].try_into().unwrap());
    older[8..12].copy_from_slice(&(format - 1).to_le_bytes());
    let path = Scratch::holding("older.graph", &older);
    let error = RoadNetwork::read_prepared(&path).unwrap_err();
    assert!(matches!(error, RoadError::PreparedStale { .. }), "{error}");
    let text = error.to_string();
    assert!(
        text.contains(&format!("format {}", format - 1)) && text.contains("tournee prepare"),
        "{text}"
    );
}

#[test]
fn a_truncated_file_is_an_error_not_a_panic() {
    let (_, bytes) = prepared();
    let cut = scratch("cut.graph");
    for length in [
        9,
        20,
        60,
        200,
        bytes.len() / 3,
        bytes.len() / 2,
        bytes.len() - 1,
    ] {
        std::fs::write(&cut, &bytes[..length]).unwrap();
        let error = RoadNetwork::read_prepared(&cut).unwrap_err();
        assert!(
            error.to_string().contains("damaged or truncated"),
            "{length}: {error}"
        );
    }
}

#[test]
fn an_index_out_of_its_array_is_an_error_not_a_panic() {
    let (network, bytes) = prepared();
    // Header: magic, format, profile, SHA-256, extract name, four counts; then the
    // latitudes and longitudes (u64 each), first_out, tail and head (u32 each), every
    // array after its u64 length.
    let name = network.source.file_name().unwrap().len();
    let nodes = network.graph.node_count();
    let arcs = network.graph.arc_count();
    let header = 8 + 4 + 8 + PROFILE_VERSION.len() + 32 + 8 + name + 4 * 8;
    let head = header + 2 * (8 + 8 * nodes) + (8 + 4 * (nodes + 1)) + (8 + 4 * arcs) + 8;
    let mut damaged = bytes.clone();
    damaged[head + 40..head + 44].copy_from_slice(&(nodes as u32).to_le_bytes());
    let path = scratch("damaged.graph");
    std::fs::write(&path, &damaged).unwrap();
    let error = RoadNetwork::read_prepared(&path).unwrap_err();
    assert!(error.to_string().contains("graph arrays"), "{error}");
    // The same bytes with a valid node: read back fine, so the offset above is the head
    // array and the check is what refused it.
    damaged[head + 40..head + 44].copy_from_slice(&bytes[head + 40..head + 44]);
    std::fs::write(&path, &damaged).unwrap();
    RoadNetwork::read_prepared(&path).unwrap();
}

fn tournee(arguments: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tournee"))
        .args(arguments)
        .output()
        .unwrap()
}

#[test]
fn the_cli_prepares_once_and_computes_the_same_matrix_from_the_file() {
    let graph = scratch("cli.graph");
    let prepare = tournee(&["prepare", EXTRACT, "--out", graph.to_str().unwrap()]);
    assert!(prepare.status.success(), "{prepare:?}");
    let said = String::from_utf8_lossy(&prepare.stdout);
    assert!(said.contains("nodes and") && said.contains("MB"), "{said}");
    let points = scratch("points.csv");
    let csv: String = points_deg(60)
        .iter()
        .enumerate()
        .map(|(i, (lat, lon))| format!("p{i},{lat},{lon}\n"))
        .collect();
    std::fs::write(&points, format!("id,lat,lon\n{csv}")).unwrap();
    let matrix = |osm: &Path, out: &str| {
        let out = scratch(out);
        let run = tournee(&[
            "matrix",
            "--osm",
            osm.to_str().unwrap(),
            "--max-snap-distance-m",
            "2000",
            "--points",
            points.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(run.status.success(), "{run:?}");
        std::fs::read(out).unwrap()
    };
    assert_eq!(
        matrix(&graph, "a.json"),
        matrix(Path::new(EXTRACT), "b.json")
    );
    let stale = scratch("cli-stale.graph");
    std::fs::write(
        &stale,
        with_profile(&std::fs::read(&graph).unwrap(), "car-0"),
    )
    .unwrap();
    let refused = tournee(&[
        "matrix",
        "--osm",
        stale.to_str().unwrap(),
        "--points",
        points.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success());
    assert!(
        stderr.contains("--osm") && stderr.contains("tournee prepare"),
        "{stderr}"
    );
}
