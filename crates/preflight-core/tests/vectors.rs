//! Shared test vectors (`tests/vectors/*.json`), run natively. The Node test
//! `tests/node/vectors.test.mjs` runs the same files through the WebAssembly build; both compare
//! the same projection of the analysis, with spans in UTF-16 code units, so they must agree.
//!
//! `PREFLIGHT_BLESS=1 cargo test -p preflight-core --test vectors` rewrites every `expect` from
//! the current engine. Review the diff by hand before committing: the expectations are the spec.

use std::fs;
use std::path::{Path, PathBuf};

use preflight_core::{Analysis, Context, Engine};
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, Deserialize)]
struct VectorFile {
    description: String,
    /// `"default"` (the embedded bundle) or a path relative to `tests/vectors/`.
    bundle: String,
    cases: Vec<Case>,
}

#[derive(Debug, Deserialize)]
struct Case {
    name: String,
    #[serde(default)]
    note: Option<String>,
    text: String,
    #[serde(default)]
    context: Option<Value>,
    #[serde(default)]
    expect: Option<Expect>,
}

/// What a vector pins down. Same shape as `project()` in the Node test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    #[serde(rename = "use")]
    use_: Option<String>,
    use_source: String,
    findings: Vec<ExpectFinding>,
    /// Length as the site counts it.
    length: usize,
    disclaimer: ExpectDisclaimer,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectFinding {
    rule_id: String,
    severity: String,
    /// `[start, end]` in UTF-16 code units.
    spans: Vec<[usize; 2]>,
    matched: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectDisclaimer {
    needed: bool,
    present: bool,
    present_span: Option<[usize; 2]>,
    suggestion: Option<ExpectSuggestion>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectSuggestion {
    id: String,
    variant: String,
}

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/vectors")
}

fn name_of<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(Value::String(s)) => s,
        other => panic!("expected a string enum, got {other:?}"),
    }
}

fn utf16_slice(text: &str, [start, end]: [usize; 2]) -> String {
    let units: Vec<u16> = text.encode_utf16().collect();
    assert!(
        start <= end && end <= units.len(),
        "span {start}..{end} outside the text ({} units)",
        units.len()
    );
    String::from_utf16(&units[start..end])
        .unwrap_or_else(|_| panic!("span {start}..{end} splits a surrogate pair"))
}

fn project(a: &Analysis) -> Expect {
    let d = &a.disclaimer;
    Expect {
        use_: a.use_.label.map(|u| u.as_str().to_string()),
        use_source: name_of(&a.use_.source),
        findings: a
            .findings
            .iter()
            .map(|f| ExpectFinding {
                rule_id: f.rule_id.clone(),
                severity: name_of(&f.severity),
                spans: f.spans.iter().map(|s| [s.start, s.end]).collect(),
                matched: f.matched.clone(),
            })
            .collect(),
        length: a.length,
        disclaimer: ExpectDisclaimer {
            needed: d.needed,
            present: d.present,
            present_span: d.present_span.map(|s| [s.start, s.end]),
            suggestion: d.suggestion.as_ref().map(|s| ExpectSuggestion {
                id: s.id.clone(),
                variant: s.variant.to_string(),
            }),
        },
    }
}

fn engine_for(bundle: &str) -> Engine {
    if bundle == "default" {
        return Engine::default_bundle().expect("default bundle compiles");
    }
    let path = vectors_dir().join(bundle);
    let json = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Engine::from_json(&json).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn vectors_agree_with_the_engine() {
    let bless = std::env::var_os("PREFLIGHT_BLESS").is_some_and(|v| v == "1");
    let mut files: Vec<PathBuf> = fs::read_dir(vectors_dir())
        .expect("tests/vectors exists")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no vector files");

    let mut failures = Vec::new();
    let mut total = 0;
    for path in &files {
        let text = fs::read_to_string(path).expect("readable");
        let mut vf: VectorFile =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let engine = engine_for(&vf.bundle);
        let file = path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        for case in &mut vf.cases {
            total += 1;
            let ctx: Context = match &case.context {
                Some(v) => serde_json::from_value(v.clone())
                    .unwrap_or_else(|e| panic!("{file}: {}: bad context: {e}", case.name)),
                None => Context::default(),
            };
            let mut analysis = engine
                .analyze(&case.text, &ctx)
                .unwrap_or_else(|e| panic!("{file}: {}: analyze failed: {e}", case.name));
            analysis.to_utf16(&case.text);
            let got = project(&analysis);

            // The spans mean, in UTF-16 units, exactly the text the core reports as matched.
            for f in &got.findings {
                assert_eq!(
                    f.spans.len(),
                    f.matched.len(),
                    "{file}: {}: {}",
                    case.name,
                    f.rule_id
                );
                for (s, m) in f.spans.iter().zip(&f.matched) {
                    assert_eq!(
                        &utf16_slice(&case.text, *s),
                        m,
                        "{file}: {}: {} span {s:?}",
                        case.name,
                        f.rule_id
                    );
                }
            }
            if let Some(s) = got.disclaimer.present_span {
                utf16_slice(&case.text, s);
            }

            if bless {
                case.expect = Some(got);
            } else {
                match &case.expect {
                    Some(want) if *want == got => {}
                    Some(want) => failures.push(format!(
                        "{file}: {}\n  text: {:?}\n  want: {}\n  got:  {}",
                        case.name,
                        case.text,
                        serde_json::to_string(want).unwrap_or_default(),
                        serde_json::to_string(&got).unwrap_or_default()
                    )),
                    None => failures.push(format!(
                        "{file}: {}: no `expect` (run with PREFLIGHT_BLESS=1)",
                        case.name
                    )),
                }
            }
        }
        if bless {
            fs::write(path, render(&vf)).expect("writable");
        }
    }
    assert!(total >= 20, "only {total} vectors");
    assert!(
        failures.is_empty(),
        "{} of {total} vectors disagree:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// ---- Rendering for PREFLIGHT_BLESS: one readable layout, invisible characters escaped. ----

/// A JSON string literal with invisible and combining characters as `\uXXXX`, so reviewers
/// can see them.
fn lit(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control()
                || matches!(c, '\u{00AD}' | '\u{0300}'..='\u{036F}'
                        | '\u{20D0}'..='\u{20FF}' | '\u{0591}'..='\u{05C7}'
                    | '\u{064B}'..='\u{065F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
                    | '\u{2066}'..='\u{2069}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
                    | '\u{E0020}'..='\u{E007F}') =>
            {
                let mut buf = [0u16; 2];
                for u in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{u:04X}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn compact(v: &Value) -> String {
    match v {
        Value::String(s) => lit(s),
        Value::Array(a) => format!("[{}]", a.iter().map(compact).collect::<Vec<_>>().join(", ")),
        Value::Object(o) => format!(
            "{{{}}}",
            o.iter()
                .map(|(k, v)| format!("{}: {}", lit(k), compact(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => other.to_string(),
    }
}

fn render(vf: &VectorFile) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "{{\n  \"description\": {},\n  \"bundle\": {},\n  \"cases\": [\n",
        lit(&vf.description),
        lit(&vf.bundle)
    ));
    for (i, c) in vf.cases.iter().enumerate() {
        out.push_str(&format!("    {{\n      \"name\": {},\n", lit(&c.name)));
        if let Some(n) = &c.note {
            out.push_str(&format!("      \"note\": {},\n", lit(n)));
        }
        out.push_str(&format!("      \"text\": {},\n", lit(&c.text)));
        if let Some(ctx) = &c.context {
            out.push_str(&format!("      \"context\": {},\n", compact(ctx)));
        }
        let e = c.expect.as_ref().expect("blessed");
        let ev = serde_json::to_value(e).expect("serialisable");
        out.push_str("      \"expect\": {\n");
        out.push_str(&format!(
            "        \"use\": {}, \"use_source\": {}, \"length\": {},\n",
            compact(&ev["use"]),
            compact(&ev["use_source"]),
            ev["length"]
        ));
        if e.findings.is_empty() {
            out.push_str("        \"findings\": [],\n");
        } else {
            out.push_str("        \"findings\": [\n");
            let n = e.findings.len();
            for (j, f) in e.findings.iter().enumerate() {
                let spans: Vec<String> =
                    f.spans.iter().map(|[a, b]| format!("[{a}, {b}]")).collect();
                let matched: Vec<String> = f.matched.iter().map(|m| lit(m)).collect();
                out.push_str(&format!(
                    "          {{\"rule_id\": {}, \"severity\": {}, \"spans\": [{}], \"matched\": [{}]}}{}\n",
                    lit(&f.rule_id),
                    lit(&f.severity),
                    spans.join(", "),
                    matched.join(", "),
                    if j + 1 < n { "," } else { "" }
                ));
            }
            out.push_str("        ],\n");
        }
        let d = &e.disclaimer;
        let suggestion = d.suggestion.as_ref().map_or("null".to_string(), |s| {
            format!(
                "{{\"id\": {}, \"variant\": {}}}",
                lit(&s.id),
                lit(&s.variant)
            )
        });
        out.push_str(&format!(
            "        \"disclaimer\": {{\"needed\": {}, \"present\": {}, \"present_span\": {}, \"suggestion\": {}}}\n      }}\n",
            d.needed,
            d.present,
            d.present_span.map_or("null".to_string(), |[a, b]| format!("[{a}, {b}]")),
            suggestion
        ));
        out.push_str(if i + 1 < vf.cases.len() {
            "    },\n"
        } else {
            "    }\n"
        });
    }
    out.push_str("  ]\n}\n");
    out
}

#[test]
fn literal_escapes_invisible_characters() {
    assert_eq!(
        lit("a\u{200D}b\u{0301}\u{200F}"),
        "\"a\\u200Db\\u0301\\u200F\""
    );
    assert_eq!(lit("日本 😀 \"q\""), "\"日本 😀 \\\"q\\\"\"");
    let v: Value = serde_json::from_str(&lit("x\u{E0067}y")).expect("valid JSON");
    assert_eq!(v, Value::String("x\u{E0067}y".into()));
}
