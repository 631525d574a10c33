//! One line of the cleanup ledger.

use super::canary::Canary;
use serde::{Deserialize, Serialize};

/// How a canary intent ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    /// The call that could have created the canary did not create it.
    NotCreated,
    /// The canary was created and has been removed.
    Removed,
    /// Something is at the canary's place but it is not ours: left alone.
    NotOurs,
}

/// A ledger line: an intent before a possible write, or its resolution afterwards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "record", rename_all = "snake_case", deny_unknown_fields)]
pub enum LedgerRecord {
    Intent {
        id: String,
        /// RFC 3339 time the intent was written.
        written_at: String,
        region: String,
        /// The endpoint override in force (local staging), if any.
        endpoint_url: Option<String>,
        canary: Canary,
    },
    Resolved {
        id: String,
        written_at: String,
        resolution: Resolution,
    },
}

impl LedgerRecord {
    pub fn id(&self) -> &str {
        match self {
            LedgerRecord::Intent { id, .. } | LedgerRecord::Resolved { id, .. } => id,
        }
    }
}
