//! Bundle validation by this build of the engine: [`preflight_bundle::validate`] with
//! [`SUPPORT`], what this build supports (its stemmers and its detectors).
//!
//! Every problem comes with its JSON path, line:column and what was expected; see
//! [`preflight_bundle::validate`] for the three passes (syntax, shape, semantics).

pub use preflight_bundle::validate::{
    locate, locate_problems, parse_hhmm, push_key, regex_message, Checks, Support,
    REGEX_PATTERN_MAX, REGEX_SIZE_LIMIT,
};

use preflight_bundle::validate as format;

use crate::{Bundle, BundleErrors, Problem, Tokenizer};

/// What this build supports: the languages it can stem (all 18 Snowball stemmers natively,
/// English only in the WebAssembly build) and [`crate::detectors::NAMES`].
pub const SUPPORT: Support = Support {
    language: stemmed,
    detectors: crate::detectors::NAMES,
    parent: || crate::DEFAULT_BUNDLE_JSON,
};

fn stemmed(language: &str) -> Result<(), String> {
    Tokenizer::new(language)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Parse bundle JSON text: syntax and type errors, then [`check`]'s semantic problems, each
/// located by JSON path and line:column in `json`. Valid exactly when the engine loads it
/// ([`crate::Engine::from_json`], which is what this does): some problems only compiling
/// finds (a context word the tokenizer reads as two).
pub fn parse(json: &str) -> Result<Bundle, BundleErrors> {
    crate::Engine::from_json(json).map(crate::Engine::into_bundle)
}

/// Semantic checks on a parsed bundle (no line:column: the bundle may not come from text),
/// those the engine's compiler makes included: empty exactly when [`crate::Engine::new`]
/// accepts the bundle.
pub fn check(bundle: &Bundle) -> Vec<Problem> {
    let problems = format::check(bundle, &SUPPORT);
    if !problems.is_empty() {
        return problems;
    }
    crate::Engine::new(bundle.clone()).map_or_else(|e| e.problems, |_| Vec::new())
}

pub(crate) fn parse_with(json: &str, checks: Checks) -> Result<Bundle, BundleErrors> {
    format::parse_with(json, checks, &SUPPORT)
}

pub(crate) fn check_before_compile(bundle: &Bundle) -> Vec<Problem> {
    format::check_before_compile(bundle, &SUPPORT)
}

#[cfg(test)]
pub(crate) fn check_with(bundle: &Bundle, compile_regexes: bool) -> Vec<Problem> {
    format::check_with(bundle, compile_regexes, &SUPPORT)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A context word the tokenizer splits in two passed the format's checks but not the
    /// engine's compiler, so `parse` said valid of a bundle the engine refused (found by the
    /// `bundle` fuzz target: fuzz/regressions/bundle/context-word-two-tokens.json).
    #[test]
    fn parse_is_valid_exactly_when_the_engine_loads() {
        let (mut v, i) = default_bundle_and_first("phrases");
        let term = v["rules"][i]["match"]["phrases"]["terms"][0].clone();
        v["rules"][i]["match"]["phrases"]["context"] =
            serde_json::json!({ term.as_str().unwrap(): {"clear": ["lit|er"]} });
        let json = v.to_string();
        let parsed = parse(&json).unwrap_err();
        let loaded = crate::Engine::from_json(&json).unwrap_err();
        assert_eq!(parsed, loaded);
        assert!(parsed.problems[0]
            .message
            .contains("is 2 words to the tokenizer"));
        assert!(parsed.problems[0].line.is_some());
        let bundle: Bundle = serde_json::from_value(v).unwrap();
        assert_eq!(check(&bundle).len(), 1);
    }

    #[test]
    fn default_bundle_is_valid() {
        parse(crate::DEFAULT_BUNDLE_JSON).unwrap();
    }

    /// The trusted route (straight from the text) reads the default bundle exactly as the
    /// common route (a `Value`, then path-tracked parts) does, and as deserializing the whole
    /// does; a bundle it cannot read takes the common route and gets its problems with paths.
    #[test]
    fn trusted_route_reads_what_the_common_route_reads() {
        let json = crate::DEFAULT_BUNDLE_JSON;
        let trusted = parse_with(json, Checks::Trusted).unwrap();
        assert_eq!(trusted, parse_with(json, Checks::LeaveRegexes).unwrap());
        assert_eq!(trusted, serde_json::from_str::<Bundle>(json).unwrap());
        let broken = json.replacen("\"rules\":[", "\"rules\":7,\"x\":[", 1);
        assert_ne!(broken, json);
        let err = parse_with(&broken, Checks::Trusted).unwrap_err();
        assert!(err.problems.iter().any(|p| p.path == "$.rules"), "{err:?}");
    }

    /// The default bundle as a JSON value, and the index of its first rule with a `matcher`.
    fn default_bundle_and_first(matcher: &str) -> (serde_json::Value, usize) {
        let v: serde_json::Value = serde_json::from_str(crate::DEFAULT_BUNDLE_JSON).unwrap();
        let i = v["rules"]
            .as_array()
            .unwrap()
            .iter()
            .position(|r| r["match"].get(matcher).is_some())
            .unwrap();
        (v, i)
    }

    #[test]
    fn this_build_reports_unknown_detectors_and_languages() {
        let (mut v, i) = default_bundle_and_first("detector");
        v["metadata"]["language"] = "xx".into();
        v["rules"][i]["match"]["detector"]["detector"] = "NOPE".into();
        let ps = parse(&v.to_string()).unwrap_err().problems;
        let language = ps.iter().find(|p| p.path == "$.metadata.language").unwrap();
        assert!(
            language.message.starts_with("unsupported language \"xx\""),
            "{language:?}"
        );
        let path = format!("$.rules[{i}].match.detector.detector");
        let detector = ps.iter().find(|p| p.path == path).unwrap();
        for name in crate::detectors::NAMES {
            assert!(detector.message.contains(name), "{detector:?}");
        }
    }

    /// A regex with a Unicode property class is refused by validation with a hint, and the
    /// engine's own compiler (used on load) says the same.
    #[test]
    fn engine_refuses_unicode_property_classes_as_validation_does() {
        let (mut v, i) = default_bundle_and_first("regex");
        v["rules"][i]["match"]["regex"]["pattern"] = r"\p{Greek}+".into();
        let ps = parse(&v.to_string()).unwrap_err().problems;
        assert!(
            ps.iter()
                .any(|p| p.message.contains("Unicode property classes")),
            "{ps:#?}"
        );
        let bundle: Bundle = serde_json::from_value(v).unwrap();
        let err = crate::Engine::new(bundle).unwrap_err().to_string();
        assert!(err.contains("Unicode property classes"), "{err}");
    }
}
