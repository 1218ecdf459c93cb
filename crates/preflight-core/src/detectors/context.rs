//! Context words: a match is more likely what it looks like when a telling word is near it
//! ("SSN", "passport", "call me at …").
//!
//! A *word* is a maximal run of alphanumeric characters, so `driver's` gives `driver` and `s`,
//! and `aws_secret_access_key` gives `aws`, `secret`, `access`, `key`. The window is
//! [`WORDS_BEFORE`] words before the match and [`WORDS_AFTER`] words after it. A context
//! keyword matches a word case-insensitively, also with a plural `s`/`es`; a keyword of several
//! words (`"social security"`) matches consecutive words. Nothing here allocates.

use std::ops::Range;

/// Score added when a context word is found (capped at 1.0).
pub const CONTEXT_BOOST: f32 = 0.35;
/// Words looked at before the match.
pub(crate) const WORDS_BEFORE: usize = 6;
/// Words looked at after the match.
pub(crate) const WORDS_AFTER: usize = 4;

/// `base`, raised by [`CONTEXT_BOOST`] if a keyword is near `span`.
pub(crate) fn boosted(base: f32, text: &str, span: &Range<usize>, keywords: &[&str]) -> f32 {
    boosted_by(base, CONTEXT_BOOST, text, span, keywords)
}

/// `base`, raised by `boost` if a keyword is near `span`, capped at 1.0.
pub(crate) fn boosted_by(
    base: f32,
    boost: f32,
    text: &str,
    span: &Range<usize>,
    keywords: &[&str],
) -> f32 {
    if has_context(text, span, keywords) {
        (base + boost).min(1.0)
    } else {
        base
    }
}

/// Is one of `keywords` (lower-case ASCII, words separated by one space) within the window
/// around `span`?
pub(crate) fn has_context(text: &str, span: &Range<usize>, keywords: &[&str]) -> bool {
    has_context_within(text, span, WORDS_BEFORE, WORDS_AFTER, keywords)
}

/// Is one of `keywords` within `before` words before `span` or `after` words after it (each
/// at most the default window, [`WORDS_BEFORE`] and [`WORDS_AFTER`])? Detectors use a narrow
/// window for cues that must sit right next to the match ("version 10.2.4.15").
pub(crate) fn has_context_within(
    text: &str,
    span: &Range<usize>,
    before: usize,
    after: usize,
    keywords: &[&str],
) -> bool {
    let start = span.start.min(text.len());
    let end = span.end.clamp(start, text.len());
    if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
        return false;
    }
    let mut before_buf = [(0usize, 0usize); WORDS_BEFORE];
    let nb = words_before(text, start, &mut before_buf[..before.min(WORDS_BEFORE)]);
    let before = &mut before_buf[..nb];
    before.reverse();
    let mut after_buf = [(0usize, 0usize); WORDS_AFTER];
    let na = words_after(text, end, &mut after_buf[..after.min(WORDS_AFTER)]);
    let after = &after_buf[..na];
    keywords
        .iter()
        .any(|kw| contains_phrase(text, before, kw) || contains_phrase(text, after, kw))
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Up to `buf.len()` words ending at or before `end`, nearest first.
fn words_before(text: &str, end: usize, buf: &mut [(usize, usize)]) -> usize {
    if buf.is_empty() {
        return 0;
    }
    let mut n = 0;
    let mut word_end: Option<usize> = None;
    for (i, c) in text[..end].char_indices().rev() {
        if is_word_char(c) {
            if word_end.is_none() {
                word_end = Some(i + c.len_utf8());
            }
        } else if let Some(e) = word_end.take() {
            buf[n] = (i + c.len_utf8(), e);
            n += 1;
            if n == buf.len() {
                return n;
            }
        }
    }
    if let Some(e) = word_end {
        buf[n] = (0, e);
        n += 1;
    }
    n
}

/// Up to `buf.len()` words starting at or after `start`, in text order.
fn words_after(text: &str, start: usize, buf: &mut [(usize, usize)]) -> usize {
    if buf.is_empty() {
        return 0;
    }
    let mut n = 0;
    let mut word_start: Option<usize> = None;
    for (i, c) in text[start..].char_indices() {
        let i = i + start;
        if is_word_char(c) {
            if word_start.is_none() {
                word_start = Some(i);
            }
        } else if let Some(s) = word_start.take() {
            buf[n] = (s, i);
            n += 1;
            if n == buf.len() {
                return n;
            }
        }
    }
    if let Some(s) = word_start {
        buf[n] = (s, text.len());
        n += 1;
    }
    n
}

/// Do the words (in text order) contain the keyword phrase as consecutive words?
fn contains_phrase(text: &str, words: &[(usize, usize)], phrase: &str) -> bool {
    let (first, rest) = match phrase.split_once(' ') {
        Some((f, r)) => (f, Some(r)),
        None => (phrase, None),
    };
    words.iter().enumerate().any(|(i, &(s, e))| {
        word_matches(&text[s..e], first)
            && match rest {
                None => true,
                Some(rest) => {
                    let mut next = words[i + 1..].iter();
                    rest.split(' ').all(|kw| {
                        next.next()
                            .is_some_and(|&(s, e)| word_matches(&text[s..e], kw))
                    })
                }
            }
    })
}

/// `word` equals `kw` ignoring ASCII case, or is its plural with `s`/`es`.
fn word_matches(word: &str, kw: &str) -> bool {
    let w = word.as_bytes();
    let k = kw.as_bytes();
    if w.len() < k.len() || w.len() > k.len() + 2 || !w[..k.len()].eq_ignore_ascii_case(k) {
        return false;
    }
    let rest = &w[k.len()..];
    rest.is_empty() || rest.eq_ignore_ascii_case(b"s") || rest.eq_ignore_ascii_case(b"es")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(text: &str, needle: &str, kws: &[&str]) -> bool {
        let s = text.find(needle).unwrap();
        has_context(text, &(s..s + needle.len()), kws)
    }

    #[test]
    fn finds_words_before_and_after() {
        assert!(ctx("My SSN is 123", "123", &["ssn"]));
        assert!(ctx("123 is my ssn", "123", &["ssn"]));
        assert!(ctx("Social  Security: 123", "123", &["social security"]));
        assert!(!ctx(
            "social media and security 123",
            "123",
            &["social security"]
        ));
        assert!(ctx("driver's license 123", "123", &["driver"]));
        assert!(ctx(
            "aws_secret_access_key=abc",
            "abc",
            &["secret access key"]
        ));
        assert!(ctx("our Passports: 123", "123", &["passport"]));
        assert!(!ctx("passporter 123", "123", &["passport"]));
    }

    #[test]
    fn window_is_limited() {
        let far = "ssn one two three four five six seven 123";
        assert!(!ctx(far, "123", &["ssn"]));
        let near = "ssn one two three four five 123";
        assert!(ctx(near, "123", &["ssn"]));
        let after_far = "123 a b c d ssn";
        assert!(!ctx(after_far, "123", &["ssn"]));
        assert!(ctx("123 a b c ssn", "123", &["ssn"]));
    }

    #[test]
    fn boost_is_capped() {
        let t = "ssn 123";
        assert_eq!(boosted(0.9, t, &(4..7), &["ssn"]), 1.0);
        assert!((boosted(0.2, t, &(4..7), &["ssn"]) - 0.55).abs() < 1e-6);
        assert_eq!(boosted(0.2, t, &(4..7), &["card"]), 0.2);
    }

    #[test]
    fn odd_input() {
        assert!(!has_context("", &(0..0), &["x"]));
        assert!(!has_context("é", &(1..1), &["x"]));
        // A span past the end is clamped to the end of the text.
        assert!(has_context("abc", &(5..9), &["abc"]));
        // Only ASCII case folding: keywords are ASCII.
        assert!(!has_context("ÉCOLE 5", &(7..8), &["école"]));
        assert!(ctx("SSN🙂123", "123", &["ssn"]));
    }
}
