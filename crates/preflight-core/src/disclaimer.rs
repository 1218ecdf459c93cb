//! Disclaimer decision: needed? already present? which variant fits the characters left?

use unicode_segmentation::UnicodeSegmentation;

use crate::analysis::{DisclaimerDecision, DisclaimerSuggestion, Span};
use crate::text::{Token, TokenKind};
use crate::AccountKind;
use crate::{DisclaimerSituation, DisclaimerVariants, LengthCounting, Site};

/// Separator put between the draft and an inserted disclaimer.
pub(crate) const SEPARATOR: &str = "\n\n";

/// Length of `text` as `site` counts it (URLs at a fixed length where the site does so).
pub(crate) fn site_length(text: &str, tokens: &[Token], site: Option<&Site>) -> usize {
    let counting = site.map_or(LengthCounting::Chars, |s| s.counting);
    let count = |s: &str| match counting {
        LengthCounting::Chars => s.chars().count(),
        LengthCounting::Graphemes => s.graphemes(true).count(),
        LengthCounting::Utf16 => s.encode_utf16().count(),
    };
    match site.and_then(|s| s.url_length) {
        Some(url_len) => {
            let mut total = 0;
            let mut pos = 0;
            for t in tokens.iter().filter(|t| t.kind == TokenKind::Url) {
                total += count(&text[pos..t.span.start]) + url_len;
                pos = t.span.end;
            }
            total + count(&text[pos..])
        }
        None => count(text),
    }
}

/// What the card says beside a suggested disclaimer when the draft has a violation.
pub(crate) const VIOLATION_NOTE: &str = "A disclaimer does not cure a violation: saying the views are your own does not make an endorsement, a partisan appeal or a leak allowed. Fix the findings marked as violations first.";

/// Inputs of the decision, resolved by the engine.
pub(crate) struct Facts<'a> {
    pub text: &'a str,
    pub tokens: &'a [Token<'a>],
    pub site: Option<&'a Site>,
    pub account_kind: AccountKind,
    pub mentions_employer: bool,
    /// The draft refers to the employer without naming it ("my agency").
    pub unnamed_employer: bool,
    pub official_title: bool,
    pub present_span: Option<Span>,
    /// Some finding is a violation: a disclaimer does not cure it.
    pub violation: bool,
    pub organization: &'a str,
}

pub(crate) fn render(template: &str, organization: &str) -> String {
    template.replace("{organization}", organization)
}

/// Decide whether the draft needs a disclaimer, and choose the longest variant that fits.
pub(crate) fn decide(facts: &Facts<'_>, variants: &[DisclaimerVariants]) -> DisclaimerDecision {
    let length = site_length(facts.text, facts.tokens, facts.site);
    let chars_left = facts
        .site
        .and_then(|s| s.char_limit)
        .map(|lim| lim as i64 - length as i64);
    let present = facts.present_span.is_some();
    let mut decision = DisclaimerDecision {
        needed: false,
        present,
        present_span: facts.present_span,
        situation: None,
        reason: String::new(),
        chars_left,
        suggestion: None,
        note: None,
    };
    if facts.account_kind == AccountKind::Official {
        decision.reason = "Posted from an official account: it speaks for the organization, so no personal disclaimer.".into();
        return decision;
    }
    let situation = if facts.official_title {
        DisclaimerSituation::OfficialTitle
    } else if facts.mentions_employer || facts.unnamed_employer {
        DisclaimerSituation::NamesEmployer
    } else {
        decision.reason =
            "The draft neither names your organization nor uses an official title.".into();
        return decision;
    };
    decision.needed = true;
    if facts.violation {
        decision.note = Some(VIOLATION_NOTE.into());
    }
    decision.situation = Some(situation);
    let why = match situation {
        DisclaimerSituation::OfficialTitle => {
            "The draft uses your official title in personal writing"
        }
        DisclaimerSituation::NamesEmployer if !facts.mentions_employer => {
            "The draft refers to your employer from a personal account"
        }
        DisclaimerSituation::NamesEmployer => {
            "The draft names your organization from a personal account"
        }
    };
    if present {
        decision.reason = format!("{why}; it already carries a disclaimer.");
        return decision;
    }
    let set = variants
        .iter()
        .find(|v| v.situation == situation)
        .or_else(|| {
            variants
                .iter()
                .find(|v| v.situation == DisclaimerSituation::NamesEmployer)
        });
    let Some(set) = set else {
        decision.reason = format!("{why}, but the bundle has no disclaimer for this situation.");
        return decision;
    };
    let sep_len = SEPARATOR.chars().count();
    for (variant, template) in [
        ("long", &set.long),
        ("short", &set.short),
        ("minimal", &set.minimal),
    ] {
        let text = render(template, facts.organization);
        let counted = match facts.site.map_or(LengthCounting::Chars, |s| s.counting) {
            LengthCounting::Chars => text.chars().count(),
            LengthCounting::Graphemes => text.graphemes(true).count(),
            LengthCounting::Utf16 => text.encode_utf16().count(),
        } + sep_len;
        if chars_left.is_none_or(|left| counted as i64 <= left) {
            decision.reason = format!("{why}; add a disclaimer that the views are your own.");
            decision.suggestion = Some(DisclaimerSuggestion {
                id: set.id.clone(),
                variant,
                insert: format!("{SEPARATOR}{text}"),
                text,
            });
            return decision;
        }
    }
    decision.reason = format!(
        "{why}, but no disclaimer fits in the {} characters left: shorten the draft or add one to your profile.",
        chars_left.unwrap_or(0).max(0)
    );
    decision
}
