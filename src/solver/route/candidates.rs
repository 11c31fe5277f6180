//! Placements that the fast check cannot fully judge (a working-time limit it does not
//! see), kept to be confirmed by simulation cheapest first. Keys are (objective
//! increase, first position, second position): distinct placements of one route have
//! distinct keys, so the cheapest confirmed one does not depend on how they are kept.

/// A placement to confirm: (objective increase, first position, second position).
pub type Candidate = (i128, usize, usize);

/// Candidates tried one by one before the rest are sorted: the cheapest is nearly
/// always confirmed, and a few misses cost less than sorting every placement (the
/// sort was 12 % of the 12-producer pooling report's time).
const TRIED_BEFORE_SORTING: usize = 4;

/// The cheapest of `candidates` that `confirm` accepts, trying them in the order of a
/// full sort by key but picking the cheapest left instead of sorting them all first;
/// `candidates` is left in any order. The answer is the full sort's.
pub fn cheapest_confirmed(
    candidates: &mut Vec<Candidate>,
    mut confirm: impl FnMut(Candidate) -> bool,
) -> Option<Candidate> {
    for _ in 0..TRIED_BEFORE_SORTING {
        let (index, cheapest) = candidates
            .iter()
            .copied()
            .enumerate()
            .min_by_key(|(_, key)| *key)?;
        if confirm(cheapest) {
            return Some(cheapest);
        }
        candidates.swap_remove(index);
    }
    candidates.sort_unstable();
    candidates.iter().copied().find(|key| confirm(*key))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The same answer as sorting every candidate and taking the first accepted.
        #[test]
        fn same_as_a_full_sort(
            keys in prop::collection::btree_set((-50i128..50, 0usize..8, 0usize..8), 0..40),
            refused in prop::collection::vec(any::<bool>(), 40),
        ) {
            let mut keys: Vec<Candidate> = keys.into_iter().collect();
            keys.reverse();
            let accept = |key: Candidate| {
                let rank = (key.0 + 50) as usize + key.1 + key.2;
                !refused[rank % refused.len()]
            };
            let mut sorted = keys.clone();
            sorted.sort();
            let expected = sorted.into_iter().find(|key| accept(*key));
            prop_assert_eq!(cheapest_confirmed(&mut keys, accept), expected);
        }
    }
}
