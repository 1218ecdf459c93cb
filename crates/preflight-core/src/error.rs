//! Typed errors.

use crate::BundleErrors;

/// Errors of the core.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Bundle(#[from] BundleErrors),
    #[cfg_attr(
        feature = "all-languages",
        error("unsupported language {0:?}: expected one of ar, da, de, el, en, es, fi, fr, hu, it, nl, no, pt, ro, ru, sv, ta, tr")
    )]
    #[cfg_attr(
        not(feature = "all-languages"),
        error("unsupported language {0:?}: this build (the WebAssembly engine) stems English only, expected en; the native CLI has ar, da, de, el, en, es, fi, fr, hu, it, nl, no, pt, ro, ru, sv, ta, tr")
    )]
    UnsupportedLanguage(String),
    #[error("invalid context: {0}")]
    Context(String),
    #[error("invalid model: {0}")]
    Model(String),
}
