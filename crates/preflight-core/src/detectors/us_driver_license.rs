//! US_DRIVER_LICENSE: US driver's licence numbers. Every state has its own format, so this
//! uses generic shapes with low base scores that need a context word (`driver`, `license`,
//! `licence`, `dl`, `dmv`, …, +0.35) to reach 0.5:
//!
//! - one or two letters and 5–14 digits (`A1234567` CA, `A123456789012` FL): 0.3;
//! - a letter and dash-separated digit groups (`A123-4567-8901` IL, `S530-460-80-021-0` FL): 0.35;
//! - 7–12 bare digits (many states): 0.2.
//!
//! Numbers of one repeated digit are dropped.

use std::sync::LazyLock;

use super::{all_same_digit, context, digits_isolated, push, Anchored, Detection, Hints};

const ENTITY: &str = "US_DRIVER_LICENSE";
const CONTEXT: &[&str] = &[
    "driver",
    "drivers",
    "driver license",
    "license",
    "licence",
    "licenses",
    "dl",
    "dln",
    "dmv",
    "driving",
    "permit",
    "lic",
];

static RE: LazyLock<Anchored> = LazyLock::new(|| {
    Anchored::new(concat!(
        r"(?-u:\b)(?:",
        r"(?P<dashed>[A-Z][0-9]{3}-[0-9]{3,4}-[0-9]{2,4}(?:-[0-9]{2,3})?(?:-[0-9])?)",
        r"|(?P<alnum>[A-Z]{1,2}[0-9]{5,14})",
        r"|(?P<digits>[0-9]{7,12})",
        r")(?-u:\b)"
    ))
});

pub(crate) fn detect(text: &str, hints: &Hints, out: &mut Vec<Detection>) {
    if hints.cluster < 5 {
        return;
    }
    for (offset, window) in hints.number_windows(text) {
        for (m, caps) in RE.found(
            window,
            super::word_starts(window, |b| b.is_ascii_uppercase() || b.is_ascii_digit()),
        ) {
            let span = offset + m.start()..offset + m.end();
            if !digits_isolated(text, &span) || all_same_digit(m.as_str()) {
                continue;
            }
            let base = if caps.name("dashed").is_some() {
                0.35
            } else if caps.name("alnum").is_some() {
                0.3
            } else {
                0.2
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
        detect("US_DRIVER_LICENSE", text)
            .into_iter()
            .map(|d| (&text[d.span], d.score))
            .collect()
    }

    #[test]
    fn shapes_need_context() {
        for (text, want) in [
            ("driver's license A1234567", "A1234567"),
            ("DL: A123-4567-8901", "A123-4567-8901"),
            ("FL licence S530-460-80-021-0.", "S530-460-80-021-0"),
            ("my license number is 12345678", "12345678"),
            ("DMV issued D12345678901", "D12345678901"),
        ] {
            let f = found(text);
            assert_eq!(f.len(), 1, "{text}: {f:?}");
            assert_eq!(f[0].0, want);
            assert!(f[0].1 >= 0.5, "{text}: {f:?}");
        }
        for text in ["flight A1234567", "A123-4567-8901", "order 12345678"] {
            let f = found(text);
            assert_eq!(f.len(), 1, "{text}");
            assert!(f[0].1 < 0.5, "{text}: {f:?}");
        }
    }

    #[test]
    fn other_text_gives_nothing() {
        for text in [
            "license 1234",
            "license 11111111",
            "Room 101",
            "I ran 5 miles in 2024",
            "license ABC1234",
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
