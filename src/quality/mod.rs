//! Solution quality against best-known solutions (`tournee bench`), i.e. against the
//! literature: which files of a benchmark set to run ([`instance_files`]), the
//! best-known solutions they are compared with ([`bks`]), one instance solved with several seeds and checked ([`runner`]), and the
//! table, CSV and summary line ([`table`]). Every solve goes through
//! [`crate::pipeline::solve`] and every plan through [`crate::checker::check`]; figures
//! are measured in the literature's units by [`crate::scientific::BenchmarkInstance`].
//!
//! Runs use the whole time limit: `max_iterations` is set to `u64::MAX`, so the default
//! stop ("no improvement for a while") never fires and only the clock stops a search.
//! (The solver's annealing schedule then stays at its initial temperature, since its
//! progress is measured in iterations out of that limit; [`BenchConfig::max_iterations`]
//! gives a deterministic, cooling run instead.)

pub mod bks;
pub mod runner;
pub mod table;

use std::path::{Path, PathBuf};

use crate::domain::Objective;
use crate::scientific::{BenchmarkInstance, FormatError};

pub use bks::{BksEntry, BksTable};
pub use runner::{InstanceResult, RunResult, run_instance};
pub use table::BenchSummary;

/// A benchmark set: its file format and its name in `bks.csv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BenchmarkSet {
    /// Solomon VRPTW, 100 customers (`*.txt`).
    Solomon,
    /// Gehring & Homberger VRPTW, 200–1000 customers (`*.txt`, Solomon format).
    Homberger,
    /// Li & Lim PDPTW (`*.txt`).
    Lilim,
    /// CVRPLIB CVRP, TSPLIB `EUC_2D` (`*.vrp`).
    Cvrp,
}

impl BenchmarkSet {
    /// The set's name in the `set` column of `bks.csv`.
    pub fn name(self) -> &'static str {
        match self {
            BenchmarkSet::Solomon => "solomon",
            BenchmarkSet::Homberger => "homberger",
            BenchmarkSet::Lilim => "lilim",
            BenchmarkSet::Cvrp => "cvrp",
        }
    }

    /// Extension of the set's instance files.
    pub fn extension(self) -> &'static str {
        match self {
            BenchmarkSet::Cvrp => "vrp",
            _ => "txt",
        }
    }

    /// Reads one instance file of the set.
    pub fn parse(self, text: &str) -> Result<BenchmarkInstance, FormatError> {
        match self {
            BenchmarkSet::Solomon | BenchmarkSet::Homberger => {
                crate::scientific::parse_solomon(text)
            }
            BenchmarkSet::Lilim => crate::scientific::parse_lilim(text),
            BenchmarkSet::Cvrp => crate::scientific::parse_tsplib(text),
        }
    }
}

/// How a bench run solves each instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BenchConfig {
    /// The set (file format, `bks.csv` rows).
    pub set: BenchmarkSet,
    /// What the search minimises; also which best-known solution is the reference
    /// (hierarchical for [`Objective::Vehicles`], distance-only otherwise).
    pub objective: Objective,
    /// Budget of each solve, milliseconds.
    pub time_limit_ms: u64,
    /// Parallel searches per solve (0: one per core).
    pub threads: u32,
    /// Solves per instance, with seeds `0..seeds`.
    pub seeds: u64,
    /// Iterations per parallel search (deterministic runs; the time limit still
    /// applies). `None`: `u64::MAX`, only the time limit stops.
    pub max_iterations: Option<u64>,
}

/// Why a bench run cannot go on (a failed check is not an error: it is reported).
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    /// A file or directory could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The IO error.
        source: std::io::Error,
    },
    /// An instance file is not in the set's format.
    #[error("{path}: {source}")]
    Format {
        /// The instance file.
        path: PathBuf,
        /// What is wrong.
        source: FormatError,
    },
    /// `bks.csv` cannot be read.
    #[error("{path}: line {line}: {message}")]
    Bks {
        /// The file.
        path: PathBuf,
        /// Line, 1-based.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The request built from an instance was refused, or the solver failed.
    #[error("{path}: {source}")]
    Solve {
        /// The instance file.
        path: PathBuf,
        /// The crate's error.
        source: crate::Error,
    },
}

impl BenchError {
    /// A [`BenchError::Io`] for `path`.
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        BenchError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// The set's instance files in `dir` whose name (without extension) matches `pattern`
/// (see [`matches()`]; `None`: all), sorted by file name.
pub fn instance_files(
    dir: &Path,
    set: BenchmarkSet,
    pattern: Option<&str>,
) -> Result<Vec<PathBuf>, BenchError> {
    let entries = std::fs::read_dir(dir).map_err(|error| BenchError::io(dir, error))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.map_err(|error| BenchError::io(dir, error))?.path();
        let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !path.is_file() || !extension.eq_ignore_ascii_case(set.extension()) {
            continue;
        }
        if pattern.is_none_or(|pattern| matches(pattern, &instance_name(&path))) {
            files.push(path);
        }
    }
    files.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
    Ok(files)
}

/// An instance's name: its file name without the extension.
pub fn instance_name(path: &Path) -> String {
    path.file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Whether `name` matches `pattern`, ignoring case: comma-separated alternatives, each a
/// glob where `*` is any run of characters and `?` one character (`C1*,RC2*`).
pub fn matches(pattern: &str, name: &str) -> bool {
    let name: Vec<char> = name.to_lowercase().chars().collect();
    pattern.split(',').map(str::trim).any(|alternative| {
        let glob: Vec<char> = alternative.to_lowercase().chars().collect();
        glob_matches(&glob, &name)
    })
}

/// Glob matching with backtracking on the last `*` (linear in practice).
fn glob_matches(glob: &[char], name: &[char]) -> bool {
    let (mut g, mut n) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        if g < glob.len() && (glob[g] == '?' || glob[g] == name[n]) {
            g += 1;
            n += 1;
        } else if g < glob.len() && glob[g] == '*' {
            star = Some((g, n));
            g += 1;
        } else if let Some((star_g, star_n)) = star {
            g = star_g + 1;
            n = star_n + 1;
            star = Some((star_g, star_n + 1));
        } else {
            return false;
        }
    }
    glob[g..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_are_case_insensitive_globs_with_alternatives() {
        assert!(matches("C1*", "c101"));
        assert!(matches("c1*", "C101"));
        assert!(!matches("C1*", "RC101"));
        assert!(matches("R1?1", "R101"));
        assert!(!matches("R1?1", "R1011"));
        assert!(matches("C2*, RC2*", "rc201"));
        assert!(matches("*_10_*", "c1_10_1"));
        assert!(matches("lc101", "LC101"));
        assert!(!matches("lc10", "lc101"));
    }

    #[test]
    fn lists_the_sets_files_sorted() {
        let dir = std::env::temp_dir().join(format!("tournee-bench-list-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub.txt")).unwrap();
        for name in ["R101.txt", "C101.txt", "C102.TXT", "bks.csv", "x.vrp"] {
            std::fs::write(dir.join(name), "").unwrap();
        }
        let names = |set, pattern| -> Vec<String> {
            let files = instance_files(&dir, set, pattern).unwrap();
            files.iter().map(|path| instance_name(path)).collect()
        };
        assert_eq!(names(BenchmarkSet::Solomon, None), ["C101", "C102", "R101"]);
        assert_eq!(names(BenchmarkSet::Solomon, Some("c*")), ["C101", "C102"]);
        assert_eq!(names(BenchmarkSet::Cvrp, None), ["x"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
