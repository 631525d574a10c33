//! The expected-role case: a user whose scenario names the IAM role its credentials must
//! carry gets one test case of its own, held / wrong-role / inconclusive.

use crate::identity::UserEvidence;
use serde::Serialize;

/// Expected role × the role the credentials actually carried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RoleOutcome {
    Held,
    /// The credentials carried another role: an expectation failure.
    WrongRole,
    /// The run could not tell (sign-in failed, no caller identity, run interrupted).
    Inconclusive,
}

/// One user's expected-role test case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoleCase {
    /// The test-case name, `{user}::expected-role`, as listed and filtered by libtest.
    pub name: String,
    pub user: String,
    pub expected_role_arn: String,
    /// The role the credentials carried, as the evidence shows it.
    pub actual_role: Option<String>,
    pub outcome: RoleOutcome,
    /// Why, in one line.
    pub reason: String,
}

impl RoleCase {
    /// The test-case name for `user`'s expected role. Probe names have three `::`-separated
    /// parts, so this two-part name cannot collide with one.
    pub fn name_for(user: &str) -> String {
        format!("{user}::expected-role")
    }

    /// Judges `evidence` against `expected_role_arn`.
    pub fn judge(user: &str, expected_role_arn: &str, evidence: &UserEvidence) -> RoleCase {
        let actual_role = evidence
            .caller_arn
            .clone()
            .or_else(|| evidence.role_arn.clone());
        let (outcome, reason) = match (&evidence.error, &actual_role) {
            (Some(error), _) => (
                RoleOutcome::Inconclusive,
                format!("sign-in failed, so the role is unknown: {error}"),
            ),
            (None, None) => (
                RoleOutcome::Inconclusive,
                "the caller identity did not name a role".to_owned(),
            ),
            (None, Some(actual)) => match RoleIdentity::parse(actual) {
                // Credentials of another kind of principal (an IAM user, a federated user)
                // certainly do not carry the expected role.
                None if actual.starts_with("arn:") => (
                    RoleOutcome::WrongRole,
                    format!("credentials carry `{actual}`, which is not a role"),
                ),
                None => (
                    RoleOutcome::Inconclusive,
                    format!("`{actual}` is not an ARN, so the role is unknown"),
                ),
                Some(actual_identity) => match RoleIdentity::parse_expected(expected_role_arn) {
                    None => (
                        RoleOutcome::Inconclusive,
                        format!(
                            "the expected role `{expected_role_arn}` is neither a role ARN nor a role name"
                        ),
                    ),
                    Some(expected_identity) if expected_identity.matches(&actual_identity) => {
                        (RoleOutcome::Held, format!("credentials carry `{actual}`"))
                    }
                    Some(_) => (
                        RoleOutcome::WrongRole,
                        format!("credentials carry `{actual}` instead"),
                    ),
                },
            },
        };
        RoleCase {
            name: RoleCase::name_for(user),
            user: user.to_owned(),
            expected_role_arn: expected_role_arn.to_owned(),
            actual_role,
            outcome,
            reason,
        }
    }

    /// The case of a user who was never signed in because the run stopped first.
    pub fn not_signed_in(user: &str, expected_role_arn: &str, reason: &str) -> RoleCase {
        RoleCase {
            name: RoleCase::name_for(user),
            user: user.to_owned(),
            expected_role_arn: expected_role_arn.to_owned(),
            actual_role: None,
            outcome: RoleOutcome::Inconclusive,
            reason: reason.to_owned(),
        }
    }
}

/// What the scenario expects: a full role ARN or only a role name.
#[derive(Debug, PartialEq, Eq)]
enum ExpectedRole<'a> {
    Arn(RoleIdentity<'a>),
    Name(&'a str),
}

impl ExpectedRole<'_> {
    fn matches(&self, actual: &RoleIdentity<'_>) -> bool {
        match self {
            ExpectedRole::Arn(expected) => expected == actual,
            ExpectedRole::Name(name) => *name == actual.role_name,
        }
    }
}

/// What identifies a role across its ARN forms: partition, account and role name.
#[derive(Debug, PartialEq, Eq)]
struct RoleIdentity<'a> {
    partition: &'a str,
    account: &'a str,
    role_name: &'a str,
}

impl<'a> RoleIdentity<'a> {
    /// An expected role: a role ARN, or a bare role name that matches a role of that name
    /// in any account.
    fn parse_expected(expected: &'a str) -> Option<ExpectedRole<'a>> {
        if expected.starts_with("arn:") {
            RoleIdentity::parse(expected).map(ExpectedRole::Arn)
        } else if !expected.is_empty() && !expected.contains([':', '/']) {
            Some(ExpectedRole::Name(expected))
        } else {
            None
        }
    }

    /// Parses `arn:P:iam::A:role/PATH/NAME` or `arn:P:sts::A:assumed-role/NAME/SESSION`.
    /// An assumed-role ARN omits the role's path, so only the name's last segment is
    /// compared (IAM User Guide, "IAM identifiers", section "ARNs":
    /// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html).
    fn parse(arn: &'a str) -> Option<RoleIdentity<'a>> {
        let mut parts = arn.splitn(6, ':');
        let (Some("arn"), Some(partition), Some(service), Some(""), Some(account), Some(rest)) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return None;
        };
        if partition.is_empty() || account.is_empty() {
            return None;
        }
        let role_name = match service {
            "iam" => rest.strip_prefix("role/")?.rsplit('/').next()?,
            "sts" => rest.strip_prefix("assumed-role/")?.split('/').next()?,
            _ => return None,
        };
        if role_name.is_empty() {
            return None;
        }
        Some(RoleIdentity {
            partition,
            account,
            role_name,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn evidence(caller_arn: Option<&str>, error: Option<&str>) -> UserEvidence {
        UserEvidence {
            user: "alice".into(),
            tenant: "acme".into(),
            caller_arn: caller_arn.map(str::to_owned),
            error: error.map(str::to_owned),
            ..UserEvidence::default()
        }
    }

    #[test]
    fn assumed_role_of_the_expected_role_holds_even_when_the_role_has_a_path() {
        let case = RoleCase::judge(
            "alice",
            "arn:aws:iam::111122223333:role/tenants/acme-role",
            &evidence(
                Some("arn:aws:sts::111122223333:assumed-role/acme-role/CognitoIdentityCredentials"),
                None,
            ),
        );
        assert_eq!(case.outcome, RoleOutcome::Held, "{}", case.reason);
        assert_eq!(case.name, "alice::expected-role");
    }

    #[test]
    fn another_role_another_account_or_no_role_at_all_is_a_wrong_role() {
        for caller in [
            "arn:aws:iam::111122223333:user/acme-role",
            "arn:aws:sts::111122223333:assumed-role/globex-role/CognitoIdentityCredentials",
            "arn:aws:sts::999999999999:assumed-role/acme-role/CognitoIdentityCredentials",
        ] {
            let case = RoleCase::judge(
                "alice",
                "arn:aws:iam::111122223333:role/acme-role",
                &evidence(Some(caller), None),
            );
            assert_eq!(case.outcome, RoleOutcome::WrongRole, "{caller}");
        }
    }

    #[test]
    fn a_bare_role_name_matches_the_role_of_that_name() {
        let caller = "arn:aws:sts::111122223333:assumed-role/acme-role/CognitoIdentityCredentials";
        let held = RoleCase::judge("alice", "acme-role", &evidence(Some(caller), None));
        assert_eq!(held.outcome, RoleOutcome::Held);
        let wrong = RoleCase::judge("alice", "globex-role", &evidence(Some(caller), None));
        assert_eq!(wrong.outcome, RoleOutcome::WrongRole);
    }

    #[test]
    fn a_failed_sign_in_or_an_unreadable_identity_is_inconclusive() {
        let expected = "arn:aws:iam::111122223333:role/acme-role";
        let failed = RoleCase::judge("alice", expected, &evidence(None, Some("NotAuthorized")));
        assert_eq!(failed.outcome, RoleOutcome::Inconclusive);
        let missing = RoleCase::judge("alice", expected, &evidence(None, None));
        assert_eq!(missing.outcome, RoleOutcome::Inconclusive);
        let garbage = RoleCase::judge("alice", expected, &evidence(Some("acme-role"), None));
        assert_eq!(garbage.outcome, RoleOutcome::Inconclusive);
    }
}
