//! # preflight-fuzz
//!
//! What the fuzzers of preflight run, and the invariants they check. Two targets:
//!
//! * [`bundle`]: bytes as bundle JSON → `validate::parse` and `Engine::from_json`; whatever
//!   they are, both return (no panic), agree on whether the bundle is valid, and a bundle
//!   that loads runs its own inline examples and analyses them within the invariants.
//! * [`analyze`]: a structure-aware draft ([`AnalyzeInput`], read with `arbitrary`): a
//!   context, the default bundle or one with rules made from the draft's own words (phrase
//!   terms, a regex, a site limit, `when` conditions), and the draft; the analysis must
//!   satisfy [`check_analysis`].
//!
//! The invariants ([`check_analysis`]): every span lies on char boundaries inside the text
//! and its `matched` text is the text there; spans of a finding are sorted and do not overlap;
//! no finding overlaps the disclaimer found in the draft; the UTF-16 spans
//! (`Analysis::to_utf16`) give back the same substrings of the UTF-16 text; the counts equal
//! the findings by severity; `analyze` is deterministic (a second call, and a fresh engine,
//! give the same analysis).
//!
//! `fuzz/` runs both under libFuzzer (`scripts/fuzz.sh`); `tests/corpus.rs` replays the seeds
//! (the shared vectors, the fixture bundles, the default bundle) and every saved regression
//! input with `cargo test`.

use std::cell::RefCell;

pub mod seeds;

use arbitrary::{Arbitrary, Unstructured};
use preflight_core::{validate, Analysis, Context, Engine, LocalTime, Severity, Weekday};
use serde_json::{json, Value};

/// Bundle JSON from the fuzzer: parse, validate, load; a bundle that loads runs its examples.
pub fn bundle(data: &[u8]) {
    let Ok(json) = std::str::from_utf8(data) else {
        return;
    };
    let validated = validate::parse(json);
    let loaded = Engine::from_json(json);
    // `bundle validate` and the engine's loader agree (the loader compiles the regexes
    // instead of checking them beforehand: same problems, same paths).
    match (&validated, &loaded) {
        (Ok(_), Err(e)) => panic!("validate accepts a bundle the engine refuses: {e}"),
        (Err(e), Ok(_)) => panic!("the engine loads a bundle validate refuses: {e}"),
        (Err(a), Err(b)) => {
            for p in a.problems.iter().chain(&b.problems) {
                assert!(!p.message.is_empty() && p.path.starts_with('$'), "{p}");
            }
        }
        (Ok(_), Ok(_)) => {}
    }
    let Ok(engine) = loaded else { return };
    let _ = engine.test_examples();
    for rule in &engine.bundle().rules {
        for ex in rule.examples.flags.iter().chain(&rule.examples.passes) {
            let (text, context) = match ex {
                preflight_core::Example::Text(t) => (t.as_str(), Context::default()),
                preflight_core::Example::WithContext { text, context } => {
                    (text.as_str(), context.clone())
                }
            };
            if let Ok(a) = engine.analyze(text, &context) {
                check_analysis(&engine, text, &context, &a);
            }
        }
    }
}

/// One structure-aware input of the `analyze` target.
#[derive(Debug, Clone)]
pub struct AnalyzeInput {
    pub context: Context,
    /// `None`: the default bundle.
    pub bundle: Option<Value>,
    pub text: String,
}

/// Sites, accounts and words the fuzzer picks from, besides arbitrary strings.
const SITES: &[&str] = &[
    "x",
    "x.com",
    "mastodon",
    "mastodon.social",
    "facebook.com",
    "linkedin",
];
const ACCOUNTS: &[&str] = &["@jane", "@DeptPublicSvc", "DPSSecretary", "@"];
const WEEKDAYS: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

impl AnalyzeInput {
    /// Reads `data` as: one byte `n`, then `n` bytes of choices (context and bundle, read
    /// with `arbitrary`), then the draft (UTF-8; invalid bytes become U+FFFD). A seed is a
    /// zero byte followed by a draft: the default bundle, no context.
    pub fn from_bytes(data: &[u8]) -> Self {
        let (n, rest) = data
            .split_first()
            .map_or((0, data), |(n, r)| (*n as usize, r));
        let (choices, text) = rest.split_at(n.min(rest.len()));
        let text = String::from_utf8_lossy(text).into_owned();
        let mut u = Unstructured::new(choices);
        let context = arbitrary_context(&mut u).unwrap_or_default();
        let bundle = if choices.is_empty() {
            None
        } else {
            derived_bundle(&mut u, &text).ok().flatten()
        };
        AnalyzeInput {
            context,
            bundle,
            text,
        }
    }
}

fn pick_str(u: &mut Unstructured, list: &[&str]) -> arbitrary::Result<String> {
    // One in four is an arbitrary string.
    if u.ratio(1, 4)? {
        Ok(String::arbitrary(u)?)
    } else {
        Ok(u.choose(list)?.to_string())
    }
}

fn arbitrary_context(u: &mut Unstructured) -> arbitrary::Result<Context> {
    let site = if u.arbitrary()? {
        Some(pick_str(u, SITES)?)
    } else {
        None
    };
    let account = if u.arbitrary()? {
        Some(pick_str(u, ACCOUNTS)?)
    } else {
        None
    };
    let local_time = if u.arbitrary()? {
        Some(LocalTime {
            weekday: *u.choose(&WEEKDAYS)?,
            // Out-of-range times too: they must be an error, not a panic.
            hour: u.int_in_range(0..=25)?,
            minute: u.int_in_range(0..=61)?,
        })
    } else {
        None
    };
    Ok(Context {
        site,
        account,
        reply: u.arbitrary()?,
        on_duty: u.arbitrary()?,
        local_time,
    })
}

/// Pieces of regex syntax the derived regex rule is made of, besides the draft's words.
const REGEX_PIECES: &[&str] = &[
    "\\b", "\\d", "\\w+", "\\s*", ".", "(", ")", "|", "?", "*", "+", "{2,3}", "[a-z]", "[^ ]",
    "(?i)", "^", "$", "\\.", "é", "😀",
];

/// The default bundle with rules made from the draft's words, so that they match: a phrase
/// rule (terms, an exception, a grade, a replacement, `min_matches`), a regex rule, a site
/// limit and `when` conditions. `None`: the default bundle as it is.
fn derived_bundle(u: &mut Unstructured, text: &str) -> arbitrary::Result<Option<Value>> {
    thread_local! {
        static DEFAULT: Value =
            serde_json::from_str(preflight_core::DEFAULT_BUNDLE_JSON).unwrap_or(Value::Null);
    }
    if !u.arbitrary::<bool>()? {
        return Ok(None);
    }
    let words: Vec<&str> = text.split_whitespace().take(64).collect();
    let word = |u: &mut Unstructured| -> arbitrary::Result<String> {
        // An arbitrary string now and then (most are refused: that is checked too).
        let odd = if u.is_empty() {
            0
        } else {
            u.int_in_range(0..=15)?
        };
        if words.is_empty() || odd == 15 {
            String::arbitrary(u)
        } else {
            let i = u.choose_index(words.len())?;
            let n = u.int_in_range(1..=3)?.min(words.len() - i);
            let mut w = words[i..i + n].join(" ");
            if u.ratio(1, 4)? {
                w.push('*');
            }
            Ok(w)
        }
    };
    let mut b = DEFAULT.with(Value::clone);
    let keep = u.int_in_range(0..=3)?;
    if keep < 3 {
        // Fewer of the default rules: the derived ones meet less competition.
        if let Some(rules) = b["rules"].as_array_mut() {
            let every = [1, 4, 16][keep as usize];
            *rules = rules.iter().step_by(every).cloned().collect();
        }
    }

    let mut terms = Vec::new();
    for _ in 0..u.int_in_range(1..=6)? {
        terms.push(word(u)?);
    }
    let mut phrases = json!({ "terms": terms });
    if u.arbitrary()? {
        phrases["except"] = json!([word(u)?]);
    }
    if u.arbitrary()? {
        phrases["grades"] = json!({ terms[0].clone(): "violation" });
    }
    if u.arbitrary()? {
        phrases["replacements"] = json!({ terms[terms.len() - 1].clone(): String::arbitrary(u)? });
    }
    if u.ratio(1, 4)? {
        phrases["min_matches"] = json!(u.int_in_range(1..=3)?);
    }
    if u.ratio(1, 4)? {
        phrases["context"] =
            json!({ terms[0].clone(): {"clear": [word(u)?], "window": u.int_in_range(1..=20)?} });
    }
    let mut when = json!({});
    if u.arbitrary()? {
        when["sites"] = json!([*u.choose(&["x", "mastodon", "linkedin"])?]);
    }
    if u.arbitrary()? {
        when["reply"] = json!(u.arbitrary::<bool>()?);
    }
    if u.arbitrary()? {
        when["account"] = json!(*u.choose(&["official", "personal", "unknown"])?);
    }
    let rule = |id: &str, severity: &str, matcher: Value, when: Value| {
        json!({
            "id": id, "element": "content", "severity": severity,
            "message": "m", "why": "w", "reference": {"clause": "c"},
            "match": matcher, "when": when,
            "fix": {"label": "Remove it"}
        })
    };
    let severity = *u.choose(&["advice", "warning", "violation"])?;
    let mut added = vec![rule(
        "fuzz.phrases",
        severity,
        json!({ "phrases": phrases }),
        when,
    )];
    if u.arbitrary()? {
        let mut pattern = String::new();
        for _ in 0..u.int_in_range(1..=8)? {
            if u.arbitrary()? {
                pattern.push_str(u.choose(REGEX_PIECES)?);
            } else {
                let w = word(u)?;
                pattern.push_str(&w.replace(|c: char| !c.is_alphanumeric(), ""));
            }
        }
        added.push(rule(
            "fuzz.regex",
            "warning",
            json!({ "regex": { "pattern": pattern, "case_insensitive": u.arbitrary::<bool>()? } }),
            json!({}),
        ));
    }
    if let Some(rules) = b["rules"].as_array_mut() {
        rules.extend(added);
    }
    if u.arbitrary()? {
        b["sites"][0]["char_limit"] = json!(u.int_in_range(1..=400)?);
    }
    if u.ratio(1, 4)? {
        b["disclaimers"]["present_phrases"] = json!([word(u)?]);
    }
    Ok(Some(b))
}

/// The `analyze` target: the input's bundle (or the default), the draft, the context. Returns
/// the analysis (`None`: a derived bundle that does not load, or a context refused).
pub fn analyze(input: &AnalyzeInput) -> Option<Analysis> {
    thread_local! {
        static DEFAULT: RefCell<Option<Engine>> = const { RefCell::new(None) };
    }
    let run = |engine: &Engine| {
        let a = engine.analyze(&input.text, &input.context).ok()?;
        check_analysis(engine, &input.text, &input.context, &a);
        Some(a)
    };
    match &input.bundle {
        // A derived bundle may be invalid (an arbitrary term, a bad regex): then it is
        // refused with problems, which is all there is to check.
        Some(b) => Engine::from_json(&b.to_string()).ok().and_then(|e| run(&e)),
        None => DEFAULT.with(|d| {
            let mut d = d.borrow_mut();
            let engine = d.get_or_insert_with(|| {
                Engine::default_bundle().unwrap_or_else(|e| panic!("default bundle: {e}"))
            });
            run(engine)
        }),
    }
}

/// Every invariant of one analysis of `text` (see the crate documentation).
pub fn check_analysis(engine: &Engine, text: &str, context: &Context, a: &Analysis) {
    let present = a.disclaimer.present_span;
    if let Some(p) = present {
        assert!(p.start <= p.end && p.end <= text.len(), "disclaimer {p:?}");
        assert!(text.is_char_boundary(p.start) && text.is_char_boundary(p.end));
    }
    let mut counts = [0usize; 3];
    for f in &a.findings {
        counts[match f.severity {
            Severity::Advice => 0,
            Severity::Warning => 1,
            Severity::Violation => 2,
        }] += 1;
        assert_eq!(
            f.spans.len(),
            f.matched.len(),
            "{}: spans and matched",
            f.rule_id
        );
        for (k, (s, m)) in f.spans.iter().zip(&f.matched).enumerate() {
            assert!(
                s.start < s.end && s.end <= text.len(),
                "{}: span {s:?} outside 0..{}",
                f.rule_id,
                text.len()
            );
            assert!(
                text.is_char_boundary(s.start) && text.is_char_boundary(s.end),
                "{}: span {s:?} not on char boundaries",
                f.rule_id
            );
            assert_eq!(&text[s.start..s.end], m, "{}: matched text", f.rule_id);
            if k > 0 {
                assert!(
                    f.spans[k - 1].end <= s.start,
                    "{}: spans not sorted or overlapping: {:?}",
                    f.rule_id,
                    f.spans
                );
            }
            if let Some(p) = present {
                assert!(
                    s.end <= p.start || p.end <= s.start,
                    "{}: span {s:?} overlaps the disclaimer {p:?}",
                    f.rule_id
                );
            }
        }
    }
    assert_eq!(
        [a.counts.advice, a.counts.warning, a.counts.violation],
        counts,
        "counts"
    );

    // UTF-16 spans give back the same substrings.
    let units: Vec<u16> = text.encode_utf16().collect();
    let mut wide = a.clone();
    wide.to_utf16(text);
    for (f, g) in wide.findings.iter().zip(&a.findings) {
        for (s, m) in f.spans.iter().zip(&g.matched) {
            assert!(
                s.start <= s.end && s.end <= units.len(),
                "utf-16 span {s:?}"
            );
            assert_eq!(
                String::from_utf16(&units[s.start..s.end]).ok().as_deref(),
                Some(m.as_str()),
                "{}: utf-16 span {s:?}",
                f.rule_id
            );
        }
    }
    if let (Some(w), Some(p)) = (wide.disclaimer.present_span, present) {
        assert_eq!(
            String::from_utf16(&units[w.start..w.end]).ok().as_deref(),
            Some(&text[p.start..p.end]),
            "utf-16 disclaimer span"
        );
    }

    // Deterministic: the same engine again. (A fresh engine from the same bundle is
    // compared by the corpus tests, where a load per input is affordable.)
    let again = engine.analyze(text, context).expect("second analyze");
    assert!(same(a, &again), "analyze is not deterministic");
}

/// Equal analyses; probabilities compared by their bits (NaN is NaN).
pub fn same(a: &Analysis, b: &Analysis) -> bool {
    let bits = |x: &Analysis| {
        x.use_
            .probabilities
            .map(|p| p.map(f32::to_bits))
            .unwrap_or_default()
    };
    let mut a2 = a.clone();
    let mut b2 = b.clone();
    a2.use_.probabilities = None;
    b2.use_.probabilities = None;
    a2.use_.text_probabilities = None;
    b2.use_.text_probabilities = None;
    a2 == b2 && bits(a) == bits(b)
}
