//! US_SSN: US Social Security numbers, `AAA-GG-SSSS`.
//!
//! Shapes and base scores: dashes `123-45-6789` 0.6; spaces or dots `123 45 6789` 0.4; nine
//! bare digits 0.2. Context words (`ssn`, `social security`, …) add 0.35, so the weak shapes
//! need one to reach 0.5.
//!
//! Dropped (SSA rules): mixed separators (`123-45 6789`, and so ZIP+4 `12345-6789`), all digits
//! the same, area `000`, `666` or `9xx` (ITINs, see `us_itin.rs`), group `00`, serial `0000`,
//! and the two numbers famous for being printed on sample cards (`078-05-1120`,
//! `219-09-9999`). `123-45-6789` follows every SSA rule and is detected.

use std::sync::LazyLock;

use super::{all_same_digit, context, digits_isolated, push, Anchored, Detection, Hints};

const ENTITY: &str = "US_SSN";
const CONTEXT: &[&str] = &["ssn", "ssns", "social security", "soc sec", "ssa", "ss"];

/// Published on sample cards and used by many people by mistake; never assigned.
const SAMPLE_NUMBERS: &[&str] = &["078051120", "219099999"];

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
            let base = match s1 {
                "-" => 0.6,
                "" => 0.2,
                _ => 0.4,
            };
            let score = context::boosted(base, text, &span, CONTEXT);
            push(out, ENTITY, span, score);
        }
    }
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
    !all_same_digit(all) && !SAMPLE_NUMBERS.contains(&all)
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
        assert!((f[0].1 - 0.75).abs() < 1e-6);
    }

    #[test]
    fn weak_shapes_need_context() {
        let f = found("order 536221234 shipped");
        assert_eq!(f.len(), 1);
        assert!(f[0].1 < 0.5);
        let f = found("my social security number is 536221234");
        assert!(f[0].1 >= 0.5);
        let f = found("536.22.1234");
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
            "078-05-1120",
            "219-09-9999",
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
