//! The plain reference every use model must beat: TF-IDF over word 1–2-grams and character
//! 2–5-grams (within word boundaries, padded with a space), sublinear term frequency, each
//! block L2-normalised, and a multinomial logistic regression (linfa) with the same prior
//! correction as the shipped model (the class-balanced fit). It reads the raw text with its
//! own tokenizer, as the common scikit-learn baseline does (`TfidfVectorizer` defaults:
//! lower-cased, tokens of two or more word characters), so nothing of preflight's extractor
//! helps it.
//!
//! The vocabulary is fitted on the training rows only: terms in at least two rows, the most
//! frequent [`MAX_WORD_TERMS`] word n-grams and [`MAX_CHAR_TERMS`] character n-grams (a dense
//! design matrix has to fit in memory; the cut drops only rare terms).

// Loops over the three uses index several arrays at once.
#![allow(clippy::needless_range_loop)]

use std::collections::HashMap;

use linfa::prelude::*;
use linfa_logistic::MultiLogisticRegression;
use ndarray::{Array1, Array2};
use preflight_core::classify::model::N_LABELS;

use crate::TrainError;

/// Most frequent word n-grams kept.
pub const MAX_WORD_TERMS: usize = 6_000;
/// Most frequent character n-grams kept.
pub const MAX_CHAR_TERMS: usize = 10_000;
/// L2 strength (linfa's loss is summed over rows: the scikit-learn default `C = 1`).
pub const ALPHA: f32 = 1.0;

fn words(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    lower
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| w.chars().count() >= 2)
        .map(str::to_string)
        .collect()
}

fn word_terms(text: &str) -> Vec<String> {
    let w = words(text);
    let mut out = w.clone();
    out.extend(w.windows(2).map(|p| format!("{} {}", p[0], p[1])));
    out
}

fn char_terms(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    let mut out = Vec::new();
    for w in lower.split_whitespace() {
        let padded: Vec<char> = std::iter::once(' ')
            .chain(w.chars())
            .chain(std::iter::once(' '))
            .collect();
        for n in 2..=5 {
            if padded.len() < n {
                break;
            }
            for g in padded.windows(n) {
                out.push(g.iter().collect());
            }
        }
    }
    out
}

/// One TF-IDF block (word or character n-grams).
struct Block {
    vocab: HashMap<String, usize>,
    idf: Vec<f32>,
    terms: fn(&str) -> Vec<String>,
}

impl Block {
    fn fit(texts: &[&str], terms: fn(&str) -> Vec<String>, max: usize) -> Self {
        let mut df: HashMap<String, u32> = HashMap::new();
        for t in texts {
            let mut seen: Vec<String> = terms(t);
            seen.sort_unstable();
            seen.dedup();
            for s in seen {
                *df.entry(s).or_default() += 1;
            }
        }
        let mut cand: Vec<(String, u32)> = df.into_iter().filter(|(_, d)| *d >= 2).collect();
        cand.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        cand.truncate(max);
        let n = texts.len() as f32;
        let idf = cand
            .iter()
            .map(|(_, d)| ((1.0 + n) / (1.0 + *d as f32)).ln() + 1.0)
            .collect();
        let vocab = cand
            .into_iter()
            .enumerate()
            .map(|(i, (t, _))| (t, i))
            .collect();
        Self { vocab, idf, terms }
    }

    /// Write the L2-normalised TF-IDF row of `text` into `row` (length = vocabulary).
    fn row(&self, text: &str, row: &mut [f32]) {
        // Ordered, so the norm sums in the same order on every run (reproducible scores).
        let mut tf: std::collections::BTreeMap<usize, f32> = std::collections::BTreeMap::new();
        for t in (self.terms)(text) {
            if let Some(&i) = self.vocab.get(&t) {
                *tf.entry(i).or_default() += 1.0;
            }
        }
        let mut norm = 0.0f32;
        for (&i, &c) in &tf {
            let v = (1.0 + c.ln()) * self.idf[i];
            row[i] = v;
            norm += v * v;
        }
        if norm > 0.0 {
            let inv = 1.0 / norm.sqrt();
            for &i in tf.keys() {
                row[i] *= inv;
            }
        }
    }
}

/// A fitted reference model.
pub struct Reference {
    word: Block,
    chars: Block,
    fitted: linfa_logistic::MultiFittedLogisticRegression<f32, usize>,
    shift: [f64; N_LABELS],
}

impl Reference {
    fn design(&self, texts: &[&str]) -> Array2<f32> {
        let nw = self.word.idf.len();
        let mut x = Array2::<f32>::zeros((texts.len(), nw + self.chars.idf.len()));
        for (r, t) in texts.iter().enumerate() {
            let mut row = x.row_mut(r);
            let s = row.as_slice_mut().expect("standard layout");
            let (a, b) = s.split_at_mut(nw);
            self.word.row(t, a);
            self.chars.row(t, b);
        }
        x
    }

    /// Fit on `texts` with uses `ys`.
    pub fn fit(texts: &[&str], ys: &[usize]) -> Result<Self, TrainError> {
        let word = Block::fit(texts, word_terms, MAX_WORD_TERMS);
        let chars = Block::fit(texts, char_terms, MAX_CHAR_TERMS);
        let mut r = Self {
            word,
            chars,
            fitted: MultiLogisticRegression::default()
                .fit(&Dataset::new(
                    Array2::<f32>::zeros((3, 1)),
                    Array1::from(vec![0usize, 1, 2]),
                ))
                .map_err(|e| TrainError::Fit(e.to_string()))?,
            shift: [0.0; N_LABELS],
        };
        let x = r.design(texts);
        let y = Array1::from(ys.to_vec());
        r.fitted = MultiLogisticRegression::default()
            .alpha(ALPHA)
            .max_iterations(100)
            .fit(&Dataset::new(x, y))
            .map_err(|e| TrainError::Fit(e.to_string()))?;
        if r.fitted.classes() != [0, 1, 2] {
            return Err(TrainError::Fit(
                "reference: training rows lack a use".into(),
            ));
        }
        let mut counts = [0usize; N_LABELS];
        for &k in ys {
            counts[k] += 1;
        }
        r.shift = counts.map(|c| -(3.0 * c.max(1) as f64 / ys.len() as f64).ln());
        Ok(r)
    }

    /// Logits (prior-corrected) of `texts`.
    pub fn logits(&self, texts: &[&str]) -> Vec<[f64; N_LABELS]> {
        let x = self.design(texts);
        let p = self.fitted.params();
        let b = self.fitted.intercept();
        let z = x.dot(p);
        z.rows()
            .into_iter()
            .map(|r| {
                let mut o = [0.0f64; N_LABELS];
                for k in 0..N_LABELS {
                    o[k] = f64::from(r[k] + b[k]) + self.shift[k];
                }
                o
            })
            .collect()
    }
}
