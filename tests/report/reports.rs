//! Every report format over one small synthetic run: a breach, an unexpected deny, an
//! inconclusive probe and a wrong role.

use crate::fake_backend::fake_for;
use crate::scheduler::run;
use crate::synthetic::{ALICE_PASSWORD, ScenarioBuilder, read_junit, two_tenants};
use quick_junit::{NonSuccessKind, TestCase, TestCaseStatus};
use xtenant::probe::{DenialLayer, Verdict};
use xtenant::report::{
    ConsoleMode, ConsoleReporter, ReportPaths, evidence_json, html_report, junit_xml,
    markdown_summary, write_junit, write_reports,
};
use xtenant::run::{EventSink, RecordStore, RunEvent, RunOptions, RunResults, Selection, run_plan};
use xtenant::scenario::ProbeName;

/// alice reads globex's docs (breach), bob cannot write his own docs (unexpected deny),
/// bob's read of acme's docs is inconclusive, and bob carries acme's role (wrong role).
pub async fn synthetic_results() -> RunResults {
    let input = two_tenants();
    let mut backend = fake_for(&input);
    let verdicts = [
        ("alice::globex/docs::read", Verdict::Allowed),
        ("bob::globex/docs::write", Verdict::Denied),
        ("bob::acme/docs::read", Verdict::Inconclusive),
    ];
    for (name, verdict) in verdicts {
        backend.verdicts.insert(ProbeName(name.into()), verdict);
    }
    backend.roles.insert("bob".into(), "acme".into());
    run(&input, backend, &RunOptions::default()).await
}

/// The JUnit file is written one user's suite at a time; its bytes are those of the
/// document built whole, for a run with findings and for one with no case at all.
#[tokio::test(start_paused = true)]
async fn the_junit_file_written_suite_by_suite_is_the_whole_document() {
    let results = synthetic_results().await;
    let mut streamed = Vec::new();
    write_junit(&results, &mut streamed).unwrap();
    let whole = junit_xml(&results).unwrap();
    assert_eq!(String::from_utf8(streamed).unwrap(), whole);
    assert_eq!(whole.matches("<testsuite ").count(), 2);

    let mut empty = results;
    empty.records = RecordStore::default();
    empty.role_cases.clear();
    let mut streamed = Vec::new();
    write_junit(&empty, &mut streamed).unwrap();
    assert_eq!(
        String::from_utf8(streamed).unwrap(),
        junit_xml(&empty).unwrap()
    );
}

#[tokio::test(start_paused = true)]
async fn junit_has_a_suite_per_user_and_typed_failures_and_reads_back() {
    let results = synthetic_results().await;
    let xml = junit_xml(&results).unwrap();
    let report = read_junit(&xml);
    let suites: Vec<&str> = report.test_suites.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(suites, ["alice", "bob"]);
    let bob = &report.test_suites[1];
    let names: Vec<&str> = bob.test_cases.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "bob::expected-role",
            "bob::acme/docs::read",
            "bob::acme/docs::write",
            "bob::globex/docs::read",
            "bob::globex/docs::write"
        ]
    );
    let kind_and_type = |suite: usize, case: &str| {
        let case = report.test_suites[suite]
            .test_cases
            .iter()
            .find(|c| c.name.as_str() == case)
            .unwrap();
        match &case.status {
            TestCaseStatus::Success { .. } => ("success".to_owned(), String::new()),
            TestCaseStatus::NonSuccess { kind, ty, .. } => (
                match kind {
                    NonSuccessKind::Failure => "failure".to_owned(),
                    NonSuccessKind::Error => "error".to_owned(),
                },
                ty.as_ref()
                    .map(|t| t.as_str().to_owned())
                    .unwrap_or_default(),
            ),
            TestCaseStatus::Skipped { .. } => ("skipped".to_owned(), String::new()),
        }
    };
    assert_eq!(
        kind_and_type(0, "alice::globex/docs::read"),
        ("failure".into(), "breach".into())
    );
    assert_eq!(
        kind_and_type(0, "alice::acme/docs::read"),
        ("success".into(), String::new())
    );
    assert_eq!(
        kind_and_type(1, "bob::globex/docs::write"),
        ("failure".into(), "unexpected-deny".into())
    );
    assert_eq!(
        kind_and_type(1, "bob::acme/docs::read"),
        ("error".into(), "inconclusive".into())
    );
    assert_eq!(
        kind_and_type(1, "bob::expected-role"),
        ("failure".into(), "wrong-role".into())
    );

    let breach = report.test_suites[0]
        .test_cases
        .iter()
        .find(|c| c.name.as_str() == "alice::globex/docs::read")
        .unwrap();
    let property = |name: &str| detail(breach, name);
    assert_eq!(property("verdict").as_deref(), Some("allowed"));
    assert_eq!(property("rule").as_deref(), Some("cross-tenant default"));
    assert_eq!(property("http-status").as_deref(), Some("200"));
    assert_eq!(
        property("request-id").as_deref(),
        Some("req-alice::globex/docs::read")
    );
    assert_eq!(
        property("identity-id").as_deref(),
        Some("us-east-1:0000-alice")
    );
    assert!(property("role-arn").unwrap().ends_with("role/acme-role"));
}

#[tokio::test(start_paused = true)]
async fn junit_snapshot_with_volatile_fields_masked() {
    let results = synthetic_results().await;
    let xml = junit_xml(&results).unwrap();
    insta::with_settings!({filters => vec![
        (r#"time="[0-9.]+""#, r#"time="[time]""#),
        (r#"timestamp="[0-9T:-]+""#, r#"timestamp="[timestamp]""#),
    ]}, {
        insta::assert_snapshot!("junit", xml);
    });
}

#[tokio::test(start_paused = true)]
async fn evidence_snapshot_with_volatile_fields_masked() {
    let results = synthetic_results().await;
    let json = evidence_json(&results).unwrap();
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["schema_version"], 1);
    assert_eq!(value["exit_code"], 1);
    assert_eq!(value["results"]["records"].as_array().unwrap().len(), 8);
    insta::with_settings!({filters => vec![
        (r#""started_at": "[^"]+""#, r#""started_at": "[started_at]""#),
        (r#""finished_at": "[^"]+""#, r#""finished_at": "[finished_at]""#),
        (r#""commit": "[^"]+""#, r#""commit": "[commit]""#),
        (r#""duration_ms": [0-9]+(,?)\n(\s*)\}"#, "\"duration_ms\": \"[duration]\"$1\n$2}"),
        (r#""version": "[^"]+""#, r#""version": "[version]""#),
    ]}, {
        insta::assert_snapshot!("evidence", json);
    });
}

#[tokio::test(start_paused = true)]
async fn html_names_every_probe_and_escapes_hostile_names() {
    let input = ScenarioBuilder::new("hostile <b>")
        .user("<script>alert(1)</script>", "acme")
        .user("bob\"onmouseover=\"x", "globex")
        .build();
    let results = run(&input, fake_for(&input), &RunOptions::default()).await;
    let html = html_report(&results);
    assert!(!html.contains("<script>"), "unescaped script tag");
    assert!(!html.contains("<b>"), "unescaped scenario name");
    assert!(!html.contains("\"onmouseover"), "attribute break-out");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;::acme/docs::read"));

    let results = synthetic_results().await;
    let html = html_report(&results);
    for probe in &results.plan.probes {
        assert!(
            html.contains(probe.name.0.as_str()),
            "{} missing",
            probe.name
        );
    }
    assert!(html.contains("class=\"cell breach\""));
    assert!(html.contains("class=\"cell unexpected-deny\""));
    assert!(html.contains("class=\"cell inconclusive\""));
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(
        !html.contains("<link") && !html.contains("<script"),
        "not self-contained"
    );
}

#[tokio::test(start_paused = true)]
async fn an_unselected_probe_shows_as_not_run_in_the_matrix() {
    let input = two_tenants();
    let selection = Selection::only(["alice::acme/docs::read"], []);
    let results = crate::scheduler::run_selected(
        &input,
        &selection,
        fake_for(&input),
        &RunOptions::default(),
    )
    .await;
    let html = html_report(&results);
    assert_eq!(html.matches("class=\"cell not-run\"").count(), 7);
    // Once in the matrix and once in the held probes' table.
    assert_eq!(html.matches("class=\"cell held allow\"").count(), 2);
}

/// A request-shape case has its own matrix column: its breach is never hidden behind the
/// held primary probe of the same cell.
#[tokio::test(start_paused = true)]
async fn a_breaching_request_shape_has_its_own_matrix_column() {
    let mut input = two_tenants();
    let primary = input
        .plan
        .probes
        .iter()
        .find(|probe| probe.name.0 == "alice::globex/docs::read")
        .unwrap()
        .clone();
    let mut shape = primary;
    shape.name = ProbeName("alice::globex/docs::read::scan".into());
    shape.shape = Some(Box::new(xtenant::scenario::RequestShape::Scan));
    std::sync::Arc::make_mut(&mut input.plan).probes.push(shape);
    let mut backend = fake_for(&input);
    backend.verdicts.insert(
        ProbeName("alice::globex/docs::read::scan".into()),
        Verdict::Allowed,
    );
    let results = run(&input, backend, &RunOptions::default()).await;
    let html = html_report(&results);
    assert!(
        html.contains("<th class=\"col\" scope=\"col\">globex/docs/read/scan</th>"),
        "{html}"
    );
    // The matrix cell and the failing probe's row.
    assert_eq!(html.matches("class=\"cell breach\"").count(), 2, "{html}");
    let junit = junit_xml(&results).unwrap();
    assert!(junit.contains("\nrequest-shape: scan\n"), "{junit}");
}

#[tokio::test(start_paused = true)]
async fn an_attack_that_was_not_exercised_is_listed_as_a_gap() {
    let mut results = synthetic_results().await;
    assert!(!markdown_summary(&results).contains("Not exercised"));
    std::sync::Arc::make_mut(&mut results.plan)
        .not_exercised
        .push("foreign-token: not exercised: add attacks.foreign_pool".to_owned());
    let md = markdown_summary(&results);
    assert!(
        md.contains(
            "## Not exercised\n\n- foreign-token: not exercised: add attacks.foreign\\_pool"
        ),
        "{md}"
    );
}

#[tokio::test(start_paused = true)]
async fn markdown_summary_lists_every_case_that_did_not_hold() {
    let results = synthetic_results().await;
    let md = markdown_summary(&results);
    assert!(md.contains("exit code 1"));
    for name in [
        "alice::globex/docs::read",
        "bob::globex/docs::write",
        "bob::acme/docs::read",
        "bob::expected-role",
    ] {
        assert!(md.contains(&format!("`{name}`")), "{name} missing:\n{md}");
    }
    assert!(!md.contains("`alice::acme/docs::read`"));
    assert!(md.contains("| breach | 1 |"));
}

#[tokio::test(start_paused = true)]
async fn no_report_ever_contains_a_known_secret() {
    let input = two_tenants();
    let mut backend = fake_for(&input);
    backend.error_message = Some(format!("the service said {ALICE_PASSWORD}"));
    backend
        .failing_users
        .insert("bob".into(), format!("password {ALICE_PASSWORD} rejected"));
    backend.verdicts.insert(
        ProbeName("alice::globex/docs::read".into()),
        Verdict::Denied,
    );
    let (events, mut receiver) = EventSink::channel();
    let results = run_plan(
        &input,
        &Selection::all(&input),
        std::sync::Arc::new(backend),
        &RunOptions::default(),
        &events,
        std::future::pending(),
    )
    .await;
    drop(events);
    let mut console = ConsoleReporter::new(ConsoleMode::Lines, Vec::new());
    while let Some(event) = receiver.recv().await {
        console.handle(&event);
    }
    let console = String::from_utf8(console.into_inner()).unwrap();
    let reports = [
        junit_xml(&results).unwrap(),
        evidence_json(&results).unwrap(),
        html_report(&results),
        markdown_summary(&results),
        console,
    ];
    for report in &reports {
        assert!(!report.contains(ALICE_PASSWORD), "secret leaked:\n{report}");
    }
    assert!(reports[1].contains("the service said ***"));
}

#[tokio::test(start_paused = true)]
async fn console_lines_tell_every_failure_and_the_final_tally() {
    let input = two_tenants();
    let mut backend = fake_for(&input);
    backend.verdicts.insert(
        ProbeName("alice::globex/docs::read".into()),
        Verdict::Allowed,
    );
    let (events, mut receiver) = EventSink::channel();
    run_plan(
        &input,
        &Selection::all(&input),
        std::sync::Arc::new(backend),
        &RunOptions::default(),
        &events,
        std::future::pending(),
    )
    .await;
    drop(events);
    let mut console = ConsoleReporter::new(ConsoleMode::Lines, Vec::new());
    while let Some(event) = receiver.recv().await {
        console.handle(&event);
    }
    let out = String::from_utf8(console.into_inner()).unwrap();
    assert!(
        out.contains("BREACH        alice::globex/docs::read"),
        "{out}"
    );
    assert!(
        out.contains("held          bob::globex/docs::write"),
        "{out}"
    );
    assert!(out.contains("7 held, 1 breach"), "{out}");
}

#[tokio::test(start_paused = true)]
async fn every_written_report_and_console_line_masks_tokens_the_records_still_carry() {
    // The last gate: a field the record-level scrub did not cover (here, written into the
    // results after the run) is still masked in each report file and console line.
    let mut results = synthetic_results().await;
    let jwt = "eyJraWQiOiJrMSJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl";
    let session_token = format!("FwoGZXIvYXdzE{}", "Zz9+".repeat(40));
    let learned = "late-registered-secret";
    results.redactor.register_str(learned);
    let echo = format!("Value '{jwt}' at 'logins'; X-Amz-Security-Token {session_token} {learned}");
    results.records.revise(|record| {
        record.error_message = Some(echo.as_str().into());
        record.reason = echo.as_str().into();
        true
    });
    let dir = tempfile::tempdir().unwrap();
    let written = write_reports(&results, &ReportPaths::in_dir(dir.path(), "pacific")).unwrap();
    assert_eq!(written.len(), 5);
    let mut outputs: Vec<(String, String)> = written
        .iter()
        .map(|path| {
            (
                path.display().to_string(),
                std::fs::read_to_string(path).unwrap(),
            )
        })
        .collect();
    let mut console = ConsoleReporter::new(ConsoleMode::Lines, Vec::new())
        .with_redactor(results.redactor.clone());
    let mut inconclusive = results.records.get(0).unwrap();
    inconclusive.verdict = Verdict::Inconclusive;
    inconclusive.outcome = xtenant::probe::Outcome::Inconclusive;
    console.handle(&RunEvent::ProbeFinished {
        record: Box::new(inconclusive),
    });
    outputs.push((
        "console".to_owned(),
        String::from_utf8(console.into_inner()).unwrap(),
    ));
    for (output, text) in &outputs {
        for secret in [jwt, session_token.as_str(), learned] {
            assert!(!text.contains(secret), "{output} shows a secret:\n{text}");
        }
        assert!(text.contains("***"), "{output} shows no mask:\n{text}");
    }
}

#[tokio::test(start_paused = true)]
async fn reports_are_written_under_the_scenario_name() {
    let results = synthetic_results().await;
    let dir = tempfile::tempdir().unwrap();
    let written = write_reports(&results, &ReportPaths::in_dir(dir.path(), "pacific")).unwrap();
    let names: Vec<String> = written
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "pacific.junit.xml",
            "pacific.evidence.json",
            "pacific.html",
            "pacific.md",
            "pacific.sarif"
        ]
    );
    for path in &written {
        assert!(std::fs::metadata(path).unwrap().len() > 0);
    }
}

/// The files stream to the disk as they are rendered; what lands there is exactly the
/// rendered document, scrubbed, for every format.
#[tokio::test(start_paused = true)]
async fn streamed_report_files_are_the_rendered_documents() {
    let results = synthetic_results().await;
    let dir = tempfile::tempdir().unwrap();
    let written = write_reports(&results, &ReportPaths::in_dir(dir.path(), "pacific")).unwrap();
    let rendered = [
        junit_xml(&results).unwrap(),
        evidence_json(&results).unwrap(),
        html_report(&results),
        markdown_summary(&results),
        xtenant::report::sarif_report(&results).unwrap(),
    ];
    assert_eq!(written.len(), rendered.len());
    for (path, document) in written.iter().zip(&rendered) {
        let on_disk = std::fs::read_to_string(path).unwrap();
        assert_eq!(
            on_disk,
            results.redactor.scrub(document),
            "{} differs from its rendered document",
            path.display()
        );
    }
    assert!(rendered[0].contains("<testsuites>"), "{}", rendered[0]);
}

#[tokio::test(start_paused = true)]
async fn html_and_markdown_snapshots_with_volatile_fields_masked() {
    let results = synthetic_results().await;
    let filters = vec![(
        r"Started \S+ · [0-9]+ ms",
        "Started [started_at] · [duration] ms",
    )];
    insta::with_settings!({filters => filters}, {
        insta::assert_snapshot!("html", html_report(&results));
        insta::assert_snapshot!("markdown", markdown_summary(&results));
    });
}

/// A held cross-tenant denial that rested on KMS rather than on the probed call's policy.
async fn results_with_a_kms_denial() -> RunResults {
    let mut results = synthetic_results().await;
    let revised = results.records.revise(|record| {
        if record.name.0 != "alice::globex/docs::write" {
            return false;
        }
        assert_eq!(record.verdict, Verdict::Denied, "a held deny");
        record.denied_action = Some("kms:Decrypt".into());
        record.denial_layer = Some(DenialLayer::Resource);
        record.denial_explicit = Some(true);
        true
    });
    assert_eq!(revised.len(), 1, "a held deny");
    results
}

#[tokio::test(start_paused = true)]
async fn every_report_shows_a_denial_of_another_action_distinctly() {
    let results = results_with_a_kms_denial().await;
    let summary = "denied by kms:Decrypt, not s3:GetObject (resource-based policy)";

    // JUnit: the case held, and neither JUnit schema lets a passing case carry details,
    // so it is a plain pass there; the evidence, HTML and Markdown below name the denial.
    let xml = junit_xml(&results).unwrap();
    let report = read_junit(&xml);
    let case = report.test_suites[0]
        .test_cases
        .iter()
        .find(|c| c.name.as_str() == "alice::globex/docs::write")
        .unwrap();
    assert!(matches!(case.status, TestCaseStatus::Success { .. }));
    assert!(detail(case, "denied-action").is_none());

    let html = html_report(&results);
    assert!(
        html.contains(&format!("<span class=\"other-denial\">{summary}</span>")),
        "{html}"
    );

    let md = markdown_summary(&results);
    assert!(md.contains("## Denials of another action"), "{md}");
    assert!(
        md.contains("`alice::globex/docs::write` | held | denied |"),
        "{md}"
    );

    let evidence = evidence_json(&results).unwrap();
    assert!(
        evidence.contains("\"denied_action\": \"kms:Decrypt\""),
        "{evidence}"
    );
    assert!(
        evidence.contains("\"denial_layer\": \"resource\""),
        "{evidence}"
    );

    // A denial of the probed call's own action is not singled out.
    let plain = synthetic_results().await;
    assert!(!markdown_summary(&plain).contains("Denials of another action"));
    assert!(!html_report(&plain).contains("other-denial\">"));
}

/// A `name: value` line of a failing case's element text, where the case's details are
/// (neither JUnit schema allows properties on a case).
fn detail(case: &TestCase, name: &str) -> Option<String> {
    let text = match &case.status {
        TestCaseStatus::NonSuccess { description, .. }
        | TestCaseStatus::Skipped { description, .. } => description.as_ref()?.as_str(),
        TestCaseStatus::Success { .. } => return None,
    };
    let prefix = format!("{name}: ");
    text.lines()
        .find_map(|line| line.strip_prefix(&prefix))
        .map(str::to_owned)
}
