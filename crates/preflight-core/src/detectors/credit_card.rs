//! CREDIT_CARD: payment card numbers, 13–19 digits, bare or in groups separated by spaces or
//! dashes (`4111 1111 1111 1111`, `3782-822463-10005`).
//!
//! The Luhn checksum is required. Base score 0.85 when the number also starts with a known
//! issuer prefix for its length (Visa, Mastercard, Amex, Discover, Diners, JCB, UnionPay,
//! Maestro), 0.4 otherwise. Mixed separators, odd groupings and numbers of one repeated digit
//! are dropped. Context words (`card`, `credit`, `visa`, …) add 0.35.

use std::sync::LazyLock;

use super::{all_same_digit, context, digits_isolated, push, Anchored, Detection, Hints};

const ENTITY: &str = "CREDIT_CARD";
const CONTEXT: &[&str] = &[
    "card",
    "credit",
    "debit",
    "visa",
    "mastercard",
    "amex",
    "american express",
    "discover",
    "diners",
    "jcb",
    "unionpay",
    "maestro",
    "cc",
    "cvv",
    "cvc",
    "expiry",
    "exp",
    "payment",
    "pay",
];

static RE: LazyLock<Anchored> = LazyLock::new(|| {
    Anchored::new(concat!(
        r"(?-u:\b)(?:",
        // 4-4-4-1..4 (13–16) with an optional 5th group of 1–3 (up to 19)
        r"[0-9]{4}[ -][0-9]{4}[ -][0-9]{4}[ -][0-9]{1,4}(?:[ -][0-9]{1,3})?",
        // Amex / Diners 4-6-4 or 4-6-5
        r"|[0-9]{4}[ -][0-9]{6}[ -][0-9]{4,5}",
        // bare
        r"|[0-9]{13,19}",
        r")(?-u:\b)"
    ))
});

pub(crate) fn detect(text: &str, hints: &Hints, out: &mut Vec<Detection>) {
    if hints.cluster < 13 {
        return;
    }
    for (offset, window) in hints.number_windows(text) {
        for (m, _) in RE.found(window, super::word_starts(window, |b| b.is_ascii_digit())) {
            let span = offset + m.start()..offset + m.end();
            let s = m.as_str();
            if !digits_isolated(text, &span) || all_same_digit(s) {
                continue;
            }
            let has_space = s.contains(' ');
            let has_dash = s.contains('-');
            if has_space && has_dash {
                continue;
            }
            let mut digits = [0u8; 19];
            let mut n = 0;
            for b in s.bytes().filter(u8::is_ascii_digit) {
                if n < digits.len() {
                    digits[n] = b - b'0';
                }
                n += 1;
            }
            if !(13..=19).contains(&n) || !luhn(&digits[..n]) {
                continue;
            }
            let base = if known_issuer(&digits[..n]) {
                0.85
            } else {
                0.4
            };
            let score = context::boosted(base, text, &span, CONTEXT);
            push(out, ENTITY, span, score);
        }
    }
}

/// Luhn (mod 10) checksum over the digits.
pub(crate) fn luhn(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = u32::from(d);
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    sum.checked_rem(10) == Some(0)
}

/// Does the number start with an issuer prefix that issues numbers of this length?
fn known_issuer(d: &[u8]) -> bool {
    let prefix = |k: usize| {
        d.iter()
            .take(k)
            .fold(0u32, |acc, x| acc * 10 + u32::from(*x))
    };
    let len = d.len();
    let (p1, p2, p3, p4) = (prefix(1), prefix(2), prefix(3), prefix(4));
    let visa = p1 == 4 && matches!(len, 13 | 16 | 19);
    let mastercard = ((51..=55).contains(&p2) || (2221..=2720).contains(&p4)) && len == 16;
    let amex = (p2 == 34 || p2 == 37) && len == 15;
    let discover =
        (p4 == 6011 || p2 == 65 || (644..=649).contains(&p3)) && (16..=19).contains(&len);
    let diners =
        ((300..=305).contains(&p3) || p2 == 36 || p2 == 38 || p2 == 39) && (14..=19).contains(&len);
    let jcb = (3528..=3589).contains(&p4) && (16..=19).contains(&len);
    let unionpay = p2 == 62 && (16..=19).contains(&len);
    let maestro = (p2 == 50 || (56..=69).contains(&p2)) && (13..=19).contains(&len);
    visa || mastercard || amex || discover || diners || jcb || unionpay || maestro
}

#[cfg(test)]
mod tests {
    use super::super::detect;
    use super::luhn;

    fn found(text: &str) -> Vec<(&str, f32)> {
        detect("CREDIT_CARD", text)
            .into_iter()
            .map(|d| (&text[d.span], d.score))
            .collect()
    }

    #[test]
    fn luhn_checksum() {
        let digits = |s: &str| s.bytes().map(|b| b - b'0').collect::<Vec<_>>();
        assert!(luhn(&digits("4111111111111111")));
        assert!(luhn(&digits("79927398713")));
        assert!(!luhn(&digits("4111111111111112")));
    }

    #[test]
    fn valid_cards() {
        for (text, want) in [
            ("pay with 4111 1111 1111 1111 ok", "4111 1111 1111 1111"),
            ("5500-0000-0000-0004", "5500-0000-0000-0004"),
            ("amex 3782 822463 10005", "3782 822463 10005"),
            ("378282246310005", "378282246310005"),
            ("6011111111111117.", "6011111111111117"),
            ("diners 3056 930902 5904", "3056 930902 5904"),
            ("4222222222222", "4222222222222"),
        ] {
            let f = found(text);
            assert_eq!(f.len(), 1, "{text}");
            assert_eq!(f[0].0, want);
            assert!(f[0].1 >= 0.85 - 1e-6, "{text}: {f:?}");
        }
    }

    #[test]
    fn context_and_unknown_issuers() {
        let f = found("4111111111111111");
        assert!((f[0].1 - 0.85).abs() < 1e-6);
        let f = found("my visa card 4111111111111111");
        assert_eq!(f[0].1, 1.0);
        // Luhn-valid, no known issuer: weak on its own.
        let f = found("ref 1234567812345670");
        assert_eq!(f.len(), 1);
        assert!(f[0].1 < 0.5);
        let f = found("credit card 1234567812345670");
        assert!(f[0].1 >= 0.5);
    }

    #[test]
    fn invalid_numbers_are_dropped() {
        for text in [
            "4111 1111 1111 1112",
            "4111111111111112",
            "0000 0000 0000 0000",
            "4111 1111-1111 1111",
            "4111 1111 1111 11111 2",
            "41111111111111111111111",
            "202 555 0143 202 555 0199",
            "I ran 5 miles in 2024",
        ] {
            let f = found(text);
            assert!(f.is_empty(), "{text}: {f:?}");
        }
        // A valid card after a stray number is still found.
        assert_eq!(found("ID 12 4111 1111 1111 1111").len(), 1);
    }

    #[test]
    fn word_starts_find_every_match() {
        super::super::word_starts_agree(&super::RE, |b| b.is_ascii_digit());
    }
}
