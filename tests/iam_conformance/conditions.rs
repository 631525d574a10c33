//! Condition operators, IfExists, set operators, and the AND / OR logic of conditions.

use crate::case::{Case, allow, allow_if, case, doc, policy};
use xtenant::sim::iam::PolicyKind::Identity;

/// A policy allowing s3:GetObject on everything when `condition` holds.
fn when(condition: &str) -> String {
    policy(&allow_if("s3:GetObject", "*", condition))
}

/// A policy allowing everything but denying s3:GetObject when `condition` holds.
fn deny_when(condition: &str) -> String {
    policy(&format!(
        r#"{},{{"Sid":"Guard","Effect":"Deny","Action":"s3:GetObject","Resource":"*","Condition":{condition}}}"#,
        allow("*", "*")
    ))
}

pub fn cases() -> Vec<Case> {
    let tag = "aws:PrincipalTag/tenant";
    vec![
        // String operators.
        case("string_equals_match", doc::OPERATORS, "StringEquals: exact, case-sensitive match")
            .identity(when(r#"{"StringEquals":{"aws:PrincipalTag/tenant":"acme"}}"#))
            .ctx(tag, "acme")
            .expect_allow(),
        case("string_equals_mismatch", doc::OPERATORS, "StringEquals fails on a different value")
            .identity(when(r#"{"StringEquals":{"aws:PrincipalTag/tenant":"acme"}}"#))
            .ctx(tag, "globex")
            .expect_implicit_deny(Identity),
        case("string_equals_case_sensitive", doc::OPERATORS, "StringEquals is case-sensitive")
            .identity(when(r#"{"StringEquals":{"aws:PrincipalTag/tenant":"Acme"}}"#))
            .ctx(tag, "acme")
            .expect_implicit_deny(Identity),
        case("string_equals_no_wildcards", doc::OPERATORS, "StringEquals treats * literally")
            .identity(when(r#"{"StringEquals":{"aws:PrincipalTag/tenant":"ac*"}}"#))
            .ctx(tag, "acme")
            .expect_implicit_deny(Identity),
        case("string_not_equals_different", doc::OPERATORS, "StringNotEquals holds for a different value")
            .identity(when(r#"{"StringNotEquals":{"aws:PrincipalTag/tenant":"globex"}}"#))
            .ctx(tag, "acme")
            .expect_allow(),
        case("string_not_equals_same", doc::OPERATORS, "StringNotEquals fails for an equal value")
            .identity(when(r#"{"StringNotEquals":{"aws:PrincipalTag/tenant":"acme"}}"#))
            .ctx(tag, "acme")
            .expect_implicit_deny(Identity),
        case("string_not_equals_any_listed", doc::CONDITION_LOGIC, "a negated operator with several values holds only if the key matches none")
            .identity(when(r#"{"StringNotEquals":{"aws:PrincipalTag/tenant":["globex","acme"]}}"#))
            .ctx(tag, "acme")
            .expect_implicit_deny(Identity),
        case("string_equals_ignore_case", doc::OPERATORS, "StringEqualsIgnoreCase ignores case")
            .identity(when(r#"{"StringEqualsIgnoreCase":{"aws:PrincipalTag/tenant":"ACME"}}"#))
            .ctx(tag, "acme")
            .expect_allow(),
        case("string_not_equals_ignore_case", doc::OPERATORS, "StringNotEqualsIgnoreCase fails for a value equal but for case")
            .identity(when(r#"{"StringNotEqualsIgnoreCase":{"aws:PrincipalTag/tenant":"ACME"}}"#))
            .ctx(tag, "acme")
            .expect_implicit_deny(Identity),
        case("string_like_star", doc::OPERATORS, "StringLike: * matches any run of characters")
            .identity(when(r#"{"StringLike":{"s3:prefix":"acme/*"}}"#))
            .ctx("s3:prefix", "acme/reports/2024")
            .expect_allow(),
        case("string_like_question_mark", doc::OPERATORS, "StringLike: ? matches one character")
            .identity(when(r#"{"StringLike":{"aws:PrincipalTag/tenant":"acm?"}}"#))
            .ctx(tag, "acme")
            .expect_allow(),
        case("string_like_case_sensitive", doc::OPERATORS, "StringLike is case-sensitive")
            .identity(when(r#"{"StringLike":{"s3:prefix":"Acme/*"}}"#))
            .ctx("s3:prefix", "acme/x")
            .expect_implicit_deny(Identity),
        case("string_not_like", doc::OPERATORS, "StringNotLike holds when no pattern matches")
            .identity(when(r#"{"StringNotLike":{"s3:prefix":"globex/*"}}"#))
            .ctx("s3:prefix", "acme/x")
            .expect_allow(),
        case("string_not_like_matching", doc::OPERATORS, "StringNotLike fails when a pattern matches")
            .identity(when(r#"{"StringNotLike":{"s3:prefix":"acme/*"}}"#))
            .ctx("s3:prefix", "acme/x")
            .expect_implicit_deny(Identity),
        case("multiple_values_or", doc::CONDITION_LOGIC, "several values for one key are OR-ed")
            .identity(when(r#"{"StringEquals":{"aws:PrincipalTag/tenant":["globex","acme"]}}"#))
            .ctx(tag, "acme")
            .expect_allow(),
        case("multiple_keys_and", doc::CONDITION_LOGIC, "several keys under one operator are AND-ed")
            .identity(when(r#"{"StringEquals":{"aws:PrincipalTag/tenant":"acme","aws:PrincipalTag/tier":"gold"}}"#))
            .ctx(tag, "acme")
            .ctx("aws:PrincipalTag/tier", "silver")
            .expect_implicit_deny(Identity),
        case("multiple_keys_all_hold", doc::CONDITION_LOGIC, "the statement applies when every key holds")
            .identity(when(r#"{"StringEquals":{"aws:PrincipalTag/tenant":"acme","aws:PrincipalTag/tier":"gold"}}"#))
            .ctx(tag, "acme")
            .ctx("aws:PrincipalTag/tier", "gold")
            .expect_allow(),
        case("multiple_operators_and", doc::CONDITION_LOGIC, "several operators in one Condition are AND-ed")
            .identity(when(r#"{"StringEquals":{"aws:PrincipalTag/tenant":"acme"},"Bool":{"aws:SecureTransport":"true"}}"#))
            .ctx(tag, "acme")
            .ctx("aws:SecureTransport", "false")
            .expect_implicit_deny(Identity),
        case("condition_key_case_insensitive", doc::CONDITION, "condition key names are case-insensitive")
            .identity(when(r#"{"StringEquals":{"AWS:PRINCIPALTAG/TENANT":"acme"}}"#))
            .ctx(tag, "acme")
            .expect_allow(),
        case("condition_value_case_sensitive", doc::CONDITION, "condition values keep their case")
            .identity(when(r#"{"StringEquals":{"aws:username":"Bob"}}"#))
            .ctx("aws:username", "bob")
            .expect_implicit_deny(Identity),
        // Absent keys.
        case("absent_key_positive_fails", doc::OPERATORS, "a key missing from the request fails a positive operator")
            .identity(when(r#"{"StringEquals":{"aws:PrincipalTag/tenant":"acme"}}"#))
            .expect_implicit_deny(Identity),
        case("absent_key_negated_holds", doc::OPERATORS, "a key missing from the request satisfies a negated operator")
            .identity(when(r#"{"StringNotEquals":{"aws:PrincipalTag/tenant":"acme"}}"#))
            .expect_allow(),
        case("absent_key_negated_deny_applies", doc::OPERATORS, "a Deny with StringNotLike applies when the key is missing")
            .identity(deny_when(r#"{"StringNotLike":{"s3:prefix":"acme/*"}}"#))
            .expect_explicit_deny(),
        case("if_exists_absent_holds", doc::OPERATORS, "...IfExists is true when the key is absent")
            .identity(when(r#"{"StringEqualsIfExists":{"aws:PrincipalTag/tenant":"acme"}}"#))
            .expect_allow(),
        case("if_exists_present_compares", doc::OPERATORS, "...IfExists compares normally when the key is present")
            .identity(when(r#"{"StringEqualsIfExists":{"aws:PrincipalTag/tenant":"acme"}}"#))
            .ctx(tag, "globex")
            .expect_implicit_deny(Identity),
        case("bool_if_exists_deny_absent", doc::OPERATORS, "a Deny with BoolIfExists false applies when the key is absent")
            .identity(deny_when(r#"{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}"#))
            .expect_explicit_deny()
            .deciding_sid("Guard"),
        case("bool_if_exists_deny_present_true", doc::OPERATORS, "a Deny with BoolIfExists false spares a request with the key true")
            .identity(deny_when(r#"{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}"#))
            .ctx("aws:MultiFactorAuthPresent", "true")
            .expect_allow(),
        case("numeric_if_exists_absent", doc::OPERATORS, "NumericLessThanIfExists is true when the key is absent")
            .identity(when(r#"{"NumericLessThanIfExists":{"s3:max-keys":"10"}}"#))
            .expect_allow(),
        // Numeric.
        case("numeric_less_than", doc::OPERATORS, "NumericLessThan")
            .identity(when(r#"{"NumericLessThan":{"s3:max-keys":"10"}}"#))
            .ctx("s3:max-keys", "5")
            .expect_allow(),
        case("numeric_less_than_fails", doc::OPERATORS, "NumericLessThan fails for a larger value")
            .identity(when(r#"{"NumericLessThan":{"s3:max-keys":"10"}}"#))
            .ctx("s3:max-keys", "20")
            .expect_implicit_deny(Identity),
        case("numeric_less_than_is_strict", doc::OPERATORS, "NumericLessThan fails for an equal value")
            .identity(when(r#"{"NumericLessThan":{"s3:max-keys":"10"}}"#))
            .ctx("s3:max-keys", "10")
            .expect_implicit_deny(Identity),
        case("numeric_less_than_equals", doc::OPERATORS, "NumericLessThanEquals holds for an equal value")
            .identity(when(r#"{"NumericLessThanEquals":{"s3:max-keys":10}}"#))
            .ctx("s3:max-keys", "10")
            .expect_allow(),
        case("numeric_greater_than", doc::OPERATORS, "NumericGreaterThan")
            .identity(when(r#"{"NumericGreaterThan":{"aws:MultiFactorAuthAge":"3600"}}"#))
            .ctx("aws:MultiFactorAuthAge", "3601")
            .expect_allow(),
        case("numeric_greater_than_equals", doc::OPERATORS, "NumericGreaterThanEquals holds for an equal value")
            .identity(when(r#"{"NumericGreaterThanEquals":{"aws:MultiFactorAuthAge":"3600"}}"#))
            .ctx("aws:MultiFactorAuthAge", "3600")
            .expect_allow(),
        case("numeric_equals_decimal", doc::OPERATORS, "numeric operators compare values, not text")
            .identity(when(r#"{"NumericEquals":{"s3:max-keys":"10"}}"#))
            .ctx("s3:max-keys", "10.0")
            .expect_allow(),
        case("numeric_not_equals", doc::OPERATORS, "NumericNotEquals fails for an equal value")
            .identity(when(r#"{"NumericNotEquals":{"s3:max-keys":"10"}}"#))
            .ctx("s3:max-keys", "10")
            .expect_implicit_deny(Identity),
        case("numeric_request_not_a_number", doc::OPERATORS, "a non-numeric request value does not satisfy a numeric operator")
            .identity(when(r#"{"NumericLessThan":{"s3:max-keys":"10"}}"#))
            .ctx("s3:max-keys", "five")
            .expect_implicit_deny(Identity),
        // Date.
        case("date_greater_than", doc::OPERATORS, "DateGreaterThan compares ISO 8601 times")
            .identity(when(r#"{"DateGreaterThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}"#))
            .ctx("aws:CurrentTime", "2026-11-22T00:00:00Z")
            .expect_allow(),
        case("date_less_than_fails", doc::OPERATORS, "DateLessThan fails for a later time")
            .identity(when(r#"{"DateLessThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}"#))
            .ctx("aws:CurrentTime", "2026-11-22T00:00:00Z")
            .expect_implicit_deny(Identity),
        case("date_epoch_policy_value", doc::OPERATORS, "date values may be epoch seconds")
            .identity(when(r#"{"DateGreaterThanEquals":{"aws:CurrentTime":"1577836800"}}"#))
            .ctx("aws:CurrentTime", "2020-01-01T00:00:00Z")
            .expect_allow(),
        case("date_epoch_request_value", doc::OPERATORS, "aws:EpochTime compares as a date")
            .identity(when(r#"{"DateLessThan":{"aws:EpochTime":"2030-01-01T00:00:00Z"}}"#))
            .ctx("aws:EpochTime", "1763769600")
            .expect_allow(),
        case("date_only_value", doc::OPERATORS, "an ISO 8601 date without time is midnight UTC")
            .identity(when(r#"{"DateEquals":{"aws:CurrentTime":"2020-01-01"}}"#))
            .ctx("aws:CurrentTime", "2020-01-01T00:00:00Z")
            .expect_allow(),
        case("date_offsets_compared_as_instants", doc::OPERATORS, "date values with offsets compare as instants")
            .identity(when(r#"{"DateEquals":{"aws:CurrentTime":"2020-01-01T01:00:00+01:00"}}"#))
            .ctx("aws:CurrentTime", "2020-01-01T00:00:00Z")
            .expect_allow(),
        case("date_not_equals", doc::OPERATORS, "DateNotEquals fails for the same instant")
            .identity(when(r#"{"DateNotEquals":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}"#))
            .ctx("aws:CurrentTime", "2020-01-01T00:00:00Z")
            .expect_implicit_deny(Identity),
        case("date_less_than_equals", doc::OPERATORS, "DateLessThanEquals holds for the same instant")
            .identity(when(r#"{"DateLessThanEquals":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}"#))
            .ctx("aws:CurrentTime", "2020-01-01T00:00:00Z")
            .expect_allow(),
        // Bool.
        case("bool_true", doc::OPERATORS, "Bool compares true")
            .identity(when(r#"{"Bool":{"aws:SecureTransport":"true"}}"#))
            .ctx("aws:SecureTransport", "true")
            .expect_allow(),
        case("bool_false_mismatch", doc::OPERATORS, "Bool true fails for false")
            .identity(when(r#"{"Bool":{"aws:SecureTransport":"true"}}"#))
            .ctx("aws:SecureTransport", "false")
            .expect_implicit_deny(Identity),
        case("bool_json_literal", doc::OPERATORS, "Bool accepts a JSON boolean value")
            .identity(when(r#"{"Bool":{"aws:SecureTransport":true}}"#))
            .ctx("aws:SecureTransport", "true")
            .expect_allow(),
        case("bool_deny_insecure_transport", doc::OPERATORS, "a Deny on aws:SecureTransport false denies plain HTTP")
            .identity(deny_when(r#"{"Bool":{"aws:SecureTransport":"false"}}"#))
            .ctx("aws:SecureTransport", "false")
            .expect_explicit_deny(),
        case("bool_absent_key", doc::OPERATORS, "Bool fails when the key is absent")
            .identity(when(r#"{"Bool":{"aws:SecureTransport":"true"}}"#))
            .expect_implicit_deny(Identity),
        // Binary.
        case("binary_equals", doc::OPERATORS, "BinaryEquals compares base64-encoded bytes")
            .identity(when(r#"{"BinaryEquals":{"s3:x-amz-content-sha256":"QmluYXJ5VmFsdWU="}}"#))
            .ctx("s3:x-amz-content-sha256", "QmluYXJ5VmFsdWU=")
            .expect_allow(),
        case("binary_equals_mismatch", doc::OPERATORS, "BinaryEquals fails for other bytes")
            .identity(when(r#"{"BinaryEquals":{"s3:x-amz-content-sha256":"QmluYXJ5VmFsdWU="}}"#))
            .ctx("s3:x-amz-content-sha256", "T3RoZXI=")
            .expect_implicit_deny(Identity),
        // IP addresses.
        case("ip_address_in_range", doc::OPERATORS, "IpAddress matches an address inside the CIDR range")
            .identity(when(r#"{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#))
            .ctx("aws:SourceIp", "203.0.113.7")
            .expect_allow(),
        case("ip_address_outside_range", doc::OPERATORS, "IpAddress fails outside the range")
            .identity(when(r#"{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#))
            .ctx("aws:SourceIp", "198.51.100.1")
            .expect_implicit_deny(Identity),
        case("ip_address_single_host", doc::OPERATORS, "an address without a prefix length is a single host")
            .identity(when(r#"{"IpAddress":{"aws:SourceIp":"127.0.0.1"}}"#))
            .ctx("aws:SourceIp", "127.0.0.1")
            .expect_allow(),
        case("ip_address_ipv6", doc::OPERATORS, "IpAddress supports IPv6 ranges")
            .identity(when(r#"{"IpAddress":{"aws:SourceIp":"2001:db8::/32"}}"#))
            .ctx("aws:SourceIp", "2001:db8:1234::1")
            .expect_allow(),
        case("not_ip_address_deny_outside", doc::OPERATORS, "a Deny with NotIpAddress denies requests from outside the range")
            .identity(deny_when(r#"{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#))
            .ctx("aws:SourceIp", "198.51.100.1")
            .expect_explicit_deny(),
        case("not_ip_address_deny_inside", doc::OPERATORS, "a Deny with NotIpAddress spares requests from inside the range")
            .identity(deny_when(r#"{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#))
            .ctx("aws:SourceIp", "203.0.113.9")
            .expect_allow(),
        case("not_ip_address_absent_deny", doc::OPERATORS, "a negated operator over an absent key holds, so the Deny applies")
            .identity(deny_when(r#"{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#))
            .expect_explicit_deny(),
        // ARN.
        case("arn_equals", doc::OPERATORS, "ArnEquals matches the same ARN")
            .identity(when(r#"{"ArnEquals":{"aws:SourceArn":"arn:aws:sns:us-east-1:111122223333:topic"}}"#))
            .ctx("aws:SourceArn", "arn:aws:sns:us-east-1:111122223333:topic")
            .expect_allow(),
        case("arn_like_wildcard_in_segment", doc::OPERATORS, "ArnLike: wildcards match within an ARN segment")
            .identity(when(r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/Tenant*"}}"#))
            .ctx("aws:PrincipalArn", "arn:aws:iam::111122223333:role/TenantRole")
            .expect_allow(),
        case("arn_like_star_stays_in_segment", doc::OPERATORS, "ArnLike: each of the six ARN segments is matched separately")
            .identity(when(r#"{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::*"}}"#))
            .ctx("aws:SourceArn", "arn:aws:s3:us-east-1::bucket")
            .expect_implicit_deny(Identity),
        case("arn_like_case_sensitive", doc::OPERATORS, "ARN comparison is case-sensitive")
            .identity(when(r#"{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/tenantrole"}}"#))
            .ctx("aws:PrincipalArn", "arn:aws:iam::111122223333:role/TenantRole")
            .expect_implicit_deny(Identity),
        case("arn_not_equals", doc::OPERATORS, "ArnNotEquals holds for another ARN")
            .identity(when(r#"{"ArnNotEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/Admin"}}"#))
            .ctx("aws:PrincipalArn", "arn:aws:iam::111122223333:role/TenantRole")
            .expect_allow(),
        case("arn_not_like_deny", doc::OPERATORS, "a Deny with ArnNotLike applies to principals outside the pattern")
            .identity(deny_when(r#"{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/Admin*"}}"#))
            .ctx("aws:PrincipalArn", "arn:aws:iam::111122223333:role/TenantRole")
            .expect_explicit_deny(),
        case("arn_like_not_an_arn", doc::OPERATORS, "a request value that is not an ARN does not match")
            .identity(when(r#"{"ArnLike":{"aws:SourceArn":"arn:aws:*:*:*:*"}}"#))
            .ctx("aws:SourceArn", "not-an-arn")
            .expect_implicit_deny(Identity),
        // Null.
        case("null_true_absent", doc::OPERATORS, "Null true holds when the key is absent")
            .identity(when(r#"{"Null":{"aws:TokenIssueTime":"true"}}"#))
            .expect_allow(),
        case("null_true_present", doc::OPERATORS, "Null true fails when the key is present")
            .identity(when(r#"{"Null":{"aws:TokenIssueTime":"true"}}"#))
            .ctx("aws:TokenIssueTime", "2026-11-22T00:00:00Z")
            .expect_implicit_deny(Identity),
        case("null_false_present", doc::OPERATORS, "Null false holds when the key is present")
            .identity(when(r#"{"Null":{"aws:PrincipalTag/tenant":"false"}}"#))
            .ctx(tag, "acme")
            .expect_allow(),
        case("null_false_absent", doc::OPERATORS, "Null false fails when the key is absent")
            .identity(when(r#"{"Null":{"aws:PrincipalTag/tenant":"false"}}"#))
            .expect_implicit_deny(Identity),
        // Set operators.
        case("for_all_values_subset", doc::MULTI_VALUED, "ForAllValues holds when every request value is in the policy set")
            .identity(when(r#"{"ForAllValues:StringEquals":{"aws:TagKeys":["env","tenant"]}}"#))
            .ctx_multi("aws:TagKeys", &["tenant"])
            .expect_allow(),
        case("for_all_values_extra_value", doc::MULTI_VALUED, "ForAllValues fails when a request value is outside the policy set")
            .identity(when(r#"{"ForAllValues:StringEquals":{"aws:TagKeys":["env","tenant"]}}"#))
            .ctx_multi("aws:TagKeys", &["tenant", "owner"])
            .expect_implicit_deny(Identity),
        case("for_all_values_absent_key", doc::MULTI_VALUED, "ForAllValues is true when the key is absent")
            .identity(when(r#"{"ForAllValues:StringEquals":{"aws:TagKeys":["env"]}}"#))
            .expect_allow(),
        case("for_all_values_empty_set", doc::MULTI_VALUED, "ForAllValues is true for an empty set")
            .identity(when(r#"{"ForAllValues:StringEquals":{"aws:TagKeys":["env"]}}"#))
            .ctx_multi("aws:TagKeys", &[])
            .expect_allow(),
        case("for_all_values_null_guard", doc::MULTI_VALUED, "Null false alongside ForAllValues rejects an absent key")
            .identity(when(r#"{"Null":{"aws:TagKeys":"false"},"ForAllValues:StringEquals":{"aws:TagKeys":["env"]}}"#))
            .expect_implicit_deny(Identity),
        case("for_any_value_one_match", doc::MULTI_VALUED, "ForAnyValue holds when one request value is in the policy set")
            .identity(when(r#"{"ForAnyValue:StringEquals":{"aws:TagKeys":["tenant"]}}"#))
            .ctx_multi("aws:TagKeys", &["owner", "tenant"])
            .expect_allow(),
        case("for_any_value_no_match", doc::MULTI_VALUED, "ForAnyValue fails when no request value is in the policy set")
            .identity(when(r#"{"ForAnyValue:StringEquals":{"aws:TagKeys":["tenant"]}}"#))
            .ctx_multi("aws:TagKeys", &["owner"])
            .expect_implicit_deny(Identity),
        case("for_any_value_absent_key", doc::MULTI_VALUED, "ForAnyValue is false when the key is absent")
            .identity(when(r#"{"ForAnyValue:StringEquals":{"aws:TagKeys":["tenant"]}}"#))
            .expect_implicit_deny(Identity),
        case("for_any_value_empty_set", doc::MULTI_VALUED, "ForAnyValue is false for an empty set")
            .identity(when(r#"{"ForAnyValue:StringEquals":{"aws:TagKeys":["tenant"]}}"#))
            .ctx_multi("aws:TagKeys", &[])
            .expect_implicit_deny(Identity),
        case("for_all_values_string_like", doc::MULTI_VALUED, "set operators combine with StringLike patterns")
            .identity(when(r#"{"ForAllValues:StringLike":{"aws:TagKeys":["tenant-*"]}}"#))
            .ctx_multi("aws:TagKeys", &["tenant-a", "tenant-b"])
            .expect_allow(),
        case("for_any_value_string_not_equals", doc::MULTI_VALUED, "ForAnyValue:StringNotEquals holds when one value is outside the set")
            .identity(when(r#"{"ForAnyValue:StringNotEquals":{"aws:TagKeys":["tenant"]}}"#))
            .ctx_multi("aws:TagKeys", &["tenant", "owner"])
            .expect_allow(),
        case("for_all_values_string_not_equals_deny", doc::MULTI_VALUED, "a Deny with ForAllValues:StringNotEquals spares a request using a listed key")
            .identity(deny_when(r#"{"ForAllValues:StringNotEquals":{"aws:TagKeys":["tenant"]}}"#))
            .ctx_multi("aws:TagKeys", &["tenant"])
            .expect_allow(),
        case("for_any_value_deny_restricted_key", doc::MULTI_VALUED, "a Deny with ForAnyValue applies when any restricted value is present")
            .identity(deny_when(r#"{"ForAnyValue:StringEquals":{"aws:TagKeys":["tenant"]}}"#))
            .ctx_multi("aws:TagKeys", &["env", "tenant"])
            .expect_explicit_deny(),
        // The IfExists section of the operators page reads as if an absent key made any
        // `...IfExists` condition true; the multivalued-keys page says ForAnyValue on an absent
        // key is false, and AWS answers so (re:Post "ForAnyValue:StringEqualsIfExists behaving
        // unexpectedly": ListQueues denied). The set operator is decided first.
        case("for_any_value_if_exists_absent", doc::MULTI_VALUED, "ForAnyValue is false on an absent key even with IfExists")
            .identity(when(r#"{"ForAnyValue:StringEqualsIfExists":{"aws:TagKeys":["tenant"]}}"#))
            .expect_implicit_deny(Identity),
        case("for_all_values_if_exists_absent", doc::MULTI_VALUED, "ForAllValues with IfExists is true on an absent key")
            .identity(when(r#"{"ForAllValues:StringEqualsIfExists":{"aws:TagKeys":["tenant"]}}"#))
            .expect_allow(),
        case("for_any_value_if_exists_present", doc::OPERATORS, "ForAnyValue with IfExists compares a present key as without IfExists")
            .identity(when(r#"{"ForAnyValue:StringEqualsIfExists":{"aws:TagKeys":["tenant"]}}"#))
            .ctx_multi("aws:TagKeys", &["owner"])
            .expect_implicit_deny(Identity),
        case("set_operator_single_valued_key", doc::MULTI_VALUED, "a single-valued key is a set of one for set operators")
            .identity(when(r#"{"ForAnyValue:StringEquals":{"aws:PrincipalTag/tenant":["acme","globex"]}}"#))
            .ctx(tag, "acme")
            .expect_allow(),
        case("multivalued_without_set_operator_any", doc::MULTI_VALUED, "a positive operator without a set operator holds when any value matches")
            .identity(when(r#"{"StringEquals":{"aws:TagKeys":"tenant"}}"#))
            .ctx_multi("aws:TagKeys", &["env", "tenant"])
            .expect_allow(),
        case("multivalued_without_set_operator_negated", doc::MULTI_VALUED, "a negated operator without a set operator fails when any value matches")
            .identity(when(r#"{"StringNotEquals":{"aws:TagKeys":"tenant"}}"#))
            .ctx_multi("aws:TagKeys", &["env", "tenant"])
            .expect_implicit_deny(Identity),
    ]
}
