//! An IAM authorization decision read out of a service's access-denied message: which action
//! was denied, by which kind of policy, and whether explicitly.
//!
//! AWS words every such decision the same way
//! (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html):
//!
//! ```text
//! User: PRINCIPAL is not authorized to perform: ACTION[ on resource: RESOURCE] because no POLICY-TYPE allows the ACTION action
//! User: PRINCIPAL is not authorized to perform: ACTION[ on resource: RESOURCE] with an explicit deny in a(n) POLICY-TYPE[: POLICY-ARN]
//! ```
//!
//! Messages without that shape ("Access Denied", "Request has expired", "There were headers
//! present in the request which were not signed") carry no decision and parse to `None`.

use serde::Serialize;
use std::fmt;

/// The kind of policy an access-denied message names.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum DenialLayer {
    /// "identity-based policy"
    Identity,
    /// "resource-based policy"
    Resource,
    /// "permissions boundary"
    Boundary,
    /// "session policy"
    Session,
    /// "service control policy"
    Scp,
    /// "resource control policy"
    Rcp,
    /// "VPC endpoint policy"
    VpcEndpoint,
    /// The message named the action but not the policy type (the older, shorter wording) or
    /// a policy type this table does not know.
    Unknown,
}

impl DenialLayer {
    /// The policy-type phrases of the IAM User Guide's access-denied messages.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html#access_denied_error_messages
    const PHRASES: [(&'static str, DenialLayer); 7] = [
        ("identity-based policy", DenialLayer::Identity),
        ("resource-based policy", DenialLayer::Resource),
        ("permissions boundary", DenialLayer::Boundary),
        ("session policy", DenialLayer::Session),
        ("service control policy", DenialLayer::Scp),
        ("resource control policy", DenialLayer::Rcp),
        ("VPC endpoint policy", DenialLayer::VpcEndpoint),
    ];

    fn from_phrase(text: &str) -> DenialLayer {
        DenialLayer::PHRASES
            .iter()
            .find(|(phrase, _)| text.starts_with(phrase))
            .map_or(DenialLayer::Unknown, |(_, layer)| *layer)
    }

    /// AWS's phrase for the layer ("identity-based policy"), or "unknown policy type".
    pub fn phrase(self) -> &'static str {
        DenialLayer::PHRASES
            .iter()
            .find(|(_, layer)| *layer == self)
            .map_or("unknown policy type", |(phrase, _)| phrase)
    }
}

impl fmt::Display for DenialLayer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.phrase())
    }
}

/// One authorization decision: `action` was denied by a `layer` policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct Denial {
    /// The IAM action the message names, for example `kms:Decrypt`.
    pub action: String,
    pub layer: DenialLayer,
    /// An explicit deny ("with an explicit deny in") rather than a missing allow.
    pub explicit: bool,
}

const USER_PREFIX: &str = "User: ";
const NOT_AUTHORIZED: &str = " is not authorized to perform: ";
const IMPLICIT: &str = " because no ";
const EXPLICIT: &str = " with an explicit deny in ";

impl Denial {
    /// Reads the decision out of `message`, or `None` when the message is not an IAM
    /// authorization decision.
    pub fn parse(message: &str) -> Option<Denial> {
        let message = message.trim();
        let rest = message.strip_prefix(USER_PREFIX)?;
        let (_principal, after) = rest.split_once(NOT_AUTHORIZED)?;
        let action_end = after
            .find(|c: char| c.is_whitespace())
            .unwrap_or(after.len());
        let action = &after[..action_end];
        if !is_iam_action(action) {
            return None;
        }
        let tail = &after[action_end..];
        if let Some(index) = tail.find(EXPLICIT) {
            let policy = strip_article(&tail[index + EXPLICIT.len()..]);
            return Some(Denial {
                action: action.to_owned(),
                layer: DenialLayer::from_phrase(policy),
                explicit: true,
            });
        }
        if let Some(index) = tail.find(IMPLICIT) {
            let policy = &tail[index + IMPLICIT.len()..];
            let layer = DenialLayer::from_phrase(policy);
            // The implicit form repeats the action ("allows the ACTION action"); a message
            // that repeats another action is not one AWS writes.
            let repeated = policy
                .split_once(" allows the ")
                .and_then(|(_, named)| named.split_whitespace().next());
            if repeated.is_some_and(|named| !named.eq_ignore_ascii_case(action)) {
                return None;
            }
            return Some(Denial {
                action: action.to_owned(),
                layer,
                explicit: false,
            });
        }
        // The shorter wording ("... is not authorized to perform: ACTION on resource: R")
        // names the action but not the policy type.
        let rest = tail.trim_start();
        if rest.is_empty() || rest.starts_with("on resource: ") {
            return Some(Denial {
                action: action.to_owned(),
                layer: DenialLayer::Unknown,
                explicit: false,
            });
        }
        None
    }

    /// Whether this denial names `iam_action` (IAM action names are case-insensitive).
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
    pub fn names(&self, iam_action: &str) -> bool {
        self.action.eq_ignore_ascii_case(iam_action)
    }
}

impl fmt::Display for Denial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = if self.explicit {
            "explicit deny"
        } else {
            "implicit deny"
        };
        write!(f, "{} ({kind}, {})", self.action, self.layer)
    }
}

/// `service:Action`: a lowercase service prefix and an action name.
// https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
fn is_iam_action(text: &str) -> bool {
    let Some((service, name)) = text.split_once(':') else {
        return false;
    };
    !service.is_empty()
        && service
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric())
}

fn strip_article(text: &str) -> &str {
    text.strip_prefix("an ")
        .or_else(|| text.strip_prefix("a "))
        .or_else(|| text.strip_prefix("the "))
        .unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROLE: &str = "arn:aws:sts::111122223333:assumed-role/acme/CognitoIdentityCredentials";

    fn parse(message: &str) -> Option<Denial> {
        Denial::parse(message)
    }

    #[test]
    fn implicit_denials_name_the_action_and_the_policy_type_without_an_allow() {
        for (phrase, layer) in DenialLayer::PHRASES {
            let message = format!(
                "User: {ROLE} is not authorized to perform: s3:GetObject on resource: \
                 \"arn:aws:s3:::b/k\" because no {phrase} allows the s3:GetObject action"
            );
            assert_eq!(
                parse(&message),
                Some(Denial {
                    action: "s3:GetObject".to_owned(),
                    layer,
                    explicit: false
                }),
                "{message}"
            );
        }
    }

    #[test]
    fn explicit_denials_name_the_policy_type_with_its_article_and_optional_arn() {
        for (phrase, layer) in DenialLayer::PHRASES {
            let article = if phrase.starts_with(['a', 'e', 'i', 'o', 'u']) {
                "an"
            } else {
                "a"
            };
            let message = format!(
                "User: {ROLE} is not authorized to perform: dynamodb:GetItem on resource: \
                 arn:aws:dynamodb:us-east-1:111122223333:table/t with an explicit deny in \
                 {article} {phrase}: arn:aws:iam::111122223333:policy/Deny"
            );
            assert_eq!(
                parse(&message),
                Some(Denial {
                    action: "dynamodb:GetItem".to_owned(),
                    layer,
                    explicit: true
                }),
                "{message}"
            );
        }
    }

    #[test]
    fn a_denial_without_a_resource_or_a_policy_type_still_names_its_action() {
        // ListSecrets has no resource; the IAM guide's example has no "on resource" either.
        let list = parse(&format!(
            "User: {ROLE} is not authorized to perform: secretsmanager:ListSecrets because no \
             identity-based policy allows the secretsmanager:ListSecrets action"
        ))
        .unwrap();
        assert_eq!(list.action, "secretsmanager:ListSecrets");
        assert_eq!(list.layer, DenialLayer::Identity);
        let short = parse(&format!(
            "User: {ROLE} is not authorized to perform: kms:Decrypt on resource: \
             arn:aws:kms:us-east-1:111122223333:key/k"
        ))
        .unwrap();
        assert_eq!(short.action, "kms:Decrypt");
        assert_eq!(short.layer, DenialLayer::Unknown);
        assert!(!short.explicit);
    }

    #[test]
    fn messages_without_an_authorization_decision_parse_to_none() {
        for message in [
            "Access Denied",
            "",
            "There were headers present in the request which were not signed",
            "Request has expired",
            "Invalid date format header, expected to be in ISO8601, RFC1123 or RFC1123Z time format.",
            "Access to KMS is not allowed",
            // Not AWS's grammar: no "User:" prefix, no action, a malformed action.
            "is not authorized to perform: s3:GetObject",
            "User: x is not authorized to perform: on resource: y",
            "User: x is not authorized to perform: GetObject on resource: y",
            // The repeated action must be the named one.
            "User: x is not authorized to perform: s3:GetObject because no identity-based \
             policy allows the s3:ListBucket action",
            // Trailing text that is neither a resource nor a reason.
            "User: x is not authorized to perform: s3:GetObject, please retry",
        ] {
            assert_eq!(parse(message), None, "{message}");
        }
    }

    #[test]
    fn names_compares_iam_actions_case_insensitively() {
        let denial = parse("User: x is not authorized to perform: kms:Decrypt").unwrap();
        assert!(denial.names("kms:decrypt"));
        assert!(!denial.names("s3:GetObject"));
        assert_eq!(
            denial.to_string(),
            "kms:Decrypt (implicit deny, unknown policy type)"
        );
    }
}
