//! `preflight bundle coverage`: which of the eight policy elements a bundle's rules cover,
//! with each rule's severity and number of inline examples; an element with no rule is named.

use std::fmt::Write as _;

use preflight_core::coverage::{uncovered, ElementCoverage};
use preflight_core::{Bundle, Element, Severity};

use crate::render::{self, BOLD, DIM, RED};

/// snake_case name of an element, as in bundles.
pub fn element_name(e: Element) -> String {
    serde_json::to_value(e)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The table as text: one line per element (rules, severities, examples), then each rule.
pub fn render(name: &str, bundle: &Bundle, rows: &[ElementCoverage]) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{BOLD}coverage{BOLD:#} of {name} ({} {}) over the eight policy elements\n",
        bundle.metadata.id, bundle.metadata.version
    );
    let _ = writeln!(
        s,
        "{:<20} {:>5} {:>9} {:>7} {:>6} {:>8}",
        "element", "rules", "violation", "warning", "advice", "examples"
    );
    for row in rows {
        let n = |sev: Severity| row.rules.iter().filter(|r| r.severity == sev).count();
        let examples: usize = row.rules.iter().map(|r| r.examples).sum();
        let name = element_name(row.element);
        if row.rules.is_empty() {
            let _ = writeln!(s, "{RED}{name:<20} {:>5}  no rule{RED:#}", 0);
            continue;
        }
        let _ = writeln!(
            s,
            "{name:<20} {:>5} {:>9} {:>7} {:>6} {:>8}",
            row.rules.len(),
            n(Severity::Violation),
            n(Severity::Warning),
            n(Severity::Advice),
            examples
        );
    }
    for row in rows
        .iter()
        .filter(|r| !r.rules.is_empty() || r.disabled > 0)
    {
        let _ = writeln!(s, "\n{BOLD}{}{BOLD:#}", element_name(row.element));
        for r in &row.rules {
            let _ = writeln!(
                s,
                "  {:<40} {:<9} {} example{}",
                r.id,
                render::severity_name(r.severity),
                r.examples,
                render::plural(r.examples)
            );
        }
        if row.disabled > 0 {
            let _ = writeln!(s, "  {DIM}{} disabled{DIM:#}", row.disabled);
        }
    }
    let missing = uncovered(rows);
    if missing.is_empty() {
        let _ = writeln!(s, "\nevery element has at least one rule");
    } else {
        let names: Vec<String> = missing.iter().map(|e| element_name(*e)).collect();
        let _ = writeln!(s, "\n{RED}no rule{RED:#} for: {}", names.join(", "));
    }
    s
}
