//! Use classifier (organizational / professional / personal): the one feature extractor
//! shared by the trainer and inference, and the dot-product inference over shipped weights.
//!
//! Filled in by the classifier work (issue 3). The engine calls [`assess`].

use crate::{Context, Token, UseAssessment, UseSource};

/// Everything the classifier may look at.
pub struct UseInput<'a> {
    pub text: &'a str,
    pub tokens: &'a [Token],
    pub context: &'a Context,
    /// Site kind resolved from the bundle, if the site is known.
    pub site_kind: Option<crate::SiteKind>,
    /// Account kind resolved from the registry.
    pub account_kind: crate::AccountKind,
    /// The draft names the organization or an alias.
    pub mentions_employer: bool,
}

/// Classify the draft's use from text and context. Without a model this says so
/// (`source: unknown`, no label) rather than guessing.
pub fn assess(input: &UseInput<'_>) -> UseAssessment {
    let _ = input;
    UseAssessment {
        label: None,
        source: UseSource::Unknown,
        probabilities: None,
        blurred: false,
        signals: Vec::new(),
        override_reason: None,
    }
}
