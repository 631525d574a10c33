//! A mistyped key or secret id must never look isolated: once a probe proves the target
//! does not exist, every denial on it is Inconclusive and the run exits 3.

use crate::support::{root, run_scenario};
use xtenant::exit_code;
use xtenant::probe::{Outcome, Verdict};
use xtenant::run::ABSENT_TARGET_REASON;

#[test]
fn denials_on_a_mistyped_object_key_or_secret_id_are_inconclusive() {
    let ran = run_scenario(&root().join("tests/e2e/fixtures/mistyped-key/matrix.yaml"));
    let outcome = |name: &str| {
        let record = ran
            .results
            .records
            .iter()
            .find(|record| record.name.0 == name)
            .unwrap_or_else(|| panic!("no record for {name}"));
        (record.verdict, record.outcome, record.reason.clone())
    };
    for cross_tenant in [
        "acme-alice::globex/contract::read",
        "acme-alice::globex/contract::s3:HeadObject",
        "acme-alice::globex/db-credentials::read",
        "globex-carol::acme/contract::read",
        "globex-carol::acme/contract::s3:HeadObject",
        "globex-carol::acme/db-credentials::read",
        // The secret-read request shapes are denials on the same absent secret.
        "acme-alice::globex/db-credentials::read::describe-secret",
        "acme-alice::globex/db-credentials::read::batch-get-secret-value",
        "globex-carol::acme/db-credentials::read::describe-secret",
        "globex-carol::acme/db-credentials::read::batch-get-secret-value",
    ] {
        let (verdict, outcome, reason) = outcome(cross_tenant);
        assert_eq!(
            (verdict, outcome),
            (Verdict::Inconclusive, Outcome::Inconclusive),
            "{cross_tenant}: {reason}"
        );
        assert!(
            reason.starts_with(ABSENT_TARGET_REASON),
            "{cross_tenant}: {reason}"
        );
    }
    // The owner's own 404 and ResourceNotFoundException are what proved the absence.
    let (verdict, _, reason) = outcome("acme-alice::acme/contract::read");
    assert_eq!(verdict, Verdict::Allowed, "{reason}");
    let counts = ran.results.counts();
    assert_eq!(
        (counts.held, counts.inconclusive, counts.breach),
        (12, 10, 0)
    );
    assert_eq!(ran.exit_code, exit_code::INCONCLUSIVE);
}

#[test]
fn the_console_revises_what_it_first_showed_as_held() {
    let reports = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_xtenant"))
        .args([
            "run",
            "tests/e2e/fixtures/mistyped-key/matrix.yaml",
            "--reports-dir",
        ])
        .arg(reports.path())
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(exit_code::INCONCLUSIVE));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("REVISED       globex-carol::acme/contract::read (now inconclusive"),
        "{stdout}"
    );
    assert!(stdout.contains("12 held, 0 breach, 0 unexpected deny, 10 inconclusive"));
    let junit = std::fs::read_to_string(reports.path().join("mistyped-key.junit.xml")).unwrap();
    let report = crate::support::read_junit(&junit);
    assert_eq!((report.tests, report.failures + report.errors), (22, 10));
}
