//! The PII form cases of `tests/judgement/pii.jsonl`: drafts that each hold one or more
//! written forms of an IP address, SSN or phone number (or none at all), and what an engine
//! reports on them. Shared by the integration test `tests/pii_forms.rs` and the `pii`
//! section of `docs/JUDGEMENT.md` (`preflight-judge`).
//!
//! A line is `{"id","kind","text","expect":[{"detector","match"}]}`: `detector` is the entity a
//! detector rule reports (`IP_ADDRESS`), `match` the exact text it must cover. A case with an
//! empty `expect` is an entity-free draft: it must raise no PII or security detector finding
//! and no hate-number finding (a conduct finding on a match with digits in it).

use serde::Deserialize;

use crate::{Analysis, Context, Element, Engine, Error};

/// Detectors that are not about personal data or secrets (accessibility checks).
const NOT_PII: &[&str] = &["LOWERCASE_HASHTAG", "IMAGE_WITHOUT_DESCRIPTION"];

/// One line of the file.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormCase {
    pub id: String,
    /// The form (`ipv6 compressed`) or, for entity-free drafts, the kind of number in them
    /// (`version numbers`).
    pub kind: String,
    pub text: String,
    pub expect: Vec<Expected>,
}

/// A finding a case expects.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expected {
    /// Detector entity, e.g. `IP_ADDRESS`.
    pub detector: String,
    /// The exact text the finding covers.
    #[serde(rename = "match")]
    pub matched: String,
}

/// What the engine reported on one case, against what it expects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub id: String,
    pub kind: String,
    /// Expected and reported with exactly this text.
    pub found: Vec<Expected>,
    /// Expected, not reported at all.
    pub missed: Vec<Expected>,
    /// Expected, reported by the same detector over an overlapping but different span:
    /// `(expected, reported)`.
    pub wrong_span: Vec<(Expected, Expected)>,
    /// Reported by a PII or security detector, not expected (and not a wrong span).
    pub extra: Vec<Expected>,
    /// Conduct findings on matches with digits in them (`1488`), as `rule: match`.
    pub hate_numbers: Vec<String>,
}

impl Outcome {
    /// Exactly what the case expects, and no hate-number finding.
    pub fn ok(&self) -> bool {
        self.missed.is_empty()
            && self.wrong_span.is_empty()
            && self.extra.is_empty()
            && self.hate_numbers.is_empty()
    }

    /// A one-line account of what went wrong (empty when [`Outcome::ok`]).
    pub fn problems(&self) -> String {
        let show = |e: &Expected| format!("{} {:?}", e.detector, e.matched);
        let mut parts = Vec::new();
        if !self.missed.is_empty() {
            let m: Vec<_> = self.missed.iter().map(show).collect();
            parts.push(format!("missing {}", m.join(", ")));
        }
        for (want, got) in &self.wrong_span {
            parts.push(format!(
                "wrong span: {} instead of {}",
                show(got),
                show(want)
            ));
        }
        if !self.extra.is_empty() {
            let m: Vec<_> = self.extra.iter().map(show).collect();
            parts.push(format!("extra {}", m.join(", ")));
        }
        if !self.hate_numbers.is_empty() {
            parts.push(format!("hate number {}", self.hate_numbers.join(", ")));
        }
        parts.join("; ")
    }
}

/// Parse the JSONL text of the cases (blank lines skipped). Errors name the line; ids must be
/// unique and every `match` must occur in its text.
pub fn parse_cases(text: &str) -> Result<Vec<FormCase>, Error> {
    let mut cases: Vec<FormCase> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let bad = |m: String| Error::Context(format!("line {}: {m}", i + 1));
        let case: FormCase = serde_json::from_str(line).map_err(|e| bad(e.to_string()))?;
        if cases.iter().any(|c| c.id == case.id) {
            return Err(bad(format!("duplicate id {:?}", case.id)));
        }
        for e in &case.expect {
            if e.matched.is_empty() || !case.text.contains(&e.matched) {
                return Err(bad(format!(
                    "{}: expected match {:?} is not in the text",
                    case.id, e.matched
                )));
            }
            if !crate::detectors::is_known(&e.detector) {
                return Err(bad(format!(
                    "{}: unknown detector {:?}",
                    case.id, e.detector
                )));
            }
        }
        cases.push(case);
    }
    Ok(cases)
}

/// Run `case` through `engine` (default context) and compare.
pub fn judge(engine: &Engine, case: &FormCase) -> Result<Outcome, Error> {
    let analysis = engine.analyze(&case.text, &Context::default())?;
    Ok(compare(case, &analysis))
}

/// Compare an analysis of `case.text` (byte spans) with what the case expects.
pub fn compare(case: &FormCase, analysis: &Analysis) -> Outcome {
    let mut reported: Vec<(Expected, std::ops::Range<usize>)> = Vec::new();
    let mut hate_numbers = Vec::new();
    for f in &analysis.findings {
        let pairs = f.spans.iter().zip(&f.matched);
        match f.entity.as_deref() {
            Some(entity) if !NOT_PII.contains(&entity) => {
                for (span, m) in pairs {
                    let e = Expected {
                        detector: entity.to_string(),
                        matched: m.clone(),
                    };
                    reported.push((e, span.start..span.end));
                }
            }
            Some(_) => {}
            None => {
                if matches!(
                    f.element,
                    Element::EmployeeConduct | Element::CitizenConduct
                ) {
                    for (_, m) in pairs.filter(|(_, m)| m.bytes().any(|b| b.is_ascii_digit())) {
                        hate_numbers.push(format!("{}: {m}", f.rule_id));
                    }
                }
            }
        }
    }
    let mut out = Outcome {
        id: case.id.clone(),
        kind: case.kind.clone(),
        found: Vec::new(),
        missed: Vec::new(),
        wrong_span: Vec::new(),
        extra: Vec::new(),
        hate_numbers,
    };
    for want in &case.expect {
        if let Some(i) = reported.iter().position(|(r, _)| r == want) {
            reported.remove(i);
            out.found.push(want.clone());
            continue;
        }
        // Wherever the expected text occurs, a finding of the same detector over it.
        let overlapping = reported.iter().position(|(r, span)| {
            r.detector == want.detector
                && case
                    .text
                    .match_indices(want.matched.as_str())
                    .any(|(at, m)| at < span.end && span.start < at + m.len())
        });
        match overlapping {
            Some(i) => {
                let (got, _) = reported.remove(i);
                out.wrong_span.push((want.clone(), got));
            }
            None => out.missed.push(want.clone()),
        }
    }
    out.extra = reported.into_iter().map(|(e, _)| e).collect();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(text: &str, expect: &[(&str, &str)]) -> FormCase {
        FormCase {
            id: "t".into(),
            kind: "k".into(),
            text: text.into(),
            expect: expect
                .iter()
                .map(|(d, m)| Expected {
                    detector: d.to_string(),
                    matched: m.to_string(),
                })
                .collect(),
        }
    }

    #[test]
    fn found_missed_wrong_and_extra() {
        let engine = Engine::default_bundle().unwrap();
        let o = judge(
            &engine,
            &case(
                "Server 10.0.0.5:8080 is down, SSN 536-22-1234",
                &[("IP_ADDRESS", "10.0.0.5"), ("PHONE_NUMBER", "8080")],
            ),
        )
        .unwrap();
        assert_eq!(o.wrong_span.len(), 1, "{o:?}");
        assert_eq!(o.wrong_span[0].1.matched, "10.0.0.5:8080");
        assert_eq!(o.missed.len(), 1);
        assert_eq!(o.extra.len(), 1);
        assert_eq!(o.extra[0].detector, "US_SSN");
        assert!(!o.ok());
        assert!(o.problems().contains("wrong span"), "{}", o.problems());
        let o = judge(
            &engine,
            &case("SSN 536-22-1234", &[("US_SSN", "536-22-1234")]),
        )
        .unwrap();
        assert!(o.ok(), "{}", o.problems());
        assert_eq!(o.found.len(), 1);
    }

    #[test]
    fn parse_errors_name_the_line() {
        let ok =
            r#"{"id":"a","kind":"k","text":"x 1","expect":[{"detector":"US_SSN","match":"1"}]}"#;
        assert_eq!(parse_cases(ok).unwrap().len(), 1);
        let dup = format!("{ok}\n\n{ok}");
        let e = parse_cases(&dup).unwrap_err().to_string();
        assert!(e.contains("line 3") && e.contains("duplicate"), "{e}");
        let absent =
            r#"{"id":"a","kind":"k","text":"x","expect":[{"detector":"US_SSN","match":"1"}]}"#;
        assert!(parse_cases(absent)
            .unwrap_err()
            .to_string()
            .contains("not in the text"));
        let unknown =
            r#"{"id":"a","kind":"k","text":"1","expect":[{"detector":"SSN","match":"1"}]}"#;
        assert!(parse_cases(unknown)
            .unwrap_err()
            .to_string()
            .contains("unknown detector"));
        assert!(parse_cases("{").unwrap_err().to_string().contains("line 1"));
    }
}
