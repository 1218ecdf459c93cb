//! Bundle regexes: regex-lite, searched only where a match can start.
//!
//! Bundle regexes run on regex-lite, in the native build and in WebAssembly alike, so the
//! CLI's `bundle validate` and the browser engine accept and match exactly the same patterns.
//! regex-lite is small and linear-time but has no literal prefilter: a search walks the whole
//! draft with its Pike VM. So at load each pattern is:
//!
//! * compiled (cheap with regex-lite), which is the validation: a pattern regex-lite refuses
//!   is a problem at the pattern's path, with a hint for what bundle regexes do not support;
//! * refused if it matches the empty draft (it would flag every draft);
//! * read for its *gate*: the literals one of which starts every match (see [`gate`]). All
//!   gates of a bundle are looked for together, ASCII case-insensitively, in one pass per
//!   draft ([`Gates`]), which yields the positions where a match can start; the regex is then
//!   tried, anchored, at those positions only (see [`Compiled::find_all`]). A pattern without
//!   a usable gate is searched over the whole draft.
//!
//! The anchored forms are built on the first draft that holds one of the gate's literals.

use std::ops::Range;
use std::sync::OnceLock;

use regex_lite::{Regex, RegexBuilder};

use crate::byte_pairs::BytePairs;

use super::REGEX_SIZE_LIMIT;

/// A bundle regex: compiled at load (the embedded default bundle's on first use); its
/// anchored forms on first use.
#[derive(Debug)]
pub(crate) struct LazyRegex {
    pattern: String,
    case_insensitive: bool,
    /// The pattern compiled; `None` inside when it failed (only possible for a pattern
    /// prepared by [`prepare_trusted`], whose tests say it cannot).
    plain: OnceLock<Option<Regex>>,
    anchored: OnceLock<Option<(Regex, Regex)>>,
}

fn build(pattern: &str, case_insensitive: bool) -> Result<Regex, regex_lite::Error> {
    RegexBuilder::new(pattern)
        .case_insensitive(case_insensitive)
        .size_limit(REGEX_SIZE_LIMIT)
        .build()
}

/// A compiled bundle regex, ready to search a draft.
pub(crate) struct Compiled<'a> {
    plain: &'a Regex,
    anchored: Option<&'a (Regex, Regex)>,
}

impl Compiled<'_> {
    /// Every match (leftmost-first, not overlapping, as `find_iter`), given `starts`: the
    /// ascending positions where the gate says a match may start (`None`: anywhere).
    pub fn find_all(&self, text: &str, starts: Option<&[usize]>) -> Vec<Range<usize>> {
        let (Some(starts), Some((first, rest))) = (starts, self.anchored) else {
            return self.plain.find_iter(text).map(|m| m.range()).collect();
        };
        let mut out = Vec::new();
        let mut done = 0;
        for &at in starts {
            if at < done || !text.is_char_boundary(at) {
                continue;
            }
            // One character of context before `at`, consumed by `(?s:.)`, so that `\b` and
            // `(?m)^` at the start of the pattern see it.
            let (from, re) = match text[..at].char_indices().next_back() {
                None => (0, first),
                Some((i, _)) => (i, rest),
            };
            if let Some(m) = re.find(&text[from..]) {
                let end = from + m.end();
                if end > at {
                    out.push(at..end);
                    done = end;
                }
            }
        }
        out
    }
}

impl LazyRegex {
    /// The regex, ready to search (compiled and the anchored forms built now if they are
    /// not yet); `None` if it does not compile (see [`LazyRegex::error`]).
    pub fn get(&self) -> Option<Compiled<'_>> {
        let plain = self
            .plain
            .get_or_init(|| build(&self.pattern, self.case_insensitive).ok())
            .as_ref()?;
        let anchored = self.anchored.get_or_init(|| {
            // Ungated patterns are searched whole.
            gate(&self.pattern)?;
            // A pattern whose `(?x)` comment runs to its end would swallow the closing
            // parenthesis: the wrapped form then fails to compile and the plain regex is
            // searched instead.
            let first = build(&format!("^(?:{})", self.pattern), self.case_insensitive).ok()?;
            let rest = build(
                &format!("^(?s:.)(?:{})", self.pattern),
                self.case_insensitive,
            );
            Some((first, rest.ok()?))
        });
        Some(Compiled {
            plain,
            anchored: anchored.as_ref(),
        })
    }

    /// Literals (ASCII lower case) one of which starts every match; `None` when there is no
    /// such small set. Read from the pattern when asked: only drafts need it.
    pub fn gate(&self) -> Option<Vec<Vec<u8>>> {
        gate(&self.pattern)
    }

    /// Why the pattern did not compile, once it has been tried.
    pub fn error(&self) -> Option<String> {
        match self.plain.get() {
            Some(None) => build(&self.pattern, self.case_insensitive)
                .err()
                .map(|e| crate::validate::regex_message(&e)),
            _ => None,
        }
    }

    /// Whether the search form has been built.
    #[cfg(test)]
    pub fn is_compiled(&self) -> bool {
        self.anchored.get().is_some()
    }

    /// Whether the pattern itself has been compiled.
    #[cfg(test)]
    pub fn is_plain_compiled(&self) -> bool {
        self.plain.get().is_some()
    }
}

/// Compile and check a bundle pattern. The error is the message the engine reports at the
/// pattern's path.
pub(crate) fn prepare(pattern: &str, case_insensitive: bool) -> Result<LazyRegex, String> {
    let plain = build(pattern, case_insensitive).map_err(|e| crate::validate::regex_message(&e))?;
    if plain.is_match("") {
        return Err("pattern matches the empty string, so it would flag every draft".into());
    }
    Ok(lazy(pattern, case_insensitive, OnceLock::from(Some(plain))))
}

/// [`prepare`] without compiling or checking: for the embedded default bundle, whose tests
/// check every pattern (`default_bundle_passes_every_check`). It compiles on the first draft
/// holding its gate: compiling the default bundle's patterns was a third of a fresh
/// WebAssembly load.
pub(crate) fn prepare_trusted(pattern: &str, case_insensitive: bool) -> LazyRegex {
    lazy(pattern, case_insensitive, OnceLock::new())
}

fn lazy(pattern: &str, case_insensitive: bool, plain: OnceLock<Option<Regex>>) -> LazyRegex {
    LazyRegex {
        pattern: pattern.to_string(),
        case_insensitive,
        plain,
        anchored: OnceLock::new(),
    }
}

/// Largest class expanded into literals.
const GATE_CLASS_MAX: usize = 8;
/// Longest literal kept (bytes); longer ones are cut and stop growing.
const GATE_LITERAL_MAX: usize = 8;
/// Most literals a gate may hold.
const GATE_MAX: usize = 64;

/// Prefix literals of a sub-pattern: every match of it starts with one of them (up to ASCII
/// case); `exact` when the literal is the whole match, so what follows may extend it.
/// `None`: no small set (anything may start a match).
type Lits = Option<Vec<(Vec<u8>, bool)>>;

fn cap(mut v: Vec<(Vec<u8>, bool)>) -> Lits {
    v.sort_unstable();
    v.dedup();
    (v.len() <= GATE_MAX * 8).then_some(v)
}

fn concat(a: Lits, b: &Lits) -> Lits {
    let a = a?;
    let mut out = Vec::new();
    for (l, exact) in a {
        match (exact, b) {
            (true, Some(b)) if b.len() * out.len().max(1) <= GATE_MAX * 8 => {
                for (m, e) in b {
                    let mut s = l.clone();
                    s.extend_from_slice(m);
                    if s.len() > GATE_LITERAL_MAX {
                        // Cut at a character boundary.
                        let mut n = GATE_LITERAL_MAX;
                        while n > 0 && (s[n] & 0xC0) == 0x80 {
                            n -= 1;
                        }
                        s.truncate(n);
                        out.push((s, false));
                    } else {
                        out.push((s, *e));
                    }
                }
            }
            _ => out.push((l, false)),
        }
    }
    cap(out)
}

fn inexact(a: Lits) -> Lits {
    Some(a?.into_iter().map(|(l, _)| (l, false)).collect())
}

/// Reads a pattern regex-lite has accepted for its prefix literals. Anything it does not
/// know (verbose mode, unusual escapes) ends the reading with no gate, which is always sound.
struct Reader<'p> {
    p: &'p [u8],
    s: &'p str,
    i: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.p.get(self.i).copied()
    }

    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn next_char(&mut self) -> Option<char> {
        let c = self.s.get(self.i..)?.chars().next()?;
        self.i += c.len_utf8();
        Some(c)
    }

    /// `alt := concat ('|' concat)*`, up to `)` or the end.
    fn alt(&mut self) -> Result<Lits, ()> {
        let mut all = Some(Vec::new());
        loop {
            let c = self.concat()?;
            all = match (all, c) {
                (Some(mut a), Some(c)) => {
                    a.extend(c);
                    cap(a)
                }
                _ => None,
            };
            if !self.eat(b'|') {
                return Ok(all);
            }
        }
    }

    fn concat(&mut self) -> Result<Lits, ()> {
        let mut acc: Lits = Some(vec![(Vec::new(), true)]);
        while let Some(c) = self.peek() {
            if c == b'|' || c == b')' {
                break;
            }
            let atom = self.atom()?;
            let atom = self.repeat(atom)?;
            acc = concat(acc, &atom);
        }
        Ok(acc)
    }

    /// A quantifier after an atom, if any.
    fn repeat(&mut self, atom: Lits) -> Result<Lits, ()> {
        let (min, max) = match self.peek() {
            Some(b'*') => (0, None),
            Some(b'+') => (1, None),
            Some(b'?') => (0, Some(1)),
            Some(b'{') => {
                let close = self.p[self.i..].iter().position(|&c| c == b'}').ok_or(())?;
                let inner =
                    std::str::from_utf8(&self.p[self.i + 1..self.i + close]).map_err(|_| ())?;
                let (lo, hi) = match inner.split_once(',') {
                    None => (inner, Some(inner)),
                    Some((lo, "")) => (lo, None),
                    Some((lo, hi)) => (lo, Some(hi)),
                };
                let lo: u32 = lo.trim().parse().map_err(|_| ())?;
                let hi: Option<u32> = match hi {
                    Some(h) => Some(h.trim().parse().map_err(|_| ())?),
                    None => None,
                };
                self.i += close;
                (lo, hi)
            }
            _ => return Ok(atom),
        };
        self.i += 1;
        self.eat(b'?');
        if matches!(self.peek(), Some(b'*' | b'+' | b'?' | b'{')) {
            return Err(());
        }
        Ok(match (min, max) {
            (0, Some(0)) => Some(vec![(Vec::new(), true)]),
            // Optional: the atom once, whole, or nothing.
            (0, Some(1)) => atom.map(|mut a| {
                a.push((Vec::new(), true));
                a
            }),
            (0, _) => atom.map(|mut a| {
                for l in &mut a {
                    l.1 = false;
                }
                a.push((Vec::new(), true));
                a
            }),
            (_, Some(1)) => atom,
            _ => inexact(atom),
        })
    }

    fn atom(&mut self) -> Result<Lits, ()> {
        let empty = Some(vec![(Vec::new(), true)]);
        match self.peek().ok_or(())? {
            b'(' => {
                self.i += 1;
                if self.eat(b'?') {
                    if self.eat(b'P') || self.peek() == Some(b'<') {
                        self.eat(b'<');
                        let close = self.p[self.i..].iter().position(|&c| c == b'>').ok_or(())?;
                        self.i += close + 1;
                    } else {
                        // Flags: `(?flags)` or `(?flags:...)`. Only verbose mode changes how
                        // the pattern reads; case flags do not matter (gates ignore ASCII case
                        // and regex-lite folds ASCII only).
                        loop {
                            match self.peek().ok_or(())? {
                                b':' => {
                                    self.i += 1;
                                    break;
                                }
                                b')' => {
                                    self.i += 1;
                                    return Ok(empty);
                                }
                                b'x' => return Err(()),
                                b'i' | b'm' | b's' | b'U' | b'R' | b'u' | b'-' => self.i += 1,
                                _ => return Err(()),
                            }
                        }
                    }
                }
                let inner = self.alt()?;
                if !self.eat(b')') {
                    return Err(());
                }
                Ok(inner)
            }
            b'[' => self.class(),
            b'.' => {
                self.i += 1;
                Ok(None)
            }
            b'^' | b'$' => {
                self.i += 1;
                Ok(empty)
            }
            b'\\' => {
                self.i += 1;
                match self.escape()? {
                    Escape::Char(c) => Ok(lit(c)),
                    Escape::Empty => Ok(empty),
                    Escape::Class => Ok(None),
                }
            }
            _ => {
                let c = self.next_char().ok_or(())?;
                Ok(lit(c))
            }
        }
    }

    /// After a backslash.
    fn escape(&mut self) -> Result<Escape, ()> {
        let c = self.next_char().ok_or(())?;
        Ok(match c {
            'd' | 'D' | 'w' | 'W' | 's' | 'S' => Escape::Class,
            'A' | 'z' | 'B' | '<' | '>' => Escape::Empty,
            'b' => {
                if self.peek() == Some(b'{') {
                    let close = self.p[self.i..].iter().position(|&c| c == b'}').ok_or(())?;
                    self.i += close + 1;
                }
                Escape::Empty
            }
            'a' => Escape::Char('\x07'),
            'f' => Escape::Char('\x0C'),
            't' => Escape::Char('\t'),
            'n' => Escape::Char('\n'),
            'r' => Escape::Char('\r'),
            'v' => Escape::Char('\x0B'),
            'x' | 'u' | 'U' => {
                let digits = if self.eat(b'{') {
                    let close = self.p[self.i..].iter().position(|&c| c == b'}').ok_or(())?;
                    let d = &self.s[self.i..self.i + close];
                    self.i += close + 1;
                    d
                } else {
                    let n = match c {
                        'x' => 2,
                        'u' => 4,
                        _ => 8,
                    };
                    let d = self.s.get(self.i..self.i + n).ok_or(())?;
                    self.i += n;
                    d
                };
                let v = u32::from_str_radix(digits, 16).map_err(|_| ())?;
                Escape::Char(char::from_u32(v).ok_or(())?)
            }
            c if c.is_ascii_punctuation() || c == ' ' => Escape::Char(c),
            _ => return Err(()),
        })
    }

    /// A bracketed class: its members when there are few, `None` otherwise.
    fn class(&mut self) -> Result<Lits, ()> {
        self.i += 1;
        let negated = self.eat(b'^');
        let mut members: Vec<char> = Vec::new();
        let mut big = negated;
        let mut first = true;
        loop {
            let c = self.peek().ok_or(())?;
            if c == b']' && !first {
                self.i += 1;
                break;
            }
            first = false;
            if c == b'[' {
                // `[:alpha:]` (regex-lite has no other nesting).
                if self.p.get(self.i + 1) != Some(&b':') {
                    return Err(());
                }
                let close = self.s[self.i..].find(":]").ok_or(())?;
                self.i += close + 2;
                big = true;
                continue;
            }
            let lo = self.class_char()?;
            let Some(lo) = lo else {
                big = true;
                continue;
            };
            if self.peek() == Some(b'-') && self.p.get(self.i + 1) != Some(&b']') {
                self.i += 1;
                let hi = self.class_char()?.ok_or(())?;
                if (hi as u32).saturating_sub(lo as u32) as usize >= GATE_CLASS_MAX * 2 {
                    big = true;
                } else {
                    members.extend(lo..=hi);
                }
            } else {
                members.push(lo);
            }
            if members.len() > GATE_CLASS_MAX * 2 {
                big = true;
                members.clear();
            }
        }
        if big {
            return Ok(None);
        }
        let mut lits: Vec<(Vec<u8>, bool)> = members
            .into_iter()
            .map(|c| (c.to_ascii_lowercase().to_string().into_bytes(), true))
            .collect();
        lits.sort_unstable();
        lits.dedup();
        Ok((lits.len() <= GATE_CLASS_MAX).then_some(lits))
    }

    /// One member of a class: `Some(char)`, or `None` for a Perl class (`\d`, …).
    fn class_char(&mut self) -> Result<Option<char>, ()> {
        if self.eat(b'\\') {
            return match self.escape()? {
                Escape::Char(c) => Ok(Some(c)),
                Escape::Class => Ok(None),
                Escape::Empty => Err(()),
            };
        }
        self.next_char().map(Some).ok_or(())
    }
}

enum Escape {
    Char(char),
    Empty,
    Class,
}

fn lit(c: char) -> Lits {
    Some(vec![(
        c.to_ascii_lowercase().to_string().into_bytes(),
        true,
    )])
}

/// The literals one of which starts every match of `pattern` (a pattern regex-lite accepts),
/// ASCII-lower-cased and reduced (a literal that starts with another gate literal adds
/// nothing). `None` when there is no such small set or it would not filter (an empty
/// literal).
pub(crate) fn gate(pattern: &str) -> Option<Vec<Vec<u8>>> {
    let mut r = Reader {
        p: pattern.as_bytes(),
        s: pattern,
        i: 0,
    };
    let lits = r.alt().ok()??;
    if r.i != pattern.len() {
        return None;
    }
    let mut out: Vec<Vec<u8>> = lits.into_iter().map(|(l, _)| l).collect();
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

/// Where each regex of a bundle may match a draft: one pass over the draft for every gate of
/// the bundle, ASCII case-insensitively, reporting every literal wherever it starts (so a
/// literal inside or across another is still seen).
///
/// The literals sit in a table by their first byte: at each byte of the draft, only the
/// literals starting with it are compared. Gates are short (at most [`GATE_MAX`] literals of
/// at most [`GATE_LITERAL_MAX`] bytes each), so this costs about what an Aho-Corasick DFA
/// walk costs on a draft, with nothing to build and no automaton code in the WebAssembly
/// module (docs/BENCHMARKS.md, "Size"). A first byte shared by more than
/// [`GATE_BUCKET_MAX`] literals would make the pass slow: the regexes with a literal there
/// are searched over the whole draft instead, which is linear as well.
#[derive(Debug)]
pub(crate) struct Gates {
    /// Literals ordered by first byte, each in ASCII lower case as 8 little-endian bytes
    /// (literals are at most [`GATE_LITERAL_MAX`] = 8 bytes) with the mask of its length,
    /// and the regex it gates.
    lits: Vec<Lit>,
    /// The literals starting with byte `b` are `lits[first[b]..first[b + 1]]`.
    first: Vec<u32>,
    /// A literal may start with bytes `b0 b1` (a one-byte literal with `b0` and anything).
    /// Most positions of a draft fail this test at once.
    pairs: BytePairs,
    /// Regexes with a gate (the others are searched over the whole draft).
    gated: Vec<bool>,
}

#[derive(Debug, Clone, Copy)]
struct Lit {
    bytes: u64,
    mask: u64,
    len: usize,
    regex: u32,
}

/// Most gate literals sharing a first byte (see [`Gates`]).
const GATE_BUCKET_MAX: usize = 256;

/// Where one regex may match a draft.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Starts {
    /// Anywhere (no gate).
    Anywhere,
    /// Only at these positions (ascending; empty: nowhere).
    At(Vec<usize>),
}

impl Gates {
    /// `gates[i]` is the gate of regex number `i`.
    pub fn new(gates: &[Option<Vec<Vec<u8>>>]) -> Self {
        let mut gated: Vec<bool> = gates.iter().map(Option::is_some).collect();
        let mut lits: Vec<Lit> = Vec::new();
        for (i, gate) in gates.iter().enumerate() {
            for lit in gate.iter().flatten() {
                // A prefix of a literal is a gate as well (weaker); none is longer than 8.
                let lit = &lit[..lit.len().min(8)];
                if lit.is_empty() {
                    // A regex with an empty literal may match anywhere.
                    gated[i] = false;
                    continue;
                }
                let mut bytes = [0u8; 8];
                bytes[..lit.len()].copy_from_slice(lit);
                bytes.make_ascii_lowercase();
                let mask = u64::MAX >> (8 * (8 - lit.len()));
                lits.push(Lit {
                    bytes: u64::from_le_bytes(bytes),
                    mask,
                    len: lit.len(),
                    regex: i as u32,
                });
            }
        }
        let first_byte = |l: &Lit| (l.bytes & 0xff) as usize;
        let mut count = [0usize; 256];
        for l in lits.iter().filter(|l| gated[l.regex as usize]) {
            count[first_byte(l)] += 1;
        }
        for l in &lits {
            if count[first_byte(l)] > GATE_BUCKET_MAX {
                gated[l.regex as usize] = false;
            }
        }
        lits.retain(|l| gated[l.regex as usize]);
        lits.sort_by_key(first_byte);
        let mut first = vec![0u32; 257];
        for l in &lits {
            first[first_byte(l) + 1] += 1;
        }
        for b in 0..256 {
            first[b + 1] += first[b];
        }
        let mut pairs = BytePairs::new();
        for l in &lits {
            let b0 = first_byte(l) as u8;
            if l.len == 1 {
                pairs.insert_first(b0);
            } else {
                pairs.insert(b0, ((l.bytes >> 8) & 0xff) as u8);
            }
        }
        Gates {
            lits,
            first,
            pairs,
            gated,
        }
    }

    /// For each regex: where in `text` a match may start.
    pub fn starts(&self, text: &str) -> Vec<Starts> {
        let mut out: Vec<Starts> = self
            .gated
            .iter()
            .map(|&g| {
                if g {
                    Starts::At(Vec::new())
                } else {
                    Starts::Anywhere
                }
            })
            .collect();
        if self.lits.is_empty() {
            return out;
        }
        // The draft in lower case, padded so every position has 8 bytes to read.
        let n = text.len();
        let mut low = Vec::with_capacity(n + 8);
        low.extend_from_slice(text.as_bytes());
        low.make_ascii_lowercase();
        low.extend_from_slice(&[0; 8]);
        for i in 0..n {
            if !self.pairs.contains(low[i], low[i + 1]) {
                continue;
            }
            let c = usize::from(low[i]);
            let (lo, hi) = (self.first[c] as usize, self.first[c + 1] as usize);
            let mut word = [0u8; 8];
            word.copy_from_slice(&low[i..i + 8]);
            let word = u64::from_le_bytes(word);
            for l in &self.lits[lo..hi] {
                if word & l.mask == l.bytes && i + l.len <= n {
                    if let Starts::At(v) = &mut out[l.regex as usize] {
                        if v.last() != Some(&i) {
                            v.push(i);
                        }
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Matches as the engine finds them: anchored at the gate's positions.
    fn engine_matches(p: &str, ci: bool, text: &str) -> Vec<Range<usize>> {
        let prepared = prepare(p, ci).unwrap();
        let gates = Gates::new(&[prepared.gate()]);
        let starts = gates.starts(text);
        let starts = match &starts[0] {
            Starts::Anywhere => None,
            Starts::At(v) => Some(v.as_slice()),
        };
        prepared.get().unwrap().find_all(text, starts)
    }

    fn lite_matches(p: &str, ci: bool, text: &str) -> Vec<Range<usize>> {
        build(p, ci)
            .unwrap()
            .find_iter(text)
            .map(|m| m.range())
            .collect()
    }

    #[test]
    fn messages_and_empty_patterns() {
        let err = prepare("(unclosed", false).unwrap_err();
        assert!(err.starts_with("invalid regex: "), "{err}");
        assert!(prepare("x*", false).unwrap_err().contains("empty string"));
        assert!(prepare(r"\b", false).is_ok());
        assert!(prepare(r"\p{L}", false)
            .unwrap_err()
            .contains("not supported"));
        assert!(prepare(r"(?:\w{1000}){100}", false)
            .unwrap_err()
            .contains("more than"));
    }

    /// Every literal is reported wherever it starts, overlapping or not, in any case; a first
    /// byte shared by too many literals, or an empty literal, leaves its regexes ungated.
    #[test]
    fn gate_table_reports_every_start_and_falls_back_when_crowded() {
        let gates = Gates::new(&[
            Some(vec![b"ab".to_vec(), b"Bab".to_vec()]),
            Some(vec![b"aba".to_vec()]),
            None,
            Some(vec![Vec::new(), b"zz".to_vec()]),
        ]);
        assert_eq!(
            gates.starts("xABabA bab"),
            vec![
                Starts::At(vec![1, 2, 3, 7, 8]),
                Starts::At(vec![1, 3]),
                Starts::Anywhere,
                Starts::Anywhere,
            ]
        );
        assert_eq!(gates.starts("")[0], Starts::At(vec![]));
        // `a` starts more than GATE_BUCKET_MAX literals: regex 0 is searched everywhere,
        // regex 1 (which also has a literal there) as well; regex 2 keeps its gate.
        let crowded: Vec<Vec<u8>> = (0..=GATE_BUCKET_MAX)
            .map(|k| format!("a{k}").into_bytes())
            .collect();
        let gates = Gates::new(&[
            Some(crowded),
            Some(vec![b"a!".to_vec(), b"q".to_vec()]),
            Some(vec![b"q".to_vec()]),
        ]);
        assert_eq!(
            gates.starts("a1 a! q"),
            vec![Starts::Anywhere, Starts::Anywhere, Starts::At(vec![6])]
        );
    }

    /// Every match of a regex starts with one of its gate literals, whatever the case; the
    /// engine's anchored search finds exactly what `find_iter` finds.
    #[test]
    fn gates_hold_for_every_match() {
        let cases = [
            (
                r"\b(?:heading|flying) to [A-Za-z]+",
                true,
                "We're FLYING to Paris; heading to rome",
            ),
            (
                r"\b(?:secure\.)?(?:actblue\.com|winred\.com)",
                true,
                "give at SECURE.ActBlue.com or winred.com",
            ),
            (r"f[\*#@$%_]{1,3}(?:ck|k)\w*", true, "what the F**k, f#ck"),
            (r"the \w+", true, "THE staff, the Kelvin"),
            (
                r"(?i:vote) (?i:for) [A-Z][a-z]+",
                false,
                "VOTE for Smith and vote FOR Jones",
            ),
            (r"(?m)^vote\b", false, "vote\nvote now\nxvote"),
            (r"café|naïve", true, "CAFÉ café NAÏVE naïve"),
            (r"[\x{e9}e]t\x{e9}", false, "été etéx"),
        ];
        for (p, ci, text) in cases {
            let gate = gate(p).expect(p);
            let want = lite_matches(p, ci, text);
            assert!(!want.is_empty(), "{p} finds nothing in {text:?}");
            for m in &want {
                let lower = text.as_bytes()[m.start..].to_ascii_lowercase();
                assert!(
                    gate.iter().any(|g| lower.starts_with(g)),
                    "{p} at {}: {gate:?}",
                    m.start
                );
            }
            assert_eq!(engine_matches(p, ci, text), want, "{p}");
        }
    }

    /// Random patterns over a small alphabet and random drafts: the gate covers every match
    /// and the anchored search agrees with `find_iter`.
    #[test]
    fn gates_are_sound_on_random_patterns() {
        let atoms = [
            "a",
            "b",
            "A",
            "é",
            "\\.",
            "[ab]",
            "[aB-D]",
            "[^a]",
            "\\d",
            "\\w",
            ".",
            "\\b",
            "\\B",
            "^",
            "$",
            "(?i:ab)",
            "(?:a|b)",
            "(a|bc)",
            "(?:a|)",
            "[[:alpha:]]",
            "\\x41",
            "\\u{e9}",
            "(?m:^)",
            "\\s",
            " ",
        ];
        let quants = ["", "", "", "*", "+", "?", "{2}", "{1,3}", "{0,2}", "*?"];
        let text_pieces = [
            "a", "b", "A", "B", "é", "É", ".", " ", "\n", "1", "ab", "c", "_",
        ];
        let mut rng = crate::testing::Rng(0x9e37_79b9);
        let mut next = || rng.next() as usize;
        let mut gated = 0;
        for _ in 0..3000 {
            let n = 1 + next() % 4;
            let mut p = String::new();
            for _ in 0..n {
                p.push_str(atoms[next() % atoms.len()]);
                p.push_str(quants[next() % quants.len()]);
            }
            if next() % 5 == 0 {
                p = format!("{p}|{}", atoms[next() % atoms.len()]);
            }
            let ci = next() % 2 == 0;
            let Ok(prepared) = prepare(&p, ci) else {
                continue;
            };
            let Some(gate) = prepared.gate() else {
                continue;
            };
            gated += 1;
            for _ in 0..20 {
                let len = next() % 10;
                let text: String = (0..len)
                    .map(|_| text_pieces[next() % text_pieces.len()])
                    .collect();
                let want = lite_matches(&p, ci, &text);
                for m in &want {
                    let lower = text.as_bytes()[m.start..].to_ascii_lowercase();
                    assert!(
                        gate.iter().any(|g| lower.starts_with(g)),
                        "{p:?} (ci {ci}) on {text:?} at {}: {gate:?}",
                        m.start
                    );
                }
                assert_eq!(
                    engine_matches(&p, ci, &text),
                    want,
                    "{p:?} (ci {ci}) on {text:?}"
                );
            }
        }
        assert!(gated > 500, "{gated}");
    }

    /// The gate table finds exactly the positions of the literals in the text, ASCII
    /// case-insensitively.
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
        let mut rng = crate::testing::Rng(0x9e37_79b9);
        for _ in 0..4000 {
            let text = rng.string(&alphabet, 9);
            let lower = text.as_bytes().to_ascii_lowercase();
            let want: Vec<Starts> = gates
                .iter()
                .map(|g| match g {
                    None => Starts::Anywhere,
                    Some(lits) => {
                        let mut v: Vec<usize> = (0..lower.len())
                            .filter(|&i| lits.iter().any(|l| lower[i..].starts_with(l)))
                            .collect();
                        v.dedup();
                        Starts::At(v)
                    }
                })
                .collect();
            assert_eq!(table.starts(&text), want, "{text:?}");
        }
    }

    #[test]
    fn patterns_without_literals_are_not_gated() {
        assert!(prepare(r"\w+@\w+", false).unwrap().gate().is_none());
        assert!(gate(r"(?x) a b # comment").is_none());
        assert_eq!(gate("(?i)ab|Ac").unwrap(), [b"ab".to_vec(), b"ac".to_vec()]);
        let gates = Gates::new(&[None, Some(vec![b"ab".to_vec()])]);
        assert_eq!(gates.starts("xyz"), [Starts::Anywhere, Starts::At(vec![])]);
        assert_eq!(
            gates.starts("xAbz"),
            [Starts::Anywhere, Starts::At(vec![1])]
        );
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
                assert!(prepared.gate().is_some(), "{}", r["id"]);
                assert!(!prepared.is_compiled(), "{}", r["id"]);
                n += 1;
            }
        }
        assert!(n >= 4);
    }

    #[test]
    fn compiled_only_when_asked() {
        let p = prepare(r"\bhello", true).unwrap();
        assert!(!p.is_compiled());
        assert_eq!(
            p.get().unwrap().find_all("say HELLO", Some(&[4])),
            vec![4..9]
        );
        assert!(p.is_compiled());
        // A trusted pattern compiles on first use; one that cannot says why.
        let t = prepare_trusted(r"\bhello", true);
        assert!(t.plain.get().is_none());
        assert_eq!(t.gate(), Some(vec![b"hello".to_vec()]));
        assert_eq!(t.get().unwrap().find_all("HELLO", None), vec![0..5]);
        let bad = prepare_trusted("(unclosed", false);
        assert!(bad.get().is_none());
        assert!(bad.error().is_some());
        assert_eq!(t.error(), None);
    }
}
