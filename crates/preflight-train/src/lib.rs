//! Trainer and evaluator of preflight's use classifier, one module per concern:
//!
//! * [`data`]: labelled rows, datasets and validation groups; [`embed`]: the static word
//!   embeddings (a training input distilled by `scripts/distill-embeddings.sh`);
//! * [`columns`]: columns over the core's extractor features (for the ablations);
//!   [`pipeline`]: the variants, fitting (linfa) and the splits (transfer,
//!   leave-one-dataset-out, grouped CV); [`reference`]: the plain TF-IDF reference;
//! * [`metrics`]: scores and the paired bootstrap; [`calibrate`]: the temperature;
//!   [`thresholds`]: the blurred count criteria;
//! * [`train`]: one run, the model file; [`report`]: `model/REPORT.md`.
//!
//! Features come from the core's one extractor ([`preflight_core::classify::features`]), so
//! the model in the browser sees exactly what it was trained on.

pub mod calibrate;
pub mod columns;
pub mod conduct;
pub mod data;
pub mod embed;
mod error;
pub mod metrics;
pub mod parallel;
pub mod pipeline;
pub mod reference;
pub mod report;
pub mod thresholds;
pub mod train;

pub use calibrate::fit_temperature;
pub use columns::{select_columns, Columns, Config};
pub use data::{dataset_of, fold_of, group_of, load, single_author, Sample};
pub use error::TrainError;
pub use parallel::two_at_a_time;
pub use thresholds::{
    choose_mix, choose_voice, mix_table, sides_of, voice_of, voice_table, MixRow, ThresholdRow,
    VoiceRow,
};
pub use train::CONTEXT_PRIORS;
