//! The console of `xtenant run` as a CI log shows it: one line per case, exactly once, the
//! failures again grouped by user and tenant, and a last line that names breaches and the
//! exit code; `-q` keeps only the failures; `-v` logs every SDK call with no secret; no
//! control code off a terminal, and a progress bar that does not garble the lines on one.

use crate::support::{text, xtenant_command};
use std::process::Output;
use xtenant::exit_code;

const BOOKS: &str = "scenarios/books/matrix.yaml";
const BREACHED: &str = "tests/fixtures/worlds/books--reader-item-wildcard/matrix.yaml";
const INCONCLUSIVE: &str = "tests/e2e/fixtures/mistyped-key/matrix.yaml";
/// The books scenario's passwords, as its matrix gives them.
const BOOKS_PASSWORDS: [&str; 4] = [
    "Acme-Reader-Pa55!",
    "Acme-Writer-Pa55!",
    "Globex-Reader-Pa55!",
    "Globex-Writer-Pa55!",
];

fn run(args: &[&str]) -> Output {
    // The console alone: no report files, no audit (which wants ambient credentials).
    let split = args
        .iter()
        .position(|arg| *arg == "--")
        .unwrap_or(args.len());
    let mut all = vec!["run"];
    all.extend_from_slice(&args[..split]);
    all.extend_from_slice(&["--no-reports", "--no-audit"]);
    all.extend_from_slice(&args[split..]);
    let mut command = xtenant_command(&all);
    command.env_remove("RUST_LOG");
    command.output().expect("the xtenant binary runs")
}

/// Every case name of `matrix`, as `-- --list` lists it.
fn listed(matrix: &str) -> Vec<String> {
    let output = xtenant_command(&["run", matrix, "--", "--list"])
        .output()
        .unwrap();
    text(&output.stdout)
        .lines()
        .filter_map(|line| line.strip_suffix(": test"))
        .map(str::to_owned)
        .collect()
}

/// The case a per-case line is about: `held          {name}` or `BREACH        {name} (…)`.
fn case_of(line: &str) -> Option<&str> {
    let (label, rest) = line.split_once(' ')?;
    if ![
        "held",
        "BREACH",
        "UNEXPECTED-DENY",
        "INCONCLUSIVE",
        "WRONG-ROLE",
    ]
    .contains(&label)
    {
        return None;
    }
    let rest = rest.trim_start();
    Some(rest.split_once(" (").map_or(rest, |(name, _)| name))
}

fn last_line(output: &Output) -> String {
    text(&output.stdout)
        .lines()
        .last()
        .unwrap_or_default()
        .to_owned()
}

/// `xtenant: … (… ; 1.2s) — exit N`: asserts the start and the exit code, and that the
/// elapsed time is a number of seconds.
fn assert_last_line(output: &Output, start: &str, code: i32) {
    let last = last_line(output);
    assert!(last.starts_with(start), "{last}\n{}", text(&output.stdout));
    let ending = format!("s) — exit {code}");
    assert!(last.ends_with(&ending), "{last}");
    let seconds = last[..last.len() - ending.len()]
        .rsplit(' ')
        .next()
        .unwrap();
    assert!(seconds.parse::<f64>().is_ok(), "{last}");
    assert_eq!(output.status.code(), Some(code), "{}", text(&output.stderr));
}

#[test]
fn every_case_is_printed_exactly_once_and_the_last_line_tells_a_green_run() {
    let output = run(&[BOOKS]);
    let stdout = text(&output.stdout);
    let names = listed(BOOKS);
    assert_eq!(names.len(), 88);
    let printed: Vec<&str> = stdout.lines().filter_map(case_of).collect();
    assert_eq!(printed.len(), names.len(), "{stdout}");
    for name in &names {
        let times = printed.iter().filter(|printed| **printed == name).count();
        assert_eq!(times, 1, "{name} printed {times} times:\n{stdout}");
    }
    assert!(!stdout.contains("failures, by user and tenant"), "{stdout}");
    assert_last_line(
        &output,
        "xtenant: 0 breaches, 0 unexpected denies, 0 inconclusive (88 held; ",
        exit_code::SUCCESS,
    );
}

#[test]
fn a_breached_world_repeats_its_breaches_by_user_and_tenant_and_exits_1() {
    let output = run(&[BREACHED]);
    let stdout = text(&output.stdout);
    let summary = stdout
        .split_once("\nfailures, by user and tenant:\n")
        .expect("a failure summary")
        .1;
    assert!(summary.starts_with("breaches (10):\n  acme-reader, tenant acme:\n    acme-reader::acme/book::write: breach: expected deny, verdict allowed; dynamodb:PutItem"), "{summary}");
    assert!(
        summary.contains("\n  globex-reader, tenant globex:\n"),
        "{summary}"
    );
    assert_last_line(
        &output,
        "xtenant: 10 breaches, 0 unexpected denies, 0 inconclusive (78 held; ",
        exit_code::BREACH,
    );
}

#[test]
fn an_inconclusive_world_says_so_on_the_last_line_and_exits_3() {
    let output = run(&[INCONCLUSIVE]);
    assert!(
        text(&output.stdout).contains("\ninconclusive (10):\n  acme-alice, tenant globex:\n"),
        "{}",
        text(&output.stdout)
    );
    assert_last_line(
        &output,
        "xtenant: 0 breaches, 0 unexpected denies, 10 inconclusive (12 held; ",
        exit_code::INCONCLUSIVE,
    );
}

#[test]
fn a_filtered_run_is_partial_on_the_last_line() {
    let output = run(&[BOOKS, "--", "acme-reader::"]);
    assert_last_line(
        &output,
        "xtenant: 0 breaches, 0 unexpected denies, 0 inconclusive (23 held; partial: 22 of 84 \
         probes selected; ",
        exit_code::SUCCESS,
    );
}

#[test]
fn quiet_prints_only_the_failures_and_the_last_line() {
    let output = run(&[BREACHED, "-q"]);
    let stdout = text(&output.stdout);
    let (cases, summary) = stdout
        .split_once("\nfailures, by user and tenant:\n")
        .expect("a failure summary");
    let lines: Vec<&str> = cases.lines().collect();
    assert_eq!(lines.len(), 10, "{stdout}");
    assert!(
        lines.iter().all(|line| line.starts_with("BREACH        ")),
        "{stdout}"
    );
    assert_eq!(
        summary.lines().filter(|l| l.starts_with("    ")).count(),
        10
    );
    assert_last_line(
        &output,
        "xtenant: 10 breaches, 0 unexpected denies, 0 inconclusive (78 held; ",
        exit_code::BREACH,
    );
    // A green run is one line.
    let green = run(&[BOOKS, "-q"]);
    assert_eq!(
        text(&green.stdout).lines().count(),
        1,
        "{}",
        text(&green.stdout)
    );
    assert_last_line(
        &green,
        "xtenant: 0 breaches, 0 unexpected denies, 0 inconclusive (88 held; ",
        exit_code::SUCCESS,
    );
}

#[test]
fn verbose_logs_every_sdk_call_and_no_password_or_token() {
    let output = run(&[BOOKS, "-v", "--", "acme-reader::acme/book::read", "--exact"]);
    let stderr = text(&output.stderr);
    for call in [
        "rpc.method=\"InitiateAuth\"",
        "rpc.method=\"GetId\"",
        "rpc.method=\"GetCredentialsForIdentity\"",
        "rpc.method=\"GetItem\"",
    ] {
        assert!(stderr.contains(call), "no {call} in:\n{stderr}");
    }
    assert_eq!(output.status.code(), Some(exit_code::SUCCESS), "{stderr}");
    // `RUST_LOG=trace` logs whole requests and responses: still nothing secret.
    let mut traced = xtenant_command(&[
        "run",
        BOOKS,
        "--no-reports",
        "--no-audit",
        "--",
        "acme-reader::",
    ]);
    let traced = traced.env("RUST_LOG", "trace").output().unwrap();
    let trace = text(&traced.stderr);
    assert!(trace.contains("TRACE"), "{trace}");
    for (source, log) in [("-v", &stderr), ("RUST_LOG=trace", &trace)] {
        for password in BOOKS_PASSWORDS {
            assert!(!log.contains(password), "{source} shows a password");
        }
        // Cognito's tokens are JWTs: a header always starts `eyJ`.
        assert!(!log.contains("eyJ"), "{source} shows a token");
    }
}

#[test]
fn off_a_terminal_no_bar_and_no_control_code_reaches_stdout_or_stderr() {
    let output = run(&[BREACHED]);
    for (stream, bytes) in [("stdout", &output.stdout), ("stderr", &output.stderr)] {
        assert!(
            !bytes.iter().any(|b| *b == 0x1b || *b == b'\r'),
            "{stream} has control codes:\n{}",
            text(bytes)
        );
    }
    assert!(!text(&output.stderr).contains("ETA"));
}

#[test]
fn on_a_terminal_a_progress_bar_runs_and_every_line_still_appears_once() {
    // util-linux's `script` gives the run a pseudo-terminal as stdout and stderr.
    let binary = env!("CARGO_BIN_EXE_xtenant");
    let output = std::process::Command::new("script")
        .args(["-q", "-e", "-c"])
        .arg(format!("'{binary}' run {BOOKS} --no-reports --no-audit"))
        .arg("/dev/null")
        .current_dir(crate::support::root())
        .env_remove("RUST_LOG")
        .output()
        .expect("`script` (util-linux) runs: install util-linux for this test");
    let terminal = text(&output.stdout);
    assert_eq!(output.status.code(), Some(exit_code::SUCCESS), "{terminal}");
    assert!(terminal.contains("/88 cases, ETA "), "no bar:\n{terminal}");
    // Each line the bar stepped aside for is whole: after the bar's clear-line code, the
    // line itself up to its end.
    let lines: Vec<&str> = terminal
        .split(['\r', '\n'])
        .map(|line| line.rsplit("\u{1b}[2K").next().unwrap_or(line))
        .collect();
    for name in listed(BOOKS) {
        let times = lines
            .iter()
            .filter(|line| case_of(line) == Some(name.as_str()))
            .count();
        assert_eq!(times, 1, "{name} printed {times} times:\n{terminal}");
    }
    assert!(
        lines.iter().any(|line| line
            .starts_with("xtenant: 0 breaches, 0 unexpected denies, 0 inconclusive (88 held; ")),
        "{terminal}"
    );
}

#[test]
fn libtest_output_options_are_a_usage_error_not_silently_dropped() {
    for option in [
        &["--logfile", "out.log"][..],
        &["--format", "json"],
        &["--quiet"],
        &["--show-output"],
    ] {
        let output = run(&[&[BOOKS, "--"][..], option].concat());
        let stderr = text(&output.stderr);
        assert_eq!(
            output.status.code(),
            Some(exit_code::INVALID_INPUT),
            "{option:?}: {stderr}"
        );
        assert!(
            stderr.starts_with(&format!(
                "error: `-- {}` shapes libtest's output",
                option[0]
            )),
            "{stderr}"
        );
        assert!(text(&output.stdout).is_empty());
    }
    // Listing still takes libtest's output options.
    let listed = xtenant_command(&["run", BOOKS, "--", "--list", "--format", "terse"])
        .output()
        .unwrap();
    assert_eq!(listed.status.code(), Some(exit_code::SUCCESS));
}
