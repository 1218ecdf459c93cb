//! US_SSN: US Social Security numbers, `AAA-GG-SSSS`.
//!
//! Shapes and base scores: dashes `123-45-6789` 0.6; dots `123.45.6789` or spaces
//! `123 45 6789` 0.5; nine bare digits 0.2. Context words (`ssn`, `social security`, …) add
//! 0.35, so bare digits need one to reach 0.5.
//!
//! Dropped (SSA rules, whatever the separator): mixed separators (`123-45 6789`, and so ZIP+4
//! `12345-6789`), all digits the same, area `000`, `666` or `9xx` (ITINs, see `us_itin.rs`),
//! group `00`, serial `0000`. The numbers printed on sample cards (`078-05-1120`,
//! `219-09-9999`, in any separator) are reported like any other: a reader cannot tell them
//! from a real number, and a post that shows one reads as a leaked SSN. `123-45-6789`
//! follows every SSA rule and is detected. A number glued to
//! more digits is not an SSN: by a separator (`123-45-6789-0`, `1.123.45.6789`) or, for
//! the spaced shape, by a space (`4 123 45 6789`, `123 45 6789 12`: part of a longer
//! spaced number).

use std::sync::LazyLock;

use super::{all_same_digit, context, digits_isolated, push, Anchored, Detection, Hints};

const ENTITY: &str = "US_SSN";
const CONTEXT: &[&str] = &["ssn", "ssns", "social security", "soc sec", "ssa", "ss"];

static RE: LazyLock<Anchored> = LazyLock::new(|| {
    Anchored::new(
        r"(?-u:\b)(?P<a>[0-9]{3})(?P<s1>[ .-]?)(?P<g>[0-9]{2})(?P<s2>[ .-]?)(?P<n>[0-9]{4})(?-u:\b)",
    )
});

pub(crate) fn detect(text: &str, hints: &Hints, out: &mut Vec<Detection>) {
    if hints.cluster < 9 {
        return;
    }
    for (offset, window) in hints.number_windows(text) {
        for (m, caps) in RE.found(window, super::word_starts(window, |b| b.is_ascii_digit())) {
            let span = offset + m.start()..offset + m.end();
            if !digits_isolated(text, &span) {
                continue;
            }
            let part = |n: &str| caps.name(n).map_or("", |p| p.as_str());
            let (area, group, serial) = (part("a"), part("g"), part("n"));
            let (s1, s2) = (part("s1"), part("s2"));
            if s1 != s2 || !valid(area, group, serial) {
                continue;
            }
            if s1 == " " && spaced_run_continues(text, &span) {
                continue;
            }
            let base = match s1 {
                "-" => 0.6,
                "" => 0.2,
                _ => 0.5,
            };
            let score = context::boosted(base, text, &span, CONTEXT);
            push(out, ENTITY, span, score);
        }
    }
}

/// Does a space-separated number at `span` run on into more digits across a single space
/// (`4 123 45 6789`, `123 45 6789 12`)?
fn spaced_run_continues(text: &str, span: &std::ops::Range<usize>) -> bool {
    let b = text.as_bytes();
    let before = span.start >= 2 && b[span.start - 1] == b' ' && b[span.start - 2].is_ascii_digit();
    let after =
        b.get(span.end) == Some(&b' ') && b.get(span.end + 1).is_some_and(u8::is_ascii_digit);
    before || after
}

/// SSA rules for the three groups (digits only).
pub(crate) fn valid(area: &str, group: &str, serial: &str) -> bool {
    if area == "000" || area == "666" || area.starts_with('9') || group == "00" || serial == "0000"
    {
        return false;
    }
    let mut all = [0u8; 9];
    for (i, b) in area
        .bytes()
        .chain(group.bytes())
        .chain(serial.bytes())
        .enumerate()
        .take(9)
    {
        all[i] = b;
    }
    let all = std::str::from_utf8(&all).unwrap_or("");
    !all_same_digit(all)
}

#[cfg(test)]
mod tests {
    use super::super::detect;

    fn found(text: &str) -> Vec<(&str, f32)> {
        detect("US_SSN", text)
            .into_iter()
            .map(|d| (&text[d.span], d.score))
            .collect()
    }

    #[test]
    fn valid_numbers() {
        let f = found("My SSN is 123-45-6789");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].0, "123-45-6789");
        assert!((f[0].1 - 0.95).abs() < 1e-6);
        let f = found("number 536-22-1234 on file");
        assert_eq!(f, vec![("536-22-1234", 0.6)]);
        let f = found("SSN: 536 22 1234");
        assert!((f[0].1 - 0.85).abs() < 1e-6);
    }

    #[test]
    fn dots_and_spaces() {
        for (text, want) in [
            ("my number is 536.22.1234, thanks", "536.22.1234"),
            ("it's 536 22 1234.", "536 22 1234"),
            ("(401 35 7777)", "401 35 7777"),
            ("number 219.10.9999 on the form", "219.10.9999"),
            ("number 219 09 9998 on the form", "219 09 9998"),
            ("ssn 219.09.9999 on the form", "219.09.9999"),
            ("ssn 219 09 9999 on the form", "219 09 9999"),
            ("ssn 078.05.1120 on the form", "078.05.1120"),
        ] {
            let f = found(text);
            assert_eq!(f.len(), 1, "{text}: {f:?}");
            assert_eq!(f[0].0, want);
            assert!(f[0].1 >= 0.5, "{text}: {f:?}");
        }
        // The same SSA rules as with dashes.
        for text in [
            "000 12 3456",
            "666.12.3456",
            "912 70 1234",
            "123.00.4567",
            "123 45 0000",
            "555.55.5555",
            "536.22 1234",
            "536 22.1234",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }

    #[test]
    fn spaced_and_dotted_shapes_inside_longer_numbers() {
        for text in [
            "card 4 536 22 1234",
            "ref 536 22 1234 77",
            "1.536.22.1234",
            "536.22.1234.5",
            "536.22.12345",
            "on 12.05.2024 at 10.30",
            "tel 202 555 0143",
            "call 536 222 1234",
            "10.536.22.1234",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }

    #[test]
    fn weak_shapes_need_context() {
        let f = found("order 536221234 shipped");
        assert_eq!(f.len(), 1);
        assert!(f[0].1 < 0.5);
        let f = found("my social security number is 536221234");
        assert!(f[0].1 >= 0.5);
        let f = found("536221234");
        assert!(f[0].1 < 0.5);
    }

    #[test]
    fn invalid_numbers_are_dropped() {
        for text in [
            "123-45 6789",
            "123 45-6789",
            "zip 12345-6789",
            "111-11-1111",
            "000-12-3456",
            "666-12-3456",
            "912-70-1234",
            "123-00-4567",
            "123-45-0000",
            "123-45-67890",
            "x123-45-6789",
            "1-123-45-6789",
            "I ran 5 miles in 2024",
            "Room 101",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }

    #[test]
    fn word_starts_find_every_match() {
        super::super::word_starts_agree(&super::RE, |b| b.is_ascii_digit());
    }
}
