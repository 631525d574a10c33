//! One condition of a statement (`"Operator": {"key": values}`) and its evaluation.
//! See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html>.

use super::context::RequestContext;
use super::operator::{BaseOperator, Comparison, PolicyValue, compare};

/// `ForAllValues:` / `ForAnyValue:`.
/// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html>.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetOperator {
    ForAllValues,
    ForAnyValue,
}

/// An operator as written: set qualifier, base operator, `IfExists`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionOperator {
    /// The name as written, for example `ForAllValues:StringEqualsIfExists`.
    pub name: String,
    pub set: Option<SetOperator>,
    pub base: BaseOperator,
    /// `...IfExists`: an absent key makes the condition true.
    /// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IfExists>.
    pub if_exists: bool,
}

impl ConditionOperator {
    /// Parses an operator name; `None` when IAM has no such operator.
    pub fn parse(name: &str) -> Option<Self> {
        let (set, rest) = if let Some(rest) = name.strip_prefix("ForAllValues:") {
            (Some(SetOperator::ForAllValues), rest)
        } else if let Some(rest) = name.strip_prefix("ForAnyValue:") {
            (Some(SetOperator::ForAnyValue), rest)
        } else {
            (None, name)
        };
        let (base_name, if_exists) = match rest.strip_suffix("IfExists") {
            Some(base) => (base, true),
            None => (rest, false),
        };
        let base = BaseOperator::from_name(base_name)?;
        // `Null` takes neither a set qualifier nor `IfExists`: it is the check for absence.
        if base.comparison == Comparison::Null && (set.is_some() || if_exists) {
            return None;
        }
        Some(ConditionOperator {
            name: name.to_string(),
            set,
            base,
            if_exists,
        })
    }
}

/// One key under one operator, with its policy values (OR-ed).
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub operator: ConditionOperator,
    /// The condition key as written; looked up case-insensitively.
    pub key: String,
    /// The key lowercased, so lookups need no allocation.
    pub lookup_key: String,
    pub values: Vec<PolicyValue>,
}

impl Condition {
    /// Whether the condition holds for the request.
    pub fn holds(&self, context: &RequestContext) -> bool {
        let request_values = context.get(&self.lookup_key);
        let operator = &self.operator;
        if operator.base.comparison == Comparison::Null {
            // `Null: true` holds when the key is absent (an empty set counts as absent),
            // `Null: false` when it is present.
            // See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Null>.
            let is_null = request_values.is_none_or(|v| v.is_empty());
            return self
                .values
                .iter()
                .any(|v| matches!(v, PolicyValue::Bool(b) if *b == is_null));
        }
        let present: &[String] = match request_values {
            Some(values) if !values.is_empty() => values,
            _ => {
                return match operator.set {
                    // ForAllValues over an absent key or an empty set is true; ForAnyValue
                    // is false, `IfExists` or not: the set operator is decided first.
                    // See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html>.
                    Some(SetOperator::ForAllValues) => true,
                    Some(SetOperator::ForAnyValue) => false,
                    _ if operator.if_exists => true,
                    // An absent key fails a positive operator and satisfies a negated one.
                    // See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html>.
                    None => operator.base.negated,
                };
            }
        };
        match operator.set {
            Some(SetOperator::ForAllValues) => present
                .iter()
                .all(|r| self.one_value_holds(r, context) == Some(true)),
            Some(SetOperator::ForAnyValue) => present
                .iter()
                .any(|r| self.one_value_holds(r, context) == Some(true)),
            None => {
                // Without a set operator the key's values are compared as a whole: a
                // positive operator holds when any request value matches a policy value,
                // a negated one when none does.
                let mut any_match = false;
                for r in present {
                    match self.positive_match(r, context) {
                        Some(true) => any_match = true,
                        Some(false) => {}
                        None if operator.base.negated => return false,
                        None => {}
                    }
                }
                any_match != operator.base.negated
            }
        }
    }

    /// The operator applied to one request value against every policy value (OR).
    /// `None` when the answer depends on a policy variable that could not be resolved.
    fn one_value_holds(&self, request_value: &str, context: &RequestContext) -> Option<bool> {
        let matched = self.positive_match(request_value, context);
        if self.operator.base.negated {
            // A negated operator needs every policy value known to say "none matched".
            matched.map(|m| !m)
        } else {
            Some(matched.unwrap_or(false))
        }
    }

    /// Whether any policy value matches the request value. An unresolvable policy value
    /// does not match; `None` when no value matched and some could not be resolved.
    fn positive_match(&self, request_value: &str, context: &RequestContext) -> Option<bool> {
        let mut unresolved = false;
        for policy_value in &self.values {
            match compare(
                self.operator.base.comparison,
                request_value,
                policy_value,
                context,
            ) {
                Some(true) => return Some(true),
                Some(false) => {}
                None => unresolved = true,
            }
        }
        if unresolved { None } else { Some(false) }
    }
}
