//! The blurred verdict's two count criteria (mixed evidence: work and family words; mixed
//! voice: "I" and the institutional "our"), with thresholds chosen on held-out predictions.

use preflight_core::classify::features::{self, N_HASHED};
use preflight_core::classify::model::{softmax, N_LABELS};
use preflight_core::classify::{self as cl};

use crate::Sample;

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

#[cfg(test)]
mod tests {
    use super::*;

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
