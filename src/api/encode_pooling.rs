//! Pooling report → `PoolingReport`.

use crate::domain::{Problem, currency};
use crate::pb;
use crate::pooling::{Report, Totals};

fn totals(t: &Totals) -> pb::PoolingTotals {
    pb::PoolingTotals {
        cost: currency(t.figures.cost_micro),
        distance_m: t.figures.distance_m,
        duration_s: t.figures.duration_s,
        travel_s: t.figures.travel_s,
        vehicles: t.vehicles as u32,
        co2_kg: t.co2_kg,
        unassigned: t.unassigned as u32,
    }
}

/// The producer id of a report row ("(unowned)" for the pseudo-player).
pub fn producer_id(problem: &Problem, producer: Option<usize>) -> String {
    producer.map_or_else(
        || "(unowned)".to_string(),
        |p| problem.producers[p].id.clone(),
    )
}

/// Encodes a pooling report.
pub fn pooling(problem: &Problem, report: &Report) -> pb::PoolingReport {
    pb::PoolingReport {
        alone: Some(totals(&report.alone)),
        pooled: Some(totals(&report.pooled)),
        producers: report
            .producers
            .iter()
            .map(|row| pb::ProducerShare {
                producer_id: producer_id(problem, row.producer),
                alone: Some(totals(&row.alone)),
                proportional: row.proportional,
                shapley: row.shapley,
                nucleolus: row.nucleolus.unwrap_or_default(),
                saving_percent: row.saving_percent,
                in_core: row.in_core.unwrap_or(false),
                shapley_error: row.shapley_error,
                epm: row.epm.unwrap_or_default(),
            })
            .collect(),
        shapley_method: if report.shapley_exact {
            "exact"
        } else {
            "sampled"
        }
        .to_string(),
        coalitions_solved: report.coalitions_solved as u32,
        coalitions_repaired: report.coalitions_repaired as u32,
        max_repair_percent: report.max_repair_percent,
        least_core_value: report.least_core_value.unwrap_or_default(),
        core_empty: report.core_empty().unwrap_or(false),
        shapley_in_core: report.shapley_in_core.unwrap_or(false),
        nucleolus_in_core: report.nucleolus_in_core.unwrap_or(false),
        proportional_in_core: report.proportional_in_core.unwrap_or(false),
        epm_in_core: report.epm_in_core.unwrap_or(false),
        core_coalitions: report.core_coalitions as u32,
        core_approximate: report.core_coalitions_approximate,
        unserved_task_price: report.unserved_price,
        notes: report.notes.clone(),
        rules: report
            .rules
            .iter()
            .map(|(rule, status)| pb::AllocationRuleStatus {
                rule: rule.name().to_string(),
                status: status.name().to_string(),
                reason: status.reason().to_string(),
            })
            .collect(),
    }
}
