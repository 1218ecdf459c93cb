//! PHONE_NUMBER: North American (NANP) numbers, international `+CC` numbers and national
//! formats of the most common countries.
//!
//! NANP: `(202) 555-0143`, `202-555-0143`, `202.555.0143`, `+1 202 555 0143`,
//! `1-800-555-0199`, `2025550143`. The area code and exchange must start with 2–9, the area
//! code must not be an N11 service code, separators must be consistent, and a number of all
//! the same digit is dropped. Scores: formatted 0.6, with a `+1`/`1` prefix 0.7, E.164
//! (`+12025550143`) 0.6, ten bare digits 0.3 (needs a context word).
//!
//! International: `+` and a valid country calling code, 8–15 digits in all, in groups
//! separated by spaces, dots or dashes (`+44 20 7946 0958`, `+49 (0)30 123456`): 0.6.
//!
//! National formats of other countries, without `+country` (`020 7946 0958`,
//! `06 12 34 56 78`, `(02) 9876 5432`, `090-1234-5678`, `(11) 91234-5678`, …): see
//! `phone_national.rs` for the plans and their scores. One named as another kind of number
//! by a word up to three words before it (`case`, `permit`, `order`, `ref`, …; see
//! [`NOT_PHONE`]) is dropped unless a phone context word is near.
//!
//! Context words (`phone`, `call`, `cell`, `tel`, `mobile`, …) add 0.35.

use std::ops::Range;
use std::sync::LazyLock;

use regex_lite::Regex;

use super::{
    all_same_digit, compile, context, digits_isolated, phone_national, push, Detection, Hints,
};

const ENTITY: &str = "PHONE_NUMBER";
const CONTEXT: &[&str] = &[
    "phone",
    "call",
    "cell",
    "cellphone",
    "tel",
    "telephone",
    "mobile",
    "text",
    "txt",
    "fax",
    "dial",
    "whatsapp",
    "sms",
    "ph",
    "hotline",
];

/// A word up to three words before a national-format number that names it as another kind
/// of number (`Case 06-1234-5678`, `Permit 020 123 4567`), unless a phone word is near too.
const NOT_PHONE: &[&str] = &[
    "case",
    "docket",
    "order",
    "ref",
    "reference",
    "invoice",
    "permit",
    "parcel",
    "lot",
    "serial",
    "sku",
    "part",
    "item",
    "ticket",
    "tracking",
    "account",
    "acct",
    "id",
    "po",
    "contract",
    "claim",
    "file",
    "inventory",
    "code",
    "exhibit",
    "no",
    "isbn",
    "model",
    "batch",
    "receipt",
    "confirmation",
    "license",
    "policy",
];

static NANP: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?P<cc>\+?1(?P<s0>[ .-]?))?(?:\((?P<pa>[0-9]{3})\)[ ]?|(?P<a>[0-9]{3})(?P<s1>[ .-]?))(?P<ex>[0-9]{3})(?P<s2>[ .-]?)[0-9]{4}",
    )
});

static INTL: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"\+[1-9][0-9]{0,3}(?:[ .-]?\(0?[0-9]{1,4}\))?(?:[ .-]?[0-9]{1,5}){1,6}")
});

pub(crate) fn detect(text: &str, hints: &Hints, out: &mut Vec<Detection>) {
    if hints.cluster < 8 {
        return;
    }
    let first = out.len();
    if hints.cluster >= 10 {
        for (offset, window) in hints.number_windows(text) {
            for caps in NANP.captures_iter(window) {
                let Some(m) = caps.get(0) else { continue };
                if !isolated(text, offset + m.start()..offset + m.end()) {
                    continue;
                }
                let (area, paren) = match (caps.name("pa"), caps.name("a")) {
                    (Some(a), _) => (a.as_str(), true),
                    (None, Some(a)) => (a.as_str(), false),
                    _ => continue,
                };
                let exchange = caps.name("ex").map_or("", |e| e.as_str());
                let s1 = caps.name("s1").map_or("", |s| s.as_str());
                let s2 = caps.name("s2").map_or("", |s| s.as_str());
                let plus = m.as_str().starts_with('+');
                let has_cc = caps.name("cc").is_some();
                let s0 = caps.name("s0").map_or("", |s| s.as_str());
                let cc_len = caps.name("cc").map_or(0, |c| c.len());
                if !valid_nanp(area, exchange) || all_same_digit(&m.as_str()[cc_len..]) {
                    continue;
                }
                let base = if paren {
                    if has_cc {
                        0.7
                    } else {
                        0.6
                    }
                } else if s1 != s2 {
                    // 202-555 0143: mixed separators.
                    continue;
                } else if s1.is_empty() {
                    // Bare digits: 2025550143, 12025550143 (weak) or +12025550143 (E.164).
                    if plus && s0.is_empty() {
                        0.6
                    } else if has_cc && !s0.is_empty() {
                        0.5
                    } else {
                        0.3
                    }
                } else if has_cc {
                    0.7
                } else {
                    0.6
                };
                let span = offset + m.start()..offset + m.end();
                let score = context::boosted(base, text, &span, CONTEXT);
                push(out, ENTITY, span, score);
            }
        }
    }
    let nanp_end = out.len();
    for (offset, window) in hints.number_windows(text) {
        for m in INTL.find_iter(window) {
            let span = offset + m.start()..offset + m.end();
            if !isolated(text, span.clone())
                || out[first..nanp_end]
                    .iter()
                    .any(|d| overlaps(&d.span, &span))
            {
                continue;
            }
            let s = m.as_str();
            let mut digits = [0u8; 20];
            let mut n = 0;
            for b in s.bytes().filter(u8::is_ascii_digit) {
                if n == digits.len() {
                    n += 1;
                    break;
                }
                digits[n] = b - b'0';
                n += 1;
            }
            // A trunk `(0)` is not dialled internationally.
            let trunk = s.contains("(0");
            let total = if trunk { n.saturating_sub(1) } else { n };
            if !(8..=15).contains(&total) || all_same_digit(s) {
                continue;
            }
            let Some(cc_len) = country_code_len(&digits[..n.min(digits.len())]) else {
                continue;
            };
            // +1 numbers are NANP, handled above; a `+1` that failed those rules is not a phone.
            if digits[0] == 1 && cc_len == 1 {
                continue;
            }
            let score = context::boosted(0.6, text, &span, CONTEXT);
            push(out, ENTITY, span, score);
        }
    }
    if hints.cluster >= 9 {
        let mut national = Vec::new();
        for (offset, window) in hints.number_windows(text) {
            phone_national::find(text, offset, window, |span, score| {
                national.push((span, score));
            });
        }
        for (span, base) in national {
            if out[first..].iter().any(|d| overlaps(&d.span, &span))
                || (context::has_context_within(text, &span, 3, 0, NOT_PHONE)
                    && !context::has_context(text, &span, CONTEXT))
            {
                continue;
            }
            let score = context::boosted(base, text, &span, CONTEXT);
            push(out, ENTITY, span, score);
        }
    }
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

/// Not glued to other digits or letters (a leading `+` or `(` is part of the match).
fn isolated(text: &str, span: Range<usize>) -> bool {
    digits_isolated(text, &span)
}

fn valid_nanp(area: &str, exchange: &str) -> bool {
    let a = area.as_bytes();
    let e = exchange.as_bytes();
    if a.len() != 3 || e.len() != 3 {
        return false;
    }
    let n11 = |x: &[u8]| x[1] == b'1' && x[2] == b'1';
    (b'2'..=b'9').contains(&a[0]) && (b'2'..=b'9').contains(&e[0]) && !n11(a) && !n11(e)
}

/// Length of the ITU-T E.164 country calling code at the start of `digits`, if any.
fn country_code_len(digits: &[u8]) -> Option<usize> {
    let num = |k: usize| -> Option<u16> {
        (digits.len() >= k).then(|| {
            digits[..k]
                .iter()
                .fold(0u16, |acc, d| acc * 10 + u16::from(*d))
        })
    };
    let d1 = num(1)?;
    if d1 == 1 || d1 == 7 {
        return Some(1);
    }
    let d2 = num(2)?;
    const TWO: &[u16] = &[
        20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54, 55,
        56, 57, 58, 60, 61, 62, 63, 64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98,
    ];
    if TWO.contains(&d2) {
        return Some(2);
    }
    let d3 = num(3)?;
    let three = matches!(d3,
        211..=213 | 216 | 218 | 220..=258 | 260..=269 | 290 | 291 | 297..=299 | 350..=359
        | 370..=383 | 385..=387 | 389 | 420 | 421 | 423 | 500..=509 | 590..=599 | 670
        | 672..=692 | 850 | 852 | 853 | 855 | 856 | 880 | 886 | 960..=968 | 970..=977
        | 979 | 992..=996 | 998);
    three.then_some(3)
}

#[cfg(test)]
mod tests {
    use super::super::detect;

    fn found(text: &str) -> Vec<(&str, f32)> {
        detect("PHONE_NUMBER", text)
            .into_iter()
            .map(|d| (&text[d.span], d.score))
            .collect()
    }

    fn strong(text: &str) -> Vec<&str> {
        found(text)
            .into_iter()
            .filter(|(_, s)| *s >= 0.5)
            .map(|(t, _)| t)
            .collect()
    }

    #[test]
    fn nanp_formats() {
        for (text, want) in [
            ("reach us at (202) 555-0143.", "(202) 555-0143"),
            ("office 202-555-0143", "202-555-0143"),
            ("office 202.555.0143", "202.555.0143"),
            ("office +1 202 555 0143", "+1 202 555 0143"),
            ("toll free 1-800-555-0199", "1-800-555-0199"),
            ("E.164: +12025550143", "+12025550143"),
            ("+1 (202) 555-0143", "+1 (202) 555-0143"),
            ("(202)555-0143", "(202)555-0143"),
        ] {
            assert_eq!(strong(text), vec![want], "{text}");
        }
    }

    #[test]
    fn bare_digits_need_context() {
        let f = found("ticket 2025550143");
        assert_eq!(f.len(), 1);
        assert!(f[0].1 < 0.5);
        let f = found("call me at 2025550143");
        assert!(f[0].1 >= 0.5);
        let f = found("Mobile: 202-555-0143");
        assert!((f[0].1 - 0.95).abs() < 1e-6);
    }

    #[test]
    fn international() {
        assert_eq!(
            strong("London office +44 20 7946 0958"),
            vec!["+44 20 7946 0958"]
        );
        assert_eq!(
            strong("Berlin +49 (0)30 1234567"),
            vec!["+49 (0)30 1234567"]
        );
        assert_eq!(strong("Paris +33 1 23 45 67 89"), vec!["+33 1 23 45 67 89"]);
        assert_eq!(strong("Tokyo +81-3-1234-5678"), vec!["+81-3-1234-5678"]);
        // No such country code / too short / too long.
        assert!(strong("+28 1234 5678").is_empty());
        assert!(strong("+44 1234").is_empty());
        assert!(strong("+44 1234 5678 9012 3456").is_empty());
    }

    #[test]
    fn national_formats() {
        for (text, want) in [
            // United Kingdom
            ("ring me on 07700 900123 later", "07700 900123"),
            ("London office 020 7946 0958.", "020 7946 0958"),
            ("Manchester (0161) 496 0123", "(0161) 496 0123"),
            ("0161 496 0123 is the desk", "0161 496 0123"),
            ("mobile 07700 900 123", "07700 900 123"),
            // Germany
            ("Büro 030 12345678", "030 12345678"),
            ("030/1234567 ab 9 Uhr", "030/1234567"),
            ("Handy 0151 23456789", "0151 23456789"),
            ("(089) 1234567", "(089) 1234567"),
            // France
            ("appelle 06 71 23 45 89 ce soir", "06 71 23 45 89"),
            ("portable 06 12 34 56 78", "06 12 34 56 78"),
            ("bureau 01.42.68.53.00", "01.42.68.53.00"),
            ("fixe 04-72-12-34-56", "04-72-12-34-56"),
            // Netherlands
            ("bel 06-12345678", "06-12345678"),
            ("kantoor 020 123 4567", "020 123 4567"),
            // Italy
            ("Roma 06 1234 5678", "06 1234 5678"),
            ("cell 333 123 4567", "333 123 4567"),
            // Spain
            ("móvil 612 34 56 78", "612 34 56 78"),
            ("Madrid 91 123 45 67", "91 123 45 67"),
            ("Madrid: 91 587 2200.", "91 587 2200"),
            // India
            ("WhatsApp 98765 43210 anytime", "98765 43210"),
            ("Delhi office 011 2345 6789", "011 2345 6789"),
            // Australia
            ("mob 0412 345 678", "0412 345 678"),
            ("Sydney (02) 9876 5432", "(02) 9876 5432"),
            ("0412 345 678 24/7", "0412 345 678"),
            // Japan
            ("携帯 090-1234-5678", "090-1234-5678"),
            ("Tokyo 03-1234-5678", "03-1234-5678"),
            ("free dial 0120-123-456", "0120-123-456"),
            // Brazil
            ("São Paulo (11) 91234-5678", "(11) 91234-5678"),
            ("zap 21 98765-4321", "21 98765-4321"),
            ("fixo (11) 3456-7890", "(11) 3456-7890"),
            // Mexico
            ("CDMX 55 1234 5678", "55 1234 5678"),
            ("Monterrey (81) 1234-5678", "(81) 1234-5678"),
        ] {
            assert_eq!(strong(text), vec![want], "{text}: {:?}", found(text));
        }
    }

    #[test]
    fn weak_national_shapes_need_context() {
        for (weak, with_context) in [
            ("budget 612 345 678 euros", "tel 612 345 678"),
            ("ref 07700900123", "call 07700900123"),
            ("lote 11 3456 7890", "phone 11 3456 7890"),
            ("lottery numbers 06 12 34 45 49", "phone 06 12 34 45 49"),
            ("order no. 020 7946 0958", "order line, call 020 7946 0958"),
        ] {
            let f = found(weak);
            assert!(f.iter().all(|(_, s)| *s < 0.5), "{weak}: {f:?}");
            assert_eq!(found(with_context).len(), 1, "{with_context}");
            assert!(found(with_context)[0].1 >= 0.5, "{with_context}");
        }
    }

    #[test]
    fn national_near_misses() {
        for text in [
            "Boston MA 02134-1234",
            "zip+4 20500-0003",
            "order 0012 3456 7890",
            "tracking 7489 1234 5678",
            "USPS 9400 1000 0000 0000 0000 00",
            "on 12.05.2024 at 10.30",
            "2024-05-12 10:30",
            "firmware 10.2.4.15",
            "ISBN 0-306-40615-2",
            "ISBN 978-3-16-148410-0",
            "€1.234.567,89",
            "1 234 567 890 visitors",
            "items 12 34 56 78 90",
            "020-7946 0958",
            "SKU AB-0612-345678",
            "serial 020-7946-0958-X",
            "part 030 1234567.b",
            "00 11 22 33 44",
            "0000 000 000",
            "coordinates 38.8977, -77.0365",
            "flights UA 1234 and DL 5678",
            "scores 21-17, 3-1",
            "$612 345 678",
            "#06 71 23 45 89",
            "06 71 23 45 89 9",
            "020 7946 0958 12",
            "ratio 98765:43210",
            "06.12.34.56.78.90",
            "Case 06-1234-5678 is pending",
            "Docket No. 03-1234-5678 was filed",
            "Permit 020 123 4567 approved",
            "Inventory codes 0301 234567",
        ] {
            assert!(strong(text).is_empty(), "{text}: {:?}", found(text));
        }
    }

    #[test]
    fn rejects_invalid_numbers() {
        for text in [
            "222-222-2222",
            "(111) 555-0143",
            // Area codes start with 2-9 (`012-555-0143` is a national trunk number, see
            // `national_formats`).
            "112-555-0143",
            "202-155-0143",
            "911-555-0143",
            "202-555 0143",
            "202-555-01434",
            "1202-555-0143x",
            "SSN 123-45-6789",
            "zip 20500-0003",
            "I ran 5 miles in 2024",
            "Call me maybe",
            "Room 101",
            "2024-05-12 10:30",
            "population 330,000,000",
            "card 4111 1111 1111 1111",
            "up +15% to 1,234,567",
        ] {
            assert!(strong(text).is_empty(), "{text}: {:?}", found(text));
        }
    }
}
