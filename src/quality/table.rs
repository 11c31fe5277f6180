//! How bench results are shown: one row per instance (aligned text for people, CSV for
//! tools, the same columns) and a summary. Gaps are percentages above a best-known
//! distance, `100 × (distance − bks) / bks`, from the best run; they are left empty when
//! the plan is not comparable (infeasible, tasks left out, no best-known figure).

use std::fmt;

use super::runner::InstanceResult;
use crate::domain::Objective;

/// Column names, in order (CSV header).
pub const COLUMNS: [&str; 14] = [
    "instance",
    "seeds",
    "vehicles",
    "distance",
    "mean_vehicles",
    "mean_distance",
    "unassigned",
    "bks_vehicles",
    "bks_distance",
    "gap_pct",
    "gap_dist_only_pct",
    "gap_hierarchical_pct",
    "wall_s",
    "status",
];

/// Width of each column in the text table.
const WIDTHS: [usize; 14] = [12, 5, 8, 10, 8, 10, 10, 8, 10, 8, 17, 20, 7, 10];

/// Whether the best plan can be compared with the literature, and if not why.
fn status(result: &InstanceResult, objective: Objective) -> &'static str {
    match result.best(objective) {
        _ if !result.feasible() => "INFEASIBLE",
        None => "NO RUN",
        Some(best) if best.measure.unassigned > 0 => "UNASSIGNED",
        Some(_) => "OK",
    }
}

/// `100 × (distance − bks) / bks`.
fn gap_pct(distance: f64, bks: f64) -> f64 {
    100.0 * (distance - bks) / bks
}

/// A gap with 2 decimals; a gap that rounds to zero prints `0.00`, not `-0.00` (the
/// best-known figures are rounded to 2 decimals, so an optimum lands a hair below).
fn percent(gap: f64) -> String {
    let text = format!("{gap:.2}");
    if text == "-0.00" {
        "0.00".to_string()
    } else {
        text
    }
}

/// The gaps of a comparable best plan: (reference, distance-only, hierarchical).
fn gaps(result: &InstanceResult, objective: Objective) -> [Option<f64>; 3] {
    let (Some(best), Some(bks)) = (result.best(objective), result.bks) else {
        return [None; 3];
    };
    if status(result, objective) != "OK" {
        return [None; 3];
    }
    let distance = best.measure.distance;
    [
        bks.reference(objective),
        bks.dist_only(),
        bks.hierarchical(),
    ]
    .map(|known| known.map(|(_, bks_distance)| gap_pct(distance, bks_distance)))
}

/// The cells of one instance's row, formatted (distances with 2 decimals).
pub fn row(result: &InstanceResult, objective: Objective) -> Vec<String> {
    let best = result.best(objective);
    let reference = result.bks.and_then(|bks| bks.reference(objective));
    let optional = |value: Option<String>| value.unwrap_or_default();
    let [gap, gap_dist_only, gap_hierarchical] =
        gaps(result, objective).map(|gap| optional(gap.map(percent)));
    vec![
        result.name.clone(),
        result.runs.len().to_string(),
        optional(best.map(|run| run.measure.vehicles.to_string())),
        optional(best.map(|run| format!("{:.2}", run.measure.distance))),
        format!("{:.1}", result.mean_vehicles()),
        format!("{:.2}", result.mean_distance()),
        optional(best.map(|run| run.measure.unassigned.to_string())),
        optional(reference.map(|(vehicles, _)| vehicles.to_string())),
        optional(reference.map(|(_, distance)| format!("{distance:.2}"))),
        gap,
        gap_dist_only,
        gap_hierarchical,
        format!("{:.2}", result.mean_wall_s()),
        status(result, objective).to_string(),
    ]
}

/// The text table's header line.
pub fn text_header() -> String {
    text_line(&COLUMNS.map(str::to_string))
}

/// One aligned text line: the instance left-aligned, numbers right-aligned.
pub fn text_line(cells: &[String]) -> String {
    let mut line = String::new();
    for (index, (cell, width)) in cells.iter().zip(WIDTHS).enumerate() {
        match index {
            0 => line.push_str(&format!("{cell:<width$}")),
            _ => line.push_str(&format!(" {cell:>width$}")),
        }
    }
    line.trim_end().to_string()
}

/// The CSV text: the header, then one row per result.
pub fn csv(results: &[InstanceResult], objective: Objective) -> String {
    let mut text = COLUMNS.join(",") + "\n";
    for result in results {
        let cells: Vec<String> = row(result, objective).iter().map(|c| quote(c)).collect();
        text.push_str(&cells.join(","));
        text.push('\n');
    }
    text
}

/// A CSV cell, quoted when it holds a comma or a quote.
fn quote(cell: &str) -> String {
    if cell.contains([',', '"', '\n']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_string()
    }
}

/// The figures of a whole bench run.
#[derive(Debug, Clone, PartialEq)]
pub struct BenchSummary {
    /// What the runs minimised (decides the reference best-known solution).
    pub objective: Objective,
    /// Instances run.
    pub instances: usize,
    /// Gaps to the reference of the comparable instances that have one.
    pub gaps_pct: Vec<f64>,
    /// Gaps of the instances at (or below) the reference fleet.
    pub gaps_at_fleet_pct: Vec<f64>,
    /// Vehicles used, summed over the instances of `gaps_pct`.
    pub vehicles: usize,
    /// The reference's vehicles, summed over the same instances.
    pub bks_vehicles: usize,
    /// Gaps to the distance-only best, where known.
    pub gaps_dist_only_pct: Vec<f64>,
    /// Gaps to the hierarchical best, where known.
    pub gaps_hierarchical_pct: Vec<f64>,
    /// Instances with a plan the checker refused.
    pub infeasible: usize,
    /// Instances whose best plan leaves tasks out.
    pub with_unassigned: usize,
    /// Wall time of every run together, seconds.
    pub wall_s: f64,
}

impl BenchSummary {
    /// Summarises `results`.
    pub fn of(results: &[InstanceResult], objective: Objective) -> Self {
        let mut summary = BenchSummary {
            objective,
            instances: results.len(),
            gaps_pct: Vec::new(),
            gaps_at_fleet_pct: Vec::new(),
            vehicles: 0,
            bks_vehicles: 0,
            gaps_dist_only_pct: Vec::new(),
            gaps_hierarchical_pct: Vec::new(),
            infeasible: 0,
            with_unassigned: 0,
            wall_s: 0.0,
        };
        for result in results {
            summary.wall_s += result.runs.iter().map(|r| r.wall_ms as f64).sum::<f64>() / 1e3;
            match status(result, objective) {
                "INFEASIBLE" => summary.infeasible += 1,
                "UNASSIGNED" => summary.with_unassigned += 1,
                _ => {}
            }
            let [gap, dist_only, hierarchical] = gaps(result, objective);
            summary.gaps_dist_only_pct.extend(dist_only);
            summary.gaps_hierarchical_pct.extend(hierarchical);
            let Some(gap) = gap else { continue };
            summary.gaps_pct.push(gap);
            let vehicles = result.best(objective).map(|run| run.measure.vehicles);
            let reference = result.bks.and_then(|bks| bks.reference(objective));
            if let (Some(vehicles), Some((bks_vehicles, _))) = (vehicles, reference) {
                summary.vehicles += vehicles;
                summary.bks_vehicles += bks_vehicles as usize;
                if vehicles <= bks_vehicles as usize {
                    summary.gaps_at_fleet_pct.push(gap);
                }
            }
        }
        summary
    }

    /// Whether every plan passed the checker.
    pub fn all_feasible(&self) -> bool {
        self.infeasible == 0
    }
}

/// `+1.23 % (n)`, or `n/a` for no value.
fn mean(values: &[f64]) -> String {
    if values.is_empty() {
        return "n/a".to_string();
    }
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    format!("{mean:+.2} % ({})", values.len())
}

impl fmt::Display for BenchSummary {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let reference = match self.objective {
            Objective::Vehicles => "hierarchical best known",
            _ => "distance-only best known (hierarchical where unknown)",
        };
        writeln!(
            formatter,
            "summary: {} instances; mean gap to the {reference}: {}",
            self.instances,
            mean(&self.gaps_pct)
        )?;
        writeln!(
            formatter,
            "  at the best-known fleet: {}/{}; mean gap there: {}; vehicles {} vs {} best known \
             ({:+})",
            self.gaps_at_fleet_pct.len(),
            self.gaps_pct.len(),
            mean(&self.gaps_at_fleet_pct),
            self.vehicles,
            self.bks_vehicles,
            self.vehicles as i64 - self.bks_vehicles as i64
        )?;
        writeln!(
            formatter,
            "  mean gap to distance-only: {}; to hierarchical: {}",
            mean(&self.gaps_dist_only_pct),
            mean(&self.gaps_hierarchical_pct)
        )?;
        write!(
            formatter,
            "  infeasible: {}; with unassigned tasks: {}; wall time of all runs: {:.1} s",
            self.infeasible, self.with_unassigned, self.wall_s
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quality::{BksEntry, RunResult};
    use crate::scientific::Measure;

    fn result(name: &str, vehicles: usize, distance: f64, bks: Option<BksEntry>) -> InstanceResult {
        let measure = Measure {
            vehicles,
            distance,
            unassigned: 0,
        };
        let run = RunResult {
            seed: 0,
            measure,
            violations: Vec::new(),
            wall_ms: 1500,
            iterations: 10,
        };
        InstanceResult {
            name: name.to_string(),
            fleet_size: 25,
            runs: vec![run],
            bks,
        }
    }

    const R101: BksEntry = BksEntry {
        vehicles: Some(19),
        distance: Some(1600.0),
        dist_only_vehicles: Some(20),
        dist_only_distance: Some(1500.0),
    };

    #[test]
    fn rows_and_csv_carry_the_gaps() {
        let results = [
            result("R101", 20, 1660.0, Some(R101)),
            result("Z", 3, 10.0, None),
        ];
        let cells = row(&results[0], Objective::Distance);
        assert_eq!(cells.len(), COLUMNS.len());
        assert_eq!(&cells[7..12], ["20", "1500.00", "10.67", "10.67", "3.75"]);
        assert_eq!(cells[13], "OK");
        let vehicles = row(&results[0], Objective::Vehicles);
        assert_eq!(&vehicles[7..10], ["19", "1600.00", "3.75"]);
        let text = csv(&results, Objective::Distance);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0], COLUMNS.join(","));
        assert!(lines[2].starts_with("Z,1,3,10.00,"), "{}", lines[2]);
        assert!(text_line(&cells).starts_with("R101         "));
        assert_eq!(percent(-0.0004), "0.00");
        assert_eq!(percent(-0.005), "-0.01");
    }

    #[test]
    fn the_summary_counts_the_fleet_matches() {
        let results = [
            result("R101", 20, 1650.0, Some(R101)),
            result("R102", 21, 1575.0, Some(R101)),
        ];
        let summary = BenchSummary::of(&results, Objective::Distance);
        assert_eq!(summary.gaps_pct, [10.0, 5.0]);
        assert_eq!(summary.gaps_at_fleet_pct, [10.0]);
        assert_eq!((summary.vehicles, summary.bks_vehicles), (41, 40));
        assert_eq!(summary.wall_s, 3.0);
        let text = summary.to_string();
        assert!(text.contains("mean gap to the distance-only"), "{text}");
        assert!(text.contains("+7.50 % (2)"), "{text}");
        assert!(text.contains("at the best-known fleet: 1/2"), "{text}");
        assert!(text.contains("vehicles 41 vs 40 best known (+1)"), "{text}");
        assert!(summary.all_feasible());
    }
}
