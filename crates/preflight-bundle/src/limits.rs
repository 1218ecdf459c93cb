//! How large a bundle may be: text size, JSON nesting, rules and terms.
//!
//! A bundle comes from a policy, a local file or a signed envelope: whatever it holds, reading
//! it must stay cheap and bounded. The limits are far above what a policy needs (the default
//! bundle: 123 KB, 8 levels of nesting, 65 rules, under 1,000 phrase terms) and each one that
//! is crossed is reported as a [`Problem`] saying which limit, by how much, and where.
//! The limits on regexes are beside their check ([`crate::validate::REGEX_PATTERN_MAX`],
//! [`crate::validate::REGEX_SIZE_LIMIT`]).

use crate::Problem;

/// Largest bundle text read, in bytes (4 MiB).
pub const BUNDLE_MAX_BYTES: usize = 4 << 20;
/// Deepest nesting of JSON arrays and objects in a bundle text.
pub const NESTING_MAX: usize = 32;
/// Most rules in a bundle.
pub const RULES_MAX: usize = 2_000;
/// Most phrase terms in a bundle, all rules together: `terms` and `except` of phrase
/// matchers, `cue`, `argument` and `except` of act matchers.
pub const TERMS_MAX: usize = 100_000;

/// The first limit a bundle text crosses before it is parsed: its size, then its nesting
/// (located at the bracket that goes one level too deep). `None` when it crosses neither.
pub fn text_problem(json: &str) -> Option<Problem> {
    if json.len() > BUNDLE_MAX_BYTES {
        return Some(Problem {
            path: "$".into(),
            line: None,
            column: None,
            message: format!(
                "the bundle is {} bytes (limit {BUNDLE_MAX_BYTES})",
                json.len()
            ),
        });
    }
    let at = too_deep(json.as_bytes())?;
    let (line, column) = crate::validate::line_col(json, at);
    Some(Problem {
        path: "$".into(),
        line: Some(line),
        column: Some(column),
        message: format!("JSON nested deeper than {NESTING_MAX} levels"),
    })
}

/// Byte offset of the first `[` or `{` outside strings that opens level `NESTING_MAX + 1`.
fn too_deep(b: &[u8]) -> Option<usize> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, &c) in b.iter().enumerate() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > NESTING_MAX {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(levels: usize) -> String {
        format!("{}1{}", "[".repeat(levels), "]".repeat(levels))
    }

    #[test]
    fn nesting_is_counted_outside_strings_only() {
        assert_eq!(too_deep(nested(NESTING_MAX).as_bytes()), None);
        assert_eq!(
            too_deep(nested(NESTING_MAX + 1).as_bytes()),
            Some(NESTING_MAX)
        );
        // Brackets and escaped quotes inside strings do not count.
        let s = format!(r#"{{"a": "{}\"{}"}}"#, "[".repeat(100), "{".repeat(100));
        assert_eq!(too_deep(s.as_bytes()), None);
        // Closing more than was opened (invalid JSON) is serde_json's to report.
        assert_eq!(too_deep(b"]]]]{}"), None);
    }

    #[test]
    fn deep_text_is_located() {
        let json = format!("{{\n  \"rules\": {}\n}}", nested(40));
        let p = text_problem(&json).expect("too deep");
        assert_eq!(p.path, "$");
        assert_eq!(p.line, Some(2));
        // Line 2 is `  "rules": [[[…`: the 32nd `[` there is level 33 (the `{` is level 1).
        assert_eq!(p.column, Some(12 + NESTING_MAX - 1));
        assert!(p.message.contains("deeper than 32 levels"), "{}", p.message);
    }

    #[test]
    fn oversized_text_is_refused_by_size() {
        let json = format!("{{\"x\": \"{}\"}}", "a".repeat(BUNDLE_MAX_BYTES));
        let p = text_problem(&json).expect("too large");
        assert!(p.message.contains("limit 4194304"), "{}", p.message);
        assert!(text_problem(&nested(3)).is_none());
    }
}
