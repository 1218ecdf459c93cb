//! One draft as acts read it: the phrase stream's slots cut into sentences, each lexicon's
//! matches, and small readings of single words (capitalised names, clock times, past tense).
//! Built only when a cue of some act or fact is in the draft.

use std::ops::Range;

use super::lexicon::Lex;
use crate::phrases::{PhraseMatch, Slot};

/// A lexicon match: the slots it covers.
pub(crate) type Hit = Range<usize>;

/// The lexicon matches of one draft (built-in terms, plus a rule's own lexicon words).
#[derive(Debug, Clone)]
pub(crate) struct Hits {
    /// Per lexicon; most are empty, and an empty `Vec` allocates nothing.
    per: [Vec<Hit>; Lex::COUNT],
}

impl Hits {
    pub fn new() -> Self {
        Self {
            per: std::array::from_fn(|_| Vec::new()),
        }
    }

    pub fn add(&mut self, lex: Lex, matches: &[PhraseMatch]) {
        // A hit inside another of the same lexicon is the same cue ("recommend" in "highly
        // recommend", "delete" twice for "delete" and "deleting"): keep the outer one.
        let v = &mut self.per[lex as usize];
        for m in matches {
            let h = m.slots.clone();
            if v.iter().any(|k| k.start <= h.start && h.end <= k.end) {
                continue;
            }
            v.retain(|k| !(h.start <= k.start && k.end <= h.end));
            v.push(h);
        }
    }

    pub fn of(&self, lex: Lex) -> &[Hit] {
        &self.per[lex as usize]
    }

    pub fn any(&self, lex: Lex) -> bool {
        !self.per[lex as usize].is_empty()
    }
}

/// The draft's slots and sentences.
pub(crate) struct Scene<'a> {
    pub text: &'a str,
    pub slots: &'a [Slot<'a>],
    /// Sentence of each slot.
    sentence: Vec<u32>,
    /// Slot range of each sentence.
    sentences: Vec<Range<usize>>,
}

/// `word` is one of the space-separated words of `list`. The acts' word lists are single
/// strings: a table of `&str` would cost the WebAssembly module a pointer and a length per word.
#[inline(never)]
pub(crate) fn listed(list: &str, word: &str) -> bool {
    !word.is_empty() && list.split(' ').any(|w| w == word)
}

/// Abbreviations whose period does not end a sentence.
const ABBREVIATIONS: &str =
    "mr mrs ms dr st jr sr vs no sen rep gov gen lt col capt sgt dept inc co corp ave blvd rd \
     mt ft u.s a.m p.m e.g i.e etc approx";

/// Words that make a capitalised name the government's, a title, or a date rather than a
/// business, product or person; laws and guidance are the government's too ("the Hatch Act",
/// "Privacy Act training").
const GOVERNMENT_WORDS: &str =
    "department dept agency bureau office administration service services commission \
     committee council congress senate house federal national government secretary director \
     administrator inspector general officer chief deputy assistant regional u.s us united \
     states state county city security id medicare medicaid park school elementary university \
     library monday tuesday wednesday thursday friday saturday sunday january february march \
     april may june july august september october november december gao irs fda epa dps act \
     law guidance regulation amendment";

impl<'a> Scene<'a> {
    pub fn new(text: &'a str, slots: &'a [Slot<'a>]) -> Self {
        let mut sentence = Vec::with_capacity(slots.len());
        let mut sentences = Vec::new();
        let mut start = 0;
        for i in 0..slots.len() {
            if i > 0 && ends_sentence(text, &slots[i - 1], &slots[i]) {
                sentences.push(start..i);
                start = i;
            }
            sentence.push(sentences.len() as u32);
        }
        sentences.push(start..slots.len());
        Self {
            text,
            slots,
            sentence,
            sentences,
        }
    }

    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// Sentence index of a slot.
    pub fn sentence_of(&self, slot: usize) -> usize {
        self.sentence.get(slot).map_or(0, |&s| s as usize)
    }

    /// Slots of sentences `from..=to` (clamped).
    pub fn sentences(&self, from: usize, to: usize) -> Range<usize> {
        let last = self.sentences.len().saturating_sub(1);
        let (from, to) = (from.min(last), to.min(last));
        self.sentences[from].start..self.sentences[to].end
    }

    /// The slots of the sentence of `slot`.
    pub fn sentence(&self, slot: usize) -> Range<usize> {
        let s = self.sentence_of(slot);
        self.sentences(s, s)
    }

    /// The sentence of `slot` with `before` sentences before it and `after` after it.
    pub fn window(&self, slot: usize, before: usize, after: usize) -> Range<usize> {
        let s = self.sentence_of(slot);
        self.sentences(s.saturating_sub(before), s + after)
    }

    pub fn stem(&self, slot: usize) -> &str {
        self.slots.get(slot).map_or("", |s| s.stem())
    }

    pub fn norm(&self, slot: usize) -> &str {
        self.slots.get(slot).map_or("", |s| s.norm())
    }

    /// The slot's text as written.
    pub fn raw(&self, slot: usize) -> &str {
        self.slots
            .get(slot)
            .and_then(|s| self.text.get(s.span.clone()))
            .unwrap_or("")
    }

    /// Byte span of slots `r` (empty range: empty span at its start).
    pub fn span(&self, r: Range<usize>) -> Range<usize> {
        match (
            self.slots.get(r.start),
            r.end.checked_sub(1).and_then(|e| self.slots.get(e)),
        ) {
            (Some(a), Some(b)) if r.end > r.start => a.span.start..b.span.end,
            _ => 0..0,
        }
    }

    /// The slot is written with a capital first letter.
    pub fn is_capitalised(&self, slot: usize) -> bool {
        self.raw(slot)
            .chars()
            .next()
            .is_some_and(char::is_uppercase)
    }

    /// The slot opens its sentence.
    pub fn starts_sentence(&self, slot: usize) -> bool {
        self.sentence(slot).start == slot
    }

    /// A clock time: `7:15`, `0800`, `9` or `10` followed by am/pm or preceded by "at"/"by".
    pub fn is_clock(&self, slot: usize) -> bool {
        let raw = self.raw(slot);
        let digits = raw.bytes().all(|b| b.is_ascii_digit() || b == b':');
        if raw.is_empty() || !digits || !raw.as_bytes()[0].is_ascii_digit() {
            return false;
        }
        // "7:15" is two number slots with a colon between them in the text.
        let colon_after = self
            .slots
            .get(slot + 1)
            .is_some_and(|n| self.text.get(self.slots[slot].span.end..n.span.start) == Some(":"));
        let military = raw.len() == 4 && raw.starts_with(['0', '1', '2']);
        let next = self.norm(slot + 1);
        let prev = slot.checked_sub(1).map_or("", |p| self.norm(p));
        colon_after
            || military
            || matches!(next, "am" | "pm" | "a.m" | "p.m" | "o'clock")
            || (raw.len() <= 2 && matches!(prev, "at" | "by" | "until" | "till"))
    }

    /// Only spaces stand between slots `a` and `b`.
    pub fn joined(&self, a: usize, b: usize) -> bool {
        match (self.slots.get(a), self.slots.get(b)) {
            (Some(x), Some(y)) => self
                .text
                .get(x.span.end..y.span.start)
                .is_some_and(|g| g.chars().all(|c| c == ' ')),
            _ => false,
        }
    }

    /// A name: capitalised words starting at `slot` (not "I", not a sentence's first word unless
    /// another capitalised word follows), joined by "of"/"the"/"and"/"&". Returns their slots.
    pub fn proper_name(&self, slot: usize) -> Option<Range<usize>> {
        let mut end = slot;
        let mut k = slot;
        while k < self.len() && self.sentence_of(k) == self.sentence_of(slot) {
            // A name does not run across punctuation ("Director of Public Affairs: Pixel").
            if k > slot && !self.joined(k - 1, k) {
                break;
            }
            let raw = self.raw(k);
            if self.is_capitalised(k) && raw != "I" && !raw.starts_with(['#', '@']) {
                k += 1;
                end = k;
            } else if k > slot && matches!(self.norm(k), "of" | "the" | "and" | "for") {
                k += 1;
            } else {
                break;
            }
            if end - slot >= 6 {
                break;
            }
        }
        if end == slot {
            return None;
        }
        if self.starts_sentence(slot) && end - slot == 1 {
            return None;
        }
        Some(slot..end)
    }

    /// The names inside `within`, left to right (each starts after the previous one ends).
    pub fn names_in(&self, within: &Range<usize>) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let mut k = within.start;
        while k < within.end.min(self.len()) {
            match self.proper_name(k) {
                Some(r) => {
                    k = r.end;
                    out.push(r.start..r.end.min(within.end));
                }
                None => k += 1,
            }
        }
        out
    }

    /// A name that is not the government's own (no "Department", "Agency", "Secretary",
    /// "National"...) nor a day or month: a business, product or person.
    pub fn is_private_name(&self, name: &Range<usize>) -> bool {
        let after = self.text.get(self.span(name.clone()).end..).unwrap_or("");
        // "Login.gov", "Recreation.gov": the government's own sites.
        let site = after.starts_with(".gov") || after.starts_with(".mil");
        !site && !name.clone().any(|k| listed(GOVERNMENT_WORDS, self.norm(k)))
    }

    /// First hit of `lex` inside `within`.
    pub fn first_in<'h>(&self, hits: &'h Hits, lex: Lex, within: &Range<usize>) -> Option<&'h Hit> {
        hits.of(lex)
            .iter()
            .find(|h| h.start >= within.start && h.end <= within.end)
    }

    /// Some hit of `lex` inside `within`.
    pub fn has_in(&self, hits: &Hits, lex: Lex, within: &Range<usize>) -> bool {
        self.first_in(hits, lex, within).is_some()
    }

    /// A negation just before `slot` ("not", "never", "don't", "does not").
    pub fn negated(&self, slot: usize) -> bool {
        (slot.saturating_sub(3)..slot)
            .filter(|&k| self.sentence_of(k) == self.sentence_of(slot))
            .any(|k| {
                let n = self.norm(k);
                // "No, just delete it": an interjection, not a negation.
                let interjection = n == "no" && !self.joined(k, k + 1);
                (matches!(n, "not" | "never" | "no" | "nor") && !interjection) || n.ends_with("n't")
            })
    }

    /// The slot is a past-tense or participle form (`landed`, `visited`, `deleted`).
    pub fn is_past(&self, slot: usize) -> bool {
        let n = self.norm(slot);
        n.len() > 4 && n.ends_with("ed") && self.stem(slot) != n
    }
}

/// Sentence boundary between two consecutive slots: `!`, `?`, a line break, `;`, or a period
/// followed by a space that does not close an abbreviation or an initial.
fn ends_sentence(text: &str, prev: &Slot, next: &Slot) -> bool {
    let Some(gap) = text.get(prev.span.end..next.span.start) else {
        return false;
    };
    if gap.contains(['!', '?', '\n', ';', '…']) {
        return true;
    }
    let Some(dot) = gap.find('.') else {
        return false;
    };
    if !gap[dot..].contains(char::is_whitespace) {
        return false;
    }
    let word = prev.norm();
    let initial = word.chars().count() == 1 && word.chars().all(char::is_alphabetic);
    !(initial || listed(ABBREVIATIONS, word))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::phrases::Stream;
    use crate::Tokenizer;

    fn sentences(text: &str) -> Vec<String> {
        let tk = Tokenizer::new("en").unwrap();
        let toks = tk.tokenize(text);
        let stream = Stream::new(&tk, &toks);
        let scene = Scene::new(text, &stream.slots);
        scene
            .sentences
            .iter()
            .map(|r| text[scene.span(r.clone())].to_string())
            .collect()
    }

    #[test]
    fn sentences_end_at_stops_but_not_at_abbreviations() {
        assert_eq!(
            sentences("Ran at 9 a.m. with Dr. Lee at the U.S. Capitol. Then home! Ok"),
            vec![
                "Ran at 9 a.m. with Dr. Lee at the U.S. Capitol",
                "Then home",
                "Ok"
            ]
        );
        assert_eq!(
            sentences("one; two\nthree: four"),
            vec!["one", "two", "three: four"]
        );
    }

    #[test]
    fn clocks_and_names() {
        let tk = Tokenizer::new("en").unwrap();
        let text = "Boss lands at Dulles 7:15 tonight, then 0800 at Reagan National and 9 am.";
        let toks = tk.tokenize(text);
        let stream = Stream::new(&tk, &toks);
        let s = Scene::new(text, &stream.slots);
        let clocks: Vec<&str> = (0..s.len())
            .filter(|&k| s.is_clock(k))
            .map(|k| s.raw(k))
            .collect();
        assert_eq!(clocks, vec!["7", "0800", "9"]);
        let dulles = (0..s.len()).find(|&k| s.raw(k) == "Dulles").unwrap();
        assert_eq!(s.proper_name(dulles), Some(dulles..dulles + 1));
        let reagan = (0..s.len()).find(|&k| s.raw(k) == "Reagan").unwrap();
        assert_eq!(s.proper_name(reagan), Some(reagan..reagan + 2));
        // A sentence's one capitalised first word is not a name.
        assert_eq!(s.proper_name(0), None);
    }
}
