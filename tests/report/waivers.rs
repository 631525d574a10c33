//! Waivers through the runner and into every report: a waived breach does not fail the
//! run and is shown as waived everywhere; an expired waiver no longer waives; the day comes
//! from the run's options, so these tests pin it.

use crate::fake_backend::fake_for;
use crate::scheduler::run;
use crate::synthetic::{ScenarioBuilder, read_junit};
use quick_junit::TestCaseStatus;
use xtenant::exit_code;
use xtenant::probe::Verdict;
use xtenant::report::{evidence_json, junit_xml};
use xtenant::run::{RunOptions, RunResults, WaiverStatus, exit_code_for};
use xtenant::scenario::ProbeName;
use xtenant::scenario::waiver::parse_date;

const BREACH: &str = "alice::globex/docs::read";

/// alice reads globex's docs (a breach) under a waiver expiring after 2027-03-01, judged
/// on `day`; a second waiver covers only a probe that holds.
async fn waived_run(day: &str) -> RunResults {
    let input = ScenarioBuilder::new("pacific")
        .user("alice", "acme")
        .user("bob", "globex")
        .waiver("alice::globex/*::read", "SEC-7", "2027-03-01")
        .waiver("bob::acme/docs::write", "SEC-8", "2027-03-01")
        .build();
    let mut backend = fake_for(&input);
    backend
        .verdicts
        .insert(ProbeName(BREACH.into()), Verdict::Allowed);
    let options = RunOptions {
        waiver_day: parse_date(day),
        ..RunOptions::default()
    };
    run(&input, backend, &options).await
}

#[tokio::test(start_paused = true)]
async fn a_waived_breach_does_not_fail_the_run_and_is_counted_as_waived() {
    let results = waived_run("2027-03-01").await;
    let counts = results.counts();
    assert_eq!((counts.breach, counts.waived), (0, 1));
    assert_eq!(exit_code_for(&results), exit_code::SUCCESS);
    assert!(counts.probes_phrase().ends_with(", 1 waived"), "{counts:?}");
    let statuses: Vec<WaiverStatus> = results.waivers.waivers.iter().map(|w| w.status).collect();
    assert_eq!(statuses, [WaiverStatus::Applied, WaiverStatus::Stale]);
    assert_eq!(
        results.waivers.warnings(),
        [
            "waiver #1 `bob::acme/docs::write` (SEC-8) is stale: it covers no breach or unexpected deny of this run; remove it"
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn an_expired_waiver_lets_the_breach_fail_the_run_again() {
    let results = waived_run("2027-03-02").await;
    assert_eq!(results.counts().breach, 1);
    assert_eq!(exit_code_for(&results), exit_code::BREACH);
    assert_eq!(results.waivers.waivers[0].status, WaiverStatus::Expired);
    let junit = read_junit(&junit_xml(&results).unwrap());
    let case = junit.test_suites[0]
        .test_cases
        .iter()
        .find(|case| case.name.as_str() == BREACH)
        .unwrap();
    let TestCaseStatus::NonSuccess { description, .. } = &case.status else {
        panic!("an expired waiver must not waive: {:?}", case.status);
    };
    assert!(
        description
            .as_ref()
            .unwrap()
            .as_str()
            .contains("waiver: waiver #0 expired after 2027-03-01 (SEC-7: accepted until SEC-7 ships): fails again"),
        "{description:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn junit_skips_a_waived_breach_with_the_waiver_as_its_message() {
    let results = waived_run("2026-12-02").await;
    let junit = read_junit(&junit_xml(&results).unwrap());
    assert_eq!((junit.failures, junit.skipped), (0, 1));
    let case = junit.test_suites[0]
        .test_cases
        .iter()
        .find(|case| case.name.as_str() == BREACH)
        .unwrap();
    let TestCaseStatus::Skipped {
        message,
        ty,
        description,
        ..
    } = &case.status
    else {
        panic!("a waived breach is skipped: {:?}", case.status);
    };
    assert_eq!(ty.as_ref().unwrap().as_str(), "waived");
    let message = message.as_ref().unwrap().as_str();
    assert!(
        message.starts_with("waived until 2027-03-01 (SEC-7: accepted until SEC-7 ships); breach: expected deny, verdict allowed"),
        "{message}"
    );
    assert!(
        description
            .as_ref()
            .unwrap()
            .as_str()
            .contains("\noutcome: breach\n")
    );
}

#[tokio::test(start_paused = true)]
async fn the_evidence_keeps_the_verdict_and_adds_the_waiver_and_the_review() {
    let results = waived_run("2026-12-02").await;
    let evidence: serde_json::Value =
        serde_json::from_str(&evidence_json(&results).unwrap()).unwrap();
    let record = evidence["results"]["records"]
        .as_array()
        .unwrap()
        .iter()
        .find(|record| record["name"] == BREACH)
        .unwrap();
    assert_eq!(record["outcome"], "breach");
    assert_eq!(record["verdict"], "allowed");
    assert_eq!(record["waiver"]["state"], "waived");
    assert_eq!(record["waiver"]["waiver"]["ticket"], "SEC-7");
    assert_eq!(record["waiver"]["waiver"]["expires"], "2027-03-01");
    assert_eq!(evidence["counts"]["waived"], 1);
    assert_eq!(evidence["counts"]["breach"], 0);
    assert_eq!(evidence["exit_code"], 0);
    let review = &evidence["results"]["waivers"];
    assert_eq!(review["as_of"], "2026-12-02");
    assert_eq!(review["waivers"][0]["status"], "applied");
    assert_eq!(review["waivers"][0]["waived"][0], BREACH);
    assert_eq!(review["waivers"][1]["status"], "stale");
}

#[tokio::test(start_paused = true)]
async fn html_and_markdown_show_the_waived_finding_and_every_waiver() {
    let results = waived_run("2026-12-02").await;
    let md = xtenant::report::markdown_summary(&results);
    assert!(md.contains("| waived | 1 | – |"), "{md}");
    assert!(
        md.contains(&format!("| `{BREACH}` | breach (waived: SEC-7) |")),
        "{md}"
    );
    assert!(md.contains("## Waivers\n\nJudged on 2026-12-02."), "{md}");
    assert!(
        md.contains("| 1 | `bob::acme/docs::write` | SEC-8 | accepted until SEC-8 ships | 2027-03-01 | stale: covers no finding |  |"),
        "{md}"
    );
    let html = xtenant::report::html_report(&results);
    assert!(html.contains("<h2>Waivers</h2>"), "{html}");
    assert!(
        html.contains("<td class=\"cell waived\">breach (waived: SEC-7)</td>"),
        "{html}"
    );
    assert!(html.contains("<tr class=\"waiver-stale\">"), "{html}");
    assert!(html.contains("<li>warning: waiver #1"), "{html}");
}
