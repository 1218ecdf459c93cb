//! Human-readable output: findings with the draft underlined, bundle problems with the
//! bundle line underlined. Colours are written as ANSI codes and stripped by `anstream` when
//! the output is not a terminal or NO_COLOR is set.

use std::fmt::Write as _;
use std::io::Write as _;

use anstyle::{AnsiColor, Style};
use preflight_core::{Analysis, Finding, Problem, Severity, UseSource};
use unicode_width::UnicodeWidthChar;

use crate::exit::CliError;

pub const BOLD: Style = Style::new().bold();
pub const DIM: Style = Style::new().dimmed();
pub const RED: Style = AnsiColor::Red.on_default().bold();
pub const YELLOW: Style = AnsiColor::Yellow.on_default().bold();
pub const CYAN: Style = AnsiColor::Cyan.on_default().bold();
pub const GREEN: Style = AnsiColor::Green.on_default().bold();
const GUTTER: Style = AnsiColor::Blue.on_default().bold();

/// Widest line shown in a snippet before it is cut to a window around the span.
const MAX_LINE_WIDTH: usize = 140;

pub fn severity_style(s: Severity) -> Style {
    match s {
        Severity::Violation => RED,
        Severity::Warning => YELLOW,
        Severity::Advice => CYAN,
    }
}

pub fn severity_name(s: Severity) -> &'static str {
    match s {
        Severity::Violation => "violation",
        Severity::Warning => "warning",
        Severity::Advice => "advice",
    }
}

/// Print an error to stderr.
pub fn error(e: &CliError) {
    let mut s = String::new();
    match e {
        CliError::Usage(m) | CliError::Data(m) | CliError::Io(m) => {
            let _ = writeln!(s, "{RED}error{RED:#}: {m}");
        }
        CliError::Bundle { file, text, errors } => {
            s.push_str(&problems(file, text.as_deref(), &errors.problems));
            let n = errors.problems.len();
            let _ = writeln!(
                s,
                "{RED}error{RED:#}: {file}: invalid rule bundle ({n} problem{})",
                plural(n)
            );
        }
        CliError::BrokenPipe => {}
    }
    let _ = anstream::stderr().write_all(s.as_bytes());
}

pub fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Every problem of a bundle, each with its path, location and the bundle line underlined.
pub fn problems(file: &str, text: Option<&str>, problems: &[Problem]) -> String {
    let mut s = String::new();
    for p in problems {
        let _ = writeln!(
            s,
            "{RED}error{RED:#}{BOLD}: {}{BOLD:#}",
            p.message.replace('\n', "\n       ")
        );
        match (p.line, p.column) {
            (Some(l), Some(c)) => {
                let _ = writeln!(
                    s,
                    "  {GUTTER}-->{GUTTER:#} {file}:{l}:{c}  {DIM}at{DIM:#} {}",
                    p.path
                );
                if let Some(text) = text {
                    if let Some(start) = offset_of(text, l, c) {
                        let end = start + json_token_len(&text[start..]);
                        snippet(&mut s, text, start, end, RED);
                    }
                }
            }
            _ => {
                let _ = writeln!(
                    s,
                    "  {GUTTER}-->{GUTTER:#} {file}  {DIM}at{DIM:#} {}",
                    p.path
                );
            }
        }
        s.push('\n');
    }
    s
}

/// Byte offset of a 1-based line and character column.
pub fn offset_of(text: &str, line: usize, column: usize) -> Option<usize> {
    let line_start = if line <= 1 {
        0
    } else {
        text.match_indices('\n').nth(line - 2).map(|(i, _)| i + 1)?
    };
    let rest = &text[line_start..];
    let line_len = rest.find('\n').unwrap_or(rest.len());
    let col = rest[..line_len]
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line_len, |(i, _)| i);
    Some(line_start + col)
}

/// Length of the JSON scalar starting `s` (a string with its quotes, a number or literal);
/// 1 for an object or array (the caret marks its opening bracket).
fn json_token_len(s: &str) -> usize {
    let b = s.as_bytes();
    match b.first() {
        None => 0,
        Some(b'{' | b'[') => 1,
        Some(b'"') => {
            let mut i = 1;
            while i < b.len() {
                match b[i] {
                    b'\\' => i += 2,
                    b'"' => return i + 1,
                    b'\n' => return i,
                    _ => i += 1,
                }
            }
            b.len()
        }
        Some(_) => s
            .find(|c: char| matches!(c, ',' | ']' | '}' | ':') || c.is_whitespace())
            .unwrap_or(s.len())
            .max(1),
    }
}

/// Display width of a character in a snippet (tabs as 4 columns).
fn width(c: char) -> usize {
    if c == '\t' {
        4
    } else {
        c.width().unwrap_or(0)
    }
}

fn display(c: char, out: &mut String) {
    match c {
        '\t' => out.push_str("    "),
        c if c.is_control() => out.push(' '),
        c => out.push(c),
    }
}

/// Show the lines of `text` that `start..end` (byte offsets) touches, with carets under it.
pub fn snippet(out: &mut String, text: &str, start: usize, end: usize, style: Style) {
    let start = floor_boundary(text, start.min(text.len()));
    let end = floor_boundary(text, end.clamp(start, text.len()));
    // The lines touched by the span (an empty span still shows its line).
    let first_line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let first_line_no = text[..start].matches('\n').count() + 1;
    let last_line_no = first_line_no
        + text[start..end]
            .trim_end_matches('\n')
            .matches('\n')
            .count();
    let gutter = last_line_no.to_string().len();
    let _ = writeln!(out, "{:gutter$} {GUTTER}|{GUTTER:#}", "");
    let mut line_start = first_line_start;
    for line_no in first_line_no..=last_line_no {
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i);
        let line = text[line_start..line_end].trim_end_matches('\r');
        let (s, e) = (
            start.max(line_start) - line_start,
            end.min(line_start + line.len()).saturating_sub(line_start),
        );
        let e = e.max(s);
        // Window long lines around the span.
        let total: usize = line.chars().map(width).sum();
        let (mut from, mut to) = (0, line.len());
        if total > MAX_LINE_WIDTH {
            from = back_chars(line, s, 40);
            to = forward_width(
                line,
                from,
                MAX_LINE_WIDTH.max(width_of(&line[from..e]) + 10),
            );
        }
        let mut shown = String::new();
        if from > 0 {
            shown.push('…');
        }
        line[from..to].chars().for_each(|c| display(c, &mut shown));
        if to < line.len() {
            shown.push('…');
        }
        let lead = usize::from(from > 0) + width_of(&line[from..s.clamp(from, to)]);
        let carets = width_of(&line[s.clamp(from, to)..e.clamp(from, to)]).max(1);
        let _ = writeln!(out, "{GUTTER}{line_no:>gutter$} |{GUTTER:#} {shown}");
        let _ = writeln!(
            out,
            "{:gutter$} {GUTTER}|{GUTTER:#} {}{style}{}{style:#}",
            "",
            " ".repeat(lead),
            "^".repeat(carets)
        );
        line_start = line_end + 1;
        if line_start > text.len() {
            break;
        }
    }
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn width_of(s: &str) -> usize {
    s.chars().map(width).sum()
}

/// Byte offset `n` characters before `at`.
fn back_chars(s: &str, at: usize, n: usize) -> usize {
    s[..at]
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i)
}

/// Byte offset after at most `w` display columns from `from`.
fn forward_width(s: &str, from: usize, w: usize) -> usize {
    let mut acc = 0;
    for (i, c) in s[from..].char_indices() {
        acc += width(c);
        if acc > w {
            return from + i;
        }
    }
    s.len()
}

/// The analysis of one draft, for people.
pub fn analysis(a: &Analysis, text: &str) -> String {
    let mut s = String::new();
    // The use line.
    let use_ = match a.use_.label {
        Some(u) => u.as_str().to_string(),
        None => "unknown".to_string(),
    };
    let source = match a.use_.source {
        UseSource::Registry => "official account in the registry".to_string(),
        UseSource::Classifier => match a.use_.probabilities {
            Some(p) => format!(
                "classifier: organizational {:.0}%, professional {:.0}%, personal {:.0}%",
                p[0] * 100.0,
                p[1] * 100.0,
                p[2] * 100.0
            ),
            None => "classifier".to_string(),
        },
        UseSource::Unknown => "no classifier model, no registry match".to_string(),
    };
    let blurred = if a.use_.blurred { ", close call" } else { "" };
    let _ = writeln!(
        s,
        "{BOLD}use{BOLD:#}: {BOLD}{use_}{BOLD:#} {DIM}({source}{blurred}){DIM:#}"
    );
    if !a.use_.signals.is_empty() {
        let _ = writeln!(s, "     {DIM}signals:{DIM:#} {}", a.use_.signals.join("; "));
    }
    if let Some(r) = &a.use_.override_reason {
        let _ = writeln!(s, "     {DIM}because:{DIM:#} {r}");
    }
    let mut facts = Vec::new();
    facts.push(format!("site {}", a.site.as_deref().unwrap_or("unknown")));
    let account = match a.account_kind {
        preflight_core::AccountKind::Official => match &a.account_unit {
            Some(u) => format!("account official ({u})"),
            None => "account official".to_string(),
        },
        preflight_core::AccountKind::Personal => "account personal".to_string(),
        preflight_core::AccountKind::Unknown => "account unknown".to_string(),
    };
    facts.push(account);
    if let Some(d) = a.on_duty {
        facts.push(if d {
            "on duty".into()
        } else {
            "off duty".into()
        });
    }
    facts.push(format!("{} characters", a.length));
    let _ = writeln!(s, "     {DIM}{}{DIM:#}", facts.join(" · "));
    s.push('\n');

    for f in &a.findings {
        finding(&mut s, f, text);
    }

    // The disclaimer decision.
    let d = &a.disclaimer;
    if d.present {
        let _ = writeln!(s, "{GREEN}disclaimer present{GREEN:#}: {}", d.reason);
        if let Some(span) = d.present_span {
            snippet(&mut s, text, span.start, span.end, GREEN);
        }
    } else if d.needed {
        let _ = writeln!(s, "{YELLOW}disclaimer needed{YELLOW:#}: {}", d.reason);
        match &d.suggestion {
            Some(sug) => {
                let _ = writeln!(s, "  {BOLD}add ({}){BOLD:#}: {}", sug.variant, sug.text);
            }
            None => {
                let _ = writeln!(s, "  no disclaimer variant fits the characters left");
            }
        }
        if let Some(left) = d.chars_left {
            let _ = writeln!(s, "  {DIM}characters left on this site: {left}{DIM:#}");
        }
    } else {
        let _ = writeln!(s, "{DIM}disclaimer not needed: {}{DIM:#}", d.reason);
    }
    s.push('\n');

    let c = &a.counts;
    let summary = format!(
        "{} violation{}, {} warning{}, {} advice",
        c.violation,
        plural(c.violation),
        c.warning,
        plural(c.warning),
        c.advice
    );
    let style = a.max_severity().map_or(GREEN, severity_style);
    if a.findings.is_empty() && d.needed && !d.present {
        let _ = writeln!(
            s,
            "{YELLOW}no findings, but add a disclaimer{YELLOW:#}: {summary}"
        );
    } else if a.findings.is_empty() {
        let _ = writeln!(s, "{GREEN}clean{GREEN:#}: {summary}");
    } else {
        let _ = writeln!(s, "{style}{summary}{style:#}");
    }
    s
}

fn finding(s: &mut String, f: &Finding, text: &str) {
    let style = severity_style(f.severity);
    let _ = writeln!(
        s,
        "{style}{}{style:#}{BOLD}[{}]{BOLD:#} {}: {BOLD}{}{BOLD:#}",
        severity_name(f.severity),
        f.element.label(),
        f.rule_id,
        f.message
    );
    match f.spans.first() {
        Some(first) => {
            let line = text[..first.start.min(text.len())].matches('\n').count() + 1;
            let line_start = text[..first.start.min(text.len())]
                .rfind('\n')
                .map_or(0, |i| i + 1);
            let col = text[line_start..floor_boundary(text, first.start.min(text.len()))]
                .chars()
                .count()
                + 1;
            let _ = writeln!(s, "  {GUTTER}-->{GUTTER:#} draft:{line}:{col}");
            for span in &f.spans {
                snippet(s, text, span.start, span.end, style);
            }
        }
        None => {
            let _ = writeln!(s, "  {GUTTER}-->{GUTTER:#} draft");
        }
    }
    if let Some(entity) = &f.entity {
        let _ = writeln!(s, "  {GUTTER}={GUTTER:#} {BOLD}detected{BOLD:#}: {entity}");
    }
    let _ = writeln!(s, "  {GUTTER}={GUTTER:#} {BOLD}why{BOLD:#}: {}", f.why);
    match &f.reference.url {
        Some(url) => {
            let _ = writeln!(
                s,
                "  {GUTTER}={GUTTER:#} {BOLD}reference{BOLD:#}: {} <{url}>",
                f.reference.clause
            );
        }
        None => {
            let _ = writeln!(
                s,
                "  {GUTTER}={GUTTER:#} {BOLD}reference{BOLD:#}: {}",
                f.reference.clause
            );
        }
    }
    if let Some(fix) = &f.fix {
        match fix.replace_with.as_deref() {
            Some("") => {
                let _ = writeln!(
                    s,
                    "  {GUTTER}={GUTTER:#} {BOLD}fix{BOLD:#}: {} (delete it)",
                    fix.label
                );
            }
            Some(r) => {
                let _ = writeln!(
                    s,
                    "  {GUTTER}={GUTTER:#} {BOLD}fix{BOLD:#}: {} (replace with \"{r}\")",
                    fix.label
                );
            }
            None => {
                let _ = writeln!(s, "  {GUTTER}={GUTTER:#} {BOLD}fix{BOLD:#}: {}", fix.label);
            }
        }
    }
    s.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str, start: usize, end: usize) -> String {
        let mut s = String::new();
        snippet(&mut s, text, start, end, RED);
        anstream::adapter::strip_str(&s).to_string()
    }

    #[test]
    fn carets_line_up_under_wide_characters() {
        let text = "日本 chip in now";
        let start = text.find("chip").unwrap();
        let out = plain(text, start, start + "chip in".len());
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[1], "1 | 日本 chip in now");
        // 日本 is 4 columns wide, plus a space.
        assert_eq!(lines[2], "  |      ^^^^^^^");
    }

    #[test]
    fn spans_over_two_lines_show_both() {
        let text = "first line\nsecond line";
        let out = plain(text, 6, 17);
        assert!(out.contains("1 | first line\n  |       ^^^^\n"), "{out}");
        assert!(out.contains("2 | second line\n  | ^^^^^^\n"), "{out}");
    }

    #[test]
    fn long_lines_are_windowed() {
        let text = format!("{}SECRET{}", "a".repeat(500), "b".repeat(500));
        let out = plain(&text, 500, 506);
        let shown = out.lines().nth(1).unwrap();
        assert!(shown.contains('…') && shown.contains("SECRET"), "{shown}");
        assert!(shown.chars().count() < 200);
        let carets = out.lines().nth(2).unwrap();
        let col = shown
            .find("SECRET")
            .map(|b| shown[..b].chars().count())
            .unwrap();
        assert_eq!(
            carets.find('^').map(|b| carets[..b].chars().count()),
            Some(col)
        );
    }

    #[test]
    fn out_of_range_spans_do_not_panic() {
        let _ = plain("héllo", 2, 99);
        let _ = plain("", 0, 0);
        let _ = plain("a\n", 2, 2);
    }

    #[test]
    fn offsets_and_tokens() {
        let text = "{\n  \"a\": \"xé\",\n  \"b\": 12}";
        let off = offset_of(text, 2, 8).unwrap();
        assert_eq!(&text[off..off + json_token_len(&text[off..])], "\"xé\"");
        let off = offset_of(text, 3, 8).unwrap();
        assert_eq!(&text[off..off + json_token_len(&text[off..])], "12");
        assert_eq!(offset_of(text, 9, 1), None);
    }
}
