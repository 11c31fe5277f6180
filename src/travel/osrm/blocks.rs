//! How OSRM's size limits are worked around: a table of N points becomes blocks of
//! requests the server accepts, and a long route consecutive chunks that share their
//! ends. Pure arithmetic, kept apart from the HTTP client so it can be tested without a
//! server.

use std::ops::Range;

/// One `/table` request: the cells from the points `sources` to the points `destinations`.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct TableRequest {
    pub(super) sources: Range<usize>,
    pub(super) destinations: Range<usize>,
}

/// The local `sources=` and `destinations=` indices of a request.
pub(super) type IndexLists = (Vec<usize>, Vec<usize>);

impl TableRequest {
    /// The points to send and, unless every point is both, the local `sources=` and
    /// `destinations=` indices. OSRM refuses a one-coordinate table, so a single point is
    /// sent twice, as source and as destination.
    pub(super) fn wire(&self) -> (Vec<usize>, Option<IndexLists>) {
        let (s, d) = (self.sources.clone(), self.destinations.clone());
        if s == d && s.len() >= 2 {
            return (s.collect(), None);
        }
        let lists = (
            (0..s.len()).collect(),
            (s.len()..s.len() + d.len()).collect(),
        );
        (s.chain(d).collect(), Some(lists))
    }
}

/// Requests covering every cell of an N×N table once, none sending more than
/// `max_table_size` coordinates (OSRM counts all of a request's coordinates, sources and
/// destinations alike): one request if N fits, else every pair of blocks of ≤ max/2 points.
pub(super) fn plan_table(n: usize, max_table_size: usize) -> Vec<TableRequest> {
    let block = if n <= max_table_size {
        n.max(1)
    } else {
        (max_table_size / 2).max(1)
    };
    let blocks: Vec<Range<usize>> = (0..n)
        .step_by(block)
        .map(|s| s..(s + block).min(n))
        .collect();
    let pairs = blocks
        .iter()
        .flat_map(|s| blocks.iter().map(move |d| (s.clone(), d.clone())));
    pairs
        .map(|(sources, destinations)| TableRequest {
            sources,
            destinations,
        })
        .collect()
}

/// Consecutive ranges of at most `max` points, each starting at the previous one's last
/// point, so that every leg of the whole route is in exactly one range.
pub(super) fn plan_route(n: usize, max: usize) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut start = 0;
    while start + 1 < n {
        let end = (start + max.max(2)).min(n);
        ranges.push(start..end);
        start = end - 1;
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_plans_cover_every_cell_once_within_the_limit() {
        let cases = [
            (0, 100),
            (1, 100),
            (2, 2),
            (5, 2),
            (100, 100),
            (101, 100),
            (200, 100),
        ];
        for (n, max) in cases
            .into_iter()
            .chain([(251, 100), (51, 100), (7, 3), (3, 7)])
        {
            let mut seen = vec![0u32; n * n];
            for request in plan_table(n, max) {
                let (coords, _) = request.wire();
                assert!(
                    (2..=max).contains(&coords.len()),
                    "n={n} max={max}: {coords:?}"
                );
                for from in request.sources.clone() {
                    request
                        .destinations
                        .clone()
                        .for_each(|to| seen[from * n + to] += 1);
                }
            }
            assert!(
                seen.iter().all(|&count| count == 1),
                "n={n} max={max}: {seen:?}"
            );
        }
        assert_eq!(
            (plan_table(200, 100).len(), plan_table(200, 1000).len()),
            (16, 1)
        );
        let one = TableRequest {
            sources: 0..1,
            destinations: 0..1,
        };
        assert_eq!(one.wire(), (vec![0, 0], Some((vec![0], vec![1]))));
        let pair = TableRequest {
            sources: 4..6,
            destinations: 0..3,
        };
        assert_eq!(
            pair.wire(),
            (vec![4, 5, 0, 1, 2], Some((vec![0, 1], vec![2, 3, 4])))
        );
    }

    #[test]
    fn route_chunks_share_their_ends() {
        assert_eq!(plan_route(1, 500), Vec::<Range<usize>>::new());
        assert_eq!(plan_route(500, 500), vec![0..500]);
        assert_eq!(plan_route(1200, 500), vec![0..500, 499..999, 998..1200]);
        assert_eq!(plan_route(4, 2), vec![0..2, 1..3, 2..4]);
    }
}
