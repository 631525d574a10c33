//! What `--list` and `--no-reports` leave behind: nothing. Listing reaches no target, reads
//! no secret and writes no file; a run on local staging started in-process keeps its
//! cleanup ledger in memory, since its canaries end with the process.

use crate::support::{files_under, root, text, xtenant_command};
use std::path::{Path, PathBuf};
use xtenant::exit_code;

/// The `books` scenario in `dir`, on the shipped world, with acme-reader's password read
/// from a variable that is never set.
pub(crate) fn books_with_unset_password(dir: &Path) -> PathBuf {
    let matrix = std::fs::read_to_string(root().join("scenarios/books/matrix.yaml")).unwrap();
    let world = root().join("scenarios/books/world.yaml");
    let edited = matrix
        .replace(
            "local: world.yaml",
            &format!("local: {}", world.to_str().expect("a UTF-8 path")),
        )
        .replace(
            "password: {value: \"Acme-Reader-Pa55!\"}",
            "password: {env: XTENANT_E2E_SURELY_UNSET_PASSWORD}",
        );
    assert_ne!(edited, matrix);
    let file = dir.join("books.yaml");
    std::fs::write(&file, edited).unwrap();
    file
}

#[test]
fn listing_needs_no_password_and_writes_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = books_with_unset_password(dir.path());
    let reports = dir.path().join("reports");
    let output = xtenant_command(&[
        "run",
        scenario.to_str().unwrap(),
        "--reports-dir",
        reports.to_str().unwrap(),
        "--",
        "--list",
    ])
    .env_remove("XTENANT_E2E_SURELY_UNSET_PASSWORD")
    .output()
    .unwrap();
    let stdout = text(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(exit_code::SUCCESS),
        "{}",
        text(&output.stderr)
    );
    assert!(
        stdout.contains("acme-reader::acme/book::read: test"),
        "{stdout}"
    );
    assert!(
        stdout.contains("acme-reader::expected-role: test"),
        "{stdout}"
    );
    assert_eq!(files_under(&reports), Vec::<PathBuf>::new());
    assert_eq!(
        files_under(dir.path()),
        [scenario],
        "nothing but the scenario in its folder"
    );
}

#[test]
fn a_local_run_without_reports_writes_no_file_not_even_a_ledger() {
    let dir = tempfile::tempdir().unwrap();
    let reports = dir.path().join("reports");
    let output = xtenant_command(&[
        "run",
        "scenarios/books/matrix.yaml",
        "--no-reports",
        "--reports-dir",
        reports.to_str().unwrap(),
    ])
    .output()
    .unwrap();
    assert_eq!(
        output.status.code(),
        Some(exit_code::SUCCESS),
        "{}",
        text(&output.stderr)
    );
    assert!(
        text(&output.stdout).contains("xtenant: 0 breaches, 0 unexpected denies, 0 inconclusive"),
        "{}",
        text(&output.stdout)
    );
    assert_eq!(files_under(&reports), Vec::<PathBuf>::new());
}

#[test]
fn a_local_run_with_reports_writes_the_five_reports_and_no_ledger() {
    let reports = tempfile::tempdir().unwrap();
    let output = xtenant_command(&[
        "run",
        "scenarios/books/matrix.yaml",
        "--reports-dir",
        reports.path().to_str().unwrap(),
    ])
    .output()
    .unwrap();
    assert_eq!(output.status.code(), Some(exit_code::SUCCESS));
    let names: Vec<String> = files_under(reports.path())
        .iter()
        .map(|path| path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "books.evidence.json",
            "books.html",
            "books.junit.xml",
            "books.md",
            "books.sarif"
        ]
    );
}

#[test]
fn a_filter_that_selects_nothing_is_an_error_not_a_green_run() {
    let reports = tempfile::tempdir().unwrap();
    let output = xtenant_command(&[
        "run",
        "scenarios/books/matrix.yaml",
        "--reports-dir",
        reports.path().to_str().unwrap(),
        "--",
        "no-case-is-named-like-this",
    ])
    .output()
    .unwrap();
    let stderr = text(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(exit_code::INVALID_INPUT),
        "{stderr}"
    );
    assert!(
        stderr.contains("the filter selects none of the") && stderr.contains("-- --list"),
        "{stderr}"
    );
    assert!(files_under(reports.path()).is_empty());
    // A filter that selects something still runs.
    let output = xtenant_command(&[
        "run",
        "scenarios/books/matrix.yaml",
        "--reports-dir",
        reports.path().to_str().unwrap(),
        "--",
        "acme-reader::",
    ])
    .output()
    .unwrap();
    assert_eq!(
        output.status.code(),
        Some(exit_code::SUCCESS),
        "{}",
        text(&output.stderr)
    );
}
