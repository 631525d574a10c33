//! The tenant × tenant reach summary as the HTML and Markdown reports show it, and both
//! reports at 100,000 probes: the HTML keeps the summary, the per-user counts and every
//! failing probe while collapsing the passing ones, and the Markdown stays under GitHub's
//! 1 MiB job-summary limit, saying how many failures it left out.

use crate::large_run::LargeRun;
use crate::reports::synthetic_results;
use xtenant::probe::Verdict;
use xtenant::report::summary::JOB_SUMMARY_LIMIT;
use xtenant::report::{TenantReach, html_report, markdown_summary};

#[tokio::test(start_paused = true)]
async fn the_html_opens_on_the_tenant_summary_with_a_red_breach_cell_and_a_legend() {
    let results = synthetic_results().await;
    let html = html_report(&results);
    let summary = html.find("<section id=\"reach\">").expect("a summary");
    let matrix = html.find("<section id=\"matrix\">").expect("a matrix");
    assert!(summary < matrix, "the summary comes first");
    assert!(
        html.contains(
            "<td class=\"reach-cell breach\" data-caller=\"acme\" data-owner=\"globex\" \
             data-state=\"breach\" title=\"acme → globex: 2 probes: 1 allowed, 1 denied; 1 breach\">\
             <span class=\"glyph\">✗</span> <span class=\"word\">BREACH</span>"
        ),
        "{html}"
    );
    assert!(html.contains("data-caller=\"acme\" data-owner=\"acme\" data-state=\"held\""));
    assert!(
        html.contains("data-caller=\"globex\" data-owner=\"acme\" data-state=\"inconclusive\"")
    );
    assert_eq!(
        html.matches("class=\"reach-cell ").count(),
        4,
        "2 × 2 tenants"
    );
    // The legend explains every mark the matrix uses, with the same classes.
    for mark in [
        "✓ allow",
        "⊘ deny",
        "✗ BREACH",
        "⚠ denied",
        "? inconclusive",
        "· not run",
    ] {
        assert!(
            html.contains(&format!("\">{mark}</span>")),
            "{mark} not in the legend"
        );
    }
    // Allow and deny that both held read apart without colour.
    assert!(html.contains("<td class=\"cell held allow\" title=\"alice::acme/docs::read"));
    assert!(html.contains("<td class=\"cell held deny\" title=\"alice::globex/docs::write"));
    // Identity evidence next to each user.
    assert!(html.contains(
        "<td>USER_SRP_AUTH, enhanced flow</td><td><code>us-east-1:0000-alice</code></td>"
    ));
    assert!(html.contains("<meta name=\"viewport\""));
}

#[tokio::test(start_paused = true)]
async fn the_markdown_opens_on_the_tenant_summary_and_groups_failures_per_user() {
    let results = synthetic_results().await;
    let md = markdown_summary(&results);
    let summary = md.find("## Tenant × tenant reach").expect("a summary");
    assert!(summary < md.find("| outcome | probes |").unwrap());
    assert!(
        md.contains("| **acme** | ✓ held 2/2 | ✗ **breach** 1/2 |"),
        "{md}"
    );
    assert!(md.contains("<details open><summary><b>alice</b> (acme): 1 breach</summary>"));
    assert!(md.contains(
        "<details><summary><b>bob</b> (globex): 1 unexpected deny, 1 inconclusive, 1 wrong role</summary>"
    ));
    assert_eq!(
        md.matches("<details").count(),
        md.matches("</details>").count()
    );
}

#[test]
fn the_summary_of_a_large_run_has_one_cell_per_tenant_pair() {
    let run = LargeRun::hundred_thousand();
    let results = run.build();
    assert_eq!(results.records.len(), 100_000);
    let reach = TenantReach::of(&results);
    assert_eq!(reach.tenants().len(), 50);
    let breaches = results
        .records
        .iter()
        .filter(|record| record.outcome == xtenant::probe::Outcome::Breach)
        .count();
    let counted: usize = (0..50)
        .flat_map(|caller| (0..50).map(move |owner| (caller, owner)))
        .map(|(caller, owner)| reach.cell(caller, owner).breaches)
        .sum();
    assert_eq!(counted, breaches);
    assert!(breaches > 50, "the generator makes breaches: {breaches}");
    let own = reach.cell_of("tenant-00", "tenant-00").unwrap();
    assert_eq!(own.probes, 2 * 20);
}

#[test]
fn the_html_at_100k_probes_shows_every_failure_and_collapses_what_held() {
    let results = LargeRun::hundred_thousand().build();
    let html = html_report(&results);
    assert_eq!(html.matches("class=\"reach-cell ").count(), 50 * 50);
    assert!(
        html.contains("<table class=\"reach dense\">"),
        "compact cells at 50 tenants"
    );
    assert!(html.contains("(100000 cells), more than this report draws"));
    let failing: Vec<_> = results
        .records
        .iter()
        .filter(|record| record.outcome != xtenant::probe::Outcome::Held)
        .collect();
    assert!(html.contains(&format!(
        "<h2>Failing and inconclusive probes ({})</h2>",
        failing.len()
    )));
    for record in &failing {
        assert!(
            html.contains(&format!(
                "<td class=\"probe\"><code>{}</code></td>",
                record.name
            )),
            "{} not in full",
            record.name
        );
    }
    // Every passing probe is still named, collapsed in one block per user.
    assert_eq!(html.matches("<details class=\"passing\">").count(), 100);
    assert!(!html.contains("<details class=\"passing\" open"));
    assert!(html.contains("tenant-00-user-0::tenant-00/doc-00::read  allow/allowed"));
    // Per-user counts: every user's row.
    assert_eq!(html.matches("<tr id=\"user-").count(), 100);
    assert!(
        html.len() < 20 * 1024 * 1024,
        "{} bytes is too much to open quickly",
        html.len()
    );
}

#[test]
fn the_markdown_at_100k_failures_stays_under_one_mib_and_counts_what_it_left_out() {
    // The worst case: every probe of the run fails.
    let mut results = LargeRun::hundred_thousand().build();
    results.records.revise(|record| {
        record.verdict = Verdict::Inconclusive;
        record.outcome = xtenant::probe::Outcome::Inconclusive;
        true
    });
    let md = markdown_summary(&results);
    assert!(md.len() < JOB_SUMMARY_LIMIT, "{} bytes", md.len());
    let listed = md
        .lines()
        .filter(|line| line.starts_with("| `tenant-"))
        .count();
    assert!(listed > 1000, "the budget is used: {listed} rows");
    let left_out = 100_000 - listed;
    assert!(
        md.contains(&format!(
            "**{left_out} more failures, see the evidence/HTML**"
        )),
        "{}",
        &md[md.len() - 300..]
    );
    assert_eq!(
        md.matches("<details").count(),
        md.matches("</details>").count()
    );
    // The summary and the users still made it.
    assert!(md.starts_with("# xtenant: saas-at-scale"));
    assert_eq!(md.matches("| **tenant-").count(), 50);
    assert!(md.contains("## Users"));
}

#[test]
fn the_markdown_of_a_large_run_with_few_failures_lists_them_all() {
    let results = LargeRun::hundred_thousand().build();
    let md = markdown_summary(&results);
    let failing = results
        .records
        .iter()
        .filter(|record| record.outcome != xtenant::probe::Outcome::Held)
        .count();
    assert!(md.contains(&format!("## Not held ({failing})")));
    assert_eq!(
        md.lines()
            .filter(|line| line.starts_with("| `tenant-"))
            .count(),
        failing
    );
    assert!(!md.contains("more failures"));
    assert!(md.len() < JOB_SUMMARY_LIMIT);
}

/// Every report of a 100,000-probe run written to disk, one writer at a time, each timed
/// (`-- --nocapture` prints the figures the README quotes); each file reads back whole.
#[test]
fn every_report_of_100k_probes_streams_to_disk_and_reads_back() {
    use xtenant::report::{ReportPaths, write_reports};
    let results = LargeRun::hundred_thousand().build();
    let dir = tempfile::tempdir().unwrap();
    let all = ReportPaths::in_dir(dir.path(), "scale");
    let none = || ReportPaths {
        junit: None,
        evidence: None,
        html: None,
        markdown: None,
        sarif: None,
    };
    let writers = [
        (
            "junit",
            ReportPaths {
                junit: all.junit.clone(),
                ..none()
            },
        ),
        (
            "evidence",
            ReportPaths {
                evidence: all.evidence.clone(),
                ..none()
            },
        ),
        (
            "html",
            ReportPaths {
                html: all.html.clone(),
                ..none()
            },
        ),
        (
            "markdown",
            ReportPaths {
                markdown: all.markdown.clone(),
                ..none()
            },
        ),
        (
            "sarif",
            ReportPaths {
                sarif: all.sarif.clone(),
                ..none()
            },
        ),
    ];
    let started = std::time::Instant::now();
    for (format, paths) in &writers {
        let at = std::time::Instant::now();
        let written = write_reports(&results, paths).unwrap();
        let size = std::fs::metadata(&written[0]).unwrap().len();
        println!("{format}: {:.2?}, {size} bytes", at.elapsed());
    }
    println!("all reports: {:.2?}", started.elapsed());
    let evidence: serde_json::Value =
        serde_json::from_slice(&std::fs::read(all.evidence.as_ref().unwrap()).unwrap()).unwrap();
    assert_eq!(
        evidence["results"]["records"].as_array().unwrap().len(),
        100_000
    );
    let junit = std::fs::read_to_string(all.junit.as_ref().unwrap()).unwrap();
    assert_eq!(junit.matches("<testcase ").count(), 100_000);
    assert!(junit.trim_end().ends_with("</testsuites>"));
    let sarif: serde_json::Value =
        serde_json::from_slice(&std::fs::read(all.sarif.as_ref().unwrap()).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
}
