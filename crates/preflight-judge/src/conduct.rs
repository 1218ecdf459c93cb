//! Section `conduct` of docs/JUDGEMENT.md: the default bundle's conduct findings on labelled
//! conduct rows the abuse model never saw (the held-out split of
//! [`preflight_core::abuse::split`], the same one `preflight-train conduct` holds back), beside
//! alex on the same rows.
//!
//! * preflight: [`Engine::default_bundle`], no context; a row is flagged when a finding of the
//!   element "Employee conduct" is a warning or a violation (and, in a second column, any
//!   such finding, advice included);
//! * alex: the npm package, default options, run by `scripts/alex-jsonl.mjs` under Node (one
//!   process for all rows); a row is flagged when alex gives it any message.
//!
//! `--conduct-split validation` measures the validation rows instead (what the default
//! bundle's thresholds were set on); the report written to docs/ is the held-out one.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::process::{Command, Stdio};

use preflight_core::abuse::split::{split_of, Split};
use preflight_core::{Context, Element, Engine, Severity};

use crate::{Args, JudgeError};

/// One labelled row.
#[derive(Debug, Clone, serde::Deserialize)]
struct Row {
    text: String,
    label: String,
    source: String,
}

impl Row {
    fn abusive(&self) -> bool {
        self.label != "clean"
    }

    fn dataset(&self) -> &'static str {
        if self.source.starts_with("davidson") {
            "Davidson"
        } else if self.source.contains("OLID") {
            "OLID"
        } else if self.source.contains("HatEval") {
            "HatEval"
        } else {
            "other"
        }
    }
}

/// What each tool said about one row.
#[derive(Debug, Default, Clone)]
struct Calls {
    /// preflight: a conduct warning or violation.
    flagged: bool,
    /// preflight: any conduct finding, advice included.
    any: bool,
    /// preflight: the rules that gave a conduct finding (warning or violation).
    rules: Vec<String>,
    /// preflight: a violation-grade `conduct.slur` finding.
    slur_violation: bool,
    /// alex: any message.
    alex: Option<bool>,
}

fn load(path: &str) -> Result<Vec<Row>, JudgeError> {
    let text = std::fs::read_to_string(path).map_err(|e| JudgeError::Io(path.into(), e))?;
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let row: Row = serde_json::from_str(line).map_err(|e| JudgeError::Input {
            path: path.into(),
            line: i + 1,
            message: e.to_string(),
        })?;
        rows.push(row);
    }
    Ok(rows)
}

/// alex's verdict on every row, in order (`None` per row when alex is not run).
fn alex(args: &Args, rows: &[&Row]) -> Result<Vec<Option<bool>>, JudgeError> {
    if args.no_alex {
        return Ok(vec![None; rows.len()]);
    }
    let script = &args.alex_script;
    let mut child = Command::new("node")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| JudgeError::Io(format!("node {script}"), e))?;
    let mut input = String::new();
    for r in rows {
        input.push_str(&serde_json::json!({ "text": r.text }).to_string());
        input.push('\n');
    }
    let mut stdin = child
        .stdin
        .take()
        .ok_or_else(|| JudgeError::Engine("no stdin for node".into()))?;
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child
        .wait_with_output()
        .map_err(|e| JudgeError::Io(format!("node {script}"), e))?;
    writer
        .join()
        .map_err(|_| JudgeError::Engine("writing to node failed".into()))?
        .map_err(|e| JudgeError::Io(format!("node {script} (stdin)"), e))?;
    if !out.status.success() {
        return Err(JudgeError::Engine(format!(
            "node {script} failed ({}): run `npm ci` at the repository root to install alex, or pass --no-alex",
            out.status
        )));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let calls: Vec<Option<bool>> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l)
                .ok()
                .and_then(|v| v["messages"].as_u64())
                .map(|n| n > 0)
        })
        .collect();
    if calls.len() != rows.len() || calls.iter().any(Option::is_none) {
        return Err(JudgeError::Engine(format!(
            "node {script} answered {} lines for {} rows",
            calls.len(),
            rows.len()
        )));
    }
    Ok(calls)
}

fn pct(n: usize, d: usize) -> String {
    if d == 0 {
        "–".into()
    } else {
        format!("{:.1} %", 100.0 * n as f64 / d as f64)
    }
}

/// The markdown of this section.
pub fn section(args: &Args) -> Result<String, JudgeError> {
    let path = args.conduct.as_deref().ok_or(JudgeError::Missing(
        "--conduct PATH (labelled conduct rows)",
    ))?;
    let want = match args.conduct_split.as_str() {
        "held-out" => Split::HeldOut,
        "validation" => Split::Validation,
        other => {
            return Err(JudgeError::Engine(format!(
                "--conduct-split {other:?}: expected held-out or validation"
            )))
        }
    };
    let all = load(path)?;
    let rows: Vec<&Row> = all.iter().filter(|r| split_of(&r.text) == want).collect();
    let engine = match &args.conduct_bundle {
        Some(p) => {
            let json = std::fs::read_to_string(p).map_err(|e| JudgeError::Io(p.clone(), e))?;
            Engine::from_json(&json)
        }
        None => Engine::default_bundle(),
    }
    .map_err(|e| JudgeError::Engine(e.to_string()))?;
    let ctx = Context::default();
    let mut calls = Vec::with_capacity(rows.len());
    for r in &rows {
        let a = engine
            .analyze(&r.text, &ctx)
            .map_err(|e| JudgeError::Engine(e.to_string()))?;
        let conduct: Vec<_> = a
            .findings
            .iter()
            .filter(|f| f.element == Element::EmployeeConduct)
            .collect();
        let mut rules: Vec<String> = conduct
            .iter()
            .filter(|f| f.severity >= Severity::Warning)
            .map(|f| f.rule_id.clone())
            .collect();
        rules.dedup();
        calls.push(Calls {
            flagged: !rules.is_empty(),
            any: !conduct.is_empty(),
            slur_violation: conduct
                .iter()
                .any(|f| f.rule_id == "conduct.slur" && f.severity == Severity::Violation),
            rules,
            alex: None,
        });
    }
    for (c, a) in calls.iter_mut().zip(alex(args, &rows)?) {
        c.alex = a;
    }

    // Groups: each (dataset, label), then the totals.
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, r) in rows.iter().enumerate() {
        let label = if r.abusive() {
            "hate + offensive"
        } else {
            "clean"
        };
        groups
            .entry(format!("{} · {}", r.dataset(), r.label))
            .or_default()
            .push(i);
        groups.entry(format!("all · {label}")).or_default().push(i);
    }
    let has_alex = calls.iter().any(|c| c.alex.is_some());
    let mut s = String::new();
    let split_name = match want {
        Split::HeldOut => "held-out",
        _ => "validation",
    };
    let _ = writeln!(
        s,
        "## Conduct: hateful, offensive and clean posts\n\n\
         Command (from the repository root, after `npm ci` for alex):\n\n```\n\
         cargo run -q --release -p preflight-judge -- --conduct ../shared/data/conduct.jsonl\n```\n\n\
         Rows: the {split_name} split of `conduct.jsonl` ({} of {} rows: {}). Labels as the \
         sources give them.\n\n\
         * **preflight**: the default bundle, no context; *flagged* = a finding of the element \
         \"Employee conduct\" graded warning or violation (lexicons, their word-sense contexts and \
         the abuse score); *any* also counts advice (e.g. \"crazy\", \"lame\": language notes, \
         not abuse).\n\
         * **alex** 11.0.1 (npm, default options, `scripts/alex-jsonl.mjs`): flagged = any message.\n\n\
         On hate and offensive rows the share is the recall; on clean rows, the false-alarm rate.\n",
        rows.len(),
        all.len(),
        match want {
            Split::HeldOut => "20 % of every source, chosen by a hash of the text before \
                anything was trained (`crates/preflight-core/src/abuse/split.rs`); the abuse \
                model never saw them and no threshold or word-sense context was set on them",
            _ => "the rows the abuse model's calibration and the default bundle's thresholds \
                were tuned on, not the held-out report",
        }
    );
    s.push_str(
        "| rows | n | preflight flagged | preflight any | alex |\n|---|---:|---:|---:|---:|\n",
    );
    for (name, idx) in &groups {
        let n = idx.len();
        let f = idx.iter().filter(|&&i| calls[i].flagged).count();
        let a = idx.iter().filter(|&&i| calls[i].any).count();
        let x = idx.iter().filter(|&&i| calls[i].alex == Some(true)).count();
        let _ = writeln!(
            s,
            "| {name} | {n} | {} | {} | {} |",
            pct(f, n),
            pct(a, n),
            if has_alex {
                pct(x, n)
            } else {
                "not run".into()
            }
        );
    }

    // The issue's target, stated against what the table shows.
    let share = |name: &str, alex: bool| {
        groups.get(name).map(|idx| {
            let k = idx
                .iter()
                .filter(|&&i| {
                    if alex {
                        calls[i].alex == Some(true)
                    } else {
                        calls[i].flagged
                    }
                })
                .count();
            k as f64 / idx.len().max(1) as f64
        })
    };
    if let (Some(recall), Some(olid)) = (
        share("all · hate + offensive", false),
        share("OLID · clean", false),
    ) {
        let met = recall >= 0.90 && olid <= 0.05;
        let _ = writeln!(
            s,
            "\n**Target** (issue 14): recall ≥ 0.90 on hate + offensive with ≤ 5 % flags on clean \
             OLID tweets. preflight: recall {:.1} %, clean OLID {:.1} %: **{}**.{}\n",
            recall * 100.0,
            olid * 100.0,
            if met { "met" } else { "not met" },
            match (
                share("all · hate + offensive", true),
                share("OLID · clean", true)
            ) {
                (Some(r), Some(o)) if has_alex => format!(
                    " alex: recall {:.1} %, clean OLID {:.1} %.",
                    r * 100.0,
                    o * 100.0
                ),
                _ => String::new(),
            }
        );
    }

    // Davidson's "neither" rows that are not clean.
    let davidson_clean: Vec<usize> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.dataset() == "Davidson" && !r.abusive())
        .map(|(i, _)| i)
        .collect();
    let slur = davidson_clean
        .iter()
        .filter(|&&i| calls[i].slur_violation)
        .count();
    let flagged = davidson_clean.iter().filter(|&&i| calls[i].flagged).count();
    let _ = writeln!(
        s,
        "\n**Davidson's \"neither\" labels.** Davidson et al. label a tweet \"neither\" (here: \
         clean) when annotators did not call it hateful or offensive, and some such tweets \
         carry slurs. Of the {} Davidson clean rows here, **{slur}** ({}) hold a term the \
         default bundle grades as a violation-grade slur (after its word-sense contexts); \
         {flagged} ({}) get a conduct warning or violation in all. These are counted as false \
         alarms above, as labelled; without the {slur} slur rows, preflight flags {} of the \
         Davidson clean rows. (The trainer leaves such rows out of fitting: \
         `model/ABUSE-REPORT.md`.) No row is quoted here.\n",
        davidson_clean.len(),
        pct(slur, davidson_clean.len()),
        pct(flagged, davidson_clean.len()),
        pct(flagged - slur.min(flagged), davidson_clean.len() - slur),
    );

    // What flags the clean OLID rows.
    let olid_clean: Vec<usize> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.dataset() == "OLID" && !r.abusive())
        .map(|(i, _)| i)
        .collect();
    let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
    for &i in &olid_clean {
        for r in &calls[i].rules {
            *by_rule.entry(r.as_str()).or_default() += 1;
        }
    }
    let _ = writeln!(
        s,
        "Which rules flag the {} clean OLID rows (a row may count under several):\n",
        olid_clean.len()
    );
    s.push_str("| rule | clean OLID rows flagged |\n|---|---:|\n");
    for (rule, n) in &by_rule {
        let _ = writeln!(s, "| `{rule}` | {n} ({}) |", pct(*n, olid_clean.len()));
    }
    Ok(s)
}
