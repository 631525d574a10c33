//! The JUnit XML report (quick-junit): one test suite per user, one test case per probe
//! named as in the plan, and each user's expected-role case. Failures are typed `breach`,
//! `unexpected-deny` or `wrong-role`; inconclusive cases are errors; a finding a scenario
//! waiver accepts is skipped, typed `waived`, with the waiver as its message.
//!
//! The document follows the Jenkins (xunit `junit-10.xsd`) and Ant (`JUnit.xsd`) schemas:
//! each suite has its `<properties>` first (the run's evidence: target kind, region,
//! account, endpoint, pools, scenario SHA-256, build), then its cases, then `<system-out>`
//! and `<system-err>`; `time` on every suite and case; `timestamp` without a zone and
//! `hostname`, `id` and `package` on every suite. Neither schema allows properties on a
//! case, so a case's details are the element text of its `<failure>`, `<error>` or
//! `<skipped>` (the only text GitLab shows). The one addition is `file=` and `line=` on each
//! case, the scenario file as given and the line of the case's rule, which GitHub's JUnit
//! annotators read to land on the matrix file.

use super::failure_message::{
    expectation_label, outcome_label, probe_message, role_message, verdict_label,
};
use crate::identity::UserEvidence;
use crate::probe::{Outcome, ProbeRecord};
use crate::run::{RoleCase, RoleOutcome, RunResults};
use crate::scenario::{LineColumn, SharedName};
use quick_junit::{NonSuccessKind, Property, Report, TestCase, TestCaseStatus, TestSuite};
use std::collections::{HashMap, HashSet};
use std::time::Duration;

/// The JUnit document of `results` as written to `<scenario>.junit.xml`. The root
/// `<testsuites>` carries no attribute: Ant's schema declares none there (Jenkins' makes
/// them all optional), and every CI reader totals the suites itself; quick-junit's own
/// totals on the root are dropped.
pub fn junit_xml(results: &RunResults) -> Result<String, quick_junit::SerializeError> {
    Ok(bare_root(&junit_report(results).to_string()?))
}

/// [`junit_xml`]'s document into `out`, one suite at a time: each user's suite is built,
/// serialized by quick-junit on its own and written before the next is built, so writing
/// the report of a 100,000-probe run never holds more than one user's cases. The bytes are
/// those of the whole document serialized at once (the tests compare the two).
pub fn write_junit(
    results: &RunResults,
    mut out: impl std::io::Write,
) -> Result<(), quick_junit::SerializeError> {
    let mut closing: Option<String> = None;
    each_suite(results, |suite| {
        let mut single = Report::new(format!("xtenant {}", results.scenario));
        single.add_test_suite(suite);
        let text = single.to_string()?;
        let (head, suites, end) = split_root(&text).ok_or_else(|| {
            std::io::Error::other("quick-junit wrote a document without a <testsuites> root")
        })?;
        if closing.is_none() {
            out.write_all(bare_root(head).as_bytes())?;
            closing = Some(end.to_owned());
        }
        out.write_all(suites.as_bytes())?;
        Ok::<(), quick_junit::SerializeError>(())
    })?;
    match closing {
        Some(end) => out.write_all(end.as_bytes())?,
        // No suite at all: the empty document, as quick-junit writes it.
        None => out.write_all(junit_xml(results)?.as_bytes())?,
    }
    Ok(out.flush()?)
}

/// A document's text up to and with the root `<testsuites ...>` line, its suites, and the
/// closing `</testsuites>` with what follows it.
fn split_root(xml: &str) -> Option<(&str, &str, &str)> {
    let start = xml.find("<testsuites")?;
    let mut head_end = start + xml[start..].find('>')? + 1;
    if xml[head_end..].starts_with('\n') {
        head_end += 1;
    }
    let close = xml.rfind("</testsuites>")?;
    (close >= head_end).then(|| (&xml[..head_end], &xml[head_end..close], &xml[close..]))
}

/// `xml` with the attributes of its root `<testsuites>` element removed.
fn bare_root(xml: &str) -> String {
    let Some(start) = xml.find("<testsuites") else {
        return xml.to_owned();
    };
    let Some(length) = xml[start..].find('>') else {
        return xml.to_owned();
    };
    let tag = &xml[start..start + length];
    let bare = if tag.ends_with('/') {
        "<testsuites/"
    } else {
        "<testsuites"
    };
    format!("{}{bare}{}", &xml[..start], &xml[start + length..])
}

/// Builds the JUnit report of `results`.
pub fn junit_report(results: &RunResults) -> Report {
    let mut report = Report::new(format!("xtenant {}", results.scenario));
    report.set_time(Duration::from_millis(results.timing.duration_ms));
    let Ok(()) = each_suite(results, |suite| {
        report.add_test_suite(suite);
        Ok::<(), std::convert::Infallible>(())
    });
    report
}

/// Builds the report's suites in document order, one at a time, each complete (see
/// [`conform_to_schemas`]), and hands each to `each` before building the next.
fn each_suite<E>(
    results: &RunResults,
    mut each: impl FnMut(TestSuite) -> Result<(), E>,
) -> Result<(), E> {
    let selection = results.selection();
    let place = CasePlace::of(results);
    // Each user's cases, grouped once, so a suite costs its own cases and not the run's.
    let mut records_of: HashMap<SharedName, Vec<usize>> = HashMap::new();
    for (at, record) in results.records.iter().enumerate() {
        records_of.entry(record.user).or_default().push(at);
    }
    let mut id = 0;
    let mut finish = |mut suite: TestSuite| {
        conform_to_schemas(&mut suite, id, results);
        id += 1;
        each(suite)
    };
    for user in users_in_order(results) {
        let evidence = results.user_evidence(&user);
        let mut suite = TestSuite::new(user.clone());
        suite.add_property(Property::new("scenario", results.scenario.clone()));
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
            let mut test_case = role_test_case(case);
            place.locate(&mut test_case, results.plan.lines.of_user(&case.user));
            suite.add_test_case(test_case);
        }
        let positions = records_of.get(user.as_str()).map_or(&[][..], Vec::as_slice);
        for record in results.records.at_positions(positions) {
            let mut test_case = probe_test_case(&record, evidence);
            let line = results.plan.lines.of_case(&record.user, &record.source);
            place.locate(&mut test_case, line);
            suite.add_test_case(test_case);
        }
        finish(suite)?;
    }
    if let Some(audit) = &results.audit {
        let mut suite = super::audit_report::junit_audit_suite(audit);
        suite.add_property(Property::new("scenario", results.scenario.clone()));
        suite.add_properties(run_properties(results));
        finish(suite)?;
    }
    Ok(())
}

/// Users in scenario order (the evidence order), then any other user with a record or a
/// role case, in plan order. A user with neither makes no suite.
fn users_in_order(results: &RunResults) -> Vec<String> {
    // The records' users once each, in plan order.
    let mut record_users: Vec<SharedName> = Vec::new();
    let mut named: HashSet<SharedName> = HashSet::new();
    for record in &results.records {
        if !named.contains(&record.user) {
            named.insert(record.user.clone());
            record_users.push(record.user);
        }
    }
    let with_cases: HashSet<&str> = record_users
        .iter()
        .map(SharedName::as_str)
        .chain(results.role_cases.iter().map(|case| case.user.as_str()))
        .collect();
    let candidates = results
        .users
        .iter()
        .map(|evidence| evidence.user.as_str())
        .chain(results.role_cases.iter().map(|case| case.user.as_str()))
        .chain(record_users.iter().map(SharedName::as_str));
    let mut seen: HashSet<&str> = HashSet::new();
    candidates
        .filter(|user| with_cases.contains(user) && seen.insert(user))
        .map(str::to_owned)
        .collect()
}

/// Where a case's rule is written: the scenario file as given on the command line, and
/// the line of the rule when the file's positions are known.
struct CasePlace {
    file: Option<String>,
}

impl CasePlace {
    fn of(results: &RunResults) -> CasePlace {
        CasePlace {
            file: results
                .run
                .as_ref()
                .map(|run| run.scenario_file.path.clone()),
        }
    }

    fn locate(&self, case: &mut TestCase, line: Option<LineColumn>) {
        let Some(file) = &self.file else { return };
        case.extra.insert("file".into(), file.as_str().into());
        if let Some(at) = line {
            case.extra.insert("line".into(), at.line.to_string().into());
        }
    }
}

/// What both schemas require of a suite beyond what quick-junit writes: `timestamp`
/// (Ant's pattern has no zone and no fraction: the run's start in UTC), `hostname`, `id`
/// and `package` (Ant's aggregated form), `time`, a `<properties>` element, `<system-out>`
/// and `<system-err>`, and `time` on every case. Case properties, which neither schema
/// allows, become lines of the case's element text.
fn conform_to_schemas(suite: &mut TestSuite, id: usize, results: &RunResults) {
    let host = results
        .run
        .as_ref()
        .map_or_else(|| "localhost".to_owned(), |run| run.host.clone());
    let extra = [
        ("timestamp", junit_timestamp(&results.timing.started_at)),
        ("hostname", host),
        ("id", id.to_string()),
        ("package", results.scenario.clone()),
    ];
    for (name, value) in extra {
        suite.extra.insert(name.into(), value.into());
    }
    let mut total = Duration::ZERO;
    for case in &mut suite.test_cases {
        total += *case.time.get_or_insert(Duration::ZERO);
        fold_properties_into_text(case);
    }
    suite.set_time(total);
    if suite.properties.is_empty() {
        suite.add_property(Property::new("scenario", results.scenario.clone()));
    }
    let summary = format!(
        "{}: {} cases, {} failures, {} errors, {} skipped (waived)\n",
        suite.name.as_str(),
        suite.tests,
        suite.failures,
        suite.errors,
        suite.skipped
    );
    suite.set_system_out(summary);
    suite.set_system_err("");
}

/// A case's details as `name: value` lines after its message, in the element text of its
/// failure, error or skipped element; a passing case keeps none (the evidence has them).
fn fold_properties_into_text(case: &mut TestCase) {
    let properties = std::mem::take(&mut case.properties);
    let details: String = properties
        .iter()
        .map(|property| format!("{}: {}\n", property.name.as_str(), property.value.as_str()))
        .collect();
    let (message, description) = match &mut case.status {
        TestCaseStatus::Success { .. } => return,
        TestCaseStatus::NonSuccess {
            message,
            description,
            ..
        }
        | TestCaseStatus::Skipped {
            message,
            description,
            ..
        } => (message, description),
    };
    let head = message
        .as_ref()
        .map(|message| format!("{}\n", message.as_str()))
        .unwrap_or_default();
    *description = Some(format!("{head}{details}").into());
}

/// `2026-12-02T03:50:00`: Ant's `ISO8601_DATETIME_PATTERN`, UTC, whole seconds.
fn junit_timestamp(rfc3339: &str) -> String {
    time::OffsetDateTime::parse(rfc3339, &time::format_description::well_known::Rfc3339)
        .ok()
        .and_then(|at| {
            at.to_offset(time::UtcOffset::UTC)
                .format(time::macros::format_description!(
                    "[year]-[month]-[day]T[hour]:[minute]:[second]"
                ))
                .ok()
        })
        .unwrap_or_else(|| "1970-01-01T00:00:00".to_owned())
}

fn probe_test_case(record: &ProbeRecord, evidence: Option<&UserEvidence>) -> TestCase {
    let status = match record.outcome {
        _ if record.is_waived() => waived(record),
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
    let passed = matches!(status, TestCaseStatus::Success { .. });
    let mut case = TestCase::new(record.name.0.clone(), status);
    case.set_classname(record.user.clone());
    case.set_time(Duration::from_millis(record.duration_ms));
    // A passing case keeps no details (see `fold_properties_into_text`): at 100,000 cases
    // building them only to drop them was most of the report's time.
    if passed {
        return case;
    }
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
        ("error-code", record.error_code.clone().map(String::from)),
        (
            "error-message",
            record.error_message.clone().map(String::from),
        ),
        ("request-id", record.request_id.clone()),
        (
            "denied-action",
            record.denied_action.clone().map(String::from),
        ),
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
        ("waiver", record.waiver.as_ref().map(|waiver| waiver.line())),
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

/// A waived finding: skipped, so CI shows it apart from passes and failures, with the
/// waiver and the finding as its message.
fn waived(record: &ProbeRecord) -> TestCaseStatus {
    let mut status = TestCaseStatus::skipped();
    status.set_type("waived");
    // The message leads with the waiver (see `probe_message`).
    status.set_message(probe_message(record));
    status
}

fn non_success(kind: NonSuccessKind, ty: &str, message: String) -> TestCaseStatus {
    let mut status = TestCaseStatus::non_success(kind);
    status.set_type(ty);
    status.set_message(message);
    status
}

#[cfg(test)]
mod tests {
    use super::bare_root;

    #[test]
    fn the_root_loses_its_attributes_and_nothing_else_changes() {
        let xml = "<?xml version=\"1.0\"?>\n<testsuites name=\"x\" tests=\"2\"><testsuite name=\"a\" tests=\"2\"/></testsuites>";
        assert_eq!(
            bare_root(xml),
            "<?xml version=\"1.0\"?>\n<testsuites><testsuite name=\"a\" tests=\"2\"/></testsuites>"
        );
        assert_eq!(bare_root("<testsuites tests=\"0\"/>"), "<testsuites/>");
    }
}
