//! The built `xtenant` binary, run the way the README's demo runs it.

use crate::support::root;
use std::path::Path;
use std::process::{Command, Output};
use xtenant::exit_code;
use xtenant::scenario::SecretSource;

const PACIFIC: &str = "scenarios/pacific/matrix.yaml";

/// `xtenant ARGS` from the repository root.
fn xtenant(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtenant"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("the xtenant binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn run_pacific(reports_dir: &Path, libtest_args: &[&str]) -> Output {
    let reports_dir = reports_dir.to_str().expect("a UTF-8 temporary path");
    let mut args = vec!["run", PACIFIC, "--reports-dir", reports_dir];
    if !libtest_args.is_empty() {
        args.push("--");
        args.extend_from_slice(libtest_args);
    }
    xtenant(&args)
}

#[test]
fn the_demo_command_exits_0_and_writes_a_junit_report_that_parses_back() {
    let reports = tempfile::tempdir().unwrap();
    let output = run_pacific(reports.path(), &[]);
    assert_eq!(
        output.status.code(),
        Some(exit_code::SUCCESS),
        "{}",
        text(&output.stderr)
    );
    let junit = std::fs::read_to_string(reports.path().join("pacific.junit.xml"))
        .expect("the JUnit report is written");
    let report = crate::support::read_junit(&junit);
    // 168 probes, 60 request-shape cases, 98 attack cases and 7 expected-role cases, none
    // failed.
    assert_eq!((report.tests, report.failures, report.errors), (333, 0, 0));
    // Each case points at the scenario file as given and at the line of its rule (here
    // the user's entry), so GitHub's JUnit annotators land on the matrix; neither JUnit
    // schema allows properties on a case, so a passing case carries no details.
    let shape_case = report
        .test_suites
        .iter()
        .flat_map(|suite| &suite.test_cases)
        .find(|case| case.name.as_str() == "acme-alice::globex/files::list::no-prefix")
        .expect("the no-prefix shape case");
    let attribute = |name: &str| {
        shape_case
            .extra
            .get(name)
            .map(|value| value.as_str().to_owned())
    };
    assert!(
        attribute("file").is_some_and(|file| file.ends_with("scenarios/pacific/matrix.yaml")),
        "{:?}",
        shape_case.extra
    );
    assert!(
        attribute("line").is_some_and(|line| line.parse::<usize>().is_ok_and(|n| n > 1)),
        "{:?}",
        shape_case.extra
    );
    assert!(shape_case.properties.is_empty());
    for written in ["pacific.evidence.json", "pacific.html", "pacific.md"] {
        assert!(reports.path().join(written).is_file(), "{written} missing");
    }
    let stdout = text(&output.stdout);
    assert!(
        stdout.contains("\nxtenant: 0 breaches, 0 unexpected denies, 0 inconclusive (333 held; "),
        "{stdout}"
    );
    assert!(stdout.ends_with("s) — exit 0\n"), "{stdout}");
}

#[test]
fn no_password_appears_in_anything_the_binary_printed_or_wrote() {
    let scenario = xtenant::scenario::load(&root().join(PACIFIC)).unwrap();
    let passwords: Vec<String> = scenario
        .users
        .iter()
        .filter_map(|user| match &user.password {
            Some(SecretSource::Value(password)) => Some(password.expose().to_owned()),
            _ => None,
        })
        .collect();
    assert_eq!(
        passwords.len(),
        7,
        "every PACIFIC user but the guest (acme-newcomer too) has a password"
    );
    let reports = tempfile::tempdir().unwrap();
    let output = run_pacific(reports.path(), &[]);
    assert_eq!(output.status.code(), Some(exit_code::SUCCESS));
    let mut everything = vec![
        ("stdout".to_owned(), text(&output.stdout)),
        ("stderr".to_owned(), text(&output.stderr)),
    ];
    for entry in std::fs::read_dir(reports.path()).unwrap() {
        let path = entry.unwrap().path();
        everything.push((
            path.display().to_string(),
            std::fs::read_to_string(&path).unwrap(),
        ));
    }
    assert!(everything.len() >= 6, "the four reports were written");
    for (source, content) in &everything {
        for password in &passwords {
            assert!(
                !content.contains(password.as_str()),
                "{source} shows a password"
            );
        }
    }
}

#[test]
fn libtest_list_lists_probe_names_without_probing_and_skip_skips() {
    let reports = tempfile::tempdir().unwrap();
    let listed = run_pacific(reports.path(), &["--list"]);
    assert_eq!(listed.status.code(), Some(exit_code::SUCCESS));
    let stdout = text(&listed.stdout);
    assert!(
        stdout.contains("acme-alice::globex/contract::read: test"),
        "{stdout}"
    );
    assert!(stdout.contains("guest::acme/files::list: test"), "{stdout}");
    assert!(
        stdout.contains("acme-alice::expected-role: test"),
        "{stdout}"
    );
    assert_eq!(
        crate::support::files_under(reports.path()),
        Vec::<std::path::PathBuf>::new(),
        "listing writes nothing"
    );

    let skipped = run_pacific(reports.path(), &["--skip", "guest"]);
    assert_eq!(skipped.status.code(), Some(exit_code::SUCCESS));
    let stdout = text(&skipped.stdout);
    assert!(!stdout.contains(" guest::"), "{stdout}");
    assert!(stdout.contains("held          acme-alice::globex/contract::read\n"));
    // The guest has 24 probes (3 tenants x 8), 12 request-shape cases (3 list and 3 secret
    // read cells x 2), three basic-flow attack cases and one expected-role case.
    assert!(
        stdout.contains(
            "xtenant: 0 breaches, 0 unexpected denies, 0 inconclusive (293 held; partial: 287 \
             of 326 probes selected; "
        ),
        "{stdout}"
    );
}

#[test]
fn a_world_that_does_not_parse_exits_4_pointing_at_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let world = std::fs::read_to_string(root().join("scenarios/books/world.yaml")).unwrap();
    // An unknown top-level key: valid YAML the scenario loader reads, but not a world.
    std::fs::write(
        dir.path().join("world.yaml"),
        format!("{world}\nbukets: []\n"),
    )
    .unwrap();
    let matrix = std::fs::read_to_string(root().join("scenarios/books/matrix.yaml")).unwrap();
    std::fs::write(dir.path().join("matrix.yaml"), matrix).unwrap();
    let file = dir.path().join("matrix.yaml");
    let output = xtenant(&["run", file.to_str().unwrap(), "--no-reports"]);
    assert_eq!(output.status.code(), Some(exit_code::INVALID_INPUT));
    let stderr = text(&output.stderr);
    let lines = world.lines().count();
    let located = format!("{}:{}:", dir.path().join("world.yaml").display(), lines + 2);
    assert!(
        stderr.contains(&located),
        "expected `{located}` in {stderr}"
    );
    assert!(stderr.contains("bukets"), "{stderr}");
}

#[test]
fn an_invalid_scenario_exits_4_with_its_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("matrix.yaml");
    std::fs::write(&file, "target: {local: nowhere.yaml}\ntenants: []\n").unwrap();
    let output = xtenant(&["run", file.to_str().unwrap(), "--no-reports"]);
    assert_eq!(output.status.code(), Some(exit_code::INVALID_INPUT));
    assert!(text(&output.stderr).contains("nowhere.yaml"));
}

#[test]
fn run_help_shows_examples_and_the_exit_codes() {
    let output = xtenant(&["run", "--help"]);
    assert_eq!(output.status.code(), Some(exit_code::SUCCESS));
    let stdout = text(&output.stdout);
    assert!(stdout.contains("xtenant run scenarios/pacific/matrix.yaml"));
    assert!(stdout.contains(exit_code::HELP_TABLE), "{stdout}");
}

#[test]
fn an_app_client_secret_from_the_world_signs_every_sign_in_and_is_never_shown() {
    const CLIENT_SECRET: &str = "1q2w3e4r5t6y7u8i9o0pbookssecretclientvalue0000000";
    let world = std::fs::read_to_string(root().join("tests/e2e/fixtures/client-secret/world.yaml"))
        .unwrap();
    assert!(
        world.contains(CLIENT_SECRET),
        "the fixture's client has this secret"
    );
    let reports = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_xtenant"))
        .args([
            "run",
            "tests/e2e/fixtures/client-secret/matrix.yaml",
            "--reports-dir",
        ])
        .arg(reports.path())
        .current_dir(root())
        .output()
        .unwrap();
    let stderr = text(&output.stderr);
    // Local staging refuses a sign-in without the right SECRET_HASH, so every role held
    // means the world's secret reached the harness.
    assert_eq!(output.status.code(), Some(exit_code::SUCCESS), "{stderr}");
    assert!(
        text(&output.stdout)
            .contains("84 held, 0 breach, 0 unexpected deny, 0 inconclusive; roles: 4 held")
    );
    let mut everything = vec![text(&output.stdout), stderr];
    for entry in std::fs::read_dir(reports.path()).unwrap() {
        everything.push(std::fs::read_to_string(entry.unwrap().path()).unwrap());
    }
    assert!(everything.len() >= 6);
    assert!(
        everything
            .iter()
            .all(|content| !content.contains(CLIENT_SECRET))
    );
}
