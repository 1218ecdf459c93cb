//! URL: web addresses.
//!
//! Shapes and base scores: with a scheme (`https://…`, `ftp://…`) 0.7; starting `www.` 0.6;
//! a bare domain with a common top-level domain (`agency.gov/path`, `bit.ly/x`), written in
//! lower case, 0.5. Trailing sentence punctuation and an unbalanced closing bracket are left
//! out of the span; the domain of an e-mail address is not a URL. Context words (`link`,
//! `website`, `visit`, …) add 0.35.

use std::sync::LazyLock;

use super::{context, push, Anchored, Detection, Hints};

const ENTITY: &str = "URL";
const CONTEXT: &[&str] = &[
    "url", "link", "links", "website", "site", "visit", "click", "web", "page", "http", "https",
];

static RE: LazyLock<Anchored> = LazyLock::new(|| {
    Anchored::new(&concat!(
        // `[^\s<>"]` with Unicode `\s` (WS), and `(?i:s)` also matching `ſ` (U+017F), as in
        // the Unicode-aware regex crate the detectors used before regex-lite.
        r#"(?P<scheme>(?:(?i:http)[sS\x{17F}]?|(?i:ftp))://[^{ws}<>"]+)"#,
        r#"|(?P<www>(?-u:\b)(?i:www)\.[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?:[/?#][^{ws}<>"]*)?)"#,
        r#"|(?P<bare>(?-u:\b)(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+"#,
        r#"(?:com|org|net|gov|edu|mil|int|io|co|us|uk|ca|eu|info|biz|app|dev|ly|gl|news|tv|me)"#,
        r#"(?-u:\b)(?:/[^{ws}<>"]*)?)"#,
    ).replace("{ws}", super::WS))
});

pub(crate) fn detect(text: &str, hints: &Hints, out: &mut Vec<Detection>) {
    if !hints.dot {
        return;
    }
    let bytes = text.as_bytes();
    // Every match is made of `[^\s<>"]` and holds `://`, `www.` or a dot before one of the
    // top-level domains: search the runs that do.
    let url_char = |c: char| !(c.is_whitespace() || matches!(c, '<' | '>' | '"'));
    let runs = super::runs_around(text, url_char, url_trigger);
    for (offset, run) in runs {
        for (m, _, caps) in RE.all(text, starts(text, offset..offset + run.len())) {
            let (m_start, m_end) = (m.start, m.end);
            let (base, bare) = if caps.name("scheme").is_some() {
                (0.7, false)
            } else if caps.name("www").is_some() {
                (0.6, false)
            } else {
                (0.5, true)
            };
            let start = m_start;
            if start > 0 {
                let prev = bytes[start - 1];
                // user@agency.gov, .gov, sub-parts of something longer.
                if prev == b'@'
                    || prev == b'.'
                    || (bare && (prev == b'-' || prev == b'/' || prev == b'_'))
                {
                    continue;
                }
            }
            if bare && bytes.get(m_end) == Some(&b'@') {
                continue;
            }
            let end = start + trim_end(&text[m.clone()]);
            // A scheme with nothing after it is not a URL.
            let s = &text[start..end];
            if s.ends_with("://") || s.len() < 4 {
                continue;
            }
            let span = start..end;
            let score = context::boosted(base, text, &span, CONTEXT);
            push(out, ENTITY, span, score);
        }
    }
}

/// Where in `range` a match of [`RE`] can start: `http` or `ftp` (any case), or an ASCII
/// letter or digit after an ASCII word boundary (`www.`, a bare domain).
fn starts(text: &str, range: std::ops::Range<usize>) -> impl Iterator<Item = usize> + '_ {
    let b = text.as_bytes();
    range.filter(move |&i| {
        let scheme = |p: &[u8]| b.len() >= i + p.len() && b[i..i + p.len()].eq_ignore_ascii_case(p);
        (b[i].is_ascii_alphanumeric() && super::boundary_at(b, i))
            || scheme(b"http")
            || scheme(b"ftp")
    })
}

/// Top-level domains of the bare-domain alternative of [`RE`].
const TLDS: &[&str] = &[
    "com", "org", "net", "gov", "edu", "mil", "int", "io", "co", "us", "uk", "ca", "eu", "info",
    "biz", "app", "dev", "ly", "gl", "news", "tv", "me",
];

/// Every match of [`RE`] holds a position where this holds: `://`, `www.` or a dot before
/// one of the top-level domains.
fn url_trigger(b: &[u8], i: usize) -> bool {
    match b[i] {
        b':' => b[i..].starts_with(b"://"),
        b'.' => {
            let rest = &b[i + 1..];
            (i >= 3 && b[i - 3..i].eq_ignore_ascii_case(b"www"))
                || TLDS.iter().any(|t| rest.starts_with(t.as_bytes()))
        }
        _ => false,
    }
}

/// A necessary condition for [`RE`] to match in `run`.
#[cfg(test)]
fn may_hold_url(run: &str) -> bool {
    (0..run.len()).any(|i| url_trigger(run.as_bytes(), i))
}

/// Length of `url` without trailing punctuation and unbalanced closing brackets.
fn trim_end(url: &str) -> usize {
    let mut end = url.len();
    loop {
        let Some(c) = url[..end].chars().next_back() else {
            return end;
        };
        let drop = match c {
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '"' | '*' | '…' | '’' | '”' => true,
            ')' => url[..end].matches('(').count() < url[..end].matches(')').count(),
            ']' => url[..end].matches('[').count() < url[..end].matches(']').count(),
            '}' => true,
            _ => false,
        };
        if !drop {
            return end;
        }
        end -= c.len_utf8();
    }
}

#[cfg(test)]
mod tests {
    use super::super::detect;

    fn found(text: &str) -> Vec<(&str, f32)> {
        detect("URL", text)
            .into_iter()
            .map(|d| (&text[d.span], d.score))
            .collect()
    }

    /// The run test never skips a run the regex matches in.
    #[test]
    fn may_hold_url_never_misses_a_match() {
        let oracle = regex::Regex::new(&super::RE.pattern).unwrap();
        let pieces = [
            "a", "B", "1", ".", ":", "/", "//", "-", "www", "WwW", "com", "org", "gov", "io", "uk",
            "news", "me", "http", "S", "ftp", "?", "#", "_", "é",
        ];
        let mut matched = 0;
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    for d in ["", ".", "a"] {
                        let s = format!("{a}{b}{c}{d}");
                        if oracle.is_match(&s) {
                            matched += 1;
                            assert!(super::may_hold_url(&s), "{s:?}");
                        }
                    }
                }
            }
        }
        assert!(matched > 100, "{matched}");
    }

    #[test]
    fn urls() {
        assert_eq!(
            found("see https://www.agency.gov/news?id=1.")[0].0,
            "https://www.agency.gov/news?id=1"
        );
        assert_eq!(
            found("(details at http://x.org/a_(b))")[0].0,
            "http://x.org/a_(b)"
        );
        assert_eq!(
            found("(details at http://x.org/ab)")[0].0,
            "http://x.org/ab"
        );
        assert_eq!(found("go to www.agency.gov!")[0].0, "www.agency.gov");
        assert_eq!(found("agency.gov/apply, today")[0].0, "agency.gov/apply");
        let f = found("visit bit.ly/3xYz");
        assert_eq!(f[0].0, "bit.ly/3xYz");
        assert!((f[0].1 - 0.85).abs() < 1e-6);
        assert_eq!(found("HTTPS://EXAMPLE.COM").len(), 1);
    }

    #[test]
    fn not_urls() {
        for text in [
            "mail jo@agency.gov",
            "e.g. this",
            "Node.js and ASP.NET",
            "done.Then",
            "https:// nothing",
            "Version 2.0 ships",
            "U.S. Army",
            "I ran 5 miles in 2024",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }

    /// Tried only at its candidate starts, the pattern finds what the regex crate's
    /// `find_iter` finds.
    #[test]
    fn starts_cover_every_match() {
        let pieces = [
            "https://",
            "httpſ://",
            "FTP://",
            "www.",
            "WwW.",
            "agency.gov",
            "x.io/a",
            "http",
            "b.com",
            "a",
            "B1",
            ".",
            ":",
            "/",
            "-",
            "_",
            "é",
            " ",
            "@",
            "\u{a0}",
        ];
        let matched = super::super::needles_cover_every_match(
            &super::RE,
            &[b".", b":"],
            |s| super::starts(s, 0..s.len()).collect(),
            &pieces,
        );
        assert!(matched > 500, "{matched}");
    }
}
