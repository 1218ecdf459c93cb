//! The result of analysing a draft.

use serde::Serialize;

use crate::AccountKind;
use crate::{DisclaimerSituation, Element, FixSpec, Reference, Severity, Use};

/// A span of the draft. Byte offsets inside the core; UTF-16 code units after
/// [`Analysis::to_utf16`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// One rule that fired.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub rule_id: String,
    pub element: Element,
    pub severity: Severity,
    pub message: String,
    pub why: String,
    pub reference: Reference,
    /// Matched spans, sorted, not overlapping.
    pub spans: Vec<Span>,
    /// The matched texts, one per span.
    pub matched: Vec<String>,
    /// Detector entity (e.g. `US_SSN`) for detector rules.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<FixSpec>,
}

/// Counts of findings by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SeverityCounts {
    pub advice: usize,
    pub warning: usize,
    pub violation: usize,
}

/// Where the use decision came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UseSource {
    /// The posting account is an official account in the registry.
    Registry,
    /// The text classifier.
    Classifier,
    /// No classifier model loaded and no registry match.
    Unknown,
}

/// Which use the draft reads as.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UseAssessment {
    /// The use, or `None` when it cannot be told (no model, no registry match).
    #[serde(rename = "use")]
    pub label: Option<Use>,
    pub source: UseSource,
    /// Calibrated probabilities, organizational / professional / personal order, when a
    /// classifier ran.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub probabilities: Option<[f32; 3]>,
    /// The top two uses are close.
    pub blurred: bool,
    /// Why, in words for the card ("speaks as 'we'", "names your agency"...).
    pub signals: Vec<String>,
    /// Explanation of a context override (e.g. the official account rule), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub override_reason: Option<String>,
    /// The classifier's probabilities from the text (and site) before the registry override,
    /// for rules that read them (`text_use`); not part of the serialised result, which
    /// already carries `probabilities`.
    #[serde(skip)]
    pub text_probabilities: Option<[f32; 3]>,
}

/// The suggested disclaimer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DisclaimerSuggestion {
    /// Variant set id from the bundle.
    pub id: String,
    /// `long`, `short` or `minimal`.
    pub variant: &'static str,
    pub text: String,
    /// What to insert at the end of the draft (with its separator).
    pub insert: String,
}

/// Whether the draft needs a disclaimer, and which one fits.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DisclaimerDecision {
    pub needed: bool,
    /// A disclaimer is already in the draft.
    pub present: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub present_span: Option<Span>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub situation: Option<DisclaimerSituation>,
    /// Why it is (not) needed, in words.
    pub reason: String,
    /// Length left on this site before the disclaimer, when the site has a limit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chars_left: Option<i64>,
    /// The longest variant that fits; `None` when none is needed, one is present, or none fits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<DisclaimerSuggestion>,
    /// When a disclaimer is needed and the draft has a violation: that a disclaimer does not
    /// cure it (the card shows it beside the suggestion).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The analysis of one draft.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Analysis {
    #[serde(rename = "use")]
    pub use_: UseAssessment,
    pub findings: Vec<Finding>,
    pub counts: SeverityCounts,
    pub disclaimer: DisclaimerDecision,
    /// Site id resolved from the context.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
    pub account_kind: AccountKind,
    /// Owning unit, when the account is official.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_unit: Option<String>,
    pub mentions_employer: bool,
    /// The draft refers to the employer, by name or without it ("my agency").
    pub employer_reference: bool,
    /// An official title is used: one of the bundle's, or a title pattern.
    pub official_title: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on_duty: Option<bool>,
    /// Length of the draft as the site counts it.
    pub length: usize,
}

impl Analysis {
    /// Highest severity among the findings.
    pub fn max_severity(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }

    /// Convert every span from byte offsets in `text` to UTF-16 code units: the one place
    /// where offsets are converted for JavaScript.
    pub fn to_utf16(&mut self, text: &str) {
        let mut spans: Vec<&mut Span> = Vec::new();
        for f in &mut self.findings {
            spans.extend(f.spans.iter_mut());
        }
        if let Some(s) = self.disclaimer.present_span.as_mut() {
            spans.push(s);
        }
        if spans.is_empty() {
            return;
        }
        // Map all offsets in one pass over the text.
        let mut offsets: Vec<usize> = spans.iter().flat_map(|s| [s.start, s.end]).collect();
        offsets.sort_unstable();
        offsets.dedup();
        // `converted[i]` is `offsets[i]` in UTF-16 units.
        let mut converted = Vec::with_capacity(offsets.len());
        let (mut byte, mut units) = (0usize, 0usize);
        let mut chars = text.char_indices().peekable();
        for &off in &offsets {
            while byte < off {
                match chars.next() {
                    Some((_, c)) => {
                        units += c.len_utf16();
                        byte = chars.peek().map_or(text.len(), |&(i, _)| i);
                    }
                    None => break,
                }
            }
            converted.push(units);
        }
        let to_units = |off: usize| {
            offsets
                .binary_search(&off)
                .ok()
                .and_then(|i| converted.get(i).copied())
                .unwrap_or(units)
        };
        for s in spans {
            s.start = to_units(s.start);
            s.end = to_units(s.end);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_conversion_counts_surrogate_pairs() {
        let text = "a😀b日c";
        let mut a = Analysis {
            use_: UseAssessment {
                label: None,
                source: UseSource::Unknown,
                probabilities: None,
                blurred: false,
                signals: vec![],
                override_reason: None,
                text_probabilities: None,
            },
            findings: vec![Finding {
                rule_id: "r".into(),
                element: Element::Content,
                severity: Severity::Advice,
                message: String::new(),
                why: String::new(),
                reference: Reference {
                    clause: String::new(),
                    url: None,
                },
                spans: vec![Span { start: 5, end: 6 }, Span { start: 6, end: 9 }],
                matched: vec![],
                entity: None,
                fix: None,
            }],
            counts: SeverityCounts::default(),
            disclaimer: DisclaimerDecision {
                needed: false,
                present: false,
                present_span: Some(Span { start: 0, end: 10 }),
                situation: None,
                reason: String::new(),
                chars_left: None,
                suggestion: None,
                note: None,
            },
            site: None,
            account_kind: AccountKind::Unknown,
            account_unit: None,
            mentions_employer: false,
            employer_reference: false,
            official_title: false,
            on_duty: None,
            length: 5,
        };
        a.to_utf16(text);
        assert_eq!(
            a.findings[0].spans,
            vec![Span { start: 3, end: 4 }, Span { start: 4, end: 5 }]
        );
        assert_eq!(a.disclaimer.present_span, Some(Span { start: 0, end: 6 }));
    }
}
