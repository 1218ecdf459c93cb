//! The abuse model file (`model/abuse-model.bin`): a calibrated linear model over the terms
//! of [`super::features`].
//!
//! Layout (little-endian), format 1:
//!
//! | field | type |
//! |---|---|
//! | magic | `b"PFABUSE1"` |
//! | format | `u16` = 1 |
//! | feature-extractor version | `u32` ([`FEATURE_VERSION`]) |
//! | hashing bits | `u8` ([`HASH_BITS`]) |
//! | extractor options | `u8` ([`Options::to_bits`]) |
//! | SHA-256 of the training data | `[u8; 32]` |
//! | training rows | `u32` |
//! | intercept | `f32` |
//! | weight scale | `f32` (a weight is `q × scale`, `q` in −127..=127) |
//! | calibration | `f32` a, `f32` b: the score is `sigmoid(a × logit + b)` (Platt) |
//! | weights | `u32` count, then each bucket as the LEB128 gap from the previous one (the first from 0; strictly increasing) + `i8` |
//!
//! Only the buckets the trainer kept are stored. At load they fill a small open-addressing
//! table (twice as many slots as weights, a power of two), so scoring a term is a hash and,
//! nearly always, one probe.

use super::features::{self, Options, Term, FEATURE_VERSION, HASH_BITS, N_BUCKETS};
use crate::binfile::{put_leb128, Reader};
use crate::{Error, Token};

const MAGIC: &[u8; 8] = b"PFABUSE1";
const FORMAT: u16 = 1;

/// A trained abuse model, ready for inference.
#[derive(Clone, PartialEq)]
pub struct AbuseModel {
    pub options: Options,
    pub data_sha256: [u8; 32],
    pub n_train: u32,
    pub intercept: f32,
    pub scale: f32,
    /// Platt calibration: `sigmoid(platt.0 × logit + platt.1)`.
    pub platt: (f32, f32),
    /// `(bucket, quantised weight)`, buckets strictly increasing, no zero weight.
    pub sparse: Vec<(u32, i8)>,
    /// Bucket → quantised weight (built from `sparse`).
    table: Table,
}

/// Open-addressing map from bucket to weight, linear probing; an empty slot holds
/// [`Table::EMPTY`] (no bucket is that large).
#[derive(Clone, PartialEq)]
struct Table {
    keys: Vec<u32>,
    values: Vec<i8>,
    mask: usize,
}

impl Table {
    const EMPTY: u32 = u32::MAX;

    fn new(sparse: &[(u32, i8)]) -> Self {
        let slots = (sparse.len() * 2).next_power_of_two().max(2);
        let mut t = Table {
            keys: vec![Self::EMPTY; slots],
            values: vec![0; slots],
            mask: slots - 1,
        };
        for &(b, q) in sparse {
            let mut i = Self::slot(b, t.mask);
            while t.keys[i] != Self::EMPTY {
                i = (i + 1) & t.mask;
            }
            t.keys[i] = b;
            t.values[i] = q;
        }
        t
    }

    fn slot(bucket: u32, mask: usize) -> usize {
        (bucket.wrapping_mul(0x9e37_79b9) >> 7) as usize & mask
    }

    fn get(&self, bucket: u32) -> i8 {
        let mut i = Self::slot(bucket, self.mask);
        loop {
            match self.keys[i] {
                k if k == bucket => return self.values[i],
                Self::EMPTY => return 0,
                _ => i = (i + 1) & self.mask,
            }
        }
    }
}

impl std::fmt::Debug for AbuseModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AbuseModel")
            .field("options", &self.options)
            .field("n_train", &self.n_train)
            .field("weights", &self.sparse.len())
            .finish()
    }
}

/// The score of a draft and, on request, what raised it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Score {
    /// Calibrated probability that people would call the draft hateful or offensive.
    pub probability: f32,
    /// The uncalibrated logit.
    pub logit: f32,
}

fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

impl AbuseModel {
    /// A model from trained parts (used by the trainer): the weights (bucket, weight) are
    /// quantised to int8 here, exactly as they will be stored; weights that round to 0 are
    /// dropped.
    pub fn new(
        options: Options,
        data_sha256: [u8; 32],
        n_train: u32,
        intercept: f32,
        platt: (f32, f32),
        weights: &[(u32, f32)],
    ) -> Result<Self, Error> {
        let max = weights.iter().map(|(_, w)| w.abs()).fold(0.0f32, f32::max);
        let scale = if max > 0.0 { max / 127.0 } else { 1.0 };
        let mut sparse: Vec<(u32, i8)> = weights
            .iter()
            .map(|&(b, w)| (b, (w / scale).round().clamp(-127.0, 127.0) as i8))
            .filter(|(_, q)| *q != 0)
            .collect();
        sparse.sort_unstable_by_key(|s| s.0);
        if sparse.windows(2).any(|w| w[0].0 == w[1].0) {
            return Err(Error::Model("a bucket is given twice".into()));
        }
        Self::assemble(
            options,
            data_sha256,
            n_train,
            intercept,
            scale,
            platt,
            sparse,
        )
    }

    fn assemble(
        options: Options,
        data_sha256: [u8; 32],
        n_train: u32,
        intercept: f32,
        scale: f32,
        platt: (f32, f32),
        sparse: Vec<(u32, i8)>,
    ) -> Result<Self, Error> {
        if let Some(&(b, _)) = sparse.iter().find(|(b, _)| *b as usize >= N_BUCKETS) {
            return Err(Error::Model(format!("bucket {b} is out of range")));
        }
        let table = Table::new(&sparse);
        Ok(Self {
            options,
            data_sha256,
            n_train,
            intercept,
            scale,
            platt,
            sparse,
            table,
        })
    }

    /// Read a model file.
    pub fn from_bytes(b: &[u8]) -> Result<Self, Error> {
        let mut r = Reader::new(b, "abuse model");
        if r.take(8)? != MAGIC {
            return Err(Error::Model("not an abuse model file (bad magic)".into()));
        }
        let format = u16::from_le_bytes(r.arr()?);
        if format != FORMAT {
            return Err(Error::Model(format!(
                "abuse model format {format}: this build reads format {FORMAT}"
            )));
        }
        let version = r.u32()?;
        if version != FEATURE_VERSION {
            return Err(Error::Model(format!(
                "abuse model trained with feature extractor v{version}, this build has v{FEATURE_VERSION}"
            )));
        }
        let bits = r.u8()?;
        if bits != HASH_BITS {
            return Err(Error::Model(format!(
                "abuse model hashes into 2^{bits} buckets, this build into 2^{HASH_BITS}"
            )));
        }
        let flags = r.u8()?;
        let options = Options::from_bits(flags)
            .ok_or_else(|| Error::Model(format!("unknown extractor options {flags:#04x}")))?;
        let data_sha256 = r.arr::<32>()?;
        let n_train = r.u32()?;
        let intercept = r.f32()?;
        let scale = r.f32()?;
        let platt = (r.f32()?, r.f32()?);
        let count = r.u32()? as usize;
        if count > N_BUCKETS {
            return Err(Error::Model(format!(
                "{count} weights for {N_BUCKETS} buckets"
            )));
        }
        let mut sparse = Vec::with_capacity(count);
        let mut bucket: u32 = 0;
        for k in 0..count {
            let gap = r.leb128()?;
            if k > 0 && gap == 0 {
                return Err(Error::Model("buckets are not strictly increasing".into()));
            }
            bucket = bucket
                .checked_add(gap)
                .ok_or_else(|| Error::Model("bucket overflows".into()))?;
            sparse.push((bucket, r.u8()? as i8));
        }
        if r.pos != b.len() {
            return Err(Error::Model(format!(
                "{} trailing bytes after the abuse model",
                b.len() - r.pos
            )));
        }
        Self::assemble(
            options,
            data_sha256,
            n_train,
            intercept,
            scale,
            platt,
            sparse,
        )
    }

    /// The model file's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(80 + self.sparse.len() * 3);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT.to_le_bytes());
        out.extend_from_slice(&FEATURE_VERSION.to_le_bytes());
        out.push(HASH_BITS);
        out.push(self.options.to_bits());
        out.extend_from_slice(&self.data_sha256);
        out.extend_from_slice(&self.n_train.to_le_bytes());
        for v in [self.intercept, self.scale, self.platt.0, self.platt.1] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&(self.sparse.len() as u32).to_le_bytes());
        let mut prev = 0u32;
        for &(b, q) in &self.sparse {
            put_leb128(&mut out, b - prev);
            out.push(q as u8);
            prev = b;
        }
        out
    }

    /// The weight of one bucket as stored (dequantised).
    pub fn weight(&self, bucket: u32) -> f32 {
        f32::from(self.table.get(bucket)) * self.scale
    }

    /// The uncalibrated logit of a list of terms.
    pub fn logit_of(&self, terms: &[Term]) -> f32 {
        let sum: i32 = terms
            .iter()
            .map(|t| i32::from(self.table.get(t.bucket)))
            .sum();
        self.intercept + sum as f32 * self.scale * features::term_value(terms.len())
    }

    /// The calibrated probability of a logit.
    pub fn calibrate(&self, logit: f32) -> f32 {
        sigmoid(self.platt.0 * logit + self.platt.1)
    }

    /// Score a draft's tokens.
    pub fn score(&self, tokens: &[Token<'_>]) -> Score {
        self.score_masked(tokens, 0..0)
    }

    /// Score a draft's tokens without those inside the byte range `mask` (an ambiguous
    /// term's own words, so that the rest of the draft decides).
    pub fn score_masked(&self, tokens: &[Token<'_>], mask: std::ops::Range<usize>) -> Score {
        let mut terms = Vec::with_capacity(tokens.len().min(features::MAX_TOKENS) * 3);
        features::extract_masked(tokens, self.options, mask, &mut terms);
        let logit = self.logit_of(&terms);
        Score {
            probability: self.calibrate(logit),
            logit,
        }
    }

    /// The tokens that raised the score most: up to `n` token indices with the largest
    /// positive contribution (each term counts for its token; a pair for its first word), at
    /// least a quarter of the strongest one's, strongest first.
    pub fn strongest_tokens(&self, tokens: &[Token<'_>], n: usize) -> Vec<usize> {
        let mut terms = Vec::new();
        features::extract(tokens, self.options, &mut terms);
        let mut by_token = vec![0.0f32; tokens.len().min(features::MAX_TOKENS)];
        for t in &terms {
            if let Some(slot) = by_token.get_mut(t.token as usize) {
                *slot += self.weight(t.bucket);
            }
        }
        // Repeated selection of the largest (a draft has at most MAX_TOKENS tokens, and a
        // sort would add its code to the WebAssembly module for three picks).
        let mut picked = Vec::with_capacity(n);
        let mut top = None;
        while picked.len() < n {
            let best = by_token
                .iter()
                .enumerate()
                .filter(|(k, v)| **v > 0.0 && !picked.contains(k))
                .fold(None, |m: Option<(usize, f32)>, (k, &v)| match m {
                    Some((_, mv)) if mv >= v => m,
                    _ => Some((k, v)),
                });
            let Some((k, v)) = best else { break };
            let top = *top.get_or_insert(v);
            if v < top / 4.0 {
                break;
            }
            picked.push(k);
        }
        picked
    }
}
