//! Phrase lists matched on stems.
//!
//! A draft's tokens become a stream of slots (`" " + stem` per token). Each term is compiled to
//! the stems of its words; the part before the first wildcard word is searched with
//! Aho-Corasick over the stem stream (terms that start with a wildcard are searched over a
//! parallel stream of normalised words), and every candidate is then verified token by token.
//!
//! Slots: words, numbers, mentions (`@handle`), hashtags (`#body`), and the words a hashtag
//! hides (a one-word hashtag contributes its stemmed body as an extra slot). URLs, e-mail
//! addresses and emoji are not slots, and punctuation is not a token, so `chip, in` matches
//! `chip in`.

use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::text::{Token, TokenKind, Tokenizer};

/// One word of a compiled term.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Word {
    /// Exact stem (or `#body` / `@handle`).
    Stem(String),
    /// Normalised prefix (`fundrais*`).
    Prefix(String),
}

#[derive(Debug, Clone)]
struct Term {
    words: Vec<Word>,
    /// Index of the term in the list it came from.
    index: usize,
}

/// A slot of the stream: the token it comes from and its texts.
#[derive(Debug, Clone)]
pub(crate) struct Slot {
    pub stem: String,
    pub norm: String,
    pub span: Range<usize>,
}

/// The slot streams of one draft, built once per analysis and shared by every phrase set.
#[derive(Debug, Default)]
pub(crate) struct Stream {
    pub slots: Vec<Slot>,
    stems: String,
    norms: String,
    /// Start offset of each slot in `stems` / `norms`.
    stem_starts: Vec<usize>,
    norm_starts: Vec<usize>,
}

impl Stream {
    pub fn new(tokenizer: &Tokenizer, tokens: &[Token]) -> Self {
        let mut s = Stream::default();
        for (i, t) in tokens.iter().enumerate() {
            match t.kind {
                TokenKind::Url | TokenKind::Email | TokenKind::Emoji => {}
                TokenKind::Hashtag => {
                    let tag = format!("#{}", t.stem);
                    s.push(tag.clone(), tag, t.span.clone());
                    let has_parts = tokens.get(i + 1).is_some_and(|n| n.in_hashtag);
                    if !has_parts {
                        let stem = tokenizer.stem_word(&t.stem);
                        s.push(stem, t.stem.clone(), t.span.clone());
                    }
                }
                _ => s.push(t.stem.clone(), t.norm.clone(), t.span.clone()),
            }
        }
        s
    }

    fn push(&mut self, stem: String, norm: String, span: Range<usize>) {
        self.stem_starts.push(self.stems.len());
        self.stems.push(' ');
        self.stems.push_str(&stem);
        self.norm_starts.push(self.norms.len());
        self.norms.push(' ');
        self.norms.push_str(&norm);
        self.slots.push(Slot { stem, norm, span });
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

/// A compiled phrase list.
#[derive(Debug, Clone)]
pub(crate) struct PhraseSet {
    terms: Vec<Term>,
    /// Patterns over the stem stream, pattern id → term position in `terms`.
    stem_ac: Option<AhoCorasick>,
    stem_ids: Vec<usize>,
    norm_ac: Option<AhoCorasick>,
    norm_ids: Vec<usize>,
}

/// Why a term could not be compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TermError {
    pub index: usize,
    pub message: String,
}

/// Compile one term into words; `None` when it has no words.
fn compile_term(tokenizer: &Tokenizer, term: &str) -> Result<Vec<Word>, String> {
    let mut words = Vec::new();
    for raw in term.split_whitespace() {
        let norm = Tokenizer::normalize(raw);
        if let Some(prefix) = norm.strip_suffix('*') {
            let prefix = prefix.trim_matches(|c: char| !c.is_alphanumeric());
            if prefix.is_empty() || prefix.contains('*') {
                return Err(format!(
                    "wildcard word {raw:?} needs letters before its single trailing '*'"
                ));
            }
            words.push(Word::Prefix(prefix.to_string()));
        } else if norm.contains('*') {
            return Err(format!(
                "'*' is only allowed at the end of a word, found in {raw:?}"
            ));
        } else if let Some(tag) = norm.strip_prefix(['#', '＃']) {
            words.push(Word::Stem(format!("#{tag}")));
        } else if norm.starts_with('@') {
            words.push(Word::Stem(norm));
        } else {
            // A term word may hold several tokens ("don't", "e-mail"): stem each.
            let toks = tokenizer.tokenize(raw);
            if toks.is_empty() {
                continue;
            }
            for t in toks {
                words.push(Word::Stem(t.stem));
            }
        }
    }
    if words.is_empty() {
        return Err(format!("term {term:?} has no words"));
    }
    Ok(words)
}

impl PhraseSet {
    /// Compile `terms`. Every bad term is reported.
    pub fn new<S: AsRef<str>>(tokenizer: &Tokenizer, terms: &[S]) -> Result<Self, Vec<TermError>> {
        let mut compiled = Vec::with_capacity(terms.len());
        let mut errors = Vec::new();
        for (index, term) in terms.iter().enumerate() {
            match compile_term(tokenizer, term.as_ref()) {
                Ok(words) => compiled.push(Term { words, index }),
                Err(message) => errors.push(TermError { index, message }),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let (mut stem_pats, mut stem_ids, mut norm_pats, mut norm_ids) =
            (vec![], vec![], vec![], vec![]);
        for (pos, term) in compiled.iter().enumerate() {
            match &term.words[0] {
                Word::Prefix(p) => {
                    norm_pats.push(format!(" {p}"));
                    norm_ids.push(pos);
                }
                Word::Stem(_) => {
                    let mut pat = String::new();
                    for w in &term.words {
                        match w {
                            Word::Stem(s) => {
                                pat.push(' ');
                                pat.push_str(s);
                            }
                            Word::Prefix(_) => break,
                        }
                    }
                    stem_pats.push(pat);
                    stem_ids.push(pos);
                }
            }
        }
        let build = |pats: &[String]| -> Option<AhoCorasick> {
            if pats.is_empty() {
                return None;
            }
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .build(pats)
                .ok()
        };
        Ok(Self {
            stem_ac: build(&stem_pats),
            norm_ac: build(&norm_pats),
            terms: compiled,
            stem_ids,
            norm_ids,
        })
    }

    /// Every match in the stream, sorted by position.
    pub fn find(&self, stream: &Stream) -> Vec<PhraseMatch> {
        let mut out = Vec::new();
        if let Some(ac) = &self.stem_ac {
            for m in ac.find_overlapping_iter(&stream.stems) {
                let term = &self.terms[self.stem_ids[m.pattern().as_usize()]];
                if let Ok(slot) = stream.stem_starts.binary_search(&m.start()) {
                    self.verify(stream, term, slot, &mut out);
                }
            }
        }
        if let Some(ac) = &self.norm_ac {
            for m in ac.find_overlapping_iter(&stream.norms) {
                let term = &self.terms[self.norm_ids[m.pattern().as_usize()]];
                if let Ok(slot) = stream.norm_starts.binary_search(&m.start()) {
                    self.verify(stream, term, slot, &mut out);
                }
            }
        }
        out.sort_by(|a, b| {
            (a.span.start, a.span.end, a.term).cmp(&(b.span.start, b.span.end, b.term))
        });
        out.dedup();
        out
    }

    fn verify(&self, stream: &Stream, term: &Term, first: usize, out: &mut Vec<PhraseMatch>) {
        let end = first + term.words.len();
        if end > stream.slots.len() {
            return;
        }
        let ok = term
            .words
            .iter()
            .zip(&stream.slots[first..end])
            .all(|(w, slot)| match w {
                Word::Stem(s) => slot.stem == *s,
                Word::Prefix(p) => {
                    slot.norm.starts_with(p.as_str()) || slot.stem.starts_with(p.as_str())
                }
            });
        if ok {
            let span = stream.slots[first].span.start..stream.slots[end - 1].span.end;
            out.push(PhraseMatch {
                term: term.index,
                slots: first..end,
                span,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(terms: &[&str], text: &str) -> Vec<(usize, String)> {
        let tk = Tokenizer::new("en").unwrap();
        let set = PhraseSet::new(&tk, terms).unwrap();
        let toks = tk.tokenize(text);
        let stream = Stream::new(&tk, &toks);
        set.find(&stream)
            .into_iter()
            .map(|m| (m.term, text[m.span].to_string()))
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

    #[test]
    fn bad_terms_are_reported() {
        let tk = Tokenizer::new("en").unwrap();
        let err = PhraseSet::new(&tk, &["ok", "b*d", "*", "  "]).unwrap_err();
        assert_eq!(
            err.iter().map(|e| e.index).collect::<Vec<_>>(),
            vec![1, 2, 3]
        );
    }
}
