//! Exit codes (sysexits-style above 63) and the CLI's error type.

use preflight_core::{Analysis, BundleErrors, Severity};

/// No finding; bundle valid; all examples pass.
pub const OK: u8 = 0;
/// Advice only; `bundle test`: some example failed.
pub const ADVICE: u8 = 1;
/// At least one warning, no violation.
pub const WARNING: u8 = 2;
/// At least one violation.
pub const VIOLATION: u8 = 3;
/// Bad arguments (EX_USAGE).
pub const USAGE: u8 = 64;
/// Invalid rule bundle or input data (EX_DATAERR).
pub const DATA: u8 = 65;
/// A file cannot be read or the output cannot be written (EX_IOERR).
pub const IO: u8 = 74;

/// Exit code for the worst severity among findings.
pub fn for_severity(s: Option<Severity>) -> u8 {
    match s {
        None => OK,
        Some(Severity::Advice) => ADVICE,
        Some(Severity::Warning) => WARNING,
        Some(Severity::Violation) => VIOLATION,
    }
}

/// Exit code for one analysis.
pub fn for_analysis(a: &Analysis) -> u8 {
    for_severity(a.max_severity())
}

/// What can go wrong in a command.
#[derive(Debug)]
pub enum CliError {
    /// Bad arguments that clap could not catch.
    Usage(String),
    /// Bad input data.
    Data(String),
    /// An invalid rule bundle, with the file name and its text (for snippets).
    Bundle {
        file: String,
        text: Option<String>,
        errors: BundleErrors,
    },
    /// I/O error, with what was being done.
    Io(String),
    /// stdout was closed (e.g. piped into `head`): stop quietly.
    BrokenPipe,
}

impl CliError {
    pub fn code(&self) -> u8 {
        match self {
            CliError::Usage(_) => USAGE,
            CliError::Data(_) | CliError::Bundle { .. } => DATA,
            CliError::Io(_) => IO,
            CliError::BrokenPipe => OK,
        }
    }

    /// An I/O error while doing `what` (a broken pipe on output is not an error).
    pub fn io(what: impl std::fmt::Display, e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            CliError::BrokenPipe
        } else {
            CliError::Io(format!("{what}: {e}"))
        }
    }
}

/// Map a write error on stdout.
pub fn out(e: std::io::Error) -> CliError {
    CliError::io("cannot write to stdout", e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_codes_are_ordered() {
        assert_eq!(for_severity(None), 0);
        assert!(for_severity(Some(Severity::Advice)) < for_severity(Some(Severity::Warning)));
        assert!(for_severity(Some(Severity::Warning)) < for_severity(Some(Severity::Violation)));
        assert_eq!(
            CliError::io("x", std::io::ErrorKind::BrokenPipe.into()).code(),
            OK
        );
        assert_eq!(
            CliError::io("x", std::io::ErrorKind::NotFound.into()).code(),
            IO
        );
    }
}
