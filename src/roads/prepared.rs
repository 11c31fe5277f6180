//! Prepared road networks on disk (`tournee prepare REGION.osm.pbf --out REGION.graph`).
//!
//! Preparing a region (parse, strongly connected filter, hierarchy order, build and
//! customization) takes minutes on millions of nodes; a server should pay it once, not
//! at every start. A prepared file holds what preparation produced — the graph, the
//! contraction hierarchy, its duration metric and that metric's distance companion,
//! the snapping grid — so that loading
//! is reading arrays.
//!
//! The header records the extract's SHA-256 and the profile version: a file written by
//! another profile or format is refused with the command that fixes it, and a network
//! loaded from its prepared file shares the process cache with the same extract loaded
//! from its PBF. Every index array is bounds-checked after reading, so a damaged file is
//! an error, never a panic (the hierarchy's chordality is trusted: the file is the
//! operator's own, made by `tournee prepare`). Numbers are little-endian.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use cch::{Cch, Metric};

use super::RoadError;
use super::graph::{GraphStats, RoadGraph};
use super::snap::{GridFrame, SnapIndex};

mod check;
mod write;

pub use write::write;

/// The first bytes of a prepared file.
pub const MAGIC: &[u8; 8] = b"TOURNEEG";
/// Bumped when the layout below changes.
pub const FORMAT_VERSION: u32 = 2;
/// Longest string in a header (profile, extract name), bytes.
const MAX_TEXT_BYTES: u64 = 4096;

/// What a prepared file says about itself, read before its arrays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreparedHeader {
    /// SHA-256 of the PBF it was prepared from.
    pub extract_sha256: [u8; 32],
    /// The profile version it was prepared with.
    pub profile_version: String,
    /// The extract's name, for messages.
    pub extract_name: String,
    /// Sizes of the graph.
    pub stats: GraphStats,
}

/// The arrays of a prepared file.
pub struct PreparedParts {
    /// The routing graph.
    pub graph: RoadGraph,
    /// The hierarchy's structure.
    pub cch: Cch,
    /// The hierarchy customized for durations.
    pub duration_metric: Metric,
    /// The distances of the duration metric's paths.
    pub distance_companion: Metric,
    /// The snapping grid.
    pub snap_index: SnapIndex,
}

/// Whether `path` starts with [`MAGIC`] (a prepared file rather than a PBF).
pub fn is_prepared(path: &Path) -> bool {
    let mut start = [0u8; 8];
    File::open(path)
        .and_then(|mut file| file.read_exact(&mut start))
        .is_ok_and(|()| &start == MAGIC)
}

/// A number written to a prepared file as `N` little-endian bytes.
pub(crate) trait LittleEndian<const N: usize>: Copy {
    fn to_bytes(self) -> [u8; N];
    fn from_bytes(bytes: [u8; N]) -> Self;
}

impl LittleEndian<4> for u32 {
    fn to_bytes(self) -> [u8; 4] {
        self.to_le_bytes()
    }
    fn from_bytes(bytes: [u8; 4]) -> Self {
        u32::from_le_bytes(bytes)
    }
}

impl LittleEndian<8> for u64 {
    fn to_bytes(self) -> [u8; 8] {
        self.to_le_bytes()
    }
    fn from_bytes(bytes: [u8; 8]) -> Self {
        u64::from_le_bytes(bytes)
    }
}

/// Bytes moved per write or read of an array: large enough to stream, small enough not
/// to double the memory of a region's arrays.
pub(crate) const CHUNK_BYTES: usize = 1 << 18;

/// A prepared file being read: counts what is left so that no length read from the
/// file can make us allocate more than the file holds.
pub struct PreparedReader {
    input: BufReader<File>,
    left_bytes: u64,
    path: String,
}

impl PreparedReader {
    /// Opens `path` and reads its header; refuses another format or profile version.
    pub fn open(
        path: &Path,
        profile_version: &str,
    ) -> Result<(PreparedReader, PreparedHeader), RoadError> {
        let name = path.display().to_string();
        let io = |e: std::io::Error| RoadError::Prepared {
            path: name.clone(),
            message: e.to_string(),
        };
        let file = File::open(path).map_err(io)?;
        let left_bytes = file.metadata().map_err(io)?.len();
        let mut reader = PreparedReader {
            input: BufReader::with_capacity(1 << 20, file),
            left_bytes,
            path: name,
        };
        let header = reader.header(profile_version)?;
        Ok((reader, header))
    }

    fn header(&mut self, profile_version: &str) -> Result<PreparedHeader, RoadError> {
        let mut magic = [0u8; 8];
        self.bytes(&mut magic)?;
        if &magic != MAGIC {
            return Err(self.damaged("it is not a prepared road network (run `tournee prepare`)"));
        }
        let format = u32::from_le_bytes(self.array()?);
        if format != FORMAT_VERSION {
            return Err(self.stale(format!(
                "it was written in format {format}, this tournee reads format {FORMAT_VERSION}"
            )));
        }
        let profile = self.text()?;
        if profile != profile_version {
            return Err(self.stale(format!(
                "it was prepared with the road profile {profile:?}, this tournee routes with {profile_version:?}"
            )));
        }
        let extract_sha256 = self.array()?;
        let extract_name = self.text()?;
        let mut counts = [0usize; 4];
        for count in &mut counts {
            *count = self.count()?;
        }
        let [network_nodes, components, nodes, arcs] = counts;
        Ok(PreparedHeader {
            extract_sha256,
            profile_version: profile,
            extract_name,
            stats: GraphStats {
                network_nodes,
                components,
                nodes,
                arcs,
            },
        })
    }

    /// Reads the arrays and checks every index in them.
    pub fn parts(mut self, header: &PreparedHeader) -> Result<PreparedParts, RoadError> {
        let lat = self.values::<8, u64>()?;
        let lon = self.values::<8, u64>()?;
        let lat_lon_deg = lat
            .iter()
            .zip(&lon)
            .map(|(&lat, &lon)| (f64::from_bits(lat), f64::from_bits(lon)))
            .collect();
        let mut next = || self.values::<4, u32>();
        let graph = RoadGraph {
            lat_lon_deg,
            first_out: next()?,
            tail: next()?,
            head: next()?,
            duration_ms: next()?,
            distance_dm: next()?,
        };
        let cch = Cch {
            rank: next()?,
            order: next()?,
            elimination_tree_parent: next()?,
            up_first_out: next()?,
            up_head: next()?,
            up_tail: next()?,
            down_first_out: next()?,
            down_head: next()?,
            down_to_up: next()?,
            input_arc_to_cch_arc: next()?,
            forward_input_arc_of_cch: next()?,
            backward_input_arc_of_cch: next()?,
            first_extra_forward_input_arc_of_cch: next()?,
            extra_forward_input_arc_of_cch: next()?,
            first_extra_backward_input_arc_of_cch: next()?,
            extra_backward_input_arc_of_cch: next()?,
        };
        let duration_metric = Metric {
            forward: next()?,
            backward: next()?,
        };
        let distance_companion = Metric {
            forward: next()?,
            backward: next()?,
        };
        let snap_index = self.grid(graph.arc_count())?;
        let parts = PreparedParts {
            graph,
            cch,
            duration_metric,
            distance_companion,
            snap_index,
        };
        let lengths_agree =
            lat.len() == lon.len() && parts.graph.node_count() == header.stats.nodes;
        match check::parts(&parts).and_then(|()| lengths_agree.then_some(()).ok_or("sizes")) {
            Ok(()) => Ok(parts),
            Err(what) => Err(self.damaged(&format!("its {what} do not agree"))),
        }
    }

    /// The snapping grid written by [`write_grid`], its frame and arrays checked.
    fn grid(&mut self, arcs: usize) -> Result<SnapIndex, RoadError> {
        let numbers = self.values::<8, u64>()?;
        let cells = self.values::<4, u32>()?;
        let (cell_first, cell_arcs) = (self.values::<4, u32>()?, self.values::<4, u32>()?);
        let frame = match (numbers.as_slice(), cells.as_slice()) {
            (&[lat, x, y, side], &[columns, rows]) => GridFrame {
                mean_lat_deg: f64::from_bits(lat),
                origin_m: [f64::from_bits(x), f64::from_bits(y)],
                cell_m: f64::from_bits(side),
                columns,
                rows,
            },
            _ => return Err(self.damaged("its snapping grid has no frame")),
        };
        if !check::grid(&frame, &cell_first, &cell_arcs, arcs) {
            return Err(self.damaged("its snapping grid arrays do not agree"));
        }
        Ok(SnapIndex::from_parts(frame, cell_first, cell_arcs))
    }

    fn damaged(&self, what: &str) -> RoadError {
        RoadError::Prepared {
            path: self.path.clone(),
            message: format!("the file is damaged or truncated: {what}"),
        }
    }

    fn stale(&self, what: String) -> RoadError {
        RoadError::PreparedStale {
            path: self.path.clone(),
            message: what,
        }
    }

    fn bytes(&mut self, out: &mut [u8]) -> Result<(), RoadError> {
        let wanted = out.len() as u64;
        if wanted > self.left_bytes || self.input.read_exact(out).is_err() {
            return Err(self.damaged("it ends early"));
        }
        self.left_bytes -= wanted;
        Ok(())
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], RoadError> {
        let mut out = [0u8; N];
        self.bytes(&mut out)?;
        Ok(out)
    }

    /// A length, refused when the rest of the file could not hold that many bytes.
    fn length(&mut self, item_bytes: u64) -> Result<usize, RoadError> {
        let count = u64::from_le_bytes(self.array()?);
        if count.saturating_mul(item_bytes) > self.left_bytes {
            return Err(self.damaged("an array is longer than the file"));
        }
        Ok(count as usize)
    }

    fn count(&mut self) -> Result<usize, RoadError> {
        usize::try_from(u64::from_le_bytes(self.array()?))
            .map_err(|_| self.damaged("a count does not fit"))
    }

    fn text(&mut self) -> Result<String, RoadError> {
        let length = self.length(1)?;
        if length as u64 > MAX_TEXT_BYTES {
            return Err(self.damaged("a name is too long"));
        }
        let mut bytes = vec![0u8; length];
        self.bytes(&mut bytes)?;
        String::from_utf8(bytes).map_err(|_| self.damaged("a name is not UTF-8"))
    }

    /// An array written by [`write_array`], read straight into its vector: the file's
    /// little-endian bytes are the vector's own on every machine tournee builds for
    /// today, and the in-place swap is a no-op there.
    fn values<const N: usize, T>(&mut self) -> Result<Vec<T>, RoadError>
    where
        T: LittleEndian<N> + bytemuck::Pod,
    {
        let count = self.length(N as u64)?;
        let mut values = vec![T::zeroed(); count];
        self.bytes(bytemuck::cast_slice_mut(&mut values))?;
        if cfg!(target_endian = "big") {
            for value in &mut values {
                let mut bytes = [0u8; N];
                bytes.copy_from_slice(bytemuck::bytes_of(value));
                *value = T::from_bytes(bytes);
            }
        }
        Ok(values)
    }
}
