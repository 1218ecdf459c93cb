//! # preflight-core
//!
//! The pure engine of **preflight**, a privacy-first pre-post check for people who post on
//! social media as part of a public job. It has no WebAssembly or I/O dependency: the same
//! code runs in the native CLI, the trainer and (through `preflight-wasm`) the browser.
//!
//! The pipeline:
//!
//! 1. **Text** ([`Tokenizer`]): Unicode normalisation, word segmentation that keeps hashtags,
//!    @mentions, URLs, e-mail addresses, numbers and emoji whole, lower-casing and Snowball
//!    stems. Every [`Token`] keeps its byte span in the original text.
//! 2. **Bundle** ([`Bundle`]): the admin's rule bundle (JSON, schema in `model/bundle.schema.json`),
//!    validated with every problem reported by JSON path and line:column ([`BundleErrors`]).
//!    The format and its validation are the `preflight-bundle` crate, re-exported here;
//!    [`validate`] applies its checks with what this build supports.
//! 3. **Engine** ([`Engine`]): a bundle compiled once (phrase terms in a hash table of their
//!    first stems, regexes tried only where one of their literals starts, built-in PII and
//!    secret detectors), then [`Engine::analyze`] turns a draft and its
//!    [`Context`] into an [`Analysis`]: the use (organizational / professional / personal),
//!    findings with severity and clause, and the disclaimer decision.
//!
//! Offsets inside the core are byte offsets into the draft; [`Analysis::to_utf16`] is the one
//! place where they are converted to UTF-16 code units for JavaScript.
//!
//! No public function panics on input: fallible calls return [`Result`] with a typed [`Error`].

pub mod abuse;
mod acts;
mod analysis;
mod binfile;
mod byte_pairs;
pub mod classify;
pub mod detectors;
mod disclaimer;
mod engine;
mod error;
pub mod paraphrase;
mod phrases;
pub mod pii_forms;
#[cfg(test)]
mod testing;
mod text;
pub mod validate;

pub use analysis::{
    Analysis, DisclaimerDecision, DisclaimerSuggestion, Finding, SeverityCounts, Span,
    UseAssessment, UseSource,
};
pub use engine::{Engine, ExampleFailure, MAX_DRAFT_CHARS, TRUNCATED_RULE_ID};
pub use error::Error;
pub use preflight_bundle::coverage;
pub use preflight_bundle::extend;
pub use preflight_bundle::limits;
pub use preflight_bundle::{
    bundle_schema, AbuseMatcher, AccountKind, AccountKindCond, Act, ActMatcher, Bundle,
    BundleErrors, Context, DetectorMatcher, DisclaimerSet, DisclaimerSituation, DisclaimerVariants,
    DutyHours, DutyWindow, Element, Example, Examples, FixSpec, LengthCounting, LocalTime, Matcher,
    Metadata, OfficialAccount, PhraseMatcher, Problem, Reference, RegexMatcher, Rule, Severity,
    Site, SiteKind, TermContext, Use, Weekday, When, BUNDLE_SCHEMA_VERSION,
};
pub use text::{set_host_nfkc, Token, TokenKind, TokenText, Tokenizer};

/// The default rule bundle shipped with preflight (a US federal agency policy), as JSON:
/// `model/default-bundle.json` without insignificant whitespace (see `build.rs`).
///
/// A `static`, not a `const`: a `const` is copied into every crate that uses it, and the
/// WebAssembly module carried two copies.
pub static DEFAULT_BUNDLE_JSON: &str =
    include_str!(concat!(env!("OUT_DIR"), "/default-bundle.min.json"));
