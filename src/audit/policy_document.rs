//! The audit's own small reader of IAM policy JSON: statements with their effect, actions,
//! resources, federated principals and conditions, and nothing more. It is not local
//! staging's policy engine (the harness never imports `crate::sim`) and it evaluates
//! nothing; what it cannot read is an error the audit reports, never a silent pass.
// Grammar: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html

use serde_json::Value;

/// A policy document, as far as the checks need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyDocument {
    pub statements: Vec<PolicyStatement>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
}

/// One statement. Action and resource names keep their case as written (action names are
/// compared case-insensitively by the checks, as IAM does).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyStatement {
    pub effect: Effect,
    pub actions: Vec<String>,
    /// `NotAction` instead of `Action`.
    pub not_action: bool,
    pub resources: Vec<String>,
    /// `NotResource` instead of `Resource`.
    pub not_resource: bool,
    /// `Principal.Federated`, for trust policies.
    pub federated: Vec<String>,
    pub conditions: Vec<ConditionEntry>,
}

/// One `operator: {key: values}` pair of a `Condition` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionEntry {
    /// As written, for example `ForAnyValue:StringLike` or `StringLikeIfExists`.
    pub operator: String,
    pub key: String,
    pub values: Vec<String>,
}

impl ConditionEntry {
    /// The key, compared case-insensitively as IAM compares condition keys.
    // Condition key names are not case-sensitive
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html).
    pub fn is_key(&self, key: &str) -> bool {
        self.key.eq_ignore_ascii_case(key)
    }
}

impl PolicyStatement {
    /// The conditions on `key`.
    pub fn conditions_on<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a ConditionEntry> {
        self.conditions.iter().filter(move |c| c.is_key(key))
    }

    /// Whether the statement names an action of `service` (`dynamodb`), literally or by
    /// wildcard (`*`, `dynamodb:*`, `dynamodb:Get*`). `NotAction` counts as naming them all.
    pub fn names_service(&self, service: &str) -> bool {
        self.not_action
            || self.actions.iter().any(|action| {
                action == "*"
                    || action
                        .split_once(':')
                        .is_some_and(|(prefix, _)| prefix.eq_ignore_ascii_case(service))
            })
    }
}

impl PolicyDocument {
    /// Reads `text` (already URL-decoded). Errors say what was not understood.
    pub fn parse(text: &str) -> Result<PolicyDocument, String> {
        let value: Value =
            serde_json::from_str(text).map_err(|error| format!("not JSON: {error}"))?;
        let Value::Object(document) = value else {
            return Err("the policy is not a JSON object".to_owned());
        };
        for key in document.keys() {
            if !matches!(key.as_str(), "Version" | "Id" | "Statement") {
                return Err(format!("unknown policy element `{key}`"));
            }
        }
        let statements = match document.get("Statement") {
            Some(Value::Array(items)) => items.iter().map(statement).collect::<Result<_, _>>()?,
            Some(item @ Value::Object(_)) => vec![statement(item)?],
            Some(_) => return Err("`Statement` is neither an object nor a list".to_owned()),
            None => return Err("the policy has no `Statement`".to_owned()),
        };
        Ok(PolicyDocument { statements })
    }
}

fn statement(value: &Value) -> Result<PolicyStatement, String> {
    let Value::Object(fields) = value else {
        return Err("a statement is not a JSON object".to_owned());
    };
    for key in fields.keys() {
        if !matches!(
            key.as_str(),
            "Sid"
                | "Effect"
                | "Action"
                | "NotAction"
                | "Resource"
                | "NotResource"
                | "Principal"
                | "NotPrincipal"
                | "Condition"
        ) {
            return Err(format!("unknown statement element `{key}`"));
        }
    }
    let effect = match fields.get("Effect").and_then(Value::as_str) {
        Some("Allow") => Effect::Allow,
        Some("Deny") => Effect::Deny,
        _ => return Err("a statement's `Effect` is not `Allow` or `Deny`".to_owned()),
    };
    let (actions, not_action) = match (fields.get("Action"), fields.get("NotAction")) {
        (Some(actions), None) => (strings(actions, "Action")?, false),
        (None, Some(actions)) => (strings(actions, "NotAction")?, true),
        _ => return Err("a statement needs exactly one of `Action` and `NotAction`".to_owned()),
    };
    let (resources, not_resource) = match (fields.get("Resource"), fields.get("NotResource")) {
        (Some(resources), None) => (strings(resources, "Resource")?, false),
        (None, Some(resources)) => (strings(resources, "NotResource")?, true),
        // Trust policies have no Resource.
        (None, None) => (Vec::new(), false),
        _ => return Err("a statement has both `Resource` and `NotResource`".to_owned()),
    };
    let federated = match fields.get("Principal") {
        Some(Value::Object(principal)) => match principal.get("Federated") {
            Some(federated) => strings(federated, "Principal.Federated")?,
            None => Vec::new(),
        },
        _ => Vec::new(),
    };
    let mut conditions = Vec::new();
    match fields.get("Condition") {
        None => {}
        Some(Value::Object(block)) => {
            for (operator, entries) in block {
                let Value::Object(entries) = entries else {
                    return Err(format!("condition `{operator}` is not an object"));
                };
                for (key, values) in entries {
                    conditions.push(ConditionEntry {
                        operator: operator.clone(),
                        key: key.clone(),
                        values: condition_values(values, operator)?,
                    });
                }
            }
        }
        Some(_) => return Err("`Condition` is not an object".to_owned()),
    }
    Ok(PolicyStatement {
        effect,
        actions,
        not_action,
        resources,
        not_resource,
        federated,
        conditions,
    })
}

fn strings(value: &Value, element: &str) -> Result<Vec<String>, String> {
    match value {
        Value::String(text) => Ok(vec![text.clone()]),
        Value::Array(items) => items
            .iter()
            .map(|item| {
                item.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| format!("`{element}` holds a value that is not a string"))
            })
            .collect(),
        _ => Err(format!(
            "`{element}` is neither a string nor a list of strings"
        )),
    }
}

/// Condition values may be strings, booleans or numbers, alone or in a list.
fn condition_values(value: &Value, operator: &str) -> Result<Vec<String>, String> {
    let one = |item: &Value| match item {
        Value::String(text) => Ok(text.clone()),
        Value::Bool(flag) => Ok(flag.to_string()),
        Value::Number(number) => Ok(number.to_string()),
        _ => Err(format!(
            "condition `{operator}` holds a value the audit cannot read"
        )),
    };
    match value {
        Value::Array(items) => items.iter().map(one).collect(),
        item => Ok(vec![one(item)?]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_statements_conditions_and_principals() {
        let document = PolicyDocument::parse(
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow",
            "Principal":{"Federated":"cognito-identity.amazonaws.com"},
            "Action":"sts:AssumeRoleWithWebIdentity",
            "Condition":{"StringEquals":{"cognito-identity.amazonaws.com:aud":["us-east-1:x"]},
                         "Null":{"dynamodb:LeadingKeys":false}}}}"#,
        )
        .unwrap();
        let statement = &document.statements[0];
        assert_eq!(statement.federated, ["cognito-identity.amazonaws.com"]);
        assert!(statement.names_service("STS"));
        assert_eq!(
            statement
                .conditions_on("Cognito-Identity.amazonaws.com:AUD")
                .next()
                .unwrap()
                .values,
            ["us-east-1:x"]
        );
        assert_eq!(
            statement
                .conditions_on("dynamodb:LeadingKeys")
                .next()
                .unwrap()
                .values,
            ["false"]
        );
    }

    #[test]
    fn what_it_cannot_read_is_an_error_naming_the_element() {
        assert_eq!(
            PolicyDocument::parse(r#"{"Statement":[{"Efect":"Allow","Action":"s3:*"}]}"#)
                .unwrap_err(),
            "unknown statement element `Efect`"
        );
        assert!(
            PolicyDocument::parse("{not json")
                .unwrap_err()
                .starts_with("not JSON")
        );
        assert_eq!(
            PolicyDocument::parse(r#"{"Statement":[{"Effect":"Allow"}]}"#).unwrap_err(),
            "a statement needs exactly one of `Action` and `NotAction`"
        );
    }
}
