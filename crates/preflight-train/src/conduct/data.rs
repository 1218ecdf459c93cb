//! Reading the labelled conduct rows, their split, the rows whose labels are known to be
//! wrong, and the training weights.

use std::collections::BTreeMap;

use preflight_core::abuse::split::{split_of, Split};
use preflight_core::{Bundle, Engine, Matcher, Severity};

use crate::TrainError;

/// One labelled row.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Row {
    pub text: String,
    pub label: String,
    pub source: String,
}

impl Row {
    /// Hateful or offensive.
    pub fn abusive(&self) -> bool {
        self.label != "clean"
    }

    /// The dataset part of the source (`davidson_hate_offensive`).
    pub fn dataset(&self) -> &str {
        self.source.split(':').next().unwrap_or(&self.source)
    }

    /// Row group for the per-source tables: dataset and label.
    pub fn cell(&self) -> String {
        format!("{} · {}", short_dataset(self.dataset()), self.label)
    }
}

/// Readable short names of the datasets.
pub fn short_dataset(d: &str) -> &str {
    if d.starts_with("davidson") {
        "Davidson"
    } else if d.contains("OLID") {
        "OLID"
    } else if d.contains("HatEval") {
        "HatEval"
    } else if d == "posts" {
        "work posts"
    } else {
        d
    }
}

/// Read labelled JSONL; returns the rows and the SHA-256 of the file.
pub fn load(path: &str) -> Result<(Vec<Row>, [u8; 32]), TrainError> {
    let (text, sha) = crate::data::read_text(path)?;
    let mut rows = Vec::new();
    for (line, row) in crate::data::json_lines::<Row>(path, &text)? {
        if !matches!(row.label.as_str(), "hate" | "offensive" | "clean") {
            return Err(TrainError::Data(format!(
                "{path}:{line}: label {:?}, expected hate, offensive or clean",
                row.label
            )));
        }
        rows.push(row);
    }
    Ok((rows, sha))
}

/// Clean rows in the register of the job: the organizational and professional `train` rows
/// of the use classifier's data (`posts.jsonl`: agency, police, university and congressional
/// accounts, scientists, LinkedIn authors), relabelled `clean` with source `posts:<label>`.
/// The conduct sources are tweets by the public: without these, words of public life
/// ("secretary", "deputy", "immigration") lean abusive because the conduct data meets them
/// mostly in insults. Returns the rows and the SHA-256 of the file.
pub fn load_register(path: &str) -> Result<(Vec<Row>, [u8; 32]), TrainError> {
    #[derive(serde::Deserialize)]
    struct Post {
        text: String,
        label: String,
        #[serde(default)]
        split: Option<String>,
    }
    let (text, sha) = crate::data::read_text(path)?;
    let mut rows = Vec::new();
    for (_, p) in crate::data::json_lines::<Post>(path, &text)? {
        let work = matches!(p.label.as_str(), "organizational" | "professional");
        if work && p.split.as_deref().is_none_or(|s| s == "train") {
            rows.push(Row {
                text: p.text,
                label: "clean".into(),
                source: format!("posts:{}", p.label),
            });
        }
    }
    Ok((rows, sha))
}

/// The rows of each split, as indices.
pub fn splits(rows: &[Row]) -> BTreeMap<Split, Vec<usize>> {
    let mut out: BTreeMap<Split, Vec<usize>> = BTreeMap::new();
    for (i, r) in rows.iter().enumerate() {
        out.entry(split_of(&r.text)).or_default().push(i);
    }
    out
}

/// Finds a violation-grade slur of the default bundle's `conduct.slur` list (its word-sense
/// contexts kept, the abuse score left out, so the check does not depend on a model).
pub struct SlurCheck {
    engine: Engine,
}

impl SlurCheck {
    pub fn new() -> Result<Self, TrainError> {
        let mut bundle: Bundle = serde_json::from_str(preflight_core::DEFAULT_BUNDLE_JSON)
            .map_err(|e| TrainError::Data(format!("default bundle: {e}")))?;
        bundle.rules.retain(|r| r.id == "conduct.slur");
        for rule in &mut bundle.rules {
            rule.when = Default::default();
            if let Matcher::Phrases(p) = &mut rule.matcher {
                for c in p.context.values_mut() {
                    c.abuse_confirm_at = None;
                    c.abuse_clear_below = None;
                }
            }
        }
        if bundle.rules.is_empty() {
            return Err(TrainError::Data(
                "the default bundle has no rule `conduct.slur`".into(),
            ));
        }
        let engine = Engine::new(bundle).map_err(|e| TrainError::Data(e.to_string()))?;
        Ok(Self { engine })
    }

    /// The text holds a slur the list grades as a violation.
    pub fn has_slur(&self, text: &str) -> bool {
        self.engine
            .analyze(text, &Default::default())
            .is_ok_and(|a| a.findings.iter().any(|f| f.severity == Severity::Violation))
    }
}

/// Training weights: each (dataset, label) cell weighs in proportion to its size to the
/// power `power` (0: every cell the same; 1: every row the same), and abusive and clean rows
/// weigh the same in all; mean 1 over `idx`.
/// `excluded` rows get weight 0.
pub fn weights(rows: &[Row], idx: &[usize], excluded: &[bool], power: f64) -> Vec<f32> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for &i in idx.iter().filter(|&&i| !excluded[i]) {
        *counts.entry(rows[i].cell()).or_default() += 1;
    }
    let mass = |abusive: bool| -> f64 {
        counts
            .iter()
            .filter(|(c, _)| c.ends_with("clean") != abusive)
            .map(|(_, &n)| (n as f64).powf(power))
            .sum()
    };
    let (pos, neg) = (mass(true), mass(false));
    let raw: Vec<f64> = idx
        .iter()
        .map(|&i| {
            if excluded[i] {
                return 0.0;
            }
            let n = counts[&rows[i].cell()] as f64;
            let side = if rows[i].abusive() { pos } else { neg };
            n.powf(power) / n / side
        })
        .collect();
    let mean = raw.iter().sum::<f64>() / raw.len().max(1) as f64;
    raw.iter().map(|w| (w / mean.max(1e-12)) as f32).collect()
}
