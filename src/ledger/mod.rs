//! The cleanup ledger: a crash-safe JSON-lines record of every canary a probe may create (and
//! every user attribute or signed-up user an attack may leave changed),
//! written and synced before the call that could create it, and the cleanup that replays it.

pub mod canary;
pub mod cleanup;
pub mod dynamodb_canary;
pub mod error;
pub mod file;
mod group_commit;
pub mod reading;
pub mod record;
pub mod user_pool_cleanup;

pub use canary::{Canary, CanaryKeyAttribute};
pub use cleanup::{CleanupReport, CleanupResult, remove_intents, remove_outstanding};
pub use error::LedgerError;
pub use file::CleanupLedger;
pub use reading::{LedgerContents, TornLine, read_ledger};
pub use record::{LedgerRecord, Resolution};
