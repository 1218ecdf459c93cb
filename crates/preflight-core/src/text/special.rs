//! URLs, e-mail addresses, @mentions and hashtags, found before word segmentation.
//!
//! A hand-written scanner with the exact semantics of this regex (the `regex` crate, Unicode
//! mode, leftmost-first, as `find_iter` reports matches), which the tokenizer used before the
//! engine moved to `regex-lite` (no Unicode classes, no literal prefilters):
//!
//! ```text
//! (?P<url>(?i:https?://|www\.)[^\s<>\x22]+
//!   |(?-u:\b)(?i:[a-z0-9-]+\.)+(?i:gov|mil|com|org|net|edu|io|us|ly|co|me|info|app|dev)(?:/[^\s<>\x22]*)?)
//! |(?P<email>[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})
//! |(?P<mention>(?:^|[^\w@])@[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?)
//! |(?P<hashtag>(?:^|[^\w#&])[#＃]\w*[\w&&[^\d_]]\w*)
//! ```
//!
//! `\w`, `\d` and `\s` are Unicode-aware there, and `(?i)` is Unicode simple case folding
//! (`s` also matches `ſ` U+017F, `k` also `K` U+212A). A randomized test compares this
//! scanner with that regex (kept as a dev-dependency oracle). The scanner is linear in the
//! text: every run it measures is measured once for all the start positions inside it.

use std::ops::Range;

/// Top-level domains the bare-domain alternative accepts, in the regex's order (the first
/// that matches wins: `com` before `co`).
const TLDS: [&str; 14] = [
    "gov", "mil", "com", "org", "net", "edu", "io", "us", "ly", "co", "me", "info", "app", "dev",
];

/// Unicode `\w` (letters, marks, decimal digits, connector punctuation, joiners).
fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || (!c.is_ascii() && regex_syntax::is_word_character(c))
}

/// Unicode decimal digits (`\p{Nd}`), as ranges: each script's 0–9 (the mathematical
/// alphanumerics hold five such runs). Checked against the regex crate's `\d` by a test.
const DECIMAL: [(u32, u32); 71] = [
    (0x30, 0x39),
    (0x660, 0x669),
    (0x6F0, 0x6F9),
    (0x7C0, 0x7C9),
    (0x966, 0x96F),
    (0x9E6, 0x9EF),
    (0xA66, 0xA6F),
    (0xAE6, 0xAEF),
    (0xB66, 0xB6F),
    (0xBE6, 0xBEF),
    (0xC66, 0xC6F),
    (0xCE6, 0xCEF),
    (0xD66, 0xD6F),
    (0xDE6, 0xDEF),
    (0xE50, 0xE59),
    (0xED0, 0xED9),
    (0xF20, 0xF29),
    (0x1040, 0x1049),
    (0x1090, 0x1099),
    (0x17E0, 0x17E9),
    (0x1810, 0x1819),
    (0x1946, 0x194F),
    (0x19D0, 0x19D9),
    (0x1A80, 0x1A89),
    (0x1A90, 0x1A99),
    (0x1B50, 0x1B59),
    (0x1BB0, 0x1BB9),
    (0x1C40, 0x1C49),
    (0x1C50, 0x1C59),
    (0xA620, 0xA629),
    (0xA8D0, 0xA8D9),
    (0xA900, 0xA909),
    (0xA9D0, 0xA9D9),
    (0xA9F0, 0xA9F9),
    (0xAA50, 0xAA59),
    (0xABF0, 0xABF9),
    (0xFF10, 0xFF19),
    (0x104A0, 0x104A9),
    (0x10D30, 0x10D39),
    (0x10D40, 0x10D49),
    (0x11066, 0x1106F),
    (0x110F0, 0x110F9),
    (0x11136, 0x1113F),
    (0x111D0, 0x111D9),
    (0x112F0, 0x112F9),
    (0x11450, 0x11459),
    (0x114D0, 0x114D9),
    (0x11650, 0x11659),
    (0x116C0, 0x116C9),
    (0x116D0, 0x116E3),
    (0x11730, 0x11739),
    (0x118E0, 0x118E9),
    (0x11950, 0x11959),
    (0x11BF0, 0x11BF9),
    (0x11C50, 0x11C59),
    (0x11D50, 0x11D59),
    (0x11DA0, 0x11DA9),
    (0x11F50, 0x11F59),
    (0x16130, 0x16139),
    (0x16A60, 0x16A69),
    (0x16AC0, 0x16AC9),
    (0x16B50, 0x16B59),
    (0x16D70, 0x16D79),
    (0x1CCF0, 0x1CCF9),
    (0x1D7CE, 0x1D7FF),
    (0x1E140, 0x1E149),
    (0x1E2F0, 0x1E2F9),
    (0x1E4F0, 0x1E4F9),
    (0x1E5F1, 0x1E5FA),
    (0x1E950, 0x1E959),
    (0x1FBF0, 0x1FBF9),
];

fn is_decimal(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    let c = c as u32;
    let i = DECIMAL.partition_point(|&(_, end)| end < c);
    DECIMAL.get(i).is_some_and(|&(start, _)| start <= c)
}

/// `[^\s<>"]` with Unicode `\s` (`char::is_whitespace` is the same `White_Space` property).
fn is_url_char(c: char) -> bool {
    !(c.is_whitespace() || matches!(c, '<' | '>' | '"'))
}

/// `(?i:[a-z0-9-])`: ASCII letters, digits, `-`, and the two non-ASCII characters Unicode
/// case folding adds (`K` KELVIN SIGN for `k`, `ſ` LONG S for `s`).
fn is_label_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '\u{212A}' || c == '\u{17F}'
}

/// `[A-Za-z0-9._%+-]`
fn is_local_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-')
}

/// `[A-Za-z0-9.-]`
fn is_domain_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-')
}

/// `[A-Za-z0-9_]`
fn is_ascii_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Whether `s[at..]` starts with `lit` (ASCII lower case) under Unicode simple case folding
/// of the letters used here: ASCII case, plus `ſ` for `s`. Returns the length matched.
fn starts_with_folded(s: &str, at: usize, lit: &str) -> Option<usize> {
    let mut len = 0;
    let mut chars = s[at..].chars();
    for want in lit.chars() {
        let c = chars.next()?;
        let ok = c.to_ascii_lowercase() == want || (want == 's' && c == '\u{17F}');
        if !ok {
            return None;
        }
        len += c.len_utf8();
    }
    Some(len)
}

/// End of the run of characters from `at` for which `keep` holds.
fn run_end(s: &str, at: usize, mut keep: impl FnMut(char) -> bool) -> usize {
    s[at..]
        .char_indices()
        .find(|&(_, c)| !keep(c))
        .map_or(s.len(), |(i, _)| at + i)
}

fn byte_run_end(b: &[u8], at: usize, keep: impl Fn(u8) -> bool) -> usize {
    b[at..]
        .iter()
        .position(|&x| !keep(x))
        .map_or(b.len(), |i| at + i)
}

/// The scanner's state: results that hold for every start position inside one run.
#[derive(Default)]
struct Scanner {
    /// `(end of the label run, end of the best domain match from it)`.
    domain: Option<(usize, Option<usize>)>,
    /// `(end of the local-part run, end of the e-mail match from it)`.
    email: Option<(usize, Option<usize>)>,
}

impl Scanner {
    /// The URL alternative at `at` (scheme / `www.` form, then the bare domain form).
    fn url(&mut self, s: &str, at: usize) -> Option<usize> {
        let b = s.as_bytes();
        let c = b[at];
        if matches!(c, b'h' | b'H' | b'w' | b'W') {
            let head = starts_with_folded(s, at, "http")
                .and_then(|n| {
                    let n2 = starts_with_folded(s, at + n, "s").map_or(n, |m| n + m);
                    starts_with_folded(s, at + n2, "://").map(|m| n2 + m)
                })
                .or_else(|| starts_with_folded(s, at, "www."));
            if let Some(n) = head {
                let end = run_end(s, at + n, is_url_char);
                if end > at + n {
                    return Some(end);
                }
            }
        }
        // `(?-u:\b)`: an ASCII word boundary at `at`.
        let before = at > 0 && is_ascii_word(b[at - 1]);
        if before == is_ascii_word(c) {
            return None;
        }
        // Inside the label run of the last start tried: same run, same result.
        if let Some((e, found)) = self.domain {
            if at < e {
                return found;
            }
        }
        let first = s[at..].chars().next()?;
        if !is_label_char(first) {
            return None;
        }
        let label_end = run_end(s, at, is_label_char);
        let found = domain_from(s, label_end);
        self.domain = Some((label_end, found));
        found
    }

    /// The e-mail alternative at `at`.
    fn email(&mut self, s: &str, at: usize) -> Option<usize> {
        let b = s.as_bytes();
        if !is_local_byte(b[at]) {
            return None;
        }
        // Inside the local-part run of the last start tried: same run, same result.
        if let Some((e, found)) = self.email {
            if at < e {
                return found;
            }
        }
        let local_end = byte_run_end(b, at, is_local_byte);
        let found = email_from(b, local_end);
        self.email = Some((local_end, found));
        found
    }
}

/// After a first label ending at `label_end`: `(?:\.[label]+)*` as many times as possible
/// (greedy), then back off one label at a time until a TLD follows a dot; then an optional
/// path.
fn domain_from(s: &str, label_end: usize) -> Option<usize> {
    let b = s.as_bytes();
    // Positions right after each dot of the chain.
    let mut afters = Vec::new();
    let mut pos = label_end;
    while pos < b.len() && b[pos] == b'.' {
        afters.push(pos + 1);
        let next = run_end(s, pos + 1, is_label_char);
        if next == pos + 1 {
            break;
        }
        pos = next;
    }
    for &at in afters.iter().rev() {
        for tld in TLDS {
            if let Some(n) = starts_with_folded(s, at, tld) {
                let end = at + n;
                if end < b.len() && b[end] == b'/' {
                    return Some(run_end(s, end + 1, is_url_char));
                }
                return Some(end);
            }
        }
    }
    None
}

/// After a local part ending at `local_end`: `@[A-Za-z0-9.-]+\.[A-Za-z]{2,}` with the
/// greedy run backing off to the last dot followed by two letters.
fn email_from(b: &[u8], local_end: usize) -> Option<usize> {
    if b.get(local_end) != Some(&b'@') {
        return None;
    }
    let start = local_end + 1;
    let end = byte_run_end(b, start, is_domain_byte);
    // The dot must leave at least one character before it.
    (start + 1..end).rev().find_map(|dot| {
        if b[dot] != b'.' {
            return None;
        }
        let letters = byte_run_end(b, dot + 1, |x| x.is_ascii_alphabetic());
        (letters - (dot + 1) >= 2).then_some(letters)
    })
}

/// The mention or hashtag alternative at `at`: `at` is the sigil itself when `at == 0`
/// (`^`), or the one character before it that is neither a word character nor `excluded`.
fn sigil_token(s: &str, at: usize, hashtag: bool) -> Option<usize> {
    let first = s[at..].chars().next()?;
    let is_sigil = |c: char| {
        if hashtag {
            c == '#' || c == '＃'
        } else {
            c == '@'
        }
    };
    let mut body_at = None;
    if at == 0 && is_sigil(first) {
        if let Some(end) = sigil_body(s, first.len_utf8(), hashtag) {
            return Some(end);
        }
    }
    let excluded = |c: char| {
        is_word(c)
            || if hashtag {
                c == '#' || c == '&'
            } else {
                c == '@'
            }
    };
    if !excluded(first) {
        let after = at + first.len_utf8();
        if let Some(sigil) = s[after..].chars().next().filter(|&c| is_sigil(c)) {
            body_at = Some(after + sigil.len_utf8());
        }
    }
    sigil_body(s, body_at?, hashtag)
}

/// The body after the sigil, from `at`: end of the match.
fn sigil_body(s: &str, at: usize, hashtag: bool) -> Option<usize> {
    if hashtag {
        // `\w*[\w&&[^\d_]]\w*`: the whole word run, if it holds one letter-like character.
        let mut has = false;
        let end = run_end(s, at, |c| {
            let w = is_word(c);
            has |= w && c != '_' && !is_decimal(c);
            w
        });
        has.then_some(end)
    } else {
        // `[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?`
        let b = s.as_bytes();
        if !b.get(at).copied().is_some_and(is_ascii_word) {
            return None;
        }
        let run = byte_run_end(b, at + 1, |x| is_ascii_word(x) || x == b'.' || x == b'-');
        let last = (at + 1..run)
            .rev()
            .find(|&i| is_ascii_word(b[i]))
            .map_or(at + 1, |i| i + 1);
        Some(last)
    }
}

/// Every special token of `s`, in order, as `find_iter` of the regex above would report it.
///
/// Every token holds `@`, a hash sign, `:` (`://`) or `.` (`www.`, a domain), and none holds
/// white space except a mention's or hashtag's leading character: so only the runs of
/// non-white-space characters around those bytes, each with the character before it, are
/// scanned.
pub(crate) fn special_tokens(s: &str) -> Vec<Range<usize>> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut scanner = Scanner::default();
    let mut at = 0;
    let mut i = 0;
    while i < b.len() {
        // '＃' is EF BC 83.
        if !matches!(b[i], b'@' | b'#' | b':' | b'.' | 0xEF) || i < at {
            i += 1;
            continue;
        }
        let run_start = s[..i]
            .char_indices()
            .rev()
            .take_while(|&(_, c)| !c.is_whitespace())
            .last()
            .map_or(i, |(j, _)| j);
        let run_end = s[i..]
            .char_indices()
            .find(|&(_, c)| c.is_whitespace())
            .map_or(b.len(), |(j, _)| i + j);
        let lead = s[..run_start]
            .char_indices()
            .next_back()
            .map_or(run_start, |(j, _)| j);
        at = scan(s, lead.max(at), run_end, &mut scanner, &mut out);
        i = run_end.max(i + 1);
    }
    out
}

/// Scan the start positions `at..to`, appending matches; returns where the next scan may
/// start (after the last match, or `to`).
fn scan(
    s: &str,
    mut at: usize,
    to: usize,
    scanner: &mut Scanner,
    out: &mut Vec<Range<usize>>,
) -> usize {
    let b = s.as_bytes();
    while at < to {
        if (b[at] & 0xC0) == 0x80 {
            at += 1;
            continue;
        }
        let found = scanner
            .url(s, at)
            .or_else(|| scanner.email(s, at))
            .or_else(|| may_start_sigil(b, at, b'@').then(|| sigil_token(s, at, false))?)
            .or_else(|| may_start_sigil(b, at, b'#').then(|| sigil_token(s, at, true))?);
        match found {
            Some(end) => {
                out.push(at..end);
                at = end;
            }
            None => at += 1,
        }
    }
    at
}

/// Cheap test: can a mention (`@`) or hashtag (`#`) token start at `at`? The sigil is at
/// `at` (start of the text) or right after the character at `at`.
fn may_start_sigil(b: &[u8], at: usize, sigil: u8) -> bool {
    let hit = |i: usize| match b.get(i) {
        Some(&x) if x == sigil => true,
        // '＃' is EF BC 83.
        Some(0xEF) => sigil == b'#' && b[i..].starts_with("＃".as_bytes()),
        _ => false,
    };
    if at == 0 && hit(0) {
        return true;
    }
    let len = match b[at] {
        x if x < 0x80 => 1,
        x if x >= 0xF0 => 4,
        x if x >= 0xE0 => 3,
        _ => 2,
    };
    hit(at + len)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn oracle() -> regex::Regex {
        regex::Regex::new(concat!(
            r"(?P<url>(?i:https?://|www\.)[^\s<>\x22]+",
            r"|(?-u:\b)(?i:[a-z0-9-]+\.)+(?i:gov|mil|com|org|net|edu|io|us|ly|co|me|info|app|dev)(?:/[^\s<>\x22]*)?)",
            r"|(?P<email>[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})",
            r"|(?P<mention>(?:^|[^\w@])@[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?)",
            r"|(?P<hashtag>(?:^|[^\w#&])[#＃]\w*[\w&&[^\d_]]\w*)",
        ))
        .unwrap()
    }

    #[test]
    fn decimal_table_is_unicode_nd() {
        let d = regex::Regex::new(r"^\d$").unwrap();
        let w = regex::Regex::new(r"^\w$").unwrap();
        let sp = regex::Regex::new(r"^\s$").unwrap();
        let mut buf = [0; 4];
        for c in (0..0x11_0000).filter_map(char::from_u32) {
            let s = c.encode_utf8(&mut buf);
            assert_eq!(is_decimal(c), d.is_match(s), "{c:?}");
            assert_eq!(is_word(c), w.is_match(s), "{c:?}");
            let url = !sp.is_match(s) && !matches!(c, '<' | '>' | '"');
            assert_eq!(is_url_char(c), url, "{c:?}");
        }
    }

    fn check(s: &str, re: &regex::Regex) {
        let want: Vec<Range<usize>> = re.find_iter(s).map(|m| m.range()).collect();
        assert_eq!(special_tokens(s), want, "{s:?}");
    }

    #[test]
    fn agrees_with_the_regex_on_examples() {
        let re = oracle();
        for s in [
            "",
            "see https://agency.gov/a?b=c. and www.Example.org, x.gov.",
            "mail jo.smith@agency.gov or @jo_smith. @x-",
            "#ClimateAction #2024 #_ #a_1 ＃タグ a#b &#x; #नमस्ते",
            "foo.community a.b.comedy 見てexample.gov uſ.uſ httpſ://x \u{212A}.gov",
            "a@b.c a@b.co a@.co a.@b.cc @@x @x@y.com",
            "x.com/@foo",
            "-a.gov _a.gov a-.io",
            "#1 #١٢ #\u{0663}a",
        ] {
            check(s, &re);
        }
    }

    #[test]
    fn agrees_with_the_regex_on_random_drafts() {
        let re = oracle();
        let pieces = [
            "a", "B", "k", "s", "1", "٣", " ", "\u{a0}", "\n", ".", ":", "/", "//", "@", "#", "＃",
            "&", "_", "-", "%", "+", "<", "\"", "é", "日", "\u{301}", "\u{17f}", "\u{212a}",
            "\u{2160}", "²", "gov", "Com", "co", "io", "us", "info", "http", "HTTPS", "www",
            "WWW.", "://", "😀", "\u{200d}",
        ];
        let mut rng = crate::testing::Rng(0x2545_f491);
        for _ in 0..60_000 {
            let s = rng.string(&pieces, 12);
            check(&s, &re);
        }
    }
}
