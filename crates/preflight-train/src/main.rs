//! `preflight-train`: train the use classifier, evaluate a model on labelled JSONL, classify drafts.

use std::io::Write as _;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use preflight_core::classify::eval::{parse_jsonl, report, with_input, Row};
use preflight_core::classify::{assess_with, embedded_model, UseModel};
use preflight_core::{AccountKind, SiteKind, Tokenizer};

#[derive(Parser)]
#[command(
    name = "preflight-train",
    about = "Train, evaluate and run preflight's use classifier"
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Score every candidate on the transfer and leave-one-dataset-out splits beside the plain
    /// reference, calibrate, fit the shipped model and write it with its report.
    Train {
        /// Labelled JSONL (`{"text","label","source","split"}`), e.g. ../shared/data/posts.jsonl.
        #[arg(long)]
        data: String,
        /// Word embeddings written by scripts/distill-embeddings.sh.
        #[arg(long, default_value = ".tmp/embeddings/minilm-l6-words.bin")]
        embeddings: String,
        #[arg(long, default_value = "model/use-model.bin")]
        out: String,
        #[arg(long, default_value = "model/REPORT.md")]
        report: String,
        /// Hand-written drafts judged in the report.
        #[arg(long, default_value = "tests/drafts/drafts.jsonl")]
        drafts: String,
        /// Known misses of the drafts test (`{"id","reason"}` lines).
        #[arg(long, default_value = "tests/drafts/known-misses.jsonl")]
        known_misses: String,
        #[arg(long, default_value_t = 20_261_126)]
        seed: u64,
        /// Fit the shipped model on the train rows only (default: train + transfer once the
        /// design is fixed).
        #[arg(long)]
        train_only: bool,
        /// Skip the reference's leave-one-dataset-out and grouped CV (for quick iterations,
        /// never for shipping).
        #[arg(long)]
        quick: bool,
    },
    /// Print the evaluation report of a model on labelled JSONL (`{"text","label"}` + optional context).
    Eval {
        #[arg(long)]
        jsonl: String,
        /// Model file (default: the one embedded in the core).
        #[arg(long)]
        model: Option<String>,
    },
    /// Train the abuse score on labelled conduct rows: writes model/abuse-model.bin and
    /// model/ABUSE-REPORT.md.
    Conduct(preflight_train::conduct::Args),
    /// Classify one draft (argument) or every row of a JSONL file; prints JSON lines.
    Classify {
        text: Option<String>,
        #[arg(long)]
        jsonl: Option<String>,
        #[arg(long)]
        model: Option<String>,
        /// professional | general | forum
        #[arg(long)]
        site_kind: Option<String>,
        /// official | personal | unknown
        #[arg(long)]
        account_kind: Option<String>,
        #[arg(long)]
        reply: bool,
        #[arg(long)]
        mentions_employer: bool,
    },
}

fn load_model(path: Option<&str>) -> Result<UseModel, String> {
    match path {
        Some(p) => {
            let b = std::fs::read(p).map_err(|e| format!("{p}: {e}"))?;
            UseModel::from_bytes(&b).map_err(|e| format!("{p}: {e}"))
        }
        None => embedded_model().cloned().map_err(|e| e.to_string()),
    }
}

fn parse_enum<T: serde::de::DeserializeOwned>(v: &str) -> Result<T, String> {
    serde_json::from_value(serde_json::Value::String(v.to_string()))
        .map_err(|_| format!("unknown value {v:?}"))
}

fn real_main() -> Result<(), String> {
    let cli = Cli::parse();
    match cli.cmd {
        Cmd::Train {
            data,
            embeddings,
            out,
            report: report_path,
            drafts,
            known_misses,
            seed,
            train_only,
            quick,
        } => {
            let command = std::env::args()
                .map(|a| {
                    if a.contains('/') && std::path::Path::new(&a).is_absolute() {
                        a.rsplit('/')
                            .next()
                            .map(|f| format!(".../{f}"))
                            .unwrap_or(a)
                    } else {
                        a
                    }
                })
                .collect::<Vec<_>>()
                .join(" ");
            let opts = preflight_train::train::Options {
                data,
                embeddings,
                drafts,
                known_misses,
                seed,
                train_only,
                quick,
            };
            let o = preflight_train::train::run(&opts).map_err(|e| e.to_string())?;
            std::fs::write(&out, &o.model_bytes).map_err(|e| format!("{out}: {e}"))?;
            let md = preflight_train::report::write(&o, &command);
            std::fs::write(&report_path, md).map_err(|e| format!("{report_path}: {e}"))?;
            eprintln!(
                "wrote {out} ({} bytes) and {report_path}",
                o.model_bytes.len()
            );
            Ok(())
        }
        Cmd::Conduct(args) => preflight_train::conduct::run(&args).map_err(|e| e.to_string()),
        Cmd::Eval { jsonl, model } => {
            let m = load_model(model.as_deref())?;
            let text = std::fs::read_to_string(&jsonl).map_err(|e| format!("{jsonl}: {e}"))?;
            let rows = parse_jsonl(&text).map_err(|e| format!("{jsonl}: {e}"))?;
            let tk = Tokenizer::new("en").map_err(|e| e.to_string())?;
            print!("{}", report(&rows, &m, &tk));
            Ok(())
        }
        Cmd::Classify {
            text,
            jsonl,
            model,
            site_kind,
            account_kind,
            reply,
            mentions_employer,
        } => {
            let m = load_model(model.as_deref())?;
            let tk = Tokenizer::new("en").map_err(|e| e.to_string())?;
            let site_kind: Option<SiteKind> = site_kind.as_deref().map(parse_enum).transpose()?;
            let account_kind: Option<AccountKind> =
                account_kind.as_deref().map(parse_enum).transpose()?;
            let rows: Vec<Row> = match (text, jsonl) {
                (Some(t), None) => vec![Row {
                    id: None,
                    text: t,
                    label: None,
                    source: None,
                    split: None,
                    site_kind,
                    account_kind,
                    reply: reply.then_some(true),
                    mentions_employer: Some(mentions_employer),
                    context: None,
                }],
                (None, Some(p)) => {
                    let s = std::fs::read_to_string(&p).map_err(|e| format!("{p}: {e}"))?;
                    parse_jsonl(&s).map_err(|e| format!("{p}: {e}"))?
                }
                _ => return Err("give a draft text or --jsonl FILE (not both)".into()),
            };
            let mut out = std::io::stdout().lock();
            for row in &rows {
                let a = with_input(&tk, row, |input| assess_with(Some(&m), input));
                let line = serde_json::json!({"text": row.text, "assessment": a});
                writeln!(out, "{line}").map_err(|e| e.to_string())?;
            }
            Ok(())
        }
    }
}

fn main() -> ExitCode {
    match real_main() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
