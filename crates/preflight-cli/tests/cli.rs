//! End-to-end tests of the `preflight` binary: exit codes, human and JSON output, JSONL
//! batches, and every broken-bundle fixture under `tests/fixtures/bundles/`.

use std::path::PathBuf;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

const SSN_POST: &str =
    "My SSN is 123-45-6789 — chip in to my campaign at https://example.com/donate";
const LUNCH_POST: &str = "Had a great lunch with friends today";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixture(name: &str) -> String {
    root()
        .join("tests/fixtures/bundles")
        .join(name)
        .display()
        .to_string()
}

fn preflight() -> Command {
    let mut c = Command::cargo_bin("preflight").expect("binary");
    c.env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR");
    c
}

fn stdout_of(out: &std::process::Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("utf-8 stdout")
}

// ---------------------------------------------------------------------------------------
// check: one draft

#[test]
fn ssn_and_solicitation_on_x_is_a_violation() {
    preflight()
        .args(["check", "--site", "x.com", "--off-duty", SSN_POST])
        .assert()
        .code(3)
        .stdout(predicate::str::contains("violation"))
        .stdout(predicate::str::contains("hatch-act.solicit-contributions"))
        .stdout(predicate::str::contains("site x"))
        // The span is underlined under the draft line.
        .stdout(predicate::str::contains(SSN_POST))
        .stdout(predicate::str::contains("^^^^^^^"));
}

#[test]
fn lunch_post_is_clean() {
    preflight()
        .args(["check", "--site", "x.com", LUNCH_POST])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("clean"));
}

#[test]
fn draft_from_stdin_without_its_final_newline() {
    let out = preflight()
        .args(["check", "--json", "--site", "x", "--off-duty"])
        .write_stdin("chip in to my campaign\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let a: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(a["length"], 22);
    // `-` also means stdin.
    preflight()
        .args(["check", "-"])
        .write_stdin(LUNCH_POST)
        .assert()
        .code(0);
}

#[test]
fn json_output_has_byte_spans_and_utf16_on_request() {
    let text = "😀 chip in to my campaign now";
    let out = preflight()
        .args(["check", "--json", text])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let a: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    let f = &a["findings"][0];
    assert_eq!(f["rule_id"], "hatch-act.solicit-contributions");
    assert_eq!(f["severity"], "violation");
    let (s, e) = (
        f["spans"][0]["start"].as_u64().unwrap() as usize,
        f["spans"][0]["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&text[s..e], "chip in to my campaign");
    assert_eq!(s, 5, "bytes: the emoji is 4 bytes, then a space");

    let out = preflight()
        .args(["check", "--json", "--utf16", text])
        .output()
        .unwrap();
    let a: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(
        a["findings"][0]["spans"][0]["start"], 3,
        "UTF-16: the emoji is 2 units"
    );
}

#[test]
fn exit_code_follows_the_worst_severity() {
    let b = fixture("valid.json");
    let run = |text: &str| {
        preflight()
            .args(["check", "--bundle", &b, "--off-duty", text])
            .output()
            .unwrap()
    };
    assert_eq!(run("nice day").status.code(), Some(0));
    assert_eq!(run("what idiots").status.code(), Some(1), "advice");
    assert_eq!(
        run("the password: x, idiots").status.code(),
        Some(2),
        "warning"
    );
    assert_eq!(
        run("idiots, the password: x, chip in").status.code(),
        Some(3),
        "violation"
    );
}

#[test]
fn detector_findings_name_the_entity() {
    preflight()
        .args([
            "check",
            "--bundle",
            &fixture("valid.json"),
            "My SSN is 123-45-6789",
        ])
        .assert()
        .code(3)
        .stdout(predicate::str::contains("pii.ssn"))
        .stdout(predicate::str::contains("detected: US_SSN"))
        .stdout(predicate::str::contains(
            "fix: Remove the number (replace with \"[removed]\")",
        ));
}

#[test]
fn official_account_and_unknown_site() {
    preflight()
        .args([
            "check",
            "--site",
            "twitter.com",
            "--account",
            "@DeptPublicSvc",
            "We at the U.S. Department of Public Services announce new hours",
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("use: organizational"))
        .stdout(predicate::str::contains(
            "account official (Office of Public Affairs)",
        ));
    preflight()
        .args(["check", "--site", "myspace.com", "lunch"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "site `myspace.com` is not in the bundle (known: x, bluesky,",
        ));
}

#[test]
fn human_output_shows_why_reference_and_fix() {
    let out = preflight()
        .args([
            "check",
            "--bundle",
            &fixture("valid.json"),
            "the password: hunter2",
        ])
        .output()
        .unwrap();
    let s = stdout_of(&out);
    assert!(
        s.contains("warning[Security] security.password: Mentions a password."),
        "{s}"
    );
    assert!(s.contains("why: Never share credentials."), "{s}");
    assert!(s.contains("reference: Policy 4.2"), "{s}");
    assert!(s.contains("fix: Remove the password (delete it)"), "{s}");
    assert!(s.contains("--> draft:1:5"), "{s}");
    assert!(s.contains("disclaimer"), "{s}");
    assert!(s.contains("0 violations, 1 warning, 0 advice"), "{s}");
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let plain = preflight().args(["check", "chip in"]).output().unwrap();
    assert!(
        !plain.stdout.contains(&0x1b),
        "no escape codes when stdout is not a terminal"
    );
    let forced = preflight()
        .args(["--color", "always", "check", "chip in"])
        .output()
        .unwrap();
    assert!(forced.stdout.contains(&0x1b));
    let no_color = preflight()
        .env("NO_COLOR", "1")
        .env("CLICOLOR_FORCE", "1")
        .args(["check", "chip in"])
        .output()
        .unwrap();
    assert!(!no_color.stdout.contains(&0x1b), "NO_COLOR wins");
}

#[test]
fn duty_hours_from_explicit_times() {
    let b = fixture("valid.json");
    let code = |args: &[&str]| {
        let mut all = vec!["check", "--bundle", &b];
        all.extend_from_slice(args);
        all.push("Vote for Smith");
        preflight().args(&all).output().unwrap().status.code()
    };
    assert_eq!(code(&["--on-duty"]), Some(2));
    assert_eq!(code(&["--off-duty"]), Some(0));
    assert_eq!(code(&["--at", "mon 10:00"]), Some(2));
    assert_eq!(code(&["--at", "sat 10:00"]), Some(0));
    // 15:00 UTC on Thursday 2026-11-26 is 10:00 in New York; 23:00 UTC is 18:00.
    assert_eq!(code(&["--at", "2026-11-26T15:00:00Z"]), Some(2));
    assert_eq!(code(&["--at", "2026-11-26T23:00:00Z"]), Some(0));
}

#[test]
fn bad_input_data() {
    // A draft over the core's limit is checked in part, and the output says so.
    let long = "The garden looks lovely in the spring. ".repeat(30_000);
    preflight()
        .args(["check", "-"])
        .write_stdin(long)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "Only the first 65,536 characters of this draft were checked",
        ));
    preflight()
        .args(["check"])
        .write_stdin(vec![0xff, 0xfe, b'a'])
        .assert()
        .code(65)
        .stderr(predicate::str::contains("UTF-8"));
}

#[test]
fn usage_errors_exit_64_and_help_lists_exit_codes() {
    preflight().arg("bogus").assert().code(64);
    preflight()
        .args(["check", "--on-duty", "--off-duty", "x"])
        .assert()
        .code(64);
    preflight()
        .args(["check", "--at", "tomorrow", "x"])
        .assert()
        .code(64)
        .stderr(predicate::str::contains("invalid time"));
    preflight()
        .args(["check", "--jsonl", "-", "text"])
        .assert()
        .code(64);
    preflight()
        .args(["check", "--help"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Exit codes").and(predicate::str::contains("65")));
    preflight()
        .arg("--help")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("74"));
}

#[test]
fn missing_files_are_io_errors() {
    preflight()
        .args(["check", "--bundle", "/nonexistent/b.json", "x"])
        .assert()
        .code(74);
    preflight()
        .args(["bundle", "validate", "/nonexistent/b.json"])
        .assert()
        .code(74);
    preflight()
        .args(["check", "--jsonl", "/nonexistent/posts.jsonl"])
        .assert()
        .code(74);
}

// ---------------------------------------------------------------------------------------
// check --jsonl

#[test]
fn jsonl_reports_each_line_and_keeps_going() {
    let input = [
        r#""chip in to my campaign""#,
        r#"{"text": "lunch was great", "id": "post-7", "site": "x.com"}"#,
        "not json",
        "",
        r#"{"text": "the password: x", "context": {"site": "x"}}"#,
        r#"{"text": "x", "context": {"bogus": 1}}"#,
        r#"{"text": "Vote for Smith", "time": "2026-11-26T15:00:00Z"}"#,
        "42",
    ]
    .join("\n");
    let out = preflight()
        .args(["check", "--bundle", &fixture("valid.json"), "--jsonl", "-"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(65),
        "a bad line makes the run a data error"
    );
    let lines: Vec<Value> = stdout_of(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let numbers: Vec<u64> = lines.iter().map(|l| l["line"].as_u64().unwrap()).collect();
    assert_eq!(
        numbers,
        [1, 2, 3, 5, 6, 7, 8],
        "blank lines are skipped, numbering is of input lines"
    );
    assert_eq!(
        lines[0]["analysis"]["findings"][0]["rule_id"],
        "hatch-act.solicit"
    );
    assert_eq!(lines[1]["id"], "post-7");
    assert_eq!(lines[1]["analysis"]["site"], "x");
    assert!(lines[2]["error"].as_str().unwrap().contains("invalid JSON"));
    assert_eq!(lines[3]["analysis"]["counts"]["warning"], 1);
    assert!(lines[4]["error"]
        .as_str()
        .unwrap()
        .contains("unknown field `bogus`"));
    assert_eq!(lines[5]["analysis"]["on_duty"], true);
    assert_eq!(
        lines[5]["analysis"]["findings"][0]["rule_id"],
        "hatch-act.on-duty-advocacy"
    );
    assert!(lines[6]["error"].is_string());
}

#[test]
fn jsonl_exit_code_is_the_worst_severity() {
    let dir = std::env::temp_dir().join(format!("preflight-jsonl-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("posts.jsonl");
    std::fs::write(&file, "\"nice day\"\n\"what idiots\"\n").unwrap();
    let b = fixture("valid.json");
    preflight()
        .args(["check", "--bundle", &b, "--jsonl", file.to_str().unwrap()])
        .assert()
        .code(1);
    std::fs::write(
        &file,
        "\"nice day\"\n\"what idiots\"\n{\"text\": \"chip in\"}\n",
    )
    .unwrap();
    preflight()
        .args(["check", "--bundle", &b, "--jsonl", file.to_str().unwrap()])
        .assert()
        .code(3);
    std::fs::write(&file, "").unwrap();
    preflight()
        .args(["check", "--bundle", &b, "--jsonl", file.to_str().unwrap()])
        .assert()
        .code(0)
        .stdout("");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn jsonl_streams_many_lines() {
    let n = 5_000;
    let input: String = (0..n)
        .map(|i| {
            if i % 2 == 0 {
                "\"chip in to my campaign\"\n"
            } else {
                "{\"text\": \"lunch\"}\n"
            }
        })
        .collect();
    let out = preflight()
        .args(["check", "--jsonl", "-"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let s = stdout_of(&out);
    assert_eq!(s.lines().count(), n);
    assert!(s
        .lines()
        .last()
        .unwrap()
        .starts_with(&format!("{{\"line\":{n},")));
}

#[test]
fn jsonl_line_over_the_limit_is_an_error_for_that_line_only() {
    let mut input = String::from("\"chip in\"\n\"");
    input.push_str(&"a".repeat(5 << 20));
    input.push_str("\"\n\"lunch\"\n");
    let out = preflight()
        .args(["check", "--jsonl", "-"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(65));
    let lines: Vec<Value> = stdout_of(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert!(lines[1]["error"].as_str().unwrap().contains("longer than"));
    assert_eq!(lines[2]["line"], 3);
    assert!(lines[2]["analysis"].is_object());
}

// ---------------------------------------------------------------------------------------
// bundle validate / test / schema, and broken bundles everywhere

/// (fixture, JSON path, message part, line:column in the file)
const BROKEN: &[(&str, &str, &str, &str)] = &[
    ("invalid-json.json", "$", "trailing comma", ":60:5"),
    ("empty.json", "$", "EOF while parsing", ":1:1"),
    (
        "unknown-element.json",
        "$.rules[1].element",
        "unknown variant `foo`, expected one of `employee_access`",
        ":42:18",
    ),
    (
        "bad-regex.json",
        "$.rules[1].match.regex.pattern",
        "no closing bracket",
        ":47:38",
    ),
    (
        "duplicate-rule-id.json",
        "$.rules[2].id",
        "duplicate rule id `hatch-act.solicit`",
        ":52:13",
    ),
    (
        "missing-field.json",
        "$.rules[1]",
        "missing field `why`",
        ":40:5",
    ),
    (
        "unknown-detector.json",
        "$.rules[2].match.detector.detector",
        "unknown detector `US_SSNN`",
        ":58:42",
    ),
    (
        "bad-timezone.json",
        "$.duty_hours.time_zone",
        "unknown time zone `America/Gotham`",
        ":19:18",
    ),
];

#[test]
fn broken_bundles_fail_validation_with_path_and_location() {
    for (file, path, message, loc) in BROKEN {
        let out = preflight()
            .args(["bundle", "validate", &fixture(file)])
            .output()
            .unwrap();
        let s = stdout_of(&out);
        assert_eq!(out.status.code(), Some(65), "{file}: {s}");
        assert!(
            s.contains(&format!("{file}{loc}")),
            "{file}: location {loc} missing in\n{s}"
        );
        assert!(
            s.contains(&format!("at {path}\n")),
            "{file}: path {path} missing in\n{s}"
        );
        assert!(s.contains(message), "{file}: message missing in\n{s}");
        assert!(s.contains("invalid:"), "{s}");
    }
}

#[test]
fn broken_bundles_stop_check_and_test_without_panicking() {
    for (file, path, message, _) in BROKEN {
        for args in [
            vec!["check", "--bundle", &fixture(file), "chip in"],
            vec!["bundle", "test", &fixture(file)],
        ] {
            let out = preflight().args(&args).output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(65), "{args:?}: {err}");
            assert!(
                err.contains(path) && err.contains(message),
                "{args:?}: {err}"
            );
            assert!(!err.contains("panicked"), "{err}");
            assert!(out.stdout.is_empty());
        }
    }
}

#[test]
fn validate_reports_every_problem_in_reading_order() {
    let out = preflight()
        .args([
            "bundle",
            "validate",
            "--json",
            &fixture("many-problems.json"),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(65));
    let r: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(r["valid"], false);
    let problems = r["problems"].as_array().unwrap();
    let paths: Vec<&str> = problems
        .iter()
        .map(|p| p["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            "$.metadata.version",
            "$.duty_hours.windows[0].end",
            "$.rules[0].element",
            "$.rules[1].match.regex.pattern",
            "$.rules[2].match.phrases.terms[0]",
            "$.rules[2].when.sites[0]",
        ]
    );
    assert!(problems
        .iter()
        .all(|p| p["line"].is_u64() && p["column"].is_u64()));
    assert!(problems[5]["message"]
        .as_str()
        .unwrap()
        .contains("expected one of `linkedin`, `x`"));
}

#[test]
fn valid_bundles_validate() {
    for b in [
        fixture("valid.json"),
        root()
            .join("model/default-bundle.json")
            .display()
            .to_string(),
    ] {
        preflight()
            .args(["bundle", "validate", &b])
            .assert()
            .code(0)
            .stdout(predicate::str::contains("valid:"));
        let out = preflight()
            .args(["bundle", "validate", "--json", &b])
            .output()
            .unwrap();
        let r: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
        assert_eq!(r["valid"], true);
        assert_eq!(r["problems"].as_array().unwrap().len(), 0);
    }
    // From stdin too.
    preflight()
        .args(["bundle", "validate", "-"])
        .write_stdin(preflight_core::DEFAULT_BUNDLE_JSON)
        .assert()
        .code(0);
}

#[test]
fn validate_notes_a_language_the_extension_cannot_stem() {
    let mut b: Value = serde_json::from_str(preflight_core::DEFAULT_BUNDLE_JSON).unwrap();
    let english = preflight()
        .args(["bundle", "validate", "-"])
        .write_stdin(b.to_string())
        .output()
        .unwrap();
    assert!(
        !stdout_of(&english).contains("note"),
        "{}",
        stdout_of(&english)
    );
    b["metadata"]["language"] = "fr".into();
    let out = preflight()
        .args(["bundle", "validate", "-"])
        .write_stdin(b.to_string())
        .output()
        .unwrap();
    let s = stdout_of(&out);
    assert_eq!(out.status.code(), Some(0), "{s}");
    assert!(
        s.contains("$.metadata.language") && s.contains("stems English only"),
        "{s}"
    );
}

#[test]
fn bundle_test_passes_and_fails() {
    preflight()
        .args(["bundle", "test", &fixture("valid.json")])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("pass hatch-act.solicit"))
        .stdout(predicate::str::contains("\n5 passed, 0 failed\n"));
    preflight()
        .args(["bundle", "test", &fixture("failing-example.json")])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("FAIL hatch-act.solicit"))
        .stdout(predicate::str::contains(
            "should pass: \"Please chip in for the office party\"",
        ))
        .stdout(predicate::str::contains("failing-example.json:38:90"))
        .stdout(predicate::str::contains("conduct.tone has no examples"))
        .stdout(predicate::str::contains("\n1 passed, 1 failed\n"));
    let out = preflight()
        .args(["bundle", "test", "--json", &fixture("failing-example.json")])
        .output()
        .unwrap();
    let r: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(
        (
            r["passed"].as_u64(),
            r["failed"].as_u64(),
            r["without_examples"].as_u64()
        ),
        (Some(1), Some(1), Some(1))
    );
    assert_eq!(
        r["rules"][0]["failures"][0]["path"],
        "$.rules[0].examples.passes[1]"
    );
    assert_eq!(r["rules"][0]["failures"][0]["line"], 38);
}

#[test]
fn default_bundle_examples_pass() {
    preflight()
        .args([
            "bundle",
            "test",
            root().join("model/default-bundle.json").to_str().unwrap(),
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(" 0 failed"));
}

#[test]
fn committed_schema_matches_the_generated_one() {
    let out = preflight().args(["bundle", "schema"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let committed = std::fs::read_to_string(root().join("model/bundle.schema.json")).unwrap();
    assert!(
        stdout_of(&out) == committed,
        "model/bundle.schema.json is stale: run `cargo run -p preflight-cli -- bundle schema > model/bundle.schema.json`"
    );
    let schema: Value = serde_json::from_str(&committed).unwrap();
    assert!(schema["$defs"]["Rule"].is_object());
}

#[test]
fn every_bundle_fixture_is_schema_shaped_json_or_deliberately_broken() {
    // Guard against a fixture going silently valid (then its test would prove nothing).
    for (file, ..) in BROKEN {
        let text = std::fs::read_to_string(fixture(file)).unwrap();
        assert!(
            preflight_core::validate::parse(&text).is_err() || *file == "bad-timezone.json",
            "{file}"
        );
    }
}

#[test]
fn classify_reads_the_use_and_the_registry_overrides_it() {
    let out = preflight()
        .args([
            "classify",
            "--json",
            "Happy hour after this, then date night with my wife!",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout_of(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["use"], "personal", "{v}");
    assert_eq!(v["source"], "classifier");
    let p = v["probabilities"].as_array().unwrap();
    let sum: f64 = p.iter().map(|x| x.as_f64().unwrap()).sum();
    assert!((sum - 1.0).abs() < 1e-3, "probabilities sum to 1: {v}");

    let out = preflight()
        .args([
            "classify",
            "--json",
            "--site",
            "x.com",
            "--account",
            "@DeptPublicSvc",
            "Grabbed tacos with my sister",
        ])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["use"], "organizational", "{v}");
    assert_eq!(v["source"], "registry");
    assert!(v["override_reason"]
        .as_str()
        .unwrap()
        .contains("official account"));
}

#[test]
fn eval_reports_per_class_figures_for_a_labelled_file() {
    let dir = std::env::temp_dir().join(format!("preflight-eval-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("labelled.jsonl");
    std::fs::write(
        &path,
        concat!(
            "{\"text\": \"We are hiring! Join our team at the regional office. Apply by Friday at our website.\", \"label\": \"organizational\"}\n",
            "{\"text\": \"Had the best pancakes with my kids this morning before the game\", \"label\": \"personal\"}\n",
            "{\"text\": \"Three lessons I learned leading a data modernization project in government\", \"label\": \"professional\"}\n",
        ),
    )
    .unwrap();
    let out = preflight()
        .args(["eval", "--jsonl"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = stdout_of(&out);
    for needle in ["organizational", "professional", "personal", "macro-F1"] {
        assert!(text.contains(needle), "missing {needle}: {text}");
    }
    let bad = dir.join("bad.jsonl");
    std::fs::write(&bad, "{\"text\": \"x\", \"label\": \"nonsense\"}\n").unwrap();
    let out = preflight()
        .args(["eval", "--jsonl"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(65));
}

// ---------------------------------------------------------------------------------------
// flags never swallow the draft (issue 18, item 5)

/// The `use.signals` of `check --json` for these arguments (exit code must be 0..=3).
fn signals_of(args: &[&str]) -> Vec<String> {
    let out = preflight().args(args).output().unwrap();
    assert!(
        matches!(out.status.code(), Some(0..=3)),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v["use"]["signals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn bare_reply_does_not_take_the_draft() {
    let draft = "Sounds good to me, see you there";
    let reply = signals_of(&["check", "--json", "--reply", draft]);
    assert!(reply.iter().any(|s| s.contains("reply")), "{reply:?}");
    // The draft was read as the draft, not as --reply's value: same as with `=true`.
    let explicit = signals_of(&["check", "--json", "--reply=true", draft]);
    assert_eq!(reply, explicit);
    let not = signals_of(&["check", "--json", "--reply=false", draft]);
    assert!(!not.iter().any(|s| s.contains("reply")), "{not:?}");
    assert_eq!(not, signals_of(&["check", "--json", "--no-reply", draft]));
    // The last of --reply / --no-reply wins.
    assert_eq!(
        not,
        signals_of(&["check", "--json", "--reply", "--no-reply", draft])
    );
    assert_eq!(
        reply,
        signals_of(&["check", "--json", "--no-reply", "--reply", draft])
    );
}

#[test]
fn reply_value_only_after_equals() {
    // `--reply false` is the flag, then the draft "false"; "extra" is one argument too many.
    preflight()
        .args(["check", "--reply", "false", "extra"])
        .assert()
        .code(64)
        .stderr(predicate::str::contains("extra"));
    preflight()
        .args(["check", "--reply=maybe", "hi"])
        .assert()
        .code(64)
        .stderr(predicate::str::contains("invalid value 'maybe'"));
}

#[test]
fn classify_bare_reply_does_not_take_the_draft() {
    let out = preflight()
        .args(["classify", "--json", "--reply", "Happy to help with that"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let signals = v["signals"].to_string();
    assert!(signals.contains("reply"), "{v}");
}
