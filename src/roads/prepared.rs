//! Prepared road networks on disk (`tournee prepare REGION.osm.pbf --out REGION.graph`).
//!
//! Preparing a region (parse, strongly connected filter, hierarchy order, build and
//! customization) takes minutes on millions of nodes; a server should pay it once, not
//! at every start. A prepared file holds what preparation produced — the graph, the
//! query half of the customized hierarchy (`hierarchy.rs`), the snapping grid — so that
//! loading is reading arrays: their lengths first, then their bytes, straight into
//! their vectors, in pieces spread over the threads (on a region the copy out of the
//! page cache is the whole load, and one core copies half as fast as two).
//!
//! The header records the extract's SHA-256 and the profile version: a file written by
//! another profile or format is refused with the command that fixes it, and a network
//! loaded from its prepared file shares the process cache with the same extract loaded
//! from its PBF. Every index array is bounds-checked after reading, so a damaged file is
//! an error, never a panic (the hierarchy's chordality is trusted: the file is the
//! operator's own, made by `tournee prepare`). Numbers are little-endian.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::RoadError;
use super::graph::{GraphStats, RoadGraph};
use super::hierarchy::Hierarchy;
use super::snap::{GridFrame, SnapIndex};

mod check;
mod write;

pub use write::write;

/// The first bytes of a prepared file.
pub const MAGIC: &[u8; 8] = b"TOURNEEG";
/// Bumped when the layout below changes.
pub const FORMAT_VERSION: u32 = 3;
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
    /// The customized hierarchy's upward graph.
    pub hierarchy: Hierarchy,
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
}

impl LittleEndian<4> for u32 {
    fn to_bytes(self) -> [u8; 4] {
        self.to_le_bytes()
    }
}

impl LittleEndian<8> for u64 {
    fn to_bytes(self) -> [u8; 8] {
        self.to_le_bytes()
    }
}

/// Bytes moved per write of an array: large enough to stream, small enough not to
/// double the memory of a region's arrays.
pub(crate) const CHUNK_BYTES: usize = 1 << 18;

/// Bytes per parallel read: a region's arrays make dozens of pieces, enough to keep
/// every thread copying to the end.
const READ_PIECE_BYTES: usize = 1 << 25;

/// The item size of each array after the header, in the order written (`write.rs`):
/// latitudes and longitudes (f64 bits); the graph's first_out, tail, head, duration_ms,
/// distance_dm; the hierarchy's rank, parent, first_out, head, then its forward and
/// backward labels; the snapping grid's frame numbers (f64 bits), its cell counts, its
/// cell_first and cell_arcs.
const ARRAY_BYTES: [u64; 17] = [8, 8, 4, 4, 4, 4, 4, 4, 4, 4, 4, 8, 8, 8, 4, 4, 4];

/// The arrays of a file as read: the `u64` ones and the `u32` ones, each in file order.
type Arrays = (Vec<Vec<u64>>, Vec<Vec<u32>>);

/// Where an array's values are in the file.
#[derive(Clone, Copy)]
struct Section {
    offset: u64,
    count: usize,
    item_bytes: u64,
}

/// A prepared file being read: counts what is left so that no length read from the
/// file can make us allocate more than the file holds.
pub struct PreparedReader {
    input: BufReader<File>,
    left_bytes: u64,
    file_bytes: u64,
    path: String,
    file: PathBuf,
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
            input: BufReader::with_capacity(1 << 16, file),
            left_bytes,
            file_bytes: left_bytes,
            path: name,
            file: path.to_path_buf(),
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
        let sections = self.sections()?;
        let (mut wide, mut narrow) = self.read_sections(&sections)?;
        let mut u64s = wide.drain(..);
        let mut u32s = narrow.drain(..);
        let mut next64 = || u64s.next().unwrap_or_default();
        let (lat, lon) = (next64(), next64());
        let mut next = || u32s.next().unwrap_or_default();
        let (first_out, tail, head, duration_ms, distance_dm) =
            (next(), next(), next(), next(), next());
        let (rank, parent, up_first_out, up_head) = (next(), next(), next(), next());
        let (cells, cell_first, cell_arcs) = (next(), next(), next());
        let (forward, backward, numbers) = (next64(), next64(), next64());
        let lengths_agree = lat.len() == lon.len() && lat.len() == header.stats.nodes;
        let snap_index = self.grid(&numbers, &cells, cell_first, cell_arcs, head.len())?;
        let lat_lon_deg = lat
            .par_iter()
            .zip(&lon)
            .map(|(&lat, &lon)| (f64::from_bits(lat), f64::from_bits(lon)))
            .collect();
        let parts = PreparedParts {
            graph: RoadGraph {
                lat_lon_deg,
                first_out,
                tail,
                head,
                duration_ms,
                distance_dm,
            },
            hierarchy: Hierarchy {
                rank,
                parent,
                first_out: up_first_out,
                head: up_head,
                forward,
                backward,
            },
            snap_index,
        };
        match check::parts(&parts).and_then(|()| lengths_agree.then_some(()).ok_or("sizes")) {
            Ok(()) => Ok(parts),
            Err(what) => Err(self.damaged(&format!("its {what} do not agree"))),
        }
    }

    /// Every array's place in the file, from the lengths before them (each refused when
    /// the rest of the file could not hold it).
    fn sections(&mut self) -> Result<Vec<Section>, RoadError> {
        let mut sections = Vec::with_capacity(ARRAY_BYTES.len());
        for item_bytes in ARRAY_BYTES {
            let count = self.length(item_bytes)?;
            let bytes = count as u64 * item_bytes;
            let offset = self.file_bytes - self.left_bytes;
            let skipped = i64::try_from(bytes)
                .ok()
                .and_then(|b| self.input.seek_relative(b).ok());
            if skipped.is_none() {
                return Err(self.damaged("it ends early"));
            }
            self.left_bytes -= bytes;
            sections.push(Section {
                offset,
                count,
                item_bytes,
            });
        }
        Ok(sections)
    }

    /// The sections' values, the `u64` arrays and the `u32` arrays each in file order:
    /// every array allocated, then filled piece by piece by the threads, each piece
    /// through its own handle on the file.
    fn read_sections(&self, sections: &[Section]) -> Result<Arrays, RoadError> {
        let mut wide: Vec<Vec<u64>> = Vec::new();
        let mut narrow: Vec<Vec<u32>> = Vec::new();
        for section in sections {
            if section.item_bytes == 8 {
                wide.push(vec![0; section.count]);
            } else {
                narrow.push(vec![0; section.count]);
            }
        }
        let (mut wide_bytes, mut narrow_bytes) = (wide.iter_mut(), narrow.iter_mut());
        let mut pieces: Vec<(u64, &mut [u8])> = Vec::new();
        for section in sections {
            let bytes: &mut [u8] = match section.item_bytes {
                8 => wide_bytes.next().map(|v| bytemuck::cast_slice_mut(v)),
                _ => narrow_bytes.next().map(|v| bytemuck::cast_slice_mut(v)),
            }
            .unwrap_or_default();
            for (index, piece) in bytes.chunks_mut(READ_PIECE_BYTES).enumerate() {
                pieces.push((section.offset + (index * READ_PIECE_BYTES) as u64, piece));
            }
        }
        pieces
            .into_par_iter()
            .try_for_each(|(offset, piece)| {
                let mut file = File::open(&self.file)?;
                file.seek(SeekFrom::Start(offset))?;
                file.read_exact(piece)
            })
            .map_err(|_| self.damaged("it ends early"))?;
        if cfg!(target_endian = "big") {
            wide.iter_mut()
                .flatten()
                .for_each(|v| *v = u64::from_le(*v));
            narrow
                .iter_mut()
                .flatten()
                .for_each(|v| *v = u32::from_le(*v));
        }
        Ok((wide, narrow))
    }

    /// The snapping grid written by `write_grid`, its frame and arrays checked.
    fn grid(
        &self,
        numbers: &[u64],
        cells: &[u32],
        cell_first: Vec<u32>,
        cell_arcs: Vec<u32>,
        arcs: usize,
    ) -> Result<SnapIndex, RoadError> {
        let frame = match (numbers, cells) {
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
}
