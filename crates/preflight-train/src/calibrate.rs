//! Temperature scaling of held-out logits (one temperature for the three uses).

use preflight_core::classify::model::N_LABELS;

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
