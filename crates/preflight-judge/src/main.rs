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
    /// Sections to build, comma-separated (conduct, pii, paraphrase); all by default. With
    /// `--only`, the other sections of an existing report are kept as they are.
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
    let mut built = Vec::new();
    for (name, build) in sections {
        if args.only.is_empty() || args.only.iter().any(|o| o == name) {
            let mut section = build(args)?;
            section.push('\n');
            built.push(section);
        }
    }
    // `--only` rewrites its sections in place and keeps the others of an existing report.
    let existing = if args.only.is_empty() {
        None
    } else {
        std::fs::read_to_string(&args.out).ok()
    };
    match existing {
        Some(existing) => out = splice(&existing, &built),
        None => built.iter().for_each(|s| out.push_str(s)),
    }
    std::fs::write(&args.out, out).map_err(|e| JudgeError::Io(args.out.clone(), e))
}

/// `existing` with each of `built`'s sections (each starting with its `## ` heading line) put in
/// place of the section with the same heading; a section the report lacks goes at its end.
fn splice(existing: &str, built: &[String]) -> String {
    // The report cut at its `## ` headings: the preamble, then one piece per section.
    let mut pieces: Vec<String> = Vec::new();
    let mut current = String::new();
    for line in existing.split_inclusive('\n') {
        if line.starts_with("## ") {
            pieces.push(std::mem::take(&mut current));
        }
        current.push_str(line);
    }
    pieces.push(current);
    let heading = |s: &str| s.lines().next().unwrap_or("").to_string();
    for section in built {
        let h = heading(section);
        match pieces.iter_mut().skip(1).find(|p| heading(p) == h) {
            Some(p) => *p = section.clone(),
            None => pieces.push(section.clone()),
        }
    }
    pieces.concat()
}

#[cfg(test)]
mod tests {
    use super::splice;

    #[test]
    fn only_rewrites_its_own_sections() {
        let existing = "# Report\n\nintro\n\n## A\n\nold a\n### sub\n\n## B\n\nold b\n";
        let got = splice(existing, &["## B\n\nnew b\n\n".to_string()]);
        assert_eq!(
            got,
            "# Report\n\nintro\n\n## A\n\nold a\n### sub\n\n## B\n\nnew b\n\n"
        );
        let got = splice(existing, &["## A\n\nnew a\n\n".to_string()]);
        assert_eq!(got, "# Report\n\nintro\n\n## A\n\nnew a\n\n## B\n\nold b\n");
        let got = splice("# Report\n\n", &["## C\n\nc\n".to_string()]);
        assert_eq!(got, "# Report\n\n## C\n\nc\n");
    }
}
