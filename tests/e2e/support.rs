//! Running a scenario file through the library, exactly as `xtenant run` does but without
//! the console and the reports.

use std::path::{Path, PathBuf};
use std::time::Duration;
use xtenant::run::{
    EventSink, RunOptions, RunResults, Selection, exit_code_for, prepare_run, run_plan,
};

/// The longest one scenario may take, sign-ins, probes and cleanup together.
const SCENARIO_BUDGET: Duration = Duration::from_secs(30);

/// The repository root, where `scenarios/` and `tests/` live.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// What a run of one scenario produced.
pub struct Ran {
    pub results: RunResults,
    pub exit_code: i32,
}

/// Runs every probe and expected-role case of the scenario at `file`.
pub fn run_scenario(file: &Path) -> Ran {
    let scenario = xtenant::scenario::load(file)
        .unwrap_or_else(|diagnostics| panic!("{} is invalid:\n{diagnostics}", file.display()));
    let ledger_dir = tempfile::tempdir().expect("a temporary folder");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let results = runtime.block_on(async {
        let prepared = prepare_run(&scenario, ledger_dir.path(), None)
            .await
            .unwrap_or_else(|error| panic!("{} cannot run: {error:?}", file.display()));
        let selection = Selection::all(&prepared.input);
        let results = tokio::time::timeout(
            SCENARIO_BUDGET,
            run_plan(
                &prepared.input,
                &selection,
                prepared.backend.clone(),
                &RunOptions::default(),
                &EventSink::discard(),
                std::future::pending(),
            ),
        )
        .await
        .unwrap_or_else(|_| panic!("{} took longer than {SCENARIO_BUDGET:?}", file.display()));
        prepared.finish();
        results
    });
    let exit_code = exit_code_for(&results);
    Ran { results, exit_code }
}

/// Every `<folder>/matrix.yaml` under `dir`, by folder name.
pub fn matrices(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut found: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|folder| folder.join("matrix.yaml").is_file())
        .map(|folder| {
            let name = folder
                .file_name()
                .expect("a folder name")
                .to_string_lossy()
                .into_owned();
            (name, folder.join("matrix.yaml"))
        })
        .collect();
    found.sort();
    found
}

/// A one-line account of every record that did not hold, for assertion messages.
pub fn not_held(results: &RunResults) -> Vec<String> {
    results
        .records
        .iter()
        .filter(|record| record.outcome != xtenant::probe::Outcome::Held)
        .map(|record| format!("{} {:?}: {}", record.name.0, record.outcome, record.reason))
        .collect()
}

/// `xtenant` from the repository root, stdout and stderr captured unless set otherwise.
pub fn xtenant_command(args: &[&str]) -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_xtenant"));
    command.args(args).current_dir(root());
    command
}

/// Lossy UTF-8, for assertions.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Every file under `dir`, recursively; none when `dir` does not exist.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            files.extend(files_under(&path));
        } else {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// Reads a JUnit report back with quick-junit, whose reader insists on an RFC 3339 zone
/// that Ant's schema forbids in `timestamp` (xtenant writes the UTC time without one).
pub fn read_junit(xml: &str) -> quick_junit::Report {
    let mut zoned = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(at) = rest.find("timestamp=\"") {
        let value_start = at + "timestamp=\"".len();
        let value_end = value_start + rest[value_start..].find('"').expect("a closed attribute");
        zoned.push_str(&rest[..value_end]);
        if value_end - value_start == "2026-01-01T00:00:00".len() {
            zoned.push('Z');
        }
        rest = &rest[value_end..];
    }
    zoned.push_str(rest);
    // The root carries no totals (Ant's schema allows none there); quick-junit's reader
    // wants a name, and the totals are the suites' sums, as CI readers compute them.
    let zoned = zoned.replacen("<testsuites>", "<testsuites name=\"xtenant\">", 1);
    let mut report =
        quick_junit::Report::deserialize_from_str(&zoned).expect("the JUnit report parses");
    report.tests = report.test_suites.iter().map(|suite| suite.tests).sum();
    report.failures = report.test_suites.iter().map(|suite| suite.failures).sum();
    report.errors = report.test_suites.iter().map(|suite| suite.errors).sum();
    report.skipped = report.test_suites.iter().map(|suite| suite.skipped).sum();
    report
}
