//! Parsing of IAM JSON into the policy model, with AWS's `MalformedPolicyDocument` checks.
//! See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html>.

use super::action::{ActionElement, ActionPattern};
use super::condition::{Condition, ConditionOperator};
use super::operator::PolicyValue;
use super::policy::{Policy, PolicyError, PolicyVersion};
use super::principal_element::PrincipalElement;
use super::resource::ResourceElement;
use super::statement::{Effect, Statement};
use super::variable::Template;
use serde_json::{Map, Value};
use std::collections::BTreeSet;

const POLICY_KEYS: &[&str] = &["Version", "Id", "Statement"];
const STATEMENT_KEYS: &[&str] = &[
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

pub fn parse_policy(json: &str) -> Result<Policy, PolicyError> {
    let source: Value = serde_json::from_str(json).map_err(|e| PolicyError {
        message: format!("not valid JSON ({e})"),
    })?;
    let Value::Object(document) = &source else {
        return Err(PolicyError::at(
            "policy",
            "the document must be a JSON object",
        ));
    };
    reject_unknown_keys(document, POLICY_KEYS, "policy")?;
    // A document without `Version` is evaluated as 2008-10-17.
    // See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html>.
    let version = match document.get("Version") {
        None => PolicyVersion::V2008_10_17,
        Some(Value::String(v)) if v == "2012-10-17" => PolicyVersion::V2012_10_17,
        Some(Value::String(v)) if v == "2008-10-17" => PolicyVersion::V2008_10_17,
        Some(other) => {
            return Err(PolicyError::at(
                "Version",
                format!("must be \"2012-10-17\" or \"2008-10-17\", found {other}"),
            ));
        }
    };
    let id = match document.get("Id") {
        None => None,
        Some(Value::String(id)) => Some(id.clone()),
        Some(_) => return Err(PolicyError::at("Id", "must be a string")),
    };
    // `Statement` is one statement object or an array of them.
    // See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_statement.html>.
    let raw_statements: Vec<&Value> = match document.get("Statement") {
        None => {
            return Err(PolicyError::at(
                "policy",
                "missing required element Statement",
            ));
        }
        Some(Value::Array(items)) => items.iter().collect(),
        Some(object @ Value::Object(_)) => vec![object],
        Some(_) => {
            return Err(PolicyError::at(
                "Statement",
                "must be an object or an array of objects",
            ));
        }
    };
    if raw_statements.is_empty() {
        return Err(PolicyError::at(
            "Statement",
            "must hold at least one statement",
        ));
    }
    let mut statements = Vec::with_capacity(raw_statements.len());
    let mut sids = BTreeSet::new();
    for (index, raw) in raw_statements.into_iter().enumerate() {
        let path = format!("Statement[{index}]");
        let statement = parse_statement(raw, &path, version)?;
        // Statement ids must be unique within a policy.
        // See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html>.
        if let Some(sid) = &statement.sid
            && !sid.is_empty()
            && !sids.insert(sid.clone())
        {
            return Err(PolicyError::at(
                &path,
                format!("statement ids (Sid) must be unique, `{sid}` repeats"),
            ));
        }
        statements.push(statement);
    }
    Ok(Policy {
        version,
        id,
        statements,
        source: source.clone(),
    })
}

fn reject_unknown_keys(
    object: &Map<String, Value>,
    known: &[&str],
    path: &str,
) -> Result<(), PolicyError> {
    match object.keys().find(|k| !known.contains(&k.as_str())) {
        Some(unknown) => Err(PolicyError::at(
            path,
            format!("unknown element `{unknown}`"),
        )),
        None => Ok(()),
    }
}

fn parse_statement(
    raw: &Value,
    path: &str,
    version: PolicyVersion,
) -> Result<Statement, PolicyError> {
    let Value::Object(object) = raw else {
        return Err(PolicyError::at(path, "a statement must be a JSON object"));
    };
    reject_unknown_keys(object, STATEMENT_KEYS, path)?;
    let sid = match object.get("Sid") {
        None => None,
        Some(Value::String(sid)) => Some(sid.clone()),
        Some(_) => return Err(PolicyError::at(&format!("{path}.Sid"), "must be a string")),
    };
    // See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_effect.html>.
    let effect = match object.get("Effect") {
        Some(Value::String(e)) if e == "Allow" => Effect::Allow,
        Some(Value::String(e)) if e == "Deny" => Effect::Deny,
        Some(other) => {
            return Err(PolicyError::at(
                &format!("{path}.Effect"),
                format!("must be \"Allow\" or \"Deny\", found {other}"),
            ));
        }
        None => return Err(PolicyError::at(path, "missing required element Effect")),
    };
    let (principal_key, principal_raw) = exclusive_pair(object, "Principal", "NotPrincipal", path)?;
    let principal = match principal_raw {
        Some(raw) => Some(parse_principal(
            raw,
            principal_key == "NotPrincipal",
            &format!("{path}.{principal_key}"),
        )?),
        None => None,
    };
    let (action_key, action_raw) = exclusive_pair(object, "Action", "NotAction", path)?;
    let Some(action_raw) = action_raw else {
        return Err(PolicyError::at(
            path,
            "missing required element Action or NotAction",
        ));
    };
    let action_path = format!("{path}.{action_key}");
    let mut action_patterns = Vec::new();
    for action in string_list(action_raw, &action_path)? {
        // Every action but `*` names its service: "Actions/Conditions must be prefaced by
        // a vendor, e.g., iam, sdb, ec2, etc."
        // See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html>.
        let has_vendor = action
            .split_once(':')
            .is_some_and(|(vendor, name)| !vendor.is_empty() && !name.is_empty());
        if action != "*" && !has_vendor {
            return Err(PolicyError::at(
                &action_path,
                format!("action `{action}` must be prefaced by a vendor, e.g. `s3:GetObject`"),
            ));
        }
        action_patterns.push(ActionPattern::new(action));
    }
    let actions = ActionElement {
        negated: action_key == "NotAction",
        patterns: action_patterns,
    };
    let (resource_key, resource_raw) = exclusive_pair(object, "Resource", "NotResource", path)?;
    let resources = match resource_raw {
        Some(raw) => {
            let resource_path = format!("{path}.{resource_key}");
            let mut patterns = Vec::new();
            for resource in string_list(raw, &resource_path)? {
                // See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html>.
                if resource != "*" && !resource.starts_with("arn:") {
                    return Err(PolicyError::at(
                        &resource_path,
                        format!("resource `{resource}` must be in ARN format or \"*\""),
                    ));
                }
                patterns.push(template(resource, version, &resource_path)?);
            }
            Some(ResourceElement {
                negated: resource_key == "NotResource",
                patterns,
            })
        }
        None => None,
    };
    let conditions = match object.get("Condition") {
        None => Vec::new(),
        Some(raw) => parse_conditions(raw, &format!("{path}.Condition"), version)?,
    };
    Ok(Statement {
        sid,
        effect,
        principal,
        actions,
        resources,
        conditions,
    })
}

/// Returns which of two mutually exclusive elements is present.
/// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html>.
fn exclusive_pair<'a>(
    object: &'a Map<String, Value>,
    positive: &'static str,
    negative: &'static str,
    path: &str,
) -> Result<(&'static str, Option<&'a Value>), PolicyError> {
    match (object.get(positive), object.get(negative)) {
        (Some(_), Some(_)) => Err(PolicyError::at(
            path,
            format!("{positive} and {negative} cannot both be present"),
        )),
        (Some(v), None) => Ok((positive, Some(v))),
        (None, Some(v)) => Ok((negative, Some(v))),
        (None, None) => Ok((positive, None)),
    }
}

/// A string or a non-empty array of strings.
fn string_list<'a>(raw: &'a Value, path: &str) -> Result<Vec<&'a str>, PolicyError> {
    match raw {
        Value::String(s) => Ok(vec![s.as_str()]),
        Value::Array(items) if !items.is_empty() => items
            .iter()
            .map(|item| match item {
                Value::String(s) => Ok(s.as_str()),
                other => Err(PolicyError::at(
                    path,
                    format!("expected a string, found {other}"),
                )),
            })
            .collect(),
        Value::Array(_) => Err(PolicyError::at(path, "must not be an empty array")),
        other => Err(PolicyError::at(
            path,
            format!("expected a string or an array of strings, found {other}"),
        )),
    }
}

fn template(raw: &str, version: PolicyVersion, path: &str) -> Result<Template, PolicyError> {
    if version.supports_variables() {
        Template::with_variables(raw).map_err(|e| PolicyError::at(path, e.0))
    } else {
        Ok(Template::literal(raw))
    }
}

fn parse_principal(
    raw: &Value,
    negated: bool,
    path: &str,
) -> Result<PrincipalElement, PolicyError> {
    let mut element = PrincipalElement {
        negated,
        ..PrincipalElement::default()
    };
    match raw {
        Value::String(s) if s == "*" => element.everyone = true,
        Value::Object(map) if !map.is_empty() => {
            for (kind, values) in map {
                let kind_path = format!("{path}.{kind}");
                let values: Vec<String> = string_list(values, &kind_path)?
                    .into_iter()
                    .map(str::to_string)
                    .collect();
                match kind.as_str() {
                    "AWS" => {
                        for value in &values {
                            let is_account =
                                value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit());
                            if value != "*" && !is_account && !value.starts_with("arn:") {
                                return Err(PolicyError::at(
                                    &kind_path,
                                    format!("invalid principal in policy: `{value}`"),
                                ));
                            }
                            // A wildcard cannot match part of a principal name or ARN.
                            // See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html>.
                            if value != "*" && value.contains(['*', '?']) {
                                return Err(PolicyError::at(
                                    &kind_path,
                                    format!(
                                        "invalid principal in policy: `{value}` (wildcards cannot match part of a principal ARN)"
                                    ),
                                ));
                            }
                        }
                        element.aws.extend(values);
                    }
                    "Federated" => element.federated.extend(values),
                    "Service" => element.service.extend(values),
                    "CanonicalUser" => element.canonical_user.extend(values),
                    other => {
                        return Err(PolicyError::at(
                            path,
                            format!("unknown principal type `{other}`"),
                        ));
                    }
                }
            }
        }
        other => {
            return Err(PolicyError::at(
                path,
                format!("must be \"*\" or an object of principal types, found {other}"),
            ));
        }
    }
    Ok(element)
}

fn parse_conditions(
    raw: &Value,
    path: &str,
    version: PolicyVersion,
) -> Result<Vec<Condition>, PolicyError> {
    let Value::Object(operators) = raw else {
        return Err(PolicyError::at(
            path,
            "must be an object of condition operators",
        ));
    };
    let mut conditions = Vec::new();
    for (operator_name, keys) in operators {
        let operator_path = format!("{path}.{operator_name}");
        let operator = ConditionOperator::parse(operator_name).ok_or_else(|| {
            PolicyError::at(path, format!("invalid condition type `{operator_name}`"))
        })?;
        let Value::Object(keys) = keys else {
            return Err(PolicyError::at(
                &operator_path,
                "must be an object of condition keys",
            ));
        };
        if keys.is_empty() {
            return Err(PolicyError::at(&operator_path, "has no condition keys"));
        }
        for (key, values) in keys {
            let key_path = format!("{operator_path}.{key}");
            // Condition keys name their service the way actions do.
            // See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html>.
            if !key
                .split_once(':')
                .is_some_and(|(vendor, name)| !vendor.is_empty() && !name.is_empty())
            {
                return Err(PolicyError::at(
                    &key_path,
                    format!("condition key `{key}` must be prefaced by a vendor, e.g. `aws:`"),
                ));
            }
            let texts = condition_values(values, &key_path)?;
            let policy_values = texts
                .iter()
                .map(|text| {
                    PolicyValue::parse(operator.base.comparison, text, version.supports_variables())
                        .map_err(|message| PolicyError::at(&key_path, message))
                })
                .collect::<Result<Vec<_>, _>>()?;
            conditions.push(Condition {
                operator: operator.clone(),
                key: key.clone(),
                lookup_key: key.to_ascii_lowercase(),
                values: policy_values,
            });
        }
    }
    Ok(conditions)
}

/// Condition values: a string, number or boolean, or a non-empty array of them.
fn condition_values(raw: &Value, path: &str) -> Result<Vec<String>, PolicyError> {
    fn scalar(value: &Value, path: &str) -> Result<String, PolicyError> {
        match value {
            Value::String(s) => Ok(s.clone()),
            Value::Number(n) => Ok(n.to_string()),
            Value::Bool(b) => Ok(b.to_string()),
            other => Err(PolicyError::at(
                path,
                format!("a condition value must be a string, number or boolean, found {other}"),
            )),
        }
    }
    match raw {
        Value::Array(items) if items.is_empty() => {
            Err(PolicyError::at(path, "must not be an empty array"))
        }
        Value::Array(items) => items.iter().map(|item| scalar(item, path)).collect(),
        other => Ok(vec![scalar(other, path)?]),
    }
}
