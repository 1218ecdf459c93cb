//! Problems found in a rule bundle.

use std::fmt;

/// One problem found in a rule bundle.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// JSON path of the offending value, e.g. `$.rules[3].match.regex.pattern`.
    pub path: String,
    /// 1-based line of the value in the bundle text, when the bundle came from text.
    pub line: Option<usize>,
    /// 1-based column (in characters) of the value, when the bundle came from text.
    pub column: Option<usize>,
    /// What is wrong and what was expected.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => {
                write!(f, "{} (line {l}, column {c}): {}", self.path, self.message)
            }
            _ => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

/// Every problem found in a bundle (never empty).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BundleErrors {
    pub problems: Vec<Problem>,
}

impl fmt::Display for BundleErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid rule bundle: {} problem(s)", self.problems.len())?;
        for p in &self.problems {
            write!(f, "\n  {p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for BundleErrors {}
