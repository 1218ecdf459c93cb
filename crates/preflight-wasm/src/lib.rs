//! # preflight-wasm
//!
//! JavaScript bindings of [`preflight_core`] for the browser extension (wasm-bindgen `web`
//! target) and the Node tests (`nodejs` target). Bindings only: every decision is made in the
//! core; this crate converts values between JavaScript and Rust.
//!
//! * Bundles come in as a JSON string or a plain object. Either way they go through
//!   [`preflight_core::Engine::from_json`], so every problem is reported with its JSON path
//!   (and, for a string, its line and column).
//! * Results go out as plain objects (serde-wasm-bindgen, JSON-compatible: maps become
//!   objects, `None` becomes `null`).
//! * Spans go out in UTF-16 code units, the unit of JavaScript string indices, converted by
//!   [`preflight_core::Analysis::to_utf16`] (the one conversion place). JavaScript strings
//!   with lone surrogates arrive as U+FFFD, which is one UTF-16 unit as well, so offsets still
//!   line up with the caller's string.
//! * Every failure is thrown as a JavaScript `Error` with a readable message. A panic traps
//!   (`WebAssembly.RuntimeError`), after which the host instantiates the module afresh.
//! * Unicode NFKC (the core's word normalisation) is done by the JavaScript engine: the
//!   module is built without unicode-normalization's tables to stay small.

use std::cell::RefCell;

use preflight_core as core;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// Runs once when the module is instantiated.
#[wasm_bindgen(start)]
pub fn start() {
    // This build leaves out unicode-normalization's tables (the core's `nfkc` feature):
    // the JavaScript engine normalises instead.
    core::set_host_nfkc(host_nfkc);
}

/// Panics, for the tests of the host's recovery (tests/node/host.test.mjs): not for use.
///
/// The module is built with panic=abort (stable Rust cannot unwind in wasm32), so a panic
/// traps: JavaScript gets a `WebAssembly.RuntimeError` ("unreachable"), and the instance is not
/// to be trusted afterwards (no destructor ran). The worker's host (extension/engine-host.js)
/// reports it and instantiates the module afresh. (A panic hook that threw the message as an
/// `Error` cost 1 KB gzip of formatting the module has no room for.)
#[doc(hidden)]
#[wasm_bindgen(js_name = __panicForTests)]
pub fn panic_for_tests() {
    panic!("injected by a test")
}

/// Characters that no NFKC step changes, in any string made of them only: each is its own
/// NFKC form, has combining class 0, and neither it nor the start of its decomposition
/// composes with a character before it. The common letters of Latin, Greek, Cyrillic,
/// Hebrew, Arabic, CJK, kana and Hangul text, and curly quotes and dashes: words made of
/// these need no call into JavaScript. A test checks every one against unicode-normalization.
fn nfkc_inert(c: char) -> bool {
    matches!(c,
        '\0'..='\u{7F}'
        | '\u{C0}'..='\u{FF}'
        | '\u{100}'..='\u{131}'
        | '\u{134}'..='\u{13E}'
        | '\u{141}'..='\u{148}'
        | '\u{14A}'..='\u{17E}'
        | '\u{386}'
        | '\u{388}'..='\u{3CE}'
        | '\u{400}'..='\u{45F}'
        | '\u{5D0}'..='\u{5EA}'
        | '\u{621}'..='\u{64A}'
        | '\u{2013}' | '\u{2014}' | '\u{2018}' | '\u{2019}' | '\u{201C}' | '\u{201D}'
        | '\u{3041}'..='\u{3096}'
        | '\u{30A1}'..='\u{30FA}'
        | '\u{30FC}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{AC00}'..='\u{D7A3}'
    )
}

/// Most strings memoised before [`host_nfkc`]'s memo starts over.
const NFKC_MEMO_MAX: usize = 20_000;

/// Unicode NFKC of `s` by the JavaScript engine (`String.prototype.normalize("NFKC")`, ICU
/// in V8), memoised: the core asks for each non-ASCII word of a draft, and the extension
/// analyses nearly the same draft on every pause in typing.
fn host_nfkc(s: &str) -> String {
    if s.chars().all(nfkc_inert) {
        return s.to_string();
    }
    thread_local! {
        static MEMO: RefCell<rustc_hash::FxHashMap<String, String>> = RefCell::default();
    }
    MEMO.with(|memo| {
        let mut memo = memo.borrow_mut();
        if let Some(n) = memo.get(s) {
            return n.clone();
        }
        let n = String::from(js_sys::JsString::from(s).normalize("NFKC"));
        if memo.len() >= NFKC_MEMO_MAX {
            memo.clear();
        }
        memo.insert(s.to_string(), n.clone());
        n
    })
}

/// Install the use classifier's model from the bytes of `use-model.bin` (shipped beside the
/// module: it is left out of the module to keep it small). Call once before analysing; until
/// then every draft's use is unknown. Throws an `Error` naming what is wrong with the file.
#[wasm_bindgen(js_name = loadUseModel)]
pub fn load_use_model(bytes: &[u8]) -> Result<(), JsError> {
    core::classify::install_model(bytes)
        .map(|_| ())
        .map_err(|e| JsError::new(&format!("use-model.bin: {e}")))
}

/// Whether a use model is loaded.
#[wasm_bindgen(js_name = useModelLoaded)]
pub fn use_model_loaded() -> bool {
    core::classify::embedded_model().is_ok()
}

/// Install the hashtag splitter's English word list from the bytes of `words-en.fc` (shipped
/// beside the module, like the use model). Until then, run-together hashtags are found only
/// when 16 letters or longer. Throws an `Error` naming what is wrong with the file.
#[wasm_bindgen(js_name = loadWordList)]
pub fn load_word_list(bytes: &[u8]) -> Result<(), JsError> {
    core::detectors::install_word_list(bytes)
        .map_err(|e| JsError::new(&format!("words-en.fc: {e}")))
}

/// Whether the hashtag splitter has its word list.
#[wasm_bindgen(js_name = wordListLoaded)]
pub fn word_list_loaded() -> bool {
    core::detectors::word_list_available()
}

/// A rule bundle compiled for analysis.
#[wasm_bindgen]
pub struct Engine {
    inner: core::Engine,
}

#[wasm_bindgen]
impl Engine {
    /// Compile `bundle`, a JSON string or a plain object. Throws an `Error` listing every
    /// problem with its JSON path when the bundle is invalid.
    #[wasm_bindgen(constructor)]
    pub fn new(bundle: JsValue) -> Result<Engine, JsError> {
        let inner = compile(&bundle).map_err(|e| match e {
            Compile::Input(msg) => JsError::new(&msg),
            Compile::Bundle(errors) => JsError::new(&errors.to_string()),
        })?;
        Ok(Engine { inner })
    }

    /// An engine over the default bundle embedded in the module.
    #[wasm_bindgen(js_name = withDefaultBundle)]
    pub fn with_default_bundle() -> Result<Engine, JsError> {
        let inner = core::Engine::default_bundle().map_err(|e| JsError::new(&e.to_string()))?;
        Ok(Engine { inner })
    }

    /// Analyse a draft. `context` is a plain object (`site`, `account`, `reply`, `on_duty`,
    /// `local_time: {weekday, hour, minute}`), or `undefined`/`null` for text alone.
    /// Spans in the result are UTF-16 code units into `text`.
    pub fn analyze(&self, text: &str, context: JsValue) -> Result<JsValue, JsError> {
        let analysis = self.analysis(text, &context)?;
        to_js(&analysis)
    }

    /// Only the use assessment of a draft (`use`, `source`, `probabilities`, `blurred`,
    /// `signals`, `override_reason`).
    pub fn classify(&self, text: &str, context: JsValue) -> Result<JsValue, JsError> {
        let analysis = self.analysis(text, &context)?;
        to_js(&analysis.use_)
    }

    /// What the extension needs to know about the bundle: metadata, sites (hosts, character
    /// limits, counting), registry, duty hours, official titles, disclaimers and a summary of
    /// the rules.
    pub fn metadata(&self) -> Result<JsValue, JsError> {
        let b = self.inner.bundle();
        let view = MetadataView {
            format: b.format,
            engine_version: env!("CARGO_PKG_VERSION"),
            metadata: &b.metadata,
            sites: &b.sites,
            registry: &b.registry,
            duty_hours: b.duty_hours.as_ref(),
            official_titles: &b.official_titles,
            disclaimers: &b.disclaimers,
            rules: b
                .rules
                .iter()
                .map(|r| RuleSummary {
                    id: &r.id,
                    element: r.element,
                    severity: r.severity,
                    message: &r.message,
                    reference: &r.reference,
                    enabled: r.enabled,
                    examples: r.examples.flags.len() + r.examples.passes.len(),
                })
                .collect(),
        };
        to_js(&view)
    }

    /// Per policy element, the enabled rules with their severity and number of inline
    /// examples, and how many are switched off (the table of `preflight bundle coverage`).
    pub fn coverage(&self) -> Result<JsValue, JsError> {
        to_js(&core::coverage::coverage(self.inner.bundle()))
    }

    /// Run every rule's inline examples; returns the failures (an empty array: all pass).
    #[wasm_bindgen(js_name = testExamples)]
    pub fn test_examples(&self) -> Result<JsValue, JsError> {
        to_js(&self.inner.test_examples())
    }
}

impl Engine {
    fn analysis(&self, text: &str, context: &JsValue) -> Result<core::Analysis, JsError> {
        let context = context_from_js(context)?;
        let mut analysis = self
            .inner
            .analyze(text, &context)
            .map_err(|e| JsError::new(&e.to_string()))?;
        analysis.to_utf16(text);
        Ok(analysis)
    }
}

/// The embedded default bundle, as JSON text.
#[wasm_bindgen(js_name = defaultBundle)]
pub fn default_bundle() -> String {
    core::DEFAULT_BUNDLE_JSON.to_string()
}

/// Check a bundle (JSON string or plain object) without keeping it:
/// `{ok, problems: [{path, line, column, message}]}`. `line` and `column` are `null` when
/// the bundle was an object (they would point into text the caller never saw).
#[wasm_bindgen(js_name = validateBundle)]
pub fn validate_bundle(bundle: JsValue) -> Result<JsValue, JsError> {
    let problems = match compile(&bundle) {
        Ok(_) => Vec::new(),
        Err(Compile::Bundle(errors)) => errors.problems,
        Err(Compile::Input(msg)) => {
            vec![core::Problem {
                path: "$".into(),
                line: None,
                column: None,
                message: msg,
            }]
        }
    };
    to_js(&Validation {
        ok: problems.is_empty(),
        problems,
    })
}

/// Version of the engine and of the bundle format it reads.
#[wasm_bindgen]
pub fn version() -> String {
    format!(
        "preflight {} (bundle format {})",
        env!("CARGO_PKG_VERSION"),
        core::BUNDLE_SCHEMA_VERSION
    )
}

enum Compile {
    /// Not a bundle at all (wrong JS type, not serialisable).
    Input(String),
    Bundle(core::BundleErrors),
}

fn compile(bundle: &JsValue) -> Result<core::Engine, Compile> {
    if let Some(json) = bundle.as_string() {
        return core::Engine::from_json(&json).map_err(Compile::Bundle);
    }
    if !bundle.is_object() {
        return Err(Compile::Input(format!(
            "expected a rule bundle as a JSON string or an object, got {}",
            js_type(bundle)
        )));
    }
    let json = js_sys::JSON::stringify(bundle).map_err(|e| {
        Compile::Input(format!(
            "the bundle object cannot be turned into JSON: {}",
            js_message(&e)
        ))
    })?;
    let json = json.as_string().unwrap_or_default();
    core::Engine::from_json(&json).map_err(|mut errors| {
        // Line and column point into our serialisation, not into anything the caller wrote.
        for p in &mut errors.problems {
            p.line = None;
            p.column = None;
        }
        Compile::Bundle(errors)
    })
}

/// Read a context: `undefined`/`null` → empty context; a JSON string; or a plain object,
/// checked strictly (unknown fields are errors, as in the core).
fn context_from_js(value: &JsValue) -> Result<core::Context, JsError> {
    if value.is_undefined() || value.is_null() {
        return Ok(core::Context::default());
    }
    let invalid = |e: &dyn std::fmt::Display| JsError::new(&format!("invalid context: {e}"));
    if let Some(json) = value.as_string() {
        return context_from_json(&json).map_err(|e| invalid(&e));
    }
    if !value.is_object() {
        return Err(invalid(&format!(
            "expected an object, got {}",
            js_type(value)
        )));
    }
    // Through JSON text: one cheap `JSON.stringify` of a small object, then the same strict
    // reader as the string path (`deny_unknown_fields` sees every key). Reading the object
    // field by field through serde-wasm-bindgen was a tenth of a warm `analyze` call.
    let json =
        js_sys::JSON::stringify(value).map_err(|_| invalid(&"it cannot be written as JSON"))?;
    let json = json
        .as_string()
        .ok_or_else(|| invalid(&"it cannot be written as JSON"))?;
    context_from_json(&json).map_err(|e| invalid(&e))
}

/// The context read from JSON text, memoised for the last text seen: the extension sends the
/// same context with every pause in typing.
fn context_from_json(json: &str) -> Result<core::Context, serde_json::Error> {
    thread_local! {
        static LAST: RefCell<Option<(String, core::Context)>> = const { RefCell::new(None) };
    }
    LAST.with(|last| {
        let mut last = last.borrow_mut();
        if let Some((text, context)) = last.as_ref() {
            if text == json {
                return Ok(context.clone());
            }
        }
        let context: core::Context = serde_json::from_str(json)?;
        *last = Some((json.to_string(), context.clone()));
        Ok(context)
    })
}

fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&format!("cannot convert the result for JavaScript: {e}")))
}

fn js_type(v: &JsValue) -> String {
    v.js_typeof()
        .as_string()
        .unwrap_or_else(|| "an unknown value".into())
}

fn js_message(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".into())
}

#[derive(Serialize)]
struct Validation {
    ok: bool,
    problems: Vec<core::Problem>,
}

#[derive(Serialize)]
struct RuleSummary<'a> {
    id: &'a str,
    element: core::Element,
    severity: core::Severity,
    message: &'a str,
    reference: &'a core::Reference,
    enabled: bool,
    /// Inline examples (`flags` + `passes`).
    examples: usize,
}

#[derive(Serialize)]
struct MetadataView<'a> {
    format: u32,
    engine_version: &'static str,
    metadata: &'a core::Metadata,
    sites: &'a [core::Site],
    registry: &'a [core::OfficialAccount],
    duty_hours: Option<&'a core::DutyHours>,
    official_titles: &'a [String],
    disclaimers: &'a core::DisclaimerSet,
    rules: Vec<RuleSummary<'a>>,
}

#[cfg(test)]
mod tests {
    use unicode_normalization::char::{canonical_combining_class, decompose_canonical};
    use unicode_normalization::UnicodeNormalization;

    use super::nfkc_inert;

    #[test]
    fn nfkc_inert_characters_are_left_alone_by_nfkc() {
        // Characters that end a canonical composition pair (the only ones that can merge
        // into the character before them), and Hangul vowel and trailing jamo.
        let mut seconds = std::collections::HashSet::new();
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let mut d = Vec::new();
            decompose_canonical(c, |x| d.push(x));
            if d.len() >= 2 {
                seconds.insert(*d.last().unwrap());
            }
        }
        seconds.extend(('\u{1161}'..='\u{1175}').chain('\u{11A8}'..='\u{11C2}'));
        let inert: Vec<char> = (0..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter(|&c| nfkc_inert(c))
            .collect();
        assert!(inert.len() > 30_000);
        for &c in &inert {
            let alone: String = c.to_string().nfkc().collect();
            assert_eq!(
                alone,
                c.to_string(),
                "U+{:04X} changes under NFKC",
                c as u32
            );
            assert_eq!(canonical_combining_class(c), 0, "U+{:04X}", c as u32);
            assert!(!seconds.contains(&c), "U+{:04X} composes", c as u32);
            let mut first = None;
            decompose_canonical(c, |x| {
                first.get_or_insert(x);
            });
            let first = first.unwrap_or(c);
            assert!(
                !seconds.contains(&first),
                "U+{:04X} starts a composition",
                c as u32
            );
        }
        // And so strings of them: a sample of mixed words.
        for s in [
            "naïve café",
            "Ωμέγα ёлка",
            "שלום مرحبا",
            "日本語のテキスト",
            "한국어 – “quoted”",
        ] {
            assert!(s.chars().all(nfkc_inert), "{s}");
            assert_eq!(s.nfkc().collect::<String>(), s);
        }
    }
}
