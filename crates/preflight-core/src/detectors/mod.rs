//! Built-in detectors: PII (after Microsoft Presidio's recognizers: pattern, base score,
//! context words nearby, validator), secrets, and two accessibility checks.
//!
//! A rule names a detector with `{"detector": {"detector": "US_SSN"}}`.
//!
//! Every detector works the same way:
//!
//! 1. a cheap prefilter on the whole text (e.g. digit detectors skip a text with too few
//!    digits, see [`Hints`]);
//! 2. a linear-time regex (compiled once per process) finds candidates;
//! 3. a validator confirms or drops each candidate (Luhn, mod-97, SSA rules, `std::net`, …)
//!    and picks a base score from the shape of the match;
//! 4. context words near the match (see `context.rs`) raise the score by
//!    [`CONTEXT_BOOST`], capped at 1.0.
//!
//! Rules default to a minimum score of 0.5: strong, validated patterns score at least 0.5 on
//! their own; weak ones (a bare nine-digit number, a passport or driver's licence number)
//! only reach 0.5 with a context word such as "passport" nearby.
//!
//! Spans are byte offsets into the text, always on `char` boundaries.

use std::ops::Range;

mod accessibility;
mod context;
mod credit_card;
mod email;
mod iban;
mod ip;
mod phone;
mod secrets;
mod url;
mod us_driver_license;
mod us_itin;
mod us_passport;
mod us_ssn;

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

    /// Compile the regexes (and the hashtag word list) of the set now rather than on the
    /// first text, so the first keystroke is not the slow one.
    pub fn warm_up(&self) {
        for i in 0..NAMES.len() {
            if self.mask & (1 << i) != 0 {
                run(i, "", &Hints::force_all(), &mut Vec::new());
            }
        }
    }
}

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
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Hints {
    /// ASCII digits.
    pub digits: usize,
    /// ASCII upper-case letters.
    pub upper: usize,
    pub at: bool,
    pub hash: bool,
    pub colon: usize,
    pub dot: bool,
    /// `-----` somewhere (PEM armour).
    pub dashes5: bool,
    /// `=` or `:` somewhere (assignments).
    pub assign: bool,
}

impl Hints {
    pub fn new(text: &str) -> Self {
        let mut h = Hints::default();
        let mut dash_run = 0u8;
        for &b in text.as_bytes() {
            match b {
                b'0'..=b'9' => h.digits += 1,
                b'A'..=b'Z' => h.upper += 1,
                b'@' => h.at = true,
                b'#' => h.hash = true,
                b':' => {
                    h.colon += 1;
                    h.assign = true;
                }
                b'=' => h.assign = true,
                b'.' => h.dot = true,
                _ => {}
            }
            if b == b'-' {
                dash_run = dash_run.saturating_add(1);
                if dash_run >= 5 {
                    h.dashes5 = true;
                }
            } else {
                dash_run = 0;
            }
        }
        h
    }

    /// Hints that let every detector run (used to compile regexes ahead of time).
    fn force_all() -> Self {
        Hints {
            digits: usize::MAX / 2,
            upper: usize::MAX / 2,
            at: true,
            hash: true,
            colon: usize::MAX / 2,
            dot: true,
            dashes5: true,
            assign: true,
        }
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

/// Compile a built-in pattern (the patterns are constants covered by the unit tests, so a
/// failure here is a programming error caught by `cargo test`).
pub(crate) fn compile(pattern: &str) -> regex::Regex {
    regex::Regex::new(pattern).expect("built-in detector pattern compiles")
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn ordinary_prose_gives_nothing() {
        for text in [
            "I ran 5 miles in 2024",
            "Call me maybe",
            "Room 101",
            "The meeting is at 10:30 on 2024-05-12 in building 7.",
            "We served 1,234,567 meals in fiscal year 2023.",
            "Thanks to everyone who came out today! Great turnout.",
            "Version 2.0 ships in Q3; see chapter 12.",
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
