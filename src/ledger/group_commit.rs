//! The ledger file's writer: one thread that owns the file and commits every line waiting
//! for it with one write and one `sync_data`, so that concurrent probes share fsyncs
//! (group commit) and no tokio worker waits on the disk. A caller is answered only once
//! its line is durable, so an intent still reaches the disk before the call it announces;
//! a resolution may instead be handed over unawaited, to be synced with the next commit.

use super::error::LedgerError;
use super::record::LedgerRecord;
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::mpsc;

/// The most lines one commit takes, so that a flood of appends still gets answered in
/// bounded batches.
const MOST_LINES_PER_COMMIT: usize = 4096;

/// A handle on the writer thread; dropping the last handle lets the thread finish the lines
/// it holds and end.
#[derive(Debug)]
pub(super) struct GroupCommit {
    /// A `Mutex` only so that the handle is `Sync` on every supported toolchain; sending
    /// is never blocked by the disk.
    requests: Mutex<mpsc::Sender<Append>>,
}

struct Append {
    line: Vec<u8>,
    done: Done,
}

/// Where the outcome of one append goes: an async caller awaits it, a blocking caller
/// waits on a channel.
enum Done {
    Async(tokio::sync::oneshot::Sender<Result<(), LedgerError>>),
    Blocking(mpsc::SyncSender<Result<(), LedgerError>>),
    /// Nobody waits: a resolution, whose loss in a crash only leaves its intent
    /// outstanding for `xtenant cleanup` to check.
    Unawaited,
}

impl GroupCommit {
    /// Starts the writer for `path`; `file` is the file when already open, else it is
    /// opened (with its folder) at the first line.
    pub(super) fn start(path: PathBuf, file: Option<File>) -> GroupCommit {
        let (requests, incoming) = mpsc::channel::<Append>();
        let writer = FileWriter {
            path,
            file,
            check_tail: true,
            unsynced: false,
        };
        // A thread rather than a blocking tokio task: the ledger is also used outside a
        // runtime (`xtenant cleanup`, tests), and the writer lives as long as the ledger.
        let spawned = std::thread::Builder::new()
            .name("xtenant-ledger".to_owned())
            .spawn(move || commit_loop(writer, &incoming));
        // Without a writer every append fails with "the writer has stopped" (the channel
        // is closed), so no call that needed an intent is ever made.
        drop(spawned);
        GroupCommit {
            requests: Mutex::new(requests),
        }
    }

    /// Appends `line` and waits, without blocking the async worker, until it is durable.
    pub(super) async fn append(&self, path: &Path, line: Vec<u8>) -> Result<(), LedgerError> {
        let (done, outcome) = tokio::sync::oneshot::channel();
        self.send(path, line, Done::Async(done))?;
        outcome.await.unwrap_or_else(|_| Err(writer_gone(path)))
    }

    /// [`GroupCommit::append`] for callers outside async code: blocks the thread.
    pub(super) fn append_blocking(&self, path: &Path, line: Vec<u8>) -> Result<(), LedgerError> {
        let (done, outcome) = mpsc::sync_channel(1);
        self.send(path, line, Done::Blocking(done))?;
        outcome.recv().unwrap_or_else(|_| Err(writer_gone(path)))
    }

    /// Hands `line` to the writer without waiting for it to be durable; it is synced with
    /// the next commit. Fails only when the writer has stopped.
    pub(super) fn append_unawaited(&self, path: &Path, line: Vec<u8>) -> Result<(), LedgerError> {
        self.send(path, line, Done::Unawaited)
    }

    /// Waits until every line handed over before is committed (or failed): lines are
    /// committed in the order they were sent. Writes nothing itself.
    pub(super) fn flush_blocking(&self, path: &Path) -> Result<(), LedgerError> {
        self.append_blocking(path, Vec::new())
    }

    fn send(&self, path: &Path, line: Vec<u8>, done: Done) -> Result<(), LedgerError> {
        let requests = self
            .requests
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        requests
            .send(Append { line, done })
            .map_err(|_| writer_gone(path))
    }
}

/// The last handle waits for every line handed over, unawaited resolutions included, to be
/// written and synced: once a run's ledger is gone, its file is whole for whoever reads it
/// next (`xtenant cleanup`, a test).
impl Drop for GroupCommit {
    fn drop(&mut self) {
        // Only the answer is awaited; a writer that stopped has nothing left to write.
        let _ = self.flush_blocking(Path::new(""));
    }
}

fn writer_gone(path: &Path) -> LedgerError {
    LedgerError::Write {
        path: path.to_owned(),
        source: std::io::Error::other("the cleanup ledger writer has stopped"),
    }
}

/// Takes every line waiting, writes them in one go, syncs once and answers each caller.
fn commit_loop(mut writer: FileWriter, incoming: &mpsc::Receiver<Append>) {
    while let Ok(first) = incoming.recv() {
        let mut batch = vec![first];
        while batch.len() < MOST_LINES_PER_COMMIT {
            match incoming.try_recv() {
                Ok(next) => batch.push(next),
                Err(_) => break,
            }
        }
        let bytes: Vec<u8> = batch
            .iter()
            .flat_map(|append| append.line.iter().copied())
            .collect();
        // Only a line someone waits for needs the sync; an unawaited resolution reaches
        // the disk with the next one (`sync_data` covers every write before it).
        let awaited = batch
            .iter()
            .any(|append| !matches!(append.done, Done::Unawaited));
        let committed = writer.append(&bytes, awaited);
        for append in batch {
            let outcome = match &committed {
                Ok(()) => Ok(()),
                Err(error) => Err(error.again()),
            };
            // A caller that stopped waiting (a cancelled probe) needs no answer.
            let _ = match append.done {
                Done::Async(done) => done.send(outcome).map_err(drop),
                Done::Blocking(done) => done.send(outcome).map_err(drop),
                Done::Unawaited => Ok(()),
            };
        }
    }
}

/// The ledger file as the writer thread holds it.
struct FileWriter {
    path: PathBuf,
    file: Option<File>,
    /// The file may end in a partial line (an earlier crash, or our own append that
    /// failed and could not be taken back): end it on a whole line before the next one,
    /// so that no record is ever glued onto a fragment.
    check_tail: bool,
    /// Lines nobody waited for were written since the last sync; the next commit that
    /// someone waits for syncs them too.
    unsynced: bool,
}

impl FileWriter {
    /// Appends `lines` (none for a flush) and, when `sync`, makes them and every earlier
    /// unsynced line durable.
    fn append(&mut self, lines: &[u8], sync: bool) -> Result<(), LedgerError> {
        let write_error = |source| LedgerError::Write {
            path: self.path.clone(),
            source,
        };
        if lines.is_empty() {
            return match self.file.as_mut() {
                Some(file) if sync && self.unsynced => {
                    file.sync_data().map_err(write_error)?;
                    self.unsynced = false;
                    Ok(())
                }
                _ => Ok(()),
            };
        }
        if self.file.is_none() {
            let file = open_for_append(&self.path).map_err(|source| LedgerError::Open {
                path: self.path.clone(),
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
        let written = file
            .write_all(lines)
            .and_then(|()| if sync { file.sync_data() } else { Ok(()) });
        if let Err(error) = written {
            // The callers are told their lines are not durable and make no call on them;
            // take the lines (or what of them reached the file) back, or check again
            // before the next.
            if file.set_len(before).is_err() {
                self.check_tail = true;
            }
            return Err(write_error(error));
        }
        self.unsynced = !sync;
        Ok(())
    }
}

impl LedgerError {
    /// The same failure for another caller of one commit (`io::Error` is not `Clone`).
    fn again(&self) -> LedgerError {
        let copy = |source: &std::io::Error| std::io::Error::new(source.kind(), source.to_string());
        match self {
            LedgerError::Open { path, source } => LedgerError::Open {
                path: path.clone(),
                source: copy(source),
            },
            LedgerError::Write { path, source } => LedgerError::Write {
                path: path.clone(),
                source: copy(source),
            },
            LedgerError::Read { path, source } => LedgerError::Read {
                path: path.clone(),
                source: copy(source),
            },
            LedgerError::Parse { path, line, .. } => LedgerError::Write {
                path: path.clone(),
                source: std::io::Error::other(format!("line {line} is not a ledger record")),
            },
        }
    }
}

/// Opens (creating it, and its folder) the ledger file for reading and appending.
pub(super) fn open_for_append(path: &Path) -> std::io::Result<File> {
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
/// so the call it would have guarded was never made (see `read_ledger`).
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
