//! The Markdown summary: counts, the tenant × tenant reach summary, every case that did not
//! hold grouped per user, the expected-role cases and who each user was on AWS. Meant for
//! pull-request comments and CI job summaries, so it always fits GitHub's 1 MiB job-summary
//! limit: past its budget each section ends with a line saying how much it left out.

use super::failure_message::{
    one_line, outcome_label, probe_message, role_message, role_outcome_label, verdict_label,
};
use super::markdown_budget::MarkdownBudget;
use super::tenant_reach::{ReachState, TenantReach};
use crate::probe::{Outcome, ProbeRecord};
use crate::run::{OutcomeCounts, RoleCase, RoleOutcome, RunResults, exit_code_for};
use crate::scenario::SharedName;
use std::collections::HashMap;
use std::fmt::Write;

/// GitHub's limit for one step's job summary, 1 MiB; over it the runner drops the whole
/// summary ("upload aborted, supports content up to a size of 1024k")
/// (https://docs.github.com/en/actions/using-workflows/workflow-commands-for-github-actions#step-isolation-and-limits).
pub const JOB_SUMMARY_LIMIT: usize = 1024 * 1024;

/// What this report allows itself: the limit less room for the truncation lines and the
/// closing sections.
const BUDGET: usize = JOB_SUMMARY_LIMIT - 64 * 1024;

/// The share of the budget the tenant × tenant summary may take.
const REACH_BUDGET: usize = 256 * 1024;

/// The share the failures may take: the rest after the summary, less room for the users,
/// the other-action denials and the audit that follow.
const TAIL_RESERVE: usize = 192 * 1024;

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
    let mut md = MarkdownBudget::new(md, BUDGET);
    let reach_cap = md.len() + REACH_BUDGET;
    reach_summary(
        &mut md,
        &TenantReach::with_waivers(results, ProbeRecord::is_waived),
        reach_cap,
    );
    md.push("\n| outcome | probes | expected-role cases |\n|---|---:|---:|\n");
    md.push(&format!(
        "| held | {} | {} |\n",
        counts.held, counts.role_held
    ));
    md.push(&format!("| breach | {} | – |\n", counts.breach));
    md.push(&format!(
        "| unexpected deny | {} | – |\n",
        counts.unexpected_deny
    ));
    md.push(&format!("| wrong role | – | {} |\n", counts.wrong_role));
    md.push(&format!(
        "| inconclusive | {} | {} |\n",
        counts.inconclusive, counts.role_inconclusive
    ));
    if counts.waived > 0 {
        md.push(&format!("| waived | {} | – |\n", counts.waived));
    }
    not_held(&mut md, results, selection.partial.then_some(&selection));

    // A denial naming another action than the probed call's is listed whatever its
    // outcome, so a deny that held only through, say, the KMS key policy is visible.
    let other_denials: Vec<_> = results
        .records
        .iter()
        .filter_map(|record| {
            let summary = record.other_denial_summary()?;
            Some((record, summary))
        })
        .collect();
    if !other_denials.is_empty() {
        md.push(
            "\n## Denials of another action\n\n| case | outcome | verdict | denial |\n|---|---|---|---|\n",
        );
        let rows = other_denials.iter().map(|(record, summary)| {
            format!(
                "| `{}` | {} | {} | {} |\n",
                code(&record.name.0),
                outcome_label(record.outcome),
                verdict_label(record.verdict),
                cell(summary)
            )
        });
        md.lines_or_count(rows, BUDGET - TAIL_RESERVE / 2, "denials of another action");
    }

    md.push(&super::waiver_report::markdown_waivers(results));

    // Attacks that are on but could not be planned: a gap in the evidence, never a pass.
    if !results.plan.not_exercised.is_empty() {
        md.push("\n## Not exercised\n\n");
        let rows = (results.plan.not_exercised.iter()).map(|gap| format!("- {}\n", cell(gap)));
        md.lines_or_count(rows, BUDGET - TAIL_RESERVE / 4, "attacks not exercised");
    }

    if !results.users.is_empty() {
        md.push("\n## Users\n\n| user | tenant | role | sign-in |\n|---|---|---|---|\n");
        let rows = results.users.iter().map(|evidence| {
            format!(
                "| {} | {} | {} | {} |\n",
                cell(&evidence.user),
                cell(&evidence.tenant),
                cell(
                    evidence
                        .caller_arn
                        .as_deref()
                        .or(evidence.role_arn.as_deref())
                        .unwrap_or("unknown")
                ),
                cell(&sign_in(evidence))
            )
        });
        md.lines_or_count(rows, BUDGET - TAIL_RESERVE / 8, "users");
    }
    if !results.cleanup.failures.is_empty() {
        md.push("\n## Cleanup failures\n\n");
        let rows =
            (results.cleanup.failures.iter()).map(|failure| format!("- {}\n", cell(failure)));
        md.lines_or_count(rows, BUDGET, "cleanup failures");
    }
    if let Some(audit) = &results.audit {
        md.push_within(
            &super::audit_report::markdown_audit(audit),
            "the audit section",
        );
    }
    md.finish()
}

/// `ok (USER_SRP_AUTH, enhanced flow)`, or the sign-in error.
fn sign_in(evidence: &crate::identity::UserEvidence) -> String {
    match (&evidence.error, &evidence.sign_in_flow) {
        (Some(error), _) => error.clone(),
        (None, Some(flow)) => format!("ok ({flow})"),
        (None, None) => "ok".to_owned(),
    }
}

/// The tenant × tenant table: the caller's tenant in the row, the owner's in the column,
/// each cell a glyph, a word and the allowed/denied counts.
fn reach_summary(md: &mut MarkdownBudget, reach: &TenantReach, cap: usize) {
    let callers: Vec<usize> = reach.callers().collect();
    let owners: Vec<usize> = reach.owners().collect();
    let tenants = reach.tenants();
    md.push("## Tenant × tenant reach\n\n");
    if callers.is_empty() {
        md.push("No probe ran.\n");
        return;
    }
    md.push(
        "Who reached whose data: caller's tenant per row, data owner's per column; \
         ✗ breach and ◆ reached (another tenant's data allowed, as expected) are the red cells.\n\n",
    );
    let mut header = String::from("| caller ╲ owner |");
    let mut rule = String::from("|---|");
    for &owner in &owners {
        let _ = write!(header, " {} |", cell(&tenants[owner]));
        rule.push_str(":---:|");
    }
    md.push(&format!("{header}\n{rule}\n"));
    let rows = callers.iter().map(|&caller| {
        let mut row = format!("| **{}** |", cell(&tenants[caller]));
        for &owner in &owners {
            let reach_cell = reach.cell(caller, owner);
            let state = reach_cell.state();
            let word = match state {
                ReachState::Breach => "**breach**".to_owned(),
                ReachState::Reached => "**reached**".to_owned(),
                other => other.label().replace('-', " "),
            };
            if reach_cell.probes == 0 {
                let _ = write!(row, " {} {word} |", state.glyph());
            } else {
                let _ = write!(
                    row,
                    " {} {word} {}/{} |",
                    state.glyph(),
                    reach_cell.allowed,
                    reach_cell.probes
                );
            }
        }
        row.push('\n');
        row
    });
    md.lines_or_count(rows, cap, "caller tenants");
    md.push("\nCells read `allowed/probes`.\n");
}

/// Every case that did not hold, grouped per user in `<details>` (open for a user with a
/// breach), until the failures' share of the budget is spent; then one line says how many
/// more there are.
fn not_held(
    md: &mut MarkdownBudget,
    results: &RunResults,
    partial: Option<&crate::run::SelectionSummary>,
) {
    let mut order: Vec<SharedName> = Vec::new();
    let mut groups: HashMap<SharedName, UserFailures> = HashMap::new();
    for case in results
        .role_cases
        .iter()
        .filter(|case| case.outcome != RoleOutcome::Held)
    {
        groups
            .entry(SharedName::from(&case.user))
            .or_insert_with(|| {
                order.push(SharedName::from(&case.user));
                UserFailures::default()
            })
            .roles
            .push(case);
    }
    for (at, record) in results.records.iter().enumerate() {
        if record.outcome == Outcome::Held {
            continue;
        }
        let failures = groups.entry(record.user.clone()).or_insert_with(|| {
            order.push(record.user.clone());
            UserFailures::default()
        });
        failures.counts.add_probe(record.outcome);
        failures.probes.push(at);
    }
    if order.is_empty() {
        match partial {
            Some(selection) => md.push(&format!(
                "\nEvery selected expectation held ({selection}: the rest of the scenario was not tested).\n"
            )),
            None => md.push("\nEvery expectation held.\n"),
        }
        return;
    }
    // Users in scenario order, then any user only the records name.
    let rank: HashMap<&str, usize> = (results.users.iter().enumerate())
        .map(|(at, evidence)| (evidence.user.as_str(), at))
        .collect();
    order.sort_by_key(|user| rank.get(user.as_str()).copied().unwrap_or(usize::MAX));
    let total: usize = groups.values().map(UserFailures::len).sum();
    md.push(&format!("\n## Not held ({total})\n"));
    let cap = BUDGET - TAIL_RESERVE;
    let mut written = 0;
    let mut exhausted = false;
    for user in order {
        let failures = &groups[&user];
        let tenant = results
            .user_evidence(&user)
            .map_or("", |e| e.tenant.as_str());
        let opening = format!(
            "\n<details{}><summary><b>{}</b>{}: {}</summary>\n\n| case | outcome | details |\n|---|---|---|\n",
            if failures.counts.breach > 0 {
                " open"
            } else {
                ""
            },
            html_text(&user),
            if tenant.is_empty() {
                String::new()
            } else {
                format!(" ({})", html_text(tenant))
            },
            failures.phrase()
        );
        let closing = "\n</details>\n";
        if !md.fits(&opening, cap - closing.len()) {
            break;
        }
        md.push(&opening);
        let rows = failures.roles.iter().map(|case| {
            format!(
                "| `{}` | {} | {} |\n",
                code(&case.name),
                role_outcome_label(case.outcome),
                cell(&role_message(case))
            )
        });
        let probes = results.records.at_positions(&failures.probes);
        let rows = rows.chain(probes.map(|record| {
            format!(
                "| `{}` | {} | {} |\n",
                code(&record.name.0),
                super::waiver_report::outcome_with_waiver(&record),
                cell(&probe_message(&record))
            )
        }));
        for row in rows {
            if !md.fits(&row, cap - closing.len()) {
                exhausted = true;
                break;
            }
            md.push(&row);
            written += 1;
        }
        md.push(closing);
        if exhausted {
            break;
        }
    }
    if written < total {
        md.push(&format!(
            "\n**{} more failures, see the evidence/HTML** (this summary stays under GitHub's 1 MiB job-summary limit).\n",
            total - written
        ));
    }
}

/// One user's cases that did not hold.
#[derive(Default)]
struct UserFailures<'a> {
    roles: Vec<&'a RoleCase>,
    /// The positions of the user's records that did not hold.
    probes: Vec<usize>,
    counts: OutcomeCounts,
}

impl UserFailures<'_> {
    fn len(&self) -> usize {
        self.roles.len() + self.probes.len()
    }

    /// `1 breach, 2 inconclusive, 1 wrong role`.
    fn phrase(&self) -> String {
        let wrong_role = (self.roles.iter())
            .filter(|case| case.outcome == RoleOutcome::WrongRole)
            .count();
        let role_inconclusive = self.roles.len() - wrong_role;
        let parts: Vec<String> = [
            (self.counts.breach, "breach"),
            (self.counts.unexpected_deny, "unexpected deny"),
            (self.counts.inconclusive + role_inconclusive, "inconclusive"),
            (wrong_role, "wrong role"),
        ]
        .into_iter()
        .filter(|(count, _)| *count > 0)
        .map(|(count, word)| format!("{count} {word}"))
        .collect();
        parts.join(", ")
    }
}

/// Text inside the raw HTML of a `<summary>`: escaped as HTML, not as Markdown.
fn html_text(raw: &str) -> String {
    html_escape::encode_text(&one_line(raw)).into_owned()
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
