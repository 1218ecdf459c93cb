//! The admin kit end to end: docs/ADMIN.md's walkthrough run verbatim, and every policy
//! export format parsed back (JSON, `.reg`, PowerShell, plist, Firefox `policies.json`)
//! holding the signed bundle byte for byte.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn bin_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_preflight"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The walkthrough's files (`<!-- file: NAME -->` before a code block) and commands (the
/// `sh` block between `<!-- walkthrough -->` and `<!-- /walkthrough -->`).
fn walkthrough() -> (Vec<(String, String)>, Vec<String>) {
    let doc = std::fs::read_to_string(root().join("docs/ADMIN.md")).unwrap();
    let mut files = Vec::new();
    for part in doc.split("<!-- file: ").skip(1) {
        let (name, rest) = part.split_once(" -->").unwrap();
        let body = rest.split_once("```").unwrap().1;
        let body = body.split_once('\n').unwrap().1;
        let body = body.split_once("```").unwrap().0;
        files.push((name.trim().to_string(), body.to_string()));
    }
    let block = doc
        .split_once("<!-- walkthrough -->")
        .unwrap()
        .1
        .split_once("<!-- /walkthrough -->")
        .unwrap()
        .0;
    let mut commands = Vec::new();
    let mut current = String::new();
    for line in block.lines() {
        let l = line.trim();
        if l.starts_with("```") || l.is_empty() || l.starts_with('#') {
            continue;
        }
        current.push_str(l.trim_end_matches('\\'));
        if l.ends_with('\\') {
            current.push(' ');
        } else {
            commands.push(std::mem::take(&mut current));
        }
    }
    (files, commands)
}

fn run(dir: &Path, command: &str) -> String {
    let path = format!(
        "{}:{}",
        bin_dir().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("sh")
        .arg("-c")
        .arg(command)
        .current_dir(dir)
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "`{command}` failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A `.reg` file (Registry Editor 5.00) read by its grammar: `[key]` sections of
/// `"name"=value` lines, with `"…"` strings (`\\` and `\"` escapes), `dword:` and `hex(1):`
/// (UTF-16LE, NUL-terminated) data.
fn parse_reg(text: &str) -> Vec<(String, String, Value)> {
    let mut lines = text.split("\r\n");
    assert_eq!(lines.next(), Some("Windows Registry Editor Version 5.00"));
    let mut key = String::new();
    let mut out = Vec::new();
    for line in lines.filter(|l| !l.is_empty()) {
        if let Some(k) = line.strip_prefix('[') {
            key = k.strip_suffix(']').expect("key line").to_string();
            continue;
        }
        let rest = line.strip_prefix('"').expect("value line");
        let (name, data) = rest.split_once("\"=").expect("name=data");
        let value = if let Some(d) = data.strip_prefix("dword:") {
            assert_eq!(d.len(), 8);
            Value::from(u32::from_str_radix(d, 16).unwrap())
        } else if let Some(h) = data.strip_prefix("hex(1):") {
            let bytes: Vec<u8> = h
                .split(',')
                .map(|b| u8::from_str_radix(b, 16).unwrap())
                .collect();
            let units: Vec<u16> = bytes
                .chunks(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            assert_eq!(units.last(), Some(&0), "NUL-terminated");
            Value::from(String::from_utf16(&units[..units.len() - 1]).unwrap())
        } else {
            let s = data
                .strip_prefix('"')
                .and_then(|d| d.strip_suffix('"'))
                .expect("string");
            let mut v = String::new();
            let mut chars = s.chars();
            while let Some(c) = chars.next() {
                if c == '\\' {
                    v.push(chars.next().expect("escape"));
                } else {
                    assert_ne!(c, '"', "unescaped quote");
                    v.push(c);
                }
            }
            Value::from(v)
        };
        out.push((key.clone(), name.to_string(), value));
    }
    out
}

#[test]
fn the_walkthrough_runs_verbatim_and_every_export_holds_the_bundle() {
    let dir = tempfile::tempdir().unwrap();
    let (files, commands) = walkthrough();
    assert!(!files.is_empty(), "the walkthrough's CSV");
    assert!(commands.len() <= 6, "at most six commands: {commands:?}");
    for (name, body) in &files {
        std::fs::write(dir.path().join(name), body).unwrap();
    }
    let mut outputs = Vec::new();
    for c in &commands {
        outputs.push(run(dir.path(), c));
    }
    let d = dir.path();
    // Created, extending the default, tested, signed.
    let bundle_text = std::fs::read_to_string(d.join("dcr.json")).unwrap();
    let bundle: Value = serde_json::from_str(&bundle_text).unwrap();
    assert_eq!(bundle["extends"], "us-federal-default@1");
    assert!(bundle["overrides"]
        .as_object()
        .is_some_and(|o| !o.is_empty()));
    let signed_text = std::fs::read_to_string(d.join("dcr.signed.json")).unwrap();
    let envelope: Value = serde_json::from_str(&signed_text).unwrap();
    assert_eq!(
        envelope["bundle"].as_str().unwrap(),
        bundle_text,
        "signed byte for byte"
    );
    let pushed = signed_text.trim_end();
    let public = std::fs::read_to_string(d.join("dcr-2026.pub")).unwrap();
    let public = public.trim();
    run(
        d,
        "preflight bundle verify dcr.signed.json --key dcr-2026.pub",
    );

    let check = |values: &Value| {
        assert_eq!(values["bundle"].as_str(), Some(pushed));
        assert_eq!(values["bundleKeys"], serde_json::json!([public]));
        assert_eq!(values["allowUserBundle"], false);
    };
    let chrome_id = "jfelbgjdnbbofpeijgmjjgpjlfcbkebh";
    // Linux managed-policy JSON.
    for browser in ["chrome", "chromium", "edge"] {
        let text =
            std::fs::read_to_string(d.join(format!("policy/linux/{browser}/preflight.json")))
                .unwrap();
        let v: Value = serde_json::from_str(&text).unwrap();
        check(&v["3rdparty"]["extensions"][chrome_id]);
    }
    // Firefox policies.json.
    let text = std::fs::read_to_string(d.join("policy/firefox/policies.json")).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    check(&v["policies"]["3rdparty"]["Extensions"]["preflight@preflight.example.gov"]);
    // Windows .reg.
    for (file, vendor) in [("chrome", "Google\\Chrome"), ("edge", "Microsoft\\Edge")] {
        let text = std::fs::read_to_string(d.join(format!("policy/windows/{file}.reg"))).unwrap();
        let key = format!("HKEY_LOCAL_MACHINE\\Software\\Policies\\{vendor}\\3rdparty\\extensions\\{chrome_id}\\policy");
        let entries = parse_reg(&text);
        let get = |k: &str, n: &str| {
            entries
                .iter()
                .find(|e| e.0 == k && e.1 == n)
                .map(|e| e.2.clone())
        };
        assert_eq!(get(&key, "bundle"), Some(Value::from(pushed)));
        assert_eq!(get(&key, "allowUserBundle"), Some(Value::from(0)));
        assert_eq!(
            get(&format!("{key}\\bundleKeys"), "1"),
            Some(Value::from(public))
        );
        // PowerShell: the same value as a single-quoted string ('' escapes ').
        let ps = std::fs::read_to_string(d.join(format!("policy/windows/{file}.ps1"))).unwrap();
        assert!(ps.contains(&format!(
            "-Name 'bundle' -PropertyType String -Value '{}'",
            pushed.replace('\'', "''")
        )));
    }
    // macOS configuration profile, through a plist library.
    let profile = plist::Value::from_file(d.join("policy/macos/preflight.mobileconfig")).unwrap();
    let top = profile.as_dictionary().unwrap();
    assert_eq!(top["PayloadType"].as_string(), Some("Configuration"));
    let payloads = top["PayloadContent"].as_array().unwrap();
    assert_eq!(payloads.len(), 3);
    let mut uuids = vec![top["PayloadUUID"].as_string().unwrap().to_string()];
    for p in payloads {
        let p = p.as_dictionary().unwrap();
        uuids.push(p["PayloadUUID"].as_string().unwrap().to_string());
        let values = if p["PayloadType"].as_string() == Some("org.mozilla.firefox") {
            p["3rdparty"].as_dictionary().unwrap()["Extensions"]
                .as_dictionary()
                .unwrap()["preflight@preflight.example.gov"]
                .as_dictionary()
                .unwrap()
                .clone()
        } else {
            p.clone()
        };
        assert_eq!(values["bundle"].as_string(), Some(pushed));
        assert_eq!(
            values["bundleKeys"].as_array().unwrap()[0].as_string(),
            Some(public)
        );
    }
    uuids.sort();
    uuids.dedup();
    assert_eq!(uuids.len(), 4);
    // Stable UUIDs: a second export (another key, same bundle id) gives the same ones.
    run(d, "preflight bundle keygen --out other && preflight bundle sign dcr.json --key other.key --out other.signed.json && preflight policy export --bundle other.signed.json --key other.pub --out again");
    let ids = |p: &str| {
        let v = plist::Value::from_file(d.join(p)).unwrap();
        let top = v.as_dictionary().unwrap();
        let mut ids = vec![top["PayloadUUID"].as_string().unwrap().to_string()];
        for p in top["PayloadContent"].as_array().unwrap() {
            ids.push(
                p.as_dictionary().unwrap()["PayloadUUID"]
                    .as_string()
                    .unwrap()
                    .to_string(),
            );
        }
        ids
    };
    assert_eq!(
        ids("policy/macos/preflight.mobileconfig"),
        ids("again/macos/preflight.mobileconfig")
    );
}

#[test]
fn export_refuses_what_the_browsers_would_refuse() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    run(d, "preflight bundle init --id t --organization 'Test Agency' --out t.json && preflight bundle keygen --out k && preflight bundle sign t.json --key k.key --out t.signed.json");
    let path = format!(
        "{}:{}",
        bin_dir().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let fails = |c: &str| {
        let out = Command::new("sh")
            .arg("-c")
            .arg(c)
            .current_dir(d)
            .env("PATH", &path)
            .output()
            .unwrap();
        assert!(!out.status.success(), "`{c}` should fail");
        String::from_utf8_lossy(&out.stderr).to_string()
    };
    assert!(
        fails("preflight policy export --bundle t.json --key k.pub --out o").contains("not signed")
    );
    let signed = std::fs::read_to_string(d.join("t.signed.json")).unwrap();
    std::fs::write(
        d.join("bad.json"),
        signed.replacen("Test Agency", "Test Agencz", 1),
    )
    .unwrap();
    assert!(fails("preflight bundle verify bad.json --key k.pub").contains("does not match"));
    assert!(fails("preflight policy export --bundle bad.json --out o").contains("does not match"));
}

fn sh(dir: &Path, c: &str) -> std::process::Output {
    let path = format!(
        "{}:{}",
        bin_dir().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    Command::new("sh")
        .arg("-c")
        .arg(c)
        .current_dir(dir)
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[test]
fn init_names_the_csv_line_of_a_bad_account() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("a.csv"),
        "site,handle,owner unit\nx,@ok,Press\ntiktok,@nope,Press\n",
    )
    .unwrap();
    let out = sh(
        d,
        "preflight bundle init --id t --organization T --accounts a.csv",
    );
    assert_eq!(out.status.code(), Some(65));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("a.csv: line 3: unknown site `tiktok`"),
        "{err}"
    );
    std::fs::write(d.join("b.csv"), "name,handle\nx,@ok\n").unwrap();
    let out = sh(
        d,
        "preflight bundle init --id t --organization T --accounts b.csv",
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("site,handle,owner unit"));
    let out = sh(d, "preflight bundle init --id t --organization T --time-zone UTC --duty-hours 'fri-mon 09:00-17:00'");
    assert!(String::from_utf8_lossy(&out.stderr).contains("runs backwards"));
    // A time zone the CLI does not know is a bundle problem at its path.
    let out = sh(d, "preflight bundle init --id t --organization T --time-zone Mars/Olympus --duty-hours 'mon-fri 09:00-17:00'");
    assert!(String::from_utf8_lossy(&out.stderr).contains("$.duty_hours.time_zone"));
}

#[test]
fn coverage_names_an_element_left_without_rules_and_describe_resolves() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let bundle = r#"{
  "extends": "us-federal-default@1",
  "metadata": {"id": "t", "version": "1.0.0", "organization": "Test Agency"},
  "overrides": {
    "access.idle-at-work": {"enabled": false},
    "access.government-equipment": {"enabled": false},
    "access.bypass-blocks": {"enabled": false},
    "conduct.profanity": {"severity": "advice"}
  }
}"#;
    std::fs::write(d.join("t.json"), bundle).unwrap();
    let out = sh(d, "preflight bundle coverage t.json --json");
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["uncovered"], serde_json::json!(["employee_access"]));
    assert_eq!(v["elements"].as_array().unwrap().len(), 8);
    let text = String::from_utf8(sh(d, "preflight bundle coverage t.json").stdout).unwrap();
    assert!(text.contains("no rule for: employee_access"), "{text}");
    let default = String::from_utf8(sh(d, "preflight bundle coverage").stdout).unwrap();
    assert!(default.contains("every element has at least one rule"));

    // The resolved bundle is a plain bundle with the override applied.
    let out = sh(
        d,
        "preflight bundle describe --resolved t.json > r.json && preflight bundle validate r.json",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let r: Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("r.json")).unwrap()).unwrap();
    assert!(r.get("extends").is_none());
    let profanity = r["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == "conduct.profanity")
        .unwrap();
    assert_eq!(profanity["severity"], "advice");
    let summary = String::from_utf8(sh(d, "preflight bundle describe t.json").stdout).unwrap();
    assert!(
        summary.contains("extends       us-federal-default@1"),
        "{summary}"
    );
    assert!(
        summary.contains("overrides     access.bypass-blocks"),
        "{summary}"
    );

    // An override of an unknown id: its path and line in the agency's file.
    std::fs::write(
        d.join("bad.json"),
        bundle.replace("access.bypass-blocks", "access.no-such-rule"),
    )
    .unwrap();
    let out = sh(d, "preflight bundle validate bad.json --json");
    assert_eq!(out.status.code(), Some(65));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["problems"][0]["path"],
        "$.overrides[\"access.no-such-rule\"]"
    );
    assert_eq!(v["problems"][0]["line"], 7);
}
