//! The command line's small promises: a bare `xtenant` is a usage error, `--version` names
//! the commit, every subcommand's help has examples, and report options that contradict
//! each other are refused instead of one being dropped.

use crate::support::{text, xtenant_command};
use xtenant::exit_code;

#[test]
fn bare_xtenant_prints_the_help_on_stderr_and_exits_4() {
    let output = xtenant_command(&[]).output().unwrap();
    assert_eq!(output.status.code(), Some(exit_code::INVALID_INPUT));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("Usage: xtenant"), "{stderr}");
    assert!(stderr.contains("run"), "{stderr}");
}

#[test]
fn version_names_the_commit_it_was_built_from() {
    let output = xtenant_command(&["--version"]).output().unwrap();
    assert_eq!(output.status.code(), Some(exit_code::SUCCESS));
    let stdout = text(&output.stdout);
    assert_eq!(
        stdout.trim(),
        format!("xtenant {}", xtenant::build_info::VERSION_WITH_COMMIT)
    );
    // Built from this repository's checkout, the commit is known.
    assert_ne!(xtenant::build_info::COMMIT, "unknown");
    assert!(stdout.contains(&format!("(commit {})", xtenant::build_info::COMMIT)));
}

#[test]
fn cleanup_sim_serve_and_sim_explain_help_show_examples() {
    for (args, example) in [
        (&["cleanup", "--help"][..], "xtenant cleanup --ledger "),
        (
            &["sim", "serve", "--help"][..],
            "xtenant sim serve --world ",
        ),
        (
            &["sim", "explain", "--help"][..],
            "xtenant sim explain --world ",
        ),
    ] {
        let output = xtenant_command(args).output().unwrap();
        assert_eq!(output.status.code(), Some(exit_code::SUCCESS), "{args:?}");
        let stdout = text(&output.stdout);
        assert!(stdout.contains("Examples:"), "{args:?}: {stdout}");
        assert!(stdout.contains(example), "{args:?}: {stdout}");
    }
}

#[test]
fn a_report_path_with_no_reports_is_a_usage_error_not_silently_dropped() {
    for flag in ["--junit", "--evidence", "--html", "--markdown"] {
        let output = xtenant_command(&[
            "run",
            "scenarios/books/matrix.yaml",
            flag,
            "out/report",
            "--no-reports",
        ])
        .output()
        .unwrap();
        assert_eq!(
            output.status.code(),
            Some(exit_code::INVALID_INPUT),
            "{flag}"
        );
        let stderr = text(&output.stderr);
        assert!(stderr.contains("cannot be used with"), "{flag}: {stderr}");
    }
}
