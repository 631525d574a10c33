//! Whether a user received the role the scenario expects.

use super::evidence::UserEvidence;
use serde::Serialize;

/// The result of checking a user's expected role: the runner makes it a test case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum RoleCheck {
    Held {
        role_arn: String,
    },
    WrongRole {
        expected: String,
        actual: String,
    },
    /// The user never got credentials, or the caller ARN could not be read.
    Inconclusive {
        reason: String,
    },
}

/// Compares `expected` (a role ARN or a role name) with the role in the caller ARN.
///
/// An assumed-role ARN carries the role's name but not its path, so an expected ARN is
/// compared by account and name.
// Assumed-role ARN format: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns.
pub fn check_expected_role(expected: &str, evidence: &UserEvidence) -> RoleCheck {
    if let Some(error) = &evidence.error {
        return RoleCheck::Inconclusive {
            reason: format!("the user has no credentials: {error}"),
        };
    }
    let Some(caller_arn) = &evidence.caller_arn else {
        return RoleCheck::Inconclusive {
            reason: "GetCallerIdentity returned no ARN".to_owned(),
        };
    };
    let Some(actual) = AssumedRole::parse(caller_arn) else {
        // Credentials of another kind of principal (an IAM user, a federated user) certainly
        // do not carry the role; text that is not an ARN at all says nothing.
        return if caller_arn.starts_with("arn:") {
            RoleCheck::WrongRole {
                expected: expected.to_owned(),
                actual: caller_arn.clone(),
            }
        } else {
            RoleCheck::Inconclusive {
                reason: format!("`{caller_arn}` is not an ARN, so the role is unknown"),
            }
        };
    };
    let Some(wanted) = ExpectedRole::parse(expected) else {
        return RoleCheck::Inconclusive {
            reason: format!("the expected role `{expected}` is neither a role ARN nor a role name"),
        };
    };
    if wanted.matches(&actual) {
        RoleCheck::Held {
            role_arn: actual.role_arn(),
        }
    } else {
        RoleCheck::WrongRole {
            expected: expected.to_owned(),
            actual: actual.role_arn(),
        }
    }
}

/// `arn:PARTITION:sts::ACCOUNT:assumed-role/ROLE/SESSION`, taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssumedRole {
    pub partition: String,
    pub account: String,
    pub role_name: String,
}

impl AssumedRole {
    pub fn parse(arn: &str) -> Option<AssumedRole> {
        let mut fields = arn.splitn(6, ':');
        let (Some("arn"), Some(partition), Some("sts"), Some(""), Some(account), Some(resource)) = (
            fields.next(),
            fields.next(),
            fields.next(),
            fields.next(),
            fields.next(),
            fields.next(),
        ) else {
            return None;
        };
        let mut parts = resource.splitn(3, '/');
        let (Some("assumed-role"), Some(role_name), Some(_session)) =
            (parts.next(), parts.next(), parts.next())
        else {
            return None;
        };
        Some(AssumedRole {
            partition: partition.to_owned(),
            account: account.to_owned(),
            role_name: role_name.to_owned(),
        })
    }

    /// The role's IAM ARN, without its path (which the assumed-role ARN does not carry).
    pub fn role_arn(&self) -> String {
        format!(
            "arn:{}:iam::{}:role/{}",
            self.partition, self.account, self.role_name
        )
    }
}

/// What the scenario expects: a role ARN (partition, account and name must match) or a bare
/// role name (any account).
enum ExpectedRole<'a> {
    Arn {
        partition: &'a str,
        account: &'a str,
        name: &'a str,
    },
    Name(&'a str),
}

impl<'a> ExpectedRole<'a> {
    fn parse(expected: &'a str) -> Option<ExpectedRole<'a>> {
        if !expected.starts_with("arn:") {
            let is_name = !expected.is_empty() && !expected.contains([':', '/']);
            return is_name.then_some(ExpectedRole::Name(expected));
        }
        let mut fields = expected.splitn(6, ':');
        let (Some("arn"), Some(partition), Some("iam"), Some(""), Some(account), Some(resource)) = (
            fields.next(),
            fields.next(),
            fields.next(),
            fields.next(),
            fields.next(),
            fields.next(),
        ) else {
            return None;
        };
        let name = resource.strip_prefix("role/")?.rsplit('/').next()?;
        (!name.is_empty()).then_some(ExpectedRole::Arn {
            partition,
            account,
            name,
        })
    }

    fn matches(&self, actual: &AssumedRole) -> bool {
        match self {
            ExpectedRole::Arn {
                partition,
                account,
                name,
            } => {
                *partition == actual.partition
                    && *account == actual.account
                    && *name == actual.role_name
            }
            ExpectedRole::Name(name) => *name == actual.role_name,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn evidence(caller_arn: &str) -> UserEvidence {
        UserEvidence {
            user: "alice".to_owned(),
            tenant: "acme".to_owned(),
            caller_arn: Some(caller_arn.to_owned()),
            ..UserEvidence::default()
        }
    }

    const CALLER: &str =
        "arn:aws:sts::111122223333:assumed-role/acme-tenant/CognitoIdentityCredentials";

    #[test]
    fn a_matching_arn_with_a_path_holds() {
        let check = check_expected_role(
            "arn:aws:iam::111122223333:role/tenants/acme-tenant",
            &evidence(CALLER),
        );
        assert_eq!(
            check,
            RoleCheck::Held {
                role_arn: "arn:aws:iam::111122223333:role/acme-tenant".to_owned()
            }
        );
        assert!(matches!(
            check_expected_role("acme-tenant", &evidence(CALLER)),
            RoleCheck::Held { .. }
        ));
    }

    #[test]
    fn another_role_or_account_is_a_wrong_role() {
        assert!(matches!(
            check_expected_role(
                "arn:aws:iam::111122223333:role/globex-tenant",
                &evidence(CALLER)
            ),
            RoleCheck::WrongRole { .. }
        ));
        assert!(matches!(
            check_expected_role(
                "arn:aws:iam::999988887777:role/acme-tenant",
                &evidence(CALLER)
            ),
            RoleCheck::WrongRole { .. }
        ));
        assert!(matches!(
            check_expected_role(
                "acme-tenant",
                &evidence("arn:aws:iam::111122223333:user/admin")
            ),
            RoleCheck::WrongRole { .. }
        ));
    }

    #[test]
    fn a_user_without_credentials_is_inconclusive() {
        let mut failed = evidence(CALLER);
        failed.caller_arn = None;
        failed.error = Some("user `alice` could not sign in with USER_SRP_AUTH".to_owned());
        assert!(matches!(
            check_expected_role("acme-tenant", &failed),
            RoleCheck::Inconclusive { .. }
        ));
    }

    #[test]
    fn unreadable_callers_and_expectations_are_inconclusive_never_held() {
        assert!(matches!(
            check_expected_role("acme-tenant", &evidence("acme-tenant")),
            RoleCheck::Inconclusive { .. }
        ));
        assert!(matches!(
            check_expected_role("arn:aws:iam::111122223333:role/", &evidence(CALLER)),
            RoleCheck::Inconclusive { .. }
        ));
        assert!(matches!(
            check_expected_role("tenants/acme-tenant", &evidence(CALLER)),
            RoleCheck::Inconclusive { .. }
        ));
    }

    #[test]
    fn the_same_role_in_another_partition_is_a_wrong_role() {
        assert!(matches!(
            check_expected_role(
                "arn:aws-cn:iam::111122223333:role/acme-tenant",
                &evidence(CALLER)
            ),
            RoleCheck::WrongRole { .. }
        ));
    }
}
