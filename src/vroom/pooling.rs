//! The pooling report as the `pooling` object of VROOM-format output (our extension):
//! `alone` and `pooled` totals and one entry per producer.

use serde_json::{Value, json};

use crate::api::encode_pooling::producer_id;
use crate::domain::{Problem, currency};
use crate::pooling::{Report, Totals};

fn totals(t: &Totals) -> Value {
    json!({
        "cost": currency(t.figures.cost_micro),
        "distance_m": t.figures.distance_m,
        "duration_s": t.figures.duration_s,
        "travel_s": t.figures.travel_s,
        "vehicles": t.vehicles,
        "co2_kg": t.co2_kg,
        "unassigned": t.unassigned,
    })
}

/// The `pooling` object.
pub fn vroom_pooling(problem: &Problem, report: &Report) -> Value {
    let producers: Vec<Value> = report
        .producers
        .iter()
        .map(|row| {
            json!({
                "producer": producer_id(problem, row.producer),
                "alone_cost": currency(row.alone.figures.cost_micro),
                "alone": totals(&row.alone),
                "proportional": row.proportional,
                "shapley": row.shapley,
                "shapley_error": row.shapley_error,
                "nucleolus": row.nucleolus,
                "epm": row.epm,
                "saving_percent": row.saving_percent,
                "in_core": row.in_core,
            })
        })
        .collect();
    json!({
        "alone": totals(&report.alone),
        "pooled": totals(&report.pooled),
        "producers": producers,
        "shapley_method": if report.shapley_exact { "exact" } else { "sampled" },
        "coalitions_solved": report.coalitions_solved,
        "coalitions_repaired": report.coalitions_repaired,
        "max_repair_percent": report.max_repair_percent,
        "least_core_value": report.least_core_value,
        "core_empty": report.core_empty(),
        "shapley_in_core": report.shapley_in_core,
        "nucleolus_in_core": report.nucleolus_in_core,
        "proportional_in_core": report.proportional_in_core,
        "epm_in_core": report.epm_in_core,
        "core_coalitions": report.core_coalitions,
        "core_approximate": report.core_coalitions_approximate,
        "unserved_task_price": report.unserved_price,
        "notes": report.notes,
        "rules": rules(report),
    })
}

/// Each rule's status: `{"shapley": {"status": "ok"}, "nucleolus": {"status":
/// "failed", "reason": "…"}, …}`.
fn rules(report: &Report) -> Value {
    let entries: serde_json::Map<String, Value> = report
        .rules
        .iter()
        .map(|(rule, status)| {
            let mut entry = json!({ "status": status.name() });
            if !status.is_ok() {
                entry["reason"] = json!(status.reason());
            }
            (rule.name().to_string(), entry)
        })
        .collect();
    Value::Object(entries)
}
