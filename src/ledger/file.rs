//! The cleanup ledger a run writes: append-only JSON lines, each synced to disk before the
//! call it guards, or kept in memory when the canaries cannot outlive the run.

use super::canary::Canary;
use super::error::LedgerError;
use super::group_commit::{GroupCommit, open_for_append};
use super::reading::read_ledger;
use super::record::{LedgerRecord, Resolution};
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
    /// to disk. Only the intents still outstanding are kept (a resolution removes its
    /// intent), so a long run holds what it may still have to clean, not its history.
    Memory(Mutex<Vec<LedgerRecord>>),
    /// A JSON-lines file, created with its folder when the first line is written, by a
    /// writer thread that syncs concurrent appends together.
    File { path: PathBuf, writer: GroupCommit },
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
                writer: GroupCommit::start(path.clone(), Some(file)),
                path,
            },
        })
    }

    /// The ledger file at `path`, which is created (with its folder) only when the first
    /// line is written: a run that writes no canary leaves no file behind.
    pub fn created_on_first_write(path: impl Into<PathBuf>) -> CleanupLedger {
        let path = path.into();
        CleanupLedger {
            store: Store::File {
                writer: GroupCommit::start(path.clone(), None),
                path,
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
    /// before the request that could create the canary. Blocks the thread until the line
    /// is synced; async code uses [`CleanupLedger::record_intent_durably`].
    pub fn record_intent(
        &self,
        canary: Canary,
        region: &str,
        endpoint_url: Option<&str>,
    ) -> Result<String, LedgerError> {
        let (id, record) = intent(canary, region, endpoint_url);
        self.append_blocking(record)?;
        Ok(id)
    }

    /// [`CleanupLedger::record_intent`] that awaits the sync instead of blocking the async
    /// worker; lines of concurrent callers share one sync.
    pub async fn record_intent_durably(
        &self,
        canary: Canary,
        region: &str,
        endpoint_url: Option<&str>,
    ) -> Result<String, LedgerError> {
        let (id, record) = intent(canary, region, endpoint_url);
        self.append(record).await?;
        Ok(id)
    }

    /// Records how the intent `id` ended. Blocks the thread until the line is synced.
    pub fn resolve(&self, id: &str, resolution: Resolution) -> Result<(), LedgerError> {
        self.append_blocking(resolved(id, resolution))
    }

    /// [`CleanupLedger::resolve`] that awaits the sync instead of blocking the async worker.
    pub async fn resolve_durably(
        &self,
        id: &str,
        resolution: Resolution,
    ) -> Result<(), LedgerError> {
        self.append(resolved(id, resolution)).await
    }

    /// Records how the intent `id` ended without waiting for the disk: the line is synced
    /// with the next commit, and [`CleanupLedger::outstanding_intents`] waits for it. Lost
    /// in a crash, it only leaves the intent outstanding, and `xtenant cleanup` removes a
    /// canary only where its marker is, so a write that created nothing need not wait
    /// for a second sync.
    pub fn resolve_eventually(&self, id: &str, resolution: Resolution) -> Result<(), LedgerError> {
        let record = resolved(id, resolution);
        match &self.store {
            Store::Memory(outstanding) => {
                keep_outstanding(&mut lock(outstanding), record);
                Ok(())
            }
            Store::File { path, writer } => writer.append_unawaited(path, line(&record)),
        }
    }

    async fn append(&self, record: LedgerRecord) -> Result<(), LedgerError> {
        match &self.store {
            Store::Memory(outstanding) => {
                keep_outstanding(&mut lock(outstanding), record);
                Ok(())
            }
            Store::File { path, writer } => writer.append(path, line(&record)).await,
        }
    }

    fn append_blocking(&self, record: LedgerRecord) -> Result<(), LedgerError> {
        match &self.store {
            Store::Memory(outstanding) => {
                keep_outstanding(&mut lock(outstanding), record);
                Ok(())
            }
            Store::File { path, writer } => writer.append_blocking(path, line(&record)),
        }
    }

    /// Every intent of this ledger that has no resolution, in the order written; none for
    /// a file never created. A torn last line (see [`read_ledger`]) is skipped.
    pub fn outstanding_intents(&self) -> Result<Vec<LedgerRecord>, LedgerError> {
        match &self.store {
            Store::Memory(outstanding) => Ok(lock(outstanding).clone()),
            Store::File { path, writer } => {
                match writer.flush_blocking(path).and_then(|()| read_ledger(path)) {
                    Ok(contents) => Ok(contents.outstanding()),
                    Err(LedgerError::Read { source, .. })
                        if source.kind() == std::io::ErrorKind::NotFound =>
                    {
                        Ok(Vec::new())
                    }
                    Err(error) => Err(error),
                }
            }
        }
    }

    /// Every intent in the ledger file at `path` that has no resolution, in the order
    /// written. A torn last line (see [`read_ledger`]) is skipped.
    pub fn outstanding(path: &Path) -> Result<Vec<LedgerRecord>, LedgerError> {
        Ok(read_ledger(path)?.outstanding())
    }
}

fn intent(canary: Canary, region: &str, endpoint_url: Option<&str>) -> (String, LedgerRecord) {
    let id = uuid::Uuid::new_v4().to_string();
    let record = LedgerRecord::Intent {
        id: id.clone(),
        written_at: now(),
        region: region.to_owned(),
        endpoint_url: endpoint_url.map(str::to_owned),
        canary,
    };
    (id, record)
}

fn resolved(id: &str, resolution: Resolution) -> LedgerRecord {
    LedgerRecord::Resolved {
        id: id.to_owned(),
        written_at: now(),
        resolution,
    }
}

/// Adds an intent to the in-memory `outstanding` list, or removes the intent a resolution
/// ends; the latest intents are the likeliest to resolve, so the search starts at the end.
fn keep_outstanding(outstanding: &mut Vec<LedgerRecord>, record: LedgerRecord) {
    match &record {
        LedgerRecord::Intent { .. } => outstanding.push(record),
        LedgerRecord::Resolved { id, .. } => {
            let ended = outstanding.iter().rposition(
                |kept| matches!(kept, LedgerRecord::Intent { id: kept, .. } if kept == id),
            );
            if let Some(ended) = ended {
                outstanding.remove(ended);
            }
        }
    }
}

/// One JSON line; every line is written whole by one `write_all` of its commit.
fn line(record: &LedgerRecord) -> Vec<u8> {
    let mut line = serde_json::to_vec(record).expect("ledger records always serialize");
    line.push(b'\n');
    line
}

/// A poisoned lock only means another probe panicked mid-append; the records are still
/// valid.
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

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_async_intents_are_each_on_disk_when_awaited() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ledger.jsonl");
        let ledger = std::sync::Arc::new(CleanupLedger::created_on_first_write(&path));
        let appends: Vec<_> = (0..64)
            .map(|index| {
                let ledger = ledger.clone();
                let path = path.clone();
                tokio::spawn(async move {
                    let id = ledger
                        .record_intent_durably(object(&format!("k{index}")), "us-east-1", None)
                        .await
                        .unwrap();
                    // Durable before the call it announces: the line is already in the file.
                    assert!(std::fs::read_to_string(&path).unwrap().contains(&id));
                    ledger
                        .resolve_durably(&id, Resolution::NotCreated)
                        .await
                        .unwrap();
                })
            })
            .collect();
        for append in appends {
            append.await.unwrap();
        }
        let contents = read_ledger(&path).unwrap();
        assert!(contents.outstanding().is_empty());
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().count(), 128, "every line whole, none glued");
    }

    #[tokio::test]
    async fn an_unwritable_ledger_refuses_the_intent_so_the_call_is_never_made() {
        let dir = tempfile::tempdir().unwrap();
        // A folder where the file should be: opening it for appending fails.
        let path = dir.path().join("ledger.jsonl");
        std::fs::create_dir(&path).unwrap();
        let ledger = CleanupLedger::created_on_first_write(&path);
        let refused = ledger
            .record_intent_durably(object("k"), "us-east-1", None)
            .await
            .unwrap_err();
        assert!(refused.to_string().contains("ledger.jsonl"), "{refused}");
        assert!(
            ledger
                .record_intent(object("k"), "us-east-1", None)
                .is_err()
        );
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
    fn an_unawaited_resolution_is_on_disk_once_the_outstanding_intents_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ledger.jsonl");
        let ledger = CleanupLedger::open(&path).unwrap();
        let ids: Vec<String> = (0..200)
            .map(|n| {
                ledger
                    .record_intent(object(&format!("k{n}")), "us-east-1", None)
                    .unwrap()
            })
            .collect();
        for id in ids.iter().skip(1) {
            ledger
                .resolve_eventually(id, Resolution::NotCreated)
                .unwrap();
        }
        let outstanding = ledger.outstanding_intents().unwrap();
        assert_eq!(outstanding.len(), 1, "only the unresolved intent");
        // Another process reading the file (`xtenant cleanup`) sees the same.
        assert_eq!(CleanupLedger::outstanding(&path).unwrap(), outstanding);
        let lines = std::fs::read_to_string(&path).unwrap().lines().count();
        assert_eq!(lines, 200 + 199);
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
    fn an_in_memory_ledger_keeps_the_unresolved_intents_in_order_whatever_resolves_first() {
        let ledger = CleanupLedger::in_memory();
        let ids: Vec<String> = ["a", "b", "c", "d"]
            .iter()
            .map(|key| {
                ledger
                    .record_intent(object(key), "us-east-1", None)
                    .unwrap()
            })
            .collect();
        ledger.resolve(&ids[2], Resolution::NotCreated).unwrap();
        ledger.resolve(&ids[0], Resolution::Removed).unwrap();
        // A second resolution of the same intent, or one of an unknown id, changes nothing.
        ledger.resolve(&ids[0], Resolution::Removed).unwrap();
        ledger.resolve("unknown", Resolution::NotOurs).unwrap();
        let keys: Vec<Canary> = ledger
            .outstanding_intents()
            .unwrap()
            .into_iter()
            .map(|record| match record {
                LedgerRecord::Intent { canary, .. } => canary,
                other => panic!("only intents are outstanding, got {other:?}"),
            })
            .collect();
        assert_eq!(keys, vec![object("b"), object("d")]);
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
