//! Helpers for the randomized tests of several modules.

/// Xorshift32: a tiny deterministic generator, so randomized tests are reproducible.
pub(crate) struct Rng(pub u32);

impl Rng {
    /// Step the generator and return its new state.
    pub fn next(&mut self) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 17;
        self.0 ^= self.0 << 5;
        self.0
    }

    /// A string of up to `max_len - 1` of `pieces`, its length read from the current state
    /// before stepping once per piece.
    pub fn string(&mut self, pieces: &[&str], max_len: u32) -> String {
        let len = self.0 % max_len;
        (0..len)
            .map(|_| pieces[(self.next() as usize) % pieces.len()])
            .collect()
    }
}
