//! Sub-additivity repair of heuristic coalition costs: a coalition never costs more
//! than its best split into two sub-coalitions (they could always plan apart).

/// Lowers `costs[mask]` (indexed by coalition bit mask, `costs[0] = 0`) to the best
/// split, for every coalition but the grand one (`full`), whose cost is the pooled
/// plan and is kept so that shares add up to it. Returns how many were lowered and
/// the largest relative change in percent.
pub fn repair(costs: &mut [f64], full: usize) -> (usize, f64) {
    let mut repaired = 0;
    let mut max_percent: f64 = 0.0;
    // Every proper sub-mask is numerically smaller, so ascending order sees them first.
    for mask in 1..costs.len() {
        if mask == full || mask.count_ones() < 2 {
            continue;
        }
        let lowest = mask & mask.wrapping_neg();
        let mut best = costs[mask];
        // Splits (part, rest) with `part` holding the lowest member: each split once.
        let mut part = (mask - 1) & mask;
        while part > 0 {
            if part & lowest != 0 {
                best = best.min(costs[part] + costs[mask ^ part]);
            }
            part = (part - 1) & mask;
        }
        if best < costs[mask] - 1e-9 {
            let percent = (costs[mask] - best) / costs[mask].abs().max(1e-9) * 100.0;
            max_percent = max_percent.max(percent);
            costs[mask] = best;
            repaired += 1;
        }
    }
    (repaired, max_percent)
}

/// Whether the grand coalition costs more than some split of it.
pub fn grand_split_is_cheaper(costs: &[f64], full: usize) -> Option<f64> {
    let lowest = full & full.wrapping_neg();
    let mut best = f64::INFINITY;
    let mut part = (full - 1) & full;
    while part > 0 {
        if part & lowest != 0 {
            best = best.min(costs[part] + costs[full ^ part]);
        }
        part = (part - 1) & full;
    }
    (best < costs[full] - 1e-9).then_some(best)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowers_a_coalition_to_its_best_split() {
        // Players a (1) and b (2), c (4): {a,b} was solved badly at 12 > 4 + 5.
        let mut costs = vec![0.0, 4.0, 5.0, 12.0, 6.0, 9.0, 10.0, 14.0];
        let (count, percent) = repair(&mut costs, 7);
        assert_eq!(count, 1);
        assert_eq!(costs[3], 9.0);
        assert!((percent - 25.0).abs() < 1e-9);
        assert_eq!(costs[7], 14.0, "the grand coalition is the pooled plan");
        assert_eq!(grand_split_is_cheaper(&costs, 7), None);
        costs[7] = 16.0;
        // {a,c} at 9 with {b} at 5.
        assert_eq!(grand_split_is_cheaper(&costs, 7), Some(14.0));
    }
}
