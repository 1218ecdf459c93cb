//! `preflight`: check drafts against a rule bundle, and validate, test and print the schema
//! of rule bundles. Each subcommand lives in its own module under `cmd/`.

mod clock;
mod cmd;
mod exit;
mod input;
mod render;

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use exit::CliError;

const EXIT_CODES: &str = "\
Exit codes:
   0  clean: no finding (bundle commands: valid / all examples pass)
   1  advice only (bundle test: some example failed)
   2  at least one warning, no violation
   3  at least one violation
  64  usage error (bad arguments)
  65  invalid data: invalid rule bundle, or bad input (a bad JSONL line, text that is not UTF-8)
  74  I/O error (a file cannot be read, stdout cannot be written)";

/// A privacy-first pre-post check for people who post on social media as part of a public job.
///
/// Everything runs locally: no draft ever leaves the machine.
#[derive(Debug, Parser)]
#[command(name = "preflight", version, after_long_help = EXIT_CODES, after_help = EXIT_CODES)]
struct Cli {
    /// When to colour the output (auto respects NO_COLOR, CLICOLOR_FORCE and non-terminals).
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, global = true)]
    color: ColorWhen,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check a draft (argument or stdin), or a JSONL batch of drafts.
    Check(cmd::check::Args),
    /// Validate, test and describe rule bundles.
    #[command(subcommand)]
    Bundle(cmd::bundle::Command),
    /// Export the policy files that push a bundle to Chrome, Edge and Firefox.
    #[command(subcommand)]
    Policy(cmd::policy::Command),
    /// Which use a draft reads as (organizational / professional / personal), and why.
    Classify(cmd::classify::Args),
    /// Evaluate the use classifier on a labelled JSONL file (precision, recall, F1, confusion).
    Eval(cmd::eval::Args),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                exit::USAGE
            } else {
                exit::OK
            };
            // Printing help or an error to a closed pipe is not worth a panic.
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let choice = match cli.color {
        ColorWhen::Auto => anstream::ColorChoice::Auto,
        ColorWhen::Always => anstream::ColorChoice::Always,
        ColorWhen::Never => anstream::ColorChoice::Never,
    };
    choice.write_global();

    let result = match cli.command {
        Command::Check(args) => cmd::check::run(args),
        Command::Bundle(c) => cmd::bundle::run(c),
        Command::Policy(c) => cmd::policy::run(c),
        Command::Classify(args) => cmd::classify::run(args),
        Command::Eval(args) => cmd::eval::run(args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(CliError::BrokenPipe) => ExitCode::from(exit::OK),
        Err(e) => {
            render::error(&e);
            ExitCode::from(e.code())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// Every option of every subcommand whose value is optional (`num_args = 0..=1`) must take
    /// it only after `=`: `--reply "draft"` checks the draft instead of failing on it.
    #[test]
    fn no_optional_value_swallows_the_next_argument() {
        fn walk(cmd: &clap::Command, path: &str, seen: &mut usize) {
            for arg in cmd.get_arguments() {
                let takes_values = arg.get_action().takes_values();
                let optional = arg.get_num_args().is_some_and(|n| n.min_values() == 0);
                if takes_values && optional && !arg.is_positional() {
                    *seen += 1;
                    assert!(
                        arg.is_require_equals_set(),
                        "{path} --{}: an optional value must require `=`",
                        arg.get_id()
                    );
                }
            }
            for sub in cmd.get_subcommands() {
                walk(sub, &format!("{path} {}", sub.get_name()), seen);
            }
        }
        let mut seen = 0;
        let mut cmd = Cli::command();
        cmd.build();
        walk(&cmd, "preflight", &mut seen);
        // --reply on check and classify: the walk must have looked at them.
        assert!(seen >= 2, "found {seen} optional-value options");
    }
}
