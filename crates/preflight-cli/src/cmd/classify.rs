//! `preflight classify`: which use a draft reads as (organizational / professional /
//! personal), how sure the model is, and why. One draft (argument or stdin) or a JSONL batch.

use std::io::{BufRead, BufReader, Write};

use preflight_core::{Context, Engine, Use, UseAssessment};
use serde::Deserialize;

use crate::exit::{self, CliError};
use crate::input;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    draft: super::DraftArgs,

    /// Print the assessment as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum LineIn {
    Text(String),
    Object {
        text: String,
        #[serde(default)]
        context: Option<Context>,
        #[serde(default)]
        site: Option<String>,
        #[serde(default)]
        account: Option<String>,
        #[serde(default)]
        reply: Option<bool>,
    },
}

fn context(
    args: &Args,
    site: Option<String>,
    account: Option<String>,
    reply: Option<bool>,
    ctx: Option<Context>,
) -> Context {
    let mut c = ctx.unwrap_or_default();
    c.site = c.site.or(site).or_else(|| args.draft.site.clone());
    c.account = c.account.or(account).or_else(|| args.draft.account.clone());
    c.reply = c.reply.or(reply).or(args.draft.reply());
    c
}

fn assess(engine: &Engine, text: &str, ctx: &Context) -> Result<UseAssessment, CliError> {
    Ok(engine
        .analyze(text, ctx)
        .map_err(|e| CliError::Data(e.to_string()))?
        .use_)
}

/// Human-readable assessment.
pub fn render(a: &UseAssessment) -> String {
    let mut s = String::new();
    let label = a.label.map_or("unknown", Use::as_str);
    let source = match a.source {
        preflight_core::UseSource::Registry => "official-account registry",
        preflight_core::UseSource::Classifier => "text classifier",
        preflight_core::UseSource::Unknown => "no model",
    };
    s.push_str(&format!(
        "use: {label} ({source}){}\n",
        if a.blurred {
            ", blurred: the top two uses are close"
        } else {
            ""
        }
    ));
    if let Some(p) = a.probabilities {
        s.push_str(&format!(
            "  organizational {:.2}   professional {:.2}   personal {:.2}\n",
            p[0], p[1], p[2]
        ));
    }
    if !a.signals.is_empty() {
        s.push_str(&format!("  why: {}\n", a.signals.join("; ")));
    }
    if let Some(r) = &a.override_reason {
        s.push_str(&format!("  override: {r}\n"));
    }
    s
}

pub fn run(args: Args) -> Result<u8, CliError> {
    let engine = input::load(args.draft.bundle.as_deref())?;
    let mut out = anstream::stdout();
    if let Some(path) = &args.draft.jsonl {
        let name = path.display().to_string();
        let reader: Box<dyn BufRead> = if name == "-" {
            Box::new(BufReader::new(std::io::stdin()))
        } else {
            Box::new(BufReader::new(
                std::fs::File::open(path)
                    .map_err(|e| CliError::io(format!("cannot read {name}"), e))?,
            ))
        };
        for (i, line) in reader.lines().enumerate() {
            let line = line.map_err(|e| CliError::io(format!("cannot read {name}"), e))?;
            if line.trim().is_empty() {
                continue;
            }
            let parsed: LineIn = serde_json::from_str(&line)
                .map_err(|e| CliError::Data(format!("{name}:{}: {e}", i + 1)))?;
            let (text, ctx) = match parsed {
                LineIn::Text(t) => (t, context(&args, None, None, None, None)),
                LineIn::Object {
                    text,
                    context: c,
                    site,
                    account,
                    reply,
                } => {
                    let ctx = context(&args, site, account, reply, c);
                    (text, ctx)
                }
            };
            let a = assess(&engine, &text, &ctx)?;
            let v = serde_json::json!({ "line": i + 1, "use": a });
            writeln!(out, "{v}").map_err(exit::out)?;
        }
        out.flush().map_err(exit::out)?;
        return Ok(exit::OK);
    }
    let text = input::draft(args.draft.text.as_deref(), "classify")?;
    let ctx = context(&args, None, None, None, None);
    let a = assess(&engine, &text, &ctx)?;
    if args.json {
        let json = serde_json::to_string_pretty(&a).map_err(|e| CliError::Data(e.to_string()))?;
        writeln!(out, "{json}").map_err(exit::out)?;
    } else {
        out.write_all(render(&a).as_bytes()).map_err(exit::out)?;
    }
    out.flush().map_err(exit::out)?;
    Ok(exit::OK)
}
