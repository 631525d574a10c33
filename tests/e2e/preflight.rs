//! `xtenant run --preflight` checks that a run can start and runs no probe; a setup
//! problem (a password that does not resolve, no ambient credentials for the admin flow)
//! is one clear error before the first probe, with or without `--preflight`.

use crate::no_side_effects::books_with_unset_password;
use crate::support::{files_under, root, text, xtenant_command};
use xtenant::exit_code;

#[test]
fn preflight_on_a_shipped_scenario_signs_in_once_runs_no_probe_and_writes_nothing() {
    let reports = tempfile::tempdir().unwrap();
    let output = xtenant_command(&[
        "run",
        "scenarios/books/matrix.yaml",
        "--preflight",
        "--reports-dir",
        reports.path().to_str().unwrap(),
    ])
    .output()
    .unwrap();
    let stdout = text(&output.stdout);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(exit_code::SUCCESS), "{stderr}");
    assert!(
        stdout.contains("preflight: every password and client secret of the 4 users resolves"),
        "{stdout}"
    );
    assert!(
        stdout.contains("preflight: `acme-reader` signed in and exchanged its token"),
        "{stdout}"
    );
    assert!(stdout.ends_with("preflight passed: no probe was run and no report written\n"));
    // No probe ran: libtest printed no case, and no report or ledger exists.
    assert!(!stdout.contains("::"), "{stdout}");
    assert!(!stdout.contains("Acme-Reader-Pa55!"));
    assert!(files_under(reports.path()).is_empty());
}

#[test]
fn preflight_with_a_password_variable_unset_names_the_user_and_the_variable() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = books_with_unset_password(dir.path());
    let output = xtenant_command(&["run", scenario.to_str().unwrap(), "--preflight"])
        .current_dir(dir.path())
        .env_remove("XTENANT_E2E_SURELY_UNSET_PASSWORD")
        .output()
        .unwrap();
    let stderr = text(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(exit_code::INVALID_INPUT),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "failed to read the password of user `acme-reader`: environment variable \
             `XTENANT_E2E_SURELY_UNSET_PASSWORD` is not set"
        ),
        "{stderr}"
    );
    assert!(text(&output.stdout).is_empty());
    assert_eq!(files_under(dir.path()).len(), 1, "only the scenario file");
}

#[test]
fn the_admin_flow_with_a_profile_that_does_not_exist_is_one_error_before_any_probe() {
    let dir = tempfile::tempdir().unwrap();
    let matrix = std::fs::read_to_string(root().join("scenarios/books/matrix.yaml")).unwrap();
    let world = root().join("scenarios/books/world.yaml");
    let edited = matrix.replace(
        "  local: world.yaml",
        &format!(
            "  local: {}\n  user_pool: {{flow: admin}}",
            world.to_str().unwrap()
        ),
    );
    assert_ne!(edited, matrix);
    let scenario = dir.path().join("books.yaml");
    std::fs::write(&scenario, edited).unwrap();
    for preflight in [true, false] {
        let mut args = vec!["run", scenario.to_str().unwrap(), "--reports-dir", "out"];
        if preflight {
            args.push("--preflight");
        }
        let output = xtenant_command(&args)
            .current_dir(dir.path())
            .env("AWS_PROFILE", "nope")
            .env("AWS_CONFIG_FILE", dir.path().join("no-config"))
            .env(
                "AWS_SHARED_CREDENTIALS_FILE",
                dir.path().join("no-credentials"),
            )
            .env_remove("AWS_ACCESS_KEY_ID")
            .env_remove("AWS_SECRET_ACCESS_KEY")
            .env_remove("AWS_SESSION_TOKEN")
            .output()
            .unwrap();
        let stderr = text(&output.stderr);
        assert_eq!(
            output.status.code(),
            Some(exit_code::INVALID_INPUT),
            "{stderr}"
        );
        let errors: Vec<&str> = stderr
            .lines()
            .filter(|line| line.starts_with("error:"))
            .collect();
        assert_eq!(errors.len(), 1, "{stderr}");
        assert!(errors[0].contains("`flow: admin`"), "{stderr}");
        assert!(errors[0].contains("with AWS_PROFILE=`nope`"), "{stderr}");
        assert!(!stderr.contains("acme-reader::"), "no probe ran: {stderr}");
        assert!(!dir.path().join("out").exists(), "no report was written");
    }
}
