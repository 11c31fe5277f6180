//! The pooling report as a CSV statement a cooperative reads at its meeting (or opens in
//! a spreadsheet): one row per producer with its cost alone, its share and its saving
//! (currency and percent) under each rule, and the kilometres and CO2 it avoids. The
//! cost alone includes the price of the tasks it leaves unserved, as the rules do.
//!
//! The pooled plan's kilometres and CO2 are not one producer's or another's (a van
//! carries several producers' goods), so each producer is credited with the overall
//! saving in percent applied to its own kilometres and CO2 alone: the proportional
//! attribution, which adds up to the report's total. A rule that was not computed
//! leaves its cells empty; the rule statuses say why.

use std::fmt::Write;

use crate::domain::{Problem, TourFigures};
use crate::pooling::{ProducerRow, Report, Rule};

/// The rules with a share per producer, in column order, with their shares.
fn shares(report: &Report, row: &ProducerRow) -> [(Rule, Option<f64>); 4] {
    let ok = |rule: Rule| report.rules.get(rule).is_ok();
    [
        (
            Rule::Proportional,
            ok(Rule::Proportional).then_some(row.proportional),
        ),
        (Rule::Shapley, ok(Rule::Shapley).then_some(row.shapley)),
        (Rule::Nucleolus, row.nucleolus),
        (Rule::Epm, row.epm),
    ]
}

/// A cell: quoted when it holds a comma, a quote or a line break.
fn cell(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

fn number(value: Option<f64>, decimals: usize) -> String {
    value.map_or(String::new(), |v| format!("{v:.decimals$}"))
}

/// The share of the alone figure that pooling saves overall (0 when nothing is driven).
fn saved_fraction(alone: f64, pooled: f64) -> f64 {
    if alone > 0.0 {
        (alone - pooled) / alone
    } else {
        0.0
    }
}

/// What a producer drives alone and what pooling avoids of it.
pub struct Avoided {
    /// Kilometres alone.
    pub alone_km: f64,
    /// Kilometres avoided (the overall saving in percent applied to `alone_km`).
    pub km: f64,
    /// CO2 alone, kg.
    pub alone_co2_kg: f64,
    /// CO2 avoided, kg.
    pub co2_kg: f64,
}

/// The kilometres and CO2 `row`'s producer avoids by pooling (see the module doc).
pub fn avoided(report: &Report, row: &ProducerRow) -> Avoided {
    let km = |f: &TourFigures| f.distance_m as f64 / 1000.0;
    let km_saved = saved_fraction(km(&report.alone.figures), km(&report.pooled.figures));
    let co2_saved = saved_fraction(report.alone.co2_kg, report.pooled.co2_kg);
    let alone_km = km(&row.alone.figures);
    Avoided {
        alone_km,
        km: alone_km * km_saved,
        alone_co2_kg: row.alone.co2_kg,
        co2_kg: row.alone.co2_kg * co2_saved,
    }
}

/// The statement: a header, then one row per producer.
pub fn pooling_csv(problem: &Problem, report: &Report) -> String {
    let mut out = String::from("producer,alone_cost");
    for rule in [
        Rule::Proportional,
        Rule::Shapley,
        Rule::Nucleolus,
        Rule::Epm,
    ] {
        let name = rule.name();
        let _ = write!(out, ",{name},{name}_saving,{name}_saving_percent");
    }
    out.push_str(",alone_km,km_avoided,alone_co2_kg,co2_kg_avoided\n");
    let price = report.unserved_price;
    for row in &report.producers {
        let alone = row.alone.priced(price);
        let id = row
            .producer
            .map_or("(unowned)", |p| problem.producers[p].id.as_str());
        let _ = write!(out, "{},{alone:.2}", cell(id));
        for (_, share) in shares(report, row) {
            let saving = share.map(|s| alone - s);
            let percent = saving.filter(|_| alone > 0.0).map(|s| 100.0 * s / alone);
            let _ = write!(
                out,
                ",{},{},{}",
                number(share, 2),
                number(saving, 2),
                number(percent, 1)
            );
        }
        let avoided = avoided(report, row);
        let _ = writeln!(
            out,
            ",{:.1},{:.1},{:.1},{:.1}",
            avoided.alone_km, avoided.km, avoided.alone_co2_kg, avoided.co2_kg
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_what_needs_it() {
        assert_eq!(cell("ferme"), "ferme");
        assert_eq!(cell("Ferme, \"la\""), "\"Ferme, \"\"la\"\"\"");
    }

    #[test]
    fn credits_the_overall_saving_in_proportion() {
        assert!((saved_fraction(200.0, 150.0) - 0.25).abs() < 1e-12);
        assert_eq!(saved_fraction(0.0, 0.0), 0.0);
    }
}
