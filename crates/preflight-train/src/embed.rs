//! Static word embeddings (the trainer's input, never shipped): the file written by
//! `scripts/distill-embeddings.sh` (all-MiniLM-L6-v2, each word of its vocabulary run alone),
//! and the mean embedding of a draft's words, found exactly as inference finds them
//! ([`features::embedding_key`] over the extractor's word list).

use std::collections::HashMap;

use preflight_core::classify::features::{self, Features};
use preflight_core::Token;

use crate::TrainError;

/// Words and their vectors.
pub struct Embeddings {
    pub words: Vec<String>,
    pub dims: usize,
    /// `words.len() × dims`, row-major.
    pub vectors: Vec<f32>,
    index: HashMap<String, usize>,
    /// SHA-256 of the file.
    pub sha256: [u8; 32],
}

impl Embeddings {
    /// Read an embeddings file (`b"PFEMBED1"`, `u32` words, `u32` dims, words as `u8`
    /// length + bytes, then `f32` vectors; little-endian).
    pub fn load(path: &str) -> Result<Self, TrainError> {
        use sha2::{Digest, Sha256};
        let b = std::fs::read(path).map_err(|e| TrainError::Io(format!("{path}: {e}")))?;
        let bad = |m: &str| TrainError::Data(format!("{path}: {m}"));
        if b.len() < 16 || &b[..8] != b"PFEMBED1" {
            return Err(bad("not an embeddings file (bad magic)"));
        }
        let u32_at = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]) as usize;
        let (n, dims) = (u32_at(8), u32_at(12));
        if dims == 0 || dims > 4096 || n > b.len() {
            return Err(bad("implausible word count or dimensions"));
        }
        let mut pos = 16;
        let mut words = Vec::with_capacity(n);
        for i in 0..n {
            let len = *b.get(pos).ok_or_else(|| bad("truncated word list"))? as usize;
            let w = b
                .get(pos + 1..pos + 1 + len)
                .and_then(|s| std::str::from_utf8(s).ok())
                .ok_or_else(|| bad(&format!("word {i} truncated or not UTF-8")))?;
            words.push(w.to_string());
            pos += 1 + len;
        }
        let need = n * dims * 4;
        if b.len() != pos + need {
            return Err(bad(&format!(
                "expected {need} bytes of vectors, found {}",
                b.len().saturating_sub(pos)
            )));
        }
        let vectors: Vec<f32> = b[pos..]
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        if vectors.iter().any(|v| !v.is_finite()) {
            return Err(bad("non-finite vector component"));
        }
        let index = words
            .iter()
            .enumerate()
            .map(|(i, w)| (w.clone(), i))
            .collect();
        Ok(Self {
            words,
            dims,
            vectors,
            index,
            sha256: Sha256::digest(&b).into(),
        })
    }

    /// The vector of word `i`.
    pub fn vector(&self, i: usize) -> &[f32] {
        &self.vectors[i * self.dims..(i + 1) * self.dims]
    }

    /// The mean vector of a draft's words found in the table (zeros when none is), and how
    /// many were found: the same words, in the same way, as `UseModel::mean_word_scores`.
    pub fn mean(&self, f: &Features, tokens: &[Token<'_>]) -> (Vec<f32>, usize) {
        let mut acc = vec![0.0f32; self.dims];
        let mut n = 0usize;
        for &i in &f.words {
            let Some(t) = tokens.get(i as usize) else {
                continue;
            };
            if let Some(&j) = self.index.get(features::embedding_key(&t.norm)) {
                for (a, v) in acc.iter_mut().zip(self.vector(j)) {
                    *a += v;
                }
                n += 1;
            }
        }
        if n > 0 {
            let inv = 1.0 / n as f32;
            acc.iter_mut().for_each(|a| *a *= inv);
        }
        (acc, n)
    }
}
