//! Bundles that extend another: `"extends": "<id>@<major>"` plus only the agency's parts.
//!
//! [`resolve`] merges an extending bundle into its parent as JSON values, before the bundle is
//! read, so the merged bundle goes through the same shape and semantic checks as any other.
//! Every part of the merge records where it came from ([`Resolved::origins`]), so a problem
//! in the merged bundle is reported at its path in the agency's file (and line:column there);
//! a problem in an inherited part that the agency did not touch is reported at `$.extends`.
//!
//! How each part merges (docs/BUNDLE.md, "Extending the default bundle"):
//!
//! * `metadata`: the agency's, with `language` inherited when left out;
//! * `sites`, `rules`: the agency's are added after the parent's;
//! * any other part the agency gives (`registry`, `duty_hours`, `official_titles`,
//!   `disclaimers`, …) replaces the parent's;
//! * `overrides`: by rule id, `enabled`, `severity` and `add_terms` (appended to a phrase
//!   rule's `match.phrases.terms`) change inherited rules.
//!
//! The merge works on `serde_json::Value`s so that it adds no deserializer to the
//! WebAssembly module.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde_json::{Map, Value};

use crate::{
    validate::push_key, DisclaimerSet, DutyHours, OfficialAccount, Problem, Rule, Severity, Site,
};

/// The JSON Schema's view of a bundle that extends another (the merge itself works on JSON
/// values: [`resolve`]).
#[derive(Debug, Clone, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtendingBundle {
    #[serde(rename = "$schema", default)]
    pub schema: Option<String>,
    /// `<id>@<major>` of the bundle this one extends, e.g. `us-federal-default@1`.
    pub extends: String,
    /// Bundle format version (inherited when left out).
    #[serde(default)]
    pub format: Option<u32>,
    pub metadata: ExtendingMetadata,
    /// Sites added to the parent's.
    #[serde(default)]
    pub sites: Vec<Site>,
    /// The agency's official accounts (replace the parent's).
    #[serde(default)]
    pub registry: Vec<OfficialAccount>,
    /// The agency's duty hours (replace the parent's).
    #[serde(default)]
    pub duty_hours: Option<DutyHours>,
    /// The agency's official titles (replace the parent's).
    #[serde(default)]
    pub official_titles: Option<Vec<String>>,
    #[serde(default)]
    /// The agency's disclaimers (replace the parent's).
    pub disclaimers: Option<DisclaimerSet>,
    /// Changes to inherited rules, by rule id.
    #[serde(default)]
    pub overrides: BTreeMap<String, Override>,
    /// The agency's own rules, added after the parent's.
    #[serde(default)]
    pub rules: Vec<Rule>,
}

/// An extending bundle's metadata: `language` is inherited when left out.
#[derive(Debug, Clone, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtendingMetadata {
    pub id: String,
    pub version: String,
    pub organization: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub policy_url: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
}

/// A change to an inherited rule.
#[derive(Debug, Clone, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Override {
    /// `false` switches the rule off.
    #[serde(default)]
    pub enabled: Option<bool>,
    #[serde(default)]
    pub severity: Option<Severity>,
    /// Terms appended to the rule's `match.phrases.terms`.
    #[serde(default)]
    pub add_terms: Vec<String>,
}

/// The keys an override may set.
const OVERRIDE_KEYS: &str = "`enabled`, `severity`, `add_terms`";

/// Where the parts of a merged bundle come from.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// `(path in the merged bundle, path in the extending file)`, e.g.
    /// `("$.rules[63]", "$.rules[0]")`, `("$.rules[5].severity", "$.overrides[\"x\"].severity")`.
    pub origins: Vec<(String, String)>,
    /// What the bundle extends, e.g. `us-federal-default@1`.
    pub parent: String,
}

impl Resolved {
    /// Where the value at `path` of the merged bundle comes from in the extending file: the
    /// path there, or `None` when it is inherited untouched.
    pub fn source_path(&self, path: &str) -> Option<String> {
        if path == "$" {
            return Some(path.into());
        }
        let mut best: Option<&(String, String)> = None;
        for o in &self.origins {
            let fits = path
                .strip_prefix(o.0.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']));
            if fits && !matches!(best, Some(b) if b.0.len() >= o.0.len()) {
                best = Some(o);
            }
        }
        best.map(|(merged, own)| format!("{own}{}", &path[merged.len()..]))
    }

    /// Move `p` to its path in the extending file; a problem of the parent goes to `$.extends`.
    pub fn relocate(&self, p: &mut Problem) {
        match self.source_path(&p.path) {
            Some(path) => p.path = path,
            None => {
                p.message = format!("in {} at {}: {}", self.parent, p.path, p.message);
                p.path = "$.extends".into();
            }
        }
        p.line = None;
        p.column = None;
    }
}

/// `id@major` of a bundle's metadata (empty when it has no id or version).
fn handle(metadata: Option<&Value>) -> String {
    let field = |k| metadata.and_then(|m| m.get(k)).and_then(Value::as_str);
    let major = field("version").and_then(|v| v.split('.').next());
    format!("{}@{}", field("id").unwrap_or(""), major.unwrap_or(""))
}

fn problem(path: String, message: String) -> Problem {
    Problem {
        path,
        line: None,
        column: None,
        message,
    }
}

/// Merge `own`, a bundle with an `extends` key, into `parent` (JSON text of the bundle it
/// must name): the merged bundle and where its parts come from. `Err` holds the problems of
/// the extension itself (an unknown parent or rule id, a bad override), at their paths in
/// `own`, unlocated.
pub fn resolve(own: Value, parent: &str) -> Result<(Value, Resolved), Vec<Problem>> {
    let (Value::Object(mut own), Ok(Value::Object(mut merged))) =
        (own, serde_json::from_str::<Value>(parent))
    else {
        return Err(vec![problem("$".into(), "expected a bundle object".into())]);
    };
    let name = handle(merged.get("metadata"));
    if own.get("extends").and_then(Value::as_str) != Some(name.as_str()) {
        return Err(vec![problem(
            "$.extends".into(),
            format!("unknown parent bundle: this build can extend `{name}` (a string)"),
        )]);
    }
    // (Taken, not removed: a BTreeMap's removal would add 4 KB to the WebAssembly module.)
    let overrides = own.get_mut("overrides").map(Value::take);
    let parent_rules = list_len(&merged, "rules");
    let mut origins = Vec::new();
    let mut problems = Vec::new();
    // The metadata's language is inherited when left out.
    if let (Some(Value::Object(m)), Some(lang)) = (
        own.get_mut("metadata"),
        merged
            .get_mut("metadata")
            .and_then(|p| p.get_mut("language")),
    ) {
        if !m.contains_key("language") {
            m.insert("language".into(), lang.take());
        }
    }
    for (key, value) in own {
        if key == "extends" || key == "overrides" {
            continue;
        }
        let mut path = "$".to_string();
        push_key(&mut path, &key);
        match (value, merged.get_mut(&key)) {
            // `sites` and `rules` are added to the parent's.
            (Value::Array(items), Some(Value::Array(list))) if key == "sites" || key == "rules" => {
                for (j, item) in items.into_iter().enumerate() {
                    origins.push((format!("{path}[{}]", list.len()), format!("{path}[{j}]")));
                    list.push(item);
                }
            }
            // Everything else replaces the parent's.
            (value, _) => {
                origins.push((path.clone(), path));
                merged.insert(key, value);
            }
        }
    }
    let rules = match merged.get_mut("rules") {
        Some(Value::Array(rules)) => &mut rules[..parent_rules],
        _ => &mut [],
    };
    match overrides {
        None => {}
        Some(Value::Object(overrides)) => {
            for (id, o) in overrides {
                let mut at = "$.overrides".to_string();
                push_key(&mut at, &id);
                let found = rules
                    .iter_mut()
                    .enumerate()
                    .find(|(_, r)| r.get("id").and_then(Value::as_str) == Some(id.as_str()));
                let known = found.is_some();
                let (Some((i, Value::Object(rule))), Value::Object(o)) = (found, o) else {
                    problems.push(problem(
                        at,
                        if known {
                            format!("expected an object of {OVERRIDE_KEYS}")
                        } else {
                            format!("unknown rule id `{id}`: `{name}` has no such rule")
                        },
                    ));
                    continue;
                };
                for (k, v) in o {
                    let from = format!("{at}.{k}");
                    let terms = rule
                        .get_mut("match")
                        .and_then(|m| m.get_mut("phrases"))
                        .and_then(|p| p.get_mut("terms"));
                    match (k.as_str(), v, terms) {
                        ("enabled" | "severity", v, _) => {
                            origins.push((format!("$.rules[{i}].{k}"), from));
                            rule.insert(k, v);
                        }
                        ("add_terms", Value::Array(add), Some(Value::Array(terms))) => {
                            for (j, t) in add.into_iter().enumerate() {
                                origins.push((
                                    format!("$.rules[{i}].match.phrases.terms[{}]", terms.len()),
                                    format!("{from}[{j}]"),
                                ));
                                terms.push(t);
                            }
                        }
                        _ => problems.push(problem(
                            from,
                            format!("expected {OVERRIDE_KEYS} (add_terms: an array, for a rule of phrase terms)"),
                        )),
                    }
                }
            }
        }
        Some(_) => problems.push(problem(
            "$.overrides".into(),
            format!("expected an object of {OVERRIDE_KEYS} by rule id"),
        )),
    }
    if problems.is_empty() {
        Ok((
            Value::Object(merged),
            Resolved {
                origins,
                parent: name,
            },
        ))
    } else {
        Err(problems)
    }
}

fn list_len(bundle: &Map<String, Value>, key: &str) -> usize {
    bundle
        .get(key)
        .and_then(Value::as_array)
        .map_or(0, Vec::len)
}

#[cfg(test)]
mod tests {
    use crate::validate::tests::{parse, GOOD};
    use crate::Severity;

    fn problems(text: &str) -> Vec<crate::Problem> {
        parse(text).expect_err("should be invalid").problems
    }

    const AGENCY: &str = r#"{
  "extends": "t@1",
  "metadata": {"id": "agency", "version": "2.0.0", "organization": "Agency"},
  "registry": [{"site": "x", "handle": "@agency", "unit": "Press"}],
  "sites": [{"id": "y", "name": "Y", "hosts": ["y.example"], "kind": "forum"}],
  "official_titles": ["Harbor Master"],
  "overrides": {
    "a": {"severity": "advice", "add_terms": ["pass the hat"]},
    "b": {"enabled": false}
  },
  "rules": [
    {"id": "own", "element": "content", "severity": "warning", "message": "m", "why": "w",
     "reference": {"clause": "c"}, "match": {"phrases": {"terms": ["project kestrel"]}}}
  ]
}"#;

    #[test]
    fn an_extending_bundle_merges_into_its_parent() {
        let b = parse(AGENCY).unwrap();
        assert_eq!(b.metadata.id, "agency");
        assert_eq!(b.metadata.language, "en", "language inherited");
        assert_eq!(b.registry.len(), 1);
        assert_eq!(b.registry[0].handle, "@agency", "registry replaced");
        let sites: Vec<&str> = b.sites.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(sites, ["x", "y"]);
        assert_eq!(b.disclaimers.variants.len(), 1, "disclaimers inherited");
        assert_eq!(b.official_titles, ["Harbor Master"], "titles replaced");
        let ids: Vec<&str> = b.rules.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c", "own"]);
        assert_eq!(b.rules[0].severity, Severity::Advice);
        let crate::Matcher::Phrases(p) = &b.rules[0].matcher else {
            panic!("phrases")
        };
        assert_eq!(p.terms, ["chip in", "fundrais*", "pass the hat"]);
        assert!(!b.rules[1].enabled);
        assert!(b.rules[2].enabled);
    }

    #[test]
    fn problems_are_reported_in_the_extending_file() {
        // An unknown rule id: its path and line in the agency's file.
        let text = AGENCY.replace(r#""b": {"enabled""#, r#""zz": {"enabled""#);
        let p = problems(&text);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].path, "$.overrides.zz");
        assert!(
            p[0].message.contains("unknown rule id `zz`"),
            "{}",
            p[0].message
        );
        assert_eq!(p[0].line, Some(9));

        // A bad severity and a bad term: at the override, not in the merged rule.
        let text = AGENCY.replace(r#""severity": "advice""#, r#""severity": "grave""#);
        let p = problems(&text);
        assert_eq!(p[0].path, "$.overrides.a.severity", "{p:?}");
        assert_eq!(p[0].line, Some(8));
        let text = AGENCY.replace("pass the hat", "pass the *");
        let p = problems(&text);
        assert_eq!(p[0].path, "$.overrides.a.add_terms[0]", "{p:?}");
        assert_eq!(p[0].line, Some(8));

        // The agency's own rule: its index in the agency's file.
        let text = AGENCY.replace(r#""element": "content""#, r#""element": "gossip""#);
        let p = problems(&text);
        assert_eq!(p[0].path, "$.rules[0].element", "{p:?}");
        assert_eq!(p[0].line, Some(12));

        // A rule id that the parent has already.
        let text = AGENCY.replace(r#""id": "own""#, r#""id": "a""#);
        let p = problems(&text);
        assert!(p.iter().any(|p| p.path.starts_with("$.rules[0]")), "{p:?}");
    }

    #[test]
    fn the_parent_must_be_the_one_this_build_has() {
        for (extends, path) in [
            ("\"t@2\"", "$.extends"),
            ("\"other@1\"", "$.extends"),
            ("1", "$.extends"),
        ] {
            let text = AGENCY.replace("\"t@1\"", extends);
            let p = problems(&text);
            assert_eq!(p[0].path, path);
            assert!(p[0].message.contains("`t@1`"), "{}", p[0].message);
            assert_eq!(p[0].line, Some(2));
        }
        let text = AGENCY.replace(
            r#""b": {"enabled": false}"#,
            r#""b": {"enabled": false, "why": "x"}"#,
        );
        assert_eq!(problems(&text)[0].path, "$.overrides.b.why");
        let text = AGENCY.replace(r#""b": {"enabled": false}"#, r#""b": {"add_terms": ["x"]}"#);
        let p = problems(&text);
        assert_eq!(p[0].path, "$.overrides.b.add_terms");
        assert!(p[0].message.contains("phrase terms"));
    }

    #[test]
    fn a_plain_bundle_is_read_as_before() {
        assert_eq!(parse(GOOD).unwrap().metadata.id, "t");
    }
}
