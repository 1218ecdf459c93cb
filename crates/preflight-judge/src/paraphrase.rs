//! Section `paraphrase` of docs/JUDGEMENT.md (being built: see the module list in main.rs).

use crate::{Args, JudgeError};

/// The markdown of this section.
pub fn section(_args: &Args) -> Result<String, JudgeError> {
    Err(JudgeError::Engine("section 'paraphrase' is not built yet".into()))
}
