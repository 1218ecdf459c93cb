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
//! * `sites`, `disclaimers.variants`: by `id`, the agency's replace the parent's, others are
//!   added; `disclaimers.present_phrases` are added to the parent's;
//! * `registry`, `duty_hours`, `official_titles`: the agency's replace the parent's;
//! * `rules`: the agency's are added after the parent's;
//! * `overrides`: by rule id, `enabled`, `severity` and `add_terms` (appended to a phrase
//!   rule's `match.phrases.terms`) change inherited rules.
//!
//! The merge works on `serde_json::Value`s so that it adds no deserializer to the
//! WebAssembly module.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde_json::{Map, Value};

use crate::{
    validate::push_key, DisclaimerVariants, DutyHours, OfficialAccount, Problem, Rule, Severity,
    Site,
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
    /// Sites added to the parent's, or replacing those with the same id.
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
    pub disclaimers: Option<ExtendingDisclaimers>,
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

/// Disclaimers of an extending bundle: variants by id (replace or add), phrases added.
#[derive(Debug, Clone, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtendingDisclaimers {
    #[serde(default)]
    pub variants: Vec<DisclaimerVariants>,
    #[serde(default)]
    pub present_phrases: Vec<String>,
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
    let mut problems = Vec::new();
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
    let mut origins = Vec::new();
    let parent_rules = merged
        .get("rules")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    let mut overrides = None;
    let keys: Vec<String> = own.keys().cloned().collect();
    for key in keys {
        let value = own.get_mut(&key).map_or(Value::Null, Value::take);
        let mut path = "$".to_string();
        push_key(&mut path, &key);
        match (key.as_str(), value) {
            ("extends", _) => continue,
            ("overrides", v) => {
                overrides = Some(v);
                continue;
            }
            ("metadata", Value::Object(mut m)) => {
                if !m.contains_key("language") {
                    if let Some(lang) = merged
                        .get_mut("metadata")
                        .and_then(|p| p.get_mut("language"))
                    {
                        m.insert("language".into(), lang.take());
                    }
                }
                merged.insert(key, Value::Object(m));
            }
            ("sites" | "rules", Value::Array(items)) => {
                let by_id = key == "sites";
                merge_list(&mut merged, key, items, by_id, &path, &mut origins);
                continue;
            }
            ("disclaimers", Value::Object(d)) => {
                let mut inner = match merged.get_mut(&key).map(Value::take) {
                    Some(Value::Object(p)) => p,
                    _ => Map::new(),
                };
                let mut d = d;
                let keys: Vec<String> = d.keys().cloned().collect();
                for k in keys {
                    let v = d.get_mut(&k).map_or(Value::Null, Value::take);
                    let sub = format!("{path}.{k}");
                    match (k.as_str(), v) {
                        ("variants" | "present_phrases", Value::Array(items)) => {
                            let by_id = k == "variants";
                            merge_list(&mut inner, k, items, by_id, &sub, &mut origins);
                            continue;
                        }
                        (_, v) => {
                            inner.insert(k, v);
                        }
                    }
                    origins.push((sub.clone(), sub));
                }
                merged.insert(key, Value::Object(inner));
                continue;
            }
            (_, v) => {
                merged.insert(key, v);
            }
        }
        origins.push((path.clone(), path));
    }
    match overrides {
        None => {}
        Some(Value::Object(mut overrides)) => {
            let mut none = Vec::new();
            let rules = merged
                .get_mut("rules")
                .and_then(Value::as_array_mut)
                .unwrap_or(&mut none);
            let ids: Vec<String> = overrides.keys().cloned().collect();
            for id in ids {
                let o = overrides.get_mut(&id).map_or(Value::Null, Value::take);
                let mut at = "$.overrides".to_string();
                push_key(&mut at, &id);
                let found = rules[..parent_rules.min(rules.len())]
                    .iter()
                    .position(|r| r.get("id").and_then(Value::as_str) == Some(id.as_str()));
                let (Some(i), Value::Object(mut o)) = (found, o) else {
                    problems.push(problem(
                        at,
                        match found {
                            None => format!("unknown rule id `{id}`: `{name}` has no such rule"),
                            Some(_) => format!("expected an object with {OVERRIDE_KEYS}"),
                        },
                    ));
                    continue;
                };
                let Value::Object(rule) = &mut rules[i] else {
                    continue;
                };
                let keys: Vec<String> = o.keys().cloned().collect();
                for k in keys {
                    let v = o.get_mut(&k).map_or(Value::Null, Value::take);
                    let from = format!("{at}.{k}");
                    match (k.as_str(), v) {
                        ("enabled" | "severity", v) => {
                            origins.push((format!("$.rules[{i}].{k}"), from));
                            rule.insert(k, v);
                        }
                        ("add_terms", Value::Array(add)) => {
                            let terms = rule
                                .get_mut("match")
                                .and_then(|m| m.get_mut("phrases"))
                                .and_then(|p| p.get_mut("terms"))
                                .and_then(Value::as_array_mut);
                            let Some(terms) = terms else {
                                problems.push(problem(
                                    from,
                                    format!("rule `{id}` has no phrase terms to add to"),
                                ));
                                continue;
                            };
                            for (j, t) in add.into_iter().enumerate() {
                                origins.push((
                                    format!("$.rules[{i}].match.phrases.terms[{}]", terms.len()),
                                    format!("{from}[{j}]"),
                                ));
                                terms.push(t);
                            }
                        }
                        ("add_terms", _) => {
                            problems.push(problem(from, "expected an array of terms".into()))
                        }
                        _ => problems.push(problem(
                            from,
                            format!("unknown field `{k}`, expected one of {OVERRIDE_KEYS}"),
                        )),
                    }
                }
            }
        }
        Some(_) => problems.push(problem(
            "$.overrides".into(),
            "expected an object of overrides by rule id".into(),
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

/// Add `items` (at `path` in the extending file) to the list `key` of `into`; with `by_id`,
/// an item whose `id` the list holds replaces it.
fn merge_list(
    into: &mut Map<String, Value>,
    key: String,
    items: Vec<Value>,
    by_id: bool,
    path: &str,
    origins: &mut Vec<(String, String)>,
) {
    let mut list = match into.get_mut(&key).map(Value::take) {
        Some(Value::Array(list)) => list,
        _ => Vec::new(),
    };
    for (j, item) in items.into_iter().enumerate() {
        let id = |v: &Value| v.get("id").and_then(Value::as_str).map(str::to_owned);
        let mine = id(&item).filter(|_| by_id);
        let at = match list.iter().position(|x| mine.is_some() && id(x) == mine) {
            Some(i) => {
                list[i] = item;
                i
            }
            None => {
                list.push(item);
                list.len() - 1
            }
        };
        origins.push((format!("{path}[{at}]"), format!("{path}[{j}]")));
    }
    into.insert(key, Value::Array(list));
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
  "disclaimers": {"present_phrases": ["not agency views"]},
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
        assert_eq!(b.disclaimers.variants.len(), 1, "variants inherited");
        assert_eq!(b.disclaimers.present_phrases.len(), 3);
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
        assert!(p[0].message.contains("no phrase terms"));
    }

    #[test]
    fn a_plain_bundle_is_read_as_before() {
        assert_eq!(parse(GOOD).unwrap().metadata.id, "t");
    }
}
