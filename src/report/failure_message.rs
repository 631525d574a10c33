//! The one-line message of a test case that did not hold, shared by libtest, JUnit, the
//! Markdown summary and the console.

use crate::probe::{Outcome, ProbeRecord};
use crate::run::{RoleCase, RoleOutcome};

/// The outcome as reports spell it.
pub fn outcome_label(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Held => "held",
        Outcome::Breach => "breach",
        Outcome::UnexpectedDeny => "unexpected-deny",
        Outcome::Inconclusive => "inconclusive",
    }
}

pub fn role_outcome_label(outcome: RoleOutcome) -> &'static str {
    match outcome {
        RoleOutcome::Held => "held",
        RoleOutcome::WrongRole => "wrong-role",
        RoleOutcome::Inconclusive => "inconclusive",
    }
}

/// `breach: expected deny, verdict allowed; s3:GetObject HTTP 200; rule: cross-tenant default; the call succeeded`,
/// led by `waived until 2027-03-01 (SEC-1: reason); ` when a waiver covers the finding.
pub fn probe_message(record: &ProbeRecord) -> String {
    let mut call = record.api_call.to_string();
    if let Some(status) = record.http_status {
        call.push_str(&format!(" HTTP {status}"));
    }
    if let Some(code) = &record.error_code {
        call.push_str(&format!(" {code}"));
    }
    // A waiver that covers the finding leads, so no view shows the finding without it.
    let waiver = record
        .waiver
        .as_ref()
        .map(|waiver| format!("{}; ", waiver.line()))
        .unwrap_or_default();
    one_line(&format!(
        "{waiver}{}: expected {}, verdict {}; {call}; rule: {}; {}",
        outcome_label(record.outcome),
        expectation_label(record.expectation),
        verdict_label(record.verdict),
        record.source,
        record.reason
    ))
}

pub fn role_message(case: &RoleCase) -> String {
    one_line(&format!(
        "{}: expected role {}; {}",
        role_outcome_label(case.outcome),
        case.expected_role_arn,
        case.reason
    ))
}

pub fn verdict_label(verdict: crate::probe::Verdict) -> &'static str {
    match verdict {
        crate::probe::Verdict::Allowed => "allowed",
        crate::probe::Verdict::Denied => "denied",
        crate::probe::Verdict::Inconclusive => "inconclusive",
    }
}

pub fn expectation_label(expectation: crate::scenario::Expectation) -> &'static str {
    match expectation {
        crate::scenario::Expectation::Allow => "allow",
        crate::scenario::Expectation::Deny => "deny",
    }
}

/// Folds line breaks so a message stays on one line.
pub fn one_line(text: &str) -> String {
    text.split(['\r', '\n'])
        .filter(|part| !part.trim().is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}
