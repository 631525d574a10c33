//! What one attack case goes after: the role it tries for, the identity it borrows, or the
//! tenant resources a guest tries to reach. Part of the plan, so `xtenant plan --json`
//! shows every call an attack will make.

use super::kind::AttackKind;
use crate::scenario::{Action, ResourceTarget};
use serde::Serialize;

/// The target of one attack case.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
pub struct AttackTarget {
    pub kind: AttackKind,
    /// The role tried for (basic-flow, custom-role-arn, foreign-token).
    pub role_arn: Option<String>,
    /// The user whose identity id is borrowed (identity-swap).
    pub victim: Option<String>,
    /// The matrix cells a guest's credentials are tried on (guest), each expected denied;
    /// for claim-tamper and sign-up, the cells the escalated credentials are tried on.
    pub reach: Vec<ReachProbe>,
    /// The claims tampered with beyond the defaults (claim-tamper: `attacks.claims`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub claims: Vec<String>,
}

/// One tenant resource an escalated identity tries to reach.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
pub struct ReachProbe {
    pub tenant: String,
    pub resource: String,
    pub target: ResourceTarget,
    pub action: Action,
}

impl AttackTarget {
    /// The target part of the case name: the role's name, the victim (whose tenant's
    /// claims a tamper takes), or the pool.
    pub fn label(&self) -> String {
        if self.kind == AttackKind::SignUp {
            return "user-pool".to_owned();
        }
        if self.kind == AttackKind::Revocation {
            return "session".to_owned();
        }
        if let Some(role) = &self.role_arn {
            return role_name(role).to_owned();
        }
        if let Some(victim) = &self.victim {
            return victim.clone();
        }
        "identity-pool".to_owned()
    }

    /// Whether the case runs as a scenario user (with that user's sign-in); the guest,
    /// sign-up and foreign-token cases run as no one.
    pub fn needs_session(&self) -> bool {
        !matches!(
            self.kind,
            AttackKind::Guest | AttackKind::SignUp | AttackKind::ForeignToken
        )
    }

    /// One line for `xtenant plan`.
    pub fn describe(&self) -> String {
        match self.kind {
            AttackKind::BasicFlow => format!(
                "GetOpenIdToken + AssumeRoleWithWebIdentity {}",
                self.role_arn.as_deref().unwrap_or_default()
            ),
            AttackKind::CustomRoleArn => format!(
                "GetCredentialsForIdentity CustomRoleArn={}",
                self.role_arn.as_deref().unwrap_or_default()
            ),
            AttackKind::IdentitySwap => format!(
                "GetCredentialsForIdentity with the identity id of `{}`",
                self.victim.as_deref().unwrap_or_default()
            ),
            AttackKind::Guest => format!(
                "GetId without logins, then {} matrix cells as the guest",
                self.reach.len()
            ),
            AttackKind::Unmapped => "GetCredentialsForIdentity must be refused".to_owned(),
            AttackKind::ClaimTamper => format!(
                "UpdateUserAttributes to the claims of `{}`, then (if accepted) the new token's role and {} of its tenant's cells; restored",
                self.victim.as_deref().unwrap_or_default(),
                self.reach.len()
            ),
            AttackKind::SignUp => format!(
                "SignUp with a canary user carrying the claims of `{}`; if it signs in, {} matrix cells; deleted",
                self.victim.as_deref().unwrap_or_default(),
                self.reach.len()
            ),
            AttackKind::Revocation => "GlobalSignOut, then GetCredentialsForIdentity with the old ID token and REFRESH_TOKEN_AUTH with the old refresh token (after every other case)".to_owned(),
            AttackKind::ForeignToken => format!(
                "GetId + GetOpenIdToken on attacks.foreign_pool, then AssumeRoleWithWebIdentity {}",
                self.role_arn.as_deref().unwrap_or_default()
            ),
        }
    }
}

/// The role name of a role ARN (`arn:aws:iam::1:role/path/Name` → `Name`); anything else
/// is returned whole.
pub fn role_name(role: &str) -> &str {
    match role.split_once(":role/") {
        Some((_, path_and_name)) => path_and_name.rsplit('/').next().unwrap_or(path_and_name),
        None => role,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_label_of_a_role_is_its_name_without_the_path() {
        assert_eq!(
            role_name("arn:aws:iam::111122223333:role/tenants/PacificTenantAcme"),
            "PacificTenantAcme"
        );
        assert_eq!(role_name("Bare"), "Bare");
    }
}
