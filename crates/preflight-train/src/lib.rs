//! Trainer and evaluator of preflight's use classifier.
//!
//! Features come from the core's one extractor ([`preflight_core::classify::features`]);
//! this crate selects columns, fits linfa models (multinomial logistic regression, the shipped
//! model, and multinomial naive Bayes for comparison), validates them grouped by source
//! (grouped k-fold and leave-one-source-out), calibrates a temperature on out-of-fold
//! scores, picks the blurred threshold, and writes the compact model file the core reads.

pub mod conduct;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use linfa::prelude::*;
use linfa_bayes::MultinomialNb;
use linfa_logistic::MultiLogisticRegression;
use ndarray::{Array1, Array2};
use preflight_core::classify::eval::{Evaluation, Expected, Row};
use preflight_core::classify::features::{self, CONTEXT_FEATURES, DENSE_NAMES, N_DENSE, N_HASHED};
use preflight_core::classify::model::{softmax, N_LABELS};
use preflight_core::classify::{self as cl, UseModel};
use preflight_core::{Tokenizer, Use};
use sha2::{Digest, Sha256};

/// Errors of the trainer.
#[derive(Debug)]
pub enum TrainError {
    Io(String),
    Data(String),
    Fit(String),
    Core(preflight_core::Error),
}

impl std::fmt::Display for TrainError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TrainError::Io(m) => write!(f, "i/o: {m}"),
            TrainError::Data(m) => write!(f, "data: {m}"),
            TrainError::Fit(m) => write!(f, "fit: {m}"),
            TrainError::Core(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for TrainError {}

impl From<preflight_core::Error> for TrainError {
    fn from(e: preflight_core::Error) -> Self {
        TrainError::Core(e)
    }
}

/// One featurised, labelled row.
#[derive(Debug, Clone)]
pub struct Sample {
    /// `(feature index, value)`: hashed buckets `< N_HASHED`, dense at `N_HASHED + i`.
    pub x: Vec<(usize, f32)>,
    /// Index into `Use::ALL`.
    pub y: usize,
    pub source: String,
    /// Validation group (see [`group_of`]).
    pub group: String,
    /// FNV hash of the text (deterministic sub-sampling).
    pub key: u64,
    /// Features of a shortened copy of a long row (see [`shortened`]): with
    /// `Config::shortened_copies`, one more training row of the same use whenever this row
    /// trains, never scored. Every long post
    /// in the data comes from a source of one use (LinkedIn posts and company pages:
    /// professional), so without copies length alone would point at that use.
    pub extra: Vec<Vec<(usize, f32)>>,
}

/// Rows longer than this (characters) also train as a [`shortened`] copy.
pub const SHORTEN_ABOVE: usize = 280;
/// A shortened copy ends at the last sentence end within this many characters...
pub const SHORTEN_TO: usize = 200;
/// ...and holds at least this many.
pub const SHORTEN_MIN: usize = 60;

/// The opening of a long text up to its last sentence end (`.`, `!` or `?` before white
/// space) between [`SHORTEN_MIN`] and [`SHORTEN_TO`] characters: what a short post on the
/// same subject in the same voice reads like. `None` for a short text or one without such a
/// sentence end.
pub fn shortened(text: &str) -> Option<&str> {
    if text.chars().count() <= SHORTEN_ABOVE {
        return None;
    }
    let mut cut = None;
    let mut chars = text.char_indices().enumerate().peekable();
    while let Some((n, (i, c))) = chars.next() {
        if n >= SHORTEN_TO {
            break;
        }
        let ends = matches!(c, '.' | '!' | '?')
            && chars
                .peek()
                .is_some_and(|(_, (_, next))| next.is_whitespace());
        if ends && n + 1 >= SHORTEN_MIN {
            cut = Some(i + c.len_utf8());
        }
    }
    cut.map(|end| &text[..end])
}

/// Training options.
#[derive(Debug, Clone)]
pub struct Config {
    pub seed: u64,
    /// L2 strength of the logistic regression (the loss is summed over rows).
    pub alpha: f64,
    pub max_iter: u64,
    /// Keep hashed buckets seen in at least this many training rows...
    pub min_df: usize,
    /// ...and at most this many of them (most frequent first).
    pub max_features: usize,
    /// Dense features left out of the fit (weight 0), by name.
    pub mask: Vec<String>,
    /// `(source substring, max rows)`: sources sub-sampled in training.
    pub caps: Vec<(String, usize)>,
    /// Folds of the grouped k-fold.
    pub folds: usize,
    /// Set the weights of context features absent from the data to the documented priors.
    pub context_priors: bool,
    /// Prior correction towards equally common uses: the intercepts are shifted by
    /// `−λ · ln(3 · share_c)` ([`Linear::prior_shift`]); 0 keeps the training mix as the
    /// prior, 1 assumes the three uses are equally common in the drafts.
    pub prior_shift: f64,
    /// Every source is sub-sampled to at most this many training rows (after `caps`), so no
    /// single source dominates its class.
    pub source_cap: Option<usize>,
    /// Keep a hashed bucket only if it occurs in training rows of at least this many
    /// datasets (the part of `source` before `:`): a term seen in one dataset only marks
    /// that dataset's platform, era or author rather than a use.
    pub min_datasets: usize,
    /// Fit the temperature on the leave-one-source-out logits (an unseen source) rather than
    /// on the grouped-CV logits.
    pub calibrate_on_loso: bool,
    /// Train the logistic regression on the [`shortened`] copies of long rows as well
    /// (see `model/REPORT.md`)...
    pub shortened_copies: bool,
    /// ...of this share of the long rows (chosen by seeded hash; 1: every long row). linfa's
    /// logistic regression has no row weights: copying half the long rows is how the
    /// copies count half.
    pub shortened_share: f64,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            seed: 20_261_126,
            alpha: 0.5,
            max_iter: 100,
            min_df: 3,
            max_features: 6_000,
            mask: ["url_density", "mention_density", "institutional_voice"]
                .map(String::from)
                .to_vec(),
            caps: vec![
                ("dhayanesh".into(), 150),
                ("tweeteval_emotion:train".into(), 1000),
                ("crowdflower_corporate_messaging:information".into(), 700),
            ],
            folds: 5,
            context_priors: true,
            prior_shift: 1.0,
            source_cap: None,
            min_datasets: 1,
            calibrate_on_loso: true,
            shortened_copies: true,
            shortened_share: 0.5,
        }
    }
}

/// Hand-set logit shifts `[organizational, professional, personal]` for context the
/// training data cannot teach (it has no context fields). Documented in `model/REPORT.md`.
pub const CONTEXT_PRIORS: [(&str, [f32; 3]); 7] = [
    ("employer_named", [0.5, 0.5, -0.5]),
    ("site_professional", [0.0, 1.0, -0.5]),
    ("site_general", [0.0, 0.0, 0.0]),
    ("site_forum", [-0.5, 0.0, 0.5]),
    // The registry override decides official accounts; the text probabilities stay the text's.
    ("account_official", [0.0, 0.0, 0.0]),
    ("account_personal", [-0.5, 0.0, 0.3]),
    ("reply", [-0.3, 0.0, 0.3]),
];

fn fnv(bytes: &[u8], seed: u64) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ seed.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^ (h >> 31)
}

/// Sources written by one person: a whole source is one validation group, so its style is
/// never on both sides of a split.
pub fn single_author(source: &str) -> bool {
    source.starts_with("linkedin_export:")
}

/// Validation group of a row. Single-author sources are one group. Other sources do not
/// carry the author or account per row, so they are split into 40 sub-groups by the first
/// eight normalised words (re-posted headlines and templated posts stay together).
pub fn group_of(source: &str, tokenizer: &Tokenizer, text: &str) -> String {
    if single_author(source) {
        return source.to_string();
    }
    let head: Vec<String> = tokenizer
        .tokenize(text)
        .into_iter()
        .filter(|t| {
            matches!(
                t.kind,
                preflight_core::TokenKind::Word | preflight_core::TokenKind::Number
            )
        })
        .take(8)
        .map(|t| t.norm.into_string())
        .collect();
    format!("{source}#{}", fnv(head.join(" ").as_bytes(), 0) % 40)
}

/// Read a JSONL file; returns the rows and the SHA-256 of the file's bytes.
pub fn load(path: &str) -> Result<(Vec<Row>, [u8; 32]), TrainError> {
    let bytes = std::fs::read(path).map_err(|e| TrainError::Io(format!("{path}: {e}")))?;
    let sha: [u8; 32] = Sha256::digest(&bytes).into();
    let text =
        String::from_utf8(bytes).map_err(|_| TrainError::Data(format!("{path}: not UTF-8")))?;
    Ok((cl::eval::parse_jsonl(&text)?, sha))
}

/// Featurise the rows that carry a use label (others are skipped).
pub fn featurize(rows: &[Row], tokenizer: &Tokenizer) -> Vec<Sample> {
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let Some(Expected::Use(u)) = row.expected() else {
            continue;
        };
        let source = row.source.clone().unwrap_or_else(|| "(no source)".into());
        let f = cl::eval::with_input(tokenizer, row, cl::extract);
        let extra = shortened(&row.text)
            .map(|short| {
                let copy = Row {
                    text: short.to_string(),
                    ..row.clone()
                };
                cl::eval::with_input(tokenizer, &copy, cl::extract)
                    .iter()
                    .collect()
            })
            .into_iter()
            .collect();
        out.push(Sample {
            x: f.iter().collect(),
            y: Use::ALL.iter().position(|x| *x == u).unwrap_or(0),
            group: group_of(&source, tokenizer, &row.text),
            source,
            key: fnv(row.text.as_bytes(), 0),
            extra,
        });
    }
    out
}

/// The training subset of `idx` after the per-source caps (deterministic: rows with the
/// smallest seeded hash are kept).
pub fn apply_caps(samples: &[Sample], idx: &[usize], cfg: &Config) -> Vec<usize> {
    let mut by_cap: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    let mut keep = Vec::with_capacity(idx.len());
    for &i in idx {
        match cfg
            .caps
            .iter()
            .position(|(s, _)| samples[i].source.contains(s.as_str()))
        {
            Some(c) => by_cap.entry(c).or_default().push(i),
            None => keep.push(i),
        }
    }
    for (c, mut v) in by_cap {
        v.sort_by_key(|&i| (fnv(&samples[i].key.to_le_bytes(), cfg.seed), i));
        v.truncate(cfg.caps[c].1);
        keep.extend(v);
    }
    if let Some(cap) = cfg.source_cap {
        let mut by_source: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for i in keep {
            by_source
                .entry(samples[i].source.as_str())
                .or_default()
                .push(i);
        }
        keep = Vec::with_capacity(idx.len());
        for (_, mut v) in by_source {
            v.sort_by_key(|&i| (fnv(&samples[i].key.to_le_bytes(), cfg.seed), i));
            v.truncate(cap);
            keep.extend(v);
        }
    }
    keep.sort_unstable();
    keep
}

/// The dataset of a source: the part before `:`.
pub fn dataset_of(source: &str) -> &str {
    source.split(':').next().unwrap_or(source)
}

/// The columns of a fit: selected hashed buckets, then dense features.
#[derive(Debug, Clone)]
pub struct Columns {
    pub buckets: Vec<u32>,
    pub dense: Vec<usize>,
    /// feature index → column + 1 (0: not used).
    lookup: Vec<u32>,
}

impl Columns {
    pub fn len(&self) -> usize {
        self.buckets.len() + self.dense.len()
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    fn column(&self, feature: usize) -> Option<usize> {
        match self.lookup.get(feature) {
            Some(&c) if c > 0 => Some(c as usize - 1),
            _ => None,
        }
    }
}

/// Choose columns from the training rows only.
pub fn select_columns(samples: &[Sample], train: &[usize], cfg: &Config) -> Columns {
    let mut df = vec![0u32; N_HASHED];
    // Datasets a bucket occurs in (bit per dataset, at most 64 datasets counted apart).
    let mut seen_in = vec![0u64; N_HASHED];
    let mut datasets: BTreeMap<&str, u32> = BTreeMap::new();
    let mut dense_seen = [false; N_DENSE];
    for &i in train {
        let n = datasets.len() as u32;
        let d = *datasets.entry(dataset_of(&samples[i].source)).or_insert(n);
        for &(f, v) in &samples[i].x {
            if f < N_HASHED {
                df[f] += 1;
                seen_in[f] |= 1u64 << d.min(63);
            } else if v != 0.0 {
                dense_seen[f - N_HASHED] = true;
            }
        }
    }
    let mut cand: Vec<(u32, u32)> = df
        .iter()
        .enumerate()
        .filter(|(b, d)| {
            **d as usize >= cfg.min_df && seen_in[*b].count_ones() as usize >= cfg.min_datasets
        })
        .map(|(b, d)| (*d, b as u32))
        .collect();
    cand.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    cand.truncate(cfg.max_features);
    let mut buckets: Vec<u32> = cand.into_iter().map(|c| c.1).collect();
    buckets.sort_unstable();
    let dense: Vec<usize> = (0..N_DENSE)
        .filter(|&d| dense_seen[d] && !cfg.mask.iter().any(|m| m == DENSE_NAMES[d]))
        .collect();
    let mut lookup = vec![0u32; N_HASHED + N_DENSE];
    for (c, b) in buckets.iter().enumerate() {
        lookup[*b as usize] = c as u32 + 1;
    }
    for (c, d) in dense.iter().enumerate() {
        lookup[N_HASHED + d] = (buckets.len() + c) as u32 + 1;
    }
    Columns {
        buckets,
        dense,
        lookup,
    }
}

/// Dense design matrix of `rows` over `cols`.
pub fn design(samples: &[Sample], rows: &[usize], cols: &Columns) -> Array2<f32> {
    let mut x = Array2::<f32>::zeros((rows.len(), cols.len()));
    for (r, &i) in rows.iter().enumerate() {
        for &(f, v) in &samples[i].x {
            if let Some(c) = cols.column(f) {
                x[[r, c]] = v;
            }
        }
    }
    x
}

fn targets(samples: &[Sample], rows: &[usize]) -> Array1<usize> {
    rows.iter().map(|&i| samples[i].y).collect()
}

/// The logistic fit's design matrix and targets: the training rows, then (with
/// `Config::shortened_copies`) the shortened copies of those that have one.
fn training_design(
    samples: &[Sample],
    train: &[usize],
    cols: &Columns,
    cfg: &Config,
) -> (Array2<f32>, Array1<usize>) {
    let copies: Vec<(&[(usize, f32)], usize)> = if cfg.shortened_copies {
        train
            .iter()
            .filter(|&&i| copied(samples[i].key, cfg))
            .flat_map(|&i| {
                samples[i]
                    .extra
                    .iter()
                    .map(move |x| (x.as_slice(), samples[i].y))
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut x = Array2::<f32>::zeros((train.len() + copies.len(), cols.len()));
    let rows = train
        .iter()
        .map(|&i| (samples[i].x.as_slice(), samples[i].y))
        .chain(copies.iter().copied());
    let mut y = Vec::with_capacity(train.len() + copies.len());
    for (r, (features, label)) in rows.enumerate() {
        for &(f, v) in features {
            if let Some(c) = cols.column(f) {
                x[[r, c]] = v;
            }
        }
        y.push(label);
    }
    (x, Array1::from(y))
}

/// Whether a long row (by its text hash `key`) trains as a shortened copy: a seeded share
/// `Config::shortened_share` of them.
pub fn copied(key: u64, cfg: &Config) -> bool {
    cfg.shortened_share >= 1.0
        || ((fnv(&key.to_le_bytes(), cfg.seed ^ 0x5eed) % 10_000) as f64)
            < cfg.shortened_share * 10_000.0
}

/// A fitted logistic regression in feature space.
#[derive(Debug, Clone)]
pub struct Linear {
    pub cols: Columns,
    pub intercept: [f64; N_LABELS],
    /// One row per column.
    pub weights: Vec<[f64; N_LABELS]>,
    /// The full prior correction of this fit's training mix, `−ln(3 · share_c)` per use
    /// (applied to `intercept` times `Config::prior_shift`).
    pub prior_shift: [f64; N_LABELS],
}

impl Linear {
    pub fn logits(&self, s: &Sample) -> [f64; N_LABELS] {
        let mut z = self.intercept;
        for &(f, v) in &s.x {
            if let Some(c) = self.cols.column(f) {
                for (zk, wk) in z.iter_mut().zip(self.weights[c]) {
                    *zk += wk * f64::from(v);
                }
            }
        }
        z
    }
}

/// Fit the multinomial logistic regression (linfa) on `train`; also returns linfa's model.
pub fn fit_logistic(
    samples: &[Sample],
    train: &[usize],
    cfg: &Config,
) -> Result<
    (
        Linear,
        linfa_logistic::MultiFittedLogisticRegression<f32, usize>,
    ),
    TrainError,
> {
    let cols = select_columns(samples, train, cfg);
    let (x, y) = training_design(samples, train, &cols, cfg);
    let ds = Dataset::new(x, y.clone());
    let fitted = MultiLogisticRegression::default()
        .alpha(cfg.alpha as f32)
        .max_iterations(cfg.max_iter)
        .fit(&ds)
        .map_err(|e| TrainError::Fit(e.to_string()))?;
    if fitted.classes() != [0, 1, 2] {
        return Err(TrainError::Fit(format!(
            "training rows lack a use (classes {:?})",
            fitted.classes()
        )));
    }
    let p = fitted.params();
    let mut b = fitted.intercept().mapv(f64::from);
    let mut counts = [0usize; N_LABELS];
    for &k in &y {
        counts[k] += 1;
    }
    let shift = counts.map(|c| -(3.0 * c.max(1) as f64 / y.len() as f64).ln());
    for k in 0..N_LABELS {
        b[k] += cfg.prior_shift * shift[k];
    }
    let weights = (0..cols.len())
        .map(|c| [p[[c, 0]], p[[c, 1]], p[[c, 2]]].map(f64::from))
        .collect();
    Ok((
        Linear {
            cols,
            intercept: [b[0], b[1], b[2]].map(f64::from),
            weights,
            prior_shift: shift,
        },
        fitted,
    ))
}

/// Fit multinomial naive Bayes (linfa-bayes) on `train` and predict `test`.
pub fn nb_predict(
    samples: &[Sample],
    train: &[usize],
    test: &[usize],
    cfg: &Config,
) -> Result<Vec<usize>, TrainError> {
    let cols = select_columns(samples, train, cfg);
    let ds = Dataset::new(design(samples, train, &cols), targets(samples, train));
    let nb = MultinomialNb::params()
        .alpha(0.1)
        .fit(&ds)
        .map_err(|e| TrainError::Fit(e.to_string()))?;
    let pred = nb.predict(&design(samples, test, &cols));
    Ok(pred.to_vec())
}

/// Which model a validation run uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Logistic,
    NaiveBayes,
}

/// Out-of-fold results of a validation scheme.
#[derive(Debug, Clone)]
pub struct Oof {
    /// Per sample: predicted class.
    pub pred: Vec<usize>,
    /// Per sample: logistic logits (empty for naive Bayes).
    pub logits: Vec<[f64; N_LABELS]>,
    /// Per sample: the full prior correction of the fold that scored it.
    pub shift: Vec<[f64; N_LABELS]>,
}

impl Oof {
    /// Logits as if the fits had used prior correction `to` instead of `from`.
    pub fn logits_at(&self, from: f64, to: f64) -> Vec<[f64; N_LABELS]> {
        self.logits
            .iter()
            .zip(&self.shift)
            .map(|(z, s)| [0, 1, 2].map(|k| z[k] + (to - from) * s[k]))
            .collect()
    }
}

fn run_split(
    samples: &[Sample],
    train: &[usize],
    test: &[usize],
    cfg: &Config,
    kind: Kind,
    oof: &mut Oof,
) -> Result<(), TrainError> {
    let train = apply_caps(samples, train, cfg);
    match kind {
        Kind::Logistic => {
            let (lin, _) = fit_logistic(samples, &train, cfg)?;
            for &i in test {
                let z = lin.logits(&samples[i]);
                oof.pred[i] = argmax64(&z);
                oof.logits[i] = z;
                oof.shift[i] = lin.prior_shift;
            }
        }
        Kind::NaiveBayes => {
            for (i, p) in test.iter().zip(nb_predict(samples, &train, test, cfg)?) {
                oof.pred[*i] = p;
            }
        }
    }
    Ok(())
}

fn argmax64(z: &[f64]) -> usize {
    let mut b = 0;
    for (i, v) in z.iter().enumerate() {
        if *v > z[b] {
            b = i;
        }
    }
    b
}

/// Fold of a group (seeded hash).
pub fn fold_of(group: &str, folds: usize, seed: u64) -> usize {
    (fnv(group.as_bytes(), seed) % folds as u64) as usize
}

/// Grouped k-fold: every group lands in exactly one test fold.
pub fn grouped_cv(samples: &[Sample], cfg: &Config, kind: Kind) -> Result<Oof, TrainError> {
    let n = samples.len();
    let mut oof = Oof {
        pred: vec![0; n],
        logits: vec![[0.0; N_LABELS]; n],
        shift: vec![[0.0; N_LABELS]; n],
    };
    for k in 0..cfg.folds {
        let (test, train): (Vec<usize>, Vec<usize>) =
            (0..n).partition(|&i| fold_of(&samples[i].group, cfg.folds, cfg.seed) == k);
        if test.is_empty() {
            continue;
        }
        run_split(samples, &train, &test, cfg, kind, &mut oof)?;
    }
    Ok(oof)
}

/// Leave-one-source-out: each source is predicted by a model that never saw it.
pub fn loso(samples: &[Sample], cfg: &Config, kind: Kind) -> Result<Oof, TrainError> {
    let n = samples.len();
    let mut oof = Oof {
        pred: vec![0; n],
        logits: vec![[0.0; N_LABELS]; n],
        shift: vec![[0.0; N_LABELS]; n],
    };
    let sources: BTreeSet<&str> = samples.iter().map(|s| s.source.as_str()).collect();
    for src in sources {
        let (test, train): (Vec<usize>, Vec<usize>) =
            (0..n).partition(|&i| samples[i].source == src);
        run_split(samples, &train, &test, cfg, kind, &mut oof)?;
    }
    Ok(oof)
}

/// Confusion and per-source accuracy of predictions.
pub fn evaluate(samples: &[Sample], pred: &[usize]) -> Evaluation {
    let mut e = Evaluation::default();
    for (s, p) in samples.iter().zip(pred) {
        e.add(Use::ALL[s.y], Use::ALL[*p], Some(&s.source));
    }
    e
}

fn nll(logits: &[[f64; N_LABELS]], ys: &[usize], t: f64) -> f64 {
    let mut total = 0.0;
    for (z, &y) in logits.iter().zip(ys) {
        let m = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let lse = z.iter().map(|v| ((v - m) / t).exp()).sum::<f64>().ln();
        total -= (z[y] - m) / t - lse;
    }
    total / logits.len().max(1) as f64
}

/// Temperature minimising the negative log-likelihood of out-of-fold logits (golden-section
/// search over log T in [ln 0.05, ln 20]). Returns (T, NLL at T = 1, NLL at T).
pub fn fit_temperature(logits: &[[f64; N_LABELS]], ys: &[usize]) -> (f64, f64, f64) {
    let f = |lt: f64| nll(logits, ys, lt.exp());
    let (mut a, mut b) = (0.05f64.ln(), 20f64.ln());
    let g = (5f64.sqrt() - 1.0) / 2.0;
    for _ in 0..80 {
        let c = b - g * (b - a);
        let d = a + g * (b - a);
        if f(c) < f(d) {
            b = d;
        } else {
            a = c;
        }
    }
    let t = ((a + b) / 2.0).exp();
    (t, nll(logits, ys, 1.0), nll(logits, ys, t))
}

/// Expected calibration error (10 equal-width confidence bins) of the top class.
pub fn ece(logits: &[[f64; N_LABELS]], ys: &[usize], t: f64) -> f64 {
    let mut bins = [(0.0f64, 0.0f64, 0usize); 10];
    for (z, &y) in logits.iter().zip(ys) {
        let p = softmax(z.map(|v| v as f32), t as f32);
        let k = cl::model::argmax(&p);
        let conf = f64::from(p[k]);
        let b = ((conf * 10.0) as usize).min(9);
        bins[b].0 += conf;
        bins[b].1 += if k == y { 1.0 } else { 0.0 };
        bins[b].2 += 1;
    }
    let n = logits.len().max(1) as f64;
    bins.iter()
        .filter(|b| b.2 > 0)
        .map(|b| (b.0 - b.1).abs() / n)
        .sum()
}

/// One row of the blurred-threshold table.
#[derive(Debug, Clone, Copy)]
pub struct BlurRow {
    pub margin: f64,
    pub blurred_share: f64,
    pub acc_clear: f64,
    pub acc_blurred: f64,
}

type Split<'a> = (Vec<&'a (f64, bool)>, Vec<&'a (f64, bool)>);

/// Blurred share and accuracies for candidate margins (top-two calibrated probability gap).
pub fn blur_table(logits: &[[f64; N_LABELS]], ys: &[usize], t: f64) -> Vec<BlurRow> {
    let items: Vec<(f64, bool)> = logits
        .iter()
        .zip(ys)
        .map(|(z, &y)| {
            let p = softmax(z.map(|v| v as f32), t as f32);
            let k = cl::model::argmax(&p);
            let mut s = p;
            s.sort_by(|a, b| b.total_cmp(a));
            (f64::from(s[0] - s[1]), k == y)
        })
        .collect();
    [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4]
        .iter()
        .map(|&m| {
            let (bl, cl): Split<'_> = items.iter().partition(|x| x.0 < m);
            let acc = |v: &[&(f64, bool)]| {
                v.iter().filter(|x| x.1).count() as f64 / v.len().max(1) as f64
            };
            BlurRow {
                margin: m,
                blurred_share: bl.len() as f64 / items.len().max(1) as f64,
                acc_clear: acc(&cl),
                acc_blurred: acc(&bl),
            }
        })
        .collect()
}

/// The rule for the blurred threshold: the smallest candidate margin at which the
/// predictions outside the blurred band are at least 95 % right on out-of-fold data, never
/// below 0.15 (a gap of less than 15 points is a near tie for a reader whatever the data
/// says); the widest candidate (0.4) when no margin reaches 95 %.
pub fn choose_margin(table: &[BlurRow]) -> f64 {
    table
        .iter()
        .find(|r| r.margin >= 0.15 && r.acc_clear >= 0.95)
        .or(table.last())
        .map_or(0.3, |r| r.margin)
}

/// A count read back from a dense feature of a featurised row (`value × cap`).
fn dense_count(s: &Sample, name: &str, cap: f32) -> usize {
    features::dense_index(name).map_or(0, |d| {
        s.x.iter()
            .find(|(f, _)| *f == N_HASHED + d)
            .map_or(0, |(_, v)| (v * cap).round() as usize)
    })
}

/// Work-side and family-side word counts of a featurised row (as the core's
/// `classify::lexicon_sides` reads them from the dense features).
pub fn sides_of(s: &Sample) -> (usize, usize) {
    let get = |name: &str| dense_count(s, name, 4.0);
    (
        get("work_vocab") + get("public_service_vocab"),
        get("family_leisure_vocab"),
    )
}

/// First-person-singular words and institutional-voice phrases of a featurised row (as the
/// core's `classify::voice_sides` reads them).
pub fn voice_of(s: &Sample) -> (usize, usize) {
    let cap = features::VOICE_CAP as f32;
    (
        dense_count(s, "first_person_singular", cap),
        dense_count(s, "institutional_voice", cap),
    )
}

/// Candidate mixed-voice thresholds (1–3 words on each side) on out-of-fold predictions, on
/// top of the chosen margin and mixed-evidence thresholds.
pub fn voice_table(
    samples: &[Sample],
    logits: &[[f64; N_LABELS]],
    t: f64,
    margin: f64,
    mix: (u8, u8),
) -> Vec<VoiceRow> {
    let items: Vec<Item> = samples
        .iter()
        .zip(logits)
        .map(|(s, z)| {
            let (gap, right) = gap_and_right(s, z, t);
            let (w, f) = sides_of(s);
            let mixed = mix.0 > 0 && mix.1 > 0 && w >= mix.0.into() && f >= mix.1.into();
            (gap < margin || mixed, voice_of(s), right)
        })
        .collect();
    threshold_rows(&items, 3, 3)
}

/// A row for a two-count blurred criterion: already flagged by an earlier criterion, the
/// row's two counts, and whether the out-of-fold label was right.
type Item = (bool, (usize, usize), bool);

/// The gap between the two most likely uses of a row's out-of-fold logits at temperature
/// `t`, and whether the most likely one is the row's use.
fn gap_and_right(s: &Sample, z: &[f64; N_LABELS], t: f64) -> (f64, bool) {
    let p = softmax(z.map(|v| v as f32), t as f32);
    let k = cl::model::argmax(&p);
    let mut o = p;
    o.sort_by(|a, b| b.total_cmp(a));
    (f64::from(o[0] - o[1]), k == s.y)
}

/// One candidate of [`threshold_rows`]: a pair of thresholds for a two-count blurred
/// criterion and what it flags on out-of-fold predictions.
#[derive(Debug, Clone, Copy)]
pub struct ThresholdRow {
    /// Threshold on the first count (work words; "I" words).
    pub first: usize,
    /// Threshold on the second count (family words; institutional "our").
    pub second: usize,
    /// Share of rows flagged by this criterion and by no earlier one.
    pub only_share: f64,
    pub total_share: f64,
    pub acc_only: f64,
    pub acc_unflagged: f64,
}

/// A row of the mixed-evidence table: `first` work words, `second` family words.
pub type MixRow = ThresholdRow;
/// A row of the mixed-voice table: `first` "I" words, `second` institutional "our".
pub type VoiceRow = ThresholdRow;

/// The smallest equal pair of thresholds *k*, *k* whose own share of flagged rows is at
/// most `max_share`; `(0, 0)` (criterion off) when none qualifies.
fn smallest_equal_pair(table: &[ThresholdRow], max_share: f64) -> (u8, u8) {
    let mut pairs: Vec<&ThresholdRow> = table.iter().filter(|r| r.first == r.second).collect();
    pairs.sort_by_key(|r| r.first);
    pairs
        .into_iter()
        .find(|r| r.only_share <= max_share)
        .map_or((0, 0), |r| (r.first as u8, r.second as u8))
}

/// Every pair of thresholds (first count 1..=`max_first`, second 1..=`max_second`; second
/// outer): the share of rows the criterion "both counts reach their thresholds" flags that
/// no earlier criterion flags, the share flagged in all, and how often the out-of-fold
/// label is right on the rows it alone flags and on the rows nothing flags.
fn threshold_rows(items: &[Item], max_first: usize, max_second: usize) -> Vec<ThresholdRow> {
    let n = items.len().max(1) as f64;
    let acc = |v: &[&Item]| v.iter().filter(|x| x.2).count() as f64 / v.len().max(1) as f64;
    let mut rows = Vec::new();
    for second in 1..=max_second {
        for first in 1..=max_first {
            let hit = |x: &Item| x.1 .0 >= first && x.1 .1 >= second;
            let only: Vec<_> = items.iter().filter(|x| !x.0 && hit(x)).collect();
            let clear: Vec<_> = items.iter().filter(|x| !x.0 && !hit(x)).collect();
            rows.push(ThresholdRow {
                first,
                second,
                only_share: only.len() as f64 / n,
                total_share: items.iter().filter(|x| x.0 || hit(x)).count() as f64 / n,
                acc_only: acc(&only),
                acc_unflagged: acc(&clear),
            });
        }
    }
    rows
}

/// Dense features computed for a blurred criterion only and masked in the fit:
/// `institutional_voice` feeds the mixed-voice criterion. Learned as a weight it changed
/// nothing measurable (extractor v8, `preflight-train explore`: grouped CV 0.904 both ways,
/// LOSO 0.812 learned against 0.813 masked, the same drafts right), so the fit stays that of
/// the features before it.
pub const COUNT_ONLY: [&str; 1] = ["institutional_voice"];

/// Largest share of the training rows the mixed-voice criterion may flag on its own (beyond
/// the margin and mixed evidence).
pub const MAX_VOICE_SHARE: f64 = 0.05;

/// The rule for the mixed-voice thresholds, as for mixed evidence: the same count *k* on
/// both sides, the smallest *k* whose own share of flagged rows is at most
/// [`MAX_VOICE_SHARE`]; `(0, 0)` (criterion off) when none qualifies.
pub fn choose_voice(table: &[VoiceRow]) -> (u8, u8) {
    smallest_equal_pair(table, MAX_VOICE_SHARE)
}

/// Candidate mixed-evidence thresholds (work 1–4, family 1–3) on out-of-fold predictions:
/// how many rows each flags beyond the probability margin, and how often those are right.
pub fn mix_table(
    samples: &[Sample],
    logits: &[[f64; N_LABELS]],
    t: f64,
    margin: f64,
) -> Vec<MixRow> {
    let items: Vec<Item> = samples
        .iter()
        .zip(logits)
        .map(|(s, z)| {
            let (gap, right) = gap_and_right(s, z, t);
            (gap < margin, sides_of(s), right)
        })
        .collect();
    threshold_rows(&items, 4, 3)
}

/// Largest share of the training rows the mixed-evidence criterion may flag on its own.
pub const MAX_MIXED_SHARE: f64 = 0.05;

/// The rule for the mixed-evidence thresholds: the same number of words *k* on both sides
/// (a draft mixes two uses when each side has the same minimum evidence), the smallest *k*
/// whose own share of flagged rows is at most [`MAX_MIXED_SHARE`], so that `blurred` stays a
/// minority verdict. `(0, 0)` (criterion off) when no symmetric pair of the table qualifies.
pub fn choose_mix(table: &[MixRow]) -> (u8, u8) {
    smallest_equal_pair(table, MAX_MIXED_SHARE)
}

/// The rule used up to feature extractor v6, kept for the report's comparison: the pair with
/// the fewest words (family words first, then work words) within [`MAX_MIXED_SHARE`].
pub fn choose_mix_family_first(table: &[MixRow]) -> (u8, u8) {
    table
        .iter()
        .find(|r| r.only_share <= MAX_MIXED_SHARE)
        .map_or((0, 0), |r| (r.first as u8, r.second as u8))
}

/// Turn a fitted logistic model into the core's model file.
#[allow(clippy::too_many_arguments)]
pub fn to_model(
    lin: &Linear,
    cfg: &Config,
    sha: [u8; 32],
    n_train: usize,
    temperature: f64,
    margin: f64,
    mix: (u8, u8),
    voice: (u8, u8),
) -> Result<UseModel, TrainError> {
    let mut dense = [[0.0f32; N_LABELS]; N_DENSE];
    let mut sparse = Vec::with_capacity(lin.cols.buckets.len());
    for (c, b) in lin.cols.buckets.iter().enumerate() {
        let w = lin.weights[c].map(|v| v as f32);
        if w.iter().any(|v| *v != 0.0) {
            sparse.push((*b, w));
        }
    }
    for (c, d) in lin.cols.dense.iter().enumerate() {
        dense[*d] = lin.weights[lin.cols.buckets.len() + c].map(|v| v as f32);
    }
    if cfg.context_priors {
        for (name, w) in CONTEXT_PRIORS {
            if let Some(d) = features::dense_index(name) {
                // Only where the data taught nothing.
                if !lin.cols.dense.contains(&d)
                    && (CONTEXT_FEATURES.contains(&d) || name == "employer_named")
                {
                    dense[d] = w;
                }
            }
        }
    }
    let mut model = UseModel::new(
        cfg.seed,
        sha,
        n_train as u32,
        temperature as f32,
        margin as f32,
        mix,
        lin.intercept.map(|v| v as f32),
        dense,
        sparse,
    )?;
    (model.voice_singular, model.voice_institutional) = voice;
    Ok(model)
}

/// Everything one training run produces.
pub struct Trained {
    /// `None` for a CV-only run.
    pub model: Option<UseModel>,
    pub bytes: Vec<u8>,
    pub report: String,
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Summary figures of a validation run (for the ablation table).
fn summary(samples: &[Sample], oof: &Oof) -> (f64, f64) {
    let e = evaluate(samples, &oof.pred);
    let min_src = e
        .per_source
        .values()
        .map(|(c, n)| *c as f64 / (*n).max(1) as f64)
        .fold(1.0, f64::min);
    (e.macro_f1(), min_src)
}

/// `cfg` with the named features taken out of the mask.
fn without(cfg: &Config, unmask: &[&str]) -> Config {
    Config {
        mask: cfg
            .mask
            .iter()
            .filter(|m| !unmask.contains(&m.as_str()))
            .cloned()
            .collect(),
        ..cfg.clone()
    }
}

/// The configurations of the source-invariance table (run with `--ablations`): the
/// configuration before this work, the steps towards the shipped one, and the confound
/// checks (a masked feature put back).
pub fn invariance_steps(cfg: &Config) -> Vec<(String, Config)> {
    let mut masked = cfg.mask.clone();
    for m in LENGTH_FEATURES {
        if !masked.iter().any(|x| x == m) {
            masked.push(m.to_string());
        }
    }
    let before = Config {
        prior_shift: 0.0,
        source_cap: None,
        shortened_copies: false,
        min_datasets: 1,
        alpha: 0.5,
        calibrate_on_loso: false,
        mask: masked.clone(),
        ..cfg.clone()
    };
    vec![
        (
            "session-1 configuration (training mix as prior, temperature from grouped CV, length buckets masked)".into(),
            before.clone(),
        ),
        (
            format!("+ prior correction λ = {}", cfg.prior_shift),
            Config {
                prior_shift: cfg.prior_shift,
                ..before.clone()
            },
        ),
        (
            "shipped, but URL density used".into(),
            without(cfg, &["url_density"]),
        ),
        (
            "shipped, without the shortened copies (session 4 training)".into(),
            Config {
                shortened_copies: false,
                ..cfg.clone()
            },
        ),
        (
            "shipped, with shortened copies of every long row".into(),
            Config {
                shortened_copies: true,
                shortened_share: 1.0,
                ..cfg.clone()
            },
        ),
    ]
}

/// The length-bucket features.
pub const LENGTH_FEATURES: [&str; 4] = ["len_short", "len_medium", "len_long", "len_very_long"];

/// Options of a full run.
pub struct RunOptions {
    pub cfg: Config,
    /// Also validate the alternatives of the confound table (slower).
    pub ablations: bool,
    /// Also validate naive Bayes.
    pub compare_nb: bool,
    /// Skip all validation: fit once, temperature 1, margin 0.2 (for quick iterations only).
    pub quick: bool,
    /// Only the grouped k-fold: the report is its table, no model is fitted on everything.
    pub cv_only: bool,
    /// Shown in the report.
    pub data_label: String,
    pub command: String,
    /// Hand-written drafts (`{"id","expected","text"}`), judged with the final model in the
    /// report (never trained on).
    pub drafts: Vec<Row>,
    /// `(draft id, reason)`: drafts the drafts test accepts as known misses.
    pub known_misses: Vec<(String, String)>,
}

/// One row of the source-invariance table.
#[derive(Debug, Clone)]
pub struct Measure {
    pub name: String,
    pub cv_f1: f64,
    pub loso_f1: f64,
    /// Lowest per-source accuracy under leave-one-source-out.
    pub worst: f64,
    /// Per source: leave-one-source-out accuracy.
    pub per_source: BTreeMap<String, f64>,
    /// Hand-written drafts right: `[org, prof, personal, blurred]`.
    pub drafts: [usize; 4],
}

/// Validate a configuration the way `run` does (grouped CV, leave-one-source-out,
/// temperature, margin and mixed-evidence thresholds from the CV predictions) and judge the
/// drafts with its final fit.
pub fn measure(
    name: &str,
    samples: &[Sample],
    cfg: &Config,
    drafts: &[Row],
    sha: [u8; 32],
) -> Result<Measure, TrainError> {
    let ys: Vec<usize> = samples.iter().map(|s| s.y).collect();
    let cv = grouped_cv(samples, cfg, Kind::Logistic)?;
    let lo = loso(samples, cfg, Kind::Logistic)?;
    let (t, _, _) = fit_temperature(
        if cfg.calibrate_on_loso {
            &lo.logits
        } else {
            &cv.logits
        },
        &ys,
    );
    let margin = choose_margin(&blur_table(&cv.logits, &ys, t));
    let mix = choose_mix(&mix_table(samples, &cv.logits, t, margin));
    let voice = choose_voice(&voice_table(samples, &cv.logits, t, margin, mix));
    let all: Vec<usize> = (0..samples.len()).collect();
    let train = apply_caps(samples, &all, cfg);
    let (lin, _) = fit_logistic(samples, &train, cfg)?;
    let model = to_model(&lin, cfg, sha, train.len(), t, margin, mix, voice)?;
    let tk = Tokenizer::new("en")?;
    let (right, _) = cl::eval::draft_counts(&cl::eval::judge_drafts(drafts, &model, &tk));
    let e = evaluate(samples, &lo.pred);
    let (loso_f1, worst) = summary(samples, &lo);
    Ok(Measure {
        name: name.to_string(),
        cv_f1: evaluate(samples, &cv.pred).macro_f1(),
        loso_f1,
        worst,
        per_source: e
            .per_source
            .iter()
            .map(|(s, (c, n))| (s.clone(), *c as f64 / (*n).max(1) as f64))
            .collect(),
        drafts: right,
    })
}

/// Measure several configurations, two at a time (results in input order).
pub fn measure_all(
    samples: &[Sample],
    variants: &[(String, Config)],
    drafts: &[Row],
    sha: [u8; 32],
    log: &(dyn Fn(&str) + Sync),
) -> Result<Vec<Measure>, TrainError> {
    two_at_a_time(variants, |(name, cfg)| {
        let m = measure(name, samples, cfg, drafts, sha);
        if let Ok(m) = &m {
            log(&format!(
                "variant {name}: cv {:.3} loso {:.3} worst {:.3} drafts {:?}",
                m.cv_f1, m.loso_f1, m.worst, m.drafts
            ));
        }
        m
    })
    .into_iter()
    .collect()
}

/// `f` over `items` on two threads (this machine's cores), results in input order. A panic
/// in `f` propagates.
pub fn two_at_a_time<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: std::sync::Mutex<Vec<Option<R>>> =
        std::sync::Mutex::new((0..items.len()).map(|_| None).collect());
    std::thread::scope(|sc| {
        for _ in 0..2 {
            sc.spawn(|| loop {
                let j = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let Some(item) = items.get(j) else {
                    break;
                };
                let r = f(item);
                if let Ok(mut slots) = results.lock() {
                    slots[j] = Some(r);
                }
            });
        }
    });
    // Every slot is filled: `scope` returns only when both threads ended without a panic.
    results
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .into_iter()
        .flatten()
        .collect()
}

/// Validate, calibrate, fit on everything and build the model file and the report.
pub fn run(
    rows: &[Row],
    sha: [u8; 32],
    opts: &RunOptions,
    log: &mut dyn FnMut(&str),
) -> Result<Trained, TrainError> {
    let cfg = &opts.cfg;
    let tokenizer = Tokenizer::new("en")?;
    let samples = featurize(rows, &tokenizer);
    if samples.is_empty() {
        return Err(TrainError::Data("no labelled rows".into()));
    }
    let ys: Vec<usize> = samples.iter().map(|s| s.y).collect();
    log(&format!("{} labelled rows featurised", samples.len()));

    if opts.quick {
        let all: Vec<usize> = (0..samples.len()).collect();
        let train = apply_caps(&samples, &all, cfg);
        let (lin, _) = fit_logistic(&samples, &train, cfg)?;
        let model = to_model(&lin, cfg, sha, train.len(), 1.0, 0.2, (2, 1), (1, 1))?;
        let bytes = model.to_bytes();
        let report = format!(
            "# Quick fit (no validation)\n\n{} rows used, {} bytes\n",
            train.len(),
            bytes.len()
        );
        return Ok(Trained {
            model: Some(model),
            bytes,
            report,
        });
    }
    let cv = grouped_cv(&samples, cfg, Kind::Logistic)?;
    log("grouped k-fold (logistic) done");
    if opts.cv_only {
        let e = evaluate(&samples, &cv.pred);
        log(&format!("grouped CV macro-F1 {:.3}", e.macro_f1()));
        return Ok(Trained {
            model: None,
            bytes: Vec::new(),
            report: e.to_markdown(),
        });
    }
    let lo = loso(&samples, cfg, Kind::Logistic)?;
    log("leave-one-source-out (logistic) done");
    let (nb_cv, nb_lo) = if opts.compare_nb {
        let a = grouped_cv(&samples, cfg, Kind::NaiveBayes)?;
        let b = loso(&samples, cfg, Kind::NaiveBayes)?;
        log("naive Bayes done");
        (Some(a), Some(b))
    } else {
        (None, None)
    };

    // Temperature from the leave-one-source-out logits: drafts come from none of the
    // training sources, so the probabilities are calibrated for an unseen source.
    let cal = if cfg.calibrate_on_loso {
        &lo.logits
    } else {
        &cv.logits
    };
    let (t, nll1, nllt) = fit_temperature(cal, &ys);
    let t_cv = fit_temperature(&cv.logits, &ys).0;
    let table = blur_table(&cv.logits, &ys, t);
    let margin = choose_margin(&table);
    let mixes = mix_table(&samples, &cv.logits, t, margin);
    let mix = choose_mix(&mixes);
    let voices = voice_table(&samples, &cv.logits, t, margin, mix);
    let voice = choose_voice(&voices);

    let all: Vec<usize> = (0..samples.len()).collect();
    let train = apply_caps(&samples, &all, cfg);
    let (lin, _) = fit_logistic(&samples, &train, cfg)?;
    let model = to_model(&lin, cfg, sha, train.len(), t, margin, mix, voice)?;
    let bytes = model.to_bytes();
    log("final model fitted");

    // The drafts, judged by the shipped model exactly as the core reads it back.
    let shipped = UseModel::from_bytes(&bytes)?;
    let drafts = cl::eval::judge_drafts(&opts.drafts, &shipped, &tokenizer);
    let (right, _) = cl::eval::draft_counts(&drafts);
    // The same model with the mixed-evidence thresholds of the previous rule (report only).
    let old_mix = choose_mix_family_first(&mixes);
    let old_rule_drafts = {
        let mut m = shipped.clone();
        (m.mix_work, m.mix_family) = old_mix;
        cl::eval::draft_counts(&cl::eval::judge_drafts(&opts.drafts, &m, &tokenizer)).0
    };
    let this = Measure {
        name: "shipped configuration".into(),
        cv_f1: evaluate(&samples, &cv.pred).macro_f1(),
        loso_f1: summary(&samples, &lo).0,
        worst: summary(&samples, &lo).1,
        per_source: evaluate(&samples, &lo.pred)
            .per_source
            .iter()
            .map(|(s, (c, n))| (s.clone(), *c as f64 / (*n).max(1) as f64))
            .collect(),
        drafts: right,
    };
    let mut steps = Vec::new();
    if opts.ablations {
        let variants = invariance_steps(cfg);
        steps = measure_all(&samples, &variants, &opts.drafts, sha, &|m| {
            eprintln!("{m}")
        })?;
    }
    steps.push(this);

    let report = write_report(&ReportInput {
        opts,
        samples: &samples,
        sha,
        cv: &cv,
        lo: &lo,
        nb_cv: nb_cv.as_ref(),
        nb_lo: nb_lo.as_ref(),
        temperature: (t, nll1, nllt, ece(cal, &ys, 1.0), ece(cal, &ys, t)),
        table: &table,
        margin,
        t_cv,
        model: &model,
        lin: &lin,
        size: bytes.len(),
        n_train: train.len(),
        steps: &steps,
        mixes: &mixes,
        mix,
        voices: &voices,
        voice,
        old_mix: (old_mix, old_rule_drafts),
        drafts: &drafts,
    });
    Ok(Trained {
        model: Some(model),
        bytes,
        report,
    })
}

struct ReportInput<'a> {
    opts: &'a RunOptions,
    samples: &'a [Sample],
    sha: [u8; 32],
    cv: &'a Oof,
    lo: &'a Oof,
    nb_cv: Option<&'a Oof>,
    nb_lo: Option<&'a Oof>,
    temperature: (f64, f64, f64, f64, f64),
    /// Temperature the grouped-CV logits alone would give (for comparison).
    t_cv: f64,
    table: &'a [BlurRow],
    margin: f64,
    model: &'a UseModel,
    lin: &'a Linear,
    size: usize,
    n_train: usize,
    steps: &'a [Measure],
    mixes: &'a [MixRow],
    mix: (u8, u8),
    voices: &'a [VoiceRow],
    voice: (u8, u8),
    /// Thresholds of the previous mixed-evidence rule and the drafts (right per class) with them.
    old_mix: ((u8, u8), [usize; 4]),
    drafts: &'a [cl::eval::DraftOutcome],
}

/// The rows of a threshold table ([`ThresholdRow`]) in the report, the chosen pair in bold.
fn threshold_table_rows(s: &mut String, rows: &[ThresholdRow], chosen: (u8, u8)) {
    for t in rows {
        let b = if (t.first as u8, t.second as u8) == chosen {
            "**"
        } else {
            ""
        };
        let _ = writeln!(
            s,
            "| {b}{}{b} | {b}{}{b} | {:.3} | {:.3} | {:.3} | {:.3} |",
            t.first, t.second, t.only_share, t.total_share, t.acc_only, t.acc_unflagged
        );
    }
}

fn write_report(r: &ReportInput<'_>) -> String {
    let cfg = &r.opts.cfg;
    let mut s = String::new();
    let cv = evaluate(r.samples, &r.cv.pred);
    let lo = evaluate(r.samples, &r.lo.pred);
    let _ = writeln!(s, "# Use classifier: training report\n");
    let _ = writeln!(
        s,
        "Written entirely by `preflight-train train` (nothing here is edited by hand; re-run the command to regenerate it).\n\n\
         * command: `{}`\n* data: `{}`, SHA-256 `{}`, {} labelled rows; {} rows used for the final fit after caps\n\
         * seed {}, feature extractor v{}, {} hashing bits, the first {} tokens of each text read\n\
         * logistic regression (linfa-logistic `MultiLogisticRegression`): alpha {}, {} L-BFGS iterations max, buckets with df ≥ {} seen in ≥ {} dataset(s) (at most {})\n\
         * prior correction λ = {} (intercepts shifted by −λ·ln(3·share) of each use in the training rows)\n\
         * masked dense features: {}; training caps: {}{}\n         * shortened copies of long rows (item 6): {}\n",
        r.opts.command,
        r.opts.data_label,
        hex(&r.sha),
        r.samples.len(),
        r.n_train,
        cfg.seed,
        r.model.feature_version,
        r.model.hash_bits,
        features::MAX_TOKENS,
        cfg.alpha,
        cfg.max_iter,
        cfg.min_df,
        cfg.min_datasets,
        cfg.max_features,
        cfg.prior_shift,
        if cfg.mask.is_empty() { "none".to_string() } else { cfg.mask.join(", ") },
        if cfg.caps.is_empty() { "none".to_string() } else { cfg.caps.iter().map(|(a, b)| format!("{a} ≤ {b}")).collect::<Vec<_>>().join(", ") },
        cfg.source_cap.map_or(String::new(), |c| format!("; every source ≤ {c}")),
        if cfg.shortened_copies {
            format!(
                "{:.0} % of the rows longer than {SHORTEN_ABOVE} characters (by seeded hash), cut at their last sentence end within {SHORTEN_TO} characters",
                cfg.shortened_share.min(1.0) * 100.0
            )
        } else {
            "none".to_string()
        },
    );
    write_steps(&mut s, r);
    let _ = writeln!(
        s,
        "## Grouped {}-fold cross-validation (shipped model: logistic regression)\n\n\
         Groups: a single-author source (`linkedin_export:*`) is one group; every other source is split into 40 \
         sub-groups by its first eight normalised words (the source field carries no author or account, so an \
         author of `trendpilot_linkedin:post` or a congress office can still appear on both sides; the \
         leave-one-source-out table below is the stricter test). Caps apply to training folds only; every row is scored.\n",
        cfg.folds
    );
    s.push_str(&cv.to_markdown());
    let _ = writeln!(
        s,
        "\n## Leave-one-source-out\n\nEach source is predicted by a model trained on all other sources (never on it). \
         Pooled over all sources: macro-F1 **{:.3}**, accuracy {:.3}.\n",
        lo.macro_f1(),
        lo.accuracy()
    );
    let nb_lo = r.nb_lo.map(|o| evaluate(r.samples, &o.pred));
    let before = r.steps.first().filter(|_| r.steps.len() > 1);
    let _ = writeln!(
        s,
        "| source | true use | rows | logistic accuracy | {}naive Bayes accuracy | logistic predicted as (org / prof / pers) |\n|---|---|---|---|---|{}---|",
        if before.is_some() { "before (first row of the table above) | " } else { "" },
        if before.is_some() { "---|" } else { "" },
    );
    for (src, (c, n)) in &lo.per_source {
        let idx: Vec<usize> = (0..r.samples.len())
            .filter(|&i| &r.samples[i].source == src)
            .collect();
        let truth = idx
            .first()
            .map_or("?", |&i| Use::ALL[r.samples[i].y].as_str());
        let mut counts = [0usize; 3];
        for &i in &idx {
            counts[r.lo.pred[i]] += 1;
        }
        let nb = nb_lo
            .as_ref()
            .and_then(|e| e.per_source.get(src))
            .map_or("–".to_string(), |(c, n)| {
                format!("{:.3}", *c as f64 / *n as f64)
            });
        let b = before.map_or(String::new(), |m| {
            m.per_source
                .get(src)
                .map_or("– | ".into(), |v| format!("{v:.3} | "))
        });
        let _ = writeln!(
            s,
            "| {src} | {truth} | {n} | {:.3} | {b}{nb} | {} / {} / {} |",
            *c as f64 / *n as f64,
            counts[0],
            counts[1],
            counts[2]
        );
    }
    let _ = writeln!(s, "\nPooled leave-one-source-out, logistic:\n");
    s.push_str(&strip_sources(&lo.to_markdown()));
    let _ = writeln!(s, "{LOSO_NOTE}");
    if let (Some(nbcv), Some(nblo)) = (r.nb_cv, nb_lo.as_ref()) {
        let e = evaluate(r.samples, &nbcv.pred);
        let _ = writeln!(
            s,
            "\n## Second model: multinomial naive Bayes (linfa-bayes `MultinomialNb`, alpha 0.1, same features and columns)\n\n\
             Grouped {}-fold:\n",
            cfg.folds
        );
        s.push_str(&strip_sources(&e.to_markdown()));
        let _ = writeln!(
            s,
            "\nLeave-one-source-out pooled: macro-F1 {:.3}, accuracy {:.3}.\n",
            nblo.macro_f1(),
            nblo.accuracy()
        );
        let _ = writeln!(
            s,
            "| model | grouped CV macro-F1 | LOSO macro-F1 |\n|---|---|---|\n| logistic regression (shipped) | {:.3} | {:.3} |\n| multinomial naive Bayes | {:.3} | {:.3} |\n\n\
             Naive Bayes has no intercept correction and no L2 penalty to tune; the logistic model is shipped because it \
             generalises better to unseen sources (LOSO), which is what matters for drafts from none of these sources.",
            cv.macro_f1(),
            lo.macro_f1(),
            e.macro_f1(),
            nblo.macro_f1()
        );
    }
    let (t, nll1, nllt, ece1, ecet) = r.temperature;
    let _ = writeln!(
        s,
        "\n## Calibration\n\nTemperature scaling fitted on the **leave-one-source-out** logits: **T = {t:.3}** \
         (negative log-likelihood on those logits {nll1:.3} → {nllt:.3}; expected calibration error, 10 bins, {ece1:.3} → {ecet:.3}). \
         Probabilities are `softmax(logits / T)`; the label (arg-max) is unchanged. Why not the grouped-CV logits: \
         they would give T = {:.3}, i.e. probabilities calibrated for texts of sources the model has seen; a draft \
         comes from none of them, and its probabilities should be as sure as the model is on an unseen source.\n",
        r.t_cv
    );
    let _ = writeln!(
        s,
        "## Blurred: probability margin\n\nA draft is `blurred` when the gap between its two most likely uses (calibrated) is below the margin. \
         Rule (`choose_margin`): the smallest candidate margin, and not below 0.15, at which the out-of-fold predictions \
         *outside* the band are at least 95 % right, or the widest candidate (0.40) when none is. Chosen: **{:.2}**.\n\n| margin | blurred share | accuracy outside | accuracy inside |\n|---|---|---|---|",
        r.margin
    );
    for b in r.table {
        let _ = writeln!(
            s,
            "| {:.2} | {:.3} | {:.3} | {:.3} |",
            b.margin, b.blurred_share, b.acc_clear, b.acc_blurred
        );
    }
    let _ = writeln!(
        s,
        "\n## Blurred: mixed evidence\n\n{MIX_NOTE}\n\nRule (`choose_mix`): the same number of words *k* on both sides, the smallest *k* \
         whose own share of flagged rows is at most {:.0} % of the training rows. Chosen: **work ≥ {}, family ≥ {}** \
         (stored in the model file). The rule was \"the pair with the fewest words, family words first, then work words\" \
         until feature extractor v7: with the broader lexicons of v7 it keeps one family word and raises only the \
         work side, which flags posts with many work words and one incidental home word and misses \
         posts with two words on each side; the symmetric rule asks for the same evidence from both uses. Disclosure: \
         the change was made after seeing which hand-written drafts the old rule missed. The old rule on the same \
         out-of-fold predictions would choose work ≥ {}, family ≥ {}; with the shipped model and those thresholds the \
         drafts come out {} clear right of 60 and {} blurred or close of 15 (shipped rule: see the drafts section).\n\n\
         | work words ≥ | family words ≥ | flagged by mixed evidence alone | total blurred share | accuracy of mixed-only rows | accuracy of unflagged rows |\n|---|---|---|---|---|---|",
        MAX_MIXED_SHARE * 100.0,
        r.mix.0,
        r.mix.1,
        r.old_mix.0 .0,
        r.old_mix.0 .1,
        r.old_mix.1[..3].iter().sum::<usize>(),
        r.old_mix.1[3]
    );
    threshold_table_rows(&mut s, r.mixes, r.mix);
    let _ = writeln!(
        s,
        "\n## Blurred: mixed voice\n\n{VOICE_NOTE}\n\nRule (`choose_voice`): the same count *k* on both sides, the \
         smallest *k* whose own share of flagged rows (rows flagged by neither the margin nor mixed evidence) is at most \
         {:.0} % of the training rows. Chosen: **first-person singular ≥ {}, institutional voice ≥ {}** (stored in the \
         model file). Disclosure: this criterion was added in session 4 after seeing three blurred drafts that mix \
         \"my\" with \"our agency\" come out as one confident use; its thresholds are chosen on the training rows only, \
         and the drafts section shows the outcome.\n\n\
         | first-person singular ≥ | institutional voice ≥ | flagged by mixed voice alone | total blurred share | accuracy of voice-only rows | accuracy of unflagged rows |\n|---|---|---|---|---|---|",
        MAX_VOICE_SHARE * 100.0,
        r.voice.0,
        r.voice.1,
    );
    threshold_table_rows(&mut s, r.voices, r.voice);
    let _ = writeln!(s, "\n## Named features: weights of the final model\n\n| feature | organizational | professional | personal | from |\n|---|---|---|---|---|");
    for (i, name) in DENSE_NAMES.iter().enumerate() {
        let w = r.model.dense[i];
        let from = if r.lin.cols.dense.contains(&i) {
            "learned"
        } else if COUNT_ONLY.contains(name) && cfg.mask.iter().any(|m| m == name) {
            "count for mixed voice only (not learned)"
        } else if cfg.mask.iter().any(|m| m == name) {
            "masked (confound)"
        } else if CONTEXT_PRIORS.iter().any(|(n, _)| n == name) && cfg.context_priors {
            "prior (not in data)"
        } else {
            "absent from data"
        };
        let _ = writeln!(
            s,
            "| {name} | {:+.3} | {:+.3} | {:+.3} | {from} |",
            w[0], w[1], w[2]
        );
    }
    let _ = writeln!(
        s,
        "\n## Model file\n\n`model/use-model.bin`: **{} bytes** ({:.1} KB; {} bytes gzip -9); {} hashed buckets kept, \
         stored as LEB128 gaps with int8 weights and one scale per use (symmetric quantisation, `max |w| / 127`); \
         {} named features (f32), temperature, blurred margin, mixed-evidence and mixed-voice thresholds, label set, extractor version, \
         hashing bits, seed and the SHA-256 of the training file. The validation figures above use the unquantised fits; \
         the drafts below use the file exactly as shipped. Same data + seed → byte-identical file (tested on a fixture in \
         `crates/preflight-train/tests/`).\n",
        r.size,
        r.size as f64 / 1024.0,
        gzip_len(&r.model.to_bytes()),
        r.model.sparse.len(),
        N_DENSE
    );
    s.push_str(NARRATIVE);
    write_drafts(&mut s, r);
    s
}

/// Size of `bytes` compressed with gzip at level 9.
pub fn gzip_len(bytes: &[u8]) -> usize {
    use std::io::Write as _;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let _ = e.write_all(bytes);
    e.finish().map_or(0, |v| v.len())
}

fn write_steps(s: &mut String, r: &ReportInput<'_>) {
    let _ = writeln!(
        s,
        "## Source invariance: before and after\n\n{STEPS_NOTE}\n\n\
         | configuration | grouped CV macro-F1 | LOSO macro-F1 | worst source (LOSO accuracy) | drafts: clear right of 60 | drafts: blurred or close of 15 |\n|---|---|---|---|---|---|"
    );
    for m in r.steps {
        let worst = m
            .per_source
            .iter()
            .min_by(|a, b| a.1.total_cmp(b.1))
            .map_or(String::new(), |(src, v)| format!("{v:.3} ({src})"));
        let _ = writeln!(
            s,
            "| {} | {:.3} | {:.3} | {worst} | {} | {} |",
            m.name,
            m.cv_f1,
            m.loso_f1,
            m.drafts[..3].iter().sum::<usize>(),
            m.drafts[3]
        );
    }
    if r.steps.len() < 2 {
        let _ = writeln!(
            s,
            "\n(Only the shipped row: run the train command with `--ablations` for the other rows.)"
        );
    }
    s.push('\n');
}

fn write_drafts(s: &mut String, r: &ReportInput<'_>) {
    if r.drafts.is_empty() {
        return;
    }
    let (right, total) = cl::eval::draft_counts(r.drafts);
    let flagged = r
        .drafts
        .iter()
        .filter(|o| matches!(o.expected, Expected::Use(_)) && o.blurred)
        .count();
    let _ = writeln!(
        s,
        "\n## Hand-written drafts (`tests/drafts/drafts.jsonl`)\n\n{DRAFTS_NOTE}\n\n\
         * clear drafts: **{} of {}** get their use (organizational {} of {}, professional {} of {}, personal {} of {}); \
         {flagged} of them are also flagged `blurred`;\n\
         * blurred drafts: **{} of {}** come out `blurred` or with the top two within {:.2};\n\
         * known misses accepted by the drafts test (`tests/drafts/known-misses.jsonl`): **{}**.\n",
        right[..3].iter().sum::<usize>(),
        total[..3].iter().sum::<usize>(),
        right[0],
        total[0],
        right[1],
        total[1],
        right[2],
        total[2],
        right[3],
        total[3],
        cl::eval::CLOSE,
        r.opts.known_misses.len()
    );
    if !r.opts.known_misses.is_empty() {
        let _ = writeln!(s, "| known miss | reason |\n|---|---|");
        for (id, why) in &r.opts.known_misses {
            let _ = writeln!(s, "| {id} | {why} |");
        }
        s.push('\n');
    }
    let _ = writeln!(
        s,
        "| draft | expected | got | p (org / prof / pers) | right | signals |\n|---|---|---|---|---|---|"
    );
    for o in r.drafts {
        let want = match o.expected {
            Expected::Use(u) => u.as_str(),
            Expected::Blurred => "blurred",
        };
        let got = format!(
            "{}{}",
            o.label.map_or("none", |u| u.as_str()),
            if o.blurred { " (blurred)" } else { "" }
        );
        let [a, b, c] = o.probabilities;
        let _ = writeln!(
            s,
            "| {} | {want} | {got} | {a:.2} / {b:.2} / {c:.2} | {} | {} |",
            o.id,
            if o.ok { "yes" } else { "**no**" },
            o.signals.join("; ").replace('|', "/")
        );
    }
}

fn strip_sources(md: &str) -> String {
    md.split("\n| source |").next().unwrap_or(md).to_string() + "\n"
}

const STEPS_NOTE: &str = "Every row is one configuration validated the same way as the shipped one: grouped 5-fold \
cross-validation, leave-one-source-out (LOSO) over the sources, temperature, blurred margin, mixed-evidence and \
mixed-voice thresholds from its own out-of-fold predictions, and the 75 hand-written drafts judged with its final fit. \
Every row uses the current feature extractor (v9); the first row is the training configuration of session 1 on it, so \
the first and last rows show what the training changes of sessions 2 and 5 (items 1–3 and 6) do. Item 4 is extractor v7 against v6, \
whose figures can only be quoted (a v6 model cannot be refitted by this binary); item 5 is v8, which adds a blurred \
criterion and leaves the fit unchanged; item 6 is v9 (numbers) with the shortened copies, whose v8 figures are quoted. \
What changed, and why each change is \
about *use* rather than *source*:\n\n\
1. **Prior correction.** The worst LOSO failure was `tweeteval_emotion:train`: with it held out, 221 personal rows \
are left against about 1,900 organizational ones, so the learned intercepts say that personal posts are rare and the \
held-out personal tweets go to organizational. How common each use is in the training rows is a fact about which \
sources were collected, not about drafts. The intercepts are shifted by `−λ·ln(3·share)` (the standard prior-shift \
correction of a probabilistic classifier), i.e. the model decides as if the three uses were equally common.\n\
2. **Length buckets used again.** Session 1 masked them (every LinkedIn source is long). With the prior \
corrected they are measured here as helping on every count: grouped CV, LOSO (about equal) and the drafts (the row \
\"+ prior correction\" is the shipped configuration with length masked, apart from the temperature, which changes \
only probabilities and `blurred`). They are computed on the 50-token window only, so \
a 280-character draft and a LinkedIn article differ only in the top bucket (more than 280 characters in the \
window); what the model learns from them is mostly \"short texts are tweets\", which the prior correction had \
left without a counterweight. The caveat stays: a long post will lean professional by its length.\n\
3. **Calibration for an unseen source** (see Calibration): the temperature is fitted on LOSO logits, so the \
probabilities, and with them the `blurred` verdict, are as unsure as the model is on a source it has never seen. \
This changes no label, only probabilities and `blurred`.\n\
4. **Broader voice lexicons (extractor v7).** The work, public-service and family/leisure lexicons \
(`crates/preflight-core/src/classify/lexicons.rs`) grew from 74, 63 and 82 words to whole categories of common English \
words (about 430, 310 and 340 words; 250, 200 and 260 distinct stems): career and field vocabulary with job titles; government bodies and roles, civic and election words, \
programs, benefits and public notices; family, home life, pets, outdoors and travel, sports, hobbies, food and \
holidays. A training row of one source and a draft of another then share a lexicon feature even when they share no \
word (\"softball\" is in no training row; \"family and leisure words\" is in thousands). Quoted from the v6 report \
(same data, seed and training configuration): grouped CV macro-F1 0.902, LOSO 0.799 with \
`congresstweets:member_office_account` 0.258, `crowdflower_corporate_messaging:dialogue` 0.626 and \
`trendpilot_linkedin:company_page` 0.077 (LOSO accuracy), drafts 56 of 60 clear right and 8 of 15 blurred or close; \
the v7 figures are the shipped row. The mixed-evidence rule changed with it (see Blurred: mixed evidence).\n\
5. **Mixed voice (extractor v8, session 4).** v8 adds one dense feature, `institutional_voice` (\"our\" followed \
within two words by a work or public-service word), which is *not learned* (masked in the fit, weight 0) and feeds a \
third blurred criterion, \"I\" and the institutional \"our\" in one draft (see Blurred: mixed voice). The fit, and so \
every label, probability, grouped-CV and LOSO figure, is that of v7 (grouped CV 0.904, LOSO 0.813 before and \
after); only `blurred` changes, for the 0.7 % of the training rows and the drafts that speak both ways. Disclosure: \
added after seeing three blurred drafts (blur-08, blur-10, blur-14) read as one confident use.\n\n\
6. **Numbers are no terms, and half the long rows also train shortened (extractor v9, session 5).** Both were \
tried to fix the two clear drafts that session 4 left as known misses (org-20, a town-hall notice read as professional, \
and pro-15, a conference post read as organizational), and are kept because they also hold up on the sources: \
(a) *Shortened copies.* Every post longer than 280 characters comes from a source of one use and no personal row is \
that long, so length alone points at a use (the medium bucket alone pushed a 144-character post 2.1 logits away from \
professional). Half of the long rows (seeded hash; 714 professional and 251 organizational rows are long) also \
train as a copy cut at the last sentence end within their first 200 characters (same use, source and group; never \
scored): what a short post on the same subject in the same voice reads like. Copies of *every* long row (session 4, on v8: grouped CV 0.905, LOSO pooled 0.807, mean of the per-source LOSO accuracies 0.793, drafts 59 of 60 clear right; on v9 the row \"shipped, with shortened copies of every long row\") went too far: with \"short\" no longer meaning \
\"personal\" a few words decided short personal texts (per-03, a sports post, read professional); half the long rows \
(linfa's logistic regression has no row weights, so copying half of them is how the copies count half) corrects the \
length confound halfway. (b) *Numbers.* The sources carry numbers at very different rates (16 % of the personal rows \
against 56–92 % of the others: dates, prices, phone numbers, counts in LinkedIn lists), so the one `<num>` term of \
v8 learned \"a number means not personal\" (in \"My SSN is 123-45-6789 ok\" it pushed 1.04 logits away from personal) and, once \
length no longer did, decided short personal texts by an SSN or a score: \"My SSN is 123-45-6789 ok\" and \
\"👩‍👩‍👧 family, SSN 123-45-6789\" (shared test vectors) read professional with the copies. Like URLs (see \
Confounds), the rate holds in every personal source, so leave-one-source-out cannot catch it; v9 leaves numbers out \
of the hashed terms (a number still separates the words around it: no bigram across it). Measured with \
`preflight-train explore` (same validation, λ = 1; v8 figures for the copies alone): shipped v8 grouped CV \
0.904, LOSO pooled 0.813, mean per-source LOSO 0.784, drafts 58 of 60 clear and 15 of 15 blurred right; copies of \
every long row 0.905 / 0.807 / 0.793, 59 (per-03 wrong); every long row, numbers dropped 0.905 / 0.808 / 0.799, 59 \
(per-03 wrong); half the long rows 0.904 / 0.811 / 0.790, 59 (per-03 wrong); half the long rows, numbers dropped \
(shipped) 0.906 / 0.811 / 0.795, **60 of 60** clear and 15 of 15 blurred right; numbers dropped alone are the row \
\"shipped, without the shortened copies\" (LOSO 0.812, the same 58 clear drafts right as v8). Costs, honestly: \
LOSO pooled 0.813 → 0.811 (LOSO accuracy up for congress member offices 0.376 → 0.438, the CrowdFlower replies \
0.626 → 0.710 and the dhayanesh LinkedIn posts 0.824 → 0.867; down for the CrowdFlower information and action \
tweets 0.734 → 0.705 and 0.872 → 0.848 and the emotion tweets 0.943 → 0.936), and org-20 is right by a hair \
(0.51 against 0.49, flagged blurred). Ten shared test vectors changed use, all to personal: texts with no \
word the model knows (an emoji, a non-Latin greeting, an SSN), which v8 called professional or organizational on the \
strength of the number alone, and \"💳 card 4111 … charged twice\" (a personal complaint, professional in v8); one \
of them, \"See https://www.example.gov/… — 😀 123-45-6789\", was organizational, which only the number said (the \
link is dropped by design). Also tried in session 5 and not kept: two interaction features, \"I\" × work \
vocabulary and \"we\" × public-service vocabulary, with every long row copied (grouped CV 0.904, LOSO 0.808, \
mean per-source 0.795, per-03 still wrong): the \"I\" × work weight went to *personal* (tweets say \"I have work \
tomorrow\"), so it did not separate the professional \"I\" either. Disclosure: these were chosen while looking \
at the drafts (a development set, see the drafts section). The share is not knife-edge: with numbers dropped, \
copies of 40 % of the long rows give 0.906 / 0.812 / 0.793 and of 60 % 0.908 / 0.809 / 0.795, both with every \
draft right.\n\n\
Tried with extractor v8 in session 4 (`preflight-train explore`, same validation, λ = 1) and not kept: \
`institutional_voice` learned as a weight: grouped CV 0.904, LOSO 0.812 against 0.813 masked, the same drafts right \
(org-20 still reads professional); calls to action counted only as imperatives (the verb in its base form, not after \
a subject pronoun, \"to\", a modal or an auxiliary, so \"everyone who attended\" and \"if you're attending\" are no \
longer calls): grouped CV 0.905, LOSO 0.811, the same drafts right, and with `institutional_voice` learned as well \
0.905 / 0.811; `len_medium` masked (one bucket fewer; the one-hot buckets are redundant with the intercepts): 0.905 / \
0.814, the same drafts right, so it moves nothing; `len_medium` and `len_long` masked (length only \"short\" or \"very \
long\"): grouped CV 0.891, LOSO 0.807, 54 clear drafts right against 58. pro-15 stays a miss in every variant: at \
144 characters it falls in the medium bucket, whose learned weight (−2.10 professional against −0.23 \
organizational) is the length confound of a class that is 100 % long LinkedIn posts.\n\n\
Tried with extractor v7 and not kept: a dense feature counting dates and clock times (\"2 p.m.\", \"March 15\") as \
an institutional-announcement cue. Its learned weight went to professional (+0.99 professional, −1.00 personal, \
+0.00 organizational: dated LinkedIn posts outnumber dated congress and corporate tweets), LOSO was unchanged \
(0.813 against 0.814 without it, on an earlier draft of the v7 lexicons) and two organizational drafts with dates \
turned professional.\n\n\
Tried during session 2 with `preflight-train explore` (extractor v6, same validation; not re-run by this command) and not kept: \
every source capped at 400 or 500 rows so that each counts about equally (linfa's logistic regression has no row \
weights, so capping is how rows are re-weighted): with prior correction LOSO 0.784 / 0.785 against 0.797, grouped CV \
0.871 / 0.875 against 0.881, and fewer personal drafts right (13 against 14), because it throws away most of the \
personal rows; prior correction λ = 0.5 (halfway): LOSO 0.722, grouped CV 0.881, 49 clear drafts right against 45; \
stronger L2 (alpha 2: grouped CV 0.831, below the 0.85 floor, LOSO 0.514 without prior correction); keeping only \
hash buckets seen in at least two datasets (LOSO 0.593 against 0.608, grouped CV 0.857); that filter together with \
masking hashtag density, with prior correction (LOSO 0.777 against 0.797). The row \"URL density used\" puts a masked feature back: a *higher* LOSO \
there does not make the feature a use signal, because the confound holds in every source of a class (see Confounds).";

const LOSO_NOTE: &str = "\nReading the table: a source is scored by a model that has never seen it, so this is the \
closest the data allows to \"a new platform, era or author\". The sources that stay weak are the ones whose *use* is \
carried by a style that only they have in their class: `trendpilot_linkedin:company_page` (26 rows, the only \
organizational source written on LinkedIn: held out, its posts read like the professional LinkedIn posts), \
`congresstweets:member_office_account` (official offices that write in the first person, labelled by account, not by \
post) and the CrowdFlower `dialogue` replies (customer-service answers, which read like personal replies). These are \
where a held-out collection from new sources will also be hardest.";

const MIX_NOTE: &str = "The probability margin alone hardly ever flags a draft that mixes two uses, because the \
training labels are per account and never mixed: a post about the job *and* the family still gets one confident use. \
A draft is therefore also `blurred` when the extractor's own lexicon features show two sides at once: at least *w* \
work-side words (`work_vocab` + `public_service_vocab` counts) and at least *f* family or leisure words \
(`family_leisure_vocab`); the card then says \"work words and family or leisure words together\". Lexicon counts \
rather than learned contributions, because the learned weight of `family_leisure_vocab` is a source artefact \
(LinkedIn authors write about their families, TweetEval rows much less; see the named weights), so a criterion on \
contributions cannot see \"family and work\" as two uses. The table is computed on the grouped-CV out-of-fold \
predictions at the shipped temperature and margin (never on the drafts); \"alone\" means rows the margin did not \
already flag.";

const VOICE_NOTE: &str = "A draft is also `blurred` when it speaks as \"I\" and for the institution at once: at \
least *s* first-person-singular words (I, me, my, I'm…: `first_person_singular`) and at least *i* institutional-voice \
phrases (`institutional_voice`: \"our\" followed within two words by a work or public-service word, \"our agency's\", \
\"our summer internships\"); the card then says \"speaks as 'I' and for the office\". An employee who writes \"my\" \
and \"our agency\" in one post is a personal voice speaking for the office, the classic blur of the personal and the \
organizational uses, and, as with mixed evidence, per-account labels never teach it. \"We\" alone is not counted, \
because family posts say \"we\" too (\"my wife and I… we\"), and \"our kids\" has no work word. The table is computed \
on the grouped-CV out-of-fold predictions at the shipped temperature, margin and mixed-evidence thresholds (never on \
the drafts).";

const DRAFTS_NOTE: &str = "75 posts written for this project as a US government employee might write them (20 \
organizational, 20 professional, 20 personal, 15 deliberately blurred); none comes from the training sources and \
none is trained on. Judged with the model file exactly as shipped (`classify::eval::judge_drafts`, the same code as \
`crates/preflight-core/tests/drafts.rs`): a clear draft must get its use; a blurred draft must come out `blurred` or \
with its two most likely uses within the gap shown. The drafts test asserts every draft; the only exceptions are \
the known misses listed here with their reasons. Disclosure: the drafts were looked at while choosing among the \
configurations of the source-invariance table, so they are a development set, not an untouched test set.";

const NARRATIVE: &str = r#"## Confounds found and what was done

Each use comes from its own sources, so a model can learn *where* a text comes from instead of *what use* it serves.
What the data shows (per-source shares in `posts.jsonl`) and what the extractor and trainer do about it:

* **Class mix by source.** How common each use is in the data is set by which sources were collected (2,491
  organizational, 1,067 professional, 2,199 personal rows). The trainer corrects the intercepts towards equally
  common uses and caps every source (source-invariance table).
* **Platform tokens.** Every personal row (TweetEval) writes mentions as `@user`; the other sources keep real handles.
  The extractor maps every @mention to one `<mention>` term and drops a leading retweet `RT`.
* **Function words.** Rates of "the", "to", "of" mark a source's register (headline English vs chat vs LinkedIn
  prose) more than a use; the extractor does not hash them, and leaves pronouns to the voice features.
* **URLs.** No personal row contains a URL (TweetEval removed them), while most organizational rows do. A link
  would then mean "not personal". The extractor drops URLs from the text terms and the trainer masks `url_density`.
  Leave-one-source-out cannot catch this confound (it holds in *every* personal source), so it is masked on
  provenance grounds; the source-invariance table shows what using it would "gain".
* **Length and layout.** Personal and corporate tweets are ≤ 140–280 characters; LinkedIn posts run to thousands and
  use line breaks. The extractor reads only the first 50 tokens (about 280 characters) for every feature, L2-normalises
  the text vector (a long post weighs as much as a short one), ignores line breaks, and computes a 4-way length
  bucket of that window only. The length buckets are used (source-invariance table: with the prior corrected they
  help grouped CV, leave-one-source-out and the drafts), with the caveat that a post longer than 280 characters
  leans professional partly because every LinkedIn source is long.
* **Mentions.** Professional rows (LinkedIn) almost never @mention; tweets often do. `mention_density` is masked.
* **One author dominates professional.** 482 of 1,067 professional rows are one LinkedIn creator. Training caps that
  source at 150 rows, and validation keeps every single-author source in one group, so its style is never on both
  sides of a fold.
* **Era.** Organizational rows are 2012–2015 corporate and Oct-2020 congressional tweets, personal rows 2017 tweets,
  professional rows 2023–2026 LinkedIn posts. Topic words (e.g. election, COVID, AI) can stand in for the use.
  Nothing in the features removes topical era cues; the leave-one-source-out rows and the hand-written drafts
  (government-employee posts of today, none from the training sources) are the check.
* **Labels are by account, not by post.** Congress member offices write in the first person; LinkedIn authors post
  holiday greetings. These are left as labelled; they bound the achievable accuracy.
* **Context is not in the data.** The training rows have no site, account or reply fields, so the weights of those
  features cannot be learned. The trainer sets them to hand-written priors (`CONTEXT_PRIORS` in
  `crates/preflight-train/src/lib.rs`, listed as "prior" in the named-feature table): professional network +1.0
  towards professional (−0.5 personal), forum and reply a little towards personal, a personal account −0.5
  organizational / +0.3 personal, naming the employer +0.5 towards organizational and professional (−0.5 personal).
  They are judgement, not measurement: no figure in this report tests them. Posting from an official account is not
  a weight: the core overrides the label to organizational and says why, while the probabilities stay the text
  model's.
"#;

/// Apply a variant description to a configuration: comma-separated `key:value` items
/// (`alpha:2`, `prior_shift:1`, `min_datasets:2`, `source_cap:400`, `max_features:4000`,
/// `min_df:3`, `max_iter:100`, `mask+:hashtag_density`, `mask-:len_short`, `nocaps`,
/// `shortened` / `unshortened` (copies of long rows on or off), `share:0.5` (their share)).
pub fn apply_variant(base: &Config, spec: &str) -> Result<Config, TrainError> {
    let mut c = base.clone();
    let bad = |item: &str| TrainError::Data(format!("variant item {item:?}"));
    for item in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let (k, v) = item.split_once(':').unwrap_or((item, ""));
        let num = || v.parse::<f64>().map_err(|_| bad(item));
        match k {
            "alpha" => c.alpha = num()?,
            "prior_shift" => c.prior_shift = num()?,
            "min_datasets" => c.min_datasets = num()? as usize,
            "source_cap" => c.source_cap = Some(num()? as usize),
            "max_features" => c.max_features = num()? as usize,
            "min_df" => c.min_df = num()? as usize,
            "max_iter" => c.max_iter = num()? as u64,
            "mask+" => c.mask.push(v.to_string()),
            "mask-" => c.mask.retain(|m| m != v),
            "nocaps" => c.caps.clear(),
            "shortened" => c.shortened_copies = true,
            "unshortened" => c.shortened_copies = false,
            "share" => c.shortened_share = num()?,
            "base" => {}
            _ => return Err(bad(item)),
        }
    }
    Ok(c)
}

/// One line of the exploration table: grouped CV, leave-one-source-out and the drafts for a
/// configuration (the final fit on everything scores the drafts), the `probe` rows its model
/// gets wrong, and (`save`) its model file.
pub fn explore(
    samples: &[Sample],
    cfg: &Config,
    drafts: &[Row],
    probe: &[Row],
    sha: [u8; 32],
    save: Option<&std::path::Path>,
) -> Result<String, TrainError> {
    let ys: Vec<usize> = samples.iter().map(|s| s.y).collect();
    let cv = grouped_cv(samples, cfg, Kind::Logistic)?;
    let lo = loso(samples, cfg, Kind::Logistic)?;
    let all: Vec<usize> = (0..samples.len()).collect();
    let train = apply_caps(samples, &all, cfg);
    let (lin0, _) = fit_logistic(samples, &train, cfg)?;
    let tk = Tokenizer::new("en")?;
    let mut lines = Vec::new();
    for lambda in [0.0, 0.5, 1.0] {
        let cvz = cv.logits_at(cfg.prior_shift, lambda);
        let loz = lo.logits_at(cfg.prior_shift, lambda);
        let cvp: Vec<usize> = cvz.iter().map(|z| argmax64(z)).collect();
        let lop: Vec<usize> = loz.iter().map(|z| argmax64(z)).collect();
        for (tname, t) in [("losoT", fit_temperature(&loz, &ys).0)] {
            let margin = choose_margin(&blur_table(&cvz, &ys, t));
            let mix = choose_mix(&mix_table(samples, &cvz, t, margin));
            let voices = voice_table(samples, &cvz, t, margin, mix);
            let voice = choose_voice(&voices);
            let mut lin = lin0.clone();
            for k in 0..N_LABELS {
                lin.intercept[k] += (lambda - cfg.prior_shift) * lin.prior_shift[k];
            }
            let model = to_model(&lin, cfg, sha, train.len(), t, margin, mix, voice)?;
            if let Some(path) = save.filter(|_| lambda == cfg.prior_shift) {
                std::fs::write(path, model.to_bytes())
                    .map_err(|e| TrainError::Io(format!("{}: {e}", path.display())))?;
            }
            let out = cl::eval::judge_drafts(drafts, &model, &tk);
            let probe_misses: Vec<String> = if lambda == cfg.prior_shift {
                probe
                    .iter()
                    .filter_map(|row| {
                        let a = cl::eval::with_input(&tk, row, |input| {
                            cl::assess_with(Some(&model), input)
                        });
                        let got = a
                            .label
                            .map_or("none".to_string(), |u| u.as_str().to_string());
                        (Some(&got) != row.label.as_ref()).then(|| {
                            let p = a.probabilities.unwrap_or_default();
                            format!(
                                "{:?}→{got} ({:.2}/{:.2}/{:.2})",
                                row.text.chars().take(30).collect::<String>(),
                                p[0],
                                p[1],
                                p[2]
                            )
                        })
                    })
                    .collect()
            } else {
                Vec::new()
            };
            let (right, _) = cl::eval::draft_counts(&out);
            let e_cv = evaluate(samples, &cvp);
            let e_lo = evaluate(samples, &lop);
            let per: Vec<String> = e_lo
                .per_source
                .iter()
                .map(|(s, (c, n))| {
                    let short: String = s.rsplit(':').next().unwrap_or(s).chars().take(8).collect();
                    format!("{short}={:.2}", *c as f64 / *n as f64)
                })
                .collect();
            let misses: Vec<&str> = out
                .iter()
                .filter(|o| !o.ok)
                .map(|o| o.id.as_str())
                .collect();
            lines.push(format!(
                "  λ {lambda} {tname}: cv {:.3} [{:.3} {:.3} {:.3}] loso {:.3} [{:.3} {:.3} {:.3}] mean per source {:.3} T {t:.2} m {margin:.2} mix {mix:?} voice {voice:?} (alone {:.3}) drafts {:?} clear {} blurred {} buckets {} bytes {}\n    loso per source: {}\n    misses: {}\n    probe: {}",
                e_cv.macro_f1(),
                e_cv.class(0).f1,
                e_cv.class(1).f1,
                e_cv.class(2).f1,
                e_lo.macro_f1(),
                e_lo.class(0).f1,
                e_lo.class(1).f1,
                e_lo.class(2).f1,
                e_lo.per_source
                    .values()
                    .map(|(c, n)| *c as f64 / *n as f64)
                    .sum::<f64>()
                    / e_lo.per_source.len().max(1) as f64,
                voices
                    .iter()
                    .find(|r| (r.first as u8, r.second as u8) == voice)
                    .map_or(0.0, |r| r.only_share),
                right,
                right[..3].iter().sum::<usize>(),
                right[3],
                model.sparse.len(),
                model.to_bytes().len(),
                per.join(" "),
                misses.join(" "),
                probe_misses.join(" | ")
            ));
        }
    }
    Ok(lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_row_is_shortened_at_its_last_sentence_end_within_200_characters() {
        let first =
            "We shipped the new permit portal after months of research with small businesses.";
        let second = " Thanks to everyone who tested it and sent us notes!";
        // The next sentence end is past 200 characters.
        let rest = " ".to_string()
            + &"More detail about the rollout follows, with every step we took along the way and why we took it. ".repeat(3);
        let text = format!("{first}{second}{rest}");
        assert!(text.chars().count() > SHORTEN_ABOVE);
        // Both sentence ends fall within 200 characters: the later one is the cut.
        assert_eq!(shortened(&text), Some(format!("{first}{second}").as_str()));
        // Short rows, rows with no sentence end in range, and a decimal point are left alone.
        assert_eq!(shortened(first), None);
        let run_on = "word ".repeat(80);
        assert_eq!(shortened(&run_on), None);
        let decimal = format!("{} Rate 4.5 is high {}", "a".repeat(70), "b ".repeat(150));
        assert_eq!(shortened(&decimal), None);
        // Multi-byte text is cut on a character boundary.
        let accents = format!("{} Voilà. {}", "é".repeat(70), "ü ".repeat(150));
        assert!(shortened(&accents).is_some_and(|s| s.ends_with("Voilà.")));
    }

    #[test]
    fn shortened_copies_train_with_their_row_only() {
        let tk = Tokenizer::new("en").unwrap();
        let long = format!(
            "Our team shipped the new release today. {}",
            "It has many improvements for everyone. ".repeat(10)
        );
        let jsonl = format!(
            "{{\"text\":\"{long}\",\"label\":\"professional\",\"source\":\"fixture:a\"}}\n\
             {{\"text\":\"home early with the kids\",\"label\":\"personal\",\"source\":\"fixture:a\"}}\n"
        );
        let rows = cl::eval::parse_jsonl(&jsonl).unwrap();
        let samples = featurize(&rows, &tk);
        assert_eq!(samples[0].extra.len(), 1);
        assert!(samples[1].extra.is_empty());
        let cfg = Config {
            min_df: 1,
            shortened_copies: true,
            shortened_share: 1.0,
            ..Config::default()
        };
        let cols = select_columns(&samples, &[0, 1], &cfg);
        let (x, y) = training_design(&samples, &[0, 1], &cols, &cfg);
        assert_eq!((x.nrows(), y.to_vec()), (3, vec![1, 2, 1]));
        // Not when its row is held out, and not when the option is off.
        assert_eq!(training_design(&samples, &[1], &cols, &cfg).0.nrows(), 1);
        let off = Config {
            shortened_copies: false,
            ..cfg
        };
        assert_eq!(training_design(&samples, &[0, 1], &cols, &off).0.nrows(), 2);
    }

    #[test]
    fn a_seeded_share_of_long_rows_is_copied() {
        let cfg = Config::default();
        let picks: Vec<bool> = (0..2000u64)
            .map(|k| copied(fnv(&k.to_le_bytes(), 7), &cfg))
            .collect();
        let n = picks.iter().filter(|p| **p).count();
        assert!((900..1100).contains(&n), "{n} of 2000 copied at share 0.5");
        // Deterministic, and every row at share 1, none at share 0.
        assert_eq!(
            picks,
            (0..2000u64)
                .map(|k| copied(fnv(&k.to_le_bytes(), 7), &cfg))
                .collect::<Vec<_>>()
        );
        let all = Config {
            shortened_share: 1.0,
            ..Config::default()
        };
        let none = Config {
            shortened_share: 0.0,
            ..Config::default()
        };
        assert!((0..100u64).all(|k| copied(k, &all) && !copied(k, &none)));
    }

    fn row(work: usize, family: usize, share: f64) -> MixRow {
        MixRow {
            first: work,
            second: family,
            only_share: share,
            total_share: share,
            acc_only: 1.0,
            acc_unflagged: 1.0,
        }
    }

    #[test]
    fn two_at_a_time_keeps_input_order() {
        let items: Vec<u64> = (0..50).collect();
        assert_eq!(
            two_at_a_time(&items, |x| x * x),
            items.iter().map(|x| x * x).collect::<Vec<_>>()
        );
        assert!(two_at_a_time(&[] as &[u8], |x| *x).is_empty());
    }

    #[test]
    fn mix_rule_takes_the_smallest_symmetric_pair_within_the_share() {
        // (3, 1) is within the share but asymmetric; (1, 1) is too broad: (2, 2) is chosen.
        let table = [
            row(1, 1, 0.10),
            row(2, 1, 0.06),
            row(3, 1, 0.04),
            row(1, 2, 0.03),
            row(2, 2, 0.015),
            row(3, 3, 0.002),
        ];
        assert_eq!(choose_mix(&table), (2, 2));
        assert_eq!(choose_mix(&[row(1, 1, 0.2), row(2, 2, 0.1)]), (0, 0));
    }
}
