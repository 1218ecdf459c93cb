//! Scores of held-out predictions: macro-F1 and per-use F1, the work-vs-personal F1 the
//! disclaimer decision hangs on, accuracy per source, and how often calls are blurred;
//! a paired bootstrap for the spread of a difference between two models.

// Loops over the three uses index several arrays at once.
#![allow(clippy::needless_range_loop)]

use std::collections::BTreeMap;

use preflight_core::classify::model::{softmax, N_LABELS};

use crate::pipeline::{Item, Oof};

/// Personal is use 2; organizational and professional are the work side.
const PERSONAL: usize = 2;

/// Scores of one model on one set of rows.
#[derive(Debug, Clone, Default)]
pub struct Metrics {
    pub n: usize,
    pub accuracy: f64,
    pub macro_f1: f64,
    pub f1: [f64; N_LABELS],
    /// Macro-F1 of the binary decision work (organizational or professional) vs personal.
    pub work_personal_f1: f64,
    /// `source → (right, rows)`.
    pub per_source: BTreeMap<String, (usize, usize)>,
    /// `source → predicted counts`.
    pub predicted: BTreeMap<String, [usize; N_LABELS]>,
    /// Wrong organizational or professional calls, and how many of them were blurred.
    pub wrong_work_calls: usize,
    pub wrong_work_blurred: usize,
    /// Right calls, and how many of them were blurred.
    pub right_calls: usize,
    pub right_blurred: usize,
}

fn f1(tp: usize, fp: usize, fn_: usize) -> f64 {
    if tp == 0 {
        return 0.0;
    }
    2.0 * tp as f64 / (2 * tp + fp + fn_) as f64
}

/// Macro-F1 and per-use F1 of `(truth, predicted)` pairs.
pub fn f1s(pairs: &[(usize, usize)]) -> (f64, [f64; N_LABELS]) {
    let mut out = [0.0; N_LABELS];
    for (k, o) in out.iter_mut().enumerate() {
        let tp = pairs.iter().filter(|(t, p)| *t == k && *p == k).count();
        let fp = pairs.iter().filter(|(t, p)| *t != k && *p == k).count();
        let fn_ = pairs.iter().filter(|(t, p)| *t == k && *p != k).count();
        *o = f1(tp, fp, fn_);
    }
    (out.iter().sum::<f64>() / N_LABELS as f64, out)
}

/// Macro-F1 of work vs personal.
pub fn work_personal(pairs: &[(usize, usize)]) -> f64 {
    let bin: Vec<(usize, usize)> = pairs
        .iter()
        .map(|(t, p)| (usize::from(*t == PERSONAL), usize::from(*p == PERSONAL)))
        .collect();
    let mut s = 0.0;
    for k in 0..2 {
        let tp = bin.iter().filter(|(t, p)| *t == k && *p == k).count();
        let fp = bin.iter().filter(|(t, p)| *t != k && *p == k).count();
        let fn_ = bin.iter().filter(|(t, p)| *t == k && *p != k).count();
        s += f1(tp, fp, fn_);
    }
    s / 2.0
}

/// The predicted use of logits (first on ties).
pub fn argmax(z: &[f64; N_LABELS]) -> usize {
    let mut best = 0;
    for k in 1..N_LABELS {
        if z[k] > z[best] {
            best = k;
        }
    }
    best
}

/// The gap between the two most likely uses at temperature `t`.
pub fn gap(z: &[f64; N_LABELS], t: f64) -> f64 {
    let mut p = softmax(z.map(|v| v as f32), t as f32);
    p.sort_by(|a, b| b.total_cmp(a));
    f64::from(p[0] - p[1])
}

/// Score the rows of `oof` that pass `keep`; `blurred` says whether a row's call is blurred.
pub fn score(
    items: &[Item],
    oof: &Oof,
    keep: impl Fn(&Item) -> bool,
    blurred: impl Fn(&Item, &[f64; N_LABELS]) -> bool,
) -> Metrics {
    let mut m = Metrics::default();
    let mut pairs = Vec::new();
    for (it, z) in items.iter().zip(oof) {
        let Some(z) = z else { continue };
        if !keep(it) {
            continue;
        }
        let p = argmax(z);
        pairs.push((it.y, p));
        let e = m.per_source.entry(it.source.clone()).or_default();
        e.1 += 1;
        m.predicted.entry(it.source.clone()).or_default()[p] += 1;
        let b = blurred(it, z);
        if p == it.y {
            e.0 += 1;
            m.right_calls += 1;
            m.right_blurred += usize::from(b);
        } else if p != PERSONAL {
            m.wrong_work_calls += 1;
            m.wrong_work_blurred += usize::from(b);
        }
    }
    m.n = pairs.len();
    m.accuracy = pairs.iter().filter(|(t, p)| t == p).count() as f64 / m.n.max(1) as f64;
    (m.macro_f1, m.f1) = f1s(&pairs);
    m.work_personal_f1 = work_personal(&pairs);
    m
}

/// Paired bootstrap of `a − b` (macro-F1, work-vs-personal F1) over the rows both score
/// and `keep` passes: the 5th and 95th percentiles of `rounds` resamples (seeded).
pub fn bootstrap_diff(
    items: &[Item],
    a: &Oof,
    b: &Oof,
    keep: impl Fn(&Item) -> bool,
    rounds: usize,
    seed: u64,
) -> ([f64; 2], [f64; 2]) {
    let rows: Vec<(usize, usize, usize)> = items
        .iter()
        .zip(a.iter().zip(b))
        .filter(|(it, _)| keep(it))
        .filter_map(|(it, (x, y))| Some((it.y, argmax(x.as_ref()?), argmax(y.as_ref()?))))
        .collect();
    let mut state = seed | 1;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut macro_d = Vec::with_capacity(rounds);
    let mut wp_d = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let (mut pa, mut pb) = (
            Vec::with_capacity(rows.len()),
            Vec::with_capacity(rows.len()),
        );
        for _ in 0..rows.len() {
            let r = rows[(next() % rows.len().max(1) as u64) as usize];
            pa.push((r.0, r.1));
            pb.push((r.0, r.2));
        }
        macro_d.push(f1s(&pa).0 - f1s(&pb).0);
        wp_d.push(work_personal(&pa) - work_personal(&pb));
    }
    let pct = |v: &mut Vec<f64>| {
        v.sort_by(|x, y| x.total_cmp(y));
        let at = |q: f64| {
            v.get(((v.len() as f64 - 1.0) * q).round() as usize)
                .copied()
                .unwrap_or(0.0)
        };
        [at(0.05), at(0.95)]
    };
    (pct(&mut macro_d), pct(&mut wp_d))
}
