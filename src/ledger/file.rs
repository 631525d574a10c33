//! The cleanup ledger a run writes: append-only JSON lines, each synced to disk before the
//! call it guards, or kept in memory when the canaries cannot outlive the run.

use super::canary::Canary;
use super::error::LedgerError;
use super::reading::{read_ledger, unresolved};
use super::record::{LedgerRecord, Resolution};
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// A cleanup ledger shared by every probe of a run.
#[derive(Debug)]
pub struct CleanupLedger {
    store: Store,
}

#[derive(Debug)]
enum Store {
    /// For canaries written to something that ends with the process (local staging
    /// started in-process): nothing is left to clean after a crash, so nothing is written
    /// to disk.
    Memory(Mutex<Vec<LedgerRecord>>),
    /// A JSON-lines file, created with its folder when the first line is written.
    File {
        path: PathBuf,
        writer: Mutex<FileWriter>,
    },
}

#[derive(Debug)]
struct FileWriter {
    file: Option<File>,
    /// The file may end in a partial line (an earlier crash, or our own append that
    /// failed and could not be taken back): end it on a whole line before the next one,
    /// so that no record is ever glued onto a fragment.
    check_tail: bool,
}

impl CleanupLedger {
    /// Opens (creating if needed, with its folder) the ledger file at `path` for appending.
    pub fn open(path: impl Into<PathBuf>) -> Result<CleanupLedger, LedgerError> {
        let path = path.into();
        let file = open_for_append(&path).map_err(|source| LedgerError::Open {
            path: path.clone(),
            source,
        })?;
        Ok(CleanupLedger {
            store: Store::File {
                path,
                writer: Mutex::new(FileWriter {
                    file: Some(file),
                    check_tail: true,
                }),
            },
        })
    }

    /// The ledger file at `path`, which is created (with its folder) only when the first
    /// line is written: a run that writes no canary leaves no file behind.
    pub fn created_on_first_write(path: impl Into<PathBuf>) -> CleanupLedger {
        CleanupLedger {
            store: Store::File {
                path: path.into(),
                writer: Mutex::new(FileWriter {
                    file: None,
                    check_tail: true,
                }),
            },
        }
    }

    /// A ledger kept in memory, for canaries that cannot outlive the process.
    pub fn in_memory() -> CleanupLedger {
        CleanupLedger {
            store: Store::Memory(Mutex::new(Vec::new())),
        }
    }

    /// The ledger's file; `None` for a ledger kept in memory.
    pub fn path(&self) -> Option<&Path> {
        match &self.store {
            Store::Memory(_) => None,
            Store::File { path, .. } => Some(path),
        }
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
        self.append(LedgerRecord::Intent {
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
        self.append(LedgerRecord::Resolved {
            id: id.to_owned(),
            written_at: now(),
            resolution,
        })
    }

    fn append(&self, record: LedgerRecord) -> Result<(), LedgerError> {
        match &self.store {
            Store::Memory(records) => {
                lock(records).push(record);
                Ok(())
            }
            Store::File { path, writer } => {
                let mut line =
                    serde_json::to_string(&record).expect("ledger records always serialize");
                line.push('\n');
                lock(writer).append(path, line.as_bytes())
            }
        }
    }

    /// Every intent of this ledger that has no resolution, in the order written; none for
    /// a file never created. A torn last line (see [`read_ledger`]) is skipped.
    pub fn outstanding_intents(&self) -> Result<Vec<LedgerRecord>, LedgerError> {
        match &self.store {
            Store::Memory(records) => Ok(unresolved(&lock(records))),
            Store::File { path, .. } => match read_ledger(path) {
                Ok(contents) => Ok(contents.outstanding()),
                Err(LedgerError::Read { source, .. })
                    if source.kind() == std::io::ErrorKind::NotFound =>
                {
                    Ok(Vec::new())
                }
                Err(error) => Err(error),
            },
        }
    }

    /// Every intent in the ledger file at `path` that has no resolution, in the order
    /// written. A torn last line (see [`read_ledger`]) is skipped.
    pub fn outstanding(path: &Path) -> Result<Vec<LedgerRecord>, LedgerError> {
        Ok(read_ledger(path)?.outstanding())
    }
}

impl FileWriter {
    fn append(&mut self, path: &Path, line: &[u8]) -> Result<(), LedgerError> {
        let write_error = |source| LedgerError::Write {
            path: path.to_owned(),
            source,
        };
        if self.file.is_none() {
            let file = open_for_append(path).map_err(|source| LedgerError::Open {
                path: path.to_owned(),
                source,
            })?;
            self.file = Some(file);
        }
        let file = self.file.as_mut().expect("the ledger file is open");
        if self.check_tail {
            end_on_a_whole_line(file).map_err(write_error)?;
            self.check_tail = false;
        }
        let before = file.metadata().map_err(write_error)?.len();
        let written = file.write_all(line).and_then(|()| file.sync_data());
        if let Err(error) = written {
            // The caller is told the line is not durable and makes no call on it; take the
            // line (or what of it reached the file) back, or check again before the next.
            if file.set_len(before).is_err() {
                self.check_tail = true;
            }
            return Err(write_error(error));
        }
        Ok(())
    }
}

/// Opens (creating it, and its folder) the ledger file for reading and appending.
fn open_for_append(path: &Path) -> std::io::Result<File> {
    if let Some(folder) = path
        .parent()
        .filter(|folder| !folder.as_os_str().is_empty())
    {
        std::fs::create_dir_all(folder)?;
    }
    OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .open(path)
}

/// Makes the file end on a whole line before a new one is appended. A complete record left
/// without its newline gets one; a partial line is cut off: its append never completed,
/// so the call it would have guarded was never made (see [`read_ledger`]).
fn end_on_a_whole_line(file: &mut File) -> std::io::Result<()> {
    let mut bytes = Vec::new();
    file.seek(SeekFrom::Start(0))?;
    file.read_to_end(&mut bytes)?;
    if bytes.is_empty() || bytes.ends_with(b"\n") {
        return Ok(());
    }
    let start = bytes
        .iter()
        .rposition(|byte| *byte == b'\n')
        .map_or(0, |newline| newline + 1);
    let tail = &bytes[start..];
    if tail.trim_ascii().is_empty() || serde_json::from_slice::<LedgerRecord>(tail).is_ok() {
        file.write_all(b"\n")?;
    } else {
        file.set_len(start as u64)?;
    }
    file.sync_data()
}

/// A poisoned lock only means another probe panicked mid-append; the data is still valid
/// and every line is written whole by one `write_all`.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
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

    #[test]
    fn a_ledger_created_on_first_write_leaves_no_file_until_then() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("reports/run.ledger.jsonl");
        let ledger = CleanupLedger::created_on_first_write(&path);
        assert!(ledger.outstanding_intents().unwrap().is_empty());
        assert!(!dir.path().join("reports").exists(), "not even the folder");
        ledger
            .record_intent(object("k"), "us-east-1", None)
            .unwrap();
        assert_eq!(CleanupLedger::outstanding(&path).unwrap().len(), 1);
        assert_eq!(ledger.outstanding_intents().unwrap().len(), 1);
    }

    #[test]
    fn an_in_memory_ledger_tracks_intents_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = CleanupLedger::in_memory();
        assert_eq!(ledger.path(), None);
        let first = ledger
            .record_intent(object("one"), "us-east-1", None)
            .unwrap();
        ledger
            .record_intent(object("two"), "us-east-1", None)
            .unwrap();
        ledger.resolve(&first, Resolution::Removed).unwrap();
        let outstanding = ledger.outstanding_intents().unwrap();
        assert_eq!(outstanding.len(), 1);
        assert!(matches!(
            &outstanding[0],
            LedgerRecord::Intent { canary, .. } if *canary == object("two")
        ));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_later_run_appending_after_a_torn_line_keeps_the_ledger_readable() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ledger.jsonl");
        let crashed = CleanupLedger::open(&path).unwrap();
        crashed
            .record_intent(object("left"), "us-east-1", None)
            .unwrap();
        drop(crashed);
        // The crash: an append cut off before its newline.
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str("{\"record\":\"intent\",\"id\":\"9f");
        std::fs::write(&path, &text).unwrap();
        assert_eq!(CleanupLedger::outstanding(&path).unwrap().len(), 1);

        let next_run = CleanupLedger::created_on_first_write(&path);
        next_run
            .record_intent(object("new"), "us-east-1", None)
            .unwrap();
        let keys: Vec<String> = CleanupLedger::outstanding(&path)
            .unwrap()
            .into_iter()
            .map(|record| match record {
                LedgerRecord::Intent { canary, .. } => canary.describe(),
                LedgerRecord::Resolved { .. } => unreachable!("only intents are outstanding"),
            })
            .collect();
        assert_eq!(keys, ["s3://b/left", "s3://b/new"]);
        assert_eq!(
            read_ledger(&path).unwrap().torn_line,
            None,
            "the fragment is gone"
        );
    }

    #[test]
    fn a_complete_record_left_without_its_newline_is_kept_when_appending() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ledger.jsonl");
        let first = CleanupLedger::open(&path).unwrap();
        first
            .record_intent(object("kept"), "us-east-1", None)
            .unwrap();
        drop(first);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.trim_end()).unwrap();

        let second = CleanupLedger::open(&path).unwrap();
        second
            .record_intent(object("next"), "us-east-1", None)
            .unwrap();
        assert_eq!(CleanupLedger::outstanding(&path).unwrap().len(), 2);
    }
}
