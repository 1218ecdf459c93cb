//! The deterministic split of labelled conduct rows, shared by the trainer
//! (`preflight-train conduct`) and the judge (`preflight-judge --conduct`): decided by a hash
//! of the text alone, before any row is looked at, so the held-out rows of every source are
//! the same 20 % for every run and every tool.

/// Where a row goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Split {
    /// Never trained or tuned on: the figures of `docs/JUDGEMENT.md` and the report.
    HeldOut,
    /// Tuning: hyper-parameters, calibration and the bundle's thresholds.
    Validation,
    /// Fitting the weights.
    Fit,
}

/// Share of each source held out, and share of the rest kept for validation.
pub const HELD_OUT_SHARE: f64 = 0.2;
pub const VALIDATION_SHARE: f64 = 0.2;

fn unit(salt: &str, text: &str) -> f64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in salt.bytes().chain(text.trim().bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    // Fold the high bits in, then map to [0, 1).
    let h = h ^ (h >> 29) ^ (h >> 47);
    (h >> 11) as f64 / (1u64 << 53) as f64
}

/// The split of one row, by its text (FNV-1a of a salt and the trimmed text).
pub fn split_of(text: &str) -> Split {
    if unit("preflight-conduct-heldout-v1:", text) < HELD_OUT_SHARE {
        Split::HeldOut
    } else if unit("preflight-conduct-validation-v1:", text) < VALIDATION_SHARE {
        Split::Validation
    } else {
        Split::Fit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_are_near_their_targets_and_stable() {
        let mut n = [0usize; 3];
        for i in 0..20_000 {
            let s = split_of(&format!("draft number {i} about something"));
            n[s as usize] += 1;
        }
        let held = n[0] as f64 / 20_000.0;
        let val = n[1] as f64 / (n[1] + n[2]) as f64;
        assert!((held - 0.2).abs() < 0.015, "{held}");
        assert!((val - 0.2).abs() < 0.015, "{val}");
        assert_eq!(split_of("  same text "), split_of("same text"));
    }
}
