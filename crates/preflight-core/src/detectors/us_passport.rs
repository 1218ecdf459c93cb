//! US_PASSPORT: US passport numbers, nine digits (`123456789`) or, for next-generation
//! passports, a letter and eight digits (`A12345678`).
//!
//! Both shapes are common in other numbers, so the base scores are low: nine digits 0.2, a
//! letter and eight digits 0.3. A context word (`passport`, `travel document`) adds 0.35 and
//! lifts them over 0.5. Numbers of one repeated digit are dropped.

use std::sync::LazyLock;

use super::{all_same_digit, context, digits_isolated, push, Anchored, Detection, Hints};

const ENTITY: &str = "US_PASSPORT";
const CONTEXT: &[&str] = &[
    "passport",
    "passport number",
    "passport no",
    "travel document",
];

static RE: LazyLock<Anchored> =
    LazyLock::new(|| Anchored::new(r"(?-u:\b)(?:[A-Z][0-9]{8}|[0-9]{9})(?-u:\b)"));

pub(crate) fn detect(text: &str, hints: &Hints, out: &mut Vec<Detection>) {
    if hints.cluster < 8 {
        return;
    }
    for (offset, window) in hints.number_windows(text) {
        for (m, _) in RE.found(
            window,
            super::word_starts(window, |b| b.is_ascii_uppercase() || b.is_ascii_digit()),
        ) {
            let span = offset + m.start()..offset + m.end();
            let s = m.as_str();
            if !digits_isolated(text, &span) || all_same_digit(s) {
                continue;
            }
            let base = if s.as_bytes()[0].is_ascii_digit() {
                0.2
            } else {
                0.3
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
        detect("US_PASSPORT", text)
            .into_iter()
            .map(|d| (&text[d.span], d.score))
            .collect()
    }

    #[test]
    fn needs_context() {
        let f = found("order 912345678");
        assert_eq!(f.len(), 1);
        assert!(f[0].1 < 0.5);
        let f = found("My passport number is 912345678.");
        assert_eq!(f[0].0, "912345678");
        assert!(f[0].1 >= 0.5);
        let f = found("Passport: A12345678");
        assert!((f[0].1 - 0.65).abs() < 1e-6);
        let f = found("A12345678");
        assert!((f[0].1 - 0.3).abs() < 1e-6);
    }

    #[test]
    fn rejects_other_shapes() {
        for text in [
            "passport 12345678",
            "passport 1234567890",
            "passport AB1234567",
            "passport 111111111",
            "passport 123-45-6789",
            "Room 101",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }

    #[test]
    fn word_starts_find_every_match() {
        super::super::word_starts_agree(&super::RE, |b| {
            b.is_ascii_uppercase() || b.is_ascii_digit()
        });
    }
}
