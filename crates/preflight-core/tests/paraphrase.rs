//! The paraphrase suite (`tests/paraphrase/`): drafts written fresh, worded unlike the rules'
//! inline examples, that each rule family must flag, and near misses it must not. Every row
//! runs on duty and off duty. Per family and duty state: recall ≥ 0.85 and false alarms
//! ≤ 0.05; a failure names every draft the family got wrong.
//!
//! `preflight-judge --only paraphrase` writes the same figures into docs/JUDGEMENT.md.

use std::path::{Path, PathBuf};

use preflight_core::paraphrase::{read_suite, tally};
use preflight_core::Engine;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/paraphrase")
}

/// Runs every family of the suite in `dir` on duty and off duty: prints recall and false
/// alarms per family and duty state, and returns, per family and duty state, the figures
/// and the drafts it got wrong. Panics on a malformed suite or a family with fewer than
/// `min_rows` drafts to flag or near misses.
fn run_suite(dir: &Path, min_rows: usize) -> Vec<(String, f64, f64, Vec<String>)> {
    let engine = Engine::default_bundle().unwrap();
    let mut out = Vec::new();
    for (family, rows) in read_suite(dir).unwrap() {
        for on_duty in [true, false] {
            let t = tally(&engine, &family, &rows, on_duty).unwrap();
            let (flags, caught, passes, alarms) = (t.flags, t.caught, t.passes, t.alarms);
            let wrong: Vec<String> = t
                .wrong
                .iter()
                .map(|w| {
                    let held = if w.row.held { " (held back)" } else { "" };
                    let what = if w.missed { "missed" } else { "false alarm" };
                    format!("  {what}{held}: {}", w.row.text)
                })
                .collect();
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
