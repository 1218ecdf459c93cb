//! The use model of feature extractor v10 and its validation: the design of each variant
//! (static word embeddings, optionally the extractor's hashed terms and dense text
//! features), fitting (linfa), and the splits the report is built on: **transfer** (train on
//! the `train` rows, score each `transfer` source), **leave-one-dataset-out** on the train
//! rows, and grouped 5-fold cross-validation as a secondary line.

// Loops over the three uses index several arrays at once.
#![allow(clippy::needless_range_loop)]

use std::collections::BTreeMap;

use linfa::prelude::*;
use linfa_logistic::MultiLogisticRegression;
use ndarray::{Array1, Array2};
use preflight_core::classify::eval::{Expected, Row};
use preflight_core::classify::features::DENSE_NAMES;
use preflight_core::classify::model::N_LABELS;
use preflight_core::classify::{self as cl};
use preflight_core::{Tokenizer, Use};

use crate::embed::Embeddings;
use crate::reference::Reference;
use crate::{dataset_of, fold_of, group_of, select_columns, Columns, Config, Sample, TrainError};

/// One labelled row, featurised every way a variant may read it.
pub struct Item {
    pub y: usize,
    pub source: String,
    pub dataset: String,
    pub transfer: bool,
    pub text: String,
    /// Mean embedding of the row's words (zeros when none is in the table).
    pub emb: Vec<f32>,
    /// The extractor's hashed terms and dense features (the v9 design).
    pub sample: Sample,
}

/// Featurise the rows that carry a use label.
pub fn items(rows: &[Row], tokenizer: &Tokenizer, emb: &Embeddings) -> Vec<Item> {
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let Some(Expected::Use(u)) = row.expected() else {
            continue;
        };
        let source = row.source.clone().unwrap_or_else(|| "(no source)".into());
        let (f, mean) = cl::eval::with_input(tokenizer, row, |input| {
            let f = cl::extract(input);
            let (m, _) = emb.mean(&f, input.tokens);
            (f, m)
        });
        let y = Use::ALL.iter().position(|x| *x == u).unwrap_or(0);
        out.push(Item {
            y,
            dataset: dataset_of(&source).to_string(),
            transfer: row.split.as_deref() == Some("transfer"),
            text: row.text.clone(),
            emb: mean,
            sample: Sample {
                x: f.iter().collect(),
                y,
                group: group_of(&source, tokenizer, &row.text),
                source: source.clone(),
                key: 0,
                extra: Vec::new(),
            },
            source,
        });
    }
    out
}

/// What a variant reads and how strongly it is regularised.
#[derive(Debug, Clone)]
pub struct Variant {
    pub name: String,
    pub embeddings: bool,
    /// The extractor's hashed stem uni- and bigrams (most frequent `max_features`).
    pub hashed: bool,
    /// The extractor's dense text features (voice, calls to action, questions, lexicons,
    /// length, hashtag / link / mention density; never the context features).
    pub dense_text: bool,
    /// L2 strength (loss summed over rows).
    pub alpha: f64,
}

/// Dense features never learned from text-only data (context) or only counted.
const NEVER_LEARNED: [&str; 7] = [
    "site_professional",
    "site_general",
    "site_forum",
    "account_official",
    "account_personal",
    "reply",
    "institutional_voice",
];

impl Variant {
    fn config(&self) -> Config {
        let mut cfg = Config {
            max_features: if self.hashed { 6_000 } else { 0 },
            ..Config::default()
        };
        cfg.mask = if self.dense_text {
            NEVER_LEARNED.iter().map(|s| s.to_string()).collect()
        } else {
            DENSE_NAMES.iter().map(|s| s.to_string()).collect()
        };
        cfg
    }
}

/// A fitted variant.
pub struct Fitted {
    pub variant: Variant,
    /// Embedding weights, one row per dimension (empty without embeddings).
    pub emb_weights: Vec<[f64; N_LABELS]>,
    pub cols: Columns,
    pub col_weights: Vec<[f64; N_LABELS]>,
    /// Prior-corrected intercepts.
    pub intercept: [f64; N_LABELS],
}

fn prior_shift(ys: &[usize]) -> [f64; N_LABELS] {
    let mut counts = [0usize; N_LABELS];
    for &k in ys {
        counts[k] += 1;
    }
    counts.map(|c| -(3.0 * c.max(1) as f64 / ys.len().max(1) as f64).ln())
}

fn design(items: &[Item], rows: &[usize], v: &Variant, cols: &Columns) -> Array2<f32> {
    let de = if v.embeddings {
        items.first().map_or(0, |i| i.emb.len())
    } else {
        0
    };
    let mut x = Array2::<f32>::zeros((rows.len(), de + cols.len()));
    for (r, &i) in rows.iter().enumerate() {
        for d in 0..de {
            x[[r, d]] = items[i].emb[d];
        }
        for &(f, val) in &items[i].sample.x {
            if let Some(c) = cols.column(f) {
                x[[r, de + c]] = val;
            }
        }
    }
    x
}

/// Fit `v` on the rows `train` (prior correction λ = 1: the uses count as equally common).
pub fn fit(items: &[Item], train: &[usize], v: &Variant) -> Result<Fitted, TrainError> {
    let samples: Vec<Sample> = items.iter().map(|i| i.sample.clone()).collect();
    let all: Vec<usize> = train.to_vec();
    let cols = select_columns(&samples, &all, &v.config());
    let x = design(items, train, v, &cols);
    let ys: Vec<usize> = train.iter().map(|&i| items[i].y).collect();
    let fitted = MultiLogisticRegression::default()
        .alpha(v.alpha as f32)
        .max_iterations(200)
        .fit(&Dataset::new(x, Array1::from(ys.clone())))
        .map_err(|e| TrainError::Fit(e.to_string()))?;
    if fitted.classes() != [0, 1, 2] {
        return Err(TrainError::Fit(format!(
            "training rows lack a use (classes {:?})",
            fitted.classes()
        )));
    }
    let p = fitted.params();
    let shift = prior_shift(&ys);
    let b = fitted.intercept();
    let intercept = [0, 1, 2].map(|k| f64::from(b[k]) + shift[k]);
    let de = if v.embeddings {
        items.first().map_or(0, |i| i.emb.len())
    } else {
        0
    };
    let row = |r: usize| [p[[r, 0]], p[[r, 1]], p[[r, 2]]].map(f64::from);
    Ok(Fitted {
        variant: v.clone(),
        emb_weights: (0..de).map(row).collect(),
        col_weights: (0..cols.len()).map(|c| row(de + c)).collect(),
        cols,
        intercept,
    })
}

impl Fitted {
    /// Logits of one row.
    pub fn logits(&self, item: &Item) -> [f64; N_LABELS] {
        let mut z = self.intercept;
        for (w, x) in self.emb_weights.iter().zip(&item.emb) {
            for k in 0..N_LABELS {
                z[k] += w[k] * f64::from(*x);
            }
        }
        for &(f, val) in &item.sample.x {
            if let Some(c) = self.cols.column(f) {
                for k in 0..N_LABELS {
                    z[k] += self.col_weights[c][k] * f64::from(val);
                }
            }
        }
        z
    }
}

/// A model under test: a variant of the use model, or the plain reference.
#[derive(Debug, Clone)]
pub enum Candidate {
    Model(Variant),
    Reference,
}

impl Candidate {
    pub fn name(&self) -> String {
        match self {
            Candidate::Model(v) => v.name.clone(),
            Candidate::Reference => "plain reference (TF-IDF word + char n-grams, logistic)".into(),
        }
    }

    /// Fit on `train`, return the logits of `test`.
    pub fn fit_predict(
        &self,
        items: &[Item],
        train: &[usize],
        test: &[usize],
    ) -> Result<Vec<[f64; N_LABELS]>, TrainError> {
        match self {
            Candidate::Model(v) => {
                let f = fit(items, train, v)?;
                Ok(test.iter().map(|&i| f.logits(&items[i])).collect())
            }
            Candidate::Reference => {
                let texts: Vec<&str> = train.iter().map(|&i| items[i].text.as_str()).collect();
                let ys: Vec<usize> = train.iter().map(|&i| items[i].y).collect();
                let r = Reference::fit(&texts, &ys)?;
                let tt: Vec<&str> = test.iter().map(|&i| items[i].text.as_str()).collect();
                Ok(r.logits(&tt))
            }
        }
    }
}

/// Held-out logits of every scored row (`None`: not scored by this split).
pub type Oof = Vec<Option<[f64; N_LABELS]>>;

/// Train on the `train` rows, score the `transfer` rows.
pub fn transfer(items: &[Item], c: &Candidate) -> Result<Oof, TrainError> {
    let (test, train): (Vec<usize>, Vec<usize>) =
        (0..items.len()).partition(|&i| items[i].transfer);
    let z = c.fit_predict(items, &train, &test)?;
    let mut oof = vec![None; items.len()];
    for (i, z) in test.into_iter().zip(z) {
        oof[i] = Some(z);
    }
    Ok(oof)
}

/// The datasets of the train rows that can be held out: every use of the dataset's rows
/// keeps another dataset among the train rows.
pub fn lodo_datasets(items: &[Item]) -> Vec<String> {
    let mut by_use: [BTreeMap<&str, usize>; N_LABELS] = Default::default();
    for it in items.iter().filter(|i| !i.transfer) {
        *by_use[it.y].entry(it.dataset.as_str()).or_default() += 1;
    }
    let datasets: std::collections::BTreeSet<&str> = items
        .iter()
        .filter(|i| !i.transfer)
        .map(|i| i.dataset.as_str())
        .collect();
    datasets
        .into_iter()
        .filter(|d| (0..N_LABELS).all(|k| !by_use[k].contains_key(d) || by_use[k].len() > 1))
        .map(str::to_string)
        .collect()
}

/// Held-out logits of one split: the rows it scored and their logits.
type Scored = Result<(Vec<usize>, Vec<[f64; N_LABELS]>), TrainError>;

/// Write every split's logits into `oof` at the rows it scored.
fn scatter(parts: Vec<Scored>, mut oof: Oof) -> Result<Oof, TrainError> {
    for p in parts {
        let (test, z) = p?;
        for (i, z) in test.into_iter().zip(z) {
            oof[i] = Some(z);
        }
    }
    Ok(oof)
}

/// Leave-one-dataset-out over the train rows: each holdable dataset is scored by a fit on
/// the other train rows.
pub fn lodo(items: &[Item], c: &Candidate) -> Result<Oof, TrainError> {
    let ds = lodo_datasets(items);
    let parts = crate::two_at_a_time(&ds, |d| {
        let (test, train): (Vec<usize>, Vec<usize>) = (0..items.len())
            .filter(|&i| !items[i].transfer)
            .partition(|&i| &items[i].dataset == d);
        c.fit_predict(items, &train, &test).map(|z| (test, z))
    });
    scatter(parts, vec![None; items.len()])
}

/// Held-out logits of every train row for calibration: leave-one-dataset-out where the
/// dataset can be held out, and for a dataset that cannot (the only one of its use), five
/// folds of it by group, each scored by a fit on everything else.
pub fn held_out(items: &[Item], c: &Candidate, lodo: &Oof, seed: u64) -> Result<Oof, TrainError> {
    let holdable = lodo_datasets(items);
    let mut jobs: Vec<(String, usize)> = Vec::new();
    let mut rest: Vec<&str> = items
        .iter()
        .filter(|i| !i.transfer && !holdable.contains(&i.dataset))
        .map(|i| i.dataset.as_str())
        .collect();
    rest.sort_unstable();
    rest.dedup();
    for d in rest {
        for f in 0..5 {
            jobs.push((d.to_string(), f));
        }
    }
    let parts = crate::two_at_a_time(&jobs, |(d, f)| {
        let (test, train): (Vec<usize>, Vec<usize>) = (0..items.len())
            .filter(|&i| !items[i].transfer)
            .partition(|&i| {
                &items[i].dataset == d && fold_of(&items[i].sample.group, 5, seed) == *f
            });
        c.fit_predict(items, &train, &test).map(|z| (test, z))
    });
    scatter(parts, lodo.clone())
}

/// Grouped 5-fold cross-validation over the train rows (secondary line).
pub fn grouped_cv(items: &[Item], c: &Candidate, seed: u64) -> Result<Oof, TrainError> {
    let folds: Vec<usize> = (0..5).collect();
    let parts = crate::two_at_a_time(&folds, |f| {
        let (test, train): (Vec<usize>, Vec<usize>) = (0..items.len())
            .filter(|&i| !items[i].transfer)
            .partition(|&i| fold_of(&items[i].sample.group, 5, seed) == *f);
        c.fit_predict(items, &train, &test).map(|z| (test, z))
    });
    scatter(parts, vec![None; items.len()])
}
