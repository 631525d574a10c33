//! The end of `xtenant run`'s console: every case that did not hold, again, grouped by
//! user and tenant (breaches first, then unexpected denies, wrong roles, inconclusive), with
//! its full reason, and the last line a CI log is read by:
//! `xtenant: 3 breaches, 0 unexpected denies, 0 inconclusive (330 held; 4.2s) — exit 1`.

use super::failure_message::{
    expectation_label, one_line, probe_message, role_message, verdict_label,
};
use crate::probe::{Outcome, ProbeRecord};
use crate::run::{OutcomeCounts, RoleCase, RoleOutcome, RunResults, SelectionSummary};
use indexmap::IndexMap;
use std::time::Duration;

/// The longest reason a per-case line carries; the summary repeats it in full.
const SHORT_REASON_CHARS: usize = 100;

/// `expected deny, verdict allowed; s3:GetObject HTTP 200; the call succeeded`, cut short.
pub fn short_reason(record: &ProbeRecord) -> String {
    let mut call = record.api_call.to_string();
    if let Some(status) = record.http_status {
        call.push_str(&format!(" HTTP {status}"));
    }
    if let Some(code) = &record.error_code {
        call.push_str(&format!(" {code}"));
    }
    let reason = one_line(&record.reason);
    let reason = match reason.char_indices().nth(SHORT_REASON_CHARS) {
        Some((cut, _)) => format!("{}…", &reason[..cut]),
        None => reason,
    };
    format!(
        "expected {}, verdict {}; {call}; {reason}",
        expectation_label(record.expectation),
        verdict_label(record.verdict)
    )
}

/// What the console's end says about a finished run.
#[derive(Debug, Clone, Copy)]
pub struct ConsoleSummary<'r> {
    pub results: &'r RunResults,
    /// The exit code the process ends with (unless writing this very summary fails).
    pub exit_code: i32,
    /// Wall time from the run's start to its reports written.
    pub elapsed: Duration,
}

impl ConsoleSummary<'_> {
    /// The grouped failures (none when everything held), then the last line.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = failure_groups(&self.results.records, &self.results.role_cases);
        let audit_failing = self
            .results
            .audit
            .as_ref()
            .map_or(0, |audit| audit.failing().count());
        lines.push(last_line(&LastLine {
            counts: self.results.counts(),
            audit_failing,
            selection: self.results.selection(),
            interrupted: self.results.interrupted,
            elapsed: self.elapsed,
            exit_code: self.exit_code,
        }));
        lines
    }
}

/// The figures of the last line.
#[derive(Debug, Clone, Copy)]
pub struct LastLine {
    pub counts: OutcomeCounts,
    pub audit_failing: usize,
    pub selection: SelectionSummary,
    pub interrupted: bool,
    pub elapsed: Duration,
    pub exit_code: i32,
}

/// `xtenant: 3 breaches, 0 unexpected denies, 0 inconclusive (330 held; 4.2s) — exit 1`,
/// with wrong roles, waived cases, failing audit findings, a partial selection and an
/// interruption named whenever present, so a green-looking line is never partial unseen.
pub fn last_line(figures: &LastLine) -> String {
    let counts = &figures.counts;
    let mut failures = vec![
        counted(counts.breach, "breach", "breaches"),
        counted(
            counts.unexpected_deny,
            "unexpected deny",
            "unexpected denies",
        ),
        format!(
            "{} inconclusive",
            counts.inconclusive + counts.role_inconclusive
        ),
    ];
    if counts.wrong_role > 0 {
        failures.push(counted(counts.wrong_role, "wrong role", "wrong roles"));
    }
    let mut held = format!("{} held", counts.held + counts.role_held);
    if counts.waived > 0 {
        held.push_str(&format!(", {} waived", counts.waived));
    }
    let mut notes = vec![held];
    if figures.audit_failing > 0 {
        notes.push(counted(
            figures.audit_failing,
            "failing audit finding",
            "failing audit findings",
        ));
    }
    if figures.selection.partial {
        notes.push(figures.selection.to_string());
    }
    if figures.interrupted {
        notes.push("interrupted".to_owned());
    }
    notes.push(format!("{:.1}s", figures.elapsed.as_secs_f64()));
    format!(
        "xtenant: {} ({}) — exit {}",
        failures.join(", "),
        notes.join("; "),
        figures.exit_code
    )
}

fn counted(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

/// One class of failure, in the order the summary tells them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum FailureClass {
    Breach,
    UnexpectedDeny,
    WrongRole,
    Inconclusive,
    /// Not a failure: listed last so a waived finding is never out of sight.
    Waived,
}

impl FailureClass {
    const IN_ORDER: [FailureClass; 5] = [
        FailureClass::Breach,
        FailureClass::UnexpectedDeny,
        FailureClass::WrongRole,
        FailureClass::Inconclusive,
        FailureClass::Waived,
    ];

    fn title(self) -> &'static str {
        match self {
            FailureClass::Breach => "breaches",
            FailureClass::UnexpectedDeny => "unexpected denies",
            FailureClass::WrongRole => "wrong roles",
            FailureClass::Inconclusive => "inconclusive",
            FailureClass::Waived => {
                "waived (known findings a scenario waiver accepts; not failures)"
            }
        }
    }

    fn of_probe(record: &ProbeRecord) -> Option<FailureClass> {
        if record.is_waived() {
            return Some(FailureClass::Waived);
        }
        match record.outcome {
            Outcome::Held => None,
            Outcome::Breach => Some(FailureClass::Breach),
            Outcome::UnexpectedDeny => Some(FailureClass::UnexpectedDeny),
            Outcome::Inconclusive => Some(FailureClass::Inconclusive),
        }
    }

    fn of_role(outcome: RoleOutcome) -> Option<FailureClass> {
        match outcome {
            RoleOutcome::Held => None,
            RoleOutcome::WrongRole => Some(FailureClass::WrongRole),
            RoleOutcome::Inconclusive => Some(FailureClass::Inconclusive),
        }
    }
}

/// The failures of one class under `user`, then `tenant` (or the expected-role case),
/// in plan order.
type Groups = IndexMap<String, IndexMap<String, Vec<String>>>;

fn failure_groups(
    records: impl IntoIterator<Item = ProbeRecord>,
    role_cases: &[RoleCase],
) -> Vec<String> {
    let mut classes: IndexMap<FailureClass, Groups> = FailureClass::IN_ORDER
        .iter()
        .map(|class| (*class, Groups::new()))
        .collect();
    for case in role_cases {
        if let Some(class) = FailureClass::of_role(case.outcome) {
            classes[&class]
                .entry(case.user.clone())
                .or_default()
                .entry("expected role".to_owned())
                .or_default()
                .push(format!("{}: {}", case.name, role_message(case)));
        }
    }
    for record in records {
        if let Some(class) = FailureClass::of_probe(&record) {
            classes[&class]
                .entry(record.user.to_string())
                .or_default()
                .entry(format!("tenant {}", record.tenant))
                .or_default()
                .push(format!("{}: {}", record.name, probe_message(&record)));
        }
    }
    let mut lines = Vec::new();
    for (class, users) in &classes {
        let count: usize = users
            .values()
            .flat_map(IndexMap::values)
            .map(Vec::len)
            .sum();
        if count == 0 {
            continue;
        }
        if lines.is_empty() {
            lines.push(String::new());
            lines.push("failures, by user and tenant:".to_owned());
        }
        lines.push(format!("{} ({count}):", class.title()));
        for (user, tenants) in users {
            for (tenant, cases) in tenants {
                lines.push(format!("  {user}, {tenant}:"));
                lines.extend(cases.iter().map(|case| format!("    {case}")));
            }
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures(counts: OutcomeCounts) -> LastLine {
        LastLine {
            counts,
            audit_failing: 0,
            selection: SelectionSummary::new(10, 10),
            interrupted: false,
            elapsed: Duration::from_millis(4_240),
            exit_code: 0,
        }
    }

    #[test]
    fn the_last_line_names_breaches_first_and_ends_with_the_exit_code() {
        let mut line = figures(OutcomeCounts {
            held: 7,
            breach: 3,
            role_held: 2,
            ..OutcomeCounts::default()
        });
        line.exit_code = 1;
        assert_eq!(
            last_line(&line),
            "xtenant: 3 breaches, 0 unexpected denies, 0 inconclusive (9 held; 4.2s) — exit 1"
        );
    }

    #[test]
    fn one_of_each_is_singular_and_role_inconclusive_counts_as_inconclusive() {
        let line = figures(OutcomeCounts {
            breach: 1,
            unexpected_deny: 1,
            inconclusive: 1,
            role_inconclusive: 1,
            wrong_role: 1,
            ..OutcomeCounts::default()
        });
        assert!(
            last_line(&line).starts_with(
                "xtenant: 1 breach, 1 unexpected deny, 2 inconclusive, 1 wrong role (0 held;"
            ),
            "{}",
            last_line(&line)
        );
    }

    #[test]
    fn waived_cases_audit_findings_partial_runs_and_interruptions_are_never_left_out() {
        let mut line = figures(OutcomeCounts {
            held: 40,
            waived: 2,
            ..OutcomeCounts::default()
        });
        line.audit_failing = 1;
        line.selection = SelectionSummary::new(42, 333);
        line.interrupted = true;
        line.exit_code = 1;
        assert_eq!(
            last_line(&line),
            "xtenant: 0 breaches, 0 unexpected denies, 0 inconclusive (40 held, 2 waived; \
             1 failing audit finding; partial: 42 of 333 probes selected; interrupted; 4.2s) \
             — exit 1"
        );
    }
}
