//! EMAIL_ADDRESS: `local@domain.tld`.
//!
//! Base score 0.8 for a well-formed address whose top-level domain is alphabetic and not a
//! file extension (`logo@2x.png`); context words (`email`, `mail`, `contact`, …) add 0.35.

use std::sync::LazyLock;

use super::{context, push, Anchored, Detection, Hints};

const ENTITY: &str = "EMAIL_ADDRESS";
const BASE: f32 = 0.8;
const CONTEXT: &[&str] = &[
    "email", "e mail", "mail", "contact", "reach", "write", "address", "inbox",
];

/// File extensions that look like top-level domains after an `@` (`icon@2x.png`).
const NOT_TLDS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "svg", "webp", "pdf", "txt", "doc", "docx", "xls", "xlsx", "exe",
    "js", "css", "html", "htm", "json", "xml", "zip", "mp4", "mov",
];

static RE: LazyLock<Anchored> = LazyLock::new(|| {
    Anchored::new(
        r"(?-u:\b)[A-Za-z0-9_%+-](?:[A-Za-z0-9._%+-]*[A-Za-z0-9_%+-])?@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+(?P<tld>[A-Za-z]{2,24})(?-u:\b)",
    )
});

/// Where in `range` a match of [`RE`] can start: an ASCII word boundary before a character of
/// `[A-Za-z0-9_%+-]`.
fn starts(text: &str, range: std::ops::Range<usize>) -> impl Iterator<Item = usize> + '_ {
    let b = text.as_bytes();
    range.filter(move |&i| {
        (b[i].is_ascii_alphanumeric() || matches!(b[i], b'_' | b'%' | b'+' | b'-'))
            && super::boundary_at(b, i)
    })
}

pub(crate) fn detect(text: &str, hints: &Hints, out: &mut Vec<Detection>) {
    if !hints.at || !hints.dot {
        return;
    }
    // Every match is made of `[A-Za-z0-9._%+@-]` and holds an `@`: search those runs only.
    let address = |c: char| c.is_ascii_alphanumeric() || "._%+@-".contains(c);
    for (offset, run) in super::runs_around(text, address, |b, i| b[i] == b'@') {
        for (m, _, caps) in RE.all(text, starts(text, offset..offset + run.len())) {
            let s = &text[m.clone()];
            let (start, end) = (m.start, m.end);
            let local = s.split('@').next().unwrap_or("");
            if local.contains("..") {
                continue;
            }
            // The character before must not continue the address (`a..b@x.com`, `é@x.com`).
            if let Some(prev) = text[..start].chars().next_back() {
                if prev == '.' || prev == '@' || prev.is_alphanumeric() {
                    continue;
                }
            }
            // `Therapy@on.example.com/x`: a URL glued to a word, not an address.
            if text[end..].starts_with(['/', '@']) {
                continue;
            }
            let tld = caps.name("tld").map_or("", |t| t.as_str());
            if NOT_TLDS.iter().any(|x| x.eq_ignore_ascii_case(tld)) {
                continue;
            }
            let span = start..end;
            let score = context::boosted(BASE, text, &span, CONTEXT);
            push(out, ENTITY, span, score);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::detect;

    fn found(text: &str) -> Vec<&str> {
        detect("EMAIL_ADDRESS", text)
            .into_iter()
            .map(|d| &text[d.span])
            .collect()
    }

    #[test]
    fn finds_addresses() {
        assert_eq!(
            found("write to jane.doe+news@agency.gov today"),
            vec!["jane.doe+news@agency.gov"]
        );
        assert_eq!(
            found("(a_b@mail.example.co.uk)"),
            vec!["a_b@mail.example.co.uk"]
        );
        assert_eq!(found("x@y.com, z@w.org."), vec!["x@y.com", "z@w.org"]);
        let d = detect("EMAIL_ADDRESS", "jo@agency.gov");
        assert!((d[0].score - 0.8).abs() < 1e-6);
        let d = detect("EMAIL_ADDRESS", "email me: jo@agency.gov");
        assert_eq!(d[0].score, 1.0);
    }

    #[test]
    fn rejects_non_addresses() {
        assert!(found("@mention only").is_empty());
        assert!(found("icon@2x.png").is_empty());
        assert!(found("a..b@x.com").is_empty());
        assert!(found("user@localhost").is_empty());
        assert!(found("meet @ 5.30").is_empty());
        assert!(found("price: 3@4.5").is_empty());
        assert!(found("see Therapy@on.example.com/lJb3gW").is_empty());
    }

    /// Tried only at its candidate starts, the pattern finds what the regex crate's
    /// `find_iter` finds.
    #[test]
    fn starts_cover_every_match() {
        let pieces = [
            "jo",
            "a.b",
            "@",
            "x.gov",
            "@agency.gov",
            "-",
            "_x",
            "%",
            "+",
            "1@2.co",
            "é",
            " ",
            "..",
            "B",
        ];
        let matched = super::super::needles_cover_every_match(
            &super::RE,
            &[b"@"],
            |s| super::starts(s, 0..s.len()).collect(),
            &pieces,
        );
        assert!(matched > 100, "{matched}");
    }
}
