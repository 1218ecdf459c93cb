//! Secrets: PRIVATE_KEY, CLOUD_ACCESS_KEY and PASSWORD_ASSIGNMENT.
//!
//! - **PRIVATE_KEY**: a PEM/OpenSSH/PGP armour header `-----BEGIN … PRIVATE KEY-----` (or
//!   `… PRIVATE KEY BLOCK-----`). The span runs to the matching `-----END …-----` line, or, for a
//!   truncated paste, over the base64 body that follows. Score 1.0 with the end line, 0.95
//!   without.
//! - **CLOUD_ACCESS_KEY**: credentials with a fixed, recognisable shape: AWS access key ids
//!   (`AKIA…`, `ASIA…` and the other four-letter prefixes + 16 characters, 0.9), Google API keys
//!   (`AIza` + 35, 0.9), GitHub tokens (`ghp_`/`gho_`/`ghu_`/`ghs_`/`ghr_` + 36, `github_pat_…`,
//!   0.95), Slack tokens (`xoxb-`, `xoxp-`, …, 0.9), Stripe live keys (`sk_live_…`, 0.9). An AWS
//!   secret access key (40 characters of base64 with upper, lower case and digits) has base 0.1
//!   and needs a context word (`aws`, `secret`, `secret access key`), which adds 0.75.
//!   Context words (`key`, `token`, `secret`, `api`, …) add 0.35 to the others.
//! - **PASSWORD_ASSIGNMENT**: a password-like key followed by `:`/`=`/`is` and a value
//!   (`password: hunter2`, `pwd=Tr0ub4dor`, `my password is hunter2`, `passcode is 4821`,
//!   `api_key = 9f8e7d6c5b4a`). The span covers key and value. Values that are ordinary words
//!   (`password is required`), placeholders (`${PASSWORD}`, `<password>`) or masks (`****`)
//!   are dropped. Score 0.85 (0.8 for `is`-sentences and API-key style keys); context words
//!   (`login`, `wifi`, `account`, `username`) add 0.35.

use std::ops::Range;
use std::sync::atomic::AtomicBool;
use std::sync::LazyLock;

use regex_lite::Regex;

use super::{compile, context, push, Anchored, Detection, Hints, Needles};

static PEM_BEGIN: LazyLock<Anchored> =
    LazyLock::new(|| Anchored::new(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"));
static PEM_END: LazyLock<Anchored> =
    LazyLock::new(|| Anchored::new(r"-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"));

/// The first match of `re` in `hay` at or after `from`, given that every match starts with
/// `lit`: tried at each occurrence of `lit` only.
fn find_from(re: &Anchored, hay: &str, from: usize, lit: &str) -> Option<Range<usize>> {
    let mut at = from;
    while let Some(i) = hay.get(at..)?.find(lit) {
        if let Some((span, _, _)) = re.captures_at(hay, at + i) {
            return Some(span);
        }
        at += i + 1;
    }
    None
}

pub(crate) fn detect_private_key(text: &str, hints: &Hints, out: &mut Vec<Detection>) {
    if !hints.dashes5 {
        return;
    }
    let mut from = 0;
    while let Some(begin) = find_from(&PEM_BEGIN, text, from, "-----BEGIN ") {
        let body_start = begin.end;
        let next_begin =
            find_from(&PEM_BEGIN, text, body_start, "-----BEGIN ").map_or(text.len(), |m| m.start);
        // Search for the end line only up to the next header, so many headers stay linear.
        let (end, score) = match find_from(&PEM_END, &text[..next_begin], body_start, "-----END ") {
            Some(e) => (e.end, 1.0),
            _ => {
                // Truncated: take the base64 body (and armour headers) that follows.
                let rest = &text[body_start..next_begin];
                let body_len = rest
                    .find(|c: char| !(c.is_ascii_alphanumeric() || "+/=:,- \t\r\n".contains(c)))
                    .unwrap_or(rest.len());
                let body = rest[..body_len].trim_end();
                (body_start + body.len(), 0.95)
            }
        };
        push(out, "PRIVATE_KEY", begin.start..end, score);
        from = end.max(body_start);
    }
}

static CLOUD: LazyLock<Anchored> = LazyLock::new(|| {
    Anchored::new(concat!(
        r"(?P<aws>(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA)[A-Z0-9]{16})",
        r"|(?P<google>AIza[0-9A-Za-z_-]{35})",
        r"|(?P<github>gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{50,})",
        r"|(?P<slack>xox[abeoprs]-[A-Za-z0-9-]{10,})",
        r"|(?P<stripe>[rs]k_live_[0-9A-Za-z]{20,})",
    ))
});
static PASSWORD_BUILT: AtomicBool = AtomicBool::new(false);
static CLOUD_BUILT: AtomicBool = AtomicBool::new(false);
static AWS_SECRET_BUILT: AtomicBool = AtomicBool::new(false);

/// What every match of [`CLOUD`] starts with (the part before its first class).
const CLOUD_PREFIXES: &[&[u8]] = &[
    b"AKIA",
    b"ASIA",
    b"ABIA",
    b"ACCA",
    b"AGPA",
    b"AIDA",
    b"AIPA",
    b"ANPA",
    b"ANVA",
    b"AROA",
    b"APKA",
    b"AIza",
    b"ghp_",
    b"gho_",
    b"ghu_",
    b"ghs_",
    b"ghr_",
    b"github_pat_",
    b"xox",
    b"k_live_",
];
/// Where a match of [`CLOUD`] can start: [`CLOUD_PREFIXES`] with the letter before `k_live_`.
const CLOUD_STARTS: &[&[u8]] = &[
    b"AKIA",
    b"ASIA",
    b"ABIA",
    b"ACCA",
    b"AGPA",
    b"AIDA",
    b"AIPA",
    b"ANPA",
    b"ANVA",
    b"AROA",
    b"APKA",
    b"AIza",
    b"ghp_",
    b"gho_",
    b"ghu_",
    b"ghs_",
    b"ghr_",
    b"github_pat_",
    b"xox",
    b"rk_live_",
    b"sk_live_",
];
static AWS_SECRET: LazyLock<Regex> = LazyLock::new(|| compile(r"[A-Za-z0-9/+]{40}"));

const KEY_CONTEXT: &[&str] = &[
    "key",
    "token",
    "secret",
    "api",
    "access",
    "credential",
    "credentials",
    "aws",
    "github",
    "slack",
];
const AWS_SECRET_CONTEXT: &[&str] = &["aws", "secret", "secret access key", "secret key"];

pub(crate) fn detect_cloud_access_key(text: &str, hints: &Hints, out: &mut Vec<Detection>) {
    if text.len() < 16 {
        return;
    }
    let bytes = text.as_bytes();
    let glued = |i: usize| {
        bytes
            .get(i)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-')
    };
    let glued_before = |i: usize| i > 0 && glued(i - 1);
    // Every match of `CLOUD` starts with one of its fixed prefixes (case-sensitive).
    static PREFIXES: Needles = Needles::new(CLOUD_PREFIXES, false);
    let cloud_possible = super::prefilter(&CLOUD_BUILT, || PREFIXES.any(text));
    if cloud_possible {
        static STARTS: Needles = Needles::new(CLOUD_STARTS, false);
        let starts = STARTS.starts(text);
        CLOUD.for_each(text, starts, |span, _, caps| {
            if glued_before(span.start) || glued(span.end) {
                return;
            }
            let base = if caps.name("github").is_some() {
                0.95
            } else {
                0.9
            };
            let score = context::boosted(base, text, &span, KEY_CONTEXT);
            push(out, "CLOUD_ACCESS_KEY", span, score);
        });
    }
    // `AWS_SECRET` needs a run of 40 of its characters.
    let long_run = || {
        // A byte table and a counter: cheaper than splitting the text into runs.
        static SECRET: [bool; 256] = {
            let mut t = [false; 256];
            let mut b = 0;
            while b < 256 {
                let c = b as u8;
                t[b] = c.is_ascii_alphanumeric() || c == b'/' || c == b'+';
                b += 1;
            }
            t
        };
        let mut run = 0usize;
        for &b in bytes {
            if SECRET[usize::from(b)] {
                run += 1;
                if run >= 40 {
                    return true;
                }
            } else {
                run = 0;
            }
        }
        false
    };
    if text.len() >= 40 && hints.digits > 0 && super::prefilter(&AWS_SECRET_BUILT, long_run) {
        let secretish = |b: u8| b.is_ascii_alphanumeric() || b == b'/' || b == b'+' || b == b'=';
        // Matches are made of `[A-Za-z0-9/+]` (no look-around): search the runs of 40 or more.
        let secret_char = |c: char| c.is_ascii_alphanumeric() || c == '/' || c == '+';
        let runs = super::runs(text, secret_char).filter(|(_, r)| r.len() >= 40);
        for (offset, m) in runs.flat_map(|(o, r)| AWS_SECRET.find_iter(r).map(move |m| (o, m))) {
            let span = offset + m.start()..offset + m.end();
            let s = m.as_str().as_bytes();
            if (span.start > 0 && secretish(bytes[span.start - 1]))
                || bytes.get(span.end).is_some_and(|b| secretish(*b))
            {
                continue;
            }
            let mixed = s.iter().any(u8::is_ascii_uppercase)
                && s.iter().any(u8::is_ascii_lowercase)
                && s.iter().any(u8::is_ascii_digit);
            if !mixed {
                continue;
            }
            let score = context::boosted_by(0.1, 0.75, text, &span, AWS_SECRET_CONTEXT);
            push(out, "CLOUD_ACCESS_KEY", span, score);
        }
    }
}

static PASSWORD: LazyLock<Anchored> = LazyLock::new(|| {
    Anchored::new(&concat!(
        r"(?i-u)\b(?P<key>",
        r"(?P<pw>passwords?|passwd|pass ?word|pwd|pw|passcode|pass ?phrase|pin(?: ?code)?|wifi key)",
        r"|(?P<api>api[_ -]?key|secret[_-]?key|client[_-]?secret|access[_-]?token|auth[_-]?token|token|secret)",
        r")(?-u:\b)",
        r#"(?P<sep>[ \t]*(?::=|=>|->|[:=])[ \t]*|\s+(?:is|was)\s*:?\s+)"#,
        // Unicode `\s` (WS) in the value, as in the regex crate the detectors used before
        // (regex-lite reads `(?u:` as a no-op; the regex crate, the tests' oracle, needs it).
        r#"(?P<val>(?u:"[^"{ws}]+"|'[^'{ws}]+'|`[^`{ws}]+`|[^{ws}"'`,;]+))"#,
    ).replace("{ws}", super::WS))
});

/// Words that follow "password is/:" in ordinary prose rather than a password.
const NOT_PASSWORDS: &[&str] = &[
    "a",
    "above",
    "again",
    "all",
    "always",
    "an",
    "and",
    "any",
    "as",
    "at",
    "below",
    "blank",
    "but",
    "by",
    "case",
    "change",
    "changed",
    "changes",
    "compromised",
    "correct",
    "easy",
    "empty",
    "encrypted",
    "expired",
    "field",
    "fine",
    "for",
    "forgotten",
    "from",
    "hard",
    "hashed",
    "here",
    "hidden",
    "his",
    "her",
    "how",
    "in",
    "incorrect",
    "invalid",
    "is",
    "it",
    "its",
    "known",
    "leaked",
    "long",
    "lost",
    "manager",
    "mandatory",
    "mine",
    "missing",
    "my",
    "needed",
    "never",
    "new",
    "no",
    "none",
    "not",
    "now",
    "null",
    "of",
    "ok",
    "on",
    "optional",
    "or",
    "our",
    "private",
    "protected",
    "public",
    "recovery",
    "required",
    "reset",
    "right",
    "safe",
    "same",
    "saved",
    "secret",
    "secure",
    "sensitive",
    "sent",
    "set",
    "shared",
    "short",
    "simple",
    "so",
    "something",
    "still",
    "stolen",
    "stored",
    "strong",
    "that",
    "the",
    "their",
    "this",
    "to",
    "too",
    "unknown",
    "update",
    "updated",
    "used",
    "very",
    "weak",
    "what",
    "which",
    "with",
    "wrong",
    "you",
    "your",
    "yours",
];

const PASSWORD_CONTEXT: &[&str] = &[
    "login",
    "log in",
    "wifi",
    "wi fi",
    "account",
    "username",
    "user",
    "credentials",
];

/// Every match of [`PASSWORD`] holds one of these (its key words, ASCII case-insensitively).
const PASSWORD_NEEDLES: &[&[u8]] = &[
    b"pass",
    b"pw",
    b"pin",
    b"wifi key",
    b"api",
    b"secret",
    b"token",
];

/// Where a match of [`PASSWORD`] can start: the first letters of its key words.
const PASSWORD_STARTS: &[&[u8]] = &[
    b"pass", b"pw", b"pin", b"wifi", b"api", b"secret", b"client", b"access", b"auth", b"token",
];

pub(crate) fn detect_password_assignment(text: &str, _hints: &Hints, out: &mut Vec<Detection>) {
    if text.len() < 6
        || !super::prefilter(&PASSWORD_BUILT, || {
            static NEEDLES: Needles = Needles::new(PASSWORD_NEEDLES, true);
            NEEDLES.any(text)
        })
    {
        return;
    }
    static STARTS: Needles = Needles::new(PASSWORD_STARTS, true);
    let starts = STARTS.starts(text);
    PASSWORD.for_each(text, starts, |m, offset, caps| {
        let Some(val) = caps.name("val") else {
            return;
        };
        let raw = val.as_str();
        // Sentence punctuation after a bare value is not part of it.
        let trimmed = raw.trim_end_matches(['.', ',', ';', ')', '!', '?']);
        let trimmed = if trimmed.len() >= 4 { trimmed } else { raw };
        let inner = trimmed.trim_matches(['"', '\'', '`']);
        let is_api = caps.name("api").is_some();
        let sentence = caps
            .name("sep")
            .is_some_and(|s| s.as_str().trim().starts_with(['i', 'I', 'w', 'W']));
        if !plausible_secret(inner, is_api, caps.name("key").map_or("", |k| k.as_str())) {
            return;
        }
        let span = m.start..offset + val.start() + trimmed.len();
        let base = if is_api || sentence { 0.8 } else { 0.85 };
        let score = context::boosted(base, text, &span, PASSWORD_CONTEXT);
        push(out, "PASSWORD_ASSIGNMENT", span, score);
    });
}

fn plausible_secret(value: &str, is_api: bool, key: &str) -> bool {
    let chars = value.chars().count();
    if chars < 4 {
        return false;
    }
    // Placeholders and masks.
    if value.starts_with(['$', '{', '<', '%', '[', '('])
        || value.chars().all(|c| "*x•●.#-_X?".contains(c))
    {
        return false;
    }
    if NOT_PASSWORDS.iter().any(|w| w.eq_ignore_ascii_case(value)) {
        return false;
    }
    let digit = value.bytes().any(|b| b.is_ascii_digit());
    if is_api {
        // Key / token values are long and rarely plain words.
        return chars >= 8 && digit;
    }
    if key.len() >= 3 && key.as_bytes()[..3].eq_ignore_ascii_case(b"pin") {
        return value.bytes().all(|b| b.is_ascii_digit()) && (4..=8).contains(&value.len());
    }
    true
}

#[cfg(test)]
mod tests {
    use super::super::detect;

    fn found<'a>(name: &str, text: &'a str) -> Vec<(&'a str, f32)> {
        detect(name, text)
            .into_iter()
            .map(|d| (&text[d.span], d.score))
            .collect()
    }

    #[test]
    fn private_keys() {
        let full = "key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\nabc+/=\n-----END RSA PRIVATE KEY-----\nthanks";
        let f = found("PRIVATE_KEY", full);
        assert_eq!(f.len(), 1);
        assert!(f[0].0.starts_with("-----BEGIN RSA") && f[0].0.ends_with("KEY-----"));
        assert_eq!(f[0].1, 1.0);
        let cut = "oops -----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n\n🙂 bye";
        let f = found("PRIVATE_KEY", cut);
        assert_eq!(
            f[0].0,
            "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA"
        );
        assert!(f[0].1 >= 0.9);
        assert_eq!(
            found("PRIVATE_KEY", "-----BEGIN PGP PRIVATE KEY BLOCK-----").len(),
            1
        );
        assert_eq!(
            found(
                "PRIVATE_KEY",
                "-----BEGIN PRIVATE KEY----- x -----BEGIN EC PRIVATE KEY-----"
            )
            .len(),
            2
        );
        assert!(found(
            "PRIVATE_KEY",
            "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----"
        )
        .is_empty());
        assert!(found("PRIVATE_KEY", "-----BEGIN CERTIFICATE-----").is_empty());
        assert!(found("PRIVATE_KEY", "my private key is safe").is_empty());
    }

    #[test]
    fn cloud_keys() {
        for (text, want) in [
            ("aws id AKIAIOSFODNN7EXAMPLE ok", "AKIAIOSFODNN7EXAMPLE"),
            ("ASIAY34FZKBOKMUTVV7A", "ASIAY34FZKBOKMUTVV7A"),
            (
                "key=AIzaSyA1bC2dE3fG4hI5jK6lM7nO8pQ9rS0tUvW",
                "AIzaSyA1bC2dE3fG4hI5jK6lM7nO8pQ9rS0tUvW",
            ),
            (
                "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789",
                "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789",
            ),
            (
                "xoxb-123456789012-1234567890123-AbCdEfGhIjKl",
                "xoxb-123456789012-1234567890123-AbCdEfGhIjKl",
            ),
        ] {
            let f = found("CLOUD_ACCESS_KEY", text);
            assert_eq!(f.len(), 1, "{text}: {f:?}");
            assert_eq!(f[0].0, want);
            assert!(f[0].1 >= 0.9);
        }
        for text in [
            "AKIAIOSFODNN7EXAMPL",
            "XAKIAIOSFODNN7EXAMPLE",
            "ghp_short",
            "the AKIA prefix",
            "xoxb-",
        ] {
            assert!(found("CLOUD_ACCESS_KEY", text).is_empty(), "{text}");
        }
    }

    #[test]
    fn aws_secret_needs_context() {
        let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        let text = format!("aws_secret_access_key = {secret}");
        let f = found("CLOUD_ACCESS_KEY", &text);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].0, secret);
        assert!(f[0].1 >= 0.8);
        let text = format!("commit {secret}");
        let f = found("CLOUD_ACCESS_KEY", &text);
        assert!(f[0].1 < 0.5);
        // Too long to be a 40-character secret; or no digits.
        let text = format!("aws secret {secret}X");
        assert!(found("CLOUD_ACCESS_KEY", &text).is_empty());
        assert!(found(
            "CLOUD_ACCESS_KEY",
            "aws secret abcdefghijABCDEFGHIJabcdefghijABCDEFGHIJ"
        )
        .is_empty());
    }

    #[test]
    fn passwords() {
        for (text, want) in [
            ("password: hunter2", "password: hunter2"),
            ("PWD=Tr0ub4dor&3 thanks", "PWD=Tr0ub4dor&3"),
            ("btw my password is hunter22.", "password is hunter22"),
            ("the Wi-Fi passcode is 48213907", "passcode is 48213907"),
            ("pin: 4821", "pin: 4821"),
            ("api_key = 9f8e7d6c5b4a", "api_key = 9f8e7d6c5b4a"),
            ("password = \"s3cret!\"", "password = \"s3cret!\""),
            ("pass word:CorrectHorse", "pass word:CorrectHorse"),
        ] {
            let f = found("PASSWORD_ASSIGNMENT", text);
            assert_eq!(f.len(), 1, "{text}: {f:?}");
            assert_eq!(f[0].0, want);
            assert!(f[0].1 >= 0.8);
        }
        let f = found("PASSWORD_ASSIGNMENT", "wifi login password: hunter2");
        assert_eq!(f[0].1, 1.0);
    }

    #[test]
    fn not_passwords() {
        for text in [
            "Your password is required.",
            "the password is incorrect",
            "password: ********",
            "password=${DB_PASSWORD}",
            "password: <your password>",
            "Use a password manager!",
            "Reset your password today",
            "What is your password?",
            "pin: the map",
            "token: of thanks",
            "api_key = example",
            "passwords: none",
            "Call me maybe",
        ] {
            assert!(
                found("PASSWORD_ASSIGNMENT", text).is_empty(),
                "{text}: {:?}",
                found("PASSWORD_ASSIGNMENT", text)
            );
        }
    }

    /// The needles are a necessary condition: wherever the regex matches, one is present.
    #[test]
    fn password_needles_never_miss_a_match() {
        let pieces = [
            "password",
            "PassWord",
            "pass word",
            "passwd",
            "pwd",
            "PW",
            "passcode",
            "pass phrase",
            "pin",
            "PIN code",
            "wifi key",
            "api_key",
            "API-key",
            "secret",
            "client_secret",
            "access_token",
            "auth-token",
            "token",
            "Secret_Key",
            " ",
            ":",
            "=",
            "=>",
            "->",
            " is ",
            " was ",
            "hunter22",
            "\"x9y8z7\"",
            "abc",
            "\t",
            ".",
            ",",
        ];
        let matched = super::super::needles_cover_every_match(
            &super::PASSWORD,
            super::PASSWORD_NEEDLES,
            |s| super::super::starts_of(s, super::PASSWORD_STARTS, true),
            &pieces,
        );
        assert!(matched > 1000, "{matched}");
    }
}
