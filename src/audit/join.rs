//! The join: each finding with the probe and attack cases of a run that exercise it, and
//! what they showed: confirmed (a breach), refuted (every case held), inconclusive, or not
//! exercised (with the scenario setting that would exercise it).

use super::code::FindingCode;
use super::finding::Finding;
use crate::attack::{GUEST_USER, role_name};
use crate::probe::{Outcome, ProbeRecord};
use crate::run::RunResults;
use serde::Serialize;

/// What the live cases say about a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Confirmation {
    /// A case exercising it was a breach.
    Confirmed,
    /// Every case exercising it held.
    Refuted,
    /// No breach, and some case was inconclusive.
    Inconclusive,
    /// No case of the run exercises it.
    NotExercised,
}

impl Confirmation {
    pub fn as_str(self) -> &'static str {
        match self {
            Confirmation::Confirmed => "confirmed",
            Confirmation::Refuted => "refuted",
            Confirmation::Inconclusive => "inconclusive",
            Confirmation::NotExercised => "not exercised",
        }
    }
}

/// One case that exercises a finding, and its outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exercise {
    pub case: String,
    pub outcome: Outcome,
}

/// A finding with its live evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JoinedFinding {
    #[serde(flatten)]
    pub finding: Finding,
    pub confirmation: Confirmation,
    /// In plan order.
    pub exercised_by: Vec<Exercise>,
    /// For a finding no case exercises: what would.
    pub hint: Option<String>,
}

impl JoinedFinding {
    /// `XA003 high role X: … — confirmed by `a::attack::foreign-token::X` (breach)`.
    pub fn line(&self) -> String {
        let finding = &self.finding;
        let evidence = match self.confirmation {
            Confirmation::NotExercised => format!(
                "not exercised: add {}",
                self.hint.as_deref().unwrap_or("a case that exercises it")
            ),
            confirmation => {
                let shown = self
                    .exercised_by
                    .iter()
                    .filter(|e| match confirmation {
                        Confirmation::Confirmed => e.outcome == Outcome::Breach,
                        Confirmation::Inconclusive => e.outcome == Outcome::Inconclusive,
                        _ => true,
                    })
                    .map(|e| format!("`{}`", e.case))
                    .take(3)
                    .collect::<Vec<_>>();
                let more = self.exercised_by.len().saturating_sub(shown.len());
                let more = if more > 0 {
                    format!(" (+{more} more cases)")
                } else {
                    String::new()
                };
                format!("{} by {}{more}", confirmation.as_str(), shown.join(", "))
            }
        };
        format!(
            "{} {} {}: {} — {}",
            finding.code,
            finding.severity,
            finding.code.title(),
            finding.detail,
            evidence
        )
    }
}

/// Joins every finding with the cases of `results`.
pub fn join_findings(findings: &[Finding], results: &RunResults) -> Vec<JoinedFinding> {
    findings
        .iter()
        .map(|finding| {
            let exercised_by: Vec<Exercise> = results
                .records
                .iter()
                .filter(|record| exercises(finding, record, results))
                .map(|record| Exercise {
                    case: record.name.0.clone(),
                    outcome: record.outcome,
                })
                .collect();
            let confirmation = if exercised_by.is_empty() {
                Confirmation::NotExercised
            } else if exercised_by.iter().any(|e| e.outcome == Outcome::Breach) {
                Confirmation::Confirmed
            } else if exercised_by.iter().all(|e| e.outcome == Outcome::Held) {
                Confirmation::Refuted
            } else {
                Confirmation::Inconclusive
            };
            JoinedFinding {
                finding: finding.clone(),
                confirmation,
                hint: (confirmation == Confirmation::NotExercised)
                    .then(|| finding.code.exercised_by().1.to_owned()),
                exercised_by,
            }
        })
        .collect()
}

/// Whether `record` is a case that exercises `finding`.
fn exercises(finding: &Finding, record: &ProbeRecord, results: &RunResults) -> bool {
    let name = record.name.0.as_str();
    let (kinds, _) = finding.code.exercised_by();
    let attack_kind = name
        .split("::attack::")
        .nth(1)
        .and_then(|rest| rest.split("::").next());
    let of_kind = attack_kind.is_some_and(|kind| kinds.contains(&kind));
    match finding.code {
        FindingCode::GuestAccess => of_kind || record.user.ends_with(GUEST_USER) && attack_kind.is_none(),
        // A trust finding is about one role: the attack cases that target it.
        FindingCode::TrustWithoutAud | FindingCode::TrustWithoutAmr => {
            of_kind && name.rsplit("::").next() == Some(role_name(&finding.subject))
        }
        FindingCode::LeadingKeysForAnyValue
        | FindingCode::PrefixIfExists
        | FindingCode::UnguardedForAllValues
        | FindingCode::DataActionOnEveryResource => {
            let service = match finding.code {
                FindingCode::LeadingKeysForAnyValue => Some("dynamodb:"),
                FindingCode::PrefixIfExists => Some("s3:"),
                _ => None,
            };
            let users_role = results
                .user_evidence(&record.user)
                .and_then(|evidence| evidence.role_arn.as_deref());
            attack_kind.is_none()
                && record.expectation == crate::scenario::Expectation::Deny
                && users_role == Some(finding.subject.as_str())
                && service.is_none_or(|service| record.api_call.starts_with(service))
        }
        _ => of_kind,
    }
}
