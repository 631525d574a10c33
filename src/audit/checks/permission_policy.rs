//! XA010–XA013 and XA015: the roles' permission policies, statement by statement, and any
//! policy (trust or permission) the audit could not read.

use super::DATA_SERVICES;
use crate::audit::code::FindingCode;
use crate::audit::finding::Finding;
use crate::audit::identity_layer::{IdentityLayer, PolicyRead, RoleRead};
use crate::audit::policy_document::{Effect, PolicyStatement};

/// Data actions that support no resource but `*`: allowing them on `*` is the only way.
// Per the Service Authorization Reference pages of S3, DynamoDB and Secrets Manager
// (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecretsmanager.html).
const RESOURCELESS_ACTIONS: [&str; 6] = [
    "s3:listallmybuckets",
    "dynamodb:listtables",
    "dynamodb:describelimits",
    "secretsmanager:listsecrets",
    "secretsmanager:getrandompassword",
    "secretsmanager:batchgetsecretvalue",
];

pub(super) fn check(layer: &IdentityLayer, findings: &mut Vec<Finding>) {
    for role in &layer.roles {
        unreadable(role, &role.trust_policy, findings);
        for policy in &role.permission_policies {
            unreadable(role, policy, findings);
            let Ok(document) = &policy.document else {
                continue;
            };
            for statement in document
                .statements
                .iter()
                .filter(|s| s.effect == Effect::Allow)
            {
                statement_findings(role, policy, statement, findings);
            }
        }
    }
}

fn unreadable(role: &RoleRead, policy: &PolicyRead, findings: &mut Vec<Finding>) {
    if let Err(reason) = &policy.document {
        findings.push(Finding::new(
            FindingCode::UnreadablePolicy,
            &role.arn,
            format!("{} of role {}: {reason}", policy.label, role.name),
        ));
    }
}

fn statement_findings(
    role: &RoleRead,
    policy: &PolicyRead,
    statement: &PolicyStatement,
    findings: &mut Vec<Finding>,
) {
    let at = format!("{} of role {}", policy.label, role.name);
    // ForAnyValue is true when any one requested key matches: a BatchGetItem naming the
    // caller's own key and a foreign one passes
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html).
    for condition in statement.conditions_on("dynamodb:LeadingKeys") {
        if condition.operator.starts_with("ForAnyValue:") {
            findings.push(Finding::new(
                FindingCode::LeadingKeysForAnyValue,
                &role.arn,
                format!(
                    "{at}: {} on dynamodb:LeadingKeys {}",
                    condition.operator,
                    condition.values.join(",")
                ),
            ));
        }
    }
    // `...IfExists` is true when the key is absent: ListObjectsV2 without a prefix
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IfExists).
    for condition in statement.conditions_on("s3:prefix") {
        if condition.operator.ends_with("IfExists") {
            findings.push(Finding::new(
                FindingCode::PrefixIfExists,
                &role.arn,
                format!(
                    "{at}: {} on s3:prefix {}",
                    condition.operator,
                    condition.values.join(",")
                ),
            ));
        }
    }
    // ForAllValues over an absent key is true; only a `Null: false` guard on the same key
    // makes the request carry it (same page as ForAnyValue above).
    for condition in &statement.conditions {
        let tenant_variable = condition.values.iter().any(|value| value.contains("${"));
        if condition.operator.starts_with("ForAllValues:")
            && tenant_variable
            && !null_guarded(statement, &condition.key)
        {
            findings.push(Finding::new(
                FindingCode::UnguardedForAllValues,
                &role.arn,
                format!(
                    "{at}: {} on {} {} without \"Null\": {{\"{}\": \"false\"}}",
                    condition.operator,
                    condition.key,
                    condition.values.join(","),
                    condition.key
                ),
            ));
        }
    }
    let on_everything = !statement.not_resource && statement.resources.iter().any(|r| r == "*");
    if on_everything && statement.conditions.is_empty() {
        let data_actions: Vec<&String> = statement
            .actions
            .iter()
            .filter(|action| is_data_action(action))
            .filter(|action| !RESOURCELESS_ACTIONS.contains(&action.to_ascii_lowercase().as_str()))
            .collect();
        if statement.not_action || !data_actions.is_empty() {
            let named = if statement.not_action {
                "NotAction (every other action)".to_owned()
            } else {
                data_actions
                    .iter()
                    .map(|a| a.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            findings.push(Finding::new(
                FindingCode::DataActionOnEveryResource,
                &role.arn,
                format!("{at}: allows {named} on Resource \"*\" without a condition"),
            ));
        }
    }
}

fn null_guarded(statement: &PolicyStatement, key: &str) -> bool {
    statement.conditions_on(key).any(|condition| {
        condition.operator == "Null" && condition.values.iter().all(|value| value == "false")
    })
}

fn is_data_action(action: &str) -> bool {
    action == "*"
        || action.split_once(':').is_some_and(|(service, _)| {
            DATA_SERVICES
                .iter()
                .any(|data| service.eq_ignore_ascii_case(data))
        })
}
