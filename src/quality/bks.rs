//! Best-known solutions (`bks.csv`, see `../shared/benchmarks/README.md`): one row
//! per instance, `set,instance,vehicles,distance,source,dist_only_vehicles,
//! dist_only_distance,dist_only_source,note`. `vehicles,distance` is the hierarchical
//! best (fewest vehicles, then distance); `dist_only_*` the best for distance alone,
//! empty when unknown. Columns are found by their header name; quoted fields may hold
//! commas. Distances are in the literature's units (unscaled).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::error::BenchError;
use crate::domain::Objective;

/// The best-known figures of one instance.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct BksEntry {
    /// Hierarchical best: vehicles.
    pub vehicles: Option<u32>,
    /// Hierarchical best: distance, unscaled.
    pub distance: Option<f64>,
    /// Distance-only best: vehicles.
    pub dist_only_vehicles: Option<u32>,
    /// Distance-only best: distance, unscaled.
    pub dist_only_distance: Option<f64>,
}

impl BksEntry {
    /// The hierarchical best `(vehicles, distance)`, when known.
    pub fn hierarchical(&self) -> Option<(u32, f64)> {
        self.vehicles.zip(self.distance)
    }

    /// The distance-only best `(vehicles, distance)`, when known.
    pub fn dist_only(&self) -> Option<(u32, f64)> {
        self.dist_only_vehicles.zip(self.dist_only_distance)
    }

    /// The best a run with `objective` is compared with: hierarchical when minimising
    /// vehicles first, else distance-only, falling back to hierarchical when unknown.
    pub fn reference(&self, objective: Objective) -> Option<(u32, f64)> {
        match objective {
            Objective::Vehicles => self.hierarchical(),
            _ => self.dist_only().or_else(|| self.hierarchical()),
        }
    }
}

/// `bks.csv` by (set, instance name in lower case).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BksTable {
    entries: BTreeMap<(String, String), BksEntry>,
}

impl BksTable {
    /// Reads `path`.
    pub fn read(path: &Path) -> Result<Self, BenchError> {
        let text = std::fs::read_to_string(path).map_err(|error| BenchError::io(path, error))?;
        Self::parse(&text).map_err(|(line, message)| BenchError::Bks {
            path: path.to_path_buf(),
            line,
            message,
        })
    }

    /// Parses the CSV text; an error is `(line, message)`.
    pub fn parse(text: &str) -> Result<Self, (usize, String)> {
        let mut lines = text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty());
        let Some((_, header)) = lines.next() else {
            return Ok(BksTable::default());
        };
        let header = fields(header);
        let column = |name: &str| -> Result<usize, (usize, String)> {
            header
                .iter()
                .position(|field| field.trim() == name)
                .ok_or_else(|| (1, format!("no column {name:?}")))
        };
        let columns = [
            "set",
            "instance",
            "vehicles",
            "distance",
            "dist_only_vehicles",
            "dist_only_distance",
        ]
        .map(column);
        let [
            set,
            instance,
            vehicles,
            distance,
            dist_vehicles,
            dist_distance,
        ] = columns;
        let (set, instance) = (set?, instance?);
        let (vehicles, distance) = (vehicles?, distance?);
        let (dist_vehicles, dist_distance) = (dist_vehicles?, dist_distance?);
        let mut entries = BTreeMap::new();
        for (index, line) in lines {
            let row = fields(line);
            let line_number = index + 1;
            let cell = |column: usize| row.get(column).map_or("", |value| value.trim());
            let count = |column: usize| -> Result<Option<u32>, (usize, String)> {
                optional(cell(column), line_number)
            };
            let number = |column: usize| -> Result<Option<f64>, (usize, String)> {
                optional(cell(column), line_number)
            };
            let entry = BksEntry {
                vehicles: count(vehicles)?,
                distance: number(distance)?,
                dist_only_vehicles: count(dist_vehicles)?,
                dist_only_distance: number(dist_distance)?,
            };
            let key = (cell(set).to_lowercase(), cell(instance).to_lowercase());
            entries.insert(key, entry);
        }
        Ok(BksTable { entries })
    }

    /// The entry of `instance` (any case) in `set`.
    pub fn find(&self, set: &str, instance: &str) -> Option<&BksEntry> {
        let key = (set.to_lowercase(), instance.to_lowercase());
        self.entries.get(&key)
    }

    /// Rows held.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no row is held.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// `bks.csv` next to the instances (`DIR/bks.csv`) or one level up (`DIR/../bks.csv`).
pub fn locate(dir: &Path) -> Option<PathBuf> {
    let here = dir.join("bks.csv");
    if here.is_file() {
        return Some(here);
    }
    let up = dir.join("..").join("bks.csv");
    up.is_file().then_some(up)
}

/// An empty cell is `None`; anything else must parse.
fn optional<T: std::str::FromStr>(cell: &str, line: usize) -> Result<Option<T>, (usize, String)> {
    if cell.is_empty() {
        return Ok(None);
    }
    cell.parse()
        .map(Some)
        .map_err(|_| (line, format!("{cell:?} is not a number")))
}

/// The fields of a CSV line: commas separate, double quotes protect, `""` is a quote.
fn fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut quoted = false;
    let mut characters = line.chars().peekable();
    while let Some(character) = characters.next() {
        match (character, quoted) {
            ('"', true) if characters.peek() == Some(&'"') => {
                characters.next();
                push(&mut fields, '"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(String::new()),
            (other, _) => push(&mut fields, other),
        }
    }
    fields
}

/// Appends `character` to the last field.
fn push(fields: &mut [String], character: char) {
    if let Some(field) = fields.last_mut() {
        field.push(character);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSV: &str = "set,instance,vehicles,distance,source,dist_only_vehicles,\
dist_only_distance,dist_only_source,note\r\n\
solomon,R101,19,1645.79,x,20,1642.88,y,\r\n\
lilim,lc103,9,1035.35,x,,,,\r\n\
homberger,rc1_10_1,90,46075.69,x,90,45790.7,\"a, b\",\"say \"\"hi\"\"\"\r\n";

    #[test]
    fn reads_rows_with_empty_and_quoted_cells() {
        let table = BksTable::parse(CSV).unwrap();
        assert_eq!(table.len(), 3);
        let r101 = table.find("solomon", "r101").unwrap();
        assert_eq!(r101.hierarchical(), Some((19, 1645.79)));
        assert_eq!(r101.reference(Objective::Distance), Some((20, 1642.88)));
        assert_eq!(r101.reference(Objective::Vehicles), Some((19, 1645.79)));
        let lc103 = table.find("LILIM", "LC103").unwrap();
        assert_eq!(lc103.dist_only(), None);
        assert_eq!(lc103.reference(Objective::Distance), Some((9, 1035.35)));
        let rc = table.find("homberger", "RC1_10_1").unwrap();
        assert_eq!(rc.dist_only(), Some((90, 45790.7)));
        assert!(table.find("solomon", "lc103").is_none());
        assert_eq!(fields("a,\"b, c\",\"d\"\"e\""), ["a", "b, c", "d\"e"]);
    }

    #[test]
    fn errors_name_the_line() {
        let text = "set,instance,vehicles,distance,dist_only_vehicles,dist_only_distance\n\
                    solomon,C101,ten,828.94,,\n";
        assert_eq!(BksTable::parse(text).unwrap_err().0, 2);
        assert_eq!(BksTable::parse("set,instance\n").unwrap_err().0, 1);
    }
}
