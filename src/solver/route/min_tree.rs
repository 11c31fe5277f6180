//! A minimum segment tree over route positions for [`super::linear_shipment`]: the
//! first position from some node on whose value falls below a threshold (where a
//! delayed schedule first misses a window), and the positions of a range whose value
//! is at most a limit (the cheapest delivery positions still open), each in
//! O(log n) per answer. Buffers are kept between uses so that the hot insertion loop
//! does not allocate.

/// Values per position (`i128::MAX`: no value) with the minimum of every subtree.
#[derive(Debug, Default)]
pub struct MinTree {
    /// Leaves.
    size: usize,
    /// Heap-ordered: node 1 the root, children 2k and 2k + 1, leaves from `size`.
    min: Vec<i128>,
}

/// Marks a position without a value.
pub const EMPTY: i128 = i128::MAX;

impl MinTree {
    /// Resets the tree to `len` positions, every one empty.
    pub fn reset(&mut self, len: usize) {
        self.size = len.next_power_of_two().max(1);
        self.min.clear();
        self.min.resize(2 * self.size, EMPTY);
    }

    /// Sets the value at `position`.
    pub fn set(&mut self, position: usize, value: i128) {
        let mut k = self.size + position;
        self.min[k] = value;
        while k > 1 {
            k /= 2;
            self.min[k] = self.min[2 * k].min(self.min[2 * k + 1]);
        }
    }

    /// The first position ≥ `from` whose value is below `limit`, if any.
    pub fn first_below(&self, from: usize, limit: i128) -> Option<usize> {
        self.first_below_in(1, 0, self.size, from, limit)
    }

    fn first_below_in(
        &self,
        node: usize,
        lo: usize,
        hi: usize,
        from: usize,
        limit: i128,
    ) -> Option<usize> {
        if hi <= from || self.min[node] >= limit {
            return None;
        }
        if hi - lo == 1 {
            return Some(lo);
        }
        let mid = (lo + hi) / 2;
        self.first_below_in(2 * node, lo, mid, from, limit)
            .or_else(|| self.first_below_in(2 * node + 1, mid, hi, from, limit))
    }

    /// The smallest value in positions `range`, `EMPTY` when none has one.
    pub fn min_in(&self, range: std::ops::Range<usize>) -> i128 {
        let (mut lo, mut hi) = (range.start + self.size, range.end + self.size);
        let mut best = EMPTY;
        while lo < hi {
            if lo % 2 == 1 {
                best = best.min(self.min[lo]);
                lo += 1;
            }
            if hi % 2 == 1 {
                hi -= 1;
                best = best.min(self.min[hi]);
            }
            lo /= 2;
            hi /= 2;
        }
        best
    }

    /// Every position of `range` whose value is at most `limit`, in increasing order.
    pub fn each_at_most(
        &self,
        range: std::ops::Range<usize>,
        limit: i128,
        found: &mut impl FnMut(usize),
    ) {
        self.each_in(1, 0, self.size, &range, limit, found);
    }

    fn each_in(
        &self,
        node: usize,
        lo: usize,
        hi: usize,
        range: &std::ops::Range<usize>,
        limit: i128,
        found: &mut impl FnMut(usize),
    ) {
        if hi <= range.start || lo >= range.end || self.min[node] > limit {
            return;
        }
        if hi - lo == 1 {
            found(lo);
            return;
        }
        let mid = (lo + hi) / 2;
        self.each_in(2 * node, lo, mid, range, limit, found);
        self.each_in(2 * node + 1, mid, hi, range, limit, found);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_as_a_scan_does() {
        let values: Vec<i128> = vec![5, 3, EMPTY, 8, 1, 9, 4];
        let mut tree = MinTree::default();
        tree.reset(values.len());
        for (position, &value) in values.iter().enumerate() {
            tree.set(position, value);
        }
        for from in 0..values.len() {
            for limit in 0..11 {
                let scan = (from..values.len()).find(|&k| values[k] < limit);
                assert_eq!(tree.first_below(from, limit), scan);
            }
            for to in from..=values.len() {
                let scan = values[from..to].iter().copied().min().unwrap_or(EMPTY);
                assert_eq!(tree.min_in(from..to), scan);
                let mut listed = Vec::new();
                tree.each_at_most(from..to, 4, &mut |k| listed.push(k));
                let expected: Vec<usize> = (from..to).filter(|&k| values[k] <= 4).collect();
                assert_eq!(listed, expected);
            }
        }
    }
}
