//! The policy-rule paraphrase suite of `tests/paraphrase/`: per rule family, drafts written
//! fresh that the family must flag and near misses it must not, each run on duty and off
//! duty. Shared by the integration test `tests/paraphrase.rs` (which holds the main suite to
//! its thresholds) and the `paraphrase` section of `docs/JUDGEMENT.md` (`preflight-judge`).
//!
//! A suite directory holds `families.json` (`{"families": [{"name", "file", "rules",
//! "disclaimer"}]}`) and one JSONL file per family: `{"text", "expect", "context"?, "held"?}`,
//! `expect` being `flag`, `pass` or `flag_on_duty`.

use std::path::Path;

use serde::Deserialize;

use crate::{Analysis, Context, Engine, Error};

#[derive(Deserialize)]
struct Families {
    families: Vec<Family>,
}

/// A rule family: the rules whose findings count as flagging (an id ending in `.` is a
/// prefix), or the disclaimer decision.
#[derive(Debug, Clone, Deserialize)]
pub struct Family {
    pub name: String,
    pub file: String,
    #[serde(default)]
    pub rules: Vec<String>,
    #[serde(default)]
    pub disclaimer: bool,
}

/// One draft of a family.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Row {
    pub text: String,
    pub expect: String,
    #[serde(default)]
    pub context: Option<Context>,
    /// Held back from tuning (reported apart).
    #[serde(default)]
    pub held: bool,
}

impl Row {
    /// Whether the family should flag this draft in the given duty state.
    pub fn should_flag(&self, on_duty: bool) -> bool {
        match self.expect.as_str() {
            "flag" => true,
            "flag_on_duty" => on_duty,
            _ => false,
        }
    }

    /// The draft's context (by default an X draft from a personal account) in the given duty
    /// state.
    pub fn context(&self, on_duty: bool) -> Context {
        let mut ctx = self.context.clone().unwrap_or(Context {
            site: Some("x".into()),
            account: Some("@jordan_lee".into()),
            ..Context::default()
        });
        ctx.on_duty = Some(on_duty);
        ctx
    }
}

impl Family {
    /// Whether `a` counts as this family flagging the draft.
    pub fn flagged(&self, a: &Analysis) -> bool {
        if self.disclaimer {
            return a.disclaimer.needed;
        }
        a.findings.iter().any(|f| {
            self.rules.iter().any(|r| {
                if r.ends_with('.') {
                    f.rule_id.starts_with(r.as_str())
                } else {
                    f.rule_id == *r
                }
            })
        })
    }
}

/// A draft a family got wrong.
#[derive(Debug, Clone)]
pub struct Wrong<'a> {
    pub row: &'a Row,
    /// `true`: it should have been flagged (a miss); `false`: a false alarm.
    pub missed: bool,
}

/// Counts for one family in one duty state.
#[derive(Debug, Default)]
pub struct Tally<'a> {
    pub flags: usize,
    pub caught: usize,
    pub passes: usize,
    pub alarms: usize,
    /// The same, for the rows held back from tuning.
    pub held_flags: usize,
    pub held_caught: usize,
    pub held_passes: usize,
    pub held_alarms: usize,
    pub wrong: Vec<Wrong<'a>>,
}

/// Read the suite in `dir`: its families, each with its drafts. A malformed file is an error
/// naming the file and line.
pub fn read_suite(dir: &Path) -> Result<Vec<(Family, Vec<Row>)>, Error> {
    let index = dir.join("families.json");
    let bad = |m: String| Error::Context(m);
    let text =
        std::fs::read_to_string(&index).map_err(|e| bad(format!("{}: {e}", index.display())))?;
    let families: Families = serde_json::from_str(&text)
        .map_err(|e| bad(format!("{}:{}: {e}", index.display(), e.line())))?;
    let mut out = Vec::new();
    for family in families.families {
        let path = dir.join(&family.file);
        let text =
            std::fs::read_to_string(&path).map_err(|e| bad(format!("{}: {e}", path.display())))?;
        let mut rows = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let at = |m: String| bad(format!("{}:{}: {m}", path.display(), i + 1));
            let row: Row = serde_json::from_str(line).map_err(|e| at(e.to_string()))?;
            if !matches!(row.expect.as_str(), "flag" | "pass" | "flag_on_duty") {
                return Err(at(format!(
                    "expect must be flag, pass or flag_on_duty, found {:?}",
                    row.expect
                )));
            }
            rows.push(row);
        }
        out.push((family, rows));
    }
    Ok(out)
}

/// Run a family's drafts through `engine` in one duty state.
pub fn tally<'a>(
    engine: &Engine,
    family: &Family,
    rows: &'a [Row],
    on_duty: bool,
) -> Result<Tally<'a>, Error> {
    let mut t = Tally::default();
    for row in rows {
        let should = row.should_flag(on_duty);
        let got = family.flagged(&engine.analyze(&row.text, &row.context(on_duty))?);
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
            t.wrong.push(Wrong {
                row,
                missed: should,
            });
        }
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(expect: &str) -> Row {
        Row {
            text: "x".into(),
            expect: expect.into(),
            context: None,
            held: false,
        }
    }

    #[test]
    fn expectations_by_duty_state() {
        assert!(row("flag").should_flag(false) && row("flag").should_flag(true));
        assert!(!row("pass").should_flag(true));
        assert!(row("flag_on_duty").should_flag(true) && !row("flag_on_duty").should_flag(false));
        assert_eq!(row("pass").context(true).on_duty, Some(true));
        assert_eq!(row("pass").context(false).site.as_deref(), Some("x"));
    }

    #[test]
    fn a_bad_expectation_is_refused_by_file_and_line() {
        let dir = std::env::temp_dir().join(format!("pf-paraphrase-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("families.json"),
            r#"{"families": [{"name": "f", "file": "f.jsonl", "rules": ["a."]}]}"#,
        )
        .unwrap();
        std::fs::write(
            dir.join("f.jsonl"),
            "{\"text\": \"a\", \"expect\": \"flag\"}\n\n{\"text\": \"b\", \"expect\": \"maybe\"}\n",
        )
        .unwrap();
        let err = read_suite(&dir).unwrap_err().to_string();
        std::fs::remove_dir_all(&dir).ok();
        assert!(err.contains("f.jsonl:3: expect must be flag"), "{err}");
    }
}
