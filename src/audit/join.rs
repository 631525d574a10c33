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
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema,
)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct Exercise {
    pub case: String,
    pub outcome: Outcome,
}

/// A finding with its live evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
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
                    case: record.name.to_string(),
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
        FindingCode::GuestAccess => {
            of_kind || record.user.ends_with(GUEST_USER) && attack_kind.is_none()
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::Verdict;
    use crate::scenario::{
        Action, Expectation, ExpectationSource, PlannedProbe, ProbeName, ResourceTarget,
    };

    fn record(name: &str, outcome: Outcome) -> ProbeRecord {
        let probe = PlannedProbe {
            name: ProbeName::from(name.to_owned()),
            user: name.split("::").next().unwrap().to_owned().into(),
            tenant: "acme".to_owned().into(),
            resource: "r".to_owned().into(),
            target: ResourceTarget::Secret {
                secret_id: "s".to_owned(),
            }
            .into(),
            action: Action::Read,
            expectation: Expectation::Deny,
            source: ExpectationSource::CrossTenantDefault.into(),
            shape: None,
        };
        let mut record = crate::run::unsent_record(&probe, "r".to_owned(), 1);
        record.outcome = outcome;
        record.verdict = match outcome {
            Outcome::Breach => Verdict::Allowed,
            _ => Verdict::Denied,
        };
        record
    }

    fn results(records: Vec<ProbeRecord>) -> RunResults {
        RunResults {
            scenario: "s".to_owned(),
            plan: std::sync::Arc::new(crate::scenario::Plan {
                probes: Vec::new(),
                not_exercised: Vec::new(),
                waivers: Vec::new(),
                lines: Default::default(),
                share: None,
            }),
            records: records.into(),
            users: Vec::new(),
            role_cases: Vec::new(),
            cleanup: Default::default(),
            timing: crate::run::RunTiming {
                started_at: "t".to_owned(),
                finished_at: "t".to_owned(),
                duration_ms: 0,
            },
            interrupted: false,
            run: None,
            audit: None,
            waivers: Default::default(),
            redactor: Default::default(),
        }
    }

    #[test]
    fn a_finding_is_confirmed_by_a_breach_refuted_when_all_held_else_not_exercised() {
        let classic = Finding::new(FindingCode::ClassicFlow, "pool", "on");
        let trust = Finding::new(
            FindingCode::TrustWithoutAud,
            "arn:aws:iam::111122223333:role/app/Editor",
            "no aud",
        );
        let run = results(vec![
            record("bob::attack::basic-flow::Editor", Outcome::Breach),
            record("bob::attack::basic-flow::Admin", Outcome::Held),
            record("bob::attack::foreign-token::Admin", Outcome::Held),
            record("bob::acme/r::read", Outcome::Held),
        ]);
        let joined = join_findings(&[classic.clone(), trust.clone()], &run);
        assert_eq!(joined[0].confirmation, Confirmation::Confirmed);
        assert_eq!(joined[0].exercised_by.len(), 2);
        assert!(
            joined[0]
                .line()
                .ends_with("confirmed by `bob::attack::basic-flow::Editor` (+1 more cases)"),
            "{}",
            joined[0].line()
        );
        // The foreign-token case targets another role: the Editor's trust is not exercised.
        assert_eq!(joined[1].confirmation, Confirmation::NotExercised);
        assert!(
            joined[1]
                .line()
                .ends_with("not exercised: add `attacks.foreign_pool`")
        );

        let held = results(vec![record(
            "bob::attack::basic-flow::Admin",
            Outcome::Held,
        )]);
        assert_eq!(
            join_findings(std::slice::from_ref(&classic), &held)[0].confirmation,
            Confirmation::Refuted
        );
        let unsure = results(vec![record(
            "bob::attack::foreign-token::Editor",
            Outcome::Inconclusive,
        )]);
        assert_eq!(
            join_findings(&[trust], &unsure)[0].confirmation,
            Confirmation::Inconclusive
        );
    }

    #[test]
    fn a_high_finding_fails_the_run_as_a_breach_even_unconfirmed() {
        let mut run = results(vec![record("bob::acme/r::read", Outcome::Held)]);
        assert_eq!(crate::run::exit_code_for(&run), crate::exit_code::SUCCESS);
        let mut low = Finding::new(FindingCode::NoServerSideTokenCheck, "p", "off");
        low.severity = crate::audit::Severity::Low;
        let outcome = crate::audit::AuditOutcome {
            findings: vec![low],
            ..Default::default()
        };
        run.audit = Some(crate::audit::AuditSection::new(&outcome, &run));
        assert_eq!(crate::run::exit_code_for(&run), crate::exit_code::SUCCESS);
        let outcome = crate::audit::AuditOutcome {
            findings: vec![Finding::new(FindingCode::ClassicFlow, "pool", "on")],
            ..Default::default()
        };
        run.audit = Some(crate::audit::AuditSection::new(&outcome, &run));
        assert_eq!(
            run.audit.as_ref().unwrap().findings[0].confirmation,
            Confirmation::NotExercised
        );
        assert_eq!(crate::run::exit_code_for(&run), crate::exit_code::BREACH);
    }
}
