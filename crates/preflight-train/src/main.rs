//! `preflight-train`: train the use classifier, evaluate a model on labelled JSONL, classify drafts.

use std::io::Write as _;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use preflight_core::classify::eval::{parse_jsonl, report, with_input, Row};
use preflight_core::classify::{assess_with, embedded_model, UseModel};
use preflight_core::{AccountKind, SiteKind, Tokenizer};
use preflight_train::{load, run, Config, RunOptions};

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
    /// Validate (grouped k-fold, leave-one-source-out), calibrate, fit and write the model and report.
    Train {
        /// Labelled JSONL (`{"text","label","source"}`), e.g. ../shared/data/posts.jsonl.
        #[arg(long)]
        data: String,
        #[arg(long, default_value = "model/use-model.bin")]
        out: String,
        #[arg(long, default_value = "model/REPORT.md")]
        report: String,
        /// Hand-written drafts judged in the report.
        #[arg(long, default_value = "tests/drafts/drafts.jsonl")]
        drafts: String,
        /// Known misses accepted by the drafts test (`{"id","reason"}` lines).
        #[arg(long, default_value = "tests/drafts/known-misses.jsonl")]
        known_misses: String,
        #[arg(long)]
        seed: Option<u64>,
        #[arg(long)]
        alpha: Option<f64>,
        #[arg(long)]
        max_iter: Option<u64>,
        #[arg(long)]
        max_features: Option<usize>,
        /// Folds of the grouped k-fold.
        #[arg(long)]
        folds: Option<usize>,
        /// Dense features to mask, comma-separated (replaces the default `url_density`).
        #[arg(long)]
        mask: Option<String>,
        /// Training caps `SOURCE_SUBSTRING=N`, comma-separated (replaces the default `dhayanesh=150`; `none` for no cap).
        #[arg(long)]
        caps: Option<String>,
        /// Also run the confound ablations (slower).
        #[arg(long)]
        ablations: bool,
        /// Skip the naive Bayes comparison.
        #[arg(long)]
        no_nb: bool,
        /// Fit once without validation (temperature 1, margin 0.2): for quick iterations, never for shipping.
        #[arg(long)]
        quick: bool,
        /// Only run the grouped k-fold and print its report (writes nothing).
        #[arg(long)]
        cv_only: bool,
        /// Prior correction λ in [0, 1]: shift the intercepts towards equally common uses.
        #[arg(long)]
        prior_shift: Option<f64>,
    },
    /// Compare configurations: grouped CV, leave-one-source-out and the hand-written drafts for
    /// each variant (see `apply_variant`), two at a time.
    Explore {
        #[arg(long)]
        data: String,
        #[arg(long, default_value = "tests/drafts/drafts.jsonl")]
        drafts: String,
        /// Write each variant's model (λ of the variant) to `DIR/<name>.bin`.
        #[arg(long)]
        save_models: Option<String>,
        /// Labelled JSONL (`{"text","label"}` + optional context) whose rows each variant's
        /// model should get right; the rows it gets wrong are listed (e.g. the use of the shared
        /// test vectors).
        #[arg(long)]
        probe: Option<String>,
        /// Variants `name=key:value,...`.
        variants: Vec<String>,
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
            out,
            report: report_path,
            drafts,
            known_misses,
            seed,
            alpha,
            max_iter,
            max_features,
            folds,
            mask,
            caps,
            ablations,
            no_nb,
            quick,
            cv_only,
            prior_shift,
        } => {
            let mut cfg = Config::default();
            if let Some(l) = prior_shift {
                cfg.prior_shift = l;
            }
            if let Some(s) = seed {
                cfg.seed = s;
            }
            if let Some(a) = alpha {
                cfg.alpha = a;
            }
            if let Some(m) = max_iter {
                cfg.max_iter = m;
            }
            if let Some(m) = max_features {
                cfg.max_features = m;
            }
            if let Some(f) = folds {
                cfg.folds = f.max(2);
            }
            if let Some(m) = mask {
                cfg.mask = m
                    .split(',')
                    .filter(|s| !s.is_empty() && *s != "none")
                    .map(String::from)
                    .collect();
            }
            if let Some(c) = caps {
                cfg.caps = Vec::new();
                for part in c.split(',').filter(|s| !s.is_empty() && *s != "none") {
                    let (k, v) = part
                        .split_once('=')
                        .ok_or(format!("cap {part:?}: expected SOURCE=N"))?;
                    cfg.caps.push((
                        k.to_string(),
                        v.parse().map_err(|_| format!("cap {part:?}: bad number"))?,
                    ));
                }
            }
            let (rows, sha) = load(&data).map_err(|e| e.to_string())?;
            let command = std::env::args().collect::<Vec<_>>().join(" ");
            let drafts = match std::fs::read_to_string(&drafts) {
                Ok(t) => parse_jsonl(&t).map_err(|e| format!("{drafts}: {e}"))?,
                Err(e) => {
                    eprintln!("no drafts in the report ({drafts}: {e})");
                    Vec::new()
                }
            };
            let known_misses = match std::fs::read_to_string(&known_misses) {
                Ok(t) => preflight_core::classify::eval::parse_known_misses(&t)
                    .map_err(|e| format!("{known_misses}: {e}"))?,
                Err(_) => Vec::new(),
            };
            let opts = RunOptions {
                cfg,
                ablations,
                compare_nb: !no_nb,
                quick,
                cv_only,
                data_label: data.clone(),
                command,
                drafts,
                known_misses,
            };
            let start = std::time::Instant::now();
            let trained = run(&rows, sha, &opts, &mut |m| {
                eprintln!("[{:>6.1}s] {m}", start.elapsed().as_secs_f64())
            })
            .map_err(|e| e.to_string())?;
            if cv_only {
                print!("{}", trained.report);
                return Ok(());
            }
            std::fs::write(&out, &trained.bytes).map_err(|e| format!("{out}: {e}"))?;
            std::fs::write(&report_path, &trained.report)
                .map_err(|e| format!("{report_path}: {e}"))?;
            eprintln!(
                "wrote {out} ({} bytes) and {report_path}",
                trained.bytes.len()
            );
            Ok(())
        }
        Cmd::Explore {
            data,
            drafts,
            save_models,
            probe,
            variants,
        } => {
            let (rows, sha) = load(&data).map_err(|e| e.to_string())?;
            let (drafts, _) = load(&drafts).map_err(|e| e.to_string())?;
            let probe = match probe {
                Some(p) => load(&p).map_err(|e| e.to_string())?.0,
                None => Vec::new(),
            };
            let tk = Tokenizer::new("en").map_err(|e| e.to_string())?;
            let samples = preflight_train::featurize(&rows, &tk);
            let base = Config::default();
            let jobs: Vec<(String, Config)> = variants
                .iter()
                .map(|v| {
                    let (name, spec) = v.split_once('=').unwrap_or((v.as_str(), v.as_str()));
                    preflight_train::apply_variant(&base, spec)
                        .map(|c| (name.to_string(), c))
                        .map_err(|e| e.to_string())
                })
                .collect::<Result<_, _>>()?;
            let start = std::time::Instant::now();
            preflight_train::two_at_a_time(&jobs, |(name, cfg)| {
                let save = save_models
                    .as_ref()
                    .map(|d| std::path::Path::new(d).join(format!("{name}.bin")));
                let line =
                    preflight_train::explore(&samples, cfg, &drafts, &probe, sha, save.as_deref())
                        .unwrap_or_else(|e| format!("error: {e}"));
                println!("[{:>6.1}s] {name}: {line}", start.elapsed().as_secs_f64());
            });
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
