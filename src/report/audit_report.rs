//! The audit beside the probes in every report: a JUnit suite `audit` (one case per
//! finding, failing when the finding fails the run), a Markdown section and an HTML table,
//! each finding with the cases that confirm or refute it.

use super::summary::cell;
use crate::audit::{AuditSection, Confirmation, JoinedFinding};
use html_escape::encode_double_quoted_attribute as escape;
use quick_junit::{NonSuccessKind, Property, TestCase, TestCaseStatus, TestSuite};
use std::fmt::Write;

/// The JUnit suite `audit`: `{code}::{subject}` cases, failures typed `audit-finding`.
pub fn junit_audit_suite(audit: &AuditSection) -> TestSuite {
    let mut suite = TestSuite::new("audit");
    for warning in &audit.warnings {
        suite.add_property(Property::new("unread", warning.line()));
    }
    if let Some(skipped) = &audit.skipped {
        suite.add_property(Property::new("skipped", skipped.as_str()));
    }
    for joined in &audit.findings {
        let finding = &joined.finding;
        let fails = audit.failing().any(|failing| failing == joined);
        let status = if fails {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            status.set_type("audit-finding");
            status.set_message(joined.line());
            status
        } else {
            TestCaseStatus::success()
        };
        let mut case = TestCase::new(format!("{}::{}", finding.code, finding.subject), status);
        case.add_properties([
            Property::new("severity", finding.severity.as_str()),
            Property::new("confirmation", joined.confirmation.as_str()),
            Property::new("detail", finding.detail.as_str()),
            Property::new("fix", finding.code.fix()),
            Property::new("reference", finding.code.reference()),
            Property::new("exercised_by", exercised(joined)),
        ]);
        suite.add_test_case(case);
    }
    suite
}

fn exercised(joined: &JoinedFinding) -> String {
    if joined.confirmation == Confirmation::NotExercised {
        return format!(
            "not exercised: add {}",
            joined.hint.as_deref().unwrap_or_default()
        );
    }
    joined
        .exercised_by
        .iter()
        .map(|exercise| format!("{} ({:?})", exercise.case, exercise.outcome))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The Markdown section `## Audit`.
pub fn markdown_audit(audit: &AuditSection) -> String {
    let mut md = String::from("\n## Audit\n\n");
    if let Some(skipped) = &audit.skipped {
        let _ = writeln!(md, "{}\n", cell(skipped));
    }
    for warning in &audit.warnings {
        let _ = writeln!(md, "- warning: {}", cell(&warning.line()));
    }
    if audit.findings.is_empty() {
        let _ = writeln!(md, "No finding ({} ms).", audit.duration_ms);
        return md;
    }
    md.push_str("| code | severity | finding | live cases |\n|---|---|---|---|\n");
    for joined in &audit.findings {
        let finding = &joined.finding;
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} |",
            finding.code,
            finding.severity,
            cell(&format!("{}: {}", finding.code.title(), finding.detail)),
            cell(&format!(
                "{}: {}",
                joined.confirmation.as_str(),
                exercised(joined)
            ))
        );
    }
    md
}

/// The HTML section: a table of findings.
pub fn html_audit(audit: &AuditSection) -> String {
    let mut html = String::from("<h2>Audit</h2>\n");
    if let Some(skipped) = &audit.skipped {
        let _ = writeln!(html, "<p>{}</p>", escape(skipped));
    }
    for warning in &audit.warnings {
        let _ = writeln!(html, "<p>warning: {}</p>", escape(&warning.line()));
    }
    html.push_str(
        "<table>\n<tr><th>code</th><th>severity</th><th>finding</th><th>fix</th><th>live cases</th></tr>\n",
    );
    for joined in &audit.findings {
        let finding = &joined.finding;
        let _ = writeln!(
            html,
            "<tr><td><a href=\"{}\">{}</a></td><td>{}</td><td>{}: {}</td><td>{}</td><td>{}: {}</td></tr>",
            escape(finding.code.reference()),
            finding.code,
            finding.severity,
            escape(finding.code.title()),
            escape(&finding.detail),
            escape(finding.code.fix()),
            joined.confirmation.as_str(),
            escape(&exercised(joined))
        );
    }
    html.push_str("</table>\n");
    html
}
