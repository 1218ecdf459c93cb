//! Labelled rows and the evaluation report (per-class precision / recall / F1, macro-F1,
//! confusion matrix, per-source accuracy), shared by the trainer and `preflight eval`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Deserialize;

use crate::{AccountKind, Context, Error, SiteKind, Tokenizer, Use};

/// One labelled row of a JSONL file: `{"text","label"}` plus optional `source` and context
/// (`site_kind`, `account_kind`, `reply`, `mentions_employer`, or a full `context` object).
/// `expected` is accepted as a synonym of `label`; the value `blurred` marks a draft that
/// should come out blurred.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Row {
    /// Optional identifier (the hand-written drafts carry one).
    #[serde(default)]
    pub id: Option<String>,
    pub text: String,
    #[serde(alias = "expected", default)]
    pub label: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    /// `train` or `transfer` (rows of sources only used to measure transfer), when given.
    #[serde(default)]
    pub split: Option<String>,
    #[serde(default)]
    pub site_kind: Option<SiteKind>,
    #[serde(default)]
    pub account_kind: Option<AccountKind>,
    #[serde(default)]
    pub reply: Option<bool>,
    #[serde(default)]
    pub mentions_employer: Option<bool>,
    #[serde(default)]
    pub context: Option<Context>,
}

/// What a row's label says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    Use(Use),
    Blurred,
}

impl Row {
    /// The row's label, if it names a use or `blurred`.
    pub fn expected(&self) -> Option<Expected> {
        match self.label.as_deref()? {
            "organizational" => Some(Expected::Use(Use::Organizational)),
            "professional" => Some(Expected::Use(Use::Professional)),
            "personal" => Some(Expected::Use(Use::Personal)),
            "blurred" => Some(Expected::Blurred),
            _ => None,
        }
    }

    /// The context to classify this row with (a `reply` field wins over `context.reply`).
    pub fn full_context(&self) -> Context {
        let mut c = self.context.clone().unwrap_or_default();
        if self.reply.is_some() {
            c.reply = self.reply;
        }
        c
    }
}

/// Parse JSONL text into rows (blank lines skipped). Errors name the line.
pub fn parse_jsonl(text: &str) -> Result<Vec<Row>, Error> {
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let row: Row = serde_json::from_str(line)
            .map_err(|e| Error::Context(format!("line {}: {e}", i + 1)))?;
        if let (Some(label), None) = (row.label.as_deref(), row.expected()) {
            return Err(Error::Context(format!(
                "line {}: unknown label {label:?}: expected organizational, professional, personal or blurred",
                i + 1
            )));
        }
        rows.push(row);
    }
    Ok(rows)
}

/// Classify one row with `f` over its features' input (helper for batch tools).
pub fn with_input<R>(
    tokenizer: &Tokenizer,
    row: &Row,
    f: impl FnOnce(&super::UseInput<'_>) -> R,
) -> R {
    let tokens = tokenizer.tokenize(&row.text);
    let ctx = row.full_context();
    let input = super::UseInput {
        text: &row.text,
        tokens: &tokens,
        context: &ctx,
        site_kind: row.site_kind,
        account_kind: row.account_kind.unwrap_or(AccountKind::Unknown),
        mentions_employer: row.mentions_employer.unwrap_or(false),
    };
    f(&input)
}

/// Precision, recall, F1 and support of one class.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClassScores {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub support: usize,
}

/// Confusion counts plus per-source accuracy.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evaluation {
    /// `confusion[true][predicted]`, in [`Use::ALL`] order.
    pub confusion: [[usize; 3]; 3],
    /// source → (correct, total).
    pub per_source: BTreeMap<String, (usize, usize)>,
}

fn idx(u: Use) -> usize {
    Use::ALL.iter().position(|x| *x == u).unwrap_or(0)
}

impl Evaluation {
    pub fn add(&mut self, truth: Use, predicted: Use, source: Option<&str>) {
        self.confusion[idx(truth)][idx(predicted)] += 1;
        let e = self
            .per_source
            .entry(source.unwrap_or("(no source)").to_string())
            .or_default();
        e.1 += 1;
        if truth == predicted {
            e.0 += 1;
        }
    }

    pub fn total(&self) -> usize {
        self.confusion.iter().flatten().sum()
    }

    pub fn accuracy(&self) -> f64 {
        let c: usize = (0..3).map(|i| self.confusion[i][i]).sum();
        c as f64 / self.total().max(1) as f64
    }

    pub fn class(&self, k: usize) -> ClassScores {
        let tp = self.confusion[k][k] as f64;
        let predicted: usize = (0..3).map(|i| self.confusion[i][k]).sum();
        let support: usize = self.confusion[k].iter().sum();
        let precision = if predicted == 0 {
            0.0
        } else {
            tp / predicted as f64
        };
        let recall = if support == 0 {
            0.0
        } else {
            tp / support as f64
        };
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        ClassScores {
            precision,
            recall,
            f1,
            support,
        }
    }

    /// Mean F1 over the classes that have support.
    pub fn macro_f1(&self) -> f64 {
        let scored: Vec<f64> = (0..3)
            .filter(|k| self.class(*k).support > 0)
            .map(|k| self.class(k).f1)
            .collect();
        if scored.is_empty() {
            0.0
        } else {
            scored.iter().sum::<f64>() / scored.len() as f64
        }
    }

    /// Markdown: per-class table, macro-F1, confusion matrix, per-source accuracy.
    pub fn to_markdown(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "| class | precision | recall | F1 | support |\n|---|---|---|---|---|"
        );
        for (k, u) in Use::ALL.iter().enumerate() {
            let c = self.class(k);
            let _ = writeln!(
                s,
                "| {} | {:.3} | {:.3} | {:.3} | {} |",
                u.as_str(),
                c.precision,
                c.recall,
                c.f1,
                c.support
            );
        }
        let _ = writeln!(
            s,
            "\nmacro-F1 **{:.3}**, accuracy {:.3}, n = {}\n",
            self.macro_f1(),
            self.accuracy(),
            self.total()
        );
        let _ = writeln!(s, "Confusion (rows: true, columns: predicted)\n\n| true \\ predicted | organizational | professional | personal |\n|---|---|---|---|");
        for (k, u) in Use::ALL.iter().enumerate() {
            let r = self.confusion[k];
            let _ = writeln!(s, "| {} | {} | {} | {} |", u.as_str(), r[0], r[1], r[2]);
        }
        if self.per_source.len() > 1 || !self.per_source.contains_key("(no source)") {
            let _ = writeln!(s, "\n| source | accuracy | correct / rows |\n|---|---|---|");
            for (src, (c, n)) in &self.per_source {
                let _ = writeln!(
                    s,
                    "| {src} | {:.3} | {c} / {n} |",
                    *c as f64 / (*n).max(1) as f64
                );
            }
        }
        s
    }
}

/// Classify labelled rows with `model` and write the report (the `preflight eval` output):
/// per-class precision / recall / F1, macro-F1, confusion matrix and per-source accuracy over
/// the rows labelled with a use, plus how many `blurred` rows came out blurred.
pub fn report(rows: &[Row], model: &super::UseModel, tokenizer: &Tokenizer) -> String {
    let mut e = Evaluation::default();
    let (mut blurred_rows, mut blurred_ok, mut unlabelled) = (0usize, 0usize, 0usize);
    for row in rows {
        let a = with_input(tokenizer, row, |input| {
            super::assess_with(Some(model), input)
        });
        match (row.expected(), a.label) {
            (Some(Expected::Use(truth)), Some(pred)) => e.add(truth, pred, row.source.as_deref()),
            (Some(Expected::Blurred), _) => {
                blurred_rows += 1;
                if a.blurred {
                    blurred_ok += 1;
                }
            }
            _ => unlabelled += 1,
        }
    }
    let mut s = e.to_markdown();
    if blurred_rows > 0 {
        let _ = writeln!(
            s,
            "\nblurred rows: {blurred_ok} of {blurred_rows} came out blurred"
        );
    }
    if unlabelled > 0 {
        let _ = writeln!(s, "\n{unlabelled} row(s) without a usable label skipped");
    }
    s
}

/// "Top two close" for a row labelled `blurred` that the classifier did not flag: a gap
/// between the two most likely uses below this still counts as read as blurred.
pub const CLOSE: f32 = 0.35;

/// The verdict on one labelled draft (the hand-written drafts, or any row labelled with a use
/// or `blurred`).
#[derive(Debug, Clone, PartialEq)]
pub struct DraftOutcome {
    /// `id` of the row, or its line number (1-based) when it has none.
    pub id: String,
    pub expected: Expected,
    pub label: Option<Use>,
    pub probabilities: [f32; 3],
    pub blurred: bool,
    pub signals: Vec<String>,
    /// Clear draft: the label is the expected use. Blurred draft: flagged `blurred`, or the
    /// top two uses are within [`CLOSE`].
    pub ok: bool,
}

/// Classify every labelled row with `model` and judge it (rows without a label are skipped).
pub fn judge_drafts(
    rows: &[Row],
    model: &super::UseModel,
    tokenizer: &Tokenizer,
) -> Vec<DraftOutcome> {
    let mut out = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let Some(expected) = row.expected() else {
            continue;
        };
        let a = with_input(tokenizer, row, |input| {
            super::assess_with(Some(model), input)
        });
        let p = a.probabilities.unwrap_or([0.0; 3]);
        let mut s = p;
        s.sort_by(|a, b| b.total_cmp(a));
        let ok = match expected {
            Expected::Use(u) => a.label == Some(u),
            Expected::Blurred => a.blurred || s[0] - s[1] < CLOSE,
        };
        out.push(DraftOutcome {
            id: row.id.clone().unwrap_or_else(|| format!("line {}", i + 1)),
            expected,
            label: a.label,
            probabilities: p,
            blurred: a.blurred,
            signals: a.signals,
            ok,
        });
    }
    out
}

/// Parse a known-misses list: JSONL `{"id","reason"}`, blank lines skipped; every entry
/// needs a non-empty reason. Returns `(id, reason)` pairs.
pub fn parse_known_misses(text: &str) -> Result<Vec<(String, String)>, Error> {
    #[derive(Deserialize)]
    struct Miss {
        id: String,
        reason: String,
    }
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let m: Miss = serde_json::from_str(line)
            .map_err(|e| Error::Context(format!("line {}: {e}", i + 1)))?;
        if m.reason.trim().is_empty() {
            return Err(Error::Context(format!(
                "line {}: {} has no reason",
                i + 1,
                m.id
            )));
        }
        out.push((m.id, m.reason));
    }
    Ok(out)
}

/// Counts of [`judge_drafts`] outcomes: `[organizational, professional, personal, blurred]`
/// right, and the totals.
pub fn draft_counts(outcomes: &[DraftOutcome]) -> ([usize; 4], [usize; 4]) {
    let (mut right, mut total) = ([0usize; 4], [0usize; 4]);
    for o in outcomes {
        let k = match o.expected {
            Expected::Use(u) => idx(u),
            Expected::Blurred => 3,
        };
        total[k] += 1;
        right[k] += usize::from(o.ok);
    }
    (right, total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_by_hand() {
        let mut e = Evaluation::default();
        e.add(Use::Organizational, Use::Organizational, Some("a"));
        e.add(Use::Organizational, Use::Personal, Some("a"));
        e.add(Use::Personal, Use::Personal, Some("b"));
        e.add(Use::Professional, Use::Professional, Some("b"));
        assert_eq!(e.total(), 4);
        let org = e.class(0);
        assert_eq!((org.precision, org.recall), (1.0, 0.5));
        let per = e.class(2);
        assert_eq!((per.precision, per.recall), (0.5, 1.0));
        assert!((e.macro_f1() - (2.0 / 3.0 + 1.0 + 2.0 / 3.0) / 3.0).abs() < 1e-9);
        assert_eq!(e.per_source["a"], (1, 2));
        let md = e.to_markdown();
        assert!(md.contains("| organizational | 1 | 0 | 1 |"), "{md}");
    }

    #[test]
    fn rows_parse_with_aliases_and_context() {
        let rows = parse_jsonl(
            "{\"text\":\"hi\",\"expected\":\"blurred\",\"site_kind\":\"professional\",\"reply\":true}\n\n{\"text\":\"x\",\"label\":\"personal\",\"source\":\"s\"}\n",
        )
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].expected(), Some(Expected::Blurred));
        assert_eq!(rows[0].site_kind, Some(SiteKind::Professional));
        assert_eq!(rows[0].full_context().reply, Some(true));
        assert_eq!(rows[1].expected(), Some(Expected::Use(Use::Personal)));
        assert!(
            matches!(parse_jsonl("{\"label\":1}"), Err(Error::Context(m)) if m.starts_with("line 1"))
        );
    }
}
