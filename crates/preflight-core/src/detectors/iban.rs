//! IBAN_CODE: International Bank Account Numbers, compact (`DE89370400440532013000`) or in
//! groups of four (`GB82 WEST 1234 5698 7654 32`).
//!
//! Country code + two check digits + BBAN. The length must be the one registered for the
//! country (unknown countries are dropped) and the ISO 7064 mod-97 check must give 1. Base
//! score 0.85; context words (`iban`, `bank`, `account`, …) add 0.35.

use std::sync::LazyLock;

use super::{context, push, Anchored, Detection, Hints};

const ENTITY: &str = "IBAN_CODE";
const BASE: f32 = 0.85;
const CONTEXT: &[&str] = &[
    "iban", "bank", "account", "acct", "wire", "transfer", "sepa", "swift", "bic", "payment",
];

/// IBAN length per country (SWIFT IBAN registry).
const LENGTHS: &[(&str, usize)] = &[
    ("AD", 24),
    ("AE", 23),
    ("AL", 28),
    ("AT", 20),
    ("AZ", 28),
    ("BA", 20),
    ("BE", 16),
    ("BG", 22),
    ("BH", 22),
    ("BI", 27),
    ("BR", 29),
    ("BY", 28),
    ("CH", 21),
    ("CR", 22),
    ("CY", 28),
    ("CZ", 24),
    ("DE", 22),
    ("DJ", 27),
    ("DK", 18),
    ("DO", 28),
    ("EE", 20),
    ("EG", 29),
    ("ES", 24),
    ("FI", 18),
    ("FK", 18),
    ("FO", 18),
    ("FR", 27),
    ("GB", 22),
    ("GE", 22),
    ("GI", 23),
    ("GL", 18),
    ("GR", 27),
    ("GT", 28),
    ("HR", 21),
    ("HU", 28),
    ("IE", 22),
    ("IL", 23),
    ("IQ", 23),
    ("IS", 26),
    ("IT", 27),
    ("JO", 30),
    ("KW", 30),
    ("KZ", 20),
    ("LB", 28),
    ("LC", 32),
    ("LI", 21),
    ("LT", 20),
    ("LU", 20),
    ("LV", 21),
    ("LY", 25),
    ("MC", 27),
    ("MD", 24),
    ("ME", 22),
    ("MK", 19),
    ("MN", 20),
    ("MR", 27),
    ("MT", 31),
    ("MU", 30),
    ("NI", 28),
    ("NL", 18),
    ("NO", 15),
    ("OM", 23),
    ("PK", 24),
    ("PL", 28),
    ("PS", 29),
    ("PT", 25),
    ("QA", 29),
    ("RO", 24),
    ("RS", 22),
    ("RU", 33),
    ("SA", 24),
    ("SC", 31),
    ("SD", 18),
    ("SE", 24),
    ("SI", 19),
    ("SK", 24),
    ("SM", 27),
    ("SO", 23),
    ("ST", 25),
    ("SV", 28),
    ("TL", 23),
    ("TN", 24),
    ("TR", 26),
    ("UA", 29),
    ("VA", 22),
    ("VG", 24),
    ("XK", 20),
    ("YE", 30),
];

static RE: LazyLock<Anchored> =
    LazyLock::new(|| Anchored::new(r"(?-u:\b)[A-Z]{2}[0-9]{2}(?:[ ]?[A-Z0-9]){11,30}(?-u:\b)"));

/// Where a match of [`RE`] can start: two capital letters and two digits.
fn starts(b: &[u8]) -> impl Iterator<Item = usize> + '_ {
    b.windows(4).enumerate().filter_map(|(i, w)| {
        (w[0].is_ascii_uppercase()
            && w[1].is_ascii_uppercase()
            && w[2].is_ascii_digit()
            && w[3].is_ascii_digit())
        .then_some(i)
    })
}

pub(crate) fn detect(text: &str, hints: &Hints, out: &mut Vec<Detection>) {
    if hints.digits < 6 || hints.upper < 2 {
        return;
    }
    let bytes = text.as_bytes();
    RE.for_each(text, starts(bytes), |m, _, _| {
        let s = &text[m.clone()];
        let Some(&(_, len)) = LENGTHS.iter().find(|(cc, _)| *cc == &s[..2]) else {
            return;
        };
        // Take exactly `len` IBAN characters; a longer match swallowed a following word.
        let mut taken = 0;
        let mut end = m.start;
        for (i, b) in s.bytes().enumerate() {
            if b != b' ' {
                taken += 1;
                if taken == len {
                    end = m.start + i + 1;
                    break;
                }
            }
        }
        if taken < len || (end < bytes.len() && bytes[end].is_ascii_alphanumeric()) {
            return;
        }
        let span = m.start..end;
        if !mod97_is_one(&text[span.clone()]) {
            return;
        }
        let score = context::boosted(BASE, text, &span, CONTEXT);
        push(out, ENTITY, span, score);
    });
}

/// ISO 7064 MOD 97-10 over an IBAN (spaces ignored): move the first four characters to the
/// end, letters become 10–35, and the number mod 97 must be 1.
pub(crate) fn mod97_is_one(iban: &str) -> bool {
    let compact = || iban.bytes().filter(|b| *b != b' ');
    let mut rem: u32 = 0;
    for b in compact().skip(4).chain(compact().take(4)) {
        match b {
            b'0'..=b'9' => rem = (rem * 10 + u32::from(b - b'0')) % 97,
            b'A'..=b'Z' => rem = (rem * 100 + u32::from(b - b'A') + 10) % 97,
            _ => return false,
        }
    }
    rem == 1
}

#[cfg(test)]
mod tests {
    use super::super::detect;
    use super::mod97_is_one;

    fn found(text: &str) -> Vec<(&str, f32)> {
        detect("IBAN_CODE", text)
            .into_iter()
            .map(|d| (&text[d.span], d.score))
            .collect()
    }

    #[test]
    fn checksum() {
        assert!(mod97_is_one("DE89370400440532013000"));
        assert!(mod97_is_one("GB82 WEST 1234 5698 7654 32"));
        assert!(!mod97_is_one("DE88370400440532013000"));
    }

    #[test]
    fn valid_ibans() {
        for (text, want) in [
            (
                "IBAN: DE89 3704 0044 0532 0130 00.",
                "DE89 3704 0044 0532 0130 00",
            ),
            (
                "send to DE89370400440532013000 please",
                "DE89370400440532013000",
            ),
            (
                "GB82 WEST 1234 5698 7654 32 AND THEN",
                "GB82 WEST 1234 5698 7654 32",
            ),
            (
                "FR14 2004 1010 0505 0001 3M02 606",
                "FR14 2004 1010 0505 0001 3M02 606",
            ),
            ("NO9386011117947", "NO9386011117947"),
        ] {
            let f = found(text);
            assert_eq!(f.len(), 1, "{text}: {f:?}");
            assert_eq!(f[0].0, want);
            assert!(f[0].1 >= 0.85 - 1e-6);
        }
        assert_eq!(found("IBAN DE89370400440532013000")[0].1, 1.0);
    }

    #[test]
    fn invalid_ibans_are_dropped() {
        for text in [
            "DE88 3704 0044 0532 0130 00",
            "DE89 3704 0044 0532 0130 0",
            "DE89370400440532013000X",
            "ZZ89370400440532013000",
            "de89370400440532013000",
            "AB12 CDEF GHIJ KLMN",
            "I ran 5 miles in 2024",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }
}
