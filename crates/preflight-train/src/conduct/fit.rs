//! Fitting the abuse model: weighted logistic regression on sparse hashed terms by AdaGrad
//! with an L2 penalty (deterministic: fixed order per epoch from a seeded shuffle), magnitude
//! pruning to a weight budget, and Platt calibration on validation rows.
//!
//! Hand-written rather than linfa's logistic regression: linfa fits a dense design matrix,
//! and 2^16 hashed columns over ~23k rows do not fit one in memory; the sparse gradient is
//! a dozen lines.

use preflight_core::abuse::features::{term_value, Term, N_BUCKETS};

/// One row as the fitter sees it.
#[derive(Debug, Clone)]
pub struct Example {
    pub terms: Vec<Term>,
    /// 1.0 for hateful or offensive, 0.0 for clean.
    pub y: f32,
    /// Weight of the row in the loss (mean 1 over the fitted rows).
    pub weight: f32,
}

/// Hyper-parameters of one fit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hyper {
    pub l2: f32,
    pub epochs: usize,
    pub learning_rate: f32,
    pub seed: u64,
}

/// Fewest fitted rows a bucket must appear in for its weight to be kept.
pub const MIN_ROWS: u32 = 5;

/// Rows per bucket (document frequency) of `rows`.
pub fn row_counts(rows: &[Example]) -> Vec<u32> {
    let mut df = vec![0u32; N_BUCKETS];
    let mut seen: Vec<u32> = Vec::new();
    for r in rows {
        seen.clear();
        seen.extend(r.terms.iter().map(|t| t.bucket));
        seen.sort_unstable();
        seen.dedup();
        for &b in &seen {
            df[b as usize] += 1;
        }
    }
    df
}

/// A fitted linear model (full precision).
#[derive(Debug, Clone)]
pub struct Linear {
    pub intercept: f32,
    pub weights: Vec<f32>,
}

fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

/// xorshift64*: the shuffle's generator.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

impl Linear {
    /// The logit of a row's terms (the same sum inference computes, in full precision).
    pub fn logit(&self, terms: &[Term]) -> f32 {
        let v = term_value(terms.len());
        self.intercept
            + terms
                .iter()
                .map(|t| self.weights[t.bucket as usize])
                .sum::<f32>()
                * v
    }

    /// Keep the `keep` weights that matter most on the data: of the buckets seen in at least
    /// [`MIN_ROWS`] fitted rows (`df`: rows per bucket), the largest by `|w| × sqrt(df)`.
    /// AdaGrad gives a rare term a large weight quickly, so magnitude alone would keep the
    /// words of a handful of rows ("deputy" in two tweets) over the words of thousands.
    pub fn pruned(&self, keep: usize, df: &[u32]) -> Linear {
        let importance = |i: usize| self.weights[i].abs() * (df[i] as f32).sqrt();
        let mut idx: Vec<usize> = (0..self.weights.len())
            .filter(|&i| self.weights[i] != 0.0 && df[i] >= MIN_ROWS)
            .collect();
        idx.sort_by(|&a, &b| importance(b).total_cmp(&importance(a)).then(a.cmp(&b)));
        let mut weights = vec![0.0; self.weights.len()];
        for &i in idx.iter().take(keep) {
            weights[i] = self.weights[i];
        }
        Linear {
            intercept: self.intercept,
            weights,
        }
    }

    /// Non-zero weights as `(bucket, weight)`.
    pub fn sparse(&self) -> Vec<(u32, f32)> {
        self.weights
            .iter()
            .enumerate()
            .filter(|(_, w)| **w != 0.0)
            .map(|(i, w)| (i as u32, *w))
            .collect()
    }
}

/// Fit by AdaGrad on the weighted logistic loss with L2 penalty `l2` (per row).
pub fn fit(rows: &[Example], h: Hyper) -> Linear {
    let mut w = vec![0.0f32; N_BUCKETS];
    let mut g2 = vec![1e-8f32; N_BUCKETS];
    let (mut b, mut gb2) = (0.0f32, 1e-8f32);
    let mut order: Vec<usize> = (0..rows.len()).collect();
    let mut rng = Rng(h.seed | 1);
    for _ in 0..h.epochs {
        for i in (1..order.len()).rev() {
            let j = (rng.next() % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        for &r in &order {
            let row = &rows[r];
            let v = term_value(row.terms.len());
            let z = b + row.terms.iter().map(|t| w[t.bucket as usize]).sum::<f32>() * v;
            let g = (sigmoid(z) - row.y) * row.weight;
            gb2 += g * g;
            b -= h.learning_rate * g / gb2.sqrt();
            for t in &row.terms {
                let k = t.bucket as usize;
                let gk = g * v + h.l2 * w[k];
                g2[k] += gk * gk;
                w[k] -= h.learning_rate * gk / g2[k].sqrt();
            }
        }
    }
    Linear {
        intercept: b,
        weights: w,
    }
}

/// Platt scaling: `a`, `b` minimising the weighted log-loss of `sigmoid(a × logit + b)`
/// (Newton's method on the two parameters).
pub fn platt(logits: &[f32], ys: &[f32], weights: &[f32]) -> (f32, f32) {
    let (mut a, mut b) = (1.0f64, 0.0f64);
    for _ in 0..50 {
        let (mut ga, mut gb, mut haa, mut hab, mut hbb) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for ((&z, &y), &wt) in logits.iter().zip(ys).zip(weights) {
            let (z, y, wt) = (f64::from(z), f64::from(y), f64::from(wt));
            let p = 1.0 / (1.0 + (-(a * z + b)).exp());
            let d = (p - y) * wt;
            ga += d * z;
            gb += d;
            let s = p * (1.0 - p) * wt;
            haa += s * z * z;
            hab += s * z;
            hbb += s;
        }
        let (haa, hbb) = (haa + 1e-9, hbb + 1e-9);
        let det = haa * hbb - hab * hab;
        if det.abs() < 1e-12 {
            break;
        }
        let da = (hbb * ga - hab * gb) / det;
        let db = (haa * gb - hab * ga) / det;
        a -= da;
        b -= db;
        if da.abs() < 1e-7 && db.abs() < 1e-7 {
            break;
        }
    }
    (a as f32, b as f32)
}

/// Area under the ROC curve (ties count half), unweighted.
pub fn auc(scores: &[f32], ys: &[f32]) -> f64 {
    let mut idx: Vec<usize> = (0..scores.len()).collect();
    idx.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    let (mut rank_sum, mut npos) = (0.0f64, 0usize);
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && scores[idx[j + 1]] == scores[idx[i]] {
            j += 1;
        }
        let rank = (i + j) as f64 / 2.0 + 1.0;
        for &k in &idx[i..=j] {
            if ys[k] > 0.5 {
                rank_sum += rank;
                npos += 1;
            }
        }
        i = j + 1;
    }
    let nneg = scores.len() - npos;
    if npos == 0 || nneg == 0 {
        return f64::NAN;
    }
    (rank_sum - (npos * (npos + 1)) as f64 / 2.0) / (npos as f64 * nneg as f64)
}

/// Weighted mean log-loss of probabilities.
pub fn log_loss(ps: &[f32], ys: &[f32], weights: &[f32]) -> f64 {
    let mut sum = 0.0;
    let mut wsum = 0.0;
    for ((&p, &y), &w) in ps.iter().zip(ys).zip(weights) {
        let p = f64::from(p).clamp(1e-6, 1.0 - 1e-6);
        let y = f64::from(y);
        sum -= f64::from(w) * (y * p.ln() + (1.0 - y) * (1.0 - p).ln());
        wsum += f64::from(w);
    }
    sum / wsum.max(1e-12)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(buckets: &[u32], y: f32) -> Example {
        Example {
            terms: buckets
                .iter()
                .map(|&b| Term {
                    bucket: b,
                    token: 0,
                })
                .collect(),
            y,
            weight: 1.0,
        }
    }

    #[test]
    fn learns_a_separable_signal_and_prunes_the_rest() {
        let mut rows = Vec::new();
        for i in 0..200u32 {
            rows.push(row(&[1, 100 + i % 7], 1.0));
            rows.push(row(&[2, 100 + i % 7], 0.0));
        }
        let m = fit(
            &rows,
            Hyper {
                l2: 1e-5,
                epochs: 5,
                learning_rate: 0.2,
                seed: 3,
            },
        );
        assert!(
            m.weights[1] > 0.5 && m.weights[2] < -0.5,
            "{:?}",
            &m.weights[..3]
        );
        let df = row_counts(&rows);
        assert!(m.pruned(2, &vec![0; N_BUCKETS]).sparse().is_empty());
        let p = m.pruned(2, &df);
        assert_eq!(p.sparse().len(), 2);
        assert!(p.weights[1] != 0.0 && p.weights[2] != 0.0);
        let scores: Vec<f32> = rows.iter().map(|r| m.logit(&r.terms)).collect();
        let ys: Vec<f32> = rows.iter().map(|r| r.y).collect();
        assert!(auc(&scores, &ys) > 0.99);
    }

    #[test]
    fn platt_recovers_a_known_calibration() {
        // Labels drawn so that P(y=1 | z) = sigmoid(2z − 1), deterministically by quantile.
        let (mut zs, mut ys) = (Vec::new(), Vec::new());
        for i in 0..400 {
            let z = (i as f32 / 40.0) - 5.0;
            let p = sigmoid(2.0 * z - 1.0);
            for k in 0..20 {
                zs.push(z);
                ys.push(if (k as f32 + 0.5) / 20.0 < p {
                    1.0
                } else {
                    0.0
                });
            }
        }
        let w = vec![1.0; zs.len()];
        let (a, b) = platt(&zs, &ys, &w);
        assert!((a - 2.0).abs() < 0.15 && (b + 1.0).abs() < 0.15, "{a} {b}");
        assert!(auc(&[0.1, 0.2, 0.9], &[0.0, 1.0, 1.0]) == 1.0);
    }
}
