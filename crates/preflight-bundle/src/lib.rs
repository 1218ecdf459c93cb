//! # preflight-bundle
//!
//! The rule bundle of **preflight**: the one file an admin writes, validates, tests and pushes
//! to employees' browsers. This crate holds the format and nothing that runs a draft:
//!
//! * the types of a bundle ([`Bundle`], [`Rule`], [`Matcher`], …) and of the context a draft
//!   is checked in ([`Context`]); the JSON Schema (`model/bundle.schema.json`) is generated
//!   from them ([`bundle_schema`]);
//! * reading bundle JSON with every problem reported by JSON path and line:column
//!   ([`validate::parse`], [`BundleErrors`]), and the semantic checks
//!   ([`validate::check`]). The checks that depend on the engine (which stemmers a build
//!   holds, which detectors exist) take a [`validate::Support`] from it.
//!
//! `preflight-core` compiles a bundle into its engine and re-exports this crate's API.
//! The format lives in its own crate so that its (large, cold) deserializers can be
//! optimised for size while the engine is optimised for speed (the WebAssembly build's
//! per-crate opt-levels: docs/BENCHMARKS.md, "Size").

mod acts;
mod bundle;
mod context;
pub mod coverage;
mod error;
pub mod extend;
pub mod limits;
pub mod validate;

pub use acts::{Act, ActMatcher};
pub use bundle::{
    AbuseMatcher, AccountKindCond, Bundle, DetectorMatcher, DisclaimerSet, DisclaimerSituation,
    DisclaimerVariants, DutyHours, DutyWindow, Element, Example, Examples, FixSpec, LengthCounting,
    Matcher, Metadata, OfficialAccount, PhraseMatcher, Reference, RegexMatcher, Rule, Severity,
    Site, SiteKind, TermContext, Use, Weekday, When, BUNDLE_SCHEMA_VERSION, CONTEXT_WINDOW_DEFAULT,
    CONTEXT_WINDOW_MAX,
};
pub use context::{AccountKind, Context, LocalTime};
pub use error::{BundleErrors, Problem};

/// A bundle file: a whole bundle, or one that extends another ([`extend`]).
#[derive(schemars::JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)] // only its schema is used
enum BundleFile {
    Bundle(Bundle),
    Extending(extend::ExtendingBundle),
}

/// The JSON Schema of the rule bundle, generated from [`Bundle`] and
/// [`extend::ExtendingBundle`] (see `preflight bundle schema`).
pub fn bundle_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(BundleFile)).unwrap_or(serde_json::Value::Null)
}

/// An `f32` for a message, as the `f64` nearest its short decimal form (`0.7`, not
/// `0.699999988079071`). Messages format numbers through `f64` only: formatting an `f32`
/// would add a second copy of the float printer to the WebAssembly module.
pub fn show_f32(v: f32) -> f64 {
    let x = f64::from(v);
    if x.is_finite() && x.abs() < 1e9 {
        (x * 1e6).round() / 1e6
    } else {
        x
    }
}
