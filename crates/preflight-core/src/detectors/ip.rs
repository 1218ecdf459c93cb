//! IP_ADDRESS: IPv4 and IPv6 addresses in every form people paste into posts.
//!
//! Forms found (the span covers the whole form):
//!
//! * IPv4 `192.168.10.20`, also right before `,` `.` `)`, after `user@` (`admin@10.1.2.3`,
//!   the address only) and as the ends of a range (`192.168.1.100-192.168.1.200`);
//! * IPv6 full (`2001:0db8:85a3:0000:0000:8a2e:0370:7334`) and compressed (`::1`,
//!   `fd00:ab::7`, `2001:db8::`), with a zone id (`fe80::1%eth0`), with an embedded IPv4
//!   (`::ffff:10.0.0.5`, NAT64 `64:ff9b::192.0.2.33`);
//! * CIDR prefixes (`10.0.0.0/8`, `2001:db8::/32`; the length must be at most 32 / 128);
//! * ports (`10.0.0.5:8080`, `[2001:db8::1]:8443`; 1–65535).
//!
//! Validation is `std::net` parsing: IPv4 octets ≤ 255 without leading zeros; the full IPv6
//! grammar (groups of at most four hex digits, one `::`, eight groups or fewer with `::`), so
//! clock times `10:30:00`, scores `3:1`, verses `John 3:16` and MAC addresses are rejected. On
//! top of the grammar an IPv6 candidate needs a sane shape: at least one digit, and either
//! `::1` or two or more groups of which one has three or more hex digits or is an embedded
//! IPv4 (`dead::beef`, `1::2`, `a:b` are not taken for addresses); a single group only as a
//! network prefix (`fd00::/8`). A dotted quad glued to more
//! dotted numbers (`1.2.3.4.5`) is dropped, and so is one named as a version or a document
//! number by the word right before it (`firmware 10.2.4.15`, `version 4.4.0.1`, `v 1.2.3.4`,
//! `section 1.2.3.4`; also up to four words before for version words: `firmware version
//! 10.2.4.15`, `upgraded the portal to 4.4.0.1`), unless an address word (`ip`, `server`, …)
//! is as near.
//!
//! Private, loopback, link-local, shared (CGNAT) and documentation ranges are reported like
//! any other address: they reveal how an internal network is laid out.
//!
//! Scores: IPv4 0.7 (four one-digit octets not all the same, `3.2.1.0`, 0.5: more often a
//! version or outline number), IPv6 0.75, any form with a port, prefix, zone id, brackets or
//! `user@` 0.8; context words (`ip`, `server`, `host`, …) add 0.35.

use std::net::{Ipv4Addr, Ipv6Addr};
use std::ops::Range;
use std::str::FromStr;
use std::sync::LazyLock;

use regex_lite::Regex;

use super::{compile, context, digits_isolated, is_word_byte, push, Anchored, Detection, Hints};

const ENTITY: &str = "IP_ADDRESS";
const BASE_V4: f32 = 0.7;
const BASE_V6: f32 = 0.75;
/// Four one-digit octets, not all the same (see [`small_octets`]): needs a context word.
const SMALL_V4: f32 = 0.5;
/// With a port, prefix length, zone id, brackets or `user@`.
const SHAPED: f32 = 0.8;
const CONTEXT: &[&str] = &[
    "ip",
    "ipv4",
    "ipv6",
    "address",
    "addr",
    "server",
    "host",
    "router",
    "gateway",
    "subnet",
    "vpn",
    "ssh",
    "ping",
    "dns",
    "firewall",
    "proxy",
    "localhost",
    "cidr",
    "port",
];

/// A word right before a dotted quad that makes it a version or a document number.
const NUMBERED: &[&str] = &[
    "v",
    "ver",
    "vers",
    "rev",
    "revision",
    "edition",
    "ed",
    "section",
    "sec",
    "chapter",
    "ch",
    "paragraph",
    "para",
    "clause",
    "article",
    "art",
    "rule",
    "item",
    "step",
    "figure",
    "fig",
    "table",
    "appendix",
    "annex",
    "part",
    "verse",
    "page",
    "pp",
    "isbn",
    "lot",
    "batch",
    "model",
    "sku",
    "standard",
    "no",
    "number",
    "tier",
    "level",
    "line",
    "form",
    "exhibit",
    "schema",
    "spec",
];

/// A word up to two words before a dotted quad that makes it a version.
const VERSION: &[&str] = &[
    "version",
    "release",
    "released",
    "build",
    "firmware",
    "fw",
    "software",
    "patch",
    "patched",
    "update",
    "updated",
    "upgrade",
    "upgraded",
    "downgrade",
    "downgraded",
    "bios",
    "kernel",
    "driver",
    "sdk",
    "ios",
    "android",
    "windows",
    "macos",
    "chrome",
    "firefox",
    "python",
    "java",
];

/// A word right after a dotted quad that makes it a version (`1.2.3.4 release notes`).
const VERSION_AFTER: &[&str] = &["release", "build", "firmware", "patch", "update"];

static V4: LazyLock<Anchored> =
    LazyLock::new(|| Anchored::new(r"(?-u:\b)(?:[0-9]{1,3}\.){3}[0-9]{1,3}(?-u:\b)"));

static V6: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"[0-9A-Fa-f:]*:[0-9A-Fa-f]*:(?:[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}|[0-9A-Fa-f:]*)",
    )
});

pub(crate) fn detect(text: &str, hints: &Hints, out: &mut Vec<Detection>) {
    let first = out.len();
    let bytes = text.as_bytes();
    if hints.colon >= 2 {
        // Matches are made of `[0-9A-Fa-f:.]` (no look-around): search the runs with colons.
        let v6_char = |c: char| c.is_ascii_hexdigit() || c == ':' || c == '.';
        let runs = super::runs_around(text, v6_char, |b, i| b[i] == b':');
        for (offset, m) in runs
            .into_iter()
            .flat_map(|(o, r)| V6.find_iter(r).map(move |m| (o, m)))
        {
            let mut span = offset + m.start()..offset + m.end();
            // Must not continue a word (`abc::def` is a path, not an address).
            if span.start > 0 && is_word_byte(bytes[span.start - 1]) {
                continue;
            }
            if span.end < bytes.len() && is_word_byte(bytes[span.end]) {
                continue;
            }
            let mut candidate = m.as_str();
            // A colon ending a sentence (`fe80::1: see`) is not part of the address.
            if candidate.ends_with(':') && !candidate.ends_with("::") {
                candidate = &candidate[..candidate.len() - 1];
                span.end -= 1;
            }
            let Some(groups) = sane_v6(candidate) else {
                continue;
            };
            // One group (`fd00::`) only as a network prefix (`fd00::/8`).
            let prefix = bytes.get(span.end) == Some(&b'/');
            if (groups < 2 && !prefix) || Ipv6Addr::from_str(candidate).is_err() {
                continue;
            }
            let Some((span, shaped)) = extend(bytes, span, true) else {
                continue;
            };
            let base = if shaped { SHAPED } else { BASE_V6 };
            let score = context::boosted(base, text, &span, CONTEXT);
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
                if in_v6 || Ipv4Addr::from_str(m.as_str()).is_err() {
                    continue;
                }
                let Some((span, shaped)) = extend(bytes, span, false) else {
                    continue;
                };
                let isolated = digits_isolated(text, &span) || in_range(text, &span);
                if !isolated || (!shaped && numbered(text, &span)) {
                    continue;
                }
                let base = if shaped {
                    SHAPED
                } else if small_octets(m.as_str()) {
                    SMALL_V4
                } else {
                    BASE_V4
                };
                let score = context::boosted(base, text, &span, CONTEXT);
                push(out, ENTITY, span, score);
            }
        }
    }
    out[first..].sort_by_key(|d| d.span.start);
}

/// Beyond the IPv6 grammar: at least one digit, and `::1` or a group of three or more hex
/// digits or an embedded IPv4. The number of groups (`::1` counts as two: it stands alone).
fn sane_v6(candidate: &str) -> Option<usize> {
    if !candidate.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    if candidate == "::1" {
        return Some(2);
    }
    let mut groups = 0;
    let mut telling = false;
    for g in candidate.split(':').filter(|g| !g.is_empty()) {
        groups += 1;
        telling |= g.len() >= 3 || g.contains('.');
    }
    telling.then_some(groups)
}

/// Four one-digit octets, not all the same (`3.2.1.0`, `1.2.3.4`): more often a version or an
/// outline number than an address (`8.8.8.8` and `1.1.1.1` are resolvers).
fn small_octets(quad: &str) -> bool {
    let b = quad.as_bytes();
    b.len() == 7 && !(b[0] == b[2] && b[2] == b[4] && b[4] == b[6])
}

/// Is the dotted quad at `span` named as a version or a document number by the words around
/// it (and no address word nearer)?
fn numbered(text: &str, span: &Range<usize>) -> bool {
    if context::has_context_within(text, span, 4, 0, CONTEXT) {
        return false;
    }
    context::has_context_within(text, span, 1, 0, NUMBERED)
        || context::has_context_within(text, span, 4, 0, VERSION)
        || context::has_context_within(text, span, 0, 1, VERSION_AFTER)
}

/// Is the dotted quad at `span` one end of a range written with a dash
/// (`192.168.1.100-192.168.1.200`), the other end a dotted quad too, and free on its far side?
fn in_range(text: &str, span: &Range<usize>) -> bool {
    let b = text.as_bytes();
    // Nothing glued on at `i` (after an end) or before `i` (before a start).
    let free_at = |i: usize| match b.get(i) {
        None => true,
        Some(&c) => {
            let joiner = matches!(c, b'-' | b'.' | b'/' | b',')
                && b.get(i + 1).is_some_and(u8::is_ascii_digit);
            !is_word_byte(c) && !joiner
        }
    };
    let free_before = |i: usize| i == 0 || (!is_word_byte(b[i - 1]) && b[i - 1] != b'-');
    let quad_byte = |c: &u8| c.is_ascii_digit() || *c == b'.';
    if b.get(span.end) == Some(&b'-') && free_before(span.start) {
        let from = span.end + 1;
        let n = b[from..].iter().take_while(|c| quad_byte(c)).count();
        // A full stop after the other end ends the sentence.
        let other = text[from..from + n].trim_end_matches('.');
        if Ipv4Addr::from_str(other).is_ok() && free_at(from + other.len()) {
            return true;
        }
    }
    if span.start > 1 && b[span.start - 1] == b'-' && free_at(span.end) {
        let to = span.start - 1;
        let n = b[..to].iter().rev().take_while(|c| quad_byte(c)).count();
        if Ipv4Addr::from_str(&text[to - n..to]).is_ok() && free_before(to - n) {
            return true;
        }
    }
    false
}

/// The address at `span` with what belongs to it: a zone id (IPv6), brackets and a port, a
/// prefix length, or a port (IPv4). `None` when what follows is malformed (a prefix length
/// over 32 / 128, a port over 65535): then it is not an address. The flag tells whether the
/// form has any of these (or `user@` before it).
fn extend(bytes: &[u8], mut span: Range<usize>, v6: bool) -> Option<(Range<usize>, bool)> {
    let mut shaped = false;
    if v6 && bytes.get(span.end) == Some(&b'%') {
        let zone = &bytes[span.end + 1..];
        let mut n = zone
            .iter()
            .take_while(|&&b| is_word_byte(b) || b == b'.' || b == b'-')
            .count();
        while n > 0 && matches!(zone[n - 1], b'.' | b'-') {
            n -= 1;
        }
        if n > 0 && zone[0].is_ascii_alphanumeric() {
            span.end += 1 + n;
            shaped = true;
        }
    }
    let next_is_digit = |at: usize| bytes.get(at).is_some_and(u8::is_ascii_digit);
    if span.start > 0 && bytes[span.start - 1] == b'[' && bytes.get(span.end) == Some(&b']') {
        span.start -= 1;
        span.end += 1;
        shaped = true;
        if bytes.get(span.end) == Some(&b':') && next_is_digit(span.end + 1) {
            span.end += 1 + number_after(bytes, span.end + 1, 1, 65_535)?;
        }
    } else if bytes.get(span.end) == Some(&b'/') && next_is_digit(span.end + 1) {
        let max = if v6 { 128 } else { 32 };
        span.end += 1 + number_after(bytes, span.end + 1, 0, max)?;
        shaped = true;
    } else if !v6 && bytes.get(span.end) == Some(&b':') && next_is_digit(span.end + 1) {
        span.end += 1 + number_after(bytes, span.end + 1, 1, 65_535)?;
        shaped = true;
    }
    if span.start > 1 && bytes[span.start - 1] == b'@' && is_word_byte(bytes[span.start - 2]) {
        shaped = true;
    }
    Some((span, shaped))
}

/// Length of the decimal number at `at` if it is within `min..=max`, has no leading zero and
/// does not run on into a word, another number or another `:`.
fn number_after(bytes: &[u8], at: usize, min: u32, max: u32) -> Option<usize> {
    let digits = bytes[at..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    if digits > 5 || (digits > 1 && bytes[at] == b'0') {
        return None;
    }
    let mut value = 0;
    for &b in &bytes[at..at + digits] {
        value = value * 10 + u32::from(b - b'0');
    }
    let end = at + digits;
    let runs_on = match bytes.get(end) {
        None => false,
        Some(&b) => {
            is_word_byte(b)
                || b == b':'
                || (matches!(b, b'.' | b'/' | b'-' | b',')
                    && bytes.get(end + 1).is_some_and(u8::is_ascii_digit))
        }
    };
    (value >= min && value <= max && !runs_on).then_some(digits)
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

    fn spans(text: &str) -> Vec<&str> {
        found(text).into_iter().map(|(s, _)| s).collect()
    }

    #[test]
    fn ipv4() {
        assert_eq!(
            found("server at 192.168.10.20."),
            vec![("192.168.10.20", 1.0)]
        );
        assert_eq!(found("8.8.8.8 works"), vec![("8.8.8.8", 0.7)]);
        assert_eq!(found("schema 3.2.1.0"), vec![]);
        assert_eq!(found("the 3.2.1.0 schema"), vec![("3.2.1.0", 0.5)]);
        assert_eq!(
            found("DNS 9.9.9.9 or 1.1.1.1"),
            vec![("9.9.9.9", 1.0), ("1.1.1.1", 1.0)]
        );
        assert_eq!(found("use 3.2.1.0 instead"), vec![("3.2.1.0", 0.5)]);
        assert_eq!(found("firewall rule for 1.2.3.4"), vec![("1.2.3.4", 0.85)]);
        for bad in [
            "256.1.1.1",
            "1.2.3.4.5",
            "v1.2.3.4",
            "01.2.3.4",
            "1.2.3",
            "10.0.0.1a",
            "1.2.3.4-5",
        ] {
            assert!(found(bad).is_empty(), "{bad}");
        }
    }

    #[test]
    fn ipv4_before_punctuation_and_after_user() {
        assert_eq!(
            spans("it moved to 10.20.30.40, then back"),
            vec!["10.20.30.40"]
        );
        assert_eq!(spans("the printer is 172.16.5.9."), vec!["172.16.5.9"]);
        assert_eq!(spans("(the box at 192.168.1.50)"), vec!["192.168.1.50"]);
        assert_eq!(spans("\"10.0.0.8\" in the log"), vec!["10.0.0.8"]);
        assert_eq!(
            spans("DHCP hands out 192.168.1.100-192.168.1.200."),
            vec!["192.168.1.100", "192.168.1.200"]
        );
        for bad in [
            "1.2.3.4-5",
            "1.2.3.4-1.2.3.4.5",
            "7-1.2.3.4",
            "1.2.3.4-1.2.3",
            "a-1.2.3.4-1.2.3.5",
        ] {
            let f = found(bad);
            assert!(f.iter().all(|(s, _)| *s != "1.2.3.4"), "{bad}: {f:?}");
        }
        assert_eq!(
            found("log in as admin@10.1.2.3 tonight"),
            vec![("10.1.2.3", 0.8)]
        );
        assert_eq!(spans("root@192.0.2.7:22"), vec!["192.0.2.7:22"]);
    }

    #[test]
    fn ipv4_ports_and_prefixes() {
        assert_eq!(
            found("dashboard on 10.0.0.5:8080"),
            vec![("10.0.0.5:8080", 0.8)]
        );
        assert_eq!(
            spans("block 10.0.0.0/8 and 172.16.0.0/12."),
            vec!["10.0.0.0/8", "172.16.0.0/12"]
        );
        assert_eq!(spans("route 0.0.0.0/0 to it"), vec!["0.0.0.0/0"]);
        for bad in [
            "10.0.0.0/33",
            "10.0.0.0/08",
            "10.0.0.5:70000",
            "10.0.0.5:0",
            "10.0.0.0/8/9",
            "10.0.0.5:80:90",
            "1.2.3.4/2024",
        ] {
            assert!(found(bad).is_empty(), "{bad}: {:?}", found(bad));
        }
        // A colon that ends a clause is not a port.
        assert_eq!(spans("ping 10.0.0.1: no reply"), vec!["10.0.0.1"]);
    }

    #[test]
    fn reserved_ranges_are_reported() {
        for ip in [
            "10.4.4.4",
            "172.31.255.1",
            "192.168.0.1",
            "127.0.0.1",
            "169.254.10.10",
            "100.64.1.1",
            "192.0.2.10",
            "198.51.100.7",
            "203.0.113.99",
        ] {
            let text = format!("it was {ip} today");
            assert_eq!(spans(&text), vec![ip], "{text}");
        }
        for ip in ["::1", "fe80::1", "fd12:3456::9", "2001:db8::5", "fc00::10"] {
            let text = format!("it was {ip} today");
            assert_eq!(spans(&text), vec![ip], "{text}");
        }
    }

    #[test]
    fn versions_and_numbered_items_are_not_addresses() {
        for text in [
            "firmware 10.2.4.15 is out",
            "v1.2.3.4",
            "V 1.2.3.4",
            "version 4.4.0.1",
            "Version: 4.4.0.1",
            "firmware version 10.2.4.15",
            "we upgraded to 4.4.0.1 today",
            "we upgraded the portal to 5.2.1.7 overnight",
            "see section 1.2.3.4 of the manual",
            "Rule 12.1.4.2 applies",
            "form 1040, line 12.3.4.5",
            "the 2.1.0.4 release notes",
            "Chrome 120.0.6099.109",
            "iOS 17.1.2.1",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
        // An address word nearer than the cue keeps it.
        assert_eq!(
            spans("after the update, server 10.2.4.15 is down"),
            vec!["10.2.4.15"]
        );
        assert_eq!(spans("firewall rule for 10.0.0.5"), vec!["10.0.0.5"]);
    }

    #[test]
    fn ipv6() {
        assert_eq!(
            found("host 2001:db8::8a2e:370:7334"),
            vec![("2001:db8::8a2e:370:7334", 1.0)]
        );
        assert_eq!(
            found("fe80::1ff:fe23:4567:890a: link-local")[0].0,
            "fe80::1ff:fe23:4567:890a"
        );
        assert_eq!(found("::ffff:192.0.2.128")[0].0, "::ffff:192.0.2.128");
        assert_eq!(found("2001:0db8:85a3:0000:0000:8a2e:0370:7334")[0].1, 0.75);
        for bad in [
            "10:30:00",
            "00:1A:2B:3C:4D:5E",
            "::",
            "std::vec",
            "a:b",
            "1:2:3:4:5:6:7:8:9",
        ] {
            assert!(found(bad).is_empty(), "{bad}: {:?}", found(bad));
        }
    }

    #[test]
    fn ipv6_compressed_zone_and_embedded_v4() {
        assert_eq!(found("try ::1 first"), vec![("::1", 0.75)]);
        assert_eq!(spans("ULA fd00:ab::7."), vec!["fd00:ab::7"]);
        assert_eq!(spans("(link fe80::1%eth0)"), vec!["fe80::1%eth0"]);
        assert_eq!(
            spans("fe80::a:b:c:d%25en0, then"),
            vec!["fe80::a:b:c:d%25en0"]
        );
        assert_eq!(spans("fe80::1%eth0."), vec!["fe80::1%eth0"]);
        assert_eq!(
            spans("mapped ::ffff:10.0.0.5 here"),
            vec!["::ffff:10.0.0.5"]
        );
        assert_eq!(
            spans("NAT64 64:ff9b::192.0.2.33."),
            vec!["64:ff9b::192.0.2.33"]
        );
        assert_eq!(spans("fe80:0:0:0:0:0:0:1"), vec!["fe80:0:0:0:0:0:0:1"]);
    }

    #[test]
    fn ipv6_prefixes_and_ports() {
        assert_eq!(
            found("block 2001:db8::/32 now"),
            vec![("2001:db8::/32", 0.8)]
        );
        assert_eq!(spans("fd00::/8,"), vec!["fd00::/8"]);
        assert_eq!(spans("2001:db8:1::/48."), vec!["2001:db8:1::/48"]);
        assert_eq!(
            found("curl [2001:db8::1]:8443 fails"),
            vec![("[2001:db8::1]:8443", 0.8)]
        );
        assert_eq!(spans("at [fe80::1]"), vec!["[fe80::1]"]);
        for bad in ["2001:db8::/129", "2001:db8::/32/4", "[2001:db8::1]:99999"] {
            assert!(found(bad).is_empty(), "{bad}: {:?}", found(bad));
        }
    }

    #[test]
    fn colon_numbers_that_are_not_addresses() {
        for text in [
            "meet at 12:30",
            "doors 10:30:45 sharp",
            "John 3:16 says",
            "we won 3:1 tonight",
            "ratio 3:2:1",
            "dead:beef",
            "dead::beef",
            "cafe:babe:f00d",
            "a:b",
            "1::2",
            "12::30",
            "MAC 00:1a:2b:3c:4d:5e",
            "Foo::Bar::baz()",
            "std::io::Result",
            "score 21:17:3",
            "at 9:05 and 10:15 and 11:45",
            "1:2:3:4:5:6:7:8",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }

    #[test]
    fn word_starts_find_every_v4_match() {
        super::super::word_starts_agree(&super::V4, |b| b.is_ascii_digit());
    }
}
