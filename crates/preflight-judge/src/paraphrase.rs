//! Section `paraphrase` of docs/JUDGEMENT.md: the policy-rule paraphrase suite
//! (`tests/paraphrase/`). Per rule family, drafts written fresh (not the rules' inline
//! examples) that must be flagged and near misses that must not, each run on duty and off
//! duty with the embedded default bundle: recall, false-alarm rate, and the drafts missed or
//! flagged wrongly. `crates/preflight-core/tests/paraphrase.rs` enforces the thresholds.

use std::fmt::Write as _;
use std::path::Path;

use preflight_core::{Analysis, Context, Engine};
use serde::Deserialize;

use crate::{Args, JudgeError};

/// Recall at least this, per family and duty state (the integration test's threshold).
const MIN_RECALL: f64 = 0.85;
/// False alarms at most this.
const MAX_FALSE_ALARMS: f64 = 0.05;

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
#[serde(deny_unknown_fields)]
struct Row {
    text: String,
    expect: String,
    #[serde(default)]
    context: Option<Context>,
    #[serde(default)]
    held: bool,
}

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

/// Counts for one family in one duty state.
#[derive(Default)]
struct Tally {
    flags: usize,
    caught: usize,
    passes: usize,
    alarms: usize,
    /// The same, for the rows held back from tuning.
    held_flags: usize,
    held_caught: usize,
    held_passes: usize,
    held_alarms: usize,
    wrong: Vec<String>,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
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

fn read_rows(path: &Path) -> Result<Vec<Row>, JudgeError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| JudgeError::Io(name.clone(), e))?;
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let row: Row = serde_json::from_str(line).map_err(|e| JudgeError::Input {
            path: name.clone(),
            line: i + 1,
            message: e.to_string(),
        })?;
        if !matches!(row.expect.as_str(), "flag" | "pass" | "flag_on_duty") {
            return Err(JudgeError::Input {
                path: name.clone(),
                line: i + 1,
                message: format!(
                    "expect must be flag, pass or flag_on_duty, found {:?}",
                    row.expect
                ),
            });
        }
        rows.push(row);
    }
    Ok(rows)
}

fn tally(
    engine: &Engine,
    family: &Family,
    rows: &[Row],
    on_duty: bool,
) -> Result<Tally, JudgeError> {
    let mut t = Tally::default();
    for row in rows {
        let should = match row.expect.as_str() {
            "flag" => true,
            "flag_on_duty" => on_duty,
            _ => false,
        };
        let mut ctx = row.context.clone().unwrap_or(Context {
            site: Some("x".into()),
            account: Some("@jordan_lee".into()),
            ..Context::default()
        });
        ctx.on_duty = Some(on_duty);
        let a = engine
            .analyze(&row.text, &ctx)
            .map_err(|e| JudgeError::Engine(format!("{}: {e}", family.file)))?;
        let got = flagged(family, &a);
        if should {
            t.flags += 1;
            t.caught += usize::from(got);
            if row.held {
                t.held_flags += 1;
                t.held_caught += usize::from(got);
            }
        } else {
            t.passes += 1;
            t.alarms += usize::from(got);
            if row.held {
                t.held_passes += 1;
                t.held_alarms += usize::from(got);
            }
        }
        if got != should {
            let what = if should { "missed" } else { "false alarm" };
            let held = if row.held { ", held back" } else { "" };
            let account = row.context.as_ref().and_then(|c| c.account.as_deref());
            let from = account.map_or(String::new(), |a| format!(" (from {a})"));
            t.wrong
                .push(format!("{what}{held}: \u{201c}{}\u{201d}{from}", row.text));
        }
    }
    Ok(t)
}

/// The table rows and the list of wrong drafts of one suite directory.
fn run_suite(engine: &Engine, dir: &Path) -> Result<(String, String), JudgeError> {
    let index = dir.join("families.json");
    let text = std::fs::read_to_string(&index)
        .map_err(|e| JudgeError::Io(index.display().to_string(), e))?;
    let families: Families = serde_json::from_str(&text).map_err(|e| JudgeError::Input {
        path: index.display().to_string(),
        line: e.line(),
        message: e.to_string(),
    })?;
    let mut rows_md = String::new();
    let mut notes = String::new();
    for family in &families.families {
        let rows = read_rows(&dir.join(&family.file))?;
        for on_duty in [true, false] {
            let t = tally(engine, family, &rows, on_duty)?;
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
                let _ = writeln!(notes, "- {} ({duty} duty), {w}", family.name);
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
