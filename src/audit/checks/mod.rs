//! The checks, one file per concern, each turning what was read into findings.

mod ambiguous_role;
mod classic_flow;
mod guest_access;
mod permission_policy;
mod principal_tags;
mod self_sign_up;
mod standard_attributes;
mod token_check;
mod token_validity;
mod trust_policy;
mod unreadable_claim;
mod writable_claim;

use super::finding::Finding;
use super::identity_layer::IdentityLayer;
use super::settings::AuditSettings;

/// Every finding of `layer`, in code order, each at the scenario's severity for its code.
pub fn run_checks(layer: &IdentityLayer, settings: &AuditSettings) -> Vec<Finding> {
    let mut findings = Vec::new();
    guest_access::check(layer, &mut findings);
    classic_flow::check(layer, &mut findings);
    trust_policy::check(layer, &mut findings);
    ambiguous_role::check(layer, &mut findings);
    writable_claim::check(layer, &mut findings);
    unreadable_claim::check(layer, &mut findings);
    principal_tags::check(layer, &mut findings);
    self_sign_up::check(layer, &mut findings);
    token_check::check(layer, &mut findings);
    permission_policy::check(layer, &mut findings);
    token_validity::check(layer, settings, &mut findings);
    for finding in &mut findings {
        finding.severity = settings.severity_of(finding.code);
    }
    findings.sort_by(|a, b| (a.code, &a.subject).cmp(&(b.code, &b.subject)));
    findings
}

/// The data actions of the services xtenant probes: what a tenant's data is reached by.
pub(super) const DATA_SERVICES: [&str; 3] = ["s3", "dynamodb", "secretsmanager"];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::code::FindingCode;
    use crate::audit::identity_layer::{PolicyRead, RoleRead};
    use crate::audit::policy_document::PolicyDocument;

    // Local staging refuses a policy IAM would refuse, so this is the one check no world can
    // reach: a document the audit's reader does not understand is its own finding.
    #[test]
    fn a_policy_the_audit_cannot_read_is_a_finding_not_a_silent_pass() {
        let layer = IdentityLayer {
            roles: vec![RoleRead {
                arn: "arn:aws:iam::111122223333:role/Odd".to_owned(),
                name: "Odd".to_owned(),
                trust_policy: PolicyRead {
                    label: "trust policy".to_owned(),
                    document: PolicyDocument::parse(r#"{"Statement":[]}"#),
                },
                permission_policies: vec![PolicyRead {
                    label: "inline policy Data".to_owned(),
                    document: PolicyDocument::parse(
                        r#"{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condtion":{}}]}"#,
                    ),
                }],
            }],
            ..IdentityLayer::default()
        };
        let findings = run_checks(&layer, &AuditSettings::default());
        assert_eq!(findings.len(), 1, "{findings:#?}");
        assert_eq!(findings[0].code, FindingCode::UnreadablePolicy);
        assert_eq!(
            findings[0].detail,
            "inline policy Data of role Odd: unknown statement element `Condtion`"
        );
    }
}
