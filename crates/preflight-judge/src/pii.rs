//! Section `pii` of docs/JUDGEMENT.md: the PII and security detectors on every written form of
//! an IP address, SSN and phone number, and on entity-free drafts that must raise nothing.
//!
//! Reads the cases (`tests/judgement/pii.jsonl`, see `preflight_core::pii_forms`), runs each
//! through the embedded default bundle and counts, per form, what was found, missed or found
//! over the wrong span; per detector, precision and recall; per kind of entity-free draft,
//! the false findings. Every number comes from the engine.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use preflight_core::pii_forms::{judge, parse_cases, Outcome};
use preflight_core::Engine;

use crate::{Args, JudgeError};

/// Counts of one form (or one detector).
#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    cases: usize,
    expected: usize,
    found: usize,
    missed: usize,
    wrong: usize,
    /// Findings nobody expected (detector rows only).
    extra: usize,
}

/// The markdown of this section.
pub fn section(args: &Args) -> Result<String, JudgeError> {
    let path = &args.pii_cases;
    let text = std::fs::read_to_string(path).map_err(|e| JudgeError::Io(path.clone(), e))?;
    let cases = parse_cases(&text).map_err(|e| JudgeError::Engine(format!("{path}: {e}")))?;
    let engine = Engine::default_bundle().map_err(|e| JudgeError::Engine(e.to_string()))?;
    let mut outcomes = Vec::with_capacity(cases.len());
    for case in &cases {
        let o =
            judge(&engine, case).map_err(|e| JudgeError::Engine(format!("{}: {e}", case.id)))?;
        let detector = case.expect.first().map(|e| e.detector.clone());
        outcomes.push((detector, o));
    }
    Ok(render(path, &outcomes))
}

fn render(path: &str, outcomes: &[(Option<String>, Outcome)]) -> String {
    // Forms, grouped by the detector they belong to, in file order.
    let mut groups: Vec<(String, Vec<(String, Tally)>)> = Vec::new();
    let mut detectors: BTreeMap<String, Tally> = BTreeMap::new();
    let mut free: Vec<(String, usize, usize, usize)> = Vec::new();
    let (mut forms_total, mut free_total) = (0, 0);
    for (detector, o) in outcomes {
        for e in &o.found {
            let t = detectors.entry(e.detector.clone()).or_default();
            t.expected += 1;
            t.found += 1;
        }
        for e in &o.missed {
            let t = detectors.entry(e.detector.clone()).or_default();
            t.expected += 1;
            t.missed += 1;
        }
        for (e, _) in &o.wrong_span {
            let t = detectors.entry(e.detector.clone()).or_default();
            t.expected += 1;
            t.wrong += 1;
        }
        for e in &o.extra {
            detectors.entry(e.detector.clone()).or_default().extra += 1;
        }
        let Some(detector) = detector else {
            free_total += 1;
            let pii = usize::from(!o.extra.is_empty());
            let hate = usize::from(!o.hate_numbers.is_empty());
            match free.iter_mut().find(|(k, ..)| *k == o.kind) {
                Some(row) => {
                    row.1 += 1;
                    row.2 += pii;
                    row.3 += hate;
                }
                None => free.push((o.kind.clone(), 1, pii, hate)),
            }
            continue;
        };
        forms_total += 1;
        let group = match groups.iter_mut().find(|(d, _)| d == detector) {
            Some(g) => g,
            None => {
                groups.push((detector.clone(), Vec::new()));
                groups.last_mut().expect("just pushed")
            }
        };
        let row = match group.1.iter_mut().find(|(k, _)| *k == o.kind) {
            Some(r) => r,
            None => {
                group.1.push((o.kind.clone(), Tally::default()));
                group.1.last_mut().expect("just pushed")
            }
        };
        row.1.cases += 1;
        row.1.expected += o.found.len() + o.missed.len() + o.wrong_span.len();
        row.1.found += o.found.len();
        row.1.missed += o.missed.len();
        row.1.wrong += o.wrong_span.len();
    }
    let free_flagged = outcomes
        .iter()
        .filter(|(d, o)| d.is_none() && !o.extra.is_empty())
        .count();
    let free_hate = outcomes
        .iter()
        .filter(|(d, o)| d.is_none() && !o.hate_numbers.is_empty())
        .count();

    let mut s = String::new();
    let _ = writeln!(s, "## PII and security detectors\n");
    let _ = writeln!(
        s,
        "Cases: `{path}`, {forms_total} drafts holding written forms of IP addresses, SSNs and \
         phone numbers, and {free_total} entity-free drafts (version numbers, dates, prices, \
         order and tracking numbers, …), all written for this test. Each runs through the \
         embedded default bundle with the default context; a form counts as found when its \
         detector's rule reports exactly the expected text, as a wrong span when it reports an \
         overlapping other text. Regenerate with \
         `cargo run -q -p preflight-judge -- --only pii`.\n"
    );
    let _ = writeln!(s, "### Per detector\n");
    let _ = writeln!(
        s,
        "| detector | expected | found | missed | wrong span | false findings | precision | recall |"
    );
    let _ = writeln!(s, "|---|---:|---:|---:|---:|---:|---:|---:|");
    for (d, t) in &detectors {
        let tp = t.found as f64;
        let precision = ratio(tp, tp + (t.extra + t.wrong) as f64);
        let recall = ratio(tp, t.expected as f64);
        let _ = writeln!(
            s,
            "| `{d}` | {} | {} | {} | {} | {} | {precision} | {recall} |",
            t.expected, t.found, t.missed, t.wrong, t.extra
        );
    }
    let _ = writeln!(
        s,
        "\nFalse findings are PII or security findings nobody expected, on any case.\n"
    );
    for (detector, rows) in &groups {
        let _ = writeln!(s, "### `{detector}` forms\n");
        let _ = writeln!(
            s,
            "| form | cases | expected | found | missed | wrong span |"
        );
        let _ = writeln!(s, "|---|---:|---:|---:|---:|---:|");
        let mut sum = Tally::default();
        for (kind, t) in rows {
            let _ = writeln!(
                s,
                "| {kind} | {} | {} | {} | {} | {} |",
                t.cases, t.expected, t.found, t.missed, t.wrong
            );
            sum.cases += t.cases;
            sum.expected += t.expected;
            sum.found += t.found;
            sum.missed += t.missed;
            sum.wrong += t.wrong;
        }
        let _ = writeln!(
            s,
            "| **all** | {} | {} | {} | {} | {} |",
            sum.cases, sum.expected, sum.found, sum.missed, sum.wrong
        );
        let false_here = outcomes
            .iter()
            .filter(|(d, _)| d.is_none())
            .flat_map(|(_, o)| &o.extra)
            .filter(|e| e.detector == *detector)
            .count();
        let _ = writeln!(
            s,
            "\n`{detector}` findings on the {free_total} entity-free drafts: {false_here} \
             (0 expected).\n"
        );
    }
    let _ = writeln!(s, "### Entity-free drafts\n");
    let _ = writeln!(
        s,
        "| kind | drafts | with a PII / security finding | with a hate-number finding |"
    );
    let _ = writeln!(s, "|---|---:|---:|---:|");
    for (kind, n, pii, hate) in &free {
        let _ = writeln!(s, "| {kind} | {n} | {pii} | {hate} |");
    }
    let _ = writeln!(
        s,
        "| **all** | {free_total} | {free_flagged} (0 expected) | {free_hate} (0 expected) |\n"
    );
    let failing: Vec<&Outcome> = outcomes
        .iter()
        .map(|(_, o)| o)
        .filter(|o| !o.ok())
        .collect();
    if failing.is_empty() {
        let _ = writeln!(s, "Every case gets exactly what it expects.");
    } else {
        let _ = writeln!(s, "Cases that do not get what they expect:\n");
        for o in failing {
            let _ = writeln!(s, "- `{}` ({}): {}", o.id, o.kind, o.problems());
        }
    }
    s
}

/// `num / den` with two decimals, or `n/a` when nothing was counted.
fn ratio(num: f64, den: f64) -> String {
    if den == 0.0 {
        "n/a".into()
    } else {
        format!("{:.2}", num / den)
    }
}

#[cfg(test)]
mod tests {
    use preflight_core::pii_forms::{Expected, Outcome};

    fn outcome(id: &str, kind: &str) -> Outcome {
        Outcome {
            id: id.into(),
            kind: kind.into(),
            found: vec![],
            missed: vec![],
            wrong_span: vec![],
            extra: vec![],
            hate_numbers: vec![],
        }
    }

    fn e(d: &str, m: &str) -> Expected {
        Expected {
            detector: d.into(),
            matched: m.into(),
        }
    }

    #[test]
    fn counts_come_from_the_outcomes() {
        let mut a = outcome("a", "ipv6 compressed");
        a.found.push(e("IP_ADDRESS", "::1"));
        let mut b = outcome("b", "ipv6 compressed");
        b.missed.push(e("IP_ADDRESS", "fd00::7"));
        let mut c = outcome("c", "version numbers");
        c.extra.push(e("IP_ADDRESS", "1.2.3.4"));
        let d = outcome("d", "dates");
        let ip = Some("IP_ADDRESS".to_string());
        let md = super::render("x.jsonl", &[(ip.clone(), a), (ip, b), (None, c), (None, d)]);
        assert!(
            md.contains("| `IP_ADDRESS` | 2 | 1 | 1 | 0 | 1 | 0.50 | 0.50 |"),
            "{md}"
        );
        assert!(
            md.contains("| ipv6 compressed | 2 | 2 | 1 | 1 | 0 |"),
            "{md}"
        );
        assert!(
            md.contains("findings on the 2 entity-free drafts: 1 (0 expected)"),
            "{md}"
        );
        assert!(md.contains("| version numbers | 1 | 1 | 0 |"), "{md}");
        assert!(
            md.contains("| **all** | 2 | 1 (0 expected) | 0 (0 expected) |"),
            "{md}"
        );
        assert!(
            md.contains("- `b` (ipv6 compressed): missing IP_ADDRESS \"fd00::7\""),
            "{md}"
        );
    }
}
