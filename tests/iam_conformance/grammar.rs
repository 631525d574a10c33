//! Parsing: the policy grammar and AWS's MalformedPolicyDocument cases.

use crate::case::{Case, allow, case, doc, policy};
use xtenant::sim::iam::PolicyUse;

pub fn cases() -> Vec<Case> {
    let s3 = "arn:aws:s3:::bucket/key";
    vec![
        case("statement_as_single_object", doc::STATEMENT, "Statement may be a single object instead of an array")
            .identity(r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}"#)
            .expect_allow(),
        case("statement_as_array", doc::STATEMENT, "Statement may be an array of statements")
            .identity(policy(&allow("s3:GetObject", s3)))
            .expect_allow(),
        case("missing_statement", doc::GRAMMAR, "Statement is required")
            .identity(r#"{"Version":"2012-10-17"}"#)
            .expect_malformed("Statement"),
        case("empty_statement_array", doc::GRAMMAR, "a policy holds at least one statement")
            .identity(r#"{"Version":"2012-10-17","Statement":[]}"#)
            .expect_malformed("at least one statement"),
        case("unknown_version", doc::VERSION, "Version is 2012-10-17 or 2008-10-17")
            .identity(r#"{"Version":"2012-10-18","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#)
            .expect_malformed("Version"),
        case("version_must_be_string", doc::VERSION, "Version is a string")
            .identity(r#"{"Version":2012,"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#)
            .expect_malformed("Version"),
        case("effect_is_case_sensitive", doc::EFFECT, "Effect is exactly Allow or Deny")
            .identity(policy(r#"{"Effect":"allow","Action":"s3:*","Resource":"*"}"#))
            .expect_malformed("Effect"),
        case("effect_required", doc::EFFECT, "Effect is required")
            .identity(policy(r#"{"Action":"s3:*","Resource":"*"}"#))
            .expect_malformed("Effect"),
        case("action_and_not_action_exclusive", doc::NOT_ACTION, "Action and NotAction are mutually exclusive")
            .identity(policy(r#"{"Effect":"Allow","Action":"s3:*","NotAction":"iam:*","Resource":"*"}"#))
            .expect_malformed("cannot both"),
        case("resource_and_not_resource_exclusive", doc::NOT_RESOURCE, "Resource and NotResource are mutually exclusive")
            .identity(policy(r#"{"Effect":"Allow","Action":"s3:*","Resource":"*","NotResource":"arn:aws:s3:::x"}"#))
            .expect_malformed("cannot both"),
        case("principal_and_not_principal_exclusive", doc::NOT_PRINCIPAL, "Principal and NotPrincipal are mutually exclusive")
            .identity(policy(r#"{"Effect":"Deny","Principal":"*","NotPrincipal":{"AWS":"111122223333"},"Action":"s3:*","Resource":"*"}"#))
            .expect_malformed_as(PolicyUse::Resource, "cannot both"),
        case("action_required", doc::ACTION, "a statement needs Action or NotAction")
            .identity(policy(r#"{"Effect":"Allow","Resource":"*"}"#))
            .expect_malformed("Action or NotAction"),
        case("action_needs_vendor_prefix", doc::ACTION, "actions are prefaced by a service namespace")
            .identity(policy(r#"{"Effect":"Allow","Action":"GetObject","Resource":"*"}"#))
            .expect_malformed("vendor"),
        case("empty_action_array", doc::ACTION, "an action list is not empty")
            .identity(policy(r#"{"Effect":"Allow","Action":[],"Resource":"*"}"#))
            .expect_malformed("empty array"),
        case("resource_must_be_arn", doc::RESOURCE, "Resource is an ARN or *")
            .identity(policy(r#"{"Effect":"Allow","Action":"s3:*","Resource":"bucket/key"}"#))
            .expect_malformed("ARN format"),
        case("identity_policy_needs_resource", doc::RESOURCE, "identity-based policy statements must include Resource or NotResource")
            .identity(policy(r#"{"Effect":"Allow","Action":"s3:*"}"#))
            .expect_malformed("Resource or NotResource"),
        case("unknown_statement_element", doc::GRAMMAR, "only the grammar's elements may appear in a statement")
            .identity(policy(r#"{"Effect":"Allow","Actions":"s3:*","Resource":"*"}"#))
            .expect_malformed("unknown element `Actions`"),
        case("unknown_policy_element", doc::GRAMMAR, "only Version, Id and Statement appear at the top level")
            .identity(r#"{"Version":"2012-10-17","Statment":[],"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#)
            .expect_malformed("unknown element `Statment`"),
        case("duplicate_sid", doc::SID, "Sid values are unique within a policy")
            .identity(policy(r#"{"Sid":"A","Effect":"Allow","Action":"s3:*","Resource":"*"},{"Sid":"A","Effect":"Deny","Action":"s3:*","Resource":"*"}"#))
            .expect_malformed("unique"),
        case("sid_must_be_string", doc::SID, "Sid is a string")
            .identity(policy(r#"{"Sid":1,"Effect":"Allow","Action":"s3:*","Resource":"*"}"#))
            .expect_malformed("Sid"),
        case("unknown_condition_operator", doc::OPERATORS, "only documented condition operators are accepted")
            .identity(policy(r#"{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEqualz":{"aws:username":"x"}}}"#))
            .expect_malformed("invalid condition type"),
        case("condition_key_needs_vendor", doc::CONDITION, "condition keys are prefaced by a service namespace")
            .identity(policy(r#"{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"username":"x"}}}"#))
            .expect_malformed("vendor"),
        case("numeric_value_must_be_number", doc::OPERATORS, "numeric operators compare numbers")
            .identity(policy(r#"{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NumericLessThan":{"s3:max-keys":"ten"}}}"#))
            .expect_malformed("not a number"),
        case("bool_value_must_be_boolean", doc::OPERATORS, "Bool compares true or false")
            .identity(policy(r#"{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"yes"}}}"#))
            .expect_malformed("`true` or `false`"),
        case("ip_value_must_be_cidr", doc::OPERATORS, "IpAddress compares IPv4 or IPv6 CIDR ranges")
            .identity(policy(r#"{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"300.1.1.1/8"}}}"#))
            .expect_malformed("CIDR"),
        case("date_value_must_be_date", doc::OPERATORS, "date operators compare ISO 8601 dates or epoch times")
            .identity(policy(r#"{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":"tomorrow"}}}"#))
            .expect_malformed("ISO 8601"),
        case("null_takes_no_if_exists", doc::OPERATORS, "Null checks existence and has no IfExists form")
            .identity(policy(r#"{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NullIfExists":{"aws:username":"true"}}}"#))
            .expect_malformed("invalid condition type"),
        case("empty_condition_values", doc::CONDITION, "a condition key has at least one value")
            .identity(policy(r#"{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:username":[]}}}"#))
            .expect_malformed("empty array"),
        case("not_json", doc::GRAMMAR, "a policy is a JSON document")
            .identity("{\"Version\": \"2012-10-17\",")
            .expect_malformed("not valid JSON"),
        case("statement_entries_are_objects", doc::STATEMENT, "each statement is a JSON object")
            .identity(r#"{"Version":"2012-10-17","Statement":["Allow"]}"#)
            .expect_malformed("JSON object"),
        case("unknown_principal_type", doc::PRINCIPAL, "principal types are AWS, Federated, Service, CanonicalUser")
            .identity(policy(r#"{"Effect":"Allow","Principal":{"Aws":"111122223333"},"Action":"s3:*","Resource":"*"}"#))
            .expect_malformed_as(PolicyUse::Resource, "unknown principal type"),
        case("aws_principal_is_arn_or_account", doc::PRINCIPAL, "an AWS principal is an ARN, an account id or *")
            .identity(policy(r#"{"Effect":"Allow","Principal":{"AWS":"alice"},"Action":"s3:*","Resource":"*"}"#))
            .expect_malformed_as(PolicyUse::Resource, "invalid principal"),
        case("aws_principal_no_partial_wildcard", doc::PRINCIPAL, "a wildcard cannot match part of a principal ARN")
            .identity(policy(r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/Tenant*"},"Action":"s3:*","Resource":"*"}"#))
            .expect_malformed_as(PolicyUse::Resource, "wildcards cannot match part"),
        case("identity_policy_names_no_principal", doc::PRINCIPAL, "identity-based policies cannot contain Principal")
            .identity(policy(r#"{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}"#))
            .expect_malformed("should not specify a principal"),
        case("resource_policy_names_principal", doc::PRINCIPAL, "resource-based policies must contain Principal")
            .identity(policy(&allow("s3:*", "*")))
            .expect_malformed_as(PolicyUse::Resource, "Principal or NotPrincipal"),
        case("trust_policy_prohibits_resource", doc::PRINCIPAL, "a role trust policy has no Resource element")
            .identity(policy(r#"{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity","Resource":"*"}"#))
            .expect_malformed_as(PolicyUse::Trust, "prohibited field Resource"),
        case("trust_policy_needs_principal", doc::PRINCIPAL, "a role trust policy names a principal")
            .identity(policy(r#"{"Effect":"Allow","Action":"sts:AssumeRoleWithWebIdentity"}"#))
            .expect_malformed_as(PolicyUse::Trust, "Principal or NotPrincipal"),
        case("variable_default_needs_quotes", doc::VARIABLES, "a default value is written in single quotes after a comma")
            .identity(policy(r#"{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:username, guest}"}"#))
            .expect_malformed("single quotes"),
        case("statement_must_be_object_or_array", doc::STATEMENT, "Statement is an object or an array")
            .identity(r#"{"Version":"2012-10-17","Statement":"Allow"}"#)
            .expect_malformed("object or an array"),
    ]
}
