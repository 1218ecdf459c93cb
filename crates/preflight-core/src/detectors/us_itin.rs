//! US_ITIN: US Individual Taxpayer Identification Numbers, `9XX-GG-SSSS` where the group `GG`
//! is 50–65, 70–88, 90–92 or 94–99 (IRS ranges).
//!
//! Shapes and base scores: dashes 0.5; spaces 0.35; nine bare digits 0.2. Mixed separators and
//! serial `0000` are dropped. Context words (`itin`, `taxpayer`, `tax id`, …) add 0.35.

use std::sync::LazyLock;

use super::{context, digits_isolated, push, Anchored, Detection, Hints};

const ENTITY: &str = "US_ITIN";
const CONTEXT: &[&str] = &["itin", "itins", "taxpayer", "tax id", "tax", "tin", "irs"];

static RE: LazyLock<Anchored> = LazyLock::new(|| {
    Anchored::new(
        r"(?-u:\b)9[0-9]{2}(?P<s1>[ -]?)(?P<g>[0-9]{2})(?P<s2>[ -]?)(?P<n>[0-9]{4})(?-u:\b)",
    )
});

pub(crate) fn detect(text: &str, hints: &Hints, out: &mut Vec<Detection>) {
    if hints.cluster < 9 {
        return;
    }
    for (offset, window) in hints.number_windows(text) {
        for (m, caps) in RE.found(window, super::word_starts(window, |b| b == b'9')) {
            let span = offset + m.start()..offset + m.end();
            if !digits_isolated(text, &span) {
                continue;
            }
            let part = |n: &str| caps.name(n).map_or("", |p| p.as_str());
            let (s1, s2) = (part("s1"), part("s2"));
            let group: u8 = part("g").parse().unwrap_or(0);
            let group_ok = matches!(group, 50..=65 | 70..=88 | 90..=92 | 94..=99);
            if s1 != s2 || !group_ok || part("n") == "0000" {
                continue;
            }
            let base = match s1 {
                "-" => 0.5,
                " " => 0.35,
                _ => 0.2,
            };
            let score = context::boosted(base, text, &span, CONTEXT);
            push(out, ENTITY, span, score);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::detect;

    fn found(text: &str) -> Vec<(&str, f32)> {
        detect("US_ITIN", text)
            .into_iter()
            .map(|d| (&text[d.span], d.score))
            .collect()
    }

    #[test]
    fn valid_itins() {
        assert_eq!(found("number 912-70-1234")[0], ("912-70-1234", 0.5));
        let f = found("my ITIN is 912-94-1234");
        assert!((f[0].1 - 0.85).abs() < 1e-6);
        let f = found("tax id 912 55 1234");
        assert!(f[0].1 >= 0.5);
        let f = found("ref 912701234");
        assert!(f[0].1 < 0.5);
        let f = found("ITIN: 912701234");
        assert!(f[0].1 >= 0.5);
    }

    #[test]
    fn invalid_itins() {
        for text in [
            "912-69-1234",
            "912-93-1234",
            "912-89-1234",
            "812-70-1234",
            "912-70 1234",
            "912-70-0000",
            "912-70-12345",
            "Room 101",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }

    #[test]
    fn word_starts_find_every_match() {
        super::super::word_starts_agree(&super::RE, |b| b == b'9');
    }
}
