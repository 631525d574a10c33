//! The authorization question each DynamoDB operation asks before it touches a table:
//! the action, the table ARN and DynamoDB's fine-grained access control keys.

use super::error::DynamoDbError;
use super::table::Table;
use crate::sim::core::{AccessRequest, SimCore};
use crate::sim::iam::RequestContext;
use crate::sim::principal::Principal;
use std::collections::BTreeSet;

/// What a request touches, as DynamoDB's condition keys describe it.
/// See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html#FGAC_DDB.ConditionKeys>.
#[derive(Debug, Clone, Default)]
pub struct AccessKeys {
    /// `dynamodb:LeadingKeys`: the partition key values the request touches; `None` when
    /// the request names none (Scan), which leaves the key out of the context.
    pub leading_keys: Option<Vec<String>>,
    /// `dynamodb:Attributes`: the top-level attribute names the request names; `None`
    /// when it names none.
    pub attributes: Option<BTreeSet<String>>,
    /// `dynamodb:Select`: Query's and Scan's `Select`.
    pub select: Option<String>,
    /// `dynamodb:ReturnValues`: the write operations' `ReturnValues`, when sent.
    pub return_values: Option<String>,
    /// `dynamodb:ReturnConsumedCapacity`: the request's `ReturnConsumedCapacity`, when sent.
    pub return_consumed_capacity: Option<String>,
}

impl AccessKeys {
    /// The keys as request context entries. Multivalued keys are set as sets so that
    /// `ForAllValues` / `ForAnyValue` apply; table tags become `aws:ResourceTag/*`.
    /// See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html>
    /// and <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/attribute-based-access-control.html>.
    pub fn context(&self, table: Option<&Table>) -> RequestContext {
        let mut context = RequestContext::new();
        if let Some(keys) = &self.leading_keys {
            context.set_multi("dynamodb:LeadingKeys", keys.iter().cloned());
        }
        if let Some(attributes) = &self.attributes {
            context.set_multi("dynamodb:Attributes", attributes.iter().cloned());
        }
        if let Some(select) = &self.select {
            context.set("dynamodb:Select", select.clone());
        }
        if let Some(return_values) = &self.return_values {
            context.set("dynamodb:ReturnValues", return_values.clone());
        }
        if let Some(capacity) = &self.return_consumed_capacity {
            context.set("dynamodb:ReturnConsumedCapacity", capacity.clone());
        }
        if let Some(table) = table {
            for (key, value) in &table.tags {
                context.set(format!("aws:ResourceTag/{key}"), value.clone());
            }
        }
        context
    }
}

/// Asks the core whether the caller may perform `action` on the table, and turns a denial
/// into DynamoDB's `AccessDeniedException`, worded as AWS words it.
/// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html>.
pub fn authorize(
    core: &dyn SimCore,
    principal: &Principal,
    action: &str,
    table_arn: &str,
    table: Option<&Table>,
    keys: &AccessKeys,
) -> Result<(), DynamoDbError> {
    let request = AccessRequest {
        principal,
        action,
        resource: table_arn,
        context: keys.context(table),
        resource_policy: None,
    };
    let evaluation = core.authorize(&request);
    if evaluation.is_allowed() {
        return Ok(());
    }
    // An evaluation that denies always has a reason; fall back to the implicit wording
    // rather than ever letting a denial through.
    let reason = evaluation
        .denial_reason(action)
        .unwrap_or_else(|| format!("because no identity-based policy allows the {action} action"));
    Err(DynamoDbError::AccessDenied(format!(
        "User: {} is not authorized to perform: {action} on resource: {table_arn} {reason}",
        principal.arn
    )))
}
