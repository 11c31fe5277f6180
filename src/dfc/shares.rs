//! The pooling report in DFC terms: one `tournee:CostShare` per producer Enterprise
//! (the share under the chosen rule as a `dfc-b:Price`, every rule's figure the report
//! computed, the stand-alone cost, the saving, whether it is in the core) and one
//! `tournee:PoolingReport` with the alone and pooled totals and the report's notes.

use serde_json::{Map, Value, json};

use super::read::Adapted;
use super::values::{cents, link, price};
use crate::pb;

/// One `tournee:CostShare` per producer and the `tournee:PoolingReport`.
pub fn shares(adapted: &Adapted, base: &str, report: &pb::PoolingReport) -> Vec<Value> {
    let chosen = adapted.options.share_rule.as_str();
    // A rule the report could not compute has no figure (not a misleading 0).
    let status = |rule: &str| {
        report
            .rules
            .iter()
            .find(|status| status.rule == rule)
            .filter(|status| status.status != "ok")
    };
    let mut nodes = Vec::new();
    let mut shares = Vec::new();
    for (index, producer) in report.producers.iter().enumerate() {
        let id = format!("{}/share/{}", base, index + 1);
        shares.push(link(&id));
        let mut node = json!({
            "@id": id,
            "@type": "tournee:CostShare",
            "tournee:rule": chosen,
            "tournee:standAloneCost": price(producer.alone.as_ref().map_or(0.0, |alone| alone.cost)),
            "tournee:inCore": producer.in_core,
        });
        // The vans no producer operates (the hub's) are paid by the coordinator.
        match (producer.producer_id.as_str(), &adapted.coordinator) {
            ("(unowned)", Some(coordinator)) => node["tournee:payer"] = link(coordinator),
            ("(unowned)", None) => node["tournee:unownedVehicles"] = Value::Bool(true),
            (payer, _) => node["tournee:payer"] = link(payer),
        }
        let figures = [
            ("proportional", producer.proportional),
            ("shapley", producer.shapley),
            ("nucleolus", producer.nucleolus),
            ("epm", producer.epm),
        ];
        for (rule, value) in figures {
            if status(rule).is_none() {
                node[format!("tournee:{rule}")] = json!(cents(value));
            }
        }
        match status(chosen) {
            None => {
                let share = figures
                    .iter()
                    .find(|(rule, _)| *rule == chosen)
                    .map_or(0.0, |(_, value)| *value);
                node["tournee:share"] = price(share);
                node["tournee:savingPercent"] = json!(cents(producer.saving_percent));
            }
            Some(status) => {
                node["tournee:shareStatus"] = Value::String(status.status.clone());
                node["tournee:shareNote"] = Value::String(status.reason.clone());
            }
        }
        nodes.push(node);
    }
    let totals = |totals: Option<pb::PoolingTotals>| {
        let totals = totals.unwrap_or_default();
        let mut object = Map::new();
        object.insert("tournee:cost".into(), price(totals.cost));
        object.insert("tournee:distanceM".into(), totals.distance_m.into());
        object.insert("tournee:durationS".into(), totals.duration_s.into());
        object.insert("tournee:vehicles".into(), totals.vehicles.into());
        object.insert("tournee:co2Kg".into(), json!(cents(totals.co2_kg)));
        Value::Object(object)
    };
    nodes.push(json!({
        "@id": format!("{}/pooling", base),
        "@type": "tournee:PoolingReport",
        "tournee:alone": totals(report.alone),
        "tournee:pooled": totals(report.pooled),
        "tournee:hasShare": shares,
        "tournee:coreEmpty": report.core_empty,
        "tournee:shapleyMethod": report.shapley_method,
        "tournee:notes": report.notes,
    }));
    nodes
}
