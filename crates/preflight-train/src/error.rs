//! The one error type of the trainer.

/// Errors of the trainer.
#[derive(Debug)]
pub enum TrainError {
    Io(String),
    Data(String),
    Fit(String),
    Core(preflight_core::Error),
}

impl std::fmt::Display for TrainError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TrainError::Io(m) => write!(f, "i/o: {m}"),
            TrainError::Data(m) => write!(f, "data: {m}"),
            TrainError::Fit(m) => write!(f, "fit: {m}"),
            TrainError::Core(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for TrainError {}

impl From<preflight_core::Error> for TrainError {
    fn from(e: preflight_core::Error) -> Self {
        TrainError::Core(e)
    }
}
