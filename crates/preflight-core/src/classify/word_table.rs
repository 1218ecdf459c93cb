//! The use model's word table: words in strictly increasing order, each with three int8
//! scores, held as one text buffer and flat arrays, and looked up through an open-addressing
//! index of `u32` slots (FNV-1a of the word's bytes, linear probing).
//!
//! Loading a 20,000-word table is then two buffer fills and one pass that hashes each word:
//! no allocation per word and no `String` keys, which matters in WebAssembly, where the model
//! is read while the service worker starts (the first draft waits for it).

use super::features::{fnv, FNV_OFFSET};
use super::model::N_LABELS;
use crate::Error;

/// Words and their quantised scores (see [`super::model`]).
#[derive(Clone, Default, PartialEq)]
pub struct WordTable {
    /// Every word, concatenated in order.
    text: String,
    /// End of word `i` in `text` (its start is the previous end, or 0).
    ends: Vec<u32>,
    scores: Vec<[i8; N_LABELS]>,
    /// Per slot, the word's hash (high 32 bits) and index + 1 (low 32 bits; 0: empty). The
    /// length is a power of two, at least twice the word count, so a probe sequence is short
    /// and always ends at an empty slot; the stored hash spares nearly every string compare
    /// with a word that only shares the slot.
    slots: Vec<u64>,
}

impl std::fmt::Debug for WordTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WordTable")
            .field("words", &self.ends.len())
            .finish()
    }
}

impl WordTable {
    /// An empty table with room for `n` words.
    pub fn with_capacity(n: usize, text_bytes: usize) -> Self {
        Self {
            text: String::with_capacity(text_bytes),
            ends: Vec::with_capacity(n),
            scores: Vec::with_capacity(n),
            slots: Vec::new(),
        }
    }

    /// Append a word, which must sort after the previous one; call [`Self::finish`] after
    /// the last.
    pub fn push(&mut self, word: &str, scores: [i8; N_LABELS]) -> Result<(), Error> {
        let i = self.ends.len();
        if i > 0 && word <= self.word(i - 1) {
            return Err(Error::Model(format!("word {i} ({word:?}) out of order")));
        }
        self.text.push_str(word);
        let end = u32::try_from(self.text.len())
            .map_err(|_| Error::Model("word table larger than 4 GiB".into()))?;
        self.ends.push(end);
        self.scores.push(scores);
        Ok(())
    }

    /// Read `n` entries of the model file's word section (each a `u8` length, the word's
    /// UTF-8 bytes and three `i8` scores; words strictly increasing) from the start of
    /// `bytes`, and build the index. Returns the table and the bytes read. `base` is where
    /// `bytes` starts in the model file (for the messages).
    pub fn parse(bytes: &[u8], n: usize, base: usize) -> Result<(Self, usize), Error> {
        let bad = |what: String| Error::Model(format!("word table: {what}"));
        // At least four bytes per entry: `n` is bounded by the input before anything is
        // allocated for it.
        if n > bytes.len() / 4 {
            return Err(bad(format!(
                "{n} words cannot fit in {} bytes",
                bytes.len()
            )));
        }
        let mut text: Vec<u8> = Vec::with_capacity(bytes.len() - 4 * n);
        let mut ends = Vec::with_capacity(n);
        let mut scores = Vec::with_capacity(n);
        let mut pos = 0usize;
        let mut prev = 0..0;
        for i in 0..n {
            let cut = || {
                Error::Model(format!(
                    "truncated use model at byte {} (word {i})",
                    base + pos
                ))
            };
            let len = *bytes.get(pos).ok_or_else(cut)? as usize;
            let entry = bytes
                .get(pos + 1..pos + 1 + len + N_LABELS)
                .ok_or_else(cut)?;
            let (word, q) = entry.split_at(len);
            // Byte order is code-point order for UTF-8.
            if i > 0 && word <= &text[prev.clone()] {
                return Err(bad(format!("word {i} is out of order")));
            }
            let start = text.len();
            text.extend_from_slice(word);
            prev = start..text.len();
            let end = u32::try_from(text.len()).map_err(|_| bad("larger than 4 GiB".into()))?;
            ends.push(end);
            scores.push([q[0] as i8, q[1] as i8, q[2] as i8]);
            pos += 1 + len + N_LABELS;
        }
        // One UTF-8 check for all words, then each word must end on a character boundary
        // (two half characters could otherwise join into one valid text).
        let text = String::from_utf8(text).map_err(|e| bad(format!("not UTF-8: {e}")))?;
        if let Some(i) = ends
            .iter()
            .position(|&e| !text.is_char_boundary(e as usize))
        {
            return Err(bad(format!("word {i} is not UTF-8")));
        }
        let mut t = Self {
            text,
            ends,
            scores,
            slots: Vec::new(),
        };
        t.finish();
        Ok((t, pos))
    }

    /// Build the index (after the last [`Self::push`]).
    pub fn finish(&mut self) {
        let n = self.ends.len();
        let size = (n * 2).next_power_of_two().max(2);
        let mask = size - 1;
        let mut slots = vec![0u64; size];
        for i in 0..n {
            let h = Self::hash(self.word(i));
            let mut s = h as usize & mask;
            while slots[s] != 0 {
                s = (s + 1) & mask;
            }
            // `n < 2^32` (each word has an end offset that fits a u32).
            slots[s] = (u64::from(h) << 32) | (i as u64 + 1);
        }
        self.slots = slots;
    }

    fn hash(word: &str) -> u32 {
        let h = fnv(FNV_OFFSET, word.as_bytes());
        (h ^ (h >> 32)) as u32
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether the table has no word.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Word `i` (empty when out of range).
    pub fn word(&self, i: usize) -> &str {
        self.text.get(self.range(i)).unwrap_or("")
    }

    /// Where word `i` is in `text` (empty when out of range).
    fn range(&self, i: usize) -> std::ops::Range<usize> {
        let end = self.ends.get(i).map_or(0, |&e| e as usize);
        let start = match i {
            0 => 0,
            _ => self.ends.get(i - 1).map_or(end, |&e| e as usize),
        };
        start..end
    }

    /// Scores of word `i` (zeros when out of range).
    pub fn scores(&self, i: usize) -> [i8; N_LABELS] {
        self.scores.get(i).copied().unwrap_or([0; N_LABELS])
    }

    /// Index of `word`, if the table has it.
    pub fn get(&self, word: &str) -> Option<usize> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let h = Self::hash(word);
        let mut s = h as usize & mask;
        loop {
            let slot = self.slots[s];
            if slot == 0 {
                return None;
            }
            if (slot >> 32) as u32 == h {
                let i = (slot & 0xffff_ffff) as usize - 1;
                // Bytes, not `str` slicing: no character-boundary checks on the hot path.
                if self.text.as_bytes().get(self.range(i)) == Some(word.as_bytes()) {
                    return Some(i);
                }
            }
            s = (s + 1) & mask;
        }
    }

    /// `(word, scores)` in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, [i8; N_LABELS])> + '_ {
        (0..self.len()).map(|i| (self.word(i), self.scores[i]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(words: &[&str]) -> WordTable {
        let mut t = WordTable::with_capacity(words.len(), 0);
        for (i, w) in words.iter().enumerate() {
            let q = (i % 100) as i8;
            t.push(w, [q, 0, -q]).unwrap();
        }
        t.finish();
        t
    }

    #[test]
    fn finds_every_word_and_nothing_else() {
        let words: Vec<String> = (0..1000).map(|i| format!("w{i:04}")).collect();
        let refs: Vec<&str> = words.iter().map(String::as_str).collect();
        let t = table(&refs);
        assert_eq!(t.len(), 1000);
        for (i, w) in refs.iter().enumerate() {
            assert_eq!(t.get(w), Some(i));
            assert_eq!(t.word(i), *w);
        }
        assert_eq!(t.get("w1000"), None);
        assert_eq!(t.get(""), None);
        assert_eq!(t.get("w000"), None, "a prefix of a word is not the word");
        assert_eq!(t.scores(3), [3, 0, -3]);
        assert_eq!(t.iter().nth(2), Some(("w0002", [2, 0, -2])));
    }

    #[test]
    fn out_of_order_and_duplicate_words_are_refused() {
        let mut t = WordTable::default();
        t.push("b", [0; 3]).unwrap();
        assert!(t.push("a", [0; 3]).is_err());
        assert!(t.push("b", [0; 3]).is_err());
        t.push("ba", [0; 3]).unwrap();
    }

    fn entries(words: &[(&[u8], [i8; 3])]) -> Vec<u8> {
        let mut out = Vec::new();
        for (w, q) in words {
            out.push(w.len() as u8);
            out.extend_from_slice(w);
            out.extend(q.iter().map(|v| *v as u8));
        }
        out
    }

    #[test]
    fn parse_reads_what_push_builds() {
        let mut bytes = entries(&[(b"caf\xc3\xa9", [1, 2, 3]), (b"dog", [-4, 5, -6])]);
        bytes.extend_from_slice(b"rest");
        let (t, used) = WordTable::parse(&bytes, 2, 0).unwrap();
        assert_eq!(used, bytes.len() - 4);
        assert_eq!(t, table_of(&[("café", [1, 2, 3]), ("dog", [-4, 5, -6])]));
        assert_eq!(t.get("café"), Some(0));
    }

    fn table_of(words: &[(&str, [i8; 3])]) -> WordTable {
        let mut t = WordTable::default();
        for (w, q) in words {
            t.push(w, *q).unwrap();
        }
        t.finish();
        t
    }

    #[test]
    fn parse_refuses_bad_sections() {
        let ok = entries(&[(b"a", [0; 3]), (b"b", [0; 3])]);
        assert!(WordTable::parse(&ok, 2, 0).is_ok());
        // Cut off, too many words for the bytes, out of order, a duplicate.
        assert!(WordTable::parse(&ok[..ok.len() - 1], 2, 0).is_err());
        assert!(WordTable::parse(&ok, 3, 0).is_err());
        assert!(WordTable::parse(&entries(&[(b"b", [0; 3]), (b"a", [0; 3])]), 2, 0).is_err());
        assert!(WordTable::parse(&entries(&[(b"a", [0; 3]), (b"a", [0; 3])]), 2, 0).is_err());
        // Not UTF-8, and two halves of one character that would join into valid text.
        assert!(WordTable::parse(&entries(&[(b"\xff", [0; 3])]), 1, 0).is_err());
        let halves = entries(&[(b"\xc3", [0; 3]), (b"\xc3\xa9", [0; 3])]);
        assert!(WordTable::parse(&halves, 2, 0).is_err());
        let split = entries(&[(b"a\xc3", [0; 3]), (b"\xa9", [0; 3])]);
        assert!(WordTable::parse(&split, 2, 0).is_err());
    }

    #[test]
    fn empty_table_finds_nothing() {
        let t = WordTable::default();
        assert_eq!(t.get("x"), None);
        assert_eq!(t.word(0), "");
        let mut t = table(&[]);
        t.finish();
        assert_eq!(t.get("x"), None);
    }
}
