//! The validated `attacks:` section of a scenario.

use super::kind::AttackKind;
use std::collections::BTreeSet;

/// Which attack kinds run, the extra roles they try, and the cases expected to succeed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttackSettings {
    pub enabled: BTreeSet<AttackKind>,
    /// Role ARNs from `attacks.roles`, in file order.
    pub roles: Vec<String>,
    /// `attacks.allow`, in file order.
    pub allow: Vec<AllowedAttack>,
    /// `attacks.claims`: claims claim-tamper tries beyond the defaults, in file order.
    pub claims: Vec<String>,
    /// `attacks.foreign_pool`: the identity pool the foreign-token attack takes guest
    /// tokens from; without it that attack is not exercised.
    pub foreign_pool: Option<String>,
}

/// One entry of `attacks.allow`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowedAttack {
    pub index: usize,
    pub case: String,
    pub description: Option<String>,
}

impl Default for AttackSettings {
    /// Every kind on but the opt-in ones, nothing extra, nothing allowed.
    fn default() -> Self {
        AttackSettings {
            enabled: AttackKind::ALL
                .into_iter()
                .filter(|kind| !kind.opt_in())
                .collect(),
            roles: Vec::new(),
            allow: Vec::new(),
            claims: Vec::new(),
            foreign_pool: None,
        }
    }
}

impl AttackSettings {
    pub fn runs(&self, kind: AttackKind) -> bool {
        self.enabled.contains(&kind)
    }

    /// The allowance for the case named `case`, if the scenario expects it to succeed.
    pub fn allowance(&self, case: &str) -> Option<&AllowedAttack> {
        self.allow.iter().find(|allowed| allowed.case == case)
    }
}
