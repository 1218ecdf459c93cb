//! The learned abuse score: a small calibrated linear model over the engine's own tokens
//! and stems ([`features`], one extractor shared by the trainer and inference), in the model
//! file `model/abuse-model.bin` ([`model`]), trained by `preflight-train conduct` (see
//! `model/ABUSE-REPORT.md`).
//!
//! Bundle rules use it through the `abuse` matcher (a threshold per severity) and through an
//! ambiguous term's `context.abuse` (a score that confirms or clears the match). The engine
//! scores a draft at most once, and only when such a rule applies or such a term matched.

pub mod features;
pub mod model;
pub mod split;

use std::sync::OnceLock;

use crate::Error;
pub use features::{extract, Options, Term};
pub use model::{AbuseModel, Score};

/// The model file shipped in the binary.
pub static EMBEDDED_MODEL: &[u8] = include_bytes!("../../../../model/abuse-model.bin");

/// The embedded model, parsed once.
pub fn embedded_model() -> Result<&'static AbuseModel, Error> {
    static MODEL: OnceLock<Result<AbuseModel, String>> = OnceLock::new();
    match MODEL.get_or_init(|| AbuseModel::from_bytes(EMBEDDED_MODEL).map_err(|e| e.to_string())) {
        Ok(m) => Ok(m),
        Err(e) => Err(Error::Model(e.clone())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Tokenizer;

    #[test]
    fn embedded_model_loads_and_round_trips() {
        let m = embedded_model().unwrap();
        assert_eq!(AbuseModel::from_bytes(&m.to_bytes()).unwrap(), *m);
        assert!(!m.sparse.is_empty());
    }

    #[test]
    fn bad_files_are_refused_with_a_reason() {
        let good = embedded_model().unwrap().to_bytes();
        let cases: Vec<(Vec<u8>, &str)> = vec![
            (b"NOTAMODEL".to_vec(), "bad magic"),
            (good[..good.len() - 1].to_vec(), "truncated"),
            ([good.as_slice(), &[0]].concat(), "trailing"),
            (
                {
                    let mut b = good.clone();
                    b[14] = 1; // hashing bits
                    b
                },
                "buckets",
            ),
        ];
        for (bytes, needle) in cases {
            let e = AbuseModel::from_bytes(&bytes).unwrap_err().to_string();
            assert!(e.contains(needle), "{e}");
        }
    }

    #[test]
    fn quantisation_is_what_is_stored() {
        let m = AbuseModel::new(
            Options { char_grams: true },
            [7; 32],
            3,
            -1.0,
            (1.0, 0.0),
            &[(5, 2.54), (9, -1.27), (70, 0.001)],
        )
        .unwrap();
        // 0.001 rounds to 0 and is dropped.
        assert_eq!(m.sparse, vec![(5, 127), (9, -64)]);
        let back = AbuseModel::from_bytes(&m.to_bytes()).unwrap();
        assert_eq!(back, m);
        assert!((back.weight(5) - 2.54).abs() < 1e-6);
        assert_eq!(back.weight(70), 0.0);
        // Duplicate buckets are refused.
        assert!(AbuseModel::new(
            Options::default(),
            [0; 32],
            1,
            0.0,
            (1.0, 0.0),
            &[(1, 1.0), (1, 2.0)]
        )
        .is_err());
    }

    #[test]
    fn scores_are_probabilities_and_explained_by_positive_words() {
        let m = embedded_model().unwrap();
        let tk = Tokenizer::new("en").unwrap();
        for text in ["", "🙂", "a b c", &"word ".repeat(400)] {
            let s = m.score(&tk.tokenize(text));
            assert!((0.0..=1.0).contains(&s.probability), "{text:?}");
        }
        let toks = tk.tokenize("you are a worthless disgusting pig and everyone hates you");
        let strongest = m.strongest_tokens(&toks, 3);
        assert!(!strongest.is_empty() && strongest.len() <= 3);
        let mut terms = Vec::new();
        extract(&toks, m.options, &mut terms);
        for k in strongest {
            let w: f32 = terms
                .iter()
                .filter(|t| t.token as usize == k)
                .map(|t| m.weight(t.bucket))
                .sum();
            assert!(w > 0.0, "{k}");
        }
    }
}
