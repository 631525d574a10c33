//! The HTML matrix: users × (tenant/resource/action) cells coloured by outcome, then the
//! details of every probe, the users' evidence and the expected-role cases. One
//! self-contained file; every piece of text is escaped.

use super::failure_message::{
    expectation_label, outcome_label, probe_message, role_message, role_outcome_label,
    verdict_label,
};
use crate::probe::{Outcome, ProbeRecord};
use crate::run::{RoleOutcome, RunResults};
// Quotes are escaped in text too, so one function is safe in every position the report uses.
use html_escape::encode_double_quoted_attribute as escape;
use std::fmt::Write;

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2em;color:#222}\
table{border-collapse:collapse;margin:1em 0}\
th,td{border:1px solid #bbb;padding:4px 8px;font-size:13px;text-align:left}\
th.col{writing-mode:vertical-rl;white-space:nowrap}\
td.cell{text-align:center;font-weight:bold}\
.held{background:#c8efc8}.breach{background:#ff6b6b;color:#fff}\
.unexpected-deny{background:#ffd27f}.inconclusive{background:#d5d5d5}\
.wrong-role{background:#ffd27f}.not-run{background:#fff;color:#999}\
.other-denial{font-style:italic;color:#8a4b00}\
code{font-size:12px}";

/// Renders the HTML report of `results`.
pub fn html_report(results: &RunResults) -> String {
    let mut html = String::new();
    let title = format!("xtenant: {}", results.scenario);
    let counts = results.counts();
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        escape(&title),
        escape(&title)
    );
    let _ = writeln!(
        html,
        "<p>Started {} · {} ms · {} · {}{}{}</p>",
        escape(&results.timing.started_at),
        results.timing.duration_ms,
        counts.probes_phrase(),
        counts.roles_phrase(),
        if results.interrupted {
            " · <strong>interrupted</strong>"
        } else {
            ""
        },
        partial_note(results)
    );
    if let Some(run) = &results.run {
        let _ = writeln!(
            html,
            "<p class=\"target\">{} · ended {}</p>",
            escape(&run.header_line(&results.accounts())),
            escape(&results.timing.finished_at)
        );
    }
    matrix(&mut html, results);
    details(&mut html, results);
    users(&mut html, results);
    html.push_str(&super::waiver_report::html_waivers(results));
    if let Some(audit) = &results.audit {
        html.push_str(&super::audit_report::html_audit(audit));
    }
    html.push_str("</body>\n</html>\n");
    html
}

fn outcome_class(outcome: Outcome) -> &'static str {
    outcome_label(outcome)
}

/// Columns in plan order of first appearance, rows in plan order of first appearance.
fn matrix(html: &mut String, results: &RunResults) {
    let mut columns: Vec<String> = Vec::new();
    let mut rows: Vec<&str> = Vec::new();
    for probe in &results.plan.probes {
        let column = column_of(probe);
        if !columns.contains(&column) {
            columns.push(column);
        }
        if !rows.contains(&probe.user.as_str()) {
            rows.push(&probe.user);
        }
    }
    html.push_str("<h2>Matrix</h2>\n<table class=\"matrix\">\n<tr><th>user</th>");
    for column in &columns {
        let _ = write!(html, "<th class=\"col\">{}</th>", escape(column));
    }
    html.push_str("</tr>\n");
    for user in rows {
        let _ = write!(html, "<tr><th>{}</th>", escape(user));
        for column in &columns {
            let planned = results
                .plan
                .probes
                .iter()
                .find(|probe| probe.user == user && column_of(probe) == *column);
            let record = planned.and_then(|planned| {
                results
                    .records
                    .iter()
                    .find(|record| record.name == planned.name)
            });
            match (planned, record) {
                (_, Some(record)) => {
                    let _ = write!(
                        html,
                        "<td class=\"cell {}\" title=\"{}\">{}</td>",
                        outcome_class(record.outcome),
                        escape(&format!("{}: {}", record.name, probe_message(record))),
                        cell_symbol(record)
                    );
                }
                (Some(planned), None) => {
                    let _ = write!(
                        html,
                        "<td class=\"cell not-run\" title=\"{}\">·</td>",
                        escape(&format!("{}: not run", planned.name))
                    );
                }
                (None, None) => html.push_str("<td></td>"),
            }
        }
        html.push_str("</tr>\n");
    }
    html.push_str("</table>\n");
}

/// The matrix column of a probe: `tenant/resource/action`, then `/{shape}` for a request
/// shape case (so a breaching sibling API is never hidden behind its held primary probe);
/// for an attack case `attack/{kind}/{target}`, so every role or victim an attack tries has
/// its own column.
fn column_of(probe: &crate::scenario::PlannedProbe) -> String {
    match (&probe.target, &probe.shape) {
        (crate::scenario::ResourceTarget::Identity { attack }, _) => {
            format!("attack/{}/{}", attack.kind, attack.label())
        }
        (_, Some(shape)) => format!(
            "{}/{}/{}/{shape}",
            probe.tenant, probe.resource, probe.action
        ),
        (_, None) => format!("{}/{}/{}", probe.tenant, probe.resource, probe.action),
    }
}

/// A short mark in the cell: what was expected and whether it held.
fn cell_symbol(record: &ProbeRecord) -> &'static str {
    match record.outcome {
        _ if record.is_waived() => "waived",
        Outcome::Held => match record.expectation {
            crate::scenario::Expectation::Allow => "allow ✓",
            crate::scenario::Expectation::Deny => "deny ✓",
        },
        Outcome::Breach => "BREACH",
        Outcome::UnexpectedDeny => "denied ✗",
        Outcome::Inconclusive => "?",
    }
}

fn details(html: &mut String, results: &RunResults) {
    html.push_str(
        "<h2>Probes</h2>\n<table class=\"probes\">\n<tr><th>probe</th><th>outcome</th>\
         <th>expected</th><th>verdict</th><th>call</th><th>method</th><th>HTTP</th>\
         <th>error code</th><th>request id</th><th>rule</th><th>reason</th></tr>\n",
    );
    for record in &results.records {
        let _ = writeln!(
            html,
            "<tr class=\"{}\"><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td>\
             <td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            outcome_class(record.outcome),
            escape(&record.name.0),
            escape(&super::waiver_report::outcome_with_waiver(record)),
            expectation_label(record.expectation),
            verdict_cell(record),
            escape(&record.api_call),
            escape(&record.method),
            record
                .http_status
                .map(|status| status.to_string())
                .unwrap_or_default(),
            escape(record.error_code.as_deref().unwrap_or("")),
            escape(record.request_id.as_deref().unwrap_or("")),
            escape(&record.source.to_string()),
            escape(&record.reason),
        );
    }
    html.push_str("</table>\n");
}

/// The verdict, with a denial of another action than the probed call's spelled out next
/// to it ("denied by kms:Decrypt, not s3:GetObject").
fn verdict_cell(record: &ProbeRecord) -> String {
    let verdict = verdict_label(record.verdict);
    match record.other_denial_summary() {
        Some(summary) => format!(
            "{verdict}<br><span class=\"other-denial\">{}</span>",
            escape(&summary)
        ),
        None => verdict.to_owned(),
    }
}

fn users(html: &mut String, results: &RunResults) {
    html.push_str(
        "<h2>Users</h2>\n<table class=\"users\">\n<tr><th>user</th><th>tenant</th>\
         <th>identity id</th><th>role</th><th>groups</th><th>expected role</th><th>sign-in error</th></tr>\n",
    );
    for evidence in &results.users {
        let case = results
            .role_cases
            .iter()
            .find(|case| case.user == evidence.user);
        let (class, expected) = match case {
            Some(case) => (
                role_outcome_label(case.outcome),
                format!(
                    "{} ({})",
                    role_outcome_label(case.outcome),
                    match case.outcome {
                        RoleOutcome::Held => case.expected_role_arn.clone(),
                        RoleOutcome::WrongRole | RoleOutcome::Inconclusive => role_message(case),
                    }
                ),
            ),
            None => ("", String::new()),
        };
        let _ = writeln!(
            html,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>\
             <td class=\"{}\">{}</td><td>{}</td></tr>",
            escape(&evidence.user),
            escape(&evidence.tenant),
            escape(evidence.identity_id.as_deref().unwrap_or("")),
            escape(
                evidence
                    .caller_arn
                    .as_deref()
                    .or(evidence.role_arn.as_deref())
                    .unwrap_or("")
            ),
            escape(&evidence.groups.join(", ")),
            class,
            escape(&expected),
            escape(evidence.error.as_deref().unwrap_or("")),
        );
    }
    html.push_str("</table>\n");
}

/// ` · partial: N of M probes selected` for a filtered run, so that the page is never read
/// as the whole scenario's verdict; nothing for a full run.
fn partial_note(results: &RunResults) -> String {
    let selection = results.selection();
    if selection.partial {
        format!(" · <strong>{}</strong>", escape(&selection.to_string()))
    } else {
        String::new()
    }
}
