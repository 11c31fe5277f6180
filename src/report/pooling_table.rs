//! The pooling report as a table a cooperative's treasurer can read.

use std::fmt::Write;

use crate::domain::currency;
use crate::domain::{Problem, TourFigures};
use crate::pooling::{Report, Totals};

use super::pooling_csv::avoided;

fn hours(seconds: i64) -> String {
    format!("{}h{:02}", seconds / 3600, (seconds.abs() % 3600) / 60)
}

fn totals_line(out: &mut String, label: &str, t: &Totals) {
    let _ = writeln!(
        out,
        "  {label:<12} {:>10.2} {:>9.1} {:>9} {:>9} {:>9.1}",
        currency(t.figures.cost_micro),
        t.figures.distance_m as f64 / 1000.0,
        hours(t.figures.travel_s),
        t.vehicles,
        t.co2_kg
    );
}

fn name(problem: &Problem, producer: Option<usize>) -> String {
    producer.map_or_else(
        || "(unowned)".to_string(),
        |p| {
            let producer = &problem.producers[p];
            if producer.name.is_empty() {
                producer.id.clone()
            } else {
                producer.name.clone()
            }
        },
    )
}

fn yes_no(flag: Option<bool>) -> &'static str {
    match flag {
        Some(true) => "yes",
        Some(false) => "no",
        None => "n/a",
    }
}

/// The report as text.
pub fn pooling_text(problem: &Problem, report: &Report) -> String {
    let mut out = String::new();
    write_savings(&mut out, report);
    write_shares(&mut out, problem, report);
    write_method_and_core(&mut out, report);
    for note in &report.notes {
        let _ = writeln!(out, "Note: {note}.");
    }
    out
}

/// Alone, pooled and their difference, with the saving in percent.
fn write_savings(out: &mut String, report: &Report) {
    let _ = writeln!(out, "Pooling: what sharing the vehicles saves");
    let _ = writeln!(
        out,
        "  {:<12} {:>10} {:>9} {:>9} {:>9} {:>9}",
        "", "cost", "km", "driving", "vehicles", "CO2 kg"
    );
    totals_line(out, "each alone", &report.alone);
    totals_line(out, "pooled", &report.pooled);
    let saved = saved(&report.alone, &report.pooled);
    totals_line(out, "saved", &saved);
    if report.alone.figures.cost_micro > 0 {
        let _ = writeln!(
            out,
            "  pooling saves {:.1} % of the cost and {:.1} % of the kilometres",
            100.0 * saved.figures.cost_micro as f64 / report.alone.figures.cost_micro as f64,
            100.0 * saved.figures.distance_m as f64 / report.alone.figures.distance_m.max(1) as f64
        );
    }
}

/// What pooling saves against driving alone (never fewer than zero vehicles).
fn saved(alone: &Totals, pooled: &Totals) -> Totals {
    let (a, p) = (&alone.figures, &pooled.figures);
    Totals {
        figures: TourFigures {
            cost_micro: a.cost_micro - p.cost_micro,
            distance_m: a.distance_m - p.distance_m,
            travel_s: a.travel_s - p.travel_s,
            service_s: a.service_s - p.service_s,
            waiting_s: a.waiting_s - p.waiting_s,
            duration_s: a.duration_s - p.duration_s,
            ..TourFigures::default()
        },
        vehicles: alone.vehicles.saturating_sub(pooled.vehicles),
        co2_kg: alone.co2_kg - pooled.co2_kg,
        unassigned: 0,
    }
}

/// One line per producer: each way of splitting the pooled cost side by side, what
/// the producer saves under the Shapley split, and the kilometres and CO2 it avoids.
fn write_shares(out: &mut String, problem: &Problem, report: &Report) {
    let _ = writeln!(
        out,
        "\nWho pays what of the pooled cost of {:.2}",
        currency(report.pooled.figures.cost_micro)
    );
    let _ = writeln!(
        out,
        "  {:<28} {:>9} {:>12} {:>13} {:>9} {:>9} {:>9} {:>7} {:>8} {:>8} {:>7}",
        "producer",
        "alone",
        "proportional",
        "Shapley",
        "nucleolus",
        "EPM",
        "saved",
        "saved %",
        "km saved",
        "CO2 kg",
        "in core"
    );
    // A share of -0.001 reads "-0.00": round to cents first.
    let cents = |v: f64| (v * 100.0).round() / 100.0 + 0.0;
    let optional =
        |value: Option<f64>| value.map_or("n/a".to_string(), |v| format!("{:.2}", cents(v)));
    for row in &report.producers {
        let shapley = if row.shapley_error > 0.0 {
            format!("{:.2}±{:.2}", row.shapley, row.shapley_error)
        } else {
            format!("{:.2}", row.shapley)
        };
        let alone = row.alone.priced(report.unserved_price);
        let avoided = avoided(report, row);
        let _ = writeln!(
            out,
            "  {:<28} {:>9.2} {:>12.2} {:>13} {:>9} {:>9} {:>9.2} {:>6.1}% {:>8.1} {:>8.1} {:>7}",
            name(problem, row.producer),
            alone,
            row.proportional,
            shapley,
            optional(row.nucleolus),
            optional(row.epm),
            alone - row.shapley,
            row.saving_percent,
            avoided.km,
            avoided.co2_kg,
            yes_no(row.in_core)
        );
    }
    let _ = writeln!(
        out,
        "  (alone: the producer's own tasks with its own vehicles, unserved ones priced; saved: alone minus the Shapley share; km and CO2: the overall saving in percent applied to the producer's own driving)"
    );
}

/// How the Shapley value was found, what the repair changed, and what the core says.
fn write_method_and_core(out: &mut String, report: &Report) {
    let method = if report.shapley_exact {
        "exact"
    } else {
        "sampled"
    };
    let _ = writeln!(
        out,
        "\nShapley value {method}, {} coalitions solved; {} coalition cost(s) repaired to stay sub-additive (largest change {:.2} %).",
        report.coalitions_solved, report.coalitions_repaired, report.max_repair_percent
    );
    let statuses: Vec<String> = report
        .rules
        .iter()
        .map(|(rule, status)| format!("{} {status}", rule.name()))
        .collect();
    let _ = writeln!(out, "Rules: {}.", statuses.join("; "));
    match report.core_empty() {
        Some(true) => {
            let _ = writeln!(
                out,
                "The core is EMPTY: whatever the split, some group of producers would pay less on its own."
            );
        }
        Some(false) => {
            let _ = writeln!(
                out,
                "The core is not empty: under the nucleolus no group of producers would pay less on its own. In the core — Shapley: {}, proportional: {}, nucleolus: {}, EPM: {}.",
                yes_no(report.shapley_in_core),
                yes_no(report.proportional_in_core),
                yes_no(report.nucleolus_in_core),
                yes_no(report.epm_in_core)
            );
        }
        None => {}
    }
}
