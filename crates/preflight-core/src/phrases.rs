//! Phrase lists matched on stems.
//!
//! A draft's tokens become a stream of slots (a stem and a normalised word per token). Every phrase list of a
//! bundle goes into one [`PhraseIndex`], searched once per draft. Each term is compiled to
//! the stems of its words. Every term starts at a slot: each slot's stem is looked up in a
//! hash table of the terms' first stems (terms that start with a wildcard word are looked up
//! by the prefixes of the slot's normalised word), and every candidate is then verified token
//! by token. There is no automaton to build, so loading a bundle and its first draft cost
//! nothing beyond the table.
//!
//! Slots: words, numbers, mentions (`@handle`), hashtags (`#body`), and the words a hashtag
//! hides (a one-word hashtag contributes its stemmed body as an extra slot). URLs, e-mail
//! addresses and emoji are not slots, and punctuation is not a token, so `chip, in` matches
//! `chip in`.

use std::borrow::Cow;
use std::hash::BuildHasher;
use std::ops::Range;

use rustc_hash::{FxBuildHasher, FxHashMap};

use crate::byte_pairs::BytePairs;
use crate::text::{Token, TokenKind, Tokenizer};

/// One word of a compiled term.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Word {
    /// Exact stem (or `#body` / `@handle`).
    Stem(String),
    /// Normalised prefix (`fundrais*`).
    Prefix(String),
}

#[derive(Debug, Clone, PartialEq)]
struct Term {
    words: Vec<Word>,
    /// The list the term belongs to.
    owner: usize,
    /// Index of the term in its list.
    index: usize,
}

/// A slot of the stream: its stem and normalised word (borrowed from the token but for a
/// hashtag's), and the token's span.
#[derive(Debug, Clone)]
pub(crate) struct Slot<'t> {
    stem: Cow<'t, str>,
    norm: Cow<'t, str>,
    pub span: Range<usize>,
}

/// The slots of one draft, built once per analysis and shared by every phrase list.
#[derive(Debug, Default)]
pub(crate) struct Stream<'t> {
    pub slots: Vec<Slot<'t>>,
}

impl<'t> Stream<'t> {
    pub fn new(tokenizer: &Tokenizer, tokens: &'t [Token<'_>]) -> Self {
        let mut slots = Vec::with_capacity(tokens.len());
        for (i, t) in tokens.iter().enumerate() {
            match t.kind {
                TokenKind::Url | TokenKind::Email | TokenKind::Emoji => {}
                TokenKind::Hashtag => {
                    let tag = format!("#{}", t.stem.as_str());
                    slots.push(Slot {
                        stem: Cow::Owned(tag.clone()),
                        norm: Cow::Owned(tag),
                        span: t.span.clone(),
                    });
                    let has_parts = tokens.get(i + 1).is_some_and(|n| n.in_hashtag);
                    if !has_parts {
                        slots.push(Slot {
                            stem: Cow::Owned(tokenizer.stem_word(&t.stem)),
                            norm: Cow::Borrowed(t.stem.as_str()),
                            span: t.span.clone(),
                        });
                    }
                }
                _ => slots.push(Slot {
                    stem: Cow::Borrowed(t.stem.as_str()),
                    norm: Cow::Borrowed(t.norm.as_str()),
                    span: t.span.clone(),
                }),
            }
        }
        Stream { slots }
    }
}

impl Slot<'_> {
    pub(crate) fn stem(&self) -> &str {
        &self.stem
    }

    pub(crate) fn norm(&self) -> &str {
        &self.norm
    }
}

/// A match of one term: the term's index and the slots it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PhraseMatch {
    pub term: usize,
    pub slots: Range<usize>,
    /// Byte span from the first to the last matched token.
    pub span: Range<usize>,
}

/// A handle on one phrase list inside a [`PhraseIndex`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PhraseSet {
    owner: usize,
}

/// Why a term could not be compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TermError {
    pub index: usize,
    pub message: String,
}

/// Compile one term into words.
fn compile_term(tokenizer: &Tokenizer, term: &str) -> Result<Vec<Word>, String> {
    let mut words = Vec::new();
    for raw in term.split_whitespace() {
        let norm = Tokenizer::normalize(raw);
        if let Some(prefix) = norm.strip_suffix('*') {
            // `#vote*` keeps its sigil: it matches hashtags only (as `#body` in the norm stream).
            let prefix = prefix
                .trim_start_matches(|c: char| !(c.is_alphanumeric() || matches!(c, '#' | '@')))
                .trim_end_matches(|c: char| !c.is_alphanumeric());
            let prefix = match prefix.strip_prefix('＃') {
                Some(rest) => format!("#{rest}"),
                None => prefix.to_string(),
            };
            let letters = prefix.trim_start_matches(['#', '@']);
            if letters.is_empty() || letters.contains('*') {
                return Err(format!(
                    "wildcard word {raw:?} needs letters before its single trailing '*'"
                ));
            }
            words.push(Word::Prefix(prefix));
        } else if norm.contains('*') {
            return Err(format!(
                "'*' is only allowed at the end of a word, found in {raw:?}"
            ));
        } else if let Some(tag) = norm.strip_prefix(['#', '＃']) {
            words.push(Word::Stem(format!("#{tag}")));
        } else if norm.starts_with('@') {
            words.push(Word::Stem(norm));
        } else if norm.chars().all(char::is_alphabetic) {
            words.push(Word::Stem(tokenizer.stem_word(&norm)));
        } else {
            // A term word may hold several tokens ("don't", "e-mail", "U.S."): stem each.
            words.extend(
                tokenizer
                    .tokenize(raw)
                    .into_iter()
                    .map(|t| Word::Stem(t.stem.into_string())),
            );
        }
    }
    if words.is_empty() {
        return Err(format!("term {term:?} has no words"));
    }
    Ok(words)
}

/// The compiled words of the embedded default bundle's terms, computed by `build.rs` (see
/// there for the format): loading that bundle takes them from here instead of stemming each
/// term again. `tests::default_bundle_digest_is_what_load_computes` checks every entry.
pub(crate) static DEFAULT_BUNDLE_DIGEST: &str =
    include_str!(concat!(env!("OUT_DIR"), "/phrase-digest.txt"));

/// The compiled words of `term` from its digest entry; `None` when the entry does not give
/// them (`?`: compiled at load) or does not fit the term.
fn digest_words(term: &str, entry: &str) -> Option<Vec<Word>> {
    if entry == "?" || !term.is_ascii() {
        return None;
    }
    let mut codes = entry.split(' ');
    let mut words = Vec::new();
    for raw in term.split_whitespace() {
        let code = codes.next()?;
        let mut lower = raw.to_ascii_lowercase();
        words.push(if code.is_empty() {
            match lower.strip_suffix('*') {
                Some(prefix) => Word::Prefix(prefix.to_string()),
                None => Word::Stem(lower),
            }
        } else if let Ok(cut) = code.parse::<usize>() {
            lower.truncate(lower.len().checked_sub(cut)?);
            Word::Stem(lower)
        } else {
            Word::Stem(code.to_string())
        });
    }
    (codes.next().is_none() && !words.is_empty()).then_some(words)
}

/// Collects every phrase list of a bundle, to be searched in one pass.
pub(crate) struct PhraseIndexBuilder<'t> {
    tokenizer: &'t Tokenizer,
    terms: Vec<Term>,
    owners: usize,
}

impl<'t> PhraseIndexBuilder<'t> {
    pub fn new(tokenizer: &'t Tokenizer) -> Self {
        Self {
            tokenizer,
            terms: Vec::new(),
            owners: 0,
        }
    }

    /// Add one phrase list. Every bad term is reported.
    #[cfg(test)]
    pub fn add<S: AsRef<str>>(&mut self, terms: &[S]) -> Result<PhraseSet, Vec<TermError>> {
        self.add_digested(terms, None)
    }

    /// [`PhraseIndexBuilder::add`], with the terms' compiled words taken from `digest` (a
    /// list's field of [`DEFAULT_BUNDLE_DIGEST`]) where it has them.
    pub fn add_digested<S: AsRef<str>>(
        &mut self,
        terms: &[S],
        digest: Option<&str>,
    ) -> Result<PhraseSet, Vec<TermError>> {
        let owner = self.owners;
        let mut compiled = Vec::with_capacity(terms.len());
        let mut errors = Vec::new();
        let mut entries = digest.map(|d| d.split('|'));
        if entries
            .as_ref()
            .is_some_and(|e| e.clone().count() != terms.len())
        {
            entries = None;
        }
        for (index, term) in terms.iter().enumerate() {
            let entry = entries.as_mut().and_then(Iterator::next);
            let words = match entry.and_then(|e| digest_words(term.as_ref(), e)) {
                Some(words) => Ok(words),
                None => compile_term(self.tokenizer, term.as_ref()),
            };
            match words {
                Ok(words) => compiled.push(Term {
                    words,
                    owner,
                    index,
                }),
                Err(message) => errors.push(TermError { index, message }),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        self.owners += 1;
        self.terms.extend(compiled);
        Ok(PhraseSet { owner })
    }

    /// Build the lookup tables.
    pub fn build(self) -> PhraseIndex {
        let mut by_stems: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
        let mut by_prefix: FxHashMap<String, Vec<u32>> = FxHashMap::default();
        for (pos, term) in self.terms.iter().enumerate() {
            let pos = pos as u32;
            match &term.words[..] {
                [Word::Prefix(p), ..] => by_prefix.entry(p.clone()).or_default().push(pos),
                [Word::Stem(a), Word::Stem(b), ..] => by_stems
                    .entry(pair_key(stem_hash(a), stem_hash(b)))
                    .or_default()
                    .push(pos),
                [Word::Stem(a), ..] => by_stems.entry(stem_hash(a)).or_default().push(pos),
                [] => {}
            }
        }
        let mut prefix_lens: Vec<usize> = by_prefix.keys().map(String::len).collect();
        prefix_lens.sort_unstable();
        prefix_lens.dedup();
        let mut prefix_starts = BytePairs::new();
        for p in by_prefix.keys().map(String::as_bytes) {
            match p {
                [] => prefix_starts.insert_all(),
                [a] => prefix_starts.insert_first(*a),
                [a, b, ..] => prefix_starts.insert(*a, *b),
            }
        }
        PhraseIndex {
            terms: self.terms,
            by_stems,
            by_prefix,
            prefix_lens,
            prefix_starts,
        }
    }
}

/// Hash of one stem, for [`PhraseIndex`]'s table.
fn stem_hash(stem: &str) -> u64 {
    FxBuildHasher.hash_one(stem)
}

/// Key of a term starting with two stems: it differs from any one stem's key but for a
/// collision, which [`verify`] rules out like any other false candidate.
fn pair_key(first: u64, second: u64) -> u64 {
    first.rotate_left(29).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ second
}

/// Every phrase list of a bundle, searched in one pass over a draft.
#[derive(Debug, Clone)]
pub(crate) struct PhraseIndex {
    terms: Vec<Term>,
    /// Terms (positions in `terms`) by the hash of their first stem, or by [`pair_key`] of
    /// their first two stems: keying on two words keeps a common first word ("my", "the")
    /// from making every term it starts a candidate.
    by_stems: FxHashMap<u64, Vec<u32>>,
    /// Terms starting with a wildcard word, by its prefix.
    by_prefix: FxHashMap<String, Vec<u32>>,
    /// The distinct byte lengths of the keys of `by_prefix`, ascending.
    prefix_lens: Vec<usize>,
    /// The first two bytes of the keys of `by_prefix` (a one-byte key: every pair starting
    /// with it; a one-byte word pairs with 0): most words start with none and skip the lookups.
    prefix_starts: BytePairs,
}

/// The matches of every phrase list in one draft.
#[derive(Debug, Default)]
pub(crate) struct Found {
    /// Every match, by list and then by position; `owners[i]` is the list of `matches[i]`.
    /// Flat: a draft matches few terms, and a vector per list cost more than finding them.
    matches: Vec<PhraseMatch>,
    owners: Vec<usize>,
}

impl Found {
    /// Matches of one list, sorted by position.
    pub fn of(&self, set: PhraseSet) -> &[PhraseMatch] {
        let from = self.owners.partition_point(|&o| o < set.owner);
        let to = self.owners.partition_point(|&o| o <= set.owner);
        &self.matches[from..to]
    }
}

impl PhraseIndex {
    /// Every match in the stream, per list.
    pub fn find(&self, stream: &Stream) -> Found {
        let mut found: Vec<(usize, PhraseMatch)> = Vec::new();
        let mut push = |pos: u32, first: usize| {
            let term = &self.terms[pos as usize];
            if let Some(m) = verify(stream, term, first) {
                found.push((term.owner, m));
            }
        };
        let hashes: Vec<u64> = stream
            .slots
            .iter()
            .map(|slot| stem_hash(slot.stem()))
            .collect();
        for (i, slot) in stream.slots.iter().enumerate() {
            let keys = [
                Some(hashes[i]),
                hashes.get(i + 1).map(|&h| pair_key(hashes[i], h)),
            ];
            for key in keys.into_iter().flatten() {
                if let Some(terms) = self.by_stems.get(&key) {
                    terms.iter().for_each(|&pos| push(pos, i));
                }
            }
            if self.prefix_lens.is_empty() {
                continue;
            }
            // A wildcard first word matches the start of the normalised word.
            let norm = slot.norm();
            if let [a, rest @ ..] = norm.as_bytes() {
                if !self
                    .prefix_starts
                    .contains(*a, rest.first().copied().unwrap_or(0))
                {
                    continue;
                }
            }
            for &len in self
                .prefix_lens
                .iter()
                .take_while(|&&len| len <= norm.len())
            {
                if let Some(terms) = norm.get(..len).and_then(|p| self.by_prefix.get(p)) {
                    terms.iter().for_each(|&pos| push(pos, i));
                }
            }
        }
        if found.len() > 1 {
            found.sort_by_key(|(o, m)| (*o, m.span.start, m.span.end, m.term, m.slots.start));
            found.dedup();
        }
        let (owners, matches) = found.into_iter().unzip();
        Found { matches, owners }
    }
}

fn verify(stream: &Stream, term: &Term, first: usize) -> Option<PhraseMatch> {
    let end = first + term.words.len();
    let slots = stream.slots.get(first..end)?;
    let ok = term.words.iter().zip(slots).all(|(w, slot)| match w {
        Word::Stem(s) => slot.stem() == s,
        Word::Prefix(p) => {
            slot.norm().starts_with(p.as_str()) || slot.stem().starts_with(p.as_str())
        }
    });
    ok.then(|| PhraseMatch {
        term: term.index,
        slots: first..end,
        span: slots[0].span.start..slots[slots.len() - 1].span.end,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(terms: &[&str], text: &str) -> Vec<(usize, String)> {
        let tk = Tokenizer::new("en").unwrap();
        let mut b = PhraseIndexBuilder::new(&tk);
        let _other = b.add(&["unrelated words", "claim*"]).unwrap();
        let set = b.add(terms).unwrap();
        let index = b.build();
        let toks = tk.tokenize(text);
        let stream = Stream::new(&tk, &toks);
        let found = index.find(&stream);
        found
            .of(set)
            .iter()
            .map(|m| (m.term, text[m.span.clone()].to_string()))
            .collect()
    }

    #[test]
    fn matches_on_stems_across_inflections_and_punctuation() {
        assert_eq!(
            matches(&["donate to my campaign"], "Donating, to my campaigns!"),
            vec![(0, "Donating, to my campaigns".into())]
        );
        assert_eq!(
            matches(&["chip in"], "please CHIP IN today"),
            vec![(0, "CHIP IN".into())]
        );
        assert!(matches(&["chip in"], "chipping away in").is_empty());
    }

    #[test]
    fn wildcards_match_prefixes_anywhere_in_a_term() {
        assert_eq!(
            matches(&["fundrais*"], "our fundraiser"),
            vec![(0, "fundraiser".into())]
        );
        assert_eq!(
            matches(&["contribut* to campaign"], "Contributions to campaign"),
            vec![(0, "Contributions to campaign".into())]
        );
        assert_eq!(
            matches(&["give to campaign*"], "give to campaigning"),
            vec![(0, "give to campaigning".into())]
        );
    }

    #[test]
    fn hashtag_wildcards_match_hashtags_only() {
        assert_eq!(
            matches(&["#vote*"], "#VoteBlue and vote"),
            vec![(0, "#VoteBlue".into())]
        );
    }

    #[test]
    fn hashtags_and_mentions() {
        assert_eq!(matches(&["#maga"], "go #MAGA"), vec![(0, "#MAGA".into())]);
        assert_eq!(matches(&["maga"], "go #MAGA"), vec![(0, "#MAGA".into())]);
        assert_eq!(
            matches(&["climate action"], "#ClimateAction now"),
            vec![(0, "Climate".to_string() + "Action")]
        );
        assert_eq!(
            matches(&["@deptpublicsvc"], "thanks @DeptPublicSvc!"),
            vec![(0, "@DeptPublicSvc".into())]
        );
    }

    #[test]
    fn whole_words_only() {
        assert!(matches(&["ass"], "a classic assessment").is_empty());
        assert_eq!(matches(&["ass"], "what an ass"), vec![(0, "ass".into())]);
    }

    /// Every entry of the build-time digest is what compiling its term computes, and the
    /// digest covers nearly every term of the default bundle.
    #[test]
    fn default_bundle_digest_is_what_load_computes() {
        use crate::{Bundle, Matcher};
        let bundle: Bundle = serde_json::from_str(crate::DEFAULT_BUNDLE_JSON).unwrap();
        let tk = Tokenizer::new(&bundle.metadata.language).unwrap();
        let lines: Vec<&str> = DEFAULT_BUNDLE_DIGEST.lines().collect();
        assert_eq!(lines.len(), bundle.rules.len());
        let (mut digested, mut total) = (0, 0);
        for (rule, line) in bundle.rules.iter().zip(lines) {
            let Matcher::Phrases(p) = &rule.matcher else {
                assert_eq!(line, "", "{}", rule.id);
                continue;
            };
            let (terms, except) = line.split_once('\t').unwrap();
            for (list, field) in [(&p.terms, terms), (&p.except, except)] {
                let entries: Vec<&str> = field.split('|').collect();
                assert_eq!(entries.len(), list.len().max(1), "{}", rule.id);
                for (term, entry) in list.iter().zip(entries) {
                    total += 1;
                    if let Some(words) = digest_words(term, entry) {
                        digested += 1;
                        assert_eq!(words, compile_term(&tk, term).unwrap(), "{term}");
                    } else {
                        assert_eq!(entry, "?", "{term}");
                    }
                }
            }
        }
        assert!(
            digested * 10 >= total * 9,
            "{digested} of {total} terms digested"
        );
        // A wrong count of entries is ignored: every term is compiled.
        let mut b = PhraseIndexBuilder::new(&tk);
        b.add_digested(&["running late"], Some("x|y")).unwrap();
        // So is an entry that does not fit its term.
        b.add_digested(&["running late"], Some("3")).unwrap();
        for t in &b.terms {
            assert_eq!(t.words, compile_term(&tk, "running late").unwrap());
        }
    }

    #[test]
    fn bad_terms_are_reported() {
        let tk = Tokenizer::new("en").unwrap();
        let err = PhraseIndexBuilder::new(&tk)
            .add(&["ok", "b*d", "*", "  "])
            .unwrap_err();
        assert_eq!(
            err.iter().map(|e| e.index).collect::<Vec<_>>(),
            vec![1, 2, 3]
        );
    }

    /// The lookup tables find exactly what trying every term at every slot finds: a first
    /// stem equal to the slot's stem, or a first wildcard prefix of the slot's normalised word,
    /// then [`verify`].
    #[test]
    fn lookup_finds_what_trying_every_term_at_every_slot_finds() {
        let tk = Tokenizer::new("en").unwrap();
        // Pieces end with a space or punctuation: `Rng::string` joins them as they are.
        let words = [
            "run ",
            "running ",
            "runner, ",
            "vote ",
            "votes ",
            "voting! ",
            "for ",
            "me ",
            "#vote ",
            "#VoteForMe ",
            "#voteforme ",
            "@jane ",
            "campaign ",
            "campaigns. ",
            "chip ",
            "in ",
            "donate ",
            "donations ",
            "the ",
            "a ",
            "Fund ",
            "fundraiser ",
            "U.S. ",
            "e-mail ",
            "don't ",
            "café ",
            "naïve ",
            "2024 ",
            "https://x.gov/vote ",
            "🗳️ ",
        ];
        let term_words = [
            "run ",
            "running ",
            "vote ",
            "vote* ",
            "#vote ",
            "#vote* ",
            "@jane ",
            "campaign* ",
            "chip ",
            "in ",
            "donat* ",
            "fund* ",
            "the ",
            "for ",
            "me ",
            "u.s. ",
            "e-mail ",
            "don't ",
            "caf* ",
            "café ",
            "r* ",
            "2024 ",
        ];
        let mut rng = crate::testing::Rng(0x9e37_79b9);
        for round in 0..300 {
            let mut b = PhraseIndexBuilder::new(&tk);
            let mut lists = Vec::new();
            for _ in 0..3 {
                let terms: Vec<String> = (0..1 + rng.next() % 6)
                    .map(|_| {
                        rng.next();
                        let mut t = rng.string(&term_words, 4);
                        if t.trim().is_empty() {
                            t = "vote".into();
                        }
                        t
                    })
                    .collect();
                lists.push((b.add(&terms).unwrap(), terms.len()));
            }
            let terms = b.terms.clone();
            let index = b.build();
            for _ in 0..10 {
                rng.next();
                let text = rng.string(&words, 12);
                let toks = tk.tokenize(&text);
                let stream = Stream::new(&tk, &toks);
                let found = index.find(&stream);
                for (set, _) in &lists {
                    let mut want: Vec<PhraseMatch> = Vec::new();
                    for (i, slot) in stream.slots.iter().enumerate() {
                        for term in terms.iter().filter(|t| t.owner == set.owner) {
                            let first = match &term.words[0] {
                                Word::Stem(s) => slot.stem() == s,
                                Word::Prefix(p) => slot.norm().starts_with(p.as_str()),
                            };
                            if let Some(m) = first.then(|| verify(&stream, term, i)).flatten() {
                                want.push(m);
                            }
                        }
                    }
                    want.sort_by_key(|m| (m.span.start, m.span.end, m.term, m.slots.start));
                    want.dedup();
                    assert_eq!(found.of(*set), want, "round {round}: {text:?}");
                }
            }
        }
    }
}
