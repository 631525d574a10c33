//! The SARIF 2.1.0 report, for GitHub code scanning and other SARIF viewers: one result per
//! breach (a matrix probe, an attack case or a re-run with escalated credentials) and per
//! audit finding, each located in the scenario file at the line of the rule behind it (the
//! cell, override or `attacks.allow` entry, else the user; the `target` for audit
//! findings). A waived breach keeps its result with an accepted external suppression
//! carrying the waiver, so code scanning shows it as dismissed, never as absent.
//!
//! Fingerprints hash the rule id and the probe name (or the finding's code and subject),
//! which are stable across runs of the same scenario, so code scanning tracks a breach from
//! run to run.

use crate::attack::AttackKind;
use crate::audit::{AuditSection, JoinedFinding, Severity};
use crate::probe::{Outcome, ProbeRecord};
use crate::run::RunResults;
use crate::scenario::{LineColumn, ResourceTarget};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// The rule of a breach of the matrix (a cell of the user × tenant × resource table).
pub const MATRIX_BREACH_RULE: &str = "breach/matrix";
/// The rule of a breach by a re-run of a user's row with escalated credentials.
pub const ESCALATED_BREACH_RULE: &str = "breach/escalated";

/// The SARIF log of `results`, pretty-printed.
pub fn sarif_report(results: &RunResults) -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(&sarif_log(results))
}

/// [`sarif_report`] into `out`, without the text held whole.
pub fn write_sarif(results: &RunResults, out: impl std::io::Write) -> serde_json::Result<()> {
    serde_json::to_writer_pretty(out, &sarif_log(results))
}

/// The SARIF log of `results` as JSON.
pub fn sarif_log(results: &RunResults) -> Value {
    let rules = Rules::of(results);
    let file = results
        .run
        .as_ref()
        .map(|run| artifact_uri(&run.scenario_file.path));
    let mut sarif_results: Vec<Value> = results
        .records
        .iter()
        .filter(|record| record.outcome == Outcome::Breach)
        .map(|record| breach_result(&record, results, &rules, file.as_deref()))
        .collect();
    if let Some(audit) = &results.audit {
        let at = results.plan.lines.of_target();
        sarif_results.extend(
            audit
                .findings
                .iter()
                .map(|joined| finding_result(joined, audit, &rules, file.as_deref(), at)),
        );
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "xtenant",
                    "version": crate::build_info::VERSION,
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://docs.aws.amazon.com/cognito/latest/developerguide/multi-tenant-application-best-practices.html",
                    "rules": rules.descriptors,
                    "properties": { "commit": crate::build_info::COMMIT },
                }
            },
            "automationDetails": { "id": format!("xtenant/{}/", results.scenario) },
            "invocations": [{
                "executionSuccessful": !results.interrupted,
                "exitCode": crate::run::exit_code_for(results),
                "startTimeUtc": results.timing.started_at,
                "endTimeUtc": results.timing.finished_at,
            }],
            "results": sarif_results,
        }]
    })
}

/// The rules the results refer to, in a fixed order: the matrix breach, the escalated
/// breach, one per attack kind that breached, one per audit code found.
struct Rules {
    ids: Vec<String>,
    descriptors: Vec<Value>,
}

impl Rules {
    fn of(results: &RunResults) -> Rules {
        let mut rules = Rules {
            ids: Vec::new(),
            descriptors: Vec::new(),
        };
        rules.add(
            MATRIX_BREACH_RULE,
            "Cross-tenant access",
            "A user reached a resource the scenario expects it to be denied: another tenant's data, or an action its role must not have.",
            "https://docs.aws.amazon.com/cognito/latest/developerguide/multi-tenant-application-best-practices.html",
            "error",
            "9.0",
        );
        rules.add(
            ESCALATED_BREACH_RULE,
            "Reach of escalated credentials",
            "Credentials an identity-layer attack obtained reached a resource they must not reach.",
            "https://docs.aws.amazon.com/cognito/latest/developerguide/role-based-access-control.html",
            "error",
            "9.0",
        );
        for kind in AttackKind::ALL {
            rules.add(
                &attack_rule(kind),
                &format!("Identity-layer attack: {}", kind.as_str()),
                kind.rule(),
                kind.reference(),
                "error",
                "9.0",
            );
        }
        if let Some(audit) = &results.audit {
            for joined in &audit.findings {
                let code = joined.finding.code;
                if !rules.ids.iter().any(|id| id == code.as_str()) {
                    rules.add(
                        code.as_str(),
                        code.title(),
                        code.fix(),
                        code.reference(),
                        level_of(code.default_severity()),
                        security_severity(code.default_severity()),
                    );
                }
            }
        }
        rules
    }

    fn add(
        &mut self,
        id: &str,
        name: &str,
        description: &str,
        help_uri: &str,
        level: &str,
        security_severity: &str,
    ) {
        self.ids.push(id.to_owned());
        self.descriptors.push(json!({
            "id": id,
            "name": name,
            "shortDescription": { "text": name },
            "fullDescription": { "text": description },
            "helpUri": help_uri,
            "help": { "text": format!("{description} See {help_uri}") },
            "defaultConfiguration": { "level": level },
            // GitHub code scanning ranks security alerts by this property.
            "properties": { "tags": ["security"], "security-severity": security_severity },
        }));
    }

    fn index(&self, id: &str) -> usize {
        self.ids.iter().position(|known| known == id).unwrap_or(0)
    }
}

fn attack_rule(kind: AttackKind) -> String {
    format!("breach/attack/{}", kind.as_str())
}

/// The rule a breach record falls under.
fn rule_of(record: &ProbeRecord) -> String {
    if record.source.is_escalated() {
        return ESCALATED_BREACH_RULE.to_owned();
    }
    match &*record.target {
        ResourceTarget::Identity { attack } => attack_rule(attack.kind),
        ResourceTarget::S3Object { .. }
        | ResourceTarget::S3Prefix { .. }
        | ResourceTarget::DynamoDbItem { .. }
        | ResourceTarget::Secret { .. } => MATRIX_BREACH_RULE.to_owned(),
    }
}

fn breach_result(
    record: &ProbeRecord,
    results: &RunResults,
    rules: &Rules,
    file: Option<&str>,
) -> Value {
    let rule = rule_of(record);
    // The probe message names the waiver, if any, first.
    let message = format!(
        "{}: {}",
        record.name,
        super::failure_message::probe_message(record)
    );
    let at = results.plan.lines.of_case(&record.user, &record.source);
    let mut result = json!({
        "ruleId": rule,
        "ruleIndex": rules.index(&rule),
        "level": "error",
        "message": { "text": message },
        "locations": locations(file, at),
        "partialFingerprints": { "xtenantCase/v1": fingerprint(&[&rule, &record.name.0]) },
        "properties": {
            "probe": record.name.0,
            "user": record.user,
            "tenant": record.tenant,
            "resource": record.resource,
            "apiCall": record.api_call,
            "verdict": super::failure_message::verdict_label(record.verdict),
        },
    });
    if let Some(waiver) = record.waiver.as_ref().filter(|waiver| waiver.waives()) {
        result["suppressions"] = json!([{
            "kind": "external",
            "status": "accepted",
            "justification": waiver.line(),
        }]);
    }
    result
}

fn finding_result(
    joined: &JoinedFinding,
    audit: &AuditSection,
    rules: &Rules,
    file: Option<&str>,
    at: Option<LineColumn>,
) -> Value {
    let finding = &joined.finding;
    let code = finding.code.as_str();
    let fails = audit.failing().any(|failing| failing == joined);
    // A finding that fails the run is an error whatever its severity (confirmed by a
    // breach); the others keep their severity's level.
    let level = if fails {
        "error"
    } else {
        level_of(finding.severity)
    };
    json!({
        "ruleId": code,
        "ruleIndex": rules.index(code),
        "level": level,
        "message": { "text": joined.line() },
        "locations": locations(file, at),
        "partialFingerprints": { "xtenantFinding/v1": fingerprint(&[code, &finding.subject]) },
        "properties": {
            "severity": finding.severity.as_str(),
            "subject": finding.subject,
            "confirmation": joined.confirmation.as_str(),
        },
    })
}

fn locations(file: Option<&str>, at: Option<LineColumn>) -> Value {
    let Some(file) = file else {
        return json!([]);
    };
    let mut physical = json!({ "artifactLocation": { "uri": file } });
    if let Some(at) = at {
        physical["region"] = json!({ "startLine": at.line, "startColumn": at.column });
    }
    json!([{ "physicalLocation": physical }])
}

fn level_of(severity: Severity) -> &'static str {
    match severity {
        Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::High => "8.0",
        Severity::Medium => "5.0",
        Severity::Low => "3.0",
        Severity::Info => "0.0",
    }
}

/// The first 32 hex digits of the SHA-256 of `parts`, each ended by a NUL.
fn fingerprint(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    hex::encode(hasher.finalize())[..32].to_owned()
}

/// The scenario path as a URI reference: a relative path stays relative (GitHub resolves
/// it against the repository root), an absolute one becomes a `file://` URI.
fn artifact_uri(path: &str) -> String {
    let slashed = path.replace('\\', "/");
    let encoded: String = slashed
        .chars()
        .map(|c| match c {
            ' ' => "%20".to_owned(),
            '#' => "%23".to_owned(),
            '?' => "%3F".to_owned(),
            '%' => "%25".to_owned(),
            c => c.to_string(),
        })
        .collect();
    let relative = encoded.strip_prefix("./").unwrap_or(&encoded);
    if relative.starts_with('/') {
        format!("file://{relative}")
    } else {
        relative.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fingerprint_depends_only_on_its_parts() {
        let a = fingerprint(&[MATRIX_BREACH_RULE, "bob::acme/docs::read"]);
        assert_eq!(
            a,
            fingerprint(&[MATRIX_BREACH_RULE, "bob::acme/docs::read"])
        );
        assert_ne!(
            a,
            fingerprint(&[MATRIX_BREACH_RULE, "bob::acme/docs::write"])
        );
        // The separator keeps ("ab", "c") and ("a", "bc") apart.
        assert_ne!(fingerprint(&["ab", "c"]), fingerprint(&["a", "bc"]));
        assert_eq!(a.len(), 32);
    }

    #[test]
    fn scenario_paths_become_uri_references() {
        assert_eq!(
            artifact_uri("scenarios/pacific/matrix.yaml"),
            "scenarios/pacific/matrix.yaml"
        );
        assert_eq!(artifact_uri("./m y.yaml"), "m%20y.yaml");
        assert_eq!(artifact_uri("/work/m.yaml"), "file:///work/m.yaml");
    }
}
