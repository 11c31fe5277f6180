//! Writing a prepared file: the header, then every array in the order the reader
//! takes them (`PreparedReader::parts`).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use super::{CHUNK_BYTES, FORMAT_VERSION, LittleEndian, MAGIC, PreparedHeader};
use crate::roads::RoadError;
use crate::roads::graph::RoadGraph;
use crate::roads::hierarchy::Hierarchy;
use crate::roads::snap::SnapIndex;

/// Writes `header` and `parts` to `path` (through a temporary file renamed at the end,
/// so a reader never sees half a file); returns the file's size in bytes.
pub fn write(
    path: &Path,
    header: &PreparedHeader,
    graph: &RoadGraph,
    hierarchy: &Hierarchy,
    snap_index: &SnapIndex,
) -> Result<u64, RoadError> {
    let temporary = path.with_extension("graph-partial");
    let failed = |e: std::io::Error| RoadError::Prepared {
        path: path.display().to_string(),
        message: e.to_string(),
    };
    let mut out = BufWriter::new(File::create(&temporary).map_err(failed)?);
    write_all(&mut out, header, graph, hierarchy).map_err(failed)?;
    write_grid(&mut out, snap_index).map_err(failed)?;
    out.into_inner()
        .map_err(|e| failed(e.into_error()))?
        .sync_all()
        .map_err(failed)?;
    std::fs::rename(&temporary, path).map_err(failed)?;
    Ok(std::fs::metadata(path).map_err(failed)?.len())
}

fn write_all(
    out: &mut impl Write,
    header: &PreparedHeader,
    graph: &RoadGraph,
    hierarchy: &Hierarchy,
) -> std::io::Result<()> {
    out.write_all(MAGIC)?;
    out.write_all(&FORMAT_VERSION.to_le_bytes())?;
    write_text(out, &header.profile_version)?;
    out.write_all(&header.extract_sha256)?;
    write_text(out, &header.extract_name)?;
    let stats = &header.stats;
    for count in [
        stats.network_nodes,
        stats.components,
        stats.nodes,
        stats.arcs,
    ] {
        out.write_all(&(count as u64).to_le_bytes())?;
    }
    let (lat, lon): (Vec<u64>, Vec<u64>) = graph
        .lat_lon_deg
        .iter()
        .map(|&(lat, lon)| (lat.to_bits(), lon.to_bits()))
        .unzip();
    write_array(out, &lat)?;
    write_array(out, &lon)?;
    for array in graph_arrays(graph).into_iter().chain([
        &hierarchy.rank,
        &hierarchy.parent,
        &hierarchy.first_out,
        &hierarchy.head,
    ]) {
        write_array(out, array)?;
    }
    write_array(out, &hierarchy.forward)?;
    write_array(out, &hierarchy.backward)
}

/// The grid's frame (numbers as f64 bits, then the cell counts), then its two arrays.
fn write_grid(out: &mut impl Write, snap_index: &SnapIndex) -> std::io::Result<()> {
    let (frame, cell_first, cell_arcs) = snap_index.parts();
    let numbers = [
        frame.mean_lat_deg,
        frame.origin_m[0],
        frame.origin_m[1],
        frame.cell_m,
    ];
    write_array(out, &numbers.map(f64::to_bits))?;
    write_array(out, &[frame.columns, frame.rows])?;
    write_array(out, cell_first)?;
    write_array(out, cell_arcs)
}

fn graph_arrays(graph: &RoadGraph) -> [&Vec<u32>; 5] {
    [
        &graph.first_out,
        &graph.tail,
        &graph.head,
        &graph.duration_ms,
        &graph.distance_dm,
    ]
}

fn write_text(out: &mut impl Write, text: &str) -> std::io::Result<()> {
    out.write_all(&(text.len() as u64).to_le_bytes())?;
    out.write_all(text.as_bytes())
}

/// An array: its length (u64), then its values.
fn write_array<const N: usize, T: LittleEndian<N>>(
    out: &mut impl Write,
    values: &[T],
) -> std::io::Result<()> {
    out.write_all(&(values.len() as u64).to_le_bytes())?;
    for chunk in values.chunks(CHUNK_BYTES / N) {
        let bytes: Vec<u8> = chunk.iter().flat_map(|v| v.to_bytes()).collect();
        out.write_all(&bytes)?;
    }
    Ok(())
}
