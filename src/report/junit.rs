//! The JUnit XML report (quick-junit): one test suite per user, one test case per probe
//! named as in the plan, and each user's expected-role case. Failures are typed `breach`,
//! `unexpected-deny` or `wrong-role`; inconclusive cases are errors. Properties carry the
//! evidence.

use super::failure_message::{
    expectation_label, outcome_label, probe_message, role_message, verdict_label,
};
use crate::identity::UserEvidence;
use crate::probe::{Outcome, ProbeRecord};
use crate::run::{RoleCase, RoleOutcome, RunResults};
use quick_junit::{NonSuccessKind, Property, Report, TestCase, TestCaseStatus, TestSuite};
use std::time::Duration;

/// Builds the JUnit report of `results`.
pub fn junit_report(results: &RunResults) -> Report {
    let mut report = Report::new(format!("xtenant {}", results.scenario));
    let selection = results.selection();
    report.set_time(Duration::from_millis(results.timing.duration_ms));
    for user in users_in_order(results) {
        let evidence = results.user_evidence(&user);
        let mut suite = TestSuite::new(user.clone());
        if let Some(evidence) = evidence {
            suite.add_properties(evidence_properties(evidence));
        }
        // A filtered run says so in every suite, so that no CI view reads it as the whole
        // scenario's verdict.
        if selection.partial {
            suite.add_property(Property::new("selection", selection.to_string()));
        }
        suite.add_properties(run_properties(results));
        for case in results.role_cases.iter().filter(|case| case.user == user) {
            suite.add_test_case(role_test_case(case));
        }
        for record in results.records.iter().filter(|record| record.user == user) {
            suite.add_test_case(probe_test_case(record, evidence));
        }
        report.add_test_suite(suite);
    }
    if let Some(audit) = &results.audit {
        report.add_test_suite(super::audit_report::junit_audit_suite(audit));
    }
    report
}

/// Users in scenario order (the evidence order), then any other user with a record or a
/// role case, in plan order. A user with neither makes no suite.
fn users_in_order(results: &RunResults) -> Vec<String> {
    let candidates = results
        .users
        .iter()
        .map(|evidence| evidence.user.as_str())
        .chain(results.role_cases.iter().map(|case| case.user.as_str()))
        .chain(results.records.iter().map(|record| record.user.as_str()));
    let mut users: Vec<String> = Vec::new();
    for user in candidates {
        let has_cases = results.records.iter().any(|r| r.user == user)
            || results.role_cases.iter().any(|c| c.user == user);
        if has_cases && !users.iter().any(|known| known == user) {
            users.push(user.to_owned());
        }
    }
    users
}

fn probe_test_case(record: &ProbeRecord, evidence: Option<&UserEvidence>) -> TestCase {
    let status = match record.outcome {
        Outcome::Held => TestCaseStatus::success(),
        Outcome::Breach => non_success(NonSuccessKind::Failure, "breach", probe_message(record)),
        Outcome::UnexpectedDeny => non_success(
            NonSuccessKind::Failure,
            "unexpected-deny",
            probe_message(record),
        ),
        Outcome::Inconclusive => {
            non_success(NonSuccessKind::Error, "inconclusive", probe_message(record))
        }
    };
    let mut case = TestCase::new(record.name.0.clone(), status);
    case.set_classname(record.user.clone());
    case.set_time(Duration::from_millis(record.duration_ms));
    let mut properties = vec![
        Property::new("outcome", outcome_label(record.outcome)),
        Property::new("expectation", expectation_label(record.expectation)),
        Property::new("verdict", verdict_label(record.verdict)),
        Property::new("rule", record.source.to_string()),
        Property::new("tenant", record.tenant.clone()),
        Property::new("resource", record.resource.clone()),
        Property::new("action", record.action.to_string()),
        Property::new("api-call", record.api_call.clone()),
        Property::new("method", record.method.clone()),
        Property::new("reason", record.reason.clone()),
    ];
    let optional = [
        (
            "request-shape",
            record.shape.as_ref().map(|shape| shape.slug().to_owned()),
        ),
        ("http-status", record.http_status.map(|s| s.to_string())),
        ("error-code", record.error_code.clone()),
        ("error-message", record.error_message.clone()),
        ("request-id", record.request_id.clone()),
        ("denied-action", record.denied_action.clone()),
        (
            "denial-layer",
            record.denial_layer.map(|layer| layer.phrase().to_owned()),
        ),
        (
            "denial-explicit",
            record.denial_explicit.map(|explicit| explicit.to_string()),
        ),
        ("denial-of-other-action", record.other_denial_summary()),
        (
            "role-arn",
            evidence.and_then(|e| e.role_arn.clone().or_else(|| e.caller_arn.clone())),
        ),
        ("identity-id", evidence.and_then(|e| e.identity_id.clone())),
        (
            "read-size-bytes",
            record
                .read_evidence
                .as_ref()
                .map(|r| r.size_bytes.to_string()),
        ),
        (
            "read-sha256-prefix",
            record
                .read_evidence
                .as_ref()
                .map(|r| r.sha256_prefix.clone()),
        ),
    ];
    properties.extend(
        optional
            .into_iter()
            .filter_map(|(name, value)| Some(Property::new(name, value?))),
    );
    case.add_properties(properties);
    case
}

fn role_test_case(case: &RoleCase) -> TestCase {
    let status = match case.outcome {
        RoleOutcome::Held => TestCaseStatus::success(),
        RoleOutcome::WrongRole => {
            non_success(NonSuccessKind::Failure, "wrong-role", role_message(case))
        }
        RoleOutcome::Inconclusive => {
            non_success(NonSuccessKind::Error, "inconclusive", role_message(case))
        }
    };
    let mut test_case = TestCase::new(case.name.clone(), status);
    test_case.set_classname(case.user.clone());
    test_case.add_property(Property::new(
        "expected-role-arn",
        case.expected_role_arn.clone(),
    ));
    if let Some(actual) = &case.actual_role {
        test_case.add_property(Property::new("actual-role", actual.clone()));
    }
    test_case.add_property(Property::new("reason", case.reason.clone()));
    test_case
}

/// What the run tested, on every suite: a CI view shows the target kind next to the cases.
fn run_properties(results: &RunResults) -> Vec<Property> {
    let Some(run) = &results.run else {
        return Vec::new();
    };
    let target = &run.target;
    let accounts = results.accounts().join(",");
    [
        ("target-kind", Some(target.kind.description().to_owned())),
        ("region", Some(target.region.clone())),
        (
            "ignored-environment-region",
            target.ignored_environment_region.clone(),
        ),
        ("account", (!accounts.is_empty()).then_some(accounts)),
        ("endpoint", target.endpoint_url.clone()),
        ("user-pool", Some(target.user_pool_id.clone())),
        ("app-client", Some(target.app_client_id.clone())),
        ("identity-pool", Some(target.identity_pool_id.clone())),
        ("scenario-sha256", run.scenario_file.sha256.clone()),
        (
            "world-sha256",
            run.world_file
                .as_ref()
                .and_then(|world| world.sha256.clone()),
        ),
        (
            "xtenant",
            Some(format!(
                "{} (commit {})",
                run.xtenant.version, run.xtenant.commit
            )),
        ),
        ("host", Some(run.host.clone())),
        ("started-at", Some(results.timing.started_at.clone())),
        ("finished-at", Some(results.timing.finished_at.clone())),
    ]
    .into_iter()
    .filter_map(|(name, value)| Some(Property::new(name, value?)))
    .collect()
}

fn evidence_properties(evidence: &UserEvidence) -> Vec<Property> {
    let fields = [
        ("tenant", Some(evidence.tenant.clone())),
        ("identity-id", evidence.identity_id.clone()),
        ("caller-arn", evidence.caller_arn.clone()),
        ("role-arn", evidence.role_arn.clone()),
        ("account", evidence.account.clone()),
        (
            "groups",
            (!evidence.groups.is_empty()).then(|| evidence.groups.join(",")),
        ),
        ("preferred-role", evidence.preferred_role.clone()),
        (
            "roles",
            (!evidence.roles.is_empty()).then(|| evidence.roles.join(",")),
        ),
        ("sign-in-error", evidence.error.clone()),
    ];
    fields
        .into_iter()
        .filter_map(|(name, value)| Some(Property::new(name, value?)))
        .collect()
}

fn non_success(kind: NonSuccessKind, ty: &str, message: String) -> TestCaseStatus {
    let mut status = TestCaseStatus::non_success(kind);
    status.set_type(ty);
    status.set_message(message);
    status
}
