//! One module per subcommand.

pub mod bundle;
pub mod check;
pub mod classify;
pub mod eval;
