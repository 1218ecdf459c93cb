//! `preflight-judge`: writes `docs/JUDGEMENT.md`, the side-by-side report of preflight's
//! judgement on text it was not written around. Each section is built by its own module:
//!
//! * [`conduct`]: held-out conduct rows (hate / offensive / clean), preflight beside alex;
//! * [`pii`]: the PII / security detectors on every form of IP address, SSN and phone number,
//!   and on entity-free drafts that must raise nothing;
//! * [`paraphrase`]: the policy-rule paraphrase suite (recall and false alarms per family).
//!
//! The report is written entirely by this command; nothing in it is edited by hand.

mod conduct;
mod error;
mod paraphrase;
mod pii;

use std::process::ExitCode;

use clap::Parser;

pub use error::JudgeError;

/// Command-line options shared by every section.
#[derive(Parser, Debug)]
#[command(name = "preflight-judge", about = "Write docs/JUDGEMENT.md")]
pub struct Args {
    /// Where the report goes.
    #[arg(long, default_value = "docs/JUDGEMENT.md")]
    pub out: String,
    /// Sections to build, comma-separated (conduct, pii, paraphrase); all by default.
    #[arg(long, value_delimiter = ',')]
    pub only: Vec<String>,
    /// Labelled conduct rows (`{"text","label","source"}`), e.g. ../shared/data/conduct.jsonl.
    #[arg(long)]
    pub conduct: Option<String>,
    /// PII form cases (`{"id","kind","text","expect"}` per line) for the `pii` section.
    #[arg(long, default_value = "tests/judgement/pii.jsonl")]
    pub pii_cases: String,
    /// The paraphrase suite: `families.json` and one JSONL file per rule family.
    #[arg(long, default_value = "tests/paraphrase")]
    pub paraphrase: String,
    /// Which conduct rows to measure: `held-out` (the report) or `validation` (where the
    /// default bundle's thresholds are tuned).
    #[arg(long, default_value = "held-out")]
    pub conduct_split: String,
    /// The Node script that runs alex over JSONL.
    #[arg(long, default_value = "scripts/alex-jsonl.mjs")]
    pub alex_script: String,
    /// Rule bundle for the conduct section (default: the embedded default bundle).
    #[arg(long)]
    pub conduct_bundle: Option<String>,
    /// Leave alex out of the conduct section.
    #[arg(long)]
    pub no_alex: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("preflight-judge: {e}");
            ExitCode::from(1)
        }
    }
}

type Section = fn(&Args) -> Result<String, JudgeError>;

fn run(args: &Args) -> Result<(), JudgeError> {
    let sections: [(&str, Section); 3] = [
        ("conduct", conduct::section),
        ("pii", pii::section),
        ("paraphrase", paraphrase::section),
    ];
    let mut out = String::from(
        "# Judgement on text preflight was not written around\n\n\
         Written entirely by `preflight-judge` (nothing here is edited by hand; re-run the \
         command to regenerate it).\n\n",
    );
    for (name, build) in sections {
        if args.only.is_empty() || args.only.iter().any(|o| o == name) {
            out.push_str(&build(args)?);
            out.push('\n');
        }
    }
    std::fs::write(&args.out, out).map_err(|e| JudgeError::Io(args.out.clone(), e))
}
