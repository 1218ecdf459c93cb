//! Section `paraphrase` of docs/JUDGEMENT.md: the policy-rule paraphrase suite
//! (`tests/paraphrase/`). Per rule family, drafts written fresh (not the rules' inline
//! examples) that must be flagged and near misses that must not, each run on duty and off
//! duty with the embedded default bundle: recall, false-alarm rate, and the drafts missed or
//! flagged wrongly. `crates/preflight-core/tests/paraphrase.rs` enforces the thresholds.

use std::fmt::Write as _;
use std::path::Path;

use preflight_core::paraphrase::{read_suite, tally};
use preflight_core::Engine;

use crate::{Args, JudgeError};

/// Recall at least this, per family and duty state (the integration test's threshold).
const MIN_RECALL: f64 = 0.85;
/// False alarms at most this.
const MAX_FALSE_ALARMS: f64 = 0.05;

/// Held-out batches under `tests/paraphrase/`, reported after the main suite (not enforced):
/// the subdirectory and the section's introduction.
const HELD_OUT: [(&str, &str); 3] = [
    (
        "late",
        "\n### Written after the matchers, never tuned on\n\n\
         `tests/paraphrase/late/`: six drafts to flag and six near misses per family, \
         written once the first act matchers were done. Its misses were used in the second \
         round of lexicon work, so it is no longer held out; the next batch is.\n\n",
    ),
    (
        "fresh",
        "\n### Held out from the second round, the third round's development set\n\n\
         `tests/paraphrase/fresh/`: at least ten drafts to flag and ten near misses each for \
         endorsement, nonpublic information and political activity, written and committed \
         before the second round of lexicon work and never used to tune it. The third round \
         (issue 15, acts-v2) studied its misses and false alarms and fixed their causes in \
         general ways, so it is no longer held out; `fresh2/` is.\n\n",
    ),
    (
        "fresh2",
        "\n### Held out from the third round: the yardstick\n\n\
         `tests/paraphrase/fresh2/`: at least twenty drafts to flag and twenty near misses \
         for every family (tweets, replies, LinkedIn prose; restaurant and book \
         recommendations, published rules, non-partisan vote reminders, family trips, \
         personal fundraisers), written and committed before the third round of act work and \
         never used to tune it. It was written by the same author as that round's fixes, \
         which knew its drafts: read it as an optimistic estimate for wording nobody has \
         seen.\n\n",
    ),
];

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// The table rows and the list of wrong drafts of one suite directory.
fn run_suite(engine: &Engine, dir: &Path) -> Result<(String, String), JudgeError> {
    let engine_error = |e: preflight_core::Error| JudgeError::Engine(e.to_string());
    let mut rows_md = String::new();
    let mut notes = String::new();
    for (family, rows) in read_suite(dir).map_err(engine_error)? {
        for on_duty in [true, false] {
            let t = tally(engine, &family, &rows, on_duty)
                .map_err(|e| JudgeError::Engine(format!("{}: {e}", family.file)))?;
            let duty = if on_duty { "on" } else { "off" };
            let _ = writeln!(
                rows_md,
                "| {} | {duty} | {:.2} ({}/{}) | {:.2} ({}/{}) | {:.2} ({}/{}) | {:.2} ({}/{}) |",
                family.name,
                ratio(t.caught, t.flags),
                t.caught,
                t.flags,
                ratio(t.alarms, t.passes),
                t.alarms,
                t.passes,
                ratio(t.held_caught, t.held_flags),
                t.held_caught,
                t.held_flags,
                ratio(t.held_alarms, t.held_passes),
                t.held_alarms,
                t.held_passes,
            );
            for w in &t.wrong {
                let what = if w.missed { "missed" } else { "false alarm" };
                let held = if w.row.held { ", held back" } else { "" };
                let account = w.row.context.as_ref().and_then(|c| c.account.as_deref());
                let from = account.map_or(String::new(), |a| format!(" (from {a})"));
                let _ = writeln!(
                    notes,
                    "- {} ({duty} duty), {what}{held}: \u{201c}{}\u{201d}{from}",
                    family.name, w.row.text
                );
            }
        }
    }
    Ok((rows_md, notes))
}

const HEADER: &str = "| family | duty | recall | false alarms | held-back recall | held-back false alarms |\n|---|---|---|---|---|---|\n";

/// The markdown of this section.
pub fn section(args: &Args) -> Result<String, JudgeError> {
    let dir = Path::new(&args.paraphrase);
    let engine = Engine::default_bundle().map_err(|e| JudgeError::Engine(e.to_string()))?;

    let mut out =
        String::from("## Paraphrase suite: policy rules on drafts worded their own way\n\n");
    out.push_str(
        "Drafts in `tests/paraphrase/` (one JSONL file per rule family), written fresh for the \
         suite and not taken from the rules' inline examples: per family, drafts that must be \
         flagged and near misses that must not (a restaurant recommendation, a rule already \
         published, a non-partisan reminder to vote, a family trip, a version number). Every \
         draft runs on duty and off duty with the embedded default bundle, from a personal \
         account on X unless the row gives a context (official-account drafts do). A draft is \
         flagged when one of the family's rules fires (for the unnamed-employer family: when a \
         disclaimer is needed). Drafts marked `flag_on_duty` (partisan posts from a personal \
         account without a title) must be flagged on duty and count as near misses off duty. \
         The drafts were written before the act matchers were tuned; about a fifth of the rows \
         (`held: true`) were kept out of tuning and are counted apart in the last two columns \
         (one of them, a false alarm, was looked at and led to a fix: \"elect\" and \"election\" \
         share a stem). The suite and the matchers have the same author, so read the second \
         table, below, as the better estimate for unseen drafts.\n\n",
    );
    let _ = writeln!(
        out,
        "Thresholds (enforced on this suite by `cargo test -p preflight-core --test \
         paraphrase`): recall ≥ {MIN_RECALL:.2} and false alarms ≤ {MAX_FALSE_ALARMS:.2} per \
         family and duty state.\n"
    );
    let (rows, notes) = run_suite(&engine, dir)?;
    out.push_str(HEADER);
    out.push_str(&rows);
    out.push('\n');
    if notes.is_empty() {
        out.push_str("Every draft behaved as expected.\n");
    } else {
        out.push_str("Drafts the rules got wrong:\n\n");
        out.push_str(&notes);
    }

    for (sub, intro) in HELD_OUT {
        let batch = dir.join(sub);
        if !batch.join("families.json").exists() {
            continue;
        }
        out.push_str(intro);
        let (rows, notes) = run_suite(&engine, &batch)?;
        out.push_str(HEADER);
        out.push_str(&rows);
        out.push('\n');
        if !notes.is_empty() {
            out.push_str("Drafts the rules got wrong:\n\n");
            out.push_str(&notes);
        }
    }
    out.push_str(
        "\nRegenerate: `cargo run -q -p preflight-judge -- --only paraphrase` (from the \
         repository root).\n",
    );
    Ok(out)
}
