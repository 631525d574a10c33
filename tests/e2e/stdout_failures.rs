//! The built binary with a stdout that fails: a full disk (`> /dev/full`) and a reader that
//! went away (`| head`). Nothing panics (exit 101); a closed pipe ends the output quietly
//! with the command's own exit code; any other failure exits 4 with one line on stderr,
//! except that a breach still exits 1; the reports are written before stdout is.

use crate::support::{files_under, root, text, xtenant_command};
use std::process::{Command, Output, Stdio};
use xtenant::exit_code;

const BOOKS: &str = "scenarios/books/matrix.yaml";
const BREACHED: &str = "tests/fixtures/worlds/books--reader-item-wildcard/matrix.yaml";
const FULL_DISK: &str =
    "error: failed to write the test results to stdout: No space left on device";

#[derive(Debug, Clone, Copy)]
enum BadStdout {
    /// `> /dev/full`: every write fails with ENOSPC.
    Full,
    /// `| head -c 0`: the reader closed its end before anything was written.
    ClosedPipe,
}

fn run_with(stdout: BadStdout, args: &[&str]) -> Output {
    let mut command = xtenant_command(args);
    command.stderr(Stdio::piped());
    match stdout {
        BadStdout::Full => {
            let full = std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .expect("/dev/full opens");
            command.stdout(full);
        }
        BadStdout::ClosedPipe => {
            let (reader, writer) = std::io::pipe().expect("a pipe");
            drop(reader);
            command.stdout(writer);
        }
    }
    let output = command.output().expect("the xtenant binary runs");
    let stderr = text(&output.stderr);
    assert!(
        !stderr.contains("panicked"),
        "{args:?} with {stdout:?}: {stderr}"
    );
    output
}

/// Asserts the exit code, and that stderr has the one-line error exactly when it should.
fn assert_exit(output: &Output, code: i32, error_line: Option<&str>) {
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(code), "{stderr}");
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|line| line.starts_with("error:"))
        .collect();
    match error_line {
        Some(expected) => {
            assert_eq!(errors.len(), 1, "{stderr}");
            assert!(errors[0].starts_with(expected), "{stderr}");
        }
        None => assert!(errors.is_empty(), "{stderr}"),
    }
}

#[test]
fn a_run_whose_stdout_is_full_writes_its_reports_and_exits_4_with_one_line() {
    let reports = tempfile::tempdir().unwrap();
    let dir = reports.path().to_str().unwrap();
    let output = run_with(BadStdout::Full, &["run", BOOKS, "--reports-dir", dir]);
    assert_exit(&output, exit_code::INVALID_INPUT, Some(FULL_DISK));
    for report in [
        "books.junit.xml",
        "books.evidence.json",
        "books.html",
        "books.md",
    ] {
        assert!(reports.path().join(report).is_file(), "{report} missing");
    }
}

#[test]
fn a_run_whose_reader_went_away_exits_with_the_runs_own_code_quietly() {
    let reports = tempfile::tempdir().unwrap();
    let dir = reports.path().to_str().unwrap();
    let output = run_with(BadStdout::ClosedPipe, &["run", BOOKS, "--reports-dir", dir]);
    assert_exit(&output, exit_code::SUCCESS, None);
    assert!(reports.path().join("books.junit.xml").is_file());
}

#[test]
fn a_breach_exits_1_whatever_happens_to_stdout() {
    for stdout in [BadStdout::Full, BadStdout::ClosedPipe] {
        let reports = tempfile::tempdir().unwrap();
        let dir = reports.path().to_str().unwrap();
        let output = run_with(stdout, &["run", BREACHED, "--reports-dir", dir]);
        let expected_error = match stdout {
            BadStdout::Full => Some(FULL_DISK),
            BadStdout::ClosedPipe => None,
        };
        assert_exit(&output, exit_code::BREACH, expected_error);
        let junit = reports.path().join("books--reader-item-wildcard.junit.xml");
        assert!(junit.is_file(), "{:?}", files_under(reports.path()));
    }
}

#[test]
fn listing_to_a_full_stdout_exits_4_and_to_a_closed_pipe_exits_0() {
    let full = run_with(BadStdout::Full, &["run", BOOKS, "--", "--list"]);
    assert_exit(&full, exit_code::INVALID_INPUT, Some(FULL_DISK));
    let closed = run_with(BadStdout::ClosedPipe, &["run", BOOKS, "--", "--list"]);
    assert_exit(&closed, exit_code::SUCCESS, None);
}

#[test]
fn plan_validate_and_schema_exit_4_on_a_full_stdout_and_0_on_a_closed_pipe() {
    let commands: [(&[&str], &str); 4] = [
        (
            &["plan", BOOKS],
            "error: failed to write the plan to stdout: No space left",
        ),
        (
            &["plan", BOOKS, "--format", "json"],
            "error: failed to write the plan to stdout: No space left",
        ),
        (
            &["validate", BOOKS],
            "error: failed to write the result to stdout: No space left",
        ),
        (
            &["schema"],
            "error: failed to write the schema to stdout: No space left",
        ),
    ];
    for (args, message) in commands {
        let full = run_with(BadStdout::Full, args);
        assert_exit(&full, exit_code::INVALID_INPUT, Some(message));
        let closed = run_with(BadStdout::ClosedPipe, args);
        assert_exit(&closed, exit_code::SUCCESS, None);
    }
}

#[test]
fn help_to_a_full_stdout_exits_4() {
    let full = run_with(BadStdout::Full, &["--help"]);
    assert_exit(
        &full,
        exit_code::INVALID_INPUT,
        Some("error: failed to write the help to stdout: No space left"),
    );
}

#[test]
fn a_reader_that_stops_early_leaves_the_exit_code_alone() {
    for pipeline in [
        "plan scenarios/pacific/matrix.yaml --format json | head -c 10",
        "run scenarios/pacific/matrix.yaml -- --list | head -1",
    ] {
        // The shell's own pipe and `head`, exactly as a user types it; the exit code is
        // xtenant's, not head's.
        let output = Command::new("bash")
            .arg("-c")
            .arg(format!(
                "\"$0\" {pipeline} > /dev/null; exit ${{PIPESTATUS[0]}}"
            ))
            .arg(env!("CARGO_BIN_EXE_xtenant"))
            .current_dir(root())
            .output()
            .expect("bash runs");
        assert_exit(&output, exit_code::SUCCESS, None);
        assert!(!text(&output.stderr).contains("panicked"), "{pipeline}");
    }
}
