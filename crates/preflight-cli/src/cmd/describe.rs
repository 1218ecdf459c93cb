//! `preflight bundle describe`: what a bundle is (id, version, what it extends, its parts and
//! overrides), or with `--resolved` the whole merged bundle an extending bundle amounts to.

use std::fmt::Write as _;

use preflight_core::Engine;

use crate::render::{self, BOLD, DIM};

/// The merged bundle as pretty JSON: a plain bundle (no `extends`) that validates on its own.
pub fn resolved(engine: &Engine) -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(engine.bundle()).map(|s| s + "\n")
}

/// A summary of the bundle in `text` (already compiled into `engine`).
pub fn summary(name: &str, text: &str, engine: &Engine) -> String {
    let b = engine.bundle();
    let m = &b.metadata;
    let mut s = String::new();
    let _ = writeln!(s, "{BOLD}{}{BOLD:#} {} ({name})", m.id, m.version);
    let _ = writeln!(s, "organization  {}", m.organization);
    if !m.aliases.is_empty() {
        let _ = writeln!(s, "aliases       {}", m.aliases.join(", "));
    }
    let _ = writeln!(s, "language      {}", m.language);
    let resolved = crate::input::resolved(text);
    let own_rules = match &resolved {
        Some(r) => {
            let _ = writeln!(s, "extends       {}", r.parent);
            (0..b.rules.len())
                .filter(|i| r.source_path(&format!("$.rules[{i}]")).is_some())
                .count()
        }
        None => b.rules.len(),
    };
    let enabled = b.rules.iter().filter(|r| r.enabled).count();
    let _ = writeln!(
        s,
        "rules         {} ({enabled} enabled; {own_rules} own, {} inherited)",
        b.rules.len(),
        b.rules.len() - own_rules
    );
    let _ = writeln!(
        s,
        "sites         {}",
        b.sites
            .iter()
            .map(|x| x.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(
        s,
        "registry      {} official account{}",
        b.registry.len(),
        render::plural(b.registry.len())
    );
    for a in &b.registry {
        let _ = writeln!(s, "  {DIM}{} {} ({}){DIM:#}", a.site, a.handle, a.unit);
    }
    match &b.duty_hours {
        Some(d) => {
            let windows: Vec<String> = d
                .windows
                .iter()
                .map(|w| {
                    let days: Vec<String> = w
                        .days
                        .iter()
                        .map(|d| {
                            serde_json::to_value(d)
                                .ok()
                                .and_then(|v| v.as_str().map(String::from))
                                .unwrap_or_default()
                        })
                        .collect();
                    format!("{} {}-{}", days.join(","), w.start, w.end)
                })
                .collect();
            let _ = writeln!(s, "duty hours    {} ({})", windows.join("; "), d.time_zone);
        }
        None => {
            let _ = writeln!(s, "duty hours    none");
        }
    }
    let _ = writeln!(s, "titles        {}", b.official_titles.len());
    let overrides = serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .and_then(|v| {
            v.get("overrides")
                .and_then(|o| o.as_object())
                .map(|o| o.keys().cloned().collect::<Vec<_>>())
        });
    if let Some(ids) = overrides.filter(|ids| !ids.is_empty()) {
        let _ = writeln!(s, "overrides     {}", ids.join(", "));
    }
    let _ = writeln!(
        s,
        "{DIM}`preflight bundle describe --resolved` prints the whole bundle this amounts to{DIM:#}"
    );
    s
}
