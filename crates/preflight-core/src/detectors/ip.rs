//! IP_ADDRESS: IPv4 (`192.168.10.20`) and IPv6 (`2001:db8::8a2e:370:7334`) addresses.
//!
//! Candidates are confirmed by `std::net` parsing (IPv4 octets ≤ 255 without leading zeros;
//! full IPv6 grammar, so clock times `10:30:00` and MAC addresses are rejected). A dotted
//! quad glued to more dotted numbers (`1.2.3.4.5`) is dropped, and so are `::`-only
//! addresses with fewer than two groups (`::`, `::1`). Base score 0.6; context words (`ip`,
//! `server`, `host`, …) add 0.35.

use std::net::{Ipv4Addr, Ipv6Addr};
use std::str::FromStr;
use std::sync::LazyLock;

use regex_lite::Regex;

use super::{compile, context, digits_isolated, push, Anchored, Detection, Hints};

const ENTITY: &str = "IP_ADDRESS";
const BASE: f32 = 0.6;
const CONTEXT: &[&str] = &[
    "ip", "ipv4", "ipv6", "address", "addr", "server", "host", "router", "gateway", "subnet", "vpn",
];

static V4: LazyLock<Anchored> =
    LazyLock::new(|| Anchored::new(r"(?-u:\b)(?:[0-9]{1,3}\.){3}[0-9]{1,3}(?-u:\b)"));

static V6: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"[0-9A-Fa-f:]*:[0-9A-Fa-f]*:(?:[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}|[0-9A-Fa-f:]*)",
    )
});

pub(crate) fn detect(text: &str, hints: &Hints, out: &mut Vec<Detection>) {
    let first = out.len();
    if hints.colon >= 2 {
        let bytes = text.as_bytes();
        // Matches are made of `[0-9A-Fa-f:.]` (no look-around): search the runs with colons.
        let v6_char = |c: char| c.is_ascii_hexdigit() || c == ':' || c == '.';
        let runs = super::runs_around(text, v6_char, |b, i| b[i] == b':');
        for (offset, m) in runs
            .into_iter()
            .flat_map(|(o, r)| V6.find_iter(r).map(move |m| (o, m)))
        {
            let mut span = offset + m.start()..offset + m.end();
            // Must not continue a word (`abc::def` is a path, not an address).
            if span.start > 0
                && (bytes[span.start - 1].is_ascii_alphanumeric() || bytes[span.start - 1] == b'_')
            {
                continue;
            }
            if span.end < bytes.len()
                && (bytes[span.end].is_ascii_alphanumeric() || bytes[span.end] == b'_')
            {
                continue;
            }
            let mut candidate = m.as_str();
            // A colon ending a sentence (`fe80::1: see`) is not part of the address.
            if candidate.ends_with(':') && !candidate.ends_with("::") {
                candidate = &candidate[..candidate.len() - 1];
                span.end -= 1;
            }
            let groups = candidate
                .split([':', '.'])
                .filter(|g| !g.is_empty())
                .count();
            if groups < 2 || Ipv6Addr::from_str(candidate).is_err() {
                continue;
            }
            let score = context::boosted(BASE, text, &span, CONTEXT);
            push(out, ENTITY, span, score);
        }
    }
    if hints.cluster >= 4 && hints.dot {
        for (offset, window) in hints.number_windows(text) {
            for (m, _) in V4.found(window, super::word_starts(window, |b| b.is_ascii_digit())) {
                let span = offset + m.start()..offset + m.end();
                // The IPv4 tail of an IPv6 address (`::ffff:192.0.2.128`) is part of that one.
                let in_v6 = out[first..]
                    .iter()
                    .any(|d| d.span.start <= span.start && span.end <= d.span.end);
                if in_v6 || !digits_isolated(text, &span) || Ipv4Addr::from_str(m.as_str()).is_err()
                {
                    continue;
                }
                let score = context::boosted(BASE, text, &span, CONTEXT);
                push(out, ENTITY, span, score);
            }
        }
    }
    out[first..].sort_by_key(|d| d.span.start);
}

#[cfg(test)]
mod tests {
    use super::super::detect;

    fn found(text: &str) -> Vec<(&str, f32)> {
        detect("IP_ADDRESS", text)
            .into_iter()
            .map(|d| (&text[d.span], d.score))
            .collect()
    }

    #[test]
    fn ipv4() {
        assert_eq!(
            found("server at 192.168.10.20."),
            vec![("192.168.10.20", 0.95)]
        );
        assert_eq!(found("8.8.8.8 works"), vec![("8.8.8.8", 0.6)]);
        for bad in [
            "256.1.1.1",
            "1.2.3.4.5",
            "v1.2.3.4",
            "01.2.3.4",
            "1.2.3",
            "10.0.0.1a",
        ] {
            assert!(found(bad).is_empty(), "{bad}");
        }
    }

    #[test]
    fn ipv6() {
        assert_eq!(
            found("host 2001:db8::8a2e:370:7334"),
            vec![("2001:db8::8a2e:370:7334", 0.95)]
        );
        assert_eq!(
            found("fe80::1ff:fe23:4567:890a: link-local")[0].0,
            "fe80::1ff:fe23:4567:890a"
        );
        assert_eq!(found("::ffff:192.0.2.128")[0].0, "::ffff:192.0.2.128");
        assert_eq!(found("2001:0db8:85a3:0000:0000:8a2e:0370:7334")[0].1, 0.6);
        for bad in [
            "10:30:00",
            "00:1A:2B:3C:4D:5E",
            "::",
            "::1",
            "std::vec",
            "a:b",
            "1:2:3:4:5:6:7:8:9",
        ] {
            assert!(found(bad).is_empty(), "{bad}: {:?}", found(bad));
        }
    }

    #[test]
    fn word_starts_find_every_v4_match() {
        super::super::word_starts_agree(&super::V4, |b| b.is_ascii_digit());
    }
}
