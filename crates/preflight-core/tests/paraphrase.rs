//! The paraphrase suite (`tests/paraphrase/`): drafts written fresh, worded unlike the rules'
//! inline examples, that each rule family must flag, and near misses it must not. Every row
//! runs on duty and off duty. Per family and duty state: recall ≥ 0.85 and false alarms
//! ≤ 0.05; a failure names every draft the family got wrong.
//!
//! `preflight-judge --only paraphrase` writes the same figures into docs/JUDGEMENT.md.

use std::fs;
use std::path::{Path, PathBuf};

use preflight_core::{Analysis, Context, Engine};
use serde::Deserialize;

#[derive(Deserialize)]
struct Families {
    families: Vec<Family>,
}

#[derive(Deserialize)]
struct Family {
    name: String,
    file: String,
    #[serde(default)]
    rules: Vec<String>,
    #[serde(default)]
    disclaimer: bool,
}

#[derive(Deserialize)]
struct Row {
    text: String,
    expect: String,
    #[serde(default)]
    context: Option<Context>,
    #[serde(default)]
    held: bool,
}

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/paraphrase")
}

fn flagged(family: &Family, a: &Analysis) -> bool {
    if family.disclaimer {
        return a.disclaimer.needed;
    }
    a.findings.iter().any(|f| {
        family.rules.iter().any(|r| {
            if r.ends_with('.') {
                f.rule_id.starts_with(r.as_str())
            } else {
                f.rule_id == *r
            }
        })
    })
}

/// Runs every family of the suite in `dir` on duty and off duty: prints recall and false
/// alarms per family and duty state, and returns, per family and duty state, the figures
/// and the drafts it got wrong. Panics on a malformed suite or a family with fewer than
/// `min_rows` drafts to flag or near misses.
fn run_suite(dir: &Path, min_rows: usize) -> Vec<(String, f64, f64, Vec<String>)> {
    let engine = Engine::default_bundle().unwrap();
    let families: Families =
        serde_json::from_str(&fs::read_to_string(dir.join("families.json")).unwrap()).unwrap();
    let mut out = Vec::new();
    for family in &families.families {
        let text = fs::read_to_string(dir.join(&family.file)).unwrap();
        let rows: Vec<Row> = text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .enumerate()
            .map(|(i, l)| {
                serde_json::from_str(l).unwrap_or_else(|e| panic!("{}:{}: {e}", family.file, i + 1))
            })
            .collect();
        for on_duty in [true, false] {
            let (mut flags, mut caught, mut passes, mut alarms) = (0, 0, 0, 0);
            let mut wrong = Vec::new();
            for row in &rows {
                let should = match row.expect.as_str() {
                    "flag" => true,
                    "pass" => false,
                    "flag_on_duty" => on_duty,
                    other => panic!("{}: unknown expect {other:?}", family.file),
                };
                let mut ctx = row.context.clone().unwrap_or(Context {
                    site: Some("x".into()),
                    account: Some("@jordan_lee".into()),
                    ..Context::default()
                });
                ctx.on_duty = Some(on_duty);
                let a = engine.analyze(&row.text, &ctx).unwrap();
                let got = flagged(family, &a);
                if should {
                    flags += 1;
                    caught += usize::from(got);
                } else {
                    passes += 1;
                    alarms += usize::from(got);
                }
                if got != should {
                    let held = if row.held { " (held back)" } else { "" };
                    let what = if should { "missed" } else { "false alarm" };
                    wrong.push(format!("  {what}{held}: {}", row.text));
                }
            }
            assert!(
                flags >= min_rows && passes >= min_rows,
                "{}: too few drafts",
                family.name
            );
            let recall = caught as f64 / flags as f64;
            let false_alarms = alarms as f64 / passes as f64;
            let duty = if on_duty { "on duty" } else { "off duty" };
            println!(
                "{:<17} {duty:<8} recall {recall:.2} ({caught}/{flags})  false alarms {false_alarms:.2} ({alarms}/{passes})",
                family.name
            );
            out.push((
                format!("{} {duty}", family.name),
                recall,
                false_alarms,
                wrong,
            ));
        }
    }
    out
}

#[test]
fn every_family_flags_its_drafts_and_spares_its_near_misses() {
    let mut problems = Vec::new();
    for (name, recall, false_alarms, wrong) in run_suite(&dir(), 20) {
        if recall < 0.85 || false_alarms > 0.05 {
            problems.push(format!(
                "{name}: recall {recall:.2}, false alarms {false_alarms:.2}\n{}",
                wrong.join("\n")
            ));
        } else if !wrong.is_empty() {
            println!("{}", wrong.join("\n"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The later batches (`late/`: six and six per family; `fresh/`: ten and ten for
/// endorsement, nonpublic and political; `fresh2/`, the batch still held out: twenty and
/// twenty for every family) are reported, not held to the thresholds: they measure how far
/// the matchers generalise. The test still fails on a malformed batch or one that shrank
/// below its size.
#[test]
fn held_out_batches_are_well_formed_and_reported() {
    for (sub, min_rows) in [("late", 6), ("fresh", 10), ("fresh2", 20)] {
        println!("--- {sub}");
        for (_, _, _, wrong) in run_suite(&dir().join(sub), min_rows) {
            if !wrong.is_empty() {
                println!("{}", wrong.join("\n"));
            }
        }
    }
}
