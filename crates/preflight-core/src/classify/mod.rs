//! Use classifier (organizational / professional / personal): the one feature extractor
//! shared by the trainer and inference ([`features`]), the model file and its dot-product
//! inference ([`model`]), and the evaluation report ([`eval`]).
//!
//! The engine calls [`assess`]. The shipped model is `model/use-model.bin`, trained by
//! `preflight-train` (see `model/REPORT.md`).

pub mod eval;
pub mod features;
pub mod lexicons;
pub mod model;
pub mod word_table;

use std::sync::OnceLock;

use crate::{AccountKind, Context, Error, Token, UseAssessment, UseSource};
pub use features::{extract, Features};
pub use model::UseModel;
pub use word_table::WordTable;

/// Everything the classifier may look at.
pub struct UseInput<'a> {
    pub text: &'a str,
    pub tokens: &'a [Token<'a>],
    pub context: &'a Context,
    /// Site kind resolved from the bundle, if the site is known.
    pub site_kind: Option<crate::SiteKind>,
    /// Account kind resolved from the registry.
    pub account_kind: crate::AccountKind,
    /// The draft names the organization or an alias.
    pub mentions_employer: bool,
}

/// The model file compiled into the binary (feature `embedded-model`, on by default: the CLI,
/// the trainer and the tests). The WebAssembly build leaves it out and the extension's worker
/// loads `use-model.bin` from the package with [`install_model`], so the module stays small.
#[cfg(feature = "embedded-model")]
pub const EMBEDDED_MODEL: &[u8] = include_bytes!("../../../../model/use-model.bin");

static INSTALLED: OnceLock<UseModel> = OnceLock::new();

/// Install the use model from a model file's bytes (the WebAssembly build, where no model is
/// compiled in). Installing the same model again is a no-op; a different one is an error
/// (every engine of the process shares one model).
pub fn install_model(bytes: &[u8]) -> Result<&'static UseModel, Error> {
    let m = UseModel::from_bytes(bytes)?;
    let installed = INSTALLED.get_or_init(|| m.clone());
    if *installed == m {
        Ok(installed)
    } else {
        Err(Error::Model(
            "a different use model is already installed".into(),
        ))
    }
}

/// The active model: the installed one, else the compiled-in one (parsed once).
pub fn embedded_model() -> Result<&'static UseModel, Error> {
    if let Some(m) = INSTALLED.get() {
        return Ok(m);
    }
    #[cfg(feature = "embedded-model")]
    {
        static MODEL: OnceLock<Result<UseModel, String>> = OnceLock::new();
        match MODEL.get_or_init(|| UseModel::from_bytes(EMBEDDED_MODEL).map_err(|e| e.to_string()))
        {
            Ok(m) => Ok(m),
            Err(e) => Err(Error::Model(e.clone())),
        }
    }
    #[cfg(not(feature = "embedded-model"))]
    Err(Error::Model(
        "no use model loaded (this build has none compiled in: load use-model.bin)".into(),
    ))
}

/// Signals shown on the card: at most this many.
const MAX_SIGNALS: usize = 4;
/// A feature must move the chosen use's score by at least this much to be named.
const MIN_CONTRIBUTION: f32 = 0.08;

/// Second blurred criterion ("mixed evidence"), on the extractor's own lexicon features:
/// a draft is also `blurred` when it carries at least `model.mix_work` words of the work
/// side (work / field vocabulary plus public-service vocabulary, as counted by the
/// extractor's `work_vocab` and `public_service_vocab` features) *and* at least
/// `model.mix_family` family and leisure words (`family_leisure_vocab`): a post about the
/// job and about home at once reads as two uses, whatever the single arg-max says.
///
/// Why lexicon counts and not the learned weights: the training labels are per account and
/// never mixed, and LinkedIn authors write about family, so the learned weight of
/// `family_leisure_vocab` leans professional (see `model/REPORT.md`); a criterion on weighted
/// contributions cannot see "family and work" as two uses. The lexicons are the extractor's
/// definition of which vocabulary belongs to which side.
///
/// The two thresholds are chosen by the trainer on out-of-fold predictions of the training
/// data (never on the hand-written drafts) and stored in the model file; the rule and the
/// table are in `model/REPORT.md`.
/// The card wording when the mixed-evidence criterion holds.
pub const MIXED_SIGNAL: &str = "work words and family or leisure words together";

/// Work-side and family-side word counts of a draft, read back from the dense features
/// (`work_vocab` + `public_service_vocab`, `family_leisure_vocab`; each capped at 4 words).
pub fn lexicon_sides(f: &Features) -> (usize, usize) {
    const WORK: usize = features::dense_at("work_vocab");
    const SERVICE: usize = features::dense_at("public_service_vocab");
    const FAMILY: usize = features::dense_at("family_leisure_vocab");
    let count = |i: usize| (f.dense[i] * 4.0).round() as usize;
    (count(WORK) + count(SERVICE), count(FAMILY))
}

/// Whether a draft meets the mixed-evidence criterion at the given thresholds.
pub fn mixed_at(f: &Features, work: usize, family: usize) -> bool {
    let (w, fam) = lexicon_sides(f);
    w >= work && fam >= family
}

/// Third blurred criterion ("mixed voice"): a draft is also `blurred` when it speaks as "I"
/// (at least `model.voice_singular` first-person-singular words: I, me, my, I'm...) *and*
/// for the institution (at least `model.voice_institutional` institutional-voice phrases:
/// "our" followed within [`features::OUR_WINDOW`] words by a work or public-service word,
/// e.g. "our agency's", "our summer internships"). An employee writing "my" and "our
/// agency" in one post is a personal voice speaking for the office, the classic blur of
/// the personal and the organizational uses. "We" alone is not counted: family posts say
/// "we" too ("my wife and I... we"), and "our kids" has no work word.
///
/// As for mixed evidence, the training labels never mix, so the learned weights cannot see
/// it; the thresholds are chosen by the trainer on out-of-fold predictions of the training
/// data (the smallest equal count on both sides whose own share of flagged rows stays
/// within a cap, see `model/REPORT.md`) and stored in the model file.
pub const MIXED_VOICE_SIGNAL: &str = "speaks as 'I' and for the office ('our' with a work word)";

/// First-person-singular words and institutional-voice phrases of a draft, read back from
/// the dense features (each capped at [`features::VOICE_CAP`]).
pub fn voice_sides(f: &Features) -> (usize, usize) {
    const SINGULAR: usize = features::dense_at("first_person_singular");
    const INSTITUTIONAL: usize = features::dense_at("institutional_voice");
    let count = |i: usize| (f.dense[i] * features::VOICE_CAP as f32).round() as usize;
    (count(SINGULAR), count(INSTITUTIONAL))
}

/// Whether a draft meets the mixed-voice criterion at the given thresholds.
pub fn mixed_voice_at(f: &Features, singular: usize, institutional: usize) -> bool {
    let (s, i) = voice_sides(f);
    s >= singular && i >= institutional
}

/// The text model's verdict on one draft, before any context override.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    /// Index into [`crate::Use::ALL`].
    pub label: usize,
    pub logits: [f32; 3],
    pub probabilities: [f32; 3],
    /// Top two probabilities within the model's margin, or `mixed`.
    pub blurred: bool,
    /// Work and family vocabulary at once (the model's mixed-evidence thresholds).
    pub mixed: bool,
    /// "I" and the institutional "our" at once (the model's mixed-voice thresholds).
    pub mixed_voice: bool,
    pub signals: Vec<String>,
}

/// Run `model` on one draft.
pub fn predict(model: &UseModel, input: &UseInput<'_>) -> Prediction {
    let f = features::extract_with(input, !model.sparse.is_empty());
    let mut found_words = Vec::with_capacity(f.words.len());
    model.found_words(&f, input.tokens, &mut found_words);
    let logits = model.logits_of_found(&f, &found_words);
    let found = found_words.len();
    let probabilities = model.probabilities(logits);
    let mut label = model::argmax(&probabilities);
    // No word the model knows: without evidence of work, a tie goes to personal.
    if found == 0 && !model.words.is_empty() && probabilities[2] >= probabilities[label] {
        label = 2;
    }
    let mut sorted = probabilities;
    sorted.sort_by(|a, b| b.total_cmp(a));
    let mixed = model.mix_work > 0
        && model.mix_family > 0
        && mixed_at(&f, model.mix_work.into(), model.mix_family.into());
    let mixed_voice = model.voice_singular > 0
        && model.voice_institutional > 0
        && mixed_voice_at(
            &f,
            model.voice_singular.into(),
            model.voice_institutional.into(),
        );
    let blurred = sorted[0] - sorted[1] < model.blur_margin || mixed || mixed_voice;
    let mut signals = explain(model, input, &f, &found_words, label);
    if mixed_voice {
        signals.insert(0, MIXED_VOICE_SIGNAL.to_string());
    }
    if mixed {
        signals.insert(0, MIXED_SIGNAL.to_string());
    }
    signals.truncate(MAX_SIGNALS);
    Prediction {
        label,
        logits,
        probabilities,
        blurred,
        mixed,
        mixed_voice,
        signals,
    }
}

/// How much a feature of weights `w` and value `v` favours class `c` over the others.
#[inline]
fn push(w: [f32; 3], v: f32, c: usize) -> f32 {
    let others = match c {
        0 => w[1] + w[2],
        1 => w[0] + w[2],
        _ => w[0] + w[1],
    } / 2.0;
    v * (w[c] - others)
}

/// The top contributing signals for class `c`, in words.
fn explain(
    model: &UseModel,
    input: &UseInput<'_>,
    f: &Features,
    found: &[(u32, u32)],
    c: usize,
) -> Vec<String> {
    let mut named: Vec<(f32, String)> = Vec::new();
    // Pushes in calibrated logits (the model divides its logits by the temperature).
    let scale = 1.0 / model.temperature;
    for (i, v) in f.dense.iter().enumerate() {
        if *v != 0.0 {
            let p = push(model.dense[i], *v, c) * scale;
            if p >= MIN_CONTRIBUTION {
                named.push((p, features::DENSE_SIGNALS[i].to_string()));
            }
        }
    }
    if let Some(s) = word_sentence(model, input, found, c) {
        named.push(s);
    }
    named.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    named
        .into_iter()
        .take(MAX_SIGNALS)
        .map(|(_, s)| s)
        .collect()
}

/// What the draft's words read like, per use, in the sentence the card shows.
const WORDS_READ_LIKE: [&str; 3] = [
    "read like an organization's notice",
    "read like someone talking about their field",
    "read like private life",
];

/// The word-embedding signal as a sentence about the draft: the two words that push most
/// towards use `c` ("words such as 'shelter' and 'forecast' read like an organization's
/// notice"), with its total push. Only whole alphabetic words of three letters or more that
/// are not function words are named; `None` when no word pushes enough.
fn word_sentence(
    model: &UseModel,
    input: &UseInput<'_>,
    found: &[(u32, u32)],
    c: usize,
) -> Option<(f32, String)> {
    // One pass: each word's push at weight 1, scaled by 1 / (n·T) at the end (the ranking
    // does not depend on the scale).
    let mut best: [(f32, &str); 2] = [(0.0, ""); 2];
    let mut total = 0.0f32;
    let mut n = 0usize;
    for &(i, j) in found {
        let Some(t) = input.tokens.get(i as usize) else {
            continue;
        };
        let w = t.norm.as_str();
        let scores = model.word_scores_at(j as usize);
        n += 1;
        let p = push(scores, 1.0, c);
        if p <= 0.0 {
            continue;
        }
        total += p;
        if w.len() < 3
            || !w.bytes().all(|b| b.is_ascii_lowercase())
            || features::is_stopword(w)
            || best.iter().any(|b| b.1 == w)
        {
            continue;
        }
        if p > best[0].0 {
            best = [(p, w), best[0]];
        } else if p > best[1].0 {
            best[1] = (p, w);
        }
    }
    if n == 0 {
        return None;
    }
    let total = total / (n as f32 * model.temperature);
    if total < MIN_CONTRIBUTION || best[0].1.is_empty() {
        return None;
    }
    let words = if best[1].1.is_empty() {
        format!("words such as '{}'", best[0].1)
    } else {
        format!("words such as '{}' and '{}'", best[0].1, best[1].1)
    };
    Some((total, format!("{words} {}", WORDS_READ_LIKE[c])))
}

/// Why an official account overrides the text.
const OFFICIAL_REASON: &str = "posted from an official account in your organization's registry: \
everything it posts speaks for the organization, so the use is organizational whatever the text reads as";

/// Classify the draft's use from text and context, with the embedded model. Posting from an
/// official account (registry) overrides the text: the use is organizational, and the text
/// model's probabilities are still shown. Without a usable model the use is unknown
/// (`source: unknown`) unless the registry decides it.
pub fn assess(input: &UseInput<'_>) -> UseAssessment {
    assess_with(embedded_model().ok(), input)
}

/// [`assess`] with an explicit model (`None`: no model).
pub fn assess_with(model: Option<&UseModel>, input: &UseInput<'_>) -> UseAssessment {
    let pred = model.map(|m| predict(m, input));
    let official = input.account_kind == AccountKind::Official;
    match (pred, official) {
        (Some(p), false) => UseAssessment {
            label: Some(crate::Use::ALL[p.label]),
            source: UseSource::Classifier,
            probabilities: Some(p.probabilities),
            blurred: p.blurred,
            signals: p.signals,
            override_reason: None,
            text_probabilities: Some(p.probabilities),
        },
        (p, true) => {
            let text_label = p.as_ref().map(|p| crate::Use::ALL[p.label]);
            let first =
                features::DENSE_SIGNALS[features::dense_index("account_official").unwrap_or(0)];
            let mut signals = vec![first.to_string()];
            let mut reason = OFFICIAL_REASON.to_string();
            if let Some(l) = text_label.filter(|l| *l != crate::Use::Organizational) {
                reason.push_str(&format!(" (the text alone reads as {})", l.as_str()));
            }
            if let Some(p) = &p {
                signals.extend(
                    p.signals
                        .iter()
                        .filter(|s| s.as_str() != first)
                        .take(MAX_SIGNALS - 1)
                        .cloned(),
                );
            }
            UseAssessment {
                label: Some(crate::Use::Organizational),
                source: UseSource::Registry,
                probabilities: p.as_ref().map(|p| p.probabilities),
                blurred: false,
                signals,
                override_reason: Some(reason),
                text_probabilities: p.as_ref().map(|p| p.probabilities),
            }
        }
        (None, false) => UseAssessment {
            label: None,
            source: UseSource::Unknown,
            probabilities: None,
            blurred: false,
            signals: Vec::new(),
            override_reason: None,
            text_probabilities: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Tokenizer, Use};

    fn run(model: Option<&UseModel>, text: &str, account: AccountKind) -> UseAssessment {
        let tk = Tokenizer::new("en").unwrap();
        let tokens = tk.tokenize(text);
        let ctx = Context::default();
        assess_with(
            model,
            &UseInput {
                text,
                tokens: &tokens,
                context: &ctx,
                site_kind: None,
                account_kind: account,
                mentions_employer: false,
            },
        )
    }

    #[test]
    fn embedded_model_loads() {
        let m = embedded_model().expect("model/use-model.bin parses");
        assert_eq!(m.feature_version, features::FEATURE_VERSION);
        assert!(m.temperature > 0.0);
    }

    #[test]
    fn no_model_means_unknown() {
        let a = run(None, "We are hiring", AccountKind::Unknown);
        assert_eq!(a.label, None);
        assert_eq!(a.source, UseSource::Unknown);
    }

    #[test]
    fn official_account_overrides_and_explains() {
        let m = embedded_model().unwrap();
        let a = run(
            Some(m),
            "Happy hour after this, then date night with my wife!",
            AccountKind::Official,
        );
        assert_eq!(a.label, Some(Use::Organizational));
        assert_eq!(a.source, UseSource::Registry);
        assert!(a.probabilities.is_some());
        let reason = a.override_reason.unwrap();
        assert!(reason.contains("official account"), "{reason}");
        assert!(reason.contains("reads as personal"), "{reason}");
        assert_eq!(a.signals[0], "posted from an official account");
        // Without an override the same text is the classifier's call.
        let b = run(
            Some(m),
            "Happy hour after this, then date night with my wife!",
            AccountKind::Unknown,
        );
        assert_eq!(b.source, UseSource::Classifier);
        assert_eq!(b.label, Some(Use::Personal));
        assert!(
            b.signals
                .iter()
                .any(|s| s.contains("read like private life")),
            "{:?}",
            b.signals
        );
    }

    #[test]
    fn probabilities_sum_to_one_and_blur_follows_margin() {
        let m = embedded_model().unwrap();
        for text in [
            "",
            "?",
            "We are proud to announce our new grant program. Apply by May 1.",
            "I love my dog",
        ] {
            let a = run(Some(m), text, AccountKind::Unknown);
            let p = a.probabilities.unwrap();
            assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-4);
            let mut s = p;
            s.sort_by(|a, b| b.total_cmp(a));
            let tk = Tokenizer::new("en").unwrap();
            let tokens = tk.tokenize(text);
            let ctx = Context::default();
            let input = UseInput {
                text,
                tokens: &tokens,
                context: &ctx,
                site_kind: None,
                account_kind: AccountKind::Unknown,
                mentions_employer: false,
            };
            let f = extract(&input);
            let mixed = mixed_at(&f, m.mix_work.into(), m.mix_family.into());
            let voice = m.voice_singular > 0
                && mixed_voice_at(&f, m.voice_singular.into(), m.voice_institutional.into());
            assert_eq!(a.blurred, s[0] - s[1] < m.blur_margin || mixed || voice);
        }
    }

    #[test]
    fn i_and_the_institutional_our_together_read_as_blurred() {
        let shipped = embedded_model().unwrap();
        assert!(shipped.voice_singular > 0 && shipped.voice_institutional > 0);
        let mut m = shipped.clone();
        (m.voice_singular, m.voice_institutional) = (1, 1);
        let text = "I spent the morning at our county clinic's open house. Come by before noon!";
        let a = run(Some(&m), text, AccountKind::Unknown);
        assert!(a.blurred, "{a:?}");
        assert!(a.signals.iter().any(|s| s == MIXED_VOICE_SIGNAL), "{a:?}");
        // One side alone, or "our" without a work word: no mixed-voice signal.
        for text in [
            "Our county clinic is open this Saturday. Come by before noon!",
            "My wife and I took our kids and our dog to the lake today.",
            "I finally finished the garden and my tomatoes look great.",
        ] {
            let a = run(Some(&m), text, AccountKind::Unknown);
            assert!(
                !a.signals.iter().any(|s| s == MIXED_VOICE_SIGNAL),
                "{text}: {a:?}"
            );
        }
        // Thresholds 0: the criterion is off.
        (m.voice_singular, m.voice_institutional) = (0, 0);
        let a = run(Some(&m), text, AccountKind::Unknown);
        assert!(!a.signals.iter().any(|s| s == MIXED_VOICE_SIGNAL), "{a:?}");
    }

    #[test]
    fn work_and_family_words_together_read_as_blurred() {
        let m = embedded_model().unwrap();
        // Two work-side words ("team", "project") and a family word ("kids").
        let both = run(
            Some(m),
            "Our team finished the project today, so I'm taking the kids out for pizza tonight.",
            AccountKind::Unknown,
        );
        assert!(both.blurred, "{both:?}");
        assert_eq!(both.signals[0], MIXED_SIGNAL);
        // Work words alone, family words alone: no mixed-evidence signal.
        for text in [
            "Our team finished the project and the research paper today.",
            "Taking the kids and the dog to the beach this weekend.",
        ] {
            let a = run(Some(m), text, AccountKind::Unknown);
            assert!(
                !a.signals.iter().any(|s| s == MIXED_SIGNAL),
                "{text}: {a:?}"
            );
        }
    }
}
