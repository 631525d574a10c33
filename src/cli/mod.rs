//! The commands behind `xtenant`'s subcommands: each takes parsed arguments and returns the
//! process exit code (see [`crate::exit_code`]). `main.rs` only parses and dispatches.

pub mod audit;
pub mod cleanup;
pub mod diff;
pub mod logging;
pub mod merge;
pub mod plan;
pub mod run;
pub mod schema;
pub mod validate;

pub use crate::error_chain::error_chain;
