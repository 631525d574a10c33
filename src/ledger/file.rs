//! The ledger file: append-only JSON lines, each synced to disk before the call it guards.

use super::canary::Canary;
use super::error::LedgerError;
use super::record::{LedgerRecord, Resolution};
use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// An open cleanup ledger shared by every probe of a run.
#[derive(Debug)]
pub struct CleanupLedger {
    path: PathBuf,
    file: Mutex<File>,
}

impl CleanupLedger {
    /// Opens (creating if needed) the ledger at `path` for appending.
    pub fn open(path: impl Into<PathBuf>) -> Result<CleanupLedger, LedgerError> {
        let path = path.into();
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(|source| LedgerError::Open {
                path: path.clone(),
                source,
            })?;
        Ok(CleanupLedger {
            path,
            file: Mutex::new(file),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Records that `canary` may be created, durably, and returns the intent's id. Call it
    /// before the request that could create the canary.
    pub fn record_intent(
        &self,
        canary: Canary,
        region: &str,
        endpoint_url: Option<&str>,
    ) -> Result<String, LedgerError> {
        let id = uuid::Uuid::new_v4().to_string();
        self.append(&LedgerRecord::Intent {
            id: id.clone(),
            written_at: now(),
            region: region.to_owned(),
            endpoint_url: endpoint_url.map(str::to_owned),
            canary,
        })?;
        Ok(id)
    }

    /// Records how the intent `id` ended.
    pub fn resolve(&self, id: &str, resolution: Resolution) -> Result<(), LedgerError> {
        self.append(&LedgerRecord::Resolved {
            id: id.to_owned(),
            written_at: now(),
            resolution,
        })
    }

    fn append(&self, record: &LedgerRecord) -> Result<(), LedgerError> {
        let mut line = serde_json::to_string(record).expect("ledger records always serialize");
        line.push('\n');
        let write_error = |source| LedgerError::Write {
            path: self.path.clone(),
            source,
        };
        // A poisoned lock only means another probe panicked mid-append; the file handle is
        // still valid and every line is written whole by one `write_all`.
        let mut file = self
            .file
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        file.write_all(line.as_bytes()).map_err(write_error)?;
        file.sync_data().map_err(write_error)
    }

    /// Every intent in the ledger at `path` that has no resolution, in the order written.
    pub fn outstanding(path: &Path) -> Result<Vec<LedgerRecord>, LedgerError> {
        let file = File::open(path).map_err(|source| LedgerError::Read {
            path: path.to_owned(),
            source,
        })?;
        let mut intents: Vec<LedgerRecord> = Vec::new();
        let mut resolved: BTreeMap<String, Resolution> = BTreeMap::new();
        for (index, line) in BufReader::new(file).lines().enumerate() {
            let line = line.map_err(|source| LedgerError::Read {
                path: path.to_owned(),
                source,
            })?;
            if line.trim().is_empty() {
                continue;
            }
            let record: LedgerRecord =
                serde_json::from_str(&line).map_err(|source| LedgerError::Parse {
                    path: path.to_owned(),
                    line: index + 1,
                    source,
                })?;
            match record {
                LedgerRecord::Intent { .. } => intents.push(record),
                LedgerRecord::Resolved { id, resolution, .. } => {
                    resolved.insert(id, resolution);
                }
            }
        }
        intents.retain(|intent| !resolved.contains_key(intent.id()));
        Ok(intents)
    }
}

fn now() -> String {
    OffsetDateTime::now_utc()
        .format(&Rfc3339)
        .unwrap_or_else(|_| "unknown".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(key: &str) -> Canary {
        Canary::S3Object {
            bucket: "b".to_owned(),
            key: key.to_owned(),
            marker: format!("xtenant canary {key}"),
        }
    }

    #[test]
    fn replay_returns_only_unresolved_intents_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ledger.jsonl");
        let ledger = CleanupLedger::open(&path).unwrap();
        let first = ledger
            .record_intent(object("one"), "us-east-1", None)
            .unwrap();
        let second = ledger
            .record_intent(object("two"), "us-east-1", Some("http://127.0.0.1:1"))
            .unwrap();
        let _third = ledger
            .record_intent(object("three"), "us-east-1", None)
            .unwrap();
        ledger.resolve(&first, Resolution::Removed).unwrap();
        drop(ledger);

        // A second run appends to the same file rather than truncating it.
        let reopened = CleanupLedger::open(&path).unwrap();
        reopened.resolve(&second, Resolution::NotCreated).unwrap();

        let outstanding = CleanupLedger::outstanding(&path).unwrap();
        assert_eq!(outstanding.len(), 1);
        match &outstanding[0] {
            LedgerRecord::Intent { canary, .. } => assert_eq!(canary, &object("three")),
            other => panic!("expected an intent, got {other:?}"),
        }
    }

    #[test]
    fn intent_is_on_disk_before_record_intent_returns() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ledger.jsonl");
        let ledger = CleanupLedger::open(&path).unwrap();
        let id = ledger
            .record_intent(object("k"), "eu-west-1", None)
            .unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(&id));
        assert!(text.ends_with('\n'));
        let parsed: LedgerRecord = serde_json::from_str(text.trim()).unwrap();
        assert!(matches!(parsed, LedgerRecord::Intent { .. }));
    }

    #[test]
    fn a_corrupt_line_is_an_error_naming_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ledger.jsonl");
        std::fs::write(&path, "{\"record\":\"intent\"}\n").unwrap();
        let error = CleanupLedger::outstanding(&path).unwrap_err();
        assert!(error.to_string().contains("line 1"), "{error}");
    }
}
