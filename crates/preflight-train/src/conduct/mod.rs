//! `preflight-train conduct`: train the abuse score (`model/abuse-model.bin`) on labelled
//! conduct rows and write its report (`model/ABUSE-REPORT.md`).
//!
//! 1. Split every row by a hash of its text ([`preflight_core::abuse::split`]) before reading
//!    anything else: 20 % of each source held out (reported once, never tuned on), 20 % of
//!    the rest for validation, the rest fitted.
//! 2. Clean rows of Davidson et al.'s "neither" class that hold a violation-grade slur of the
//!    default bundle are mislabelled; they are left out of fitting and counted in the report.
//! 3. Rows are weighted so abusive and clean rows weigh the same and each (dataset, label)
//!    cell in proportion to the square root of its size ([`data::weights`]).
//! 4. A grid of L2 penalties and extractor options is fitted ([`fit`]) and compared on the
//!    validation rows; the smallest weight budget within [`AUC_SLACK`] of the best is kept;
//!    weights are quantised to int8 as stored, then calibrated (Platt) on validation.
//! 5. The report gives every measurement and, on validation only, the score thresholds the
//!    default bundle's abuse rule is set from.

pub mod data;
pub mod fit;
mod report;

use std::collections::BTreeMap;

use preflight_core::abuse::features::{self, Options};
use preflight_core::abuse::split::Split;
use preflight_core::abuse::AbuseModel;
use preflight_core::Tokenizer;

use crate::TrainError;
use data::Row;
use fit::{Example, Hyper};

/// The command's options.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Labelled JSONL (`{"text","label","source"}`, label hate | offensive | clean), e.g.
    /// ../shared/data/conduct.jsonl.
    #[arg(long)]
    pub data: String,
    #[arg(long, default_value = "model/abuse-model.bin")]
    pub out: String,
    #[arg(long, default_value = "model/ABUSE-REPORT.md")]
    pub report: String,
    #[arg(long, default_value_t = 17)]
    pub seed: u64,
    #[arg(long, default_value_t = 8)]
    pub epochs: usize,
    /// Clean rows in the register of the job, added to every split as their own cell: the
    /// organizational and professional train rows of the use data (e.g.
    /// ../shared/data/posts.jsonl; see `data::load_register`).
    #[arg(long)]
    pub register: Option<String>,
    /// Weight of a (dataset, label) cell ∝ its size to this power (0: cells weigh the same).
    #[arg(long, default_value_t = 0.5)]
    pub cell_power: f64,
}

/// L2 penalties tried.
pub const L2_GRID: [f32; 3] = [1e-5, 1e-4, 1e-3];
/// Weight budgets tried (non-zero weights kept).
pub const BUDGETS: [usize; 4] = [500, 1000, 2000, 4000];
/// A budget is good enough when its validation metric ([`target_recall`]) is within this of
/// the best budget's.
pub const AUC_SLACK: f64 = 0.005;
/// The selection metric's false-alarm rate on clean OLID validation rows.
pub const TARGET_FALSE_ALARMS: f64 = 0.03;

/// Selection metric: the threshold that flags [`TARGET_FALSE_ALARMS`] of the clean OLID
/// rows, and the mean over the abusive (dataset, label) cells of the share of their rows at
/// or above it. `cells[i]`: the cell of `scores[i]`.
pub fn target_recall(scores: &[f32], cells: &[String]) -> f64 {
    let mut clean: Vec<f32> = scores
        .iter()
        .zip(cells)
        .filter(|(_, c)| c.as_str() == "OLID · clean")
        .map(|(s, _)| *s)
        .collect();
    if clean.is_empty() {
        return f64::NAN;
    }
    clean.sort_by(|a, b| b.total_cmp(a));
    let k = ((clean.len() as f64 * TARGET_FALSE_ALARMS) as usize).min(clean.len() - 1);
    let threshold = clean[k];
    let mut by_cell: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (s, c) in scores.iter().zip(cells) {
        if c.ends_with("clean") {
            continue;
        }
        let e = by_cell.entry(c.as_str()).or_default();
        e.1 += 1;
        if *s > threshold {
            e.0 += 1;
        }
    }
    by_cell
        .values()
        .map(|(k, n)| *k as f64 / *n as f64)
        .sum::<f64>()
        / by_cell.len().max(1) as f64
}

/// Learning rate of AdaGrad.
pub const LEARNING_RATE: f32 = 0.3;

/// One candidate of the grid, measured on validation.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub options: Options,
    pub l2: f32,
    /// (budget, validation metric after pruning and quantisation).
    pub budgets: Vec<(usize, f64)>,
    pub full_auc: f64,
    pub full_metric: f64,
}

/// Everything the report needs.
pub struct Outcome {
    pub rows: Vec<Row>,
    pub splits: BTreeMap<Split, Vec<usize>>,
    pub mislabelled: Vec<bool>,
    pub candidates: Vec<Candidate>,
    pub chosen: (Options, f32, usize),
    pub model: AbuseModel,
    /// Calibrated probabilities of every row (all splits).
    pub probs: Vec<f32>,
    pub bytes: Vec<u8>,
    pub gzip: usize,
    pub command: String,
    pub args: Args,
}

fn examples(
    rows: &[Row],
    idx: &[usize],
    weights: &[f32],
    tokenizer: &Tokenizer,
    options: Options,
) -> Vec<Example> {
    idx.iter()
        .zip(weights)
        .map(|(&i, &w)| {
            let toks = tokenizer.tokenize(&rows[i].text);
            let mut terms = Vec::new();
            features::extract(&toks, options, &mut terms);
            Example {
                terms,
                y: if rows[i].abusive() { 1.0 } else { 0.0 },
                weight: w,
            }
        })
        .collect()
}

/// Quantised model from a fitted linear model, with Platt calibration on `val`.
fn to_model(
    lin: &fit::Linear,
    options: Options,
    sha: [u8; 32],
    n_fit: u32,
    val: &[Example],
) -> Result<AbuseModel, TrainError> {
    let raw = AbuseModel::new(
        options,
        sha,
        n_fit,
        lin.intercept,
        (1.0, 0.0),
        &lin.sparse(),
    )?;
    let logits: Vec<f32> = val.iter().map(|e| raw.logit_of(&e.terms)).collect();
    let ys: Vec<f32> = val.iter().map(|e| e.y).collect();
    let ws: Vec<f32> = val.iter().map(|e| e.weight).collect();
    let platt = fit::platt(&logits, &ys, &ws);
    let mut m = raw;
    m.platt = platt;
    Ok(m)
}

/// Run the whole pipeline and write the model and the report.
pub fn run(args: &Args) -> Result<(), TrainError> {
    let (mut rows, mut sha) = data::load(&args.data)?;
    if let Some(path) = &args.register {
        let (extra, extra_sha) = data::load_register(path)?;
        rows.extend(extra);
        // The model's data digest covers both files.
        use sha2::Digest as _;
        sha = sha2::Sha256::digest([sha, extra_sha].concat()).into();
    }
    let tokenizer = Tokenizer::new("en")?;
    let splits = data::splits(&rows);
    let part = |s: Split| splits.get(&s).cloned().unwrap_or_default();
    let (fit_idx, val_idx) = (part(Split::Fit), part(Split::Validation));
    if fit_idx.is_empty() || val_idx.is_empty() {
        return Err(TrainError::Data("too few rows to split".into()));
    }

    // Mislabelled clean rows (Davidson "neither" with a violation-grade slur), every split.
    let check = data::SlurCheck::new()?;
    let mislabelled: Vec<bool> = rows
        .iter()
        .map(|r| !r.abusive() && r.dataset().starts_with("davidson") && check.has_slur(&r.text))
        .collect();
    let w_fit = data::weights(&rows, &fit_idx, &mislabelled, args.cell_power);
    let w_val = data::weights(&rows, &val_idx, &mislabelled, args.cell_power);

    let mut candidates = Vec::new();
    let mut best: Option<(f64, usize, Options, f32, fit::Linear)> = None;
    for options in [Options { char_grams: false }, Options { char_grams: true }] {
        let fit_rows = examples(&rows, &fit_idx, &w_fit, &tokenizer, options);
        let df = fit::row_counts(&fit_rows);
        let val_rows = examples(&rows, &val_idx, &w_val, &tokenizer, options);
        let val_scored: Vec<&Example> = val_rows.iter().filter(|e| e.weight > 0.0).collect();
        let ys: Vec<f32> = val_scored.iter().map(|e| e.y).collect();
        let cells: Vec<String> = val_idx
            .iter()
            .zip(&val_rows)
            .filter(|(_, e)| e.weight > 0.0)
            .map(|(&i, _)| rows[i].cell())
            .collect();
        for l2 in L2_GRID {
            let lin = fit::fit(
                &fit_rows,
                Hyper {
                    l2,
                    epochs: args.epochs,
                    learning_rate: LEARNING_RATE,
                    seed: args.seed,
                },
            );
            let full: Vec<f32> = val_scored.iter().map(|e| lin.logit(&e.terms)).collect();
            let full_auc = fit::auc(&full, &ys);
            let full_metric = target_recall(&full, &cells);
            let mut budgets = Vec::new();
            for budget in BUDGETS {
                let model = to_model(&lin.pruned(budget, &df), options, sha, 0, &val_rows)?;
                let s: Vec<f32> = val_scored
                    .iter()
                    .map(|e| model.logit_of(&e.terms))
                    .collect();
                budgets.push((budget, target_recall(&s, &cells)));
            }
            let top = budgets.iter().map(|b| b.1).fold(f64::MIN, f64::max);
            let (budget, auc) = budgets
                .iter()
                .copied()
                .find(|b| b.1 >= top - AUC_SLACK)
                .unwrap_or(budgets[budgets.len() - 1]);
            eprintln!(
                "char_grams={} l2={l2:e}: AUC {full_auc:.4}, metric {full_metric:.4} unpruned, {auc:.4} at {budget}",
                options.char_grams
            );
            // Best: highest AUC at its budget; a smaller budget breaks a near tie.
            let better = best.as_ref().is_none_or(|(b_auc, b_budget, ..)| {
                auc > b_auc + AUC_SLACK / 2.0
                    || ((auc - b_auc).abs() <= AUC_SLACK / 2.0 && budget < *b_budget)
            });
            if better {
                best = Some((auc, budget, options, l2, lin.pruned(budget, &df)));
            }
            candidates.push(Candidate {
                options,
                l2,
                budgets,
                full_auc,
                full_metric,
            });
        }
    }
    let Some((_, budget, options, l2, lin)) = best else {
        return Err(TrainError::Data("no candidate was fitted".into()));
    };
    let val_rows = examples(&rows, &val_idx, &w_val, &tokenizer, options);
    let model = to_model(&lin, options, sha, fit_idx.len() as u32, &val_rows)?;
    let bytes = model.to_bytes();
    // What ships is what was measured: the file read back.
    let model = AbuseModel::from_bytes(&bytes)?;
    let probs: Vec<f32> = rows
        .iter()
        .map(|r| model.score(&tokenizer.tokenize(&r.text)).probability)
        .collect();
    let gzip = gzip_len(&bytes);
    std::fs::write(&args.out, &bytes).map_err(|e| TrainError::Io(format!("{}: {e}", args.out)))?;
    let outcome = Outcome {
        rows,
        splits,
        mislabelled,
        candidates,
        chosen: (options, l2, budget),
        model,
        probs,
        bytes,
        gzip,
        command: std::env::args().collect::<Vec<_>>().join(" "),
        args: args.clone(),
    };
    let text = report::render(&outcome);
    std::fs::write(&args.report, text)
        .map_err(|e| TrainError::Io(format!("{}: {e}", args.report)))?;
    eprintln!(
        "wrote {} ({} bytes, {} gzip -9) and {}",
        args.out,
        outcome.bytes.len(),
        outcome.gzip,
        args.report
    );
    Ok(())
}

/// Size of `bytes` after gzip at level 9.
pub fn gzip_len(bytes: &[u8]) -> usize {
    use std::io::Write as _;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    if e.write_all(bytes).is_err() {
        return 0;
    }
    e.finish().map_or(0, |v| v.len())
}
