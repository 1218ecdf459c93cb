//! One training run of the use classifier (feature extractor v10): every candidate scored on
//! the same splits (transfer, leave-one-dataset-out, grouped CV), the shipped configuration
//! chosen on the transfer table, calibrated on held-out predictions of the train rows, fitted
//! on every row and turned into the model file; the report is written from these results
//! only ([`crate::report`]).

// Loops over the three uses index several arrays at once.
#![allow(clippy::needless_range_loop)]

use preflight_core::classify::eval::{
    draft_counts, judge_drafts, parse_jsonl, parse_known_misses, DraftOutcome,
};
use preflight_core::classify::features::{self, CONTEXT_FEATURES, N_DENSE};
use preflight_core::classify::model::{softmax, N_LABELS};
use preflight_core::classify::UseModel;
use preflight_core::Tokenizer;

use crate::embed::Embeddings;
use crate::metrics::{self, Metrics};
use crate::pipeline::{self, Candidate, Item, Oof, Variant};
use crate::{
    choose_mix, choose_voice, fit_temperature, mix_table, voice_table, Sample, TrainError,
};

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

/// Options of a training run.
pub struct Options {
    pub data: String,
    pub embeddings: String,
    pub drafts: String,
    pub known_misses: String,
    pub seed: u64,
    /// Fit the final model on the train rows only (default: train + transfer).
    pub train_only: bool,
    /// Skip the reference's leave-one-dataset-out and grouped CV and the ablations with hashed
    /// terms (quick runs only).
    pub quick: bool,
}

/// L2 strengths compared for the shipped design (loss summed over rows).
pub const ALPHAS: [f64; 4] = [3.0, 10.0, 30.0, 100.0];

/// Candidate margins of the blurred verdict.
pub const MARGINS: [f64; 12] = [
    0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6,
];

/// Share of wrong organizational / professional calls the blurred verdict must catch on the
/// held-out predictions of the train rows.
pub const BLUR_CATCH: f64 = 0.5;

/// Largest share of the other uses' held-out rows a context alarm may fire on.
pub const MAX_ALARM_SHARE: f64 = 0.05;

/// Candidate alarm thresholds (probability of the use from the text alone).
pub const ALARMS: [f64; 10] = [0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95];

/// One candidate's results.
pub struct Scored {
    pub name: String,
    pub transfer: Oof,
    /// Held-out predictions of every train row: leave-one-dataset-out, and the only personal
    /// dataset in five folds ([`pipeline::held_out`]).
    pub lodo: Option<Oof>,
    pub transfer_m: Metrics,
    pub lodo_m: Option<Metrics>,
}

/// An alarm threshold and what it does.
pub struct Alarm {
    pub threshold: f64,
    /// Share of the target use's rows it fires on: held-out train rows, transfer rows.
    pub hit_held_out: f64,
    pub hit_transfer: f64,
    /// Share of the other rows it fires on: held-out, transfer.
    pub false_held_out: f64,
    pub false_transfer: f64,
    /// Every candidate: (threshold, false share on held-out rows).
    pub table: Vec<(f64, f64, f64)>,
}

/// Everything the report needs.
pub struct Outcome {
    pub opts_line: String,
    pub data_sha: [u8; 32],
    pub emb_sha: [u8; 32],
    pub emb_words: usize,
    pub emb_dims: usize,
    pub n_train: usize,
    pub n_transfer: usize,
    pub shipped: Variant,
    pub alpha_rows: Vec<Scored>,
    pub ablation_rows: Vec<Scored>,
    pub reference: Scored,
    pub shipped_scored_at: usize,
    pub lodo_datasets: Vec<String>,
    pub spread_transfer: ([f64; 2], [f64; 2]),
    pub spread_lodo: Option<([f64; 2], [f64; 2])>,
    pub grouped: Metrics,
    pub grouped_ref: Option<Metrics>,
    pub temperature: (f64, f64, f64),
    pub margin: f64,
    pub margin_table: Vec<(f64, f64, f64)>,
    pub mix: (u8, u8),
    pub voice: (u8, u8),
    pub personal_alarm: Alarm,
    pub organizational_alarm: Alarm,
    pub transfer_blurred: Metrics,
    pub drafts: Vec<DraftOutcome>,
    pub draft_right: ([usize; 4], [usize; 4]),
    pub known_misses: Vec<(String, String)>,
    pub model: UseModel,
    pub model_bytes: Vec<u8>,
    pub final_rows: usize,
    pub train_only: bool,
}

fn scored(items: &[Item], c: &Candidate, lodo: bool, seed: u64) -> Result<Scored, TrainError> {
    let t = pipeline::transfer(items, c)?;
    let l = if lodo {
        let l = pipeline::lodo(items, c)?;
        Some(pipeline::held_out(items, c, &l, seed)?)
    } else {
        None
    };
    let no_blur = |_: &Item, _: &[f64; N_LABELS]| false;
    let s = Scored {
        name: c.name(),
        transfer_m: metrics::score(items, &t, |_| true, no_blur),
        lodo_m: l
            .as_ref()
            .map(|l| metrics::score(items, l, |_| true, no_blur)),
        transfer: t,
        lodo: l,
    };
    eprintln!(
        "  transfer macro-F1 {:.3} work-vs-personal {:.3}{}",
        s.transfer_m.macro_f1,
        s.transfer_m.work_personal_f1,
        s.lodo_m.as_ref().map_or(String::new(), |m| format!(
            "; LODO {:.3} / {:.3}",
            m.macro_f1, m.work_personal_f1
        ))
    );
    Ok(s)
}

fn variant(name: &str, alpha: f64, hashed: bool, dense_text: bool, embeddings: bool) -> Variant {
    Variant {
        name: name.to_string(),
        embeddings,
        hashed,
        dense_text,
        alpha,
    }
}

fn pairs_of(items: &[Item], oof: &Oof) -> (Vec<Sample>, Vec<[f64; N_LABELS]>) {
    items
        .iter()
        .zip(oof)
        .filter_map(|(it, z)| Some((it.sample.clone(), (*z)?)))
        .unzip()
}

fn p_of(z: &[f64; N_LABELS], t: f64) -> [f32; N_LABELS] {
    softmax(z.map(|v| v as f32), t as f32)
}

/// The smallest threshold whose false share (rows of other uses that reach it) is at most
/// [`MAX_ALARM_SHARE`] on held-out rows. `account` is the context feature of the account the
/// rule applies to: its prior is added to the logits, as the engine adds it.
fn alarm(
    items: &[Item],
    held_out: &Oof,
    transfer: &Oof,
    t: f64,
    target: usize,
    negatives: &[usize],
    account: &str,
) -> Alarm {
    let shift = CONTEXT_PRIORS
        .iter()
        .find(|(n, _)| *n == account)
        .map_or([0.0; N_LABELS], |(_, w)| w.map(|v| f64::from(v) * t));
    let share = |oof: &Oof, want: &dyn Fn(usize) -> bool, th: f64| {
        let v: Vec<bool> = items
            .iter()
            .zip(oof)
            .filter(|(it, z)| z.is_some() && want(it.y))
            .map(|(_, z)| {
                z.is_some_and(|z| {
                    let z = [z[0] + shift[0], z[1] + shift[1], z[2] + shift[2]];
                    f64::from(p_of(&z, t)[target]) >= th
                })
            })
            .collect();
        v.iter().filter(|b| **b).count() as f64 / v.len().max(1) as f64
    };
    let is_target = |y: usize| y == target;
    let is_neg = |y: usize| negatives.contains(&y);
    let table: Vec<(f64, f64, f64)> = ALARMS
        .iter()
        .map(|&th| {
            (
                th,
                share(held_out, &is_neg, th),
                share(held_out, &is_target, th),
            )
        })
        .collect();
    let threshold = table
        .iter()
        .find(|r| r.1 <= MAX_ALARM_SHARE)
        .map_or(1.0, |r| r.0);
    Alarm {
        threshold,
        hit_held_out: share(held_out, &is_target, threshold),
        hit_transfer: share(transfer, &is_target, threshold),
        false_held_out: share(held_out, &is_neg, threshold),
        false_transfer: share(transfer, &is_neg, threshold),
        table,
    }
}

/// The model file of a fitted embedding model: each word's embedding projected through the
/// learned weights (its three scores), the prior-corrected intercepts, and the documented
/// context priors for the context features the text-only data cannot teach. The blurred
/// thresholds beyond the margin and mix start off; the caller sets them.
#[allow(clippy::too_many_arguments)]
pub fn model_file(
    fitted: &pipeline::Fitted,
    emb: &Embeddings,
    seed: u64,
    data_sha: [u8; 32],
    rows: usize,
    temperature: f64,
    margin: f64,
    mix: (u8, u8),
) -> Result<UseModel, TrainError> {
    if fitted.emb_weights.len() != emb.dims || !fitted.cols.is_empty() {
        return Err(TrainError::Fit(
            "only a model on the word embeddings alone can be shipped".into(),
        ));
    }
    let mut words = Vec::with_capacity(emb.words.len());
    for (i, w) in emb.words.iter().enumerate() {
        let mut s = [0.0f64; N_LABELS];
        for (d, x) in emb.vector(i).iter().enumerate() {
            for k in 0..N_LABELS {
                s[k] += fitted.emb_weights[d][k] * f64::from(*x);
            }
        }
        words.push((w.clone(), s.map(|v| v as f32)));
    }
    // The priors are logit shifts of the calibrated probabilities; the model divides its
    // logits by the temperature, so they are stored times the temperature.
    let mut dense = [[0.0f32; N_LABELS]; N_DENSE];
    for (name, w) in CONTEXT_PRIORS {
        if let Some(d) = features::dense_index(name) {
            if CONTEXT_FEATURES.contains(&d) || name == "employer_named" {
                dense[d] = w.map(|v| v * temperature as f32);
            }
        }
    }
    Ok(UseModel::new(
        seed,
        data_sha,
        rows as u32,
        temperature as f32,
        margin as f32,
        mix,
        fitted.intercept.map(|v| v as f32),
        dense,
        Vec::new(),
        words,
    )?)
}

/// Run the whole training.
pub fn run(opts: &Options) -> Result<Outcome, TrainError> {
    let (rows, data_sha) = crate::load(&opts.data)?;
    let emb = Embeddings::load(&opts.embeddings)?;
    let tk = Tokenizer::new("en")?;
    let items = pipeline::items(&rows, &tk, &emb);
    let n_transfer = items.iter().filter(|i| i.transfer).count();
    if n_transfer == 0 {
        return Err(TrainError::Data(format!(
            "{}: no rows with \"split\": \"transfer\"; the transfer table needs them",
            opts.data
        )));
    }
    let n_train = items.len() - n_transfer;
    eprintln!("{} train rows, {n_transfer} transfer rows", n_train);

    // 1. The L2 strength of the embedding model, on the transfer table.
    let mut alpha_rows = Vec::new();
    for a in ALPHAS {
        let v = variant(
            &format!("word embeddings, alpha {a}"),
            a,
            false,
            false,
            true,
        );
        eprintln!("scoring {}", v.name);
        alpha_rows.push(scored(&items, &Candidate::Model(v), true, opts.seed)?);
    }
    // Transfer to sources of a kind the train rows lack is what predicts posts from unseen
    // sources: the strength with the highest transfer macro-F1.
    let best = (0..alpha_rows.len())
        .max_by(|&a, &b| {
            alpha_rows[a]
                .transfer_m
                .macro_f1
                .total_cmp(&alpha_rows[b].transfer_m.macro_f1)
                .then(b.cmp(&a))
        })
        .unwrap_or(0);
    let alpha = ALPHAS[best];
    let shipped = variant("shipped: word embeddings", alpha, false, false, true);

    // 2. Ablations at that strength.
    let mut ablation_rows = Vec::new();
    for v in [
        variant("shipped + dense text features", alpha, false, true, true),
        variant("shipped + hashed stem terms", alpha, true, false, true),
        variant(
            "v9 design: hashed terms + dense text features, no embeddings (alpha 0.5)",
            0.5,
            true,
            true,
            false,
        ),
    ] {
        if opts.quick && v.hashed {
            continue;
        }
        eprintln!("scoring {}", v.name);
        ablation_rows.push(scored(&items, &Candidate::Model(v), true, opts.seed)?);
    }
    eprintln!("scoring the plain reference");
    let reference = scored(&items, &Candidate::Reference, !opts.quick, opts.seed)?;
    let ship = Candidate::Model(shipped.clone());
    let s_row = &alpha_rows[best];
    let all = |_: &Item| true;
    let spread_transfer = metrics::bootstrap_diff(
        &items,
        &s_row.transfer,
        &reference.transfer,
        all,
        500,
        opts.seed,
    );
    let spread_lodo = match (&s_row.lodo, &reference.lodo) {
        (Some(a), Some(b)) => Some(metrics::bootstrap_diff(&items, a, b, all, 500, opts.seed)),
        _ => None,
    };

    // 3. Calibration and thresholds on held-out predictions of the train rows.
    let held_out = s_row.lodo.clone().unwrap_or_default();
    let (samples, logits) = pairs_of(&items, &held_out);
    let ys: Vec<usize> = samples.iter().map(|s| s.y).collect();
    let temperature = fit_temperature(&logits, &ys);
    let t = temperature.0;
    let margin_table: Vec<(f64, f64, f64)> = MARGINS
        .iter()
        .map(|&m| {
            let blur = |_: &Item, z: &[f64; N_LABELS]| metrics::gap(z, t) < m;
            let r = metrics::score(&items, &held_out, all, blur);
            (
                m,
                r.wrong_work_blurred as f64 / r.wrong_work_calls.max(1) as f64,
                r.right_blurred as f64 / r.right_calls.max(1) as f64,
            )
        })
        .collect();
    let margin = margin_table
        .iter()
        .find(|r| r.1 >= BLUR_CATCH)
        .or(margin_table.last())
        .map_or(0.3, |r| r.0);
    let mix = choose_mix(&mix_table(&samples, &logits, t, margin));
    let voice = choose_voice(&voice_table(&samples, &logits, t, margin, mix));
    let personal_alarm = alarm(
        &items,
        &held_out,
        &s_row.transfer,
        t,
        2,
        &[0],
        "account_official",
    );
    let organizational_alarm = alarm(
        &items,
        &held_out,
        &s_row.transfer,
        t,
        0,
        &[1, 2],
        "account_personal",
    );
    let blur_full = |it: &Item, z: &[f64; N_LABELS]| {
        let (w, f) = crate::sides_of(&it.sample);
        let (s, i) = crate::voice_of(&it.sample);
        metrics::gap(z, t) < margin
            || (mix.0 > 0 && w >= mix.0.into() && f >= mix.1.into())
            || (voice.0 > 0 && s >= voice.0.into() && i >= voice.1.into())
    };
    let transfer_blurred = metrics::score(&items, &s_row.transfer, all, blur_full);

    // 4. Grouped CV (secondary line).
    eprintln!("grouped CV");
    let g = pipeline::grouped_cv(&items, &ship, opts.seed)?;
    let grouped = metrics::score(&items, &g, all, |_, _| false);
    let grouped_ref = if opts.quick {
        None
    } else {
        let g = pipeline::grouped_cv(&items, &Candidate::Reference, opts.seed)?;
        Some(metrics::score(&items, &g, all, |_, _| false))
    };

    // 5. The final fit and the model file.
    let final_rows: Vec<usize> = (0..items.len())
        .filter(|&i| !opts.train_only || !items[i].transfer)
        .collect();
    let fitted = pipeline::fit(&items, &final_rows, &shipped)?;
    let mut model = model_file(
        &fitted,
        &emb,
        opts.seed,
        data_sha,
        final_rows.len(),
        t,
        margin,
        mix,
    )?;
    (model.voice_singular, model.voice_institutional) = voice;
    model.personal_alarm = personal_alarm.threshold as f32;
    model.organizational_alarm = organizational_alarm.threshold as f32;
    let model_bytes = model.to_bytes();
    let model = UseModel::from_bytes(&model_bytes)?;

    // 6. The hand-written drafts (regression tests, never a target).
    let text = std::fs::read_to_string(&opts.drafts)
        .map_err(|e| TrainError::Io(format!("{}: {e}", opts.drafts)))?;
    let draft_rows = parse_jsonl(&text)?;
    let drafts = judge_drafts(&draft_rows, &model, &tk);
    let draft_right = draft_counts(&drafts);
    let km = std::fs::read_to_string(&opts.known_misses).unwrap_or_default();
    let known_misses = parse_known_misses(&km)?;

    Ok(Outcome {
        opts_line: String::new(),
        data_sha,
        emb_sha: emb.sha256,
        emb_words: emb.words.len(),
        emb_dims: emb.dims,
        n_train,
        n_transfer,
        shipped,
        alpha_rows,
        ablation_rows,
        reference,
        shipped_scored_at: best,
        lodo_datasets: pipeline::lodo_datasets(&items),
        spread_transfer,
        spread_lodo,
        grouped,
        grouped_ref,
        temperature,
        margin,
        margin_table,
        mix,
        voice,
        personal_alarm,
        organizational_alarm,
        transfer_blurred,
        drafts,
        draft_right,
        known_misses,
        model,
        model_bytes,
        final_rows: final_rows.len(),
        train_only: opts.train_only,
    })
}
