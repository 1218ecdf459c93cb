//! Reading drafts and bundles.

use std::io::Read;
use std::path::Path;

use preflight_core::{extend, validate, BundleErrors, Engine, Problem};

use crate::exit::CliError;

/// Read a whole file as UTF-8 text; `-` reads stdin.
pub fn read_text(path: &Path) -> Result<String, CliError> {
    let name = path.display().to_string();
    let bytes = if name == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .lock()
            .read_to_end(&mut buf)
            .map_err(|e| CliError::io("cannot read stdin", e))?;
        buf
    } else {
        std::fs::read(path).map_err(|e| CliError::io(format!("cannot read {name}"), e))?
    };
    String::from_utf8(bytes).map_err(|e| {
        CliError::Data(format!(
            "{name}: not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ))
    })
}

/// Validate and compile bundle text. Every problem is located (line:column) in `text`.
pub fn compile(name: &str, text: &str) -> Result<Engine, CliError> {
    let fail = |mut errors: BundleErrors| {
        validate::locate_problems(text, &mut errors.problems);
        CliError::Bundle {
            file: name.to_string(),
            text: Some(text.to_string()),
            errors,
        }
    };
    let engine = Engine::from_json(text).map_err(fail)?;
    let tz_problems = time_zone_problems(&engine);
    if !tz_problems.is_empty() {
        return Err(fail(BundleErrors {
            problems: tz_problems,
        }));
    }
    Ok(engine)
}

/// The duty-hours time zone must be an IANA name this build knows (checked here rather than
/// in the core, which carries no time-zone data).
fn time_zone_problems(engine: &Engine) -> Vec<Problem> {
    match &engine.bundle().duty_hours {
        Some(d) if crate::clock::parse_tz(&d.time_zone).is_err() => vec![Problem {
            path: "$.duty_hours.time_zone".into(),
            line: None,
            column: None,
            message: format!(
                "unknown time zone `{}`: expected an IANA name such as `America/New_York` or `UTC`",
                d.time_zone
            ),
        }],
        _ => Vec::new(),
    }
}

/// The bundle inside a signed bundle (its signature is not checked here: `bundle verify`
/// does), or `text` itself.
pub fn bundle_text(name: &str, text: String) -> Result<String, CliError> {
    match crate::cmd::sign::Envelope::read(&text) {
        None => Ok(text),
        Some(Ok(e)) => Ok(e.bundle),
        Some(Err(e)) => Err(CliError::Data(format!("{name}: {e}"))),
    }
}

/// The merge of an extending bundle (`"extends"`) into the default bundle, for the commands
/// that tell inherited parts from the agency's own; `None` for a bundle that extends nothing
/// (or is not JSON: `compile` reports that).
pub fn resolved(text: &str) -> Option<extend::Resolved> {
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    value.get("extends")?;
    extend::resolve(value, preflight_core::DEFAULT_BUNDLE_JSON)
        .ok()
        .map(|(_, r)| r)
}

/// Load the bundle at `path`, or the embedded default bundle.
pub fn load(path: Option<&Path>) -> Result<Engine, CliError> {
    match path {
        Some(p) => compile(&p.display().to_string(), &read_text(p)?),
        None => compile("<default bundle>", preflight_core::DEFAULT_BUNDLE_JSON),
    }
}

/// The draft of a single-draft command: the argument, or stdin when it is absent or `-`
/// (stdin must be UTF-8; one final newline, as `echo` adds, is not part of the draft).
pub fn draft(arg: Option<&str>, command: &str) -> Result<String, CliError> {
    use std::io::{IsTerminal, Read};
    if let Some(t) = arg.filter(|t| *t != "-") {
        return Ok(t.to_string());
    }
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        return Err(CliError::Usage(format!(
            "no draft: give it as an argument (`preflight {command} \"...\"`) or on stdin"
        )));
    }
    let mut buf = Vec::new();
    stdin
        .lock()
        .read_to_end(&mut buf)
        .map_err(|e| CliError::io("cannot read stdin", e))?;
    let mut text =
        String::from_utf8(buf).map_err(|_| CliError::Data("stdin is not UTF-8 text".into()))?;
    if text.ends_with('\n') {
        text.pop();
        if text.ends_with('\r') {
            text.pop();
        }
    }
    Ok(text)
}
