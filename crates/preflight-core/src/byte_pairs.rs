//! A set of byte pairs (the first two bytes of a word or literal), one bit each: a cheap first
//! test before any lookup, shared by the phrase index (wildcard prefixes) and the regex gates.

/// Byte pairs `(b0, b1)`, 64 Kbit.
#[derive(Debug, Clone)]
pub(crate) struct BytePairs(Vec<u64>);

impl BytePairs {
    pub fn new() -> Self {
        BytePairs(vec![0; 1 << 10])
    }

    fn index(b0: u8, b1: u8) -> usize {
        usize::from(b0) | usize::from(b1) << 8
    }

    /// Add `(b0, b1)`.
    pub fn insert(&mut self, b0: u8, b1: u8) {
        let i = Self::index(b0, b1);
        self.0[i >> 6] |= 1 << (i & 63);
    }

    /// Add every pair starting with `b0` (a one-byte word or literal).
    pub fn insert_first(&mut self, b0: u8) {
        (0..=255u8).for_each(|b1| self.insert(b0, b1));
    }

    /// Add every pair.
    pub fn insert_all(&mut self) {
        self.0.fill(u64::MAX);
    }

    #[inline]
    pub fn contains(&self, b0: u8, b1: u8) -> bool {
        let i = Self::index(b0, b1);
        self.0[i >> 6] & (1 << (i & 63)) != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_what_was_inserted() {
        let mut p = BytePairs::new();
        assert!(!p.contains(b'a', b'b'));
        p.insert(b'a', b'b');
        assert!(p.contains(b'a', b'b') && !p.contains(b'b', b'a'));
        p.insert_first(b'z');
        assert!(p.contains(b'z', 0) && p.contains(b'z', 255) && !p.contains(b'y', 0));
        p.insert_all();
        assert!(p.contains(7, 9));
    }
}
