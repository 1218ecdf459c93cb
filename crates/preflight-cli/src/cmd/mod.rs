//! One module per subcommand.

pub mod bundle;
pub mod check;
pub mod classify;
pub mod coverage;
pub mod describe;
pub mod eval;
pub mod init;
pub mod policy;
pub mod sign;

use std::path::PathBuf;

/// The draft and its context: the options `check` and `classify` share.
#[derive(Debug, clap::Args)]
pub struct DraftArgs {
    /// The draft. Read from stdin when absent or `-`.
    pub text: Option<String>,

    /// A batch: one draft per line (a JSON string, or an object with `text` and optional
    /// `context`, `site`, `account`, `reply`; `check` also reads `on_duty`, `time` and `id`);
    /// `-` reads stdin. Writes one JSON result per line, with its line number.
    #[arg(long, value_name = "FILE", conflicts_with = "text")]
    pub jsonl: Option<PathBuf>,

    /// Rule bundle (JSON): sites, the official-account registry, the employer's names and the
    /// rules. Default: the embedded default bundle.
    #[arg(long, value_name = "FILE")]
    pub bundle: Option<PathBuf>,

    /// Where the draft will be posted: a site id from the bundle (`x`) or a host (`x.com`).
    #[arg(long, value_name = "ID|HOST")]
    pub site: Option<String>,

    /// Handle of the posting account (`@jane` or `jane`); an official account in the
    /// registry makes the use organizational.
    #[arg(long, value_name = "HANDLE")]
    pub account: Option<String>,

    /// The draft is a reply or comment. `--reply=BOOL` gives the value explicitly; a bare
    /// `--reply` never takes the next argument (`--reply "draft"` checks the draft).
    #[arg(
        long,
        value_name = "BOOL",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "true",
        overrides_with = "no_reply"
    )]
    reply: Option<bool>,

    /// The draft is not a reply or comment (same as `--reply=false`).
    #[arg(long, overrides_with = "reply")]
    no_reply: bool,
}

impl DraftArgs {
    /// Whether the draft is a reply, as the command line says (`None`: not said).
    pub fn reply(&self) -> Option<bool> {
        if self.no_reply {
            Some(false)
        } else {
            self.reply
        }
    }
}
