//! The outcome of a policy evaluation and the statements that decided it.

use serde::Serialize;

/// The three outcomes of AWS's policy evaluation logic.
/// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html>.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Allow,
    ExplicitDeny,
    ImplicitDeny,
}

/// Which kind of policy a statement came from; AWS's denial messages name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyKind {
    Identity,
    Resource,
    Session,
    PermissionsBoundary,
    /// A role's trust policy, evaluated as a resource-based policy on `sts:AssumeRole*`.
    Trust,
}

impl PolicyKind {
    /// The phrase with its article, as in "with an explicit deny in an identity-based
    /// policy" or "in a session policy".
    /// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html>.
    pub fn phrase_with_article(self) -> String {
        let phrase = self.phrase();
        let article = if phrase.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        format!("{article} {phrase}")
    }

    /// The phrase AWS uses in `AccessDenied` messages ("identity-based policy", ...).
    /// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html>.
    pub fn phrase(self) -> &'static str {
        match self {
            PolicyKind::Identity => "identity-based policy",
            PolicyKind::Resource | PolicyKind::Trust => "resource-based policy",
            PolicyKind::Session => "session policy",
            PolicyKind::PermissionsBoundary => "permissions boundary",
        }
    }
}

/// A statement that took part in the decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DecidingStatement {
    /// The policy's name as the world file gives it (for example `role/TenantA/inline/s3`).
    pub policy: String,
    pub kind: PolicyKind,
    /// The statement's `Sid`, when it has one.
    pub sid: Option<String>,
    /// The statement's zero-based index within its policy.
    pub index: usize,
    pub allow: bool,
}

/// A decision with its explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evaluation {
    pub decision: Decision,
    /// For an explicit deny: the matching deny statements. For an allow: the matching allow
    /// statements. For an implicit deny: empty.
    pub statements: Vec<DecidingStatement>,
    /// For an implicit deny, the policy kind that lacked an allow (an identity-based policy,
    /// a session policy, a permissions boundary); `None` otherwise.
    pub missing_allow_in: Option<PolicyKind>,
}

impl Evaluation {
    pub fn is_allowed(&self) -> bool {
        self.decision == Decision::Allow
    }

    /// The tail AWS appends to an `AccessDenied` message, for example
    /// `with an explicit deny in an identity-based policy` or
    /// `because no identity-based policy allows the s3:GetObject action`.
    /// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html>.
    pub fn denial_reason(&self, action: &str) -> Option<String> {
        match self.decision {
            Decision::Allow => None,
            Decision::ExplicitDeny => {
                let kind = self
                    .statements
                    .first()
                    .map(|s| s.kind)
                    .unwrap_or(PolicyKind::Identity);
                Some(format!(
                    "with an explicit deny in {}",
                    kind.phrase_with_article()
                ))
            }
            Decision::ImplicitDeny => {
                let kind = self.missing_allow_in.unwrap_or(PolicyKind::Identity);
                Some(format!(
                    "because no {} allows the {action} action",
                    kind.phrase()
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn explicit(kind: PolicyKind) -> Evaluation {
        Evaluation {
            decision: Decision::ExplicitDeny,
            statements: vec![DecidingStatement {
                policy: "p".into(),
                kind,
                sid: None,
                index: 0,
                allow: false,
            }],
            missing_allow_in: None,
        }
    }

    #[test]
    fn denial_reasons_use_aws_wording() {
        assert_eq!(
            explicit(PolicyKind::Identity)
                .denial_reason("s3:GetObject")
                .unwrap(),
            "with an explicit deny in an identity-based policy"
        );
        assert_eq!(
            explicit(PolicyKind::Resource)
                .denial_reason("s3:GetObject")
                .unwrap(),
            "with an explicit deny in a resource-based policy"
        );
        assert_eq!(
            explicit(PolicyKind::Session)
                .denial_reason("s3:GetObject")
                .unwrap(),
            "with an explicit deny in a session policy"
        );
        let implicit = Evaluation {
            decision: Decision::ImplicitDeny,
            statements: vec![],
            missing_allow_in: Some(PolicyKind::PermissionsBoundary),
        };
        assert_eq!(
            implicit.denial_reason("s3:GetObject").unwrap(),
            "because no permissions boundary allows the s3:GetObject action"
        );
    }
}
