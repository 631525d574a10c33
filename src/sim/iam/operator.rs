//! Condition operators: what each operator family compares and how.
//! See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html>.

use super::context::RequestContext;
use super::variable::Template;
use super::wildcard::Pattern;
use base64::Engine;
use ipnet::IpNet;
use std::net::IpAddr;
use time::format_description::well_known::{Iso8601, Rfc3339};
use time::{Date, OffsetDateTime, PrimitiveDateTime, Time};

/// The positive comparison behind an operator; `StringNotEquals` is `StringEquals` negated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    /// Case-sensitive exact match; policy variables allowed.
    StringEquals,
    /// Exact match ignoring case; policy variables allowed.
    StringEqualsIgnoreCase,
    /// Case-sensitive match with `*` and `?`; policy variables allowed.
    StringLike,
    NumericEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    /// `true` / `false`.
    Bool,
    /// Base64-encoded bytes, compared byte for byte.
    BinaryEquals,
    /// An address within a CIDR range (IPv4 or IPv6).
    IpAddress,
    /// `ArnEquals` and `ArnLike` alike: each of the six colon-separated parts compared
    /// case-sensitively with `*` and `?` inside the part.
    ArnLike,
    /// The `Null` operator: whether the key is absent.
    Null,
}

/// An operator by name: its comparison and whether the result is negated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BaseOperator {
    pub comparison: Comparison,
    /// `StringNotEquals`, `NotIpAddress`, `ArnNotLike`, ...: true when no policy value
    /// matches.
    pub negated: bool,
}

impl BaseOperator {
    /// Looks up an operator name (without `ForAllValues:` / `ForAnyValue:` / `IfExists`).
    pub fn from_name(name: &str) -> Option<Self> {
        use Comparison::*;
        let (comparison, negated) = match name {
            "StringEquals" => (StringEquals, false),
            "StringNotEquals" => (StringEquals, true),
            "StringEqualsIgnoreCase" => (StringEqualsIgnoreCase, false),
            "StringNotEqualsIgnoreCase" => (StringEqualsIgnoreCase, true),
            "StringLike" => (StringLike, false),
            "StringNotLike" => (StringLike, true),
            "NumericEquals" => (NumericEquals, false),
            "NumericNotEquals" => (NumericEquals, true),
            "NumericLessThan" => (NumericLessThan, false),
            "NumericLessThanEquals" => (NumericLessThanEquals, false),
            "NumericGreaterThan" => (NumericGreaterThan, false),
            "NumericGreaterThanEquals" => (NumericGreaterThanEquals, false),
            "DateEquals" => (DateEquals, false),
            "DateNotEquals" => (DateEquals, true),
            "DateLessThan" => (DateLessThan, false),
            "DateLessThanEquals" => (DateLessThanEquals, false),
            "DateGreaterThan" => (DateGreaterThan, false),
            "DateGreaterThanEquals" => (DateGreaterThanEquals, false),
            "Bool" => (Bool, false),
            "BinaryEquals" => (BinaryEquals, false),
            "IpAddress" => (IpAddress, false),
            "NotIpAddress" => (IpAddress, true),
            "ArnEquals" | "ArnLike" => (ArnLike, false),
            "ArnNotEquals" | "ArnNotLike" => (ArnLike, true),
            "Null" => (Null, false),
            _ => return None,
        };
        Some(BaseOperator {
            comparison,
            negated,
        })
    }
}

/// A condition value from the policy, checked and converted when the policy is parsed.
#[derive(Debug, Clone, PartialEq)]
pub enum PolicyValue {
    /// String and ARN operators; may hold policy variables.
    Text(Template),
    Number(f64),
    /// Nanoseconds since the Unix epoch.
    Date(i128),
    Bool(bool),
    Binary(Vec<u8>),
    Network(IpNet),
}

impl PolicyValue {
    /// Converts a policy's condition value (already rendered as text) for a comparison.
    pub fn parse(
        comparison: Comparison,
        text: &str,
        variables: bool,
    ) -> Result<PolicyValue, String> {
        use Comparison::*;
        let template = || {
            if variables {
                Template::with_variables(text).map_err(|e| e.0)
            } else {
                Ok(Template::literal(text))
            }
        };
        match comparison {
            StringEquals | StringEqualsIgnoreCase | StringLike | ArnLike => {
                Ok(PolicyValue::Text(template()?))
            }
            NumericEquals
            | NumericLessThan
            | NumericLessThanEquals
            | NumericGreaterThan
            | NumericGreaterThanEquals => parse_number(text)
                .map(PolicyValue::Number)
                .ok_or_else(|| format!("`{text}` is not a number")),
            DateEquals
            | DateLessThan
            | DateLessThanEquals
            | DateGreaterThan
            | DateGreaterThanEquals => parse_date(text)
                .map(PolicyValue::Date)
                .ok_or_else(|| format!("`{text}` is not an ISO 8601 date or epoch time")),
            Bool | Null => parse_bool(text)
                .map(PolicyValue::Bool)
                .ok_or_else(|| format!("`{text}` is not `true` or `false`")),
            BinaryEquals => base64::engine::general_purpose::STANDARD
                .decode(text)
                .map(PolicyValue::Binary)
                .map_err(|_| format!("`{text}` is not base64")),
            IpAddress => parse_network(text)
                .map(PolicyValue::Network)
                .ok_or_else(|| format!("`{text}` is not an IP address or CIDR range")),
        }
    }
}

/// Compares one request value with one policy value. `None` when a policy variable in the
/// policy value cannot be resolved. A request value the comparison cannot read (a number
/// key holding `abc`) does not match.
pub fn compare(
    comparison: Comparison,
    request_value: &str,
    policy_value: &PolicyValue,
    context: &RequestContext,
) -> Option<bool> {
    use Comparison::*;
    let matched = match (comparison, policy_value) {
        (StringEquals, PolicyValue::Text(t)) => *t.resolve_text(context)? == *request_value,
        (StringEqualsIgnoreCase, PolicyValue::Text(t)) => {
            t.resolve_text(context)?.to_lowercase() == request_value.to_lowercase()
        }
        (StringLike, PolicyValue::Text(t)) => t.resolve_pattern(context)?.matches(request_value),
        (ArnLike, PolicyValue::Text(t)) => {
            arn_like(t.resolve_pattern(context)?.as_ref(), request_value)
        }
        (NumericEquals, PolicyValue::Number(p)) => parse_number(request_value) == Some(*p),
        (NumericLessThan, PolicyValue::Number(p)) => {
            parse_number(request_value).is_some_and(|r| r < *p)
        }
        (NumericLessThanEquals, PolicyValue::Number(p)) => {
            parse_number(request_value).is_some_and(|r| r <= *p)
        }
        (NumericGreaterThan, PolicyValue::Number(p)) => {
            parse_number(request_value).is_some_and(|r| r > *p)
        }
        (NumericGreaterThanEquals, PolicyValue::Number(p)) => {
            parse_number(request_value).is_some_and(|r| r >= *p)
        }
        (DateEquals, PolicyValue::Date(p)) => parse_date(request_value) == Some(*p),
        (DateLessThan, PolicyValue::Date(p)) => parse_date(request_value).is_some_and(|r| r < *p),
        (DateLessThanEquals, PolicyValue::Date(p)) => {
            parse_date(request_value).is_some_and(|r| r <= *p)
        }
        (DateGreaterThan, PolicyValue::Date(p)) => {
            parse_date(request_value).is_some_and(|r| r > *p)
        }
        (DateGreaterThanEquals, PolicyValue::Date(p)) => {
            parse_date(request_value).is_some_and(|r| r >= *p)
        }
        (Bool, PolicyValue::Bool(p)) => parse_bool(request_value) == Some(*p),
        (BinaryEquals, PolicyValue::Binary(p)) => base64::engine::general_purpose::STANDARD
            .decode(request_value)
            .is_ok_and(|r| r == *p),
        (IpAddress, PolicyValue::Network(net)) => request_value
            .parse::<IpAddr>()
            .is_ok_and(|addr| net.contains(&addr)),
        // The parser only pairs a comparison with its own kind of value.
        _ => false,
    };
    Some(matched)
}

fn parse_number(text: &str) -> Option<f64> {
    text.trim().parse::<f64>().ok().filter(|n| n.is_finite())
}

fn parse_bool(text: &str) -> Option<bool> {
    if text.eq_ignore_ascii_case("true") {
        Some(true)
    } else if text.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// Dates are ISO 8601 (a date, or a date and time, UTC when no offset is given) or epoch
/// seconds.
/// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date>.
pub fn parse_date(text: &str) -> Option<i128> {
    let text = text.trim();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        let seconds: i64 = text.parse().ok()?;
        return Some(i128::from(seconds) * 1_000_000_000);
    }
    if let Ok(t) = OffsetDateTime::parse(text, &Rfc3339) {
        return Some(t.unix_timestamp_nanos());
    }
    if let Ok(t) = OffsetDateTime::parse(text, &Iso8601::DEFAULT) {
        return Some(t.unix_timestamp_nanos());
    }
    if let Ok(t) = PrimitiveDateTime::parse(text, &Iso8601::DEFAULT) {
        return Some(t.assume_utc().unix_timestamp_nanos());
    }
    if let Ok(d) = Date::parse(text, &Iso8601::DEFAULT) {
        return Some(
            PrimitiveDateTime::new(d, Time::MIDNIGHT)
                .assume_utc()
                .unix_timestamp_nanos(),
        );
    }
    None
}

/// A CIDR range, or a single address as its own /32 or /128.
/// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress>.
fn parse_network(text: &str) -> Option<IpNet> {
    let text = text.trim();
    if let Ok(net) = text.parse::<IpNet>() {
        return Some(net);
    }
    text.parse::<IpAddr>().ok().map(IpNet::from)
}

/// `ArnEquals` / `ArnLike`: each of the six colon-delimited parts matched on its own, so a
/// `*` cannot reach across the colons that separate them.
/// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN>.
fn arn_like(policy_arn: &Pattern, request_arn: &str) -> bool {
    let policy_parts = policy_arn.split_on(':', 6);
    let Some(request_parts) = split_arn(request_arn) else {
        return false;
    };
    policy_parts.len() == 6
        && policy_parts
            .iter()
            .zip(request_parts.iter())
            .all(|(p, r)| p.matches(r))
}

fn split_arn(arn: &str) -> Option<[&str; 6]> {
    let mut parts = arn.splitn(6, ':');
    let split = [
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    ];
    Some(split)
}
