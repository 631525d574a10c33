//! The libtest-mimic front end: libtest arguments select the probes exactly as
//! `cargo test` would, and the exit code follows the worst outcome.

use crate::fake_backend::fake_for;
use crate::synthetic::two_tenants;
use std::sync::Arc;
use xtenant::exit_code;
use xtenant::probe::Verdict;
use xtenant::report::{ConsoleMode, ReportPaths};
use xtenant::run::{FrontEndSettings, RunOptions, parse_libtest_arguments, run_with_libtest};
use xtenant::scenario::ProbeName;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn settings(options: RunOptions, reports: ReportPaths) -> FrontEndSettings {
    FrontEndSettings {
        options,
        reports,
        console: ConsoleMode::Quiet,
        audit: None,
    }
}

/// libtest arguments whose output goes to a log file instead of stdout: the inner run's
/// own "test result: FAILED" line for an intentional breach must not reach the output
/// CI tooling reads for the real `cargo test` tally.
struct QuietLibtest {
    arguments: libtest_mimic::Arguments,
    log_dir: tempfile::TempDir,
}

impl QuietLibtest {
    fn log(&self) -> String {
        std::fs::read_to_string(self.log_dir.path().join("libtest.log")).unwrap()
    }
}

fn libtest(args: &[&str]) -> QuietLibtest {
    let log_dir = tempfile::tempdir().unwrap();
    let log = log_dir.path().join("libtest.log");
    let mut args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    args.push("--logfile".to_owned());
    args.push(log.to_str().unwrap().to_owned());
    QuietLibtest {
        arguments: parse_libtest_arguments(&args).unwrap(),
        log_dir,
    }
}

#[test]
fn skip_filters_probes_and_role_cases_like_cargo_test() {
    let input = two_tenants();
    let backend = Arc::new(fake_for(&input));
    let outcome = run_with_libtest(
        &runtime(),
        &input,
        backend.clone(),
        &settings(RunOptions::default(), ReportPaths::none()),
        &libtest(&["--skip", "bob", "--quiet"]).arguments,
        std::future::pending(),
    );
    let mut started = backend.started();
    started.sort();
    assert_eq!(started.len(), 4);
    assert!(started.iter().all(|name| name.0.starts_with("alice::")));
    assert_eq!(backend.sign_in_count("bob"), 0);
    assert_eq!(
        outcome.conclusion.num_passed, 5,
        "4 probes and alice's role case"
    );
    assert_eq!(outcome.conclusion.num_filtered_out, 5);
    assert_eq!(outcome.exit_code, exit_code::SUCCESS);
}

#[test]
fn exact_runs_one_probe_and_a_breach_exits_one() {
    let input = two_tenants();
    let mut backend = fake_for(&input);
    backend.verdicts.insert(
        ProbeName("alice::globex/docs::read".into()),
        Verdict::Allowed,
    );
    let backend = Arc::new(backend);
    let quiet = libtest(&["--exact", "alice::globex/docs::read", "--quiet"]);
    let outcome = run_with_libtest(
        &runtime(),
        &input,
        backend.clone(),
        &settings(RunOptions::default(), ReportPaths::none()),
        &quiet.arguments,
        std::future::pending(),
    );
    assert_eq!(
        backend.started(),
        [ProbeName("alice::globex/docs::read".into())]
    );
    assert_eq!(outcome.conclusion.num_failed, 1);
    assert_eq!(outcome.exit_code, exit_code::BREACH);
    let results = outcome.results.unwrap();
    assert_eq!(results.records.len(), 1);
    // The inner tally went to the log, where it names the breach.
    let log = quiet.log();
    assert!(log.contains("test result: FAILED"), "{log}");
    assert!(log.contains("alice::globex/docs::read"), "{log}");
}

#[test]
fn list_and_ignored_run_nothing() {
    let input = two_tenants();
    for args in [&["--list"][..], &["--ignored", "--quiet"][..]] {
        let backend = Arc::new(fake_for(&input));
        let outcome = run_with_libtest(
            &runtime(),
            &input,
            backend.clone(),
            &settings(RunOptions::default(), ReportPaths::none()),
            &libtest(args).arguments,
            std::future::pending(),
        );
        assert!(backend.started().is_empty(), "{args:?}");
        assert_eq!(backend.sign_in_count("alice"), 0, "{args:?}");
        assert_eq!(outcome.exit_code, exit_code::SUCCESS, "{args:?}");
        assert_eq!(outcome.conclusion.num_passed, 0, "{args:?}");
    }
}

#[test]
fn reports_are_written_even_when_the_run_is_interrupted() {
    let input = two_tenants();
    let mut backend = fake_for(&input);
    backend.hanging = input.plan.probes.iter().map(|p| p.name.clone()).collect();
    let dir = tempfile::tempdir().unwrap();
    let options = RunOptions {
        grace_period: std::time::Duration::from_millis(20),
        ..RunOptions::default()
    };
    let outcome = run_with_libtest(
        &runtime(),
        &input,
        Arc::new(backend),
        &settings(options, ReportPaths::in_dir(dir.path(), "pacific")),
        &libtest(&["--quiet"]).arguments,
        // Created lazily, inside the front end's runtime.
        async { tokio::time::sleep(std::time::Duration::from_millis(20)).await },
    );
    assert_eq!(outcome.reports_written.len(), 5);
    assert_eq!(outcome.exit_code, exit_code::INCONCLUSIVE);
    let results = outcome.results.unwrap();
    assert!(results.interrupted);
    let junit = std::fs::read_to_string(dir.path().join("pacific.junit.xml")).unwrap();
    assert!(junit.contains("interrupted"));
}

#[test]
fn bad_libtest_arguments_are_a_usage_error() {
    assert!(parse_libtest_arguments(&["--no-such-flag".to_owned()]).is_err());
}

#[test]
fn the_re_run_of_an_escalating_attack_case_is_reported_as_trials_after_it() {
    let (input, attack) =
        crate::scheduler::with_attack_case(two_tenants(), "alice", "acme", "globex-role");
    let mut backend = fake_for(&input);
    backend.escalating.insert(attack.clone());
    let quiet = libtest(&["alice::attack", "--quiet"]);
    let outcome = run_with_libtest(
        &runtime(),
        &input,
        Arc::new(backend),
        &settings(RunOptions::default(), ReportPaths::none()),
        &quiet.arguments,
        std::future::pending(),
    );
    // The attack case and the two cross-tenant cells its credentials reached fail; the
    // two own-tenant cells hold.
    assert_eq!(outcome.conclusion.num_failed, 3);
    assert_eq!(outcome.conclusion.num_passed, 2);
    assert_eq!(outcome.exit_code, exit_code::BREACH);
    let log = quiet.log();
    assert!(
        log.contains(&format!("{attack}::globex/docs::read")),
        "{log}"
    );
}
