//! `xtenant audit` and the audit step of `xtenant run`, through the built binary against
//! local staging, signing with the world's auditor keys as the ambient credentials.

use crate::support::root;
use std::path::Path;
use std::process::{Command, Output};
use xtenant::exit_code;

const BASE: &str = "tests/fixtures/audit";
const AUDITOR: (&str, &str) = ("AKIAXTENANTAUDIT0001", "local-staging-auditor-secret");
const AUDITOR_WITHOUT_GET_ROLE: (&str, &str) =
    ("AKIAXTENANTAUDIT0002", "local-staging-auditor-secret-2");

/// `xtenant ARGS` with `keys` as the only ambient credentials (no profile, no IMDS).
fn xtenant_as(keys: Option<(&str, &str)>, args: &[&str], home: &Path) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtenant"));
    command.args(args).current_dir(root());
    for (name, _) in std::env::vars() {
        if name.starts_with("AWS_") {
            command.env_remove(name);
        }
    }
    // The SDK's settings (https://docs.aws.amazon.com/sdkref/latest/guide/settings-reference.html#EVarSettings).
    command
        .env("AWS_CONFIG_FILE", home.join("no-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("no-credentials"))
        .env("AWS_EC2_METADATA_DISABLED", "true");
    if let Some((key, secret)) = keys {
        command
            .env("AWS_ACCESS_KEY_ID", key)
            .env("AWS_SECRET_ACCESS_KEY", secret);
    }
    command.output().expect("the xtenant binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The base scenario in a temporary folder, its world with `from` replaced by `to`.
fn base_with(dir: &Path, from: &str, to: &str) -> String {
    let world = std::fs::read_to_string(root().join(BASE).join("world.yaml")).unwrap();
    assert_eq!(world.matches(from).count(), 1);
    std::fs::write(dir.join("world.yaml"), world.replace(from, to)).unwrap();
    // Named `audit.yaml`, so the reports are `audit.*`.
    std::fs::copy(
        root().join(BASE).join("matrix.yaml"),
        dir.join("audit.yaml"),
    )
    .unwrap();
    dir.join("audit.yaml").to_string_lossy().into_owned()
}

#[test]
fn audit_prints_each_finding_with_its_fix_and_exits_1_on_a_high_one() {
    let dir = tempfile::tempdir().unwrap();
    let matrix = base_with(dir.path(), "    AllowClassicFlow: false\n", "");
    let output = xtenant_as(Some(AUDITOR), &["audit", &matrix], dir.path());
    let stdout = text(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(exit_code::BREACH),
        "{stdout}{}",
        text(&output.stderr)
    );
    assert!(
        stdout.starts_with("XA002 high   the basic (classic) flow is on"),
        "{stdout}"
    );
    assert!(
        stdout.contains("fix: set AllowClassicFlow to false"),
        "{stdout}"
    );
    assert!(stdout.contains(
        "see: https://docs.aws.amazon.com/cognito/latest/developerguide/authentication-flow.html"
    ));
    assert!(
        stdout.contains("audit: 1 finding (1 high), 0 unread APIs"),
        "{stdout}"
    );
    assert!(!stdout.contains(AUDITOR.1) && !text(&output.stderr).contains(AUDITOR.1));

    let json = xtenant_as(
        Some(AUDITOR),
        &["audit", &matrix, "--format", "json"],
        dir.path(),
    );
    let parsed: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(parsed["findings"][0]["code"], "XA002");
    assert_eq!(parsed["findings"][0]["severity"], "high");
}

#[test]
fn audit_of_a_shipped_scenario_exits_0_and_without_credentials_exits_3_with_one_warning() {
    let home = tempfile::tempdir().unwrap();
    let pacific = "scenarios/pacific/matrix.yaml";
    let output = xtenant_as(Some(AUDITOR), &["audit", pacific], home.path());
    let stdout = text(&output.stdout);
    assert_eq!(output.status.code(), Some(exit_code::SUCCESS), "{stdout}");
    // Guest access is on in PACIFIC, on purpose: an info finding naming what the guest may do.
    assert!(stdout.starts_with("XA001 info"), "{stdout}");
    assert!(
        stdout.contains(
            "PacificGuest allows s3:GetObject on arn:aws:s3:::pacific-tenant-data/public/*"
        ),
        "{stdout}"
    );

    let output = xtenant_as(None, &["audit", pacific], home.path());
    assert_eq!(output.status.code(), Some(exit_code::INCONCLUSIVE));
    let stderr = text(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("warning: audit: skipped, no ambient AWS credentials"),
        "{stderr}"
    );
}

#[test]
fn a_run_whose_audit_lacks_iam_get_role_warns_once_and_still_runs_every_probe() {
    let dir = tempfile::tempdir().unwrap();
    let matrix = base_with(
        dir.path(),
        "    AllowClassicFlow: false\n",
        "    AllowClassicFlow: false\n",
    );
    let reports = dir.path().join("reports");
    let output = xtenant_as(
        Some(AUDITOR_WITHOUT_GET_ROLE),
        &["run", &matrix, "--reports-dir", reports.to_str().unwrap()],
        dir.path(),
    );
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(exit_code::SUCCESS), "{stderr}");
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("warning: audit:"))
        .collect();
    assert_eq!(warnings.len(), 1, "{stderr}");
    assert!(
        warnings[0].contains(
            "could not call iam:GetRole on arn:aws:iam::111122223333:role/AuditTenantAcme"
        ),
        "{}",
        warnings[0]
    );
    assert!(warnings[0].contains("grant `iam:GetRole`"));
    // Every probe, the attack cases and the expected-role case ran and held.
    assert!(
        text(&output.stdout)
            .contains("xtenant: 0 breaches, 0 unexpected denies, 0 inconclusive (4 held; "),
        "{}",
        text(&output.stdout)
    );
    let evidence: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(reports.join("audit.evidence.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        evidence["results"]["audit"]["warnings"][0]["action"],
        "iam:GetRole"
    );
}

#[test]
fn a_run_reports_findings_beside_the_probes_and_a_high_one_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let matrix = base_with(dir.path(), "    AllowClassicFlow: false\n", "");
    let reports = dir.path().join("reports");
    let output = xtenant_as(
        Some(AUDITOR),
        &["run", &matrix, "--reports-dir", reports.to_str().unwrap()],
        dir.path(),
    );
    let stderr = text(&output.stderr);
    // Every probe held; the high finding alone fails the run, breach-level.
    assert!(
        text(&output.stdout).contains(
            "xtenant: 0 breaches, 0 unexpected denies, 0 inconclusive (4 held; 1 failing audit \
             finding; "
        ),
        "{}",
        text(&output.stdout)
    );
    assert_eq!(output.status.code(), Some(exit_code::BREACH), "{stderr}");
    let line = stderr
        .lines()
        .find(|l| l.starts_with("XA002 high"))
        .expect(&stderr);
    assert!(
        line.contains("confirmed by")
            || line.contains("refuted by")
            || line.contains("not exercised"),
        "{line}"
    );
    let junit = std::fs::read_to_string(reports.join("audit.junit.xml")).unwrap();
    let report = crate::support::read_junit(&junit);
    let suite = report
        .test_suites
        .iter()
        .find(|s| s.name.as_str() == "audit")
        .expect("an audit suite");
    assert_eq!(suite.test_cases.len(), 1);
    assert!(suite.test_cases[0].name.starts_with("XA002::"));
    let markdown = std::fs::read_to_string(reports.join("audit.md")).unwrap();
    assert!(
        markdown.contains("## Audit") && markdown.contains("| XA002 | high |"),
        "{markdown}"
    );
    let html = std::fs::read_to_string(reports.join("audit.html")).unwrap();
    assert!(html.contains("<h2>Audit</h2>") && html.contains(">XA002</a>"));
}
