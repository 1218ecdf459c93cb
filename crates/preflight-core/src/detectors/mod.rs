//! Built-in detectors: PII (after Microsoft Presidio's recognizers: pattern, base score,
//! context words nearby, validator), secrets, and two accessibility checks.
//!
//! A rule names a detector with `{"detector": {"detector": "US_SSN"}}`.
//!
//! Every detector works the same way:
//!
//! 1. a cheap prefilter on facts gathered in one pass over the text (`Hints`): number
//!    detectors skip a text without a long enough digit cluster, and search only small
//!    windows around the clusters;
//! 2. a linear-time regex (compiled once per process) finds candidates;
//! 3. a validator confirms or drops each candidate (Luhn, mod-97, SSA rules, `std::net`, …)
//!    and picks a base score from the shape of the match;
//! 4. context words near the match (see `context.rs`: six words before, four after) raise the
//!    score by [`CONTEXT_BOOST`], capped at 1.0.
//!
//! Rules default to a minimum score of 0.5: strong, validated patterns score at least 0.5 on
//! their own; weak ones (a bare nine-digit number, a passport or driver's licence number)
//! only reach 0.5 with a context word such as "passport" nearby.
//!
//! | detector | base scores | validator / notes |
//! |---|---|---|
//! | `EMAIL_ADDRESS` | 0.8 | alphabetic TLD, not a file extension |
//! | `PHONE_NUMBER` | NANP formatted 0.6, with `+1`/`1` 0.7, E.164 0.6, 10 bare digits 0.3; `+CC` 0.6; national 0.6 (trunk `0` or brackets), 0.5 / 0.4 (mobile shapes), bare with `0` 0.3 | NANP area/exchange 2–9, no N11, same separators; valid country code, 8–15 digits; national plans: length, prefix and grouping per country |
//! | `US_SSN` | `123-45-6789` 0.6, spaces/dots 0.5, bare 0.2 | SSA rules, same separators, no sample numbers |
//! | `CREDIT_CARD` | 0.85 known issuer, 0.4 otherwise | Luhn, 13–19 digits, card groupings |
//! | `IBAN_CODE` | 0.85 | country length, mod-97 |
//! | `IP_ADDRESS` | IPv4 0.7 (one-digit octets 0.5), IPv6 0.75, with port/prefix/zone/brackets/`user@` 0.8 | `std::net` parsing, prefix ≤ 32/128, port ≤ 65535, sane IPv6 shape, no version cue |
//! | `URL` | scheme 0.7, `www.` 0.6, bare domain 0.5 | known TLD for bare domains |
//! | `US_PASSPORT` | 9 digits 0.2, letter + 8 digits 0.3 | needs context |
//! | `US_ITIN` | dashes 0.5, spaces 0.35, bare 0.2 | 9XX, group 50–65/70–88/90–92/94–99 |
//! | `US_DRIVER_LICENSE` | letters + digits 0.3, dashed 0.35, digits 0.2 | needs context |
//! | `PRIVATE_KEY` | 1.0 with END line, 0.95 without | PEM/OpenSSH/PGP armour |
//! | `CLOUD_ACCESS_KEY` | 0.9 (GitHub 0.95); AWS secret 0.1 + 0.75 with context | fixed prefixes |
//! | `PASSWORD_ASSIGNMENT` | 0.85, `is`-sentences and API keys 0.8 | value not a word/placeholder/mask |
//! | `LOWERCASE_HASHTAG` | 2 words 0.7, 3+ 0.85, unsplittable 16+ letters 0.55 | embedded word list |
//! | `IMAGE_WITHOUT_DESCRIPTION` | links/tags/emoji 0.8, phrases 0.7 | no description in the text |
//!
//! Spans are byte offsets into the text, always on `char` boundaries. Nothing here panics on
//! any input, and every search is linear in the text length.

use std::ops::Range;

use regex_lite::Regex;

mod accessibility;
mod context;
mod credit_card;
mod email;
mod iban;
mod ip;
mod phone;
mod phone_national;
mod secrets;
mod url;
mod us_driver_license;
mod us_itin;
mod us_passport;
mod us_ssn;

pub use accessibility::{install_word_list, word_list_available};
pub use context::CONTEXT_BOOST;

/// Names of every built-in detector.
pub const NAMES: &[&str] = &[
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "US_SSN",
    "CREDIT_CARD",
    "IBAN_CODE",
    "IP_ADDRESS",
    "URL",
    "US_PASSPORT",
    "US_ITIN",
    "US_DRIVER_LICENSE",
    "PRIVATE_KEY",
    "CLOUD_ACCESS_KEY",
    "PASSWORD_ASSIGNMENT",
    "LOWERCASE_HASHTAG",
    "IMAGE_WITHOUT_DESCRIPTION",
];

/// One detection.
#[derive(Debug, Clone, PartialEq)]
pub struct Detection {
    /// Entity name, one of [`NAMES`].
    pub entity: &'static str,
    /// Byte span in the text.
    pub span: Range<usize>,
    /// Confidence 0–1 after context words and validation.
    pub score: f32,
}

/// Is `name` a built-in detector?
pub fn is_known(name: &str) -> bool {
    NAMES.contains(&name)
}

/// Run detector `name` over `text`. Unknown names give no detections (bundles are validated
/// against [`NAMES`] before they get here).
pub fn detect(name: &str, text: &str) -> Vec<Detection> {
    let mut out = Vec::new();
    if let Some(index) = index_of(name) {
        let hints = Hints::new(text);
        run(index, text, &hints, &mut out);
    }
    out
}

fn index_of(name: &str) -> Option<usize> {
    NAMES.iter().position(|n| *n == name)
}

/// A chosen set of detectors, run together over one text with a single prefilter pass.
///
/// Build it once (e.g. when a bundle is compiled) and call [`DetectorSet::detect_into`] on
/// every keystroke; it reuses the caller's buffer and allocates nothing else per call.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DetectorSet {
    mask: u32,
}

impl DetectorSet {
    /// No detector.
    pub const fn empty() -> Self {
        Self { mask: 0 }
    }

    /// Every built-in detector.
    pub const fn all() -> Self {
        Self {
            mask: (1u32 << NAMES.len()) - 1,
        }
    }

    /// The detectors named (unknown names are ignored; see [`is_known`]).
    pub fn from_names<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        let mut set = Self::empty();
        for name in names {
            set.insert(name);
        }
        set
    }

    /// The detectors of both sets.
    pub const fn union(self, other: Self) -> Self {
        Self {
            mask: self.mask | other.mask,
        }
    }

    /// Add a detector; `false` if the name is unknown.
    pub fn insert(&mut self, name: &str) -> bool {
        match index_of(name) {
            Some(i) => {
                self.mask |= 1 << i;
                true
            }
            None => false,
        }
    }

    /// Is detector `name` in the set?
    pub fn contains(&self, name: &str) -> bool {
        index_of(name).is_some_and(|i| self.mask & (1 << i) != 0)
    }

    pub fn is_empty(&self) -> bool {
        self.mask == 0
    }

    /// Names of the detectors in the set, in [`NAMES`] order.
    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        NAMES
            .iter()
            .enumerate()
            .filter(|(i, _)| self.mask & (1 << i) != 0)
            .map(|(_, n)| *n)
    }

    /// Run every detector of the set over `text`.
    pub fn detect(&self, text: &str) -> Vec<Detection> {
        let mut out = Vec::new();
        self.detect_into(text, &mut out);
        out
    }

    /// Run every detector of the set over `text`, appending to `out` (grouped by detector, in
    /// [`NAMES`] order, each detector's detections in text order).
    pub fn detect_into(&self, text: &str, out: &mut Vec<Detection>) {
        if self.mask == 0 || text.is_empty() {
            return;
        }
        let hints = Hints::new(text);
        for i in 0..NAMES.len() {
            if self.mask & (1 << i) != 0 {
                run(i, text, &hints, out);
            }
        }
    }

    /// Compile the regexes (and load the hashtag word list) of the set now, and run each
    /// detector once over a sample that exercises it, so the first keystroke is not the slow
    /// one. Takes a few milliseconds natively, more in WebAssembly: call it at start-up.
    pub fn warm_up(&self) {
        let mut out = Vec::new();
        let hints = Hints::new(WARM_UP_TEXT);
        for i in 0..NAMES.len() {
            if self.mask & (1 << i) != 0 {
                run(i, WARM_UP_TEXT, &hints, &mut out);
            }
        }
    }
}

/// A text on which every detector finds something (see [`DetectorSet::warm_up`]).
const WARM_UP_TEXT: &str = "Mail jo@agency.gov or call +1 (202) 555-0143, +44 20 7946 0958. \
    SSN 123-45-6789, ITIN 912-70-1234, passport A12345678, DL A1234567, card 4111 1111 1111 \
    1111, IBAN DE89370400440532013000, IP 10.0.0.1 and fe80::1:2, https://agency.gov/a. \
    -----BEGIN PRIVATE KEY----- AKIAIOSFODNN7EXAMPLE aws secret \
    wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY password: hunter22 #climateaction [image] \
    see the photo below";

fn run(index: usize, text: &str, hints: &Hints, out: &mut Vec<Detection>) {
    match index {
        0 => email::detect(text, hints, out),
        1 => phone::detect(text, hints, out),
        2 => us_ssn::detect(text, hints, out),
        3 => credit_card::detect(text, hints, out),
        4 => iban::detect(text, hints, out),
        5 => ip::detect(text, hints, out),
        6 => url::detect(text, hints, out),
        7 => us_passport::detect(text, hints, out),
        8 => us_itin::detect(text, hints, out),
        9 => us_driver_license::detect(text, hints, out),
        10 => secrets::detect_private_key(text, hints, out),
        11 => secrets::detect_cloud_access_key(text, hints, out),
        12 => secrets::detect_password_assignment(text, hints, out),
        13 => accessibility::detect_lowercase_hashtag(text, hints, out),
        14 => accessibility::detect_image_without_description(text, hints, out),
        _ => {}
    }
}

/// Facts about a text gathered in one pass over its bytes, so detectors can skip texts that
/// cannot hold what they look for.
#[derive(Debug, Clone, Default)]
pub(crate) struct Hints {
    /// ASCII digits.
    pub digits: usize,
    /// Most ASCII digits in one cluster: digits joined by at most two of ` .-()/+` in a row
    /// (`(202) 555-0143` has 10). Number detectors need a cluster long enough for their
    /// shortest number, so ordinary prose ("5 miles in 2024") skips all of them.
    pub cluster: usize,
    /// ASCII upper-case letters.
    pub upper: usize,
    pub at: bool,
    pub hash: bool,
    pub colon: usize,
    pub dot: bool,
    /// `-----` somewhere (PEM armour).
    pub dashes5: bool,
    /// Byte windows around the digit clusters of at least [`WINDOW_MIN_DIGITS`] digits (see
    /// [`Hints::number_windows`]).
    windows: Vec<(u32, u32)>,
    /// Tests: search the whole text instead of the windows.
    #[cfg(test)]
    whole: bool,
}

/// Digit clusters shorter than this cannot hold any number a detector looks for.
const WINDOW_MIN_DIGITS: usize = 4;
/// ASCII bytes before a cluster included in its window (`+1 `, `(`, the letters of `A1234567`).
const WINDOW_LEAD: usize = 2;

impl Hints {
    pub fn new(text: &str) -> Self {
        // A byte histogram is branch-free and cheaper than matching on every byte.
        let mut counts = [0u16; 256];
        if text.len() <= usize::from(u16::MAX) {
            // No count can overflow: straight into the histogram.
            for &b in text.as_bytes() {
                counts[usize::from(b)] += 1;
            }
        } else {
            for chunk in text.as_bytes().chunks(u16::MAX as usize) {
                let mut part = [0u16; 256];
                for &b in chunk {
                    part[usize::from(b)] += 1;
                }
                for (c, p) in counts.iter_mut().zip(part) {
                    *c = c.saturating_add(p);
                }
            }
        }
        let mut windows: Vec<(u32, u32)> = Vec::new();
        let has_digits = counts[usize::from(b'0')..=usize::from(b'9')]
            .iter()
            .any(|&c| c > 0);
        let cluster = if !has_digits {
            0
        } else {
            scan_clusters(text.as_bytes(), |from, end| {
                let (from, end) = (
                    u32::try_from(from).unwrap_or(u32::MAX),
                    u32::try_from(end).unwrap_or(u32::MAX),
                );
                match windows.last_mut() {
                    Some(last) if last.1 >= from => last.1 = end,
                    _ => windows.push((from, end)),
                }
            })
        };
        let sum =
            |r: std::ops::RangeInclusive<u8>| r.map(|b| usize::from(counts[usize::from(b)])).sum();
        Hints {
            digits: sum(b'0'..=b'9'),
            cluster,
            upper: sum(b'A'..=b'Z'),
            at: counts[usize::from(b'@')] > 0,
            hash: counts[usize::from(b'#')] > 0,
            colon: usize::from(counts[usize::from(b':')]),
            dot: counts[usize::from(b'.')] > 0,
            dashes5: counts[usize::from(b'-')] >= 5 && text.contains("-----"),
            windows,
            #[cfg(test)]
            whole: false,
        }
    }
}

/// Walk the digit clusters of `bytes` (digits joined by at most two of ` .-()/+` in a row):
/// `window(from, end)` for each of at least [`WINDOW_MIN_DIGITS`] digits, `from` including up
/// to [`WINDOW_LEAD`] ASCII bytes before it. Returns the most digits in one cluster.
fn scan_clusters(bytes: &[u8], mut window: impl FnMut(usize, usize)) -> usize {
    let mut cluster = 0;
    let (mut cur, mut seps, mut start, mut last) = (0usize, 0u8, 0usize, 0usize);
    let mut close = |cur: usize, start: usize, end: usize| {
        if cur < WINDOW_MIN_DIGITS {
            return;
        }
        let mut from = start;
        while from > 0 && start - from < WINDOW_LEAD && bytes[from - 1].is_ascii() {
            from -= 1;
        }
        window(from, end);
    };
    let mut i = 0;
    while i < bytes.len() {
        if cur == 0 {
            // Outside a cluster only a digit matters: skip to the next one.
            match bytes[i..].iter().position(u8::is_ascii_digit) {
                Some(k) => i += k,
                None => break,
            }
        }
        let b = bytes[i];
        i += 1;
        if b.is_ascii_digit() {
            if cur == 0 {
                start = i - 1;
            }
            cur += 1;
            seps = 0;
            last = i;
            cluster = cluster.max(cur);
        } else if cur > 0 && seps < 2 && matches!(b, b' ' | b'.' | b'-' | b'(' | b')' | b'/' | b'+')
        {
            seps += 1;
        } else if cur > 0 {
            close(cur, start, last);
            cur = 0;
            seps = 0;
        }
    }
    close(cur, start, last);
    cluster
}

impl Hints {
    /// The parts of `text` that can hold a number (a phone, SSN, card, … number), as
    /// `(byte offset, window)`: each digit cluster with two bytes before it. Number detectors
    /// search these instead of the whole text (regex-lite walks every byte it is given); a
    /// match never spans two clusters, and `digits_isolated` looks outside the window.
    pub fn number_windows<'t>(
        &'t self,
        text: &'t str,
    ) -> impl Iterator<Item = (usize, &'t str)> + 't {
        #[cfg(test)]
        let whole = self.whole.then_some((0, text));
        #[cfg(not(test))]
        let whole = None;
        let windows = if whole.is_some() {
            &[][..]
        } else {
            &self.windows[..]
        };
        whole.into_iter().chain(
            windows
                .iter()
                .filter_map(|&(s, e)| text.get(s as usize..e as usize).map(|w| (s as usize, w))),
        )
    }

    /// Make the number detectors search the whole text (tests compare both ways).
    #[cfg(test)]
    fn without_windows(&self) -> Self {
        let mut s = self.clone();
        s.whole = true;
        s
    }
}

/// Is the digit run at `span` free-standing: not glued to more digits by a separator
/// (`123-45-6789-0`, `1.123.45.6789`), and not inside a word?
pub(crate) fn digits_isolated(text: &str, span: &Range<usize>) -> bool {
    let bytes = text.as_bytes();
    let s = span.start;
    let e = span.end;
    if s > 0 {
        let p = bytes[s - 1];
        if p.is_ascii_alphanumeric() || p == b'_' {
            return false;
        }
        if matches!(p, b'-' | b'.' | b',' | b'/' | b'+') && s > 1 && bytes[s - 2].is_ascii_digit() {
            return false;
        }
    }
    if e < bytes.len() {
        let n = bytes[e];
        if n.is_ascii_alphanumeric() || n == b'_' {
            return false;
        }
        if matches!(n, b'-' | b'.' | b',' | b'/')
            && e + 1 < bytes.len()
            && bytes[e + 1].is_ascii_digit()
        {
            return false;
        }
    }
    true
}

/// Are all ASCII digits of `s` the same digit?
pub(crate) fn all_same_digit(s: &str) -> bool {
    let mut digits = s.bytes().filter(u8::is_ascii_digit);
    match digits.next() {
        Some(first) => digits.all(|d| d == first),
        None => true,
    }
}

/// Push a detection with the score clamped to `[0, 1]` and rounded to four decimals (so sums
/// like 0.6 + 0.35 read 0.95, not 0.95000005).
pub(crate) fn push(out: &mut Vec<Detection>, entity: &'static str, span: Range<usize>, score: f32) {
    let score = (score.clamp(0.0, 1.0) * 10_000.0).round() / 10_000.0;
    out.push(Detection {
        entity,
        span,
        score,
    });
}

/// Whether `hay` holds one of `needles` (at most 32), ASCII case-insensitively when
/// `fold_case` (needles then in lower case): a cheap necessary condition checked before a
/// detector's regex, so drafts that cannot match neither run it nor, on the first draft after
/// start-up, build it. Callers keep the needles in a `static` [`Needles`], whose tables are
/// built at compile time.
#[cfg(test)]
pub(crate) fn has_any(hay: &str, needles: &'static [&'static [u8]], fold_case: bool) -> bool {
    Needles::new(needles, fold_case).any(hay)
}

/// Whether a detector should run its regex: yes once the regex has been built (its own
/// literal prefilter is then as fast as any check here), otherwise only when the cheap
/// necessary condition `may_match` holds, and then the regex counts as built. Keeps the first
/// drafts after start-up from building regexes that cannot match them, without adding a pass
/// to every later call.
pub(crate) fn prefilter(
    built: &std::sync::atomic::AtomicBool,
    may_match: impl FnOnce() -> bool,
) -> bool {
    use std::sync::atomic::Ordering::Relaxed;
    if built.load(Relaxed) {
        return true;
    }
    let run = may_match();
    if run {
        built.store(true, Relaxed);
    }
    run
}

/// Compile a built-in pattern (the patterns are constants covered by the unit tests, so a
/// failure here is a programming error caught by `cargo test`).
pub(crate) fn compile(pattern: &str) -> Regex {
    Regex::new(pattern).expect("built-in detector pattern compiles")
}

/// Unicode `\s` (`White_Space`, the same set as `char::is_whitespace`) as the members of a
/// regex-lite class, whose `\s` is ASCII only. A test checks it against the regex crate.
pub(crate) const WS: &str =
    r"\t\n\x0B\x0C\r \x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}";

/// A match found by [`Anchored::found`], with the accessors of a regex match.
pub(crate) struct Found<'t> {
    hay: &'t str,
    range: Range<usize>,
}

impl<'t> Found<'t> {
    pub fn start(&self) -> usize {
        self.range.start
    }

    pub fn end(&self) -> usize {
        self.range.end
    }

    pub fn as_str(&self) -> &'t str {
        &self.hay[self.range.clone()]
    }
}

/// Positions of `s` after an ASCII word boundary whose byte satisfies `first`: where a match
/// of a pattern `\b[first]…` can start.
pub(crate) fn word_starts<'a, F: Fn(u8) -> bool + 'a>(
    s: &'a str,
    first: F,
) -> impl Iterator<Item = usize> + 'a {
    let b = s.as_bytes();
    (0..b.len()).filter(move |&i| first(b[i]) && boundary_at(b, i))
}

/// `[A-Za-z0-9_]`
pub(crate) fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Whether there is an ASCII word boundary (`\b`) before byte `i`.
pub(crate) fn boundary_at(b: &[u8], i: usize) -> bool {
    let before = i > 0 && is_word_byte(b[i - 1]);
    let after = i < b.len() && is_word_byte(b[i]);
    before != after
}

/// The maximal runs of characters of `text` for which `keep` holds, as `(offset, run)`. A
/// pattern whose matches consist of such characters and whose look-arounds (`\b`) see a
/// non-word character outside the run finds the same matches in the runs as in the text:
/// detectors search only the runs that hold their trigger character, so regex-lite (no
/// literal prefilter) never walks the whole draft.
pub(crate) fn runs(text: &str, keep: impl Fn(char) -> bool) -> impl Iterator<Item = (usize, &str)> {
    let base = text.as_ptr() as usize;
    text.split(move |c: char| !keep(c))
        .filter(|r| !r.is_empty())
        .map(move |r| (r.as_ptr() as usize - base, r))
}

/// Like [`runs`], but only the runs around a position where `trigger(bytes, i)` holds (the
/// byte there is ASCII and kept), found without decoding the text in between.
pub(crate) fn runs_around(
    text: &str,
    keep: impl Fn(char) -> bool,
    trigger: impl Fn(&[u8], usize) -> bool,
) -> Vec<(usize, &str)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !trigger(b, i) {
            i += 1;
            continue;
        }
        let start = text[..i]
            .char_indices()
            .rev()
            .take_while(|&(_, c)| keep(c))
            .last()
            .map_or(i, |(j, _)| j);
        let end = text[i..]
            .char_indices()
            .find(|&(_, c)| !keep(c))
            .map_or(b.len(), |(j, _)| i + j);
        out.push((start, &text[start..end]));
        i = end.max(i + 1);
    }
    out
}

/// A pattern tried only at candidate start positions, as an anchored search: `^(?:pat)` at
/// the start of the text and `^(?s:.)(?:pat)` one character earlier elsewhere, so that
/// look-behind assertions at its start (`\b`) still see the character before. Given every
/// position a match of `pat` can start at, [`Anchored::for_each`] finds what `find_iter`
/// finds, at the cost of a few steps per candidate instead of a walk over the whole text.
#[derive(Debug)]
pub(crate) struct Anchored {
    first: Regex,
    rest: Regex,
    #[cfg(test)]
    pattern: String,
}

impl Anchored {
    pub fn new(pattern: &str) -> Self {
        Anchored {
            first: compile(&format!("^(?:{pattern})")),
            rest: compile(&format!("^(?s:.)(?:{pattern})")),
            #[cfg(test)]
            pattern: pattern.to_string(),
        }
    }

    /// The match starting at `at` (a `char` boundary), as its span and its captures with the
    /// offset to add to their positions.
    pub fn captures_at<'t>(
        &self,
        text: &'t str,
        at: usize,
    ) -> Option<(Range<usize>, usize, regex_lite::Captures<'t>)> {
        let from = if at == 0 {
            0
        } else {
            text[..at].char_indices().next_back().map_or(0, |(i, _)| i)
        };
        let re = if at == 0 { &self.first } else { &self.rest };
        // Most candidates do not match: find out with two slots before asking for the groups.
        re.find(&text[from..])?;
        let caps = re.captures(&text[from..])?;
        let end = from + caps.get(0)?.end();
        Some((at..end, from, caps))
    }

    /// [`Anchored::all`] in `hay`, each as a [`Found`] match with its captures (`hay` is
    /// searched as a whole: the captures need no offset).
    pub fn found<'t>(
        &self,
        hay: &'t str,
        starts: impl IntoIterator<Item = usize>,
    ) -> Vec<(Found<'t>, regex_lite::Captures<'t>)> {
        self.all(hay, starts)
            .into_iter()
            .map(|(range, _, caps)| (Found { hay, range }, caps))
            .collect()
    }

    /// [`Anchored::for_each`], collected: `(span, capture offset, captures)`.
    pub fn all<'t>(
        &self,
        text: &'t str,
        starts: impl IntoIterator<Item = usize>,
    ) -> Vec<(Range<usize>, usize, regex_lite::Captures<'t>)> {
        let mut out = Vec::new();
        let mut done = 0;
        for at in starts {
            if at < done || !text.is_char_boundary(at) {
                continue;
            }
            if let Some((span, offset, caps)) = self.captures_at(text, at) {
                if !span.is_empty() {
                    done = span.end;
                    out.push((span, offset, caps));
                }
            }
        }
        out
    }

    /// Leftmost-first matches, in order, not overlapping: `starts` (ascending) must hold every
    /// position a match can start at. `f` gets the span, the capture offset and the captures.
    pub fn for_each<'t>(
        &self,
        text: &'t str,
        starts: impl IntoIterator<Item = usize>,
        mut f: impl FnMut(Range<usize>, usize, &regex_lite::Captures<'t>),
    ) {
        let mut done = 0;
        for at in starts {
            if at < done || !text.is_char_boundary(at) {
                continue;
            }
            if let Some((span, offset, caps)) = self.captures_at(text, at) {
                if span.is_empty() {
                    continue;
                }
                done = span.end;
                f(span, offset, &caps);
            }
        }
    }
}

/// Whether needle `n`, whose first byte the caller matched at `b[i]` through a first-byte
/// table, continues there (ASCII case-insensitively when `fold_case`; `n` is then in lower
/// case). A plain loop: comparing through iterator adapters or `memcmp` is slow in
/// WebAssembly.
#[inline]
fn rest_matches(b: &[u8], i: usize, n: &[u8], fold_case: bool) -> bool {
    let Some(hay) = b.get(i..i + n.len()) else {
        return false;
    };
    let mut k = 1;
    while k < n.len() {
        let c = if fold_case {
            hay[k].to_ascii_lowercase()
        } else {
            hay[k]
        };
        if c != n[k] {
            return false;
        }
        k += 1;
    }
    true
}

/// Up to 32 needles with tables of those starting with each byte and of those whose second
/// byte is each byte, built at compile time: [`Needles::starts`] finds where any of them
/// occurs in one pass over the text, and most positions fail both table lookups at once (no
/// `memcmp` call per position, which is slow in WebAssembly).
pub(crate) struct Needles {
    list: &'static [&'static [u8]],
    fold_case: bool,
    tables: PairTables,
}

/// Bit `k` of `first[c]`: needle `k` starts with byte `c`; of `second[c]`: its second byte
/// is `c`, or it has one byte only. Both hold the upper-case variants when folding case.
#[derive(Clone, Copy)]
struct PairTables {
    first: [u32; 256],
    second: [u32; 256],
    /// Needles of one byte.
    single: u32,
}

impl PairTables {
    const fn new(list: &[&[u8]], fold_case: bool) -> Self {
        let mut t = PairTables {
            first: [0; 256],
            second: [0; 256],
            single: 0,
        };
        let mut k = 0;
        while k < list.len() && k < 32 {
            let n = list[k];
            if !n.is_empty() {
                let bit = 1u32 << k;
                t.first[n[0] as usize] |= bit;
                if fold_case {
                    t.first[n[0].to_ascii_uppercase() as usize] |= bit;
                }
                if n.len() == 1 {
                    t.single |= bit;
                    let mut c = 0;
                    while c < 256 {
                        t.second[c] |= bit;
                        c += 1;
                    }
                } else {
                    t.second[n[1] as usize] |= bit;
                    if fold_case {
                        t.second[n[1].to_ascii_uppercase() as usize] |= bit;
                    }
                }
            }
            k += 1;
        }
        t
    }

    /// The needles that may start at `b[i]`, judging by their first two bytes.
    #[inline]
    fn at(&self, b: &[u8], i: usize) -> u32 {
        let first = self.first[usize::from(b[i])];
        if first == 0 {
            return 0;
        }
        first
            & match b.get(i + 1) {
                Some(&c) => self.second[usize::from(c)],
                None => self.single,
            }
    }
}

impl Needles {
    /// `list` (at most 32 needles; in lower case when `fold_case`: matched ASCII
    /// case-insensitively).
    pub const fn new(list: &'static [&'static [u8]], fold_case: bool) -> Self {
        Needles {
            list,
            fold_case,
            tables: PairTables::new(list, fold_case),
        }
    }

    /// The first position at or after `from` where one of the needles starts in `b`: a table
    /// of the needles starting with each byte pair, then a byte loop over those few (no
    /// `memcmp` call per position, which is slow in WebAssembly).
    fn next_start(&self, b: &[u8], from: usize) -> Option<usize> {
        for i in from..b.len() {
            let mut set = self.tables.at(b, i);
            while set != 0 {
                let k = set.trailing_zeros() as usize;
                set &= set - 1;
                if rest_matches(b, i, self.list[k], self.fold_case) {
                    return Some(i);
                }
            }
        }
        None
    }

    /// Whether one of the needles occurs in `hay`.
    pub fn any(&self, hay: &str) -> bool {
        self.next_start(hay.as_bytes(), 0).is_some()
    }

    /// Positions (ascending) where one of the needles starts in `hay`.
    pub fn starts(&self, hay: &str) -> Vec<usize> {
        let b = hay.as_bytes();
        let mut out = Vec::new();
        let mut from = 0;
        while let Some(i) = self.next_start(b, from) {
            out.push(i);
            from = i + 1;
        }
        out
    }
}

/// Positions (ascending) where one of `needles` (at most 32) starts in `hay`, ASCII
/// case-insensitively when `fold_case` (needles then in lower case).
#[cfg(test)]
pub(crate) fn starts_of(
    hay: &str,
    needles: &'static [&'static [u8]],
    fold_case: bool,
) -> Vec<usize> {
    Needles::new(needles, fold_case).starts(hay)
}

/// Test support: a needle prefilter is a necessary condition of its regex, and searching
/// the regex only at `starts` (ASCII case-insensitively) finds what `find_iter` of the
/// regex crate finds over the whole text. Over every concatenation of three `pieces`,
/// wherever the pattern matches one of `needles` must be present; returns how many
/// concatenations matched (callers check the pieces exercise the regex).
#[cfg(test)]
pub(crate) fn needles_cover_every_match(
    re: &Anchored,
    needles: &'static [&'static [u8]],
    starts: impl Fn(&str) -> Vec<usize>,
    pieces: &[&str],
) -> usize {
    let oracle = regex::Regex::new(&re.pattern).unwrap();
    let mut matched = 0;
    for a in pieces {
        for b in pieces {
            for c in pieces {
                let s = format!("{a}{b}{c}");
                let want: Vec<Range<usize>> = oracle.find_iter(&s).map(|m| m.range()).collect();
                let mut got = Vec::new();
                re.for_each(&s, starts(&s), |span, _, _| got.push(span));
                assert_eq!(got, want, "{s:?}");
                if !want.is_empty() {
                    matched += 1;
                    assert!(has_any(&s, needles, true), "needles miss a match in {s:?}");
                }
            }
        }
    }
    matched
}

/// Test support: searched only at [`word_starts`], `re` finds what the regex crate's
/// `find_iter` finds, over every concatenation of four pieces of number-like text.
#[cfg(test)]
pub(crate) fn word_starts_agree(re: &Anchored, first: impl Fn(u8) -> bool + Copy) {
    let oracle = regex::Regex::new(&re.pattern).unwrap();
    let pieces = [
        "123", "45", "6789", "9", "0", "-", " ", ".", "A", "b", "_", "é", "(", ")", "+1", "4111",
        "10.0.", "0.1",
    ];
    let mut matched = 0;
    for a in pieces {
        for b in pieces {
            for c in pieces {
                for d in pieces {
                    let s = format!("{a}{b}{c}{d}");
                    let want: Vec<Range<usize>> = oracle.find_iter(&s).map(|m| m.range()).collect();
                    let got: Vec<Range<usize>> = re
                        .found(&s, word_starts(&s, first))
                        .into_iter()
                        .map(|(m, _)| m.start()..m.end())
                        .collect();
                    assert_eq!(got, want, "{s:?}");
                    matched += usize::from(!want.is_empty());
                }
            }
        }
    }
    assert!(matched > 50, "{matched}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ws_is_unicode_white_space() {
        let lite = Regex::new(&format!("^[{WS}]$")).unwrap();
        let unicode = regex::Regex::new(r"^\s$").unwrap();
        let mut buf = [0; 4];
        for c in (0..0x11_0000).filter_map(char::from_u32) {
            let s = c.encode_utf8(&mut buf);
            assert_eq!(lite.is_match(s), unicode.is_match(s), "{c:?}");
        }
    }

    #[test]
    fn has_any_finds_needles_with_and_without_case_folding() {
        let needles: &[&[u8]] = &[b"pass", b"pw", b"[", b"xox"];
        assert!(has_any("my PassWord", needles, true));
        assert!(!has_any("my PassWord", needles, false));
        assert!(has_any("a [b]", needles, false));
        assert!(has_any("xox", needles, false));
        assert!(!has_any("xo", needles, false));
        assert!(!has_any("", needles, true));
        assert!(has_any("xPW", needles, true));
        // A one-byte needle at the very end; a second byte only in upper case.
        assert!(has_any("ab[", needles, false));
        assert!(has_any("pW", needles, true));
        assert!(!has_any("pW", needles, false));
        // Every start, in order, compared with a plain search.
        let hay = "pass PW pwd [x] XOXO xox pas p";
        let plain: Vec<usize> = (0..hay.len())
            .filter(|&i| {
                needles.iter().any(|n| {
                    hay.as_bytes()[i..]
                        .get(..n.len())
                        .is_some_and(|h| h.eq_ignore_ascii_case(n))
                })
            })
            .collect();
        assert_eq!(Needles::new(needles, true).starts(hay), plain);
    }

    #[test]
    fn names_are_known_and_unknown_give_nothing() {
        for n in NAMES {
            assert!(is_known(n));
        }
        assert!(!is_known("US_SSN_X"));
        assert!(detect("NOPE", "My SSN is 123-45-6789").is_empty());
    }

    #[test]
    fn demo_ssn_is_detected() {
        let d = detect("US_SSN", "My SSN is 123-45-6789");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].entity, "US_SSN");
        assert_eq!(d[0].span, 10..21);
        assert!(d[0].score >= 0.5);
    }

    #[test]
    fn set_runs_only_its_detectors() {
        let set = DetectorSet::from_names(["US_SSN", "EMAIL_ADDRESS", "BOGUS"]);
        assert!(set.contains("US_SSN") && set.contains("EMAIL_ADDRESS"));
        assert!(!set.contains("CREDIT_CARD") && !set.contains("BOGUS"));
        assert_eq!(
            set.names().collect::<Vec<_>>(),
            vec!["EMAIL_ADDRESS", "US_SSN"]
        );
        let d = set.detect("SSN 123-45-6789, mail a.b@agency.gov, card 4111 1111 1111 1111");
        let entities: Vec<_> = d.iter().map(|d| d.entity).collect();
        assert_eq!(entities, vec!["EMAIL_ADDRESS", "US_SSN"]);
        assert!(DetectorSet::empty().detect("123-45-6789").is_empty());
    }

    #[test]
    fn all_matches_single_detect() {
        accessibility::install_embedded_for_tests();
        let text = "Call (202) 555-0143 or mail jo@agency.gov. SSN 123-45-6789. \
                    #stayhome see photo. password: hunter22 AKIAIOSFODNN7EXAMPLE";
        let set = DetectorSet::all();
        set.warm_up();
        let mut all = set.detect(text);
        let mut one_by_one: Vec<Detection> = NAMES.iter().flat_map(|n| detect(n, text)).collect();
        let key = |d: &Detection| (d.entity, d.span.start, d.span.end);
        all.sort_by_key(key);
        one_by_one.sort_by_key(key);
        assert_eq!(all, one_by_one);
        for n in [
            "PHONE_NUMBER",
            "EMAIL_ADDRESS",
            "US_SSN",
            "LOWERCASE_HASHTAG",
        ] {
            assert!(
                all.iter().any(|d| d.entity == n && d.score >= 0.5),
                "{n}: {all:?}"
            );
        }
    }

    #[test]
    fn each_sample_is_flagged_by_its_own_detector_only() {
        accessibility::install_embedded_for_tests();
        for (text, entity) in [
            ("My SSN is 123-45-6789", "US_SSN"),
            ("card 4111 1111 1111 1111", "CREDIT_CARD"),
            ("amex 3782 822463 10005", "CREDIT_CARD"),
            ("call (202) 555-0143", "PHONE_NUMBER"),
            ("call +1 202-555-0143 now", "PHONE_NUMBER"),
            ("London +44 20 7946 0958", "PHONE_NUMBER"),
            ("my passport is 912345678", "US_PASSPORT"),
            ("IBAN DE89 3704 0044 0532 0130 00", "IBAN_CODE"),
            ("server 192.168.10.20 is down", "IP_ADDRESS"),
            ("my ITIN 912-70-1234", "US_ITIN"),
            ("driver license A1234567", "US_DRIVER_LICENSE"),
            ("write to jo@agency.gov", "EMAIL_ADDRESS"),
            ("AKIAIOSFODNN7EXAMPLE", "CLOUD_ACCESS_KEY"),
            ("password: hunter22", "PASSWORD_ASSIGNMENT"),
            ("-----BEGIN PRIVATE KEY-----", "PRIVATE_KEY"),
            ("#climateaction", "LOWERCASE_HASHTAG"),
            ("[image] our new office", "IMAGE_WITHOUT_DESCRIPTION"),
        ] {
            let d = DetectorSet::all().detect(text);
            let strong: Vec<_> = d
                .iter()
                .filter(|d| d.score >= 0.5)
                .map(|d| d.entity)
                .collect();
            assert_eq!(strong, vec![entity], "{text}: {d:?}");
        }
    }

    #[test]
    fn ordinary_prose_gives_nothing() {
        for text in [
            "I ran 5 miles in 2024",
            "Call me maybe",
            "Room 101",
            "The meeting is at 10:30 on 2024-05-12 in building 7.",
            "We served 1,234,567 meals in fiscal year 2023.",
            "Thanks to everyone who came out today! Great turnout.",
            "Version 2.0 ships in Q3; see chapter 12.",
            "Call 911 in an emergency. Flight UA 1234 lands at 10:30:45.",
            "Order #123456 ships Monday; tickets $25.00, ratio 3:2:1.",
            "Apollo 11 launched 07/16/1969 and landed 07/20/1969.",
            "ISBN 978-3-16-148410-0, case no. 2024-CV-01234, zip 20500-0003.",
            "Our budget grew from $1,250,000 to $1,400,000 (12%) in FY2024.",
            "Press release 2024-05-12-001: 300 new jobs, 45,000 visitors.",
            "Thank you to our 1,500 volunteers! #ThankYou #PublicService",
            "Read the report at the link in our bio. Photo ID required at the door.",
        ] {
            let d = DetectorSet::all().detect(text);
            let strong: Vec<_> = d.iter().filter(|d| d.score >= 0.5).collect();
            assert!(strong.is_empty(), "{text:?} gave {strong:?}");
        }
    }

    #[test]
    fn never_panics_and_spans_are_char_boundaries() {
        let samples = [
            "",
            "é",
            "\u{0}",
            "🙂🙂🙂 123-45-6789 🙂",
            "ß@ß.ß ü@ä.de x@y.zz",
            "١٢٣-٤٥-٦٧٨٩ ٤١١١١١١١١١١١١١١١",
            "＃ｓｔａｙｈｏｍｅ #ǅungla #ÅÄÖåäö #a #_ # ## #1 #stay_home #Ünïcödé",
            "password:é pwd=🙂🙂🙂🙂 passcode 🙂",
            "-----BEGIN PRIVATE KEY-----é🙂",
            "-----BEGIN RSA PRIVATE KEY-----\nMIIé\n-----END RSA PRIVATE KEY-----",
            "DE89 3704 0044 0532 0130 0🙂 GB82WEST1234569876543",
            "::: ::1 fe80::1%eth0 1:2:3:4:5:6:7:8:9 255.255.255.255.255",
            "+ +1 +1( +44 (0) 20 +٤٤ (202)555-0143🙂",
            "http://🙂.com www. www.é.gov https://x.gov/(a)b).",
            "📷📸 [image] pic.twitter.com/ see photo",
            "\u{200d}\u{fe0f}#\u{200d}",
        ];
        let set = DetectorSet::all();
        for text in samples {
            for d in set.detect(text) {
                assert!(
                    d.span.start <= d.span.end && d.span.end <= text.len(),
                    "{text:?} {d:?}"
                );
                assert!(text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end));
                assert!((0.0..=1.0).contains(&d.score));
            }
        }
        // Pseudo-random byte soup over a small alphabet of tricky characters.
        let alphabet: Vec<char> = "0123456789 -.:@#/+=_()[]aAzZxX\n\té🙂٣ＡkK"
            .chars()
            .collect();
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..300 {
            let mut s = String::new();
            for _ in 0..60 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                s.push(alphabet[(seed % alphabet.len() as u64) as usize]);
            }
            for d in set.detect(&s) {
                assert!(s.is_char_boundary(d.span.start) && s.is_char_boundary(d.span.end));
                assert!(d.span.start < d.span.end);
            }
        }
    }

    /// Timing of every detector together on 280-character drafts. Run with
    /// `cargo test -p preflight-core --release detectors::tests::timing -- --ignored --nocapture`.
    #[test]
    #[ignore = "timing, run in release mode"]
    fn timing() {
        let drafts = [
            "Join us Saturday at the county fair! Our rangers will share tips on wildfire safety and \
             water conservation. Bring the kids, there will be games and free maps. Details at \
             agency.gov/fair #wildfiresafety #ClimateAction See the photo below for parking.",
            "Reminder: the office is closed Monday for the holiday. For emergencies call \
             (202) 555-0143 or write to help@agency.gov. My SSN is 123-45-6789 and card \
             4111 1111 1111 1111 lol. password: hunter22 #stayhome",
            "I ran 5 miles in 2024 and it was great, thanks to everyone who cheered along the way. \
             Next year: 10 miles! Room 101 is where we meet on Tuesdays at 10:30 for the running \
             club. Call me maybe if you want to join us, all levels welcome here at the agency.",
        ];
        let set = DetectorSet::all();
        set.warm_up();
        let mut out = Vec::new();
        // Best of five batches, as the machine may be shared.
        let time = |set: DetectorSet, draft: &str, out: &mut Vec<Detection>| {
            let iterations = 2_000u32;
            (0..5)
                .map(|_| {
                    let start = std::time::Instant::now();
                    for _ in 0..iterations {
                        out.clear();
                        set.detect_into(std::hint::black_box(draft), out);
                    }
                    start.elapsed() / iterations
                })
                .min()
                .unwrap_or_default()
        };
        for draft in drafts {
            let draft = &draft[..draft.len().min(280)];
            let per = time(set, draft, &mut out);
            println!(
                "{:>4} bytes, {} detections: {per:?} per draft",
                draft.len(),
                out.len()
            );
            for (i, name) in NAMES.iter().enumerate() {
                let one = DetectorSet { mask: 1 << i };
                println!("    {name:<26} {:?}", time(one, draft, &mut out));
            }
        }
    }

    /// Number detectors search only the windows around digit clusters; that must give what a
    /// search of the whole text gives.
    #[test]
    fn windows_match_whole_text_search() {
        let mut texts: Vec<String> = [
            "Call +1 (202) 555-0143 or 202.555.0199, SSN 123-45-6789, ITIN 912-70-1234",
            "card 4111 1111 1111 1111 and 378282246310005; passport A12345678; DL S530-460-80-021-0",
            "+44 20 7946 0958 / +49 (0)30 1234567 / 10.0.0.1 / ::ffff:192.0.2.128 / x123456789",
            "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30",
            "é1234567 🙂202-555-0143🙂 AB1234567 a1234-5678 12345 1234 123-45-6789-0",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let alphabet: Vec<char> = "0123456789 -.()+:/aAB\né🙂".chars().collect();
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        for _ in 0..500 {
            let mut s = String::new();
            for _ in 0..50 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                s.push(alphabet[(seed % alphabet.len() as u64) as usize]);
            }
            texts.push(s);
        }
        for text in &texts {
            let hints = Hints::new(text);
            for (i, name) in NAMES.iter().enumerate() {
                let (mut windowed, mut whole) = (Vec::new(), Vec::new());
                run(i, text, &hints, &mut windowed);
                run(i, text, &hints.without_windows(), &mut whole);
                assert_eq!(windowed, whole, "{name} on {text:?}");
            }
        }
    }

    #[test]
    fn warm_up_text_exercises_every_detector() {
        accessibility::install_embedded_for_tests();
        for name in NAMES {
            assert!(!detect(name, WARM_UP_TEXT).is_empty(), "{name}");
        }
    }

    #[test]
    fn isolation() {
        let t = "a 123-45-6789-0 b";
        assert!(!digits_isolated(t, &(2..13)));
        let t = "x 123456789.";
        assert!(digits_isolated(t, &(2..11)));
        let t = "x123456789";
        assert!(!digits_isolated(t, &(1..10)));
        assert!(all_same_digit("111-11-1111"));
        assert!(!all_same_digit("111-11-1112"));
    }
}
