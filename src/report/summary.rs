//! The Markdown summary: counts, every case that did not hold, the expected-role cases and
//! who each user was on AWS. Meant for pull-request comments and CI job summaries.

use super::failure_message::{
    one_line, outcome_label, probe_message, role_message, role_outcome_label, verdict_label,
};
use crate::probe::Outcome;
use crate::run::{RoleOutcome, RunResults, exit_code_for};
use std::fmt::Write;

/// Renders the Markdown summary of `results`.
pub fn markdown_summary(results: &RunResults) -> String {
    let counts = results.counts();
    let selection = results.selection();
    let mut md = String::new();
    let _ = writeln!(md, "# xtenant: {}\n", cell(&results.scenario));
    let _ = writeln!(
        md,
        "Started {} · {} ms · exit code {}{}{}\n",
        cell(&results.timing.started_at),
        results.timing.duration_ms,
        exit_code_for(results),
        if results.interrupted {
            " · **interrupted**"
        } else {
            ""
        },
        if selection.partial {
            format!(" · **{selection}**")
        } else {
            String::new()
        }
    );
    if let Some(run) = &results.run {
        let _ = writeln!(
            md,
            "{} · ended {}\n",
            cell(&run.header_line(&results.accounts())),
            cell(&results.timing.finished_at)
        );
    }
    md.push_str("| outcome | probes | expected-role cases |\n|---|---:|---:|\n");
    let _ = writeln!(md, "| held | {} | {} |", counts.held, counts.role_held);
    let _ = writeln!(md, "| breach | {} | – |", counts.breach);
    let _ = writeln!(md, "| unexpected deny | {} | – |", counts.unexpected_deny);
    let _ = writeln!(md, "| wrong role | – | {} |", counts.wrong_role);
    let _ = writeln!(
        md,
        "| inconclusive | {} | {} |",
        counts.inconclusive, counts.role_inconclusive
    );
    if counts.waived > 0 {
        let _ = writeln!(md, "| waived | {} | – |", counts.waived);
    }

    let failed_probes: Vec<_> = results
        .records
        .iter()
        .filter(|record| record.outcome != Outcome::Held)
        .collect();
    let failed_roles: Vec<_> = results
        .role_cases
        .iter()
        .filter(|case| case.outcome != RoleOutcome::Held)
        .collect();
    if failed_probes.is_empty() && failed_roles.is_empty() {
        if selection.partial {
            let _ = writeln!(
                md,
                "\nEvery selected expectation held ({selection}: the rest of the scenario was not tested)."
            );
        } else {
            md.push_str("\nEvery expectation held.\n");
        }
    } else {
        md.push_str("\n## Not held\n\n| case | outcome | details |\n|---|---|---|\n");
        for case in failed_roles {
            let _ = writeln!(
                md,
                "| `{}` | {} | {} |",
                code(&case.name),
                role_outcome_label(case.outcome),
                cell(&role_message(case))
            );
        }
        for record in failed_probes {
            let _ = writeln!(
                md,
                "| `{}` | {} | {} |",
                code(&record.name.0),
                super::waiver_report::outcome_with_waiver(record),
                cell(&probe_message(record))
            );
        }
    }

    // A denial naming another action than the probed call's is listed whatever its
    // outcome, so a deny that held only through, say, the KMS key policy is visible.
    let other_denials: Vec<_> = results
        .records
        .iter()
        .filter_map(|record| Some((record, record.other_denial_summary()?)))
        .collect();
    if !other_denials.is_empty() {
        md.push_str(
            "\n## Denials of another action\n\n| case | outcome | verdict | denial |\n|---|---|---|---|\n",
        );
        for (record, summary) in other_denials {
            let _ = writeln!(
                md,
                "| `{}` | {} | {} | {} |",
                code(&record.name.0),
                outcome_label(record.outcome),
                verdict_label(record.verdict),
                cell(&summary)
            );
        }
    }

    md.push_str(&super::waiver_report::markdown_waivers(results));

    // Attacks that are on but could not be planned: a gap in the evidence, never a pass.
    if !results.plan.not_exercised.is_empty() {
        md.push_str("\n## Not exercised\n\n");
        for gap in &results.plan.not_exercised {
            let _ = writeln!(md, "- {}", cell(gap));
        }
    }

    if !results.users.is_empty() {
        md.push_str("\n## Users\n\n| user | tenant | role | sign-in |\n|---|---|---|---|\n");
        for evidence in &results.users {
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} |",
                cell(&evidence.user),
                cell(&evidence.tenant),
                cell(
                    evidence
                        .caller_arn
                        .as_deref()
                        .or(evidence.role_arn.as_deref())
                        .unwrap_or("unknown")
                ),
                cell(evidence.error.as_deref().unwrap_or("ok"))
            );
        }
    }
    if !results.cleanup.failures.is_empty() {
        md.push_str("\n## Cleanup failures\n\n");
        for failure in &results.cleanup.failures {
            let _ = writeln!(md, "- {}", cell(failure));
        }
    }
    if let Some(audit) = &results.audit {
        md.push_str(&super::audit_report::markdown_audit(audit));
    }
    md
}

/// Text safe inside a table cell: one line, Markdown and HTML punctuation escaped.
pub(super) fn cell(raw: &str) -> String {
    let mut escaped = String::new();
    for ch in one_line(raw).chars() {
        match ch {
            '\\' | '|' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '~' => {
                escaped.push('\\');
                escaped.push(ch);
            }
            other => escaped.push(other),
        }
    }
    escaped
}

/// Text safe inside an inline code span: backticks and pipes cannot close it or the cell.
fn code(raw: &str) -> String {
    one_line(raw).replace('`', "'").replace('|', "\\|")
}
