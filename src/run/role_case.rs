//! The expected-role case: a user whose scenario names the IAM role its credentials must
//! carry gets one test case of its own, held / wrong-role / inconclusive.

use crate::identity::{RoleCheck, UserEvidence, check_expected_role};
use serde::Serialize;

/// Expected role × the role the credentials actually carried.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum RoleOutcome {
    Held,
    /// The credentials carried another role: an expectation failure.
    WrongRole,
    /// The run could not tell (sign-in failed, no caller identity, run interrupted).
    Inconclusive,
}

/// One user's expected-role test case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
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

    /// Judges `evidence` against `expected_role_arn` with the harness's own check, so the
    /// rule lives in one place.
    pub fn judge(user: &str, expected_role_arn: &str, evidence: &UserEvidence) -> RoleCase {
        let actual_role = evidence.caller_arn.clone();
        // The reason quotes the caller ARN itself: it is the evidence, the role ARN is derived.
        let caller = actual_role.as_deref().unwrap_or_default();
        let (outcome, reason) = match check_expected_role(expected_role_arn, evidence) {
            RoleCheck::Held { .. } => (RoleOutcome::Held, format!("credentials carry `{caller}`")),
            RoleCheck::WrongRole { .. } => (
                RoleOutcome::WrongRole,
                format!("credentials carry `{caller}` instead"),
            ),
            RoleCheck::Inconclusive { reason } => (RoleOutcome::Inconclusive, reason),
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
