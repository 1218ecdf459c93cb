//! Bundle regexes compiled on first need.
//!
//! Building a `regex_lite::Regex` (Thompson NFA, literal prefilters, one-pass DFA) is most of a
//! bundle's load time in WebAssembly, where the first run of that code is in V8's baseline
//! tier. So at load each pattern is only *parsed* (regex-syntax, cheap), which is enough to:
//!
//! * reject a pattern that does not parse, with the `regex` crate's own message;
//! * reject a pattern that matches the empty draft (the same test as `re.is_match("")`, done
//!   on the syntax tree);
//! * compile eagerly the rare pattern that might exceed the compiled-size limit, so that error
//!   is still reported at load time (see [`SIZE_ESTIMATE_EAGER`]);
//! * extract the literals every match must start with (the *gate*): all gates of a bundle are
//!   looked for together, ASCII case-insensitively, in one pass per draft. A regex is
//!   compiled when a draft first contains one of its literals, and searched only then. A
//!   pattern without usable literals is compiled on the first draft.

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;
use regex_lite::{Regex, RegexBuilder};
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Class, ClassBytes, ClassBytesRange, Hir, HirKind, Look, Repetition};

use super::REGEX_SIZE_LIMIT;

/// Patterns whose size estimate ([`size_estimate`]) passes this are compiled at load, so a
/// pattern over [`REGEX_SIZE_LIMIT`] is reported there. The estimate counts UTF-8 bytes of
/// the classes and literals times repetitions; the compiled size is a small multiple of it,
/// and a test checks that every pattern that fails to compile is estimated above this bound.
pub(crate) const SIZE_ESTIMATE_EAGER: usize = 1 << 14;

/// A bundle regex: compiled on first use.
#[derive(Debug)]
pub(crate) struct LazyRegex {
    pattern: String,
    case_insensitive: bool,
    compiled: OnceLock<Result<Regex, String>>,
}

/// A parsed bundle regex, ready to be compiled lazily.
#[derive(Debug)]
pub(crate) struct Prepared {
    pub regex: LazyRegex,
    /// Literals (ASCII case folded where that is all they differ by) one of which starts
    /// every match; `None` when there is no such small set.
    pub gate: Option<Vec<Vec<u8>>>,
}

fn build(pattern: &str, case_insensitive: bool) -> Result<Regex, regex_lite::Error> {
    RegexBuilder::new(pattern)
        .case_insensitive(case_insensitive)
        .size_limit(REGEX_SIZE_LIMIT)
        .build()
}

impl LazyRegex {
    /// The compiled regex, or why it could not be compiled (only possible for a pattern
    /// that exceeds the size limit although its estimate said it would not).
    pub fn get(&self) -> Result<&Regex, &str> {
        self.compiled
            .get_or_init(|| {
                build(&self.pattern, self.case_insensitive)
                    .map_err(|e| crate::validate::regex_message(&e))
            })
            .as_ref()
            .map_err(String::as_str)
    }

    /// The compile error, if compiling was tried and failed.
    pub fn tried_error(&self) -> Option<&str> {
        self.compiled.get()?.as_ref().err().map(String::as_str)
    }

    /// Whether the pattern has been compiled (or tried).
    pub fn is_compiled(&self) -> bool {
        self.compiled.get().is_some()
    }
}

/// Parse and check a bundle pattern. The error is the message the engine reports at the
/// pattern's path.
pub(crate) fn prepare(pattern: &str, case_insensitive: bool) -> Result<Prepared, String> {
    let hir = regex_syntax::ParserBuilder::new()
        .case_insensitive(case_insensitive).unicode(false).utf8(false)
        .build()
        .parse(pattern)
        .map_err(|e| format!("invalid regex: {e}"))?;
    if matches_empty_draft(&hir) {
        return Err("pattern matches the empty string, so it would flag every draft".into());
    }
    let regex = LazyRegex {
        pattern: pattern.to_string(),
        case_insensitive,
        compiled: OnceLock::new(),
    };
    if size_estimate(&hir) > SIZE_ESTIMATE_EAGER {
        match build(pattern, case_insensitive) {
            Ok(re) => {
                let _ = regex.compiled.set(Ok(re));
            }
            Err(e) => return Err(crate::validate::regex_message(&e)),
        }
    }
    Ok(Prepared {
        gate: gate(&hir),
        regex,
    })
}

/// Whether the regex matches the empty haystack, i.e. `is_match("")`: every look-around is
/// decided at offset 0 of an empty text.
pub(crate) fn matches_empty_draft(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Empty => true,
        HirKind::Literal(_) | HirKind::Class(_) => false,
        HirKind::Look(look) => match look {
            Look::Start
            | Look::End
            | Look::StartLF
            | Look::EndLF
            | Look::StartCRLF
            | Look::EndCRLF
            | Look::WordAsciiNegate
            | Look::WordUnicodeNegate
            | Look::WordStartHalfAscii
            | Look::WordEndHalfAscii
            | Look::WordStartHalfUnicode
            | Look::WordEndHalfUnicode => true,
            Look::WordAscii
            | Look::WordUnicode
            | Look::WordStartAscii
            | Look::WordEndAscii
            | Look::WordStartUnicode
            | Look::WordEndUnicode => false,
        },
        HirKind::Repetition(r) => r.min == 0 || matches_empty_draft(&r.sub),
        HirKind::Capture(c) => matches_empty_draft(&c.sub),
        HirKind::Concat(subs) => subs.iter().all(matches_empty_draft),
        HirKind::Alternation(subs) => subs.iter().any(matches_empty_draft),
    }
}

/// A rough measure of the compiled size: bytes of literals and of the UTF-8 sequences of
/// class ranges,
/// multiplied out by repetitions.
pub(crate) fn size_estimate(hir: &Hir) -> usize {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => 1,
        HirKind::Literal(l) => l.0.len(),
        // A range compiles to about one UTF-8 sequence per encoded length it spans.
        HirKind::Class(Class::Unicode(c)) => c
            .ranges()
            .iter()
            .map(|r| {
                let (a, b) = (r.start().len_utf8(), r.end().len_utf8());
                b * (b - a + 1)
            })
            .sum::<usize>()
            .max(1),
        HirKind::Class(Class::Bytes(c)) => c.ranges().len().max(1),
        HirKind::Repetition(r) => {
            let copies = r.max.unwrap_or(r.min).max(r.min).saturating_add(1);
            size_estimate(&r.sub).saturating_mul(copies as usize)
        }
        HirKind::Capture(c) => size_estimate(&c.sub),
        HirKind::Concat(subs) | HirKind::Alternation(subs) => subs
            .iter()
            .fold(1usize, |n, s| n.saturating_add(size_estimate(s))),
    }
}

/// Largest class the gate extractor expands into literals.
const GATE_CLASS_MAX: usize = 8;

fn class_chars(c: &Class) -> usize {
    match c {
        Class::Unicode(c) => c
            .ranges()
            .iter()
            .map(|r| (r.end() as usize) - (r.start() as usize) + 1)
            .sum(),
        Class::Bytes(c) => c
            .ranges()
            .iter()
            .map(|r| usize::from(r.end() - r.start()) + 1)
            .sum(),
    }
}

/// Most literals a gate may hold (after case folding).
const GATE_MAX: usize = 64;

/// `hir` with every class that only holds the two ASCII cases of one letter (`[Aa]`, from
/// case-insensitive matching) replaced by the lower-case letter. Gates are matched ASCII
/// case-insensitively, so this keeps them sound (a match of `hir` is, up to ASCII case, a
/// match of the result) while the literal extractor no longer multiplies out case variants.
/// Classes with other members (`[Kk\u{212A}]`, `[Ssſ]`) stay classes.
fn fold_ascii_case(hir: &Hir) -> Hir {
    let letter = |chars: &mut dyn Iterator<Item = (u32, u32)>| -> Option<u8> {
        let (a, b) = (chars.next()?, chars.next()?);
        if chars.next().is_some() || a.0 != a.1 || b.0 != b.1 {
            return None;
        }
        let (upper, lower) = (u8::try_from(a.0).ok()?, u8::try_from(b.0).ok()?);
        (upper.is_ascii_uppercase() && upper.to_ascii_lowercase() == lower).then_some(lower)
    };
    // A class of more characters than the extractor expands gives no literal either way:
    // stand in a small one for it rather than copy a large Unicode class.
    let big = || {
        Hir::class(Class::Bytes(ClassBytes::new([ClassBytesRange::new(
            0, 255,
        )])))
    };
    match hir.kind() {
        HirKind::Class(c) if c.minimum_len().is_some() && class_chars(c) > GATE_CLASS_MAX => big(),
        HirKind::Class(Class::Unicode(c)) => {
            let mut it = c
                .ranges()
                .iter()
                .map(|r| (r.start() as u32, r.end() as u32));
            match letter(&mut it) {
                Some(l) => Hir::literal([l]),
                None => hir.clone(),
            }
        }
        HirKind::Class(Class::Bytes(c)) => {
            let mut it = c
                .ranges()
                .iter()
                .map(|r| (u32::from(r.start()), u32::from(r.end())));
            match letter(&mut it) {
                Some(l) => Hir::literal([l]),
                None => hir.clone(),
            }
        }
        HirKind::Empty | HirKind::Literal(_) | HirKind::Look(_) => hir.clone(),
        HirKind::Repetition(r) => Hir::repetition(Repetition {
            sub: Box::new(fold_ascii_case(&r.sub)),
            ..*r
        }),
        HirKind::Capture(c) => fold_ascii_case(&c.sub),
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(fold_ascii_case).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.iter().map(fold_ascii_case).collect()),
    }
}

/// The literals one of which starts every match, ASCII-lower-cased and reduced (a literal
/// that starts with another gate literal adds nothing). `None` when there is no such set or
/// it would not filter (an empty literal).
fn gate(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    let seq = Extractor::new()
        .kind(ExtractKind::Prefix)
        .limit_class(GATE_CLASS_MAX)
        .limit_repeat(2)
        .limit_literal_len(8)
        .limit_total(512)
        .extract(&fold_ascii_case(hir));
    let lits = seq.literals()?;
    let mut out: Vec<Vec<u8>> = lits
        .iter()
        .map(|l| l.as_bytes().to_ascii_lowercase())
        .collect();
    if out.iter().any(Vec::is_empty) {
        return None;
    }
    out.sort_unstable();
    out.dedup();
    // Sorted, a literal that starts with an earlier kept one directly follows it (or
    // another literal starting with it).
    let mut kept: Vec<Vec<u8>> = Vec::with_capacity(out.len());
    for l in out {
        if !kept.last().is_some_and(|k| l.starts_with(k)) {
            kept.push(l);
        }
    }
    (kept.len() <= GATE_MAX).then_some(kept)
}

/// Which gated regexes a draft may match: one Aho-Corasick pass over the draft for every gate
/// of the bundle, ASCII case-insensitively, with overlapping matches (so a literal inside or
/// across another is still seen). The automaton is built on the first search, as the phrase
/// automata are, so a bundle load pays nothing for it; the literals are few and short.
#[derive(Debug)]
pub(crate) struct Gates {
    /// Literals and the regex each gates.
    lits: Vec<(Vec<u8>, u32)>,
    /// Built on first use; `None` if it could not be built (every regex is then a candidate).
    automaton: OnceLock<Option<AhoCorasick>>,
    /// Regexes with a gate (the others are always searched).
    gated: Vec<bool>,
}

impl Gates {
    /// `gates[i]` is the gate of regex number `i`.
    pub fn new(gates: &[Option<Vec<Vec<u8>>>]) -> Self {
        let lits = gates
            .iter()
            .enumerate()
            .flat_map(|(i, gate)| {
                gate.iter()
                    .flatten()
                    .map(move |lit| (lit.clone(), i as u32))
            })
            .filter(|(lit, _)| !lit.is_empty())
            .collect();
        Gates {
            lits,
            automaton: OnceLock::new(),
            gated: gates.iter().map(Option::is_some).collect(),
        }
    }

    /// For each regex: may `text` hold a match? `skip[i]`: regex `i` need not be looked for.
    pub fn candidates(&self, text: &str, skip: &[bool]) -> Vec<bool> {
        let mut out: Vec<bool> = self.gated.iter().map(|g| !g).collect();
        let mut left = 0;
        for (o, s) in out.iter_mut().zip(skip) {
            if *s {
                *o = true;
            } else if !*o {
                left += 1;
            }
        }
        if left == 0 {
            return out;
        }
        let automaton = self.automaton.get_or_init(|| {
            AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(self.lits.iter().map(|(lit, _)| lit))
                .ok()
        });
        let Some(automaton) = automaton else {
            return vec![true; out.len()];
        };
        for m in automaton.find_overlapping_iter(text) {
            let o = self.lits[m.pattern().as_usize()].1 as usize;
            if !out[o] {
                out[o] = true;
                left -= 1;
                if left == 0 {
                    break;
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    impl Gates {
        pub(super) fn candidates_all(&self, text: &str) -> Vec<bool> {
            self.candidates(text, &vec![false; self.gated.len()])
        }
    }

    fn parse(p: &str, ci: bool) -> Hir {
        regex_syntax::ParserBuilder::new()
            .case_insensitive(ci)
            .build()
            .parse(p)
            .unwrap()
    }

    #[test]
    fn empty_draft_test_agrees_with_the_regex_crate() {
        let pats = [
            "a",
            "a*",
            "",
            "^",
            "$",
            "^$",
            r"\b",
            r"\B",
            r"(?-u:\b)",
            r"(?-u:\B)",
            r"\b{start}",
            r"\b{end}",
            r"\b{start-half}",
            r"\b{end-half}",
            r"(?m)^",
            r"(?Rm)$",
            "(?:a|)",
            "(?:a|b)+",
            "(?:a|b)?",
            r"\bfoo\b|x*",
            r"(a)(b?)",
            r"[a-z]{0,3}",
            r"[a-z]{1,3}",
            r"\w+|\B",
            r"(?:\b)+",
            r"(?:(?-u:\b)x)?",
            "(?i)k",
            r"[^\W\d_]*",
            r"[^\s\S]*",
        ];
        for p in pats {
            for ci in [false, true] {
                let re = RegexBuilder::new(p).case_insensitive(ci).build().unwrap();
                assert_eq!(
                    matches_empty_draft(&parse(p, ci)),
                    re.is_match(""),
                    "{p:?} (case insensitive: {ci})"
                );
            }
        }
    }

    #[test]
    fn every_pattern_too_big_to_compile_is_compiled_at_load() {
        for class in [
            r"\w",
            r"[a-z]",
            r"[^\W\d_]",
            r"(?i)[a-z]",
            "x",
            r"\d",
            r"[^\n]",
            ".",
        ] {
            for n in [1, 2, 5, 10, 20, 40, 80, 160, 320, 640, 1280] {
                let p = format!("{class}{{{n}}}");
                if build(&p, false).is_err() {
                    let est = size_estimate(&parse(&p, false));
                    assert!(est > SIZE_ESTIMATE_EAGER, "{p}: estimate {est}");
                    assert!(prepare(&p, false).is_err(), "{p}");
                }
            }
        }
        // The test in `validate` uses this one.
        assert!(prepare(r"\w{100}\w{100}\w{100}", false)
            .unwrap_err()
            .contains("invalid regex"));
    }

    #[test]
    fn messages_match_the_regex_crate() {
        let bad = String::from("(unclosed");
        let err = prepare(&bad, false).unwrap_err();
        let re_err = RegexBuilder::new(&bad).build().unwrap_err();
        assert_eq!(err, format!("invalid regex: {re_err}"));
        assert!(prepare("x*", false).unwrap_err().contains("empty string"));
    }

    /// Every match of a regex starts with one of its gate literals, whatever the case; so a
    /// draft without any of them cannot match.
    #[test]
    fn gates_hold_for_every_match() {
        let cases = [
            (
                r"(?-u:\b)(?:heading|flying) to [A-Za-z]+",
                true,
                "We're FLYING to Paris; heading to rome",
            ),
            (
                r"(?-u:\b)(?:secure\.)?(?:actblue\.com|winred\.com)",
                true,
                "give at SECURE.ActBlue.com or winred.com",
            ),
            (r"f[\*#@$%_]{1,3}(?:ck|k)\w*", true, "what the F**k, f#ck"),
            (r"the \w+", true, "THE ſtaff, the Kelvin \u{212A}"),
            (
                r"(?i:vote) (?i:for) [A-Z][a-z]+",
                false,
                "VOTE for Smith and vote FOR Jones",
            ),
        ];
        for (p, ci, text) in cases {
            let prepared = prepare(p, ci).unwrap();
            let gate = prepared.gate.clone().expect(p);
            let gates = Gates::new(&[Some(gate.clone())]);
            let re = prepared.regex.get().unwrap();
            let starts: Vec<_> = re.find_iter(text).map(|m| m.start()).collect();
            assert!(!starts.is_empty(), "{p} finds nothing in {text:?}");
            for s in starts {
                let lower = text.as_bytes()[s..].to_ascii_lowercase();
                assert!(
                    gate.iter().any(|g| lower.starts_with(g)),
                    "{p} at {s}: {gate:?}"
                );
            }
            assert_eq!(gates.candidates_all(text), [true]);
            assert_eq!(gates.candidates_all("nothing here at all"), [false]);
        }
    }

    /// The gate table finds exactly the regexes one of whose literals occurs in the text,
    /// ASCII case-insensitively.
    #[test]
    fn gate_table_agrees_with_a_plain_search() {
        let gates: Vec<Option<Vec<Vec<u8>>>> = vec![
            Some(vec![
                b"ab".to_vec(),
                b"#".to_vec(),
                "\u{17f}e".as_bytes().to_vec(),
            ]),
            None,
            Some(vec![b"bca".to_vec(), b"b".to_vec()]),
            Some(vec![b"aab".to_vec(), b"c#a".to_vec()]),
        ];
        let table = Gates::new(&gates);
        let alphabet = ["a", "A", "b", "B", "c", "#", "\u{17f}", "e", "E", " "];
        let mut seed = 0x9e37_79b9_u32;
        for _ in 0..4000 {
            let len = (seed % 9) as usize;
            let text: String = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 17;
                    seed ^= seed << 5;
                    alphabet[(seed as usize) % alphabet.len()]
                })
                .collect();
            let lower = text.as_bytes().to_ascii_lowercase();
            let want: Vec<bool> = gates
                .iter()
                .map(|g| match g {
                    None => true,
                    Some(lits) => lits
                        .iter()
                        .any(|l| lower.windows(l.len()).any(|w| w == l.as_slice())),
                })
                .collect();
            assert_eq!(table.candidates_all(&text), want, "{text:?}");
        }
    }

    #[test]
    fn patterns_without_literals_are_not_gated() {
        assert!(prepare(r"\w+@\w+", false).unwrap().gate.is_none());
        let gates = Gates::new(&[None, Some(vec![b"ab".to_vec()])]);
        assert_eq!(gates.candidates_all("xyz"), [true, false]);
        assert_eq!(gates.candidates_all("xAbz"), [true, true]);
    }

    /// Every regex of the default bundle is gated on literals and left for later.
    #[test]
    fn default_bundle_regexes_are_gated_and_lazy() {
        let b: serde_json::Value = serde_json::from_str(crate::DEFAULT_BUNDLE_JSON).unwrap();
        let mut n = 0;
        for r in b["rules"].as_array().unwrap() {
            if let Some(re) = r["match"].get("regex") {
                let p = re["pattern"].as_str().unwrap();
                let ci = re["case_insensitive"].as_bool().unwrap_or(false);
                let prepared = prepare(p, ci).unwrap();
                assert!(prepared.gate.is_some(), "{}", r["id"]);
                assert!(!prepared.regex.is_compiled(), "{}", r["id"]);
                n += 1;
            }
        }
        assert!(n >= 5);
    }

    #[test]
    fn compiled_only_when_asked() {
        let p = prepare(r"(?-u:\b)hello", true).unwrap();
        assert!(!p.regex.is_compiled());
        assert!(p.regex.get().unwrap().is_match("HELLO"));
        assert!(p.regex.is_compiled());
    }
}
