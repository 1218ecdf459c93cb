//! Context of ambiguous phrase terms: the words near a match that clear it (its everyday
//! sense) or confirm it, a number that must stand alone, and the abuse score (see
//! [`crate::TermContext`] for the order in which they decide).
//!
//! Only a term that matched has its context read: a window of slots either side of the
//! match, so the cost per draft is nothing until an ambiguous term appears.

use crate::phrases::{PhraseMatch, Stream};
use crate::{TermContext, Tokenizer};
use preflight_bundle::CONTEXT_WINDOW_DEFAULT;

/// One context word, compiled like a phrase word.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Word {
    /// Exact stem.
    Stem(String),
    /// Normalised prefix (`snack*`).
    Prefix(String),
}

impl Word {
    fn compile(tokenizer: &Tokenizer, raw: &str) -> Result<Self, String> {
        let norm = Tokenizer::normalize(raw.trim());
        if let Some(prefix) = norm.strip_suffix('*') {
            if prefix.is_empty() || prefix.contains('*') {
                return Err(format!("`{raw}` needs letters before its trailing `*`"));
            }
            return Ok(Word::Prefix(prefix.to_string()));
        }
        if !norm.is_empty() && norm.chars().all(char::is_alphabetic) {
            return Ok(Word::Stem(tokenizer.stem_word(&norm)));
        }
        let tokens = tokenizer.tokenize(raw);
        match tokens.as_slice() {
            [one] => Ok(Word::Stem(one.stem.as_str().to_string())),
            [] => Err(format!("`{raw}` has no word")),
            _ => Err(format!(
                "`{raw}` is {} words to the tokenizer: give one word",
                tokens.len()
            )),
        }
    }

    fn matches(&self, stem: &str, norm: &str) -> bool {
        match self {
            Word::Stem(s) => stem == s,
            Word::Prefix(p) => norm.starts_with(p.as_str()) || stem.starts_with(p.as_str()),
        }
    }
}

/// The compiled context of one term.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CompiledContext {
    clear: Vec<Word>,
    confirm: Vec<Word>,
    window: usize,
    standalone: bool,
    confirm_at: Option<f32>,
    clear_below: Option<f32>,
}

/// Characters that join two numbers into one longer run (`1488-2231`, `9400 1488`).
fn joins_numbers(gap: &str) -> bool {
    !gap.is_empty()
        && gap.len() <= 3
        && gap
            .chars()
            .all(|c| matches!(c, ' ' | '-' | '.' | '/' | ',' | ':' | '\u{a0}'))
}

fn is_number(norm: &str) -> bool {
    norm.bytes().next().is_some_and(|b| b.is_ascii_digit())
        && norm
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b','))
}

impl CompiledContext {
    /// Compile a term's context; errors are `(field path suffix, message)`.
    pub fn compile(tokenizer: &Tokenizer, c: &TermContext) -> Result<Self, Vec<(String, String)>> {
        let mut errors = Vec::new();
        let mut words = |field: &str, list: &[String]| -> Vec<Word> {
            list.iter()
                .enumerate()
                .filter_map(|(k, w)| match Word::compile(tokenizer, w) {
                    Ok(w) => Some(w),
                    Err(e) => {
                        errors.push((format!("{field}[{k}]"), e));
                        None
                    }
                })
                .collect()
        };
        let clear = words("clear", &c.clear);
        let confirm = words("confirm", &c.confirm);
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Self {
            clear,
            confirm,
            window: c.window.unwrap_or(CONTEXT_WINDOW_DEFAULT),
            standalone: c.standalone,
            confirm_at: c.abuse_confirm_at,
            clear_below: c.abuse_clear_below,
        })
    }

    /// Whether the context reads the abuse score.
    pub fn uses_abuse(&self) -> bool {
        self.confirm_at.is_some() || self.clear_below.is_some()
    }

    /// Whether the match stands. `abuse` gives the draft's abuse score without the tokens
    /// of a byte range (the match's own words; `None` when there is no model), called only
    /// when the decision needs it.
    pub fn keeps(
        &self,
        m: &PhraseMatch,
        stream: &Stream,
        text: &str,
        abuse: &dyn Fn(std::ops::Range<usize>) -> Option<f32>,
    ) -> bool {
        let slots = &stream.slots;
        if self.standalone {
            let before = m.slots.start.checked_sub(1).and_then(|k| slots.get(k));
            let after = slots.get(m.slots.end);
            let touches = |other: Option<&crate::phrases::Slot>, gap: Option<&str>| {
                other.is_some_and(|o| is_number(o.norm())) && gap.is_some_and(joins_numbers)
            };
            if touches(
                before,
                before.and_then(|b| text.get(b.span.end..m.span.start)),
            ) || touches(
                after,
                after.and_then(|a| text.get(m.span.end..a.span.start)),
            ) {
                return false;
            }
        }
        let near = |words: &[Word]| {
            if words.is_empty() {
                return false;
            }
            let from = m.slots.start.saturating_sub(self.window);
            let to = (m.slots.end + self.window).min(slots.len());
            (from..to).filter(|k| !m.slots.contains(k)).any(|k| {
                words
                    .iter()
                    .any(|w| w.matches(slots[k].stem(), slots[k].norm()))
            })
        };
        if near(&self.confirm) {
            return true;
        }
        let score = if self.uses_abuse() {
            abuse(m.span.clone())
        } else {
            None
        };
        if let (Some(at), Some(s)) = (self.confirm_at, score) {
            if s >= at {
                return true;
            }
        }
        if near(&self.clear) {
            return false;
        }
        if let (Some(below), Some(s)) = (self.clear_below, score) {
            if s < below {
                return false;
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use crate::{Context, Engine, Severity};

    /// A bundle with one phrase rule whose `context` is `ctx` (JSON).
    fn engine_with(terms: &str, ctx: &str) -> Result<Engine, crate::BundleErrors> {
        Engine::from_json(&format!(
            r#"{{"format": 1,
              "metadata": {{"id": "t", "version": "1.0.0", "organization": "Dept", "language": "en"}},
              "disclaimers": {{"variants": [], "present_phrases": ["views my own"]}},
              "rules": [{{"id": "r", "element": "employee_conduct", "severity": "warning",
                "message": "m", "why": "w", "reference": {{"clause": "c"}},
                "match": {{"phrases": {{"terms": {terms}, "context": {ctx}}}}}}}]}}"#
        ))
    }

    fn flags(e: &Engine, text: &str) -> bool {
        !e.analyze(text, &Context::default())
            .unwrap()
            .findings
            .is_empty()
    }

    #[test]
    fn clear_words_in_the_window_clear_and_confirm_words_win() {
        let e = engine_with(
            r#"["cracker"]"#,
            r#"{"cracker": {"clear": ["cheese", "snack*"], "confirm": ["stupid"], "window": 3}}"#,
        )
        .unwrap();
        assert!(!flags(&e, "crackers with cheese"));
        assert!(!flags(&e, "Cheeses, then the crackers"));
        assert!(!flags(&e, "crackers and snacks"), "wildcard");
        assert!(flags(&e, "you cracker"));
        // Outside the window (3 words) the clearing word does not count.
        assert!(flags(&e, "cracker one two three four cheese"));
        assert!(!flags(&e, "cracker one two cheese"));
        // A confirming word keeps the match though a clearing word is near.
        assert!(flags(&e, "stupid cracker eating cheese"));
    }

    #[test]
    fn a_standalone_number_inside_a_longer_digit_run_is_cleared() {
        let e = engine_with(r#"["1488"]"#, r#"{"1488": {"standalone": true}}"#).unwrap();
        for run in [
            "Order 1488-2231-09 shipped",
            "tracking 9400 1488 2231",
            "account 55.1488",
            "call 555-1488",
            "ref 1488/22",
            "item 12:1488",
        ] {
            assert!(!flags(&e, run), "{run}");
        }
        for alone in [
            "1488",
            "heil 1488!",
            "they wrote 1488 on the wall",
            "1488, brothers",
        ] {
            assert!(flags(&e, alone), "{alone}");
        }
    }

    #[test]
    fn the_abuse_score_without_the_term_confirms_or_clears() {
        // Confirm at 0: any score confirms, whatever the clearing words say.
        let e = engine_with(
            r#"["hoe"]"#,
            r#"{"hoe": {"clear": ["garden"], "abuse_confirm_at": 0.0}}"#,
        )
        .unwrap();
        assert!(flags(&e, "hoe in the garden"));
        // Clear below 1: any score clears when nothing confirms.
        let e = engine_with(
            r#"["hoe"]"#,
            r#"{"hoe": {"confirm": ["stupid"], "abuse_clear_below": 1.0}}"#,
        )
        .unwrap();
        assert!(!flags(&e, "she is a hoe"));
        assert!(flags(&e, "stupid hoe"));
        // The score read is the draft's without the term: a term the model weighs heavily
        // does not confirm itself.
        let m = crate::abuse::embedded_model().unwrap();
        let tk = crate::Tokenizer::new("en").unwrap();
        let text = "hoe hoe hoe in the garden";
        let toks = tk.tokenize(text);
        let without = m.score_masked(&toks, 0..11).probability;
        let garden = m.score(&tk.tokenize("in the garden")).probability;
        assert!((without - garden).abs() < 1e-6, "{without} {garden}");
    }

    #[test]
    fn bad_context_words_are_reported_with_paths() {
        let err = engine_with(r#"["cracker"]"#, r#"{"nope": {"clear": ["x"]}}"#).unwrap_err();
        assert_eq!(
            err.problems[0].path, "$.rules[0].match.phrases.context.nope",
            "{err:?}"
        );
        // A word the tokenizer splits is found when the context is compiled.
        let err = engine_with(
            r#"["cracker"]"#,
            r#"{"cracker": {"clear": ["salt-and-pepper", "ok"]}}"#,
        )
        .unwrap_err();
        assert_eq!(err.problems.len(), 1, "{err:?}");
        assert_eq!(
            err.problems[0].path, "$.rules[0].match.phrases.context.cracker.clear[0]",
            "{err:?}"
        );
        assert!(err.problems[0].message.contains("give one word"), "{err:?}");
    }

    /// Every ambiguity the default bundle resolves by context, in both senses.
    #[test]
    fn default_bundle_word_senses() {
        let e = Engine::default_bundle().unwrap();
        let worst = |text: &str, rule: &str| {
            e.analyze(text, &Context::default())
                .unwrap()
                .findings
                .iter()
                .filter(|f| f.rule_id == rule)
                .map(|f| f.severity)
                .max()
        };
        let cases: &[(&str, &str, bool)] = &[
            // Food words clear "cracker".
            (
                "conduct.slur",
                "Grabbed cheese and a sleeve of crackers for the hike",
                false,
            ),
            (
                "conduct.slur",
                "Saltine crackers and soup for lunch today",
                false,
            ),
            ("conduct.slur", "get out of here you dumb cracker", true),
            // Vehicle words clear "tranny".
            (
                "conduct.slur",
                "The tranny on my old Ford is slipping between gears",
                false,
            ),
            (
                "conduct.slur",
                "Flushed the tranny fluid before the road trip",
                false,
            ),
            ("conduct.slur", "that tranny is a freak", true),
            // Animal and hunting words clear "coon".
            (
                "conduct.slur",
                "Found coon tracks near the chicken coop again",
                false,
            ),
            (
                "conduct.slur",
                "Took the hounds out coon hunting last night",
                false,
            ),
            ("conduct.slur", "look at that coon over there", true),
            // A sports-team context clears a team name.
            (
                "conduct.slur",
                "Redskins win in overtime, what a game",
                false,
            ),
            ("conduct.slur", "those drunk redskins again", true),
            // Garden words clear "hoe".
            (
                "conduct.profanity",
                "Borrowed a hoe to weed the tomato beds",
                false,
            ),
            ("conduct.profanity", "she is such a hoe", true),
            // Cigarettes clear "fag" (British English), milk clears "homo", water "dyke".
            (
                "conduct.slur",
                "Stepped outside for a fag and a lighter",
                false,
            ),
            ("conduct.slur", "Picked up homo milk and bread", false),
            (
                "conduct.slur",
                "The sea dyke held through the storm tide",
                false,
            ),
            ("conduct.slur", "what a fag", true),
            // A hate number must stand alone.
            ("conduct.slur", "Order 1488-2231-09 shipped today", false),
            (
                "conduct.slur",
                "Your tracking number is 9400 1488 2231 0000",
                false,
            ),
            ("conduct.slur", "Invoice 1488 is attached", false),
            ("conduct.slur", "heil 1488 brothers", true),
            ("conduct.slur", "1488", true),
        ];
        for (rule, text, flagged) in cases {
            let got = worst(text, rule);
            assert_eq!(got.is_some(), *flagged, "{rule}: {text:?} gave {got:?}");
        }
        // The graded severity is kept when a term stands.
        assert_eq!(
            worst("look at that coon over there", "conduct.slur"),
            Some(Severity::Violation)
        );
    }
}
