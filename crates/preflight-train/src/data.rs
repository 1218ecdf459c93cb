//! Loading labelled rows, and what every split is built from: a featurised row ([`Sample`]),
//! its dataset (the part of `source` before the colon) and its validation group.

use preflight_core::classify::eval::{self, Row};
use preflight_core::Tokenizer;
use sha2::{Digest, Sha256};

use crate::TrainError;

/// One featurised, labelled row.
#[derive(Debug, Clone)]
pub struct Sample {
    /// `(feature index, value)`: hashed buckets `< N_HASHED`, dense at `N_HASHED + i`.
    pub x: Vec<(usize, f32)>,
    /// Index into `Use::ALL`.
    pub y: usize,
    pub source: String,
    /// Validation group (see [`group_of`]).
    pub group: String,
    /// FNV hash of the text (deterministic sub-sampling).
    pub key: u64,
    /// Features of a shortened copy of a long row (see [`shortened`]): with
    /// `Config::shortened_copies`, one more training row of the same use whenever this row
    /// trains, never scored. Every long post
    /// in the data comes from a source of one use (LinkedIn posts and company pages:
    /// professional), so without copies length alone would point at that use.
    pub extra: Vec<Vec<(usize, f32)>>,
}

fn fnv(bytes: &[u8], seed: u64) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ seed.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^ (h >> 31)
}

/// Sources written by one person: a whole source is one validation group, so its style is
/// never on both sides of a split.
pub fn single_author(source: &str) -> bool {
    source.starts_with("linkedin_export:")
}

/// Validation group of a row. Single-author sources are one group. Other sources do not
/// carry the author or account per row, so they are split into 40 sub-groups by the first
/// eight normalised words (re-posted headlines and templated posts stay together).
pub fn group_of(source: &str, tokenizer: &Tokenizer, text: &str) -> String {
    if single_author(source) {
        return source.to_string();
    }
    let head: Vec<String> = tokenizer
        .tokenize(text)
        .into_iter()
        .filter(|t| {
            matches!(
                t.kind,
                preflight_core::TokenKind::Word | preflight_core::TokenKind::Number
            )
        })
        .take(8)
        .map(|t| t.norm.into_string())
        .collect();
    format!("{source}#{}", fnv(head.join(" ").as_bytes(), 0) % 40)
}

/// Read a JSONL file; returns the rows and the SHA-256 of the file's bytes.
pub fn load(path: &str) -> Result<(Vec<Row>, [u8; 32]), TrainError> {
    let (text, sha) = read_text(path)?;
    Ok((eval::parse_jsonl(&text)?, sha))
}

/// A data file's text and the SHA-256 of its bytes (the reports name the data by it).
pub fn read_text(path: &str) -> Result<(String, [u8; 32]), TrainError> {
    let bytes = std::fs::read(path).map_err(|e| TrainError::Io(format!("{path}: {e}")))?;
    let sha: [u8; 32] = Sha256::digest(&bytes).into();
    let text =
        String::from_utf8(bytes).map_err(|_| TrainError::Data(format!("{path}: not UTF-8")))?;
    Ok((text, sha))
}

/// The JSON lines of `text` (read from `path`), blank lines skipped, each with its 1-based
/// line number; a line that does not parse is an error naming `path:line`.
pub fn json_lines<T: serde::de::DeserializeOwned>(
    path: &str,
    text: &str,
) -> Result<Vec<(usize, T)>, TrainError> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| {
            serde_json::from_str(line)
                .map(|v| (i + 1, v))
                .map_err(|e| TrainError::Data(format!("{path}:{}: {e}", i + 1)))
        })
        .collect()
}

/// The dataset of a source: the part before `:`.
pub fn dataset_of(source: &str) -> &str {
    source.split(':').next().unwrap_or(source)
}

/// Fold of a group (seeded hash).
pub fn fold_of(group: &str, folds: usize, seed: u64) -> usize {
    (fnv(group.as_bytes(), seed) % folds as u64) as usize
}
