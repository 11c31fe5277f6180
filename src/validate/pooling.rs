//! Options of the pooling report: stand-in van, emission factors, Shapley settings.

use super::violation::{Code, Collector};
use crate::domain::{DEFAULT_CO2_KG_PER_KM, PoolingOptions};
use crate::pb;

/// Most players for which every coalition may be solved (2^16 - 1 solves).
pub const MAX_EXACT_PRODUCERS: u32 = 16;

/// Validates the pooling options; `None` when the report is not asked for.
pub fn pooling_options(
    collector: &mut Collector,
    options: Option<&pb::PoolingOptions>,
    profiles: &[String],
    dimensions: usize,
) -> Option<PoolingOptions> {
    let options = options.filter(|o| o.enabled)?;
    let (stand_in_capacity, stand_in_costs) = match &options.stand_in {
        Some(stand_in) => {
            let capacity = if stand_in.capacity.is_empty() {
                None
            } else {
                Some(collector.amount("pooling.stand_in.capacity", &stand_in.capacity, dimensions))
            };
            let costs = stand_in.costs.as_ref().map(|_| {
                super::fleet::costs(collector, "pooling.stand_in", stand_in.costs.as_ref())
            });
            (capacity, costs)
        }
        None => (None, None),
    };
    let mut co2_kg_per_km = vec![DEFAULT_CO2_KG_PER_KM; profiles.len()];
    for (index, factor) in options.emission_factors.iter().enumerate() {
        let field = format!("pooling.emission_factors[{index}]");
        if !(factor.co2_kg_per_km.is_finite() && (0.0..=100.0).contains(&factor.co2_kg_per_km)) {
            collector.push(
                Code::OutOfRange,
                format!("{field}.co2_kg_per_km"),
                "must be in 0..=100 kg/km",
            );
            continue;
        }
        let name = super::fleet::profile_name(&factor.profile);
        if let Some(position) = profiles.iter().position(|p| *p == name) {
            co2_kg_per_km[position] = factor.co2_kg_per_km;
        }
    }
    if options.max_exact_producers > MAX_EXACT_PRODUCERS {
        collector.push(
            Code::OutOfRange,
            "pooling.max_exact_producers",
            format!(
                "{} is above {MAX_EXACT_PRODUCERS}",
                options.max_exact_producers
            ),
        );
    }
    let unserved_task_cost = options.unserved_task_cost;
    if !(unserved_task_cost.is_finite() && (0.0..=1e9).contains(&unserved_task_cost)) {
        collector.push(
            Code::OutOfRange,
            "pooling.unserved_task_cost",
            "must be in 0..=1e9 currency units per task",
        );
    }
    let or = |value: u32, default: u32| if value == 0 { default } else { value };
    Some(PoolingOptions {
        stand_in_capacity,
        stand_in_costs,
        co2_kg_per_km,
        max_exact_producers: or(options.max_exact_producers, 12).min(MAX_EXACT_PRODUCERS) as usize,
        shapley_samples: or(options.shapley_samples, 200) as usize,
        coalition_iterations: (options.coalition_iterations > 0)
            .then_some(u64::from(options.coalition_iterations)),
        unserved_task_cost: if unserved_task_cost.is_finite() {
            unserved_task_cost.clamp(0.0, 1e9)
        } else {
            0.0
        },
        force_lp_failure: false,
        stop_after_size: None,
        affordable_units: None,
    })
}
