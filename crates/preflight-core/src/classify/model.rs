//! The model file (`model/use-model.bin`) and the dot-product inference over it.
//!
//! Layout (little-endian), format 4:
//!
//! | field | type |
//! |---|---|
//! | magic | `b"PFUSEMDL"` |
//! | format | `u16` = 3 |
//! | feature-extractor version | `u32` ([`super::features::FEATURE_VERSION`]) |
//! | hashing bits | `u8` ([`super::features::HASH_BITS`]) |
//! | labels | `u8` count, then each `u8` length + UTF-8 (`organizational`, `professional`, `personal`) |
//! | seed | `u64` |
//! | SHA-256 of the training data | `[u8; 32]` |
//! | training rows | `u32` |
//! | temperature | `f32` (calibration: probabilities are `softmax(logits / T)`) |
//! | blurred margin | `f32` (top-two probability gap below which the use is blurred) |
//! | mixed-evidence thresholds | `u8` work-side words, `u8` family-side words (0: criterion off; see [`super::predict`]) |
//! | mixed-voice thresholds | `u8` first-person-singular words, `u8` institutional-voice phrases (0: criterion off; see [`super::predict`]) |
//! | context alarms | `f32` personal, `f32` organizational: the text-probability thresholds of the wrong-account warning and the own-account advice (see [`UseModel::personal_alarm`]) |
//! | intercepts | 3 × `f32` |
//! | dense features | `u16` count, then each `u8` length + name, 3 × `f32` weights |
//! | hashed-weight scales | 3 × `f32`, one per use |
//! | hashed features | `u32` count, then each bucket as the LEB128 gap from the previous one (the first from 0; strictly increasing) + 3 × `i8` |
//! | word-score scales | 3 × `f32`, one per use |
//! | word scores | `u32` count, then each word as `u8` length + UTF-8 (strictly increasing) + 3 × `i8` |
//!
//! A word score is a word's static embedding (distilled from a sentence model by the
//! trainer) projected through the learned weights: the logits add the mean score of the
//! draft's words found in the table, which is the learned weights applied to the mean
//! embedding, without shipping the embeddings.
//!
//! Only buckets the trainer kept are stored (sparse), so the file stays small. A hashed
//! weight is `q × scale[use]` with `q` in −127..=127 (symmetric per-use int8 quantisation:
//! `scale = max |w| / 127`); the trainer rounds its weights exactly as stored, so what the
//! report measures and what ships are the same numbers.

use super::features::{embedding_key, Features, DENSE_NAMES, FEATURE_VERSION, HASH_BITS, N_DENSE};
use super::word_table::WordTable;
use crate::binfile::{put_leb128, Reader};
use crate::{Error, Token, Use};
use preflight_bundle::show_f32;

const MAGIC: &[u8; 8] = b"PFUSEMDL";
const FORMAT: u16 = 4;

/// Number of uses.
pub const N_LABELS: usize = 3;

/// A trained use model, ready for inference.
#[derive(Debug, Clone, PartialEq)]
pub struct UseModel {
    pub feature_version: u32,
    pub hash_bits: u8,
    pub seed: u64,
    pub data_sha256: [u8; 32],
    pub n_train: u32,
    pub temperature: f32,
    pub blur_margin: f32,
    /// Mixed-evidence criterion: at least this many work-side words... (0: off)
    pub mix_work: u8,
    /// ...and at least this many family and leisure words make a draft `blurred`.
    pub mix_family: u8,
    /// Mixed-voice criterion: at least this many first-person-singular words... (0: off)
    pub voice_singular: u8,
    /// ...and at least this many institutional-voice phrases ("our" + a work-side word)
    /// make a draft `blurred`.
    pub voice_institutional: u8,
    /// Wrong-account warning: on an official account, a draft whose text alone reads
    /// personal with at least this probability (chosen by the trainer on held-out
    /// predictions, see `model/REPORT.md`).
    pub personal_alarm: f32,
    /// Own-account advice: on a personal account, a draft whose text alone reads
    /// organizational with at least this probability.
    pub organizational_alarm: f32,
    pub intercept: [f32; N_LABELS],
    /// One row per dense feature, in [`DENSE_NAMES`] order.
    pub dense: [[f32; N_LABELS]; N_DENSE],
    /// Per-use scale of the quantised hashed weights.
    pub scale: [f32; N_LABELS],
    /// `(bucket, quantised weights)`, buckets strictly increasing.
    pub sparse: Vec<(u32, [i8; N_LABELS])>,
    /// Bucket → quantised weights, `2^hash_bits` rows (built from `sparse`).
    table: Vec<[i8; N_LABELS]>,
    /// Per-use scale of the quantised word scores.
    pub word_scale: [f32; N_LABELS],
    /// Words (strictly increasing) and their quantised scores.
    pub words: WordTable,
}

/// Symmetric per-use int8 quantisation of hashed weights: the scales, and each weight as `q`.
pub fn quantize(
    sparse: &[(u32, [f32; N_LABELS])],
) -> ([f32; N_LABELS], Vec<(u32, [i8; N_LABELS])>) {
    let mut scale = [0.0f32; N_LABELS];
    for (_, w) in sparse {
        for k in 0..N_LABELS {
            scale[k] = scale[k].max(w[k].abs() / 127.0);
        }
    }
    let q = sparse
        .iter()
        .map(|(b, w)| {
            let mut q = [0i8; N_LABELS];
            for k in 0..N_LABELS {
                if scale[k] > 0.0 {
                    q[k] = (w[k] / scale[k]).round().clamp(-127.0, 127.0) as i8;
                }
            }
            (*b, q)
        })
        .collect();
    (scale, q)
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    out.push(s.len() as u8);
    out.extend_from_slice(s.as_bytes());
}

impl UseModel {
    /// A model from trained parts (used by the trainer). Weights of hashed buckets are
    /// quantised to int8 here ([`quantize`]), exactly as they will be stored; buckets whose
    /// three weights all round to 0 are dropped. The mixed-voice thresholds start off (0);
    /// the trainer sets `voice_singular` and `voice_institutional`.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        seed: u64,
        data_sha256: [u8; 32],
        n_train: u32,
        temperature: f32,
        blur_margin: f32,
        mix: (u8, u8),
        intercept: [f32; N_LABELS],
        dense: [[f32; N_LABELS]; N_DENSE],
        mut sparse: Vec<(u32, [f32; N_LABELS])>,
        mut words: Vec<(String, [f32; N_LABELS])>,
    ) -> Result<Self, Error> {
        sparse.sort_by_key(|s| s.0);
        let (scale, mut sparse) = quantize(&sparse);
        sparse.retain(|(_, q)| q.iter().any(|v| *v != 0));
        words.sort_by(|a, b| a.0.cmp(&b.0));
        let (word_scale, qw) = quantize(
            &words
                .iter()
                .enumerate()
                .map(|(i, (_, w))| (i as u32, *w))
                .collect::<Vec<_>>(),
        );
        let mut table =
            WordTable::with_capacity(words.len(), words.iter().map(|w| w.0.len()).sum());
        for ((_, q), (w, _)) in qw.into_iter().zip(&words) {
            table.push(w, q)?;
        }
        table.finish();
        let words = table;
        let mut m = Self {
            feature_version: FEATURE_VERSION,
            hash_bits: HASH_BITS,
            seed,
            data_sha256,
            n_train,
            temperature,
            blur_margin,
            mix_work: mix.0,
            mix_family: mix.1,
            voice_singular: 0,
            voice_institutional: 0,
            personal_alarm: 1.0,
            organizational_alarm: 1.0,
            intercept,
            dense,
            scale,
            sparse,
            table: Vec::new(),
            word_scale,
            words,
        };
        m.build_table()?;
        Ok(m)
    }

    fn build_table(&mut self) -> Result<(), Error> {
        if self.feature_version != FEATURE_VERSION || self.hash_bits != HASH_BITS {
            return Err(Error::Model(format!(
                "model was trained with feature extractor v{} / {} hash bits; this build has v{FEATURE_VERSION} / {HASH_BITS}",
                self.feature_version, self.hash_bits
            )));
        }
        if !(self.temperature > 0.0 && self.temperature.is_finite()) {
            return Err(Error::Model(format!(
                "temperature must be positive, got {}",
                show_f32(self.temperature)
            )));
        }
        if self.scale.iter().any(|s| !(s.is_finite() && *s >= 0.0)) {
            return Err(Error::Model(format!(
                "bad weight scales {:?}",
                self.scale.map(show_f32)
            )));
        }
        let n = 1usize << self.hash_bits;
        // No hashed weight (the shipped model): no table to fill; every bucket reads 0.
        let mut table = if self.sparse.is_empty() {
            Vec::new()
        } else {
            vec![[0i8; N_LABELS]; n]
        };
        let mut last: Option<u32> = None;
        for &(b, w) in &self.sparse {
            if b as usize >= n || last.is_some_and(|l| l >= b) {
                return Err(Error::Model(format!(
                    "hashed feature {b} out of range or out of order"
                )));
            }
            last = Some(b);
            table[b as usize] = w;
        }
        self.table = table;
        if self
            .word_scale
            .iter()
            .any(|s| !(s.is_finite() && *s >= 0.0))
        {
            return Err(Error::Model(format!(
                "bad word-score scales {:?}",
                self.word_scale.map(show_f32)
            )));
        }
        for a in [self.personal_alarm, self.organizational_alarm] {
            if !(0.0..=1.0).contains(&a) {
                return Err(Error::Model(format!(
                    "alarm threshold {} is not a probability",
                    show_f32(a)
                )));
            }
        }
        Ok(())
    }

    /// Parse a model file.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        let mut r = Reader::new(bytes, "use model");
        if &r.arr::<8>()? != MAGIC {
            return Err(Error::Model("not a preflight use model (bad magic)".into()));
        }
        let format = r.u16()?;
        if format != FORMAT {
            return Err(Error::Model(format!(
                "unsupported model format {format} (expected {FORMAT})"
            )));
        }
        let feature_version = r.u32()?;
        let hash_bits = r.u8()?;
        if hash_bits > 24 {
            return Err(Error::Model(format!("hash bits {hash_bits} too large")));
        }
        let n_labels = r.u8()? as usize;
        if n_labels != N_LABELS {
            return Err(Error::Model(format!(
                "expected {N_LABELS} labels, found {n_labels}"
            )));
        }
        for u in Use::ALL {
            let s = r.str()?;
            if s != u.as_str() {
                return Err(Error::Model(format!(
                    "label {s:?} where {:?} was expected",
                    u.as_str()
                )));
            }
        }
        let seed = r.u64()?;
        let data_sha256 = r.arr::<32>()?;
        let n_train = r.u32()?;
        let temperature = r.f32()?;
        let blur_margin = r.f32()?;
        let (mix_work, mix_family) = (r.u8()?, r.u8()?);
        let (voice_singular, voice_institutional) = (r.u8()?, r.u8()?);
        let (personal_alarm, organizational_alarm) = (r.f32()?, r.f32()?);
        let intercept = [r.f32()?, r.f32()?, r.f32()?];
        let n_dense = r.u16()? as usize;
        if n_dense != N_DENSE {
            return Err(Error::Model(format!(
                "model has {n_dense} named features, extractor has {N_DENSE}"
            )));
        }
        let mut dense = [[0.0f32; N_LABELS]; N_DENSE];
        for (i, row) in dense.iter_mut().enumerate() {
            let name = r.str()?;
            if name != DENSE_NAMES[i] {
                return Err(Error::Model(format!(
                    "named feature {i} is {name:?}, expected {:?}",
                    DENSE_NAMES[i]
                )));
            }
            *row = [r.f32()?, r.f32()?, r.f32()?];
        }
        let scale = [r.f32()?, r.f32()?, r.f32()?];
        let n_sparse = r.u32()? as usize;
        if n_sparse > (1usize << hash_bits) {
            return Err(Error::Model(format!(
                "{n_sparse} hashed features exceed the hashing space"
            )));
        }
        let mut sparse = Vec::with_capacity(n_sparse);
        let mut b: u32 = 0;
        for i in 0..n_sparse {
            let gap = r.leb128()?;
            if i > 0 && gap == 0 {
                return Err(Error::Model("hashed features out of order".into()));
            }
            b = b
                .checked_add(gap)
                .ok_or_else(|| Error::Model("bucket overflows".into()))?;
            sparse.push((b, [r.i8()?, r.i8()?, r.i8()?]));
        }
        let word_scale = [r.f32()?, r.f32()?, r.f32()?];
        let n_words = r.u32()? as usize;
        let (words, used) = WordTable::parse(&bytes[r.pos..], n_words, r.pos)?;
        r.pos += used;
        if r.pos != bytes.len() {
            return Err(Error::Model(format!(
                "{} trailing bytes",
                bytes.len() - r.pos
            )));
        }
        let mut m = Self {
            feature_version,
            hash_bits,
            seed,
            data_sha256,
            n_train,
            temperature,
            blur_margin,
            mix_work,
            mix_family,
            voice_singular,
            voice_institutional,
            personal_alarm,
            organizational_alarm,
            intercept,
            dense,
            scale,
            sparse,
            table: Vec::new(),
            word_scale,
            words,
        };
        m.build_table()?;
        Ok(m)
    }

    /// Serialise (deterministic: the same model gives the same bytes).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(128 + N_DENSE * 40 + self.sparse.len() * 5);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT.to_le_bytes());
        out.extend_from_slice(&self.feature_version.to_le_bytes());
        out.push(self.hash_bits);
        out.push(N_LABELS as u8);
        for u in Use::ALL {
            put_str(&mut out, u.as_str());
        }
        out.extend_from_slice(&self.seed.to_le_bytes());
        out.extend_from_slice(&self.data_sha256);
        out.extend_from_slice(&self.n_train.to_le_bytes());
        out.extend_from_slice(&self.temperature.to_le_bytes());
        out.extend_from_slice(&self.blur_margin.to_le_bytes());
        out.push(self.mix_work);
        out.push(self.mix_family);
        out.push(self.voice_singular);
        out.push(self.voice_institutional);
        out.extend_from_slice(&self.personal_alarm.to_le_bytes());
        out.extend_from_slice(&self.organizational_alarm.to_le_bytes());
        for w in self.intercept {
            out.extend_from_slice(&w.to_le_bytes());
        }
        out.extend_from_slice(&(N_DENSE as u16).to_le_bytes());
        for (name, row) in DENSE_NAMES.iter().zip(&self.dense) {
            put_str(&mut out, name);
            for w in row {
                out.extend_from_slice(&w.to_le_bytes());
            }
        }
        for s in self.scale {
            out.extend_from_slice(&s.to_le_bytes());
        }
        out.extend_from_slice(&(self.sparse.len() as u32).to_le_bytes());
        let mut last = 0u32;
        for (b, row) in &self.sparse {
            put_leb128(&mut out, b - last);
            last = *b;
            out.extend(row.iter().map(|q| *q as u8));
        }
        for s in self.word_scale {
            out.extend_from_slice(&s.to_le_bytes());
        }
        out.extend_from_slice(&(self.words.len() as u32).to_le_bytes());
        for (w, row) in self.words.iter() {
            put_str(&mut out, w);
            out.extend(row.iter().map(|q| *q as u8));
        }
        out
    }

    /// Scores of one word (dequantised), if the table has it.
    pub fn word_scores(&self, norm: &str) -> Option<[f32; N_LABELS]> {
        Some(self.word_scores_at(self.words.get(embedding_key(norm))?))
    }

    /// Scores of word `i` of the table (dequantised).
    pub fn word_scores_at(&self, i: usize) -> [f32; N_LABELS] {
        let q = self.words.scores(i);
        [
            f32::from(q[0]) * self.word_scale[0],
            f32::from(q[1]) * self.word_scale[1],
            f32::from(q[2]) * self.word_scale[2],
        ]
    }

    /// The draft's words the table has, in reading order: `(token index, word index)`,
    /// appended to `out` (each word looked up once per draft).
    pub fn found_words(&self, f: &Features, tokens: &[Token<'_>], out: &mut Vec<(u32, u32)>) {
        for &i in &f.words {
            let Some(t) = tokens.get(i as usize) else {
                continue;
            };
            if let Some(j) = self.words.get(embedding_key(&t.norm)) {
                // A table index fits in u32 (the table's offsets do).
                out.push((i, j as u32));
            }
        }
    }

    /// The mean word score of a draft's words found in the table (zeros when none is), and
    /// how many were found.
    pub fn mean_word_scores(&self, f: &Features, tokens: &[Token<'_>]) -> ([f32; N_LABELS], usize) {
        let mut found = Vec::new();
        self.found_words(f, tokens, &mut found);
        (self.mean_of_found(&found), found.len())
    }

    /// The mean score of the words [`Self::found_words`] found (zeros when none).
    fn mean_of_found(&self, found: &[(u32, u32)]) -> [f32; N_LABELS] {
        if found.is_empty() {
            return [0.0; N_LABELS];
        }
        let mut acc = [0i32; N_LABELS];
        for &(_, j) in found {
            let q = self.words.scores(j as usize);
            for k in 0..N_LABELS {
                acc[k] += i32::from(q[k]);
            }
        }
        let inv = 1.0 / found.len() as f32;
        [
            acc[0] as f32 * self.word_scale[0] * inv,
            acc[1] as f32 * self.word_scale[1] * inv,
            acc[2] as f32 * self.word_scale[2] * inv,
        ]
    }

    /// Weights of hashed bucket `b` (dequantised).
    #[inline]
    pub fn bucket_weights(&self, b: u32) -> [f32; N_LABELS] {
        let q = self.table.get(b as usize).copied().unwrap_or([0; N_LABELS]);
        [
            f32::from(q[0]) * self.scale[0],
            f32::from(q[1]) * self.scale[1],
            f32::from(q[2]) * self.scale[2],
        ]
    }

    /// Raw (uncalibrated) scores: `x · W + b`. Every hashed term carries the same value, so
    /// the quantised weights are summed as integers and scaled once per use; the word scores
    /// are averaged over the draft's words found in the table.
    pub fn logits(&self, f: &Features, tokens: &[Token<'_>]) -> [f32; N_LABELS] {
        let mut found = Vec::new();
        self.found_words(f, tokens, &mut found);
        self.logits_of_found(f, &found)
    }

    /// [`Self::logits`] of a draft whose [`Self::found_words`] are `found`. A model with a
    /// word table that finds none of the draft's words (emoji only, a number, another script)
    /// has no textual evidence: the text part of the logits, intercepts included, is zero and
    /// only the context features count.
    pub fn logits_of_found(&self, f: &Features, found: &[(u32, u32)]) -> [f32; N_LABELS] {
        let mut z = self.intercept;
        if !self.words.is_empty() {
            let w = self.mean_of_found(found);
            if found.is_empty() {
                z = [0.0; N_LABELS];
            }
            for k in 0..N_LABELS {
                z[k] += w[k];
            }
        }
        let mut acc = [0i32; N_LABELS];
        for t in &f.terms {
            if let Some(q) = self.table.get(t.bucket as usize) {
                for k in 0..N_LABELS {
                    acc[k] += i32::from(q[k]);
                }
            }
        }
        for k in 0..N_LABELS {
            z[k] += acc[k] as f32 * self.scale[k] * f.term_value;
        }
        for (v, w) in f.dense.iter().zip(&self.dense) {
            if *v != 0.0 {
                for k in 0..N_LABELS {
                    z[k] += w[k] * v;
                }
            }
        }
        z
    }

    /// Calibrated probabilities: `softmax(logits / T)`.
    pub fn probabilities(&self, logits: [f32; N_LABELS]) -> [f32; N_LABELS] {
        softmax(logits, self.temperature)
    }
}

/// `softmax(z / t)`.
pub fn softmax(z: [f32; N_LABELS], t: f32) -> [f32; N_LABELS] {
    let max = z.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut e = [0.0f32; N_LABELS];
    for k in 0..N_LABELS {
        e[k] = ((z[k] - max) / t).exp();
    }
    let s: f32 = e.iter().sum();
    e.map(|x| x / s)
}

/// Index of the largest value (first on ties).
pub fn argmax(p: &[f32]) -> usize {
    let mut best = 0;
    for (i, v) in p.iter().enumerate() {
        if *v > p[best] {
            best = i;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> UseModel {
        let mut dense = [[0.0; 3]; N_DENSE];
        dense[1] = [1.5, -0.25, -1.25];
        let mut m = UseModel::new(
            7,
            [9; 32],
            42,
            1.3,
            0.2,
            (2, 1),
            [0.1, 0.2, -0.3],
            dense,
            vec![(5, [0.5, -0.5, 0.0]), (2, [1.0, 2.0, 3.0])],
            vec![
                ("storm".to_string(), [0.8, -0.2, -0.6]),
                ("dog".to_string(), [-0.5, -0.1, 0.6]),
            ],
        )
        .unwrap();
        (m.voice_singular, m.voice_institutional) = (1, 2);
        (m.personal_alarm, m.organizational_alarm) = (0.7, 0.8);
        m
    }

    #[test]
    fn word_scores_average_over_found_words() {
        let m = sample();
        // Sorted on construction.
        assert_eq!(m.words.word(0), "dog");
        let tk = crate::Tokenizer::new("en").unwrap();
        let text = "Storm dog zzzunknown don't";
        let tokens = tk.tokenize(text);
        let ctx = crate::Context::default();
        let f = super::super::extract(&super::super::UseInput {
            text,
            tokens: &tokens,
            context: &ctx,
            site_kind: None,
            account_kind: crate::AccountKind::Unknown,
            mentions_employer: false,
        });
        let (mean, n) = m.mean_word_scores(&f, &tokens);
        assert_eq!(n, 2, "storm and dog are in the table, the others are not");
        let s = m.word_scores("storm").unwrap();
        let d = m.word_scores("dog").unwrap();
        for k in 0..N_LABELS {
            assert!((mean[k] - (s[k] + d[k]) / 2.0).abs() < 1e-6);
        }
        // Quantised per use: the largest magnitude is exact.
        assert_eq!(s[0], 0.8);
        assert!(m.word_scores("cat").is_none());
        // A contraction is looked up by its first part.
        assert_eq!(embedding_key("don't"), "don");
        assert_eq!(embedding_key("'tis"), "'tis");
    }

    #[test]
    fn out_of_order_words_are_refused() {
        // The file ends with the words "dog" then "storm", each as a length byte, the word
        // and three scores: write them in the other order.
        let bytes = sample().to_bytes();
        let (head, tail) = bytes.split_at(bytes.len() - (1 + 3 + 3) - (1 + 5 + 3));
        assert_eq!(&tail[..4], b"\x03dog");
        let mut swapped = head.to_vec();
        swapped.extend_from_slice(&tail[7..]);
        swapped.extend_from_slice(&tail[..7]);
        assert!(matches!(
            UseModel::from_bytes(&swapped),
            Err(Error::Model(_))
        ));
    }

    #[test]
    fn round_trip_is_byte_identical() {
        let m = sample();
        let b = m.to_bytes();
        let m2 = UseModel::from_bytes(&b).unwrap();
        assert_eq!(m, m2);
        assert_eq!(m2.to_bytes(), b);
        // Quantised: per-use scale max|w| / 127, so the largest weight is exact and the
        // others are within half a step.
        assert_eq!(m2.bucket_weights(2), [1.0, 2.0, 3.0]);
        let w5 = m2.bucket_weights(5);
        assert!((w5[0] - 0.5).abs() <= 1.0 / 254.0 && (w5[1] + 0.5).abs() <= 2.0 / 254.0);
        assert_eq!(m2.bucket_weights(3), [0.0; 3]);
    }

    #[test]
    fn corrupt_files_are_typed_errors() {
        let b = sample().to_bytes();
        assert!(matches!(
            UseModel::from_bytes(&b[..b.len() - 1]),
            Err(Error::Model(_))
        ));
        assert!(matches!(
            UseModel::from_bytes(b"nonsense"),
            Err(Error::Model(_))
        ));
        assert!(matches!(UseModel::from_bytes(&[]), Err(Error::Model(_))));
        let mut bad = b.clone();
        bad[10] ^= 0xff; // feature version
        assert!(matches!(UseModel::from_bytes(&bad), Err(Error::Model(_))));
        let mut extra = b;
        extra.push(0);
        assert!(matches!(UseModel::from_bytes(&extra), Err(Error::Model(_))));
    }

    #[test]
    fn bucket_gaps_are_leb128() {
        let mut v = Vec::new();
        put_leb128(&mut v, 300);
        assert_eq!(v, [0xac, 0x02]);
        let mut r = Reader::new(&v, "use model");
        assert_eq!(r.leb128().unwrap(), 300);
        let far = UseModel::new(
            1,
            [0; 32],
            1,
            1.0,
            0.2,
            (0, 0),
            [0.0; 3],
            [[0.0; 3]; N_DENSE],
            vec![(0, [1.0, 0.0, 0.0]), (65_535, [0.0, -1.0, 0.5])],
            Vec::new(),
        )
        .unwrap();
        let back = UseModel::from_bytes(&far.to_bytes()).unwrap();
        assert_eq!(back, far);
        assert_eq!(back.bucket_weights(65_535)[1], -1.0);
        // A bucket whose weights all quantise to zero is not stored.
        let tiny = UseModel::new(
            1,
            [0; 32],
            1,
            1.0,
            0.2,
            (0, 0),
            [0.0; 3],
            [[0.0; 3]; N_DENSE],
            vec![(1, [1.0, 1.0, 1.0]), (2, [0.001, 0.0, 0.0])],
            Vec::new(),
        )
        .unwrap();
        assert_eq!(tiny.sparse.len(), 1);
    }

    #[test]
    fn softmax_with_temperature() {
        let p = softmax([1.0, 0.0, 0.0], 1.0);
        assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-6);
        let sharp = softmax([1.0, 0.0, 0.0], 0.5);
        assert!(sharp[0] > p[0]);
        assert_eq!(argmax(&[0.1, 0.7, 0.2]), 1);
    }
}
