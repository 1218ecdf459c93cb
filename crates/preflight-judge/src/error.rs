//! The one error type of `preflight-judge`.

/// What can go wrong while building the report.
#[derive(Debug, thiserror::Error)]
pub enum JudgeError {
    #[error("{0}: {1}")]
    Io(String, #[source] std::io::Error),
    #[error("{path}:{line}: {message}")]
    Input {
        path: String,
        line: usize,
        message: String,
    },
    #[error("{0}")]
    Engine(String),
    #[error("missing option: {0}")]
    Missing(&'static str),
}
