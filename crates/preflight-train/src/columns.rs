//! The columns of a fit over the extractor's features: the most frequent hashed buckets of
//! the training rows and the unmasked dense features.

use std::collections::BTreeMap;

use preflight_core::classify::features::{DENSE_NAMES, N_DENSE, N_HASHED};

use crate::{dataset_of, Sample};

/// Which of the extractor's hashed and dense features a fit reads.
#[derive(Debug, Clone)]
pub struct Config {
    pub seed: u64,
    /// Keep hashed buckets seen in at least this many training rows...
    pub min_df: usize,
    /// ...and at most this many of them (most frequent first; 0: none).
    pub max_features: usize,
    /// Dense features left out of the fit (weight 0), by name.
    pub mask: Vec<String>,
    /// Keep a hashed bucket only if it occurs in training rows of at least this many
    /// datasets (the part of `source` before `:`).
    pub min_datasets: usize,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            seed: 20_261_126,
            min_df: 3,
            max_features: 6_000,
            mask: Vec::new(),
            min_datasets: 1,
        }
    }
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
    pub fn column(&self, feature: usize) -> Option<usize> {
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
