//! `preflight bundle validate | test | describe | coverage | init | keygen | sign | verify |
//! schema`.

use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};

use preflight_core::{validate, Engine, ExampleFailure, Problem};
use serde::Serialize;

use crate::exit::{self, CliError};
use crate::input;
use crate::render::{self, BOLD, DIM, GREEN, RED, YELLOW};

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Validate a rule bundle: every problem with its JSON path, line:column and what was
    /// expected. Exit 0 when valid, 65 when not.
    #[command(after_help = crate::EXIT_CODES)]
    Validate {
        /// The bundle (JSON); `-` reads stdin.
        file: PathBuf,
        /// Print the result as JSON: {"file", "valid", "problems": [{path, line, column, message}]}.
        #[arg(long)]
        json: bool,
    },
    /// Run every rule's inline examples (`examples.flags` / `examples.passes`). Exit 0 when
    /// all pass, 1 when some fail, 65 when the bundle is invalid.
    #[command(after_help = crate::EXIT_CODES)]
    Test {
        /// The bundle (JSON); `-` reads stdin.
        file: PathBuf,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
    },
    /// What a bundle is: id, version, what it extends, its parts and overrides. With
    /// `--resolved`, the whole bundle an extending bundle amounts to (a plain bundle).
    Describe {
        /// The bundle (JSON, or a signed bundle); `-` reads stdin.
        file: PathBuf,
        /// Print the merged bundle as JSON.
        #[arg(long)]
        resolved: bool,
    },
    /// Which of the eight policy elements the bundle's enabled rules cover: per element, the
    /// rules, their severities and their inline examples; an element with no rule is named.
    Coverage {
        /// The bundle (JSON, or a signed bundle); `-` reads stdin. Default: the default bundle.
        file: Option<PathBuf>,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Write a starting bundle for an agency (it extends the default bundle) from flags and
    /// a CSV of official accounts.
    Init(super::init::Args),
    /// Make an Ed25519 key pair for signing bundles: NAME.key (private, PKCS#8 PEM) and
    /// NAME.pub (the public key, base64, to pin in the policy). Prints the public key.
    Keygen {
        /// Path without extension, e.g. `keys/dcr-2026`.
        #[arg(long, value_name = "NAME")]
        out: PathBuf,
        /// Overwrite existing files.
        #[arg(long)]
        force: bool,
    },
    /// Sign a bundle (which must validate): writes the signed envelope.
    Sign {
        /// The bundle (JSON).
        file: PathBuf,
        /// The private key (NAME.key from `keygen`).
        #[arg(long, value_name = "FILE")]
        key: PathBuf,
        /// Write the signed bundle here; default: stdout.
        #[arg(long, short, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Overwrite `--out`.
        #[arg(long)]
        force: bool,
    },
    /// Check a signed bundle's signature (and with `--key`, that the signer is pinned) and
    /// validate the bundle inside. Exit 0 when good, 65 when not.
    #[command(after_help = crate::EXIT_CODES)]
    Verify {
        /// The signed bundle.
        file: PathBuf,
        /// A pinned public key (base64 or a NAME.pub file); repeat for several.
        #[arg(long = "key", value_name = "KEY")]
        keys: Vec<String>,
    },
    /// Print the JSON Schema of the rule bundle format.
    Schema,
}

pub fn run(cmd: Command) -> Result<u8, CliError> {
    match cmd {
        Command::Validate { file, json } => validate_cmd(&file, json),
        Command::Test { file, json } => test_cmd(&file, json),
        Command::Describe { file, resolved } => describe_cmd(&file, resolved),
        Command::Coverage { file, json } => coverage_cmd(file.as_deref(), json),
        Command::Init(args) => super::init::run(args),
        Command::Keygen { out, force } => super::sign::keygen(&out, force),
        Command::Sign {
            file,
            key,
            out,
            force,
        } => super::sign::sign_cmd(&file, &key, out.as_ref(), force),
        Command::Verify { file, keys } => super::sign::verify_cmd(&file, &keys),
        Command::Schema => schema(),
    }
}

pub fn write_out(s: &str) -> Result<(), CliError> {
    let mut out = anstream::stdout();
    out.write_all(s.as_bytes()).map_err(exit::out)?;
    out.flush().map_err(exit::out)
}

#[derive(Serialize)]
struct ValidateReport<'a> {
    file: &'a str,
    valid: bool,
    problems: &'a [Problem],
}

fn validate_cmd(path: &Path, json: bool) -> Result<u8, CliError> {
    let name = path.display().to_string();
    let text = input::bundle_text(&name, input::read_text(path)?)?;
    let (engine, problems) = match input::compile(&name, &text) {
        Ok(engine) => (Some(engine), Vec::new()),
        Err(CliError::Bundle { errors, .. }) => (None, errors.problems),
        Err(e) => return Err(e),
    };
    if json {
        let report = ValidateReport {
            file: &name,
            valid: engine.is_some(),
            problems: &problems,
        };
        let s = serde_json::to_string_pretty(&report).map_err(|e| CliError::Data(e.to_string()))?;
        write_out(&format!("{s}\n"))?;
    } else {
        let mut s = render::problems(&name, Some(&text), &problems);
        match &engine {
            Some(engine) => {
                let b = engine.bundle();
                let enabled = b.rules.iter().filter(|r| r.enabled).count();
                let _ = writeln!(
                    s,
                    "{GREEN}valid{GREEN:#}: {name}: {} {} — {} rule{} ({enabled} enabled), {} site{}, {} example{}",
                    b.metadata.id,
                    b.metadata.version,
                    b.rules.len(),
                    render::plural(b.rules.len()),
                    b.sites.len(),
                    render::plural(b.sites.len()),
                    engine.example_count(),
                    render::plural(engine.example_count()),
                );
                if !b.metadata.language.eq_ignore_ascii_case("en") {
                    let _ = writeln!(
                        s,
                        "{YELLOW}note{YELLOW:#}: $.metadata.language is {:?}: the browser extension's \
                         WebAssembly engine stems English only and will refuse this bundle \
                         (it keeps the last good bundle or the default); this CLI checks it \
                         with the {:?} stemmer",
                        b.metadata.language, b.metadata.language,
                    );
                }
            }
            None => {
                let n = problems.len();
                let _ = writeln!(
                    s,
                    "{RED}invalid{RED:#}: {name}: {n} problem{}",
                    render::plural(n)
                );
            }
        }
        write_out(&s)?;
    }
    Ok(if engine.is_some() {
        exit::OK
    } else {
        exit::DATA
    })
}

#[derive(Serialize)]
struct RuleResult<'a> {
    id: &'a str,
    /// `pass`, `fail`, `no_examples` or `disabled`.
    status: &'static str,
    examples: usize,
    failures: Vec<LocatedFailure>,
}

#[derive(Serialize)]
struct LocatedFailure {
    #[serde(flatten)]
    failure: ExampleFailure,
    line: Option<usize>,
    column: Option<usize>,
}

#[derive(Serialize)]
struct TestReport<'a> {
    file: &'a str,
    passed: usize,
    failed: usize,
    without_examples: usize,
    inherited: usize,
    rules: Vec<RuleResult<'a>>,
}

fn test_cmd(path: &Path, json: bool) -> Result<u8, CliError> {
    let name = path.display().to_string();
    let text = input::bundle_text(&name, input::read_text(path)?)?;
    let engine: Engine = input::compile(&name, &text)?;
    let failures = engine.test_examples();
    // An extending bundle: the inherited rules' examples were written for the parent (its
    // registry, its organization) and pass there; only the agency's own rules run here.
    let resolved = input::resolved(&text);

    let mut rules = Vec::new();
    for (i, rule) in engine.bundle().rules.iter().enumerate() {
        let prefix = format!("$.rules[{i}].");
        let own = resolved
            .as_ref()
            .map_or(Some(format!("$.rules[{i}]")), |r| {
                r.source_path(&format!("$.rules[{i}]"))
            });
        let examples = rule.examples.flags.len() + rule.examples.passes.len();
        let mine: Vec<LocatedFailure> = failures
            .iter()
            .filter(|f| f.path.starts_with(&prefix))
            .map(|f| {
                let path = own.as_ref().map_or(f.path.clone(), |own| {
                    f.path.replacen(&format!("$.rules[{i}]"), own, 1)
                });
                let loc = validate::locate(&text, &path);
                LocatedFailure {
                    failure: ExampleFailure { path, ..f.clone() },
                    line: loc.map(|l| l.0),
                    column: loc.map(|l| l.1),
                }
            })
            .collect();
        let status = if !rule.enabled {
            "disabled"
        } else if own.is_none() {
            "inherited"
        } else if !mine.is_empty() {
            "fail"
        } else if examples == 0 {
            "no_examples"
        } else {
            "pass"
        };
        rules.push(RuleResult {
            id: &rule.id,
            status,
            examples,
            failures: if own.is_none() { Vec::new() } else { mine },
        });
    }
    let count = |s: &str| rules.iter().filter(|r| r.status == s).count();
    let report = TestReport {
        file: &name,
        passed: count("pass"),
        failed: count("fail"),
        without_examples: count("no_examples"),
        inherited: count("inherited"),
        rules,
    };

    if json {
        let s = serde_json::to_string_pretty(&report).map_err(|e| CliError::Data(e.to_string()))?;
        write_out(&format!("{s}\n"))?;
    } else {
        let mut s = String::new();
        for r in &report.rules {
            match r.status {
                "pass" => {
                    let _ = writeln!(
                        s,
                        "{GREEN}pass{GREEN:#} {} {DIM}({} example{}){DIM:#}",
                        r.id,
                        r.examples,
                        render::plural(r.examples)
                    );
                }
                "fail" => {
                    let _ = writeln!(
                        s,
                        "{RED}FAIL{RED:#} {} {DIM}({} of {} example{} failed){DIM:#}",
                        r.id,
                        r.failures.len(),
                        r.examples,
                        render::plural(r.examples)
                    );
                    for f in &r.failures {
                        let at = match (f.line, f.column) {
                            (Some(l), Some(c)) => format!("{name}:{l}:{c}"),
                            _ => name.clone(),
                        };
                        let _ = writeln!(
                            s,
                            "     {BOLD}{}{BOLD:#}: {:?}\n     {DIM}at {} ({at}){DIM:#}",
                            f.failure.expected, f.failure.text, f.failure.path
                        );
                        if let Some(e) = &f.failure.error {
                            let _ = writeln!(s, "     {RED}error{RED:#}: {e}");
                        }
                    }
                }
                "inherited" => {
                    let _ = writeln!(
                        s,
                        "{DIM}inherited {} ({} example{}, tested in {}){DIM:#}",
                        r.id,
                        r.examples,
                        render::plural(r.examples),
                        resolved.as_ref().map_or("", |r| r.parent.as_str())
                    );
                }
                "no_examples" => {
                    let _ = writeln!(s, "{YELLOW}warn{YELLOW:#} {} has no examples", r.id);
                }
                _ => {
                    let _ = writeln!(s, "{DIM}skip {} (disabled){DIM:#}", r.id);
                }
            }
        }
        if report.without_examples > 0 {
            let n = report.without_examples;
            let _ = writeln!(
                s,
                "{YELLOW}warning{YELLOW:#}: {n} rule{} without examples: add `examples.flags` and `examples.passes`",
                render::plural(n)
            );
        }
        let _ = write!(s, "{} passed, {} failed", report.passed, report.failed);
        if report.inherited > 0 {
            let _ = write!(s, ", {} inherited", report.inherited);
        }
        let _ = writeln!(s);
        write_out(&s)?;
    }
    Ok(if report.failed > 0 {
        exit::ADVICE
    } else {
        exit::OK
    })
}

fn describe_cmd(path: &Path, resolved: bool) -> Result<u8, CliError> {
    let name = path.display().to_string();
    let text = input::bundle_text(&name, input::read_text(path)?)?;
    let engine = input::compile(&name, &text)?;
    let out = if resolved {
        super::describe::resolved(&engine).map_err(|e| CliError::Data(e.to_string()))?
    } else {
        super::describe::summary(&name, &text, &engine)
    };
    write_out(&out)?;
    Ok(exit::OK)
}

#[derive(Serialize)]
struct CoverageReport<'a> {
    file: &'a str,
    id: &'a str,
    version: &'a str,
    elements: Vec<preflight_core::coverage::ElementCoverage<'a>>,
    uncovered: Vec<preflight_core::Element>,
}

fn coverage_cmd(path: Option<&Path>, json: bool) -> Result<u8, CliError> {
    let (name, engine) = match path {
        Some(p) => {
            let name = p.display().to_string();
            let text = input::bundle_text(&name, input::read_text(p)?)?;
            let engine = input::compile(&name, &text)?;
            (name, engine)
        }
        None => ("<default bundle>".to_string(), input::load(None)?),
    };
    let b = engine.bundle();
    let rows = preflight_core::coverage::coverage(b);
    let out = if json {
        let report = CoverageReport {
            file: &name,
            id: &b.metadata.id,
            version: &b.metadata.version,
            uncovered: preflight_core::coverage::uncovered(&rows),
            elements: rows,
        };
        serde_json::to_string_pretty(&report).map_err(|e| CliError::Data(e.to_string()))? + "\n"
    } else {
        super::coverage::render(&name, b, &rows)
    };
    write_out(&out)?;
    Ok(exit::OK)
}

fn schema() -> Result<u8, CliError> {
    let s = serde_json::to_string_pretty(&preflight_core::bundle_schema())
        .map_err(|e| CliError::Data(e.to_string()))?;
    write_out(&format!("{s}\n"))?;
    Ok(exit::OK)
}
