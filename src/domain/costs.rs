//! What a vehicle costs and the one formula that prices a tour, in integer
//! micro-currency so that sums are exact and runs reproducible. The solver prices
//! every candidate insertion with it, so it is on the hottest path of the search: its
//! products take 64-bit arithmetic whenever they fit and 128-bit only when they would
//! overflow, with the same answer either way.

/// Ceiling of one tour's cost, micro-currency (2^53: about 9 billion currency units),
/// so that sums over a fleet never overflow.
pub const MAX_TOUR_COST_MICRO: i64 = 1 << 53;

/// Micro-units of currency → currency units (costs are integers inside, floats at the
/// edges).
pub fn currency(micro: i64) -> f64 {
    micro as f64 / 1e6
}

/// Currency units → micro-units, rounded to the nearest.
pub fn micro_currency(currency: f64) -> i64 {
    (currency * 1e6).round() as i64
}

/// What a vehicle costs, in integer micro-units of the client's currency so that sums
/// are exact and runs reproducible.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Costs {
    /// Paid once when the vehicle is used, micro-currency.
    pub fixed_micro: i64,
    /// Per hour of driving, micro-currency per hour.
    pub per_hour_micro: i64,
    /// Per kilometre, micro-currency per km.
    pub per_km_micro: i64,
    /// Per hour of setup + service, micro-currency per hour.
    pub per_task_hour_micro: i64,
}

/// One currency unit of a cost matrix cell, micro-currency.
const MICRO_PER_CURRENCY: i64 = 1_000_000;

/// Metres per kilometre: the unit of `per_km_micro`.
const METRES_PER_KM: i64 = 1000;

/// Seconds per hour: the unit of `per_hour_micro` and `per_task_hour_micro`.
const SECONDS_PER_HOUR: i64 = 3600;

impl Costs {
    /// Cost of a used tour with these totals, micro-currency; `matrix_cost` is the sum of
    /// the cost matrix's cells along the tour (currency units; 0 when its profile has
    /// none, and then `per_hour` and `per_km` are 0). The one cost formula of the crate:
    /// the solver and the checker both price tours with it.
    #[inline]
    pub fn tour_cost_micro(
        &self,
        distance_m: i64,
        travel_s: i64,
        service_s: i64,
        matrix_cost: i64,
    ) -> i64 {
        let total = self
            .fixed_micro
            .saturating_add(per::<METRES_PER_KM>(self.per_km_micro, distance_m))
            .saturating_add(per::<SECONDS_PER_HOUR>(self.per_hour_micro, travel_s))
            .saturating_add(per::<SECONDS_PER_HOUR>(self.per_task_hour_micro, service_s))
            .saturating_add(per::<1>(MICRO_PER_CURRENCY, matrix_cost));
        total.min(MAX_TOUR_COST_MICRO)
    }
}

/// `rate × quantity / UNIT`, rounded half up (Euclidean division), clamped to
/// `0..=MAX_TOUR_COST_MICRO`.
///
/// In 64 bits when the product plus the rounding half-unit fits (every real tour: a
/// rate of 10^9 micro-currency per km over 9,000 km is still 2^53 below `i64::MAX`),
/// so that the division by a constant compiles to a multiplication; in 128 bits
/// ([`per_wide`]) otherwise. Overflow is told by the multiplication itself (one flag
/// per call, cheaper than any lookup of a per-problem bound), and below it both ways
/// compute the same integers, so the answer never depends on the path.
#[inline]
fn per<const UNIT: i64>(rate: i64, quantity: i64) -> i64 {
    match rate
        .checked_mul(quantity)
        .and_then(|product| product.checked_add(UNIT / 2))
    {
        Some(numerator) => numerator.div_euclid(UNIT).clamp(0, MAX_TOUR_COST_MICRO),
        None => per_wide(rate, quantity, UNIT),
    }
}

/// [`per`] in 128 bits, where no `i64` rate and quantity can overflow.
#[cold]
fn per_wide(rate: i64, quantity: i64, unit: i64) -> i64 {
    let numerator = i128::from(rate) * i128::from(quantity);
    let rounded = (numerator + i128::from(unit / 2)).div_euclid(i128::from(unit));
    rounded.clamp(0, i128::from(MAX_TOUR_COST_MICRO)) as i64
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The formula before the fast path, kept apart from it: everything in 128 bits.
    fn reference(rate: i64, quantity: i64, unit: i64) -> i64 {
        let (unit, numerator) = (i128::from(unit), i128::from(rate) * i128::from(quantity));
        let rounded = (numerator + unit / 2).div_euclid(unit);
        rounded.clamp(0, i128::from(MAX_TOUR_COST_MICRO)) as i64
    }

    fn fast(rate: i64, quantity: i64, unit: i64) -> i64 {
        match unit {
            1 => per::<1>(rate, quantity),
            METRES_PER_KM => per::<METRES_PER_KM>(rate, quantity),
            _ => per::<SECONDS_PER_HOUR>(rate, quantity),
        }
    }

    /// A quantity whose product with `rate` lands within `offset` of the 64-bit bound
    /// (where the fast path hands over to the wide one), on either side of zero.
    fn at_the_edge(rate: i64, offset: i64, negative: bool) -> i64 {
        let edge = i64::MAX / rate.max(1);
        let quantity = edge.saturating_add(offset);
        if negative { -quantity } else { quantity }
    }

    proptest! {
        #[test]
        fn fast_path_equals_wide_arithmetic_everywhere(
            rate in any::<i64>(),
            quantity in any::<i64>(),
            unit in prop::sample::select(vec![1, METRES_PER_KM, SECONDS_PER_HOUR]),
        ) {
            prop_assert_eq!(fast(rate, quantity, unit), reference(rate, quantity, unit));
        }

        #[test]
        fn fast_path_equals_wide_arithmetic_at_the_overflow_bound(
            rate in 1i64..=4_000_000_000,
            offset in -4000i64..=4000,
            negative in any::<bool>(),
            unit in prop::sample::select(vec![1, METRES_PER_KM, SECONDS_PER_HOUR]),
        ) {
            let quantity = at_the_edge(rate, offset, negative);
            prop_assert_eq!(fast(rate, quantity, unit), reference(rate, quantity, unit));
            prop_assert_eq!(fast(-rate, quantity, unit), reference(-rate, quantity, unit));
        }

        #[test]
        fn fast_path_equals_wide_arithmetic_on_real_tours(
            rate in 0i64..=10_000_000_000,
            quantity in -1i64..=100_000_000,
            unit in prop::sample::select(vec![1, METRES_PER_KM, SECONDS_PER_HOUR]),
        ) {
            prop_assert_eq!(fast(rate, quantity, unit), reference(rate, quantity, unit));
        }
    }

    #[test]
    fn a_tour_is_priced_as_before() {
        let costs = Costs {
            fixed_micro: 10_000_000,
            per_hour_micro: 22_000_000,
            per_km_micro: 350_000,
            per_task_hour_micro: 0,
        };
        // 10 + 0.35 × 42.5 km + 22 × 5,400 s / 3,600 s = 10 + 14.875 + 33.
        assert_eq!(costs.tour_cost_micro(42_500, 5_400, 600, 0), 57_875_000);
        assert_eq!(
            costs.tour_cost_micro(i64::MAX, i64::MAX, 0, 0),
            MAX_TOUR_COST_MICRO
        );
        assert_eq!(costs.tour_cost_micro(-1, 0, 0, 0), 10_000_000);
    }
}
