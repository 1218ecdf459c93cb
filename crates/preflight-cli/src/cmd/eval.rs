//! `preflight eval`: how well the use classifier does on a labelled JSONL file a user brings.

use std::io::Write;
use std::path::PathBuf;

use preflight_core::classify::eval::{parse_jsonl, report};
use preflight_core::classify::{embedded_model, UseModel};
use preflight_core::Tokenizer;

use crate::exit::{self, CliError};
use crate::input;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Labelled drafts, one JSON object per line: `{"text","label"}` (label: organizational,
    /// professional, personal, or blurred) with optional `source`, `site_kind`
    /// (professional/general/forum), `account_kind` (official/personal/unknown), `reply`,
    /// `mentions_employer` and `context`. `-` reads stdin.
    #[arg(long, value_name = "FILE")]
    jsonl: PathBuf,

    /// A model file to evaluate instead of the embedded one (`model/use-model.bin` format).
    #[arg(long, value_name = "FILE")]
    model: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<u8, CliError> {
    let text = input::read_text(&args.jsonl)?;
    let name = args.jsonl.display().to_string();
    let rows = parse_jsonl(&text).map_err(|e| CliError::Data(format!("{name}: {e}")))?;
    let owned;
    let model: &UseModel = match &args.model {
        Some(p) => {
            let bytes = std::fs::read(p)
                .map_err(|e| CliError::io(format!("cannot read {}", p.display()), e))?;
            owned = UseModel::from_bytes(&bytes)
                .map_err(|e| CliError::Data(format!("{}: {e}", p.display())))?;
            &owned
        }
        None => embedded_model().map_err(|e| CliError::Data(e.to_string()))?,
    };
    let tk = Tokenizer::new("en").map_err(|e| CliError::Data(e.to_string()))?;
    let mut out = anstream::stdout();
    out.write_all(report(&rows, model, &tk).as_bytes())
        .map_err(exit::out)?;
    out.flush().map_err(exit::out)?;
    Ok(exit::OK)
}
