//! `preflight check`: one draft (argument or stdin), or a JSONL batch streamed line by line.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};

use preflight_core::{Analysis, Context, Engine, LocalTime};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::clock::{self, At};
use crate::exit::{self, CliError};
use crate::{input, render};

/// Longest JSONL line read (the core checks the first `MAX_DRAFT_CHARS` characters of a draft).
const MAX_LINE_BYTES: usize = 4 << 20;

#[derive(Debug, clap::Args)]
#[command(after_help = crate::EXIT_CODES)]
pub struct Args {
    #[command(flatten)]
    draft: super::DraftArgs,

    /// The employee is on duty (overrides the clock).
    #[arg(long, conflicts_with_all = ["off_duty", "at"])]
    on_duty: bool,

    /// The employee is off duty (overrides the clock).
    #[arg(long, conflicts_with = "at")]
    off_duty: bool,

    /// When the draft is posted, to decide on/off duty from the bundle's duty hours: `now`,
    /// an RFC 3339 time (`2026-11-26T09:30:00-05:00`) or a weekday and time in the bundle's
    /// time zone (`mon 09:30`). Default for a single draft: the system clock, when the bundle
    /// has duty hours. A JSONL batch uses each line's `time`, else this option, else nothing.
    #[arg(long, value_name = "TIME", value_parser = clock::parse_at)]
    at: Option<At>,

    /// Print the analysis as JSON (spans are byte offsets unless --utf16).
    #[arg(long)]
    json: bool,

    /// Give spans in UTF-16 code units (as JavaScript counts) instead of bytes.
    #[arg(long)]
    utf16: bool,
}

/// Context values given on the command line, applied where a draft's own context is silent.
struct Defaults {
    site: Option<String>,
    account: Option<String>,
    reply: Option<bool>,
    on_duty: Option<bool>,
    at: Option<At>,
}

pub fn run(args: Args) -> Result<u8, CliError> {
    let engine = &input::load(args.draft.bundle.as_deref())?;
    let on_duty = match (args.on_duty, args.off_duty) {
        (true, _) => Some(true),
        (_, true) => Some(false),
        _ => None,
    };
    let mut defaults = Defaults {
        site: args.draft.site.clone(),
        account: args.draft.account.clone(),
        reply: args.draft.reply(),
        on_duty,
        at: args.at,
    };

    if let Some(path) = &args.draft.jsonl {
        return batch(engine, path, &defaults, args.utf16);
    }

    let text = input::draft(args.draft.text.as_deref(), "check")?;

    if let Some(site) = args.draft.site.as_deref() {
        if engine.resolve_site(site).is_none() {
            let known: Vec<&str> = engine
                .bundle()
                .sites
                .iter()
                .map(|s| s.id.as_str())
                .collect();
            let y = render::YELLOW;
            let _ = writeln!(
                anstream::stderr(),
                "{y}warning{y:#}: site `{site}` is not in the bundle (known: {}); site rules and limits do not apply",
                if known.is_empty() { "none".to_string() } else { known.join(", ") }
            );
        }
    }
    // A single draft is posted now, unless told otherwise.
    if defaults.on_duty.is_none() && defaults.at.is_none() && engine.bundle().duty_hours.is_some() {
        defaults.at = Some(At::Now);
    }
    let context = merge(Context::default(), &defaults, engine);
    let mut analysis = engine
        .analyze(&text, &context)
        .map_err(|e| CliError::Data(e.to_string()))?;
    let code = exit::for_analysis(&analysis);
    let mut out = anstream::stdout();
    if args.json {
        if args.utf16 {
            analysis.to_utf16(&text);
        }
        let json =
            serde_json::to_string_pretty(&analysis).map_err(|e| CliError::Data(e.to_string()))?;
        writeln!(out, "{json}").map_err(exit::out)?;
    } else {
        out.write_all(render::analysis(&analysis, &text).as_bytes())
            .map_err(exit::out)?;
    }
    out.flush().map_err(exit::out)?;
    Ok(code)
}

/// Fill the context's unknowns from the command line.
fn merge(mut ctx: Context, d: &Defaults, engine: &Engine) -> Context {
    if ctx.site.is_none() {
        ctx.site.clone_from(&d.site);
    }
    if ctx.account.is_none() {
        ctx.account.clone_from(&d.account);
    }
    ctx.reply = ctx.reply.or(d.reply);
    ctx.on_duty = ctx.on_duty.or(d.on_duty);
    if ctx.on_duty.is_none() && ctx.local_time.is_none() {
        ctx.local_time = d.at.and_then(|at| local_time(at, engine));
    }
    ctx
}

/// The wall-clock time of `at` in the bundle's zone (none without duty hours).
fn local_time(at: At, engine: &Engine) -> Option<LocalTime> {
    if let At::Local(t) = at {
        return Some(t);
    }
    let tz = clock::parse_tz(&engine.bundle().duty_hours.as_ref()?.time_zone).ok()?;
    Some(clock::local_time(at, tz))
}

/// One JSONL input line in object form. Unknown fields are ignored, so archives can carry
/// their own columns.
#[derive(Deserialize)]
struct LineIn {
    text: String,
    #[serde(default)]
    context: Option<Context>,
    #[serde(default)]
    site: Option<String>,
    #[serde(default)]
    account: Option<String>,
    #[serde(default)]
    reply: Option<bool>,
    #[serde(default)]
    on_duty: Option<bool>,
    /// When the draft was (or will be) posted: as `--at`.
    #[serde(default)]
    time: Option<String>,
    /// Echoed back in the output line.
    #[serde(default)]
    id: Option<Value>,
}

#[derive(Serialize)]
struct LineOut<'a> {
    line: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    analysis: Option<&'a Analysis>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
}

fn batch(
    engine: &Engine,
    path: &std::path::Path,
    defaults: &Defaults,
    utf16: bool,
) -> Result<u8, CliError> {
    let name = path.display().to_string();
    let mut reader: Box<dyn BufRead> = if name == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        let f = File::open(path).map_err(|e| CliError::io(format!("cannot read {name}"), e))?;
        Box::new(BufReader::with_capacity(1 << 16, f))
    };
    let mut out = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let mut buf = Vec::with_capacity(4096);
    let (mut line_no, mut worst, mut bad) = (0u64, exit::OK, false);
    loop {
        buf.clear();
        let n = reader
            .by_ref()
            .take(MAX_LINE_BYTES as u64 + 1)
            .read_until(b'\n', &mut buf)
            .map_err(|e| CliError::io(format!("cannot read {name}"), e))?;
        if n == 0 {
            break;
        }
        line_no += 1;
        let result = if buf.len() > MAX_LINE_BYTES && buf.last() != Some(&b'\n') {
            skip_line(&mut reader).map_err(|e| CliError::io(format!("cannot read {name}"), e))?;
            Err(format!("line longer than {MAX_LINE_BYTES} bytes"))
        } else {
            while matches!(buf.last(), Some(b'\n' | b'\r')) {
                buf.pop();
            }
            if buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            analyze_line(engine, &buf, defaults, utf16)
        };
        let written = match &result {
            Ok((analysis, id)) => {
                worst = worst.max(exit::for_analysis(analysis));
                serde_json::to_writer(
                    &mut out,
                    &LineOut {
                        line: line_no,
                        id: id.as_ref(),
                        analysis: Some(analysis),
                        error: None,
                    },
                )
            }
            Err(msg) => {
                bad = true;
                serde_json::to_writer(
                    &mut out,
                    &LineOut {
                        line: line_no,
                        id: None,
                        analysis: None,
                        error: Some(msg),
                    },
                )
            }
        };
        written.map_err(|e| match e.io_error_kind() {
            Some(kind) => exit::out(kind.into()),
            None => CliError::Data(e.to_string()),
        })?;
        out.write_all(b"\n").map_err(exit::out)?;
    }
    out.flush().map_err(exit::out)?;
    Ok(if bad { exit::DATA } else { worst })
}

/// Discard the rest of an over-long line.
fn skip_line(reader: &mut dyn BufRead) -> std::io::Result<()> {
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            return Ok(());
        }
        match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => {
                reader.consume(i + 1);
                return Ok(());
            }
            None => {
                let n = chunk.len();
                reader.consume(n);
            }
        }
    }
}

fn analyze_line(
    engine: &Engine,
    bytes: &[u8],
    defaults: &Defaults,
    utf16: bool,
) -> Result<(Analysis, Option<Value>), String> {
    let line = std::str::from_utf8(bytes)
        .map_err(|e| format!("not UTF-8 (invalid byte at column {})", e.valid_up_to() + 1))?;
    let value: Value = serde_json::from_str(line).map_err(|e| format!("invalid JSON: {e}"))?;
    let (text, context, id) = match value {
        Value::String(text) => (text, merge(Context::default(), defaults, engine), None),
        obj @ Value::Object(_) => {
            let l: LineIn =
                serde_json::from_value(obj).map_err(|e| format!("invalid line: {e}"))?;
            let mut ctx = l.context.unwrap_or_default();
            ctx.site = l.site.or(ctx.site);
            ctx.account = l.account.or(ctx.account);
            ctx.reply = l.reply.or(ctx.reply);
            ctx.on_duty = l.on_duty.or(ctx.on_duty);
            if let Some(t) = l.time {
                let at = clock::parse_at(&t).map_err(|e| format!("invalid line: `time`: {e}"))?;
                ctx.local_time = local_time(at, engine).or(ctx.local_time);
            }
            (l.text, merge(ctx, defaults, engine), l.id)
        }
        _ => return Err("invalid line: expected a JSON string or an object with `text`".into()),
    };
    let mut analysis = engine.analyze(&text, &context).map_err(|e| e.to_string())?;
    if utf16 {
        analysis.to_utf16(&text);
    }
    Ok((analysis, id))
}
