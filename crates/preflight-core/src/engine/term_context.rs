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
            confirm_at: c.abuse.as_ref().and_then(|a| a.confirm_at),
            clear_below: c.abuse.as_ref().and_then(|a| a.clear_below),
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
