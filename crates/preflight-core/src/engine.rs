//! The compiled bundle and `analyze`.

use crate::{Analysis, Bundle, BundleErrors, Context, Error};

/// A rule bundle compiled for fast analysis.
#[derive(Debug)]
pub struct Engine {
    bundle: Bundle,
}

/// An inline example that did not behave as declared.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ExampleFailure {
    pub rule_id: String,
    /// JSON path of the example, e.g. `$.rules[2].examples.flags[0]`.
    pub path: String,
    pub text: String,
    /// `should flag` or `should pass`.
    pub expected: &'static str,
}

impl Engine {
    /// Parse, validate and compile a bundle from JSON text.
    pub fn from_json(json: &str) -> Result<Self, BundleErrors> {
        let _ = json;
        unimplemented!()
    }

    /// Validate and compile a bundle.
    pub fn new(bundle: Bundle) -> Result<Self, BundleErrors> {
        Ok(Self { bundle })
    }

    /// The embedded default bundle.
    pub fn default_bundle() -> Result<Self, BundleErrors> {
        Self::from_json(crate::DEFAULT_BUNDLE_JSON)
    }

    pub fn bundle(&self) -> &Bundle {
        &self.bundle
    }

    /// Analyse one draft.
    pub fn analyze(&self, text: &str, context: &Context) -> Result<Analysis, Error> {
        let _ = (text, context);
        unimplemented!()
    }

    /// Run every rule's inline examples; returns the failures (empty: all pass).
    pub fn test_examples(&self) -> Vec<ExampleFailure> {
        unimplemented!()
    }
}
