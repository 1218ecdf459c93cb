//! Which of the eight policy elements a bundle's rules cover: per element, its enabled rules
//! with their severity and number of inline examples, and how many are switched off. The
//! CLI's `bundle coverage` and the extension's options page (through the WebAssembly
//! engine) show the same table.

use serde::Serialize;

use crate::{Bundle, Element, Severity};

/// One enabled rule of an element.
#[derive(Debug, Serialize)]
pub struct CoveredRule<'a> {
    pub id: &'a str,
    pub severity: Severity,
    /// Inline examples (`flags` + `passes`).
    pub examples: usize,
}

/// One element's row.
#[derive(Debug, Serialize)]
pub struct ElementCoverage<'a> {
    pub element: Element,
    pub rules: Vec<CoveredRule<'a>>,
    /// Rules of the element switched off (`"enabled": false`).
    pub disabled: usize,
}

/// The coverage of `bundle`, one row per element (every element, covered or not).
pub fn coverage(bundle: &Bundle) -> Vec<ElementCoverage<'_>> {
    Element::ALL
        .iter()
        .map(|&element| {
            let of = bundle.rules.iter().filter(|r| r.element == element);
            ElementCoverage {
                element,
                rules: of
                    .clone()
                    .filter(|r| r.enabled)
                    .map(|r| CoveredRule {
                        id: &r.id,
                        severity: r.severity,
                        examples: r.examples.flags.len() + r.examples.passes.len(),
                    })
                    .collect(),
                disabled: of.filter(|r| !r.enabled).count(),
            }
        })
        .collect()
}

/// The elements no enabled rule covers.
pub fn uncovered(rows: &[ElementCoverage]) -> Vec<Element> {
    rows.iter()
        .filter(|r| r.rules.is_empty())
        .map(|r| r.element)
        .collect()
}
