//! `preflight bundle init`: a starting bundle for an agency, from flags and a CSV of its
//! official accounts. The bundle extends the default one (`"extends"`), so it holds only the
//! agency's parts and picks up rule fixes with each release.

use std::path::{Path, PathBuf};

use preflight_core::{Engine, Site};
use serde_json::{json, Value};

use crate::exit::CliError;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Bundle id, e.g. `dcr-social-media` (letters, digits, `-`, `_`, `.`).
    #[arg(long)]
    pub id: String,
    /// The organization's full name.
    #[arg(long)]
    pub organization: String,
    /// Another name staff use (acronym, short name); repeat for several.
    #[arg(long = "alias", value_name = "NAME")]
    pub aliases: Vec<String>,
    /// IANA time zone of the duty hours, e.g. `America/Los_Angeles`.
    #[arg(long, value_name = "ZONE")]
    pub time_zone: Option<String>,
    /// Duty hours, `DAYS HH:MM-HH:MM` with DAYS a range or list (`mon-fri 08:00-16:30`,
    /// `sat,sun 10:00-14:00`); repeat for several windows. Needs `--time-zone`.
    #[arg(long = "duty-hours", value_name = "WINDOW", requires = "time_zone")]
    pub duty_hours: Vec<String>,
    /// CSV of the official accounts with a header row: `site,handle,owner unit` (the site is
    /// a site id of the default bundle: x, facebook, linkedin, ...).
    #[arg(long, value_name = "CSV")]
    pub accounts: Option<PathBuf>,
    /// Where the full policy lives.
    #[arg(long, value_name = "URL")]
    pub policy_url: Option<String>,
    /// Bundle version.
    #[arg(long, default_value = "1.0.0")]
    pub version: String,
    /// Write the bundle here (refuses to overwrite unless `--force`); default: stdout.
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Overwrite `--out`.
    #[arg(long)]
    pub force: bool,
}

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// `mon-fri 08:00-16:30` → `{"days": [...], "start", "end"}`.
fn window(spec: &str) -> Result<Value, String> {
    let bad = || {
        format!("--duty-hours {spec:?}: expected `DAYS HH:MM-HH:MM`, e.g. `mon-fri 08:00-16:30`")
    };
    let (days, hours) = spec.trim().split_once(' ').ok_or_else(bad)?;
    let (start, end) = hours.trim().split_once('-').ok_or_else(bad)?;
    let day = |d: &str| {
        DAYS.iter()
            .position(|x| x.eq_ignore_ascii_case(d.trim()))
            .ok_or_else(|| format!("--duty-hours {spec:?}: unknown day {d:?} (expected mon … sun)"))
    };
    let mut list = Vec::new();
    for part in days.split(',') {
        match part.split_once('-') {
            Some((a, b)) => {
                let (a, b) = (day(a)?, day(b)?);
                if a > b {
                    return Err(format!(
                        "--duty-hours {spec:?}: day range {part} runs backwards"
                    ));
                }
                list.extend(&DAYS[a..=b]);
            }
            None => list.push(DAYS[day(part)?]),
        }
    }
    Ok(json!({"days": list, "start": start.trim(), "end": end.trim()}))
}

/// The CSV's accounts, each checked against the default bundle's sites; a problem names the
/// CSV line.
fn accounts(path: &Path, sites: &[Site]) -> Result<Vec<Value>, CliError> {
    let name = path.display().to_string();
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(path)
        .map_err(|e| CliError::Data(format!("{name}: {e}")))?;
    let headers = reader
        .headers()
        .map_err(|e| CliError::Data(format!("{name}: {e}")))?
        .clone();
    let col = |want: &[&str]| {
        headers.iter().position(|h| {
            let h = h.to_ascii_lowercase().replace(['_', '-'], " ");
            want.contains(&h.as_str())
        })
    };
    let (Some(site), Some(handle), Some(unit)) = (
        col(&["site"]),
        col(&["handle", "account"]),
        col(&["owner unit", "unit", "owner"]),
    ) else {
        return Err(CliError::Data(format!(
            "{name}: line 1: expected the header row `site,handle,owner unit`, found `{}`",
            headers.iter().collect::<Vec<_>>().join(",")
        )));
    };
    let known: Vec<&str> = sites.iter().map(|s| s.id.as_str()).collect();
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| CliError::Data(format!("{name}: {e}")))?;
        let line = record.position().map_or(0, |p| p.line());
        let get = |i: usize, what: &str| {
            record
                .get(i)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
                .ok_or_else(|| CliError::Data(format!("{name}: line {line}: no {what}")))
        };
        let s = get(site, "site")?.to_ascii_lowercase();
        if !known.contains(&s.as_str()) {
            return Err(CliError::Data(format!(
                "{name}: line {line}: unknown site `{s}`, expected one of {}",
                known.join(", ")
            )));
        }
        out.push(
            json!({"site": s, "handle": get(handle, "handle")?, "unit": get(unit, "owner unit")?}),
        );
    }
    Ok(out)
}

/// The bundle `args` describe, as pretty JSON text.
pub fn bundle_text(args: &Args) -> Result<String, CliError> {
    let default = Engine::default_bundle().map_err(|e| CliError::Data(e.to_string()))?;
    let parent = default.bundle();
    let major = parent.metadata.version.split('.').next().unwrap_or("1");
    /// The written bundle, its fields in the order an admin reads them.
    #[derive(serde::Serialize)]
    struct Start<'a> {
        extends: String,
        format: u32,
        metadata: Meta<'a>,
        registry: Vec<Value>,
        #[serde(skip_serializing_if = "Option::is_none")]
        duty_hours: Option<Value>,
        overrides: Value,
        rules: Vec<Value>,
    }
    #[derive(serde::Serialize)]
    struct Meta<'a> {
        id: &'a str,
        version: &'a str,
        organization: &'a str,
        aliases: &'a [String],
        language: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        policy_url: Option<&'a str>,
    }
    let duty_hours = match &args.time_zone {
        Some(zone) => {
            let windows = args
                .duty_hours
                .iter()
                .map(|w| window(w))
                .collect::<Result<Vec<_>, _>>()
                .map_err(CliError::Usage)?;
            Some(json!({"time_zone": zone, "windows": windows}))
        }
        None => None,
    };
    let bundle = Start {
        extends: format!("{}@{major}", parent.metadata.id),
        format: parent.format,
        metadata: Meta {
            id: &args.id,
            version: &args.version,
            organization: &args.organization,
            aliases: &args.aliases,
            language: &parent.metadata.language,
            policy_url: args.policy_url.as_deref(),
        },
        registry: match &args.accounts {
            Some(p) => accounts(p, &parent.sites)?,
            None => Vec::new(),
        },
        duty_hours,
        overrides: json!({}),
        rules: Vec::new(),
    };
    let text =
        serde_json::to_string_pretty(&bundle).map_err(|e| CliError::Data(e.to_string()))? + "\n";
    // What we write must validate: the flags are checked as a bundle would be.
    crate::input::compile("<bundle init>", &text)?;
    Ok(text)
}

pub fn run(args: Args) -> Result<u8, CliError> {
    let text = bundle_text(&args)?;
    match &args.out {
        Some(path) => {
            if path.exists() && !args.force {
                return Err(CliError::Usage(format!(
                    "{} exists: pass --force to overwrite it",
                    path.display()
                )));
            }
            std::fs::write(path, &text)
                .map_err(|e| CliError::io(format!("cannot write {}", path.display()), e))?;
            eprintln!("wrote {}", path.display());
        }
        None => super::bundle::write_out(&text)?,
    }
    Ok(crate::exit::OK)
}
