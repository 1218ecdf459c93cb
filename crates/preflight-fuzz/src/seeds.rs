//! The seeds of the fuzzers, read from the repository: bundles (the default bundle, the
//! fixture bundles, the vectors' bundle) and drafts (the shared vectors with their contexts
//! and bundles, the hand-written drafts). `fuzz-seeds` writes them as libFuzzer corpus files.

use std::fs;
use std::path::{Path, PathBuf};

use preflight_core::Context;
use serde_json::Value;

/// Files of `dir` (sorted), those ending in `.{ext}` when given; none when `dir` is missing.
pub fn files(dir: &Path, ext: Option<&str>) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && ext.is_none_or(|x| p.extension().is_some_and(|e| e == x)))
        .collect();
    out.sort();
    out
}

/// Bundle files under `root`: the default bundle, the fixtures (valid and broken), the
/// vectors' bundles.
pub fn bundles(root: &Path) -> Vec<PathBuf> {
    let mut out = vec![root.join("model/default-bundle.json")];
    out.extend(files(&root.join("tests/fixtures/bundles"), Some("json")));
    out.extend(files(&root.join("tests/vectors/bundles"), Some("json")));
    out
}

/// Every seed draft: the shared vectors' drafts with their contexts and bundles (`None`: the
/// default bundle), then the hand-written drafts (no context).
pub fn drafts(root: &Path) -> Vec<(String, Context, Option<String>)> {
    let mut out = Vec::new();
    let vectors = root.join("tests/vectors");
    for path in files(&vectors, Some("json")) {
        let Ok(v) = fs::read_to_string(&path).map(|t| serde_json::from_str::<Value>(&t)) else {
            continue;
        };
        let Ok(v) = v else { continue };
        let bundle = v["bundle"]
            .as_str()
            .filter(|b| *b != "default")
            .and_then(|b| fs::read_to_string(vectors.join(b)).ok());
        for case in v["cases"].as_array().into_iter().flatten() {
            let text = case["text"].as_str().unwrap_or_default().to_string();
            let context: Context =
                serde_json::from_value(case["context"].clone()).unwrap_or_default();
            out.push((text, context, bundle.clone()));
        }
    }
    for path in files(&root.join("tests/drafts"), Some("jsonl")) {
        let Ok(text) = fs::read_to_string(&path) else {
            continue;
        };
        for line in text.lines() {
            if let Ok(v) = serde_json::from_str::<Value>(line) {
                if let Some(t) = v["text"].as_str() {
                    out.push((t.to_string(), Context::default(), None));
                }
            }
        }
    }
    out
}
