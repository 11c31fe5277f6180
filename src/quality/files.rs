//! Which files of a benchmark set to run: the set's instance files in a directory, their
//! names, and the glob patterns (`C1*,RC2*`) that pick some of them.

use std::path::{Path, PathBuf};

use super::config::BenchmarkSet;
use super::error::BenchError;

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
