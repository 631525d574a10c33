//! The `Principal` / `NotPrincipal` element and how a caller matches it.

use super::evaluate::PrincipalMatch;

/// A parsed `Principal` or `NotPrincipal`.
/// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html>.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrincipalElement {
    /// `NotPrincipal`.
    /// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html>.
    pub negated: bool,
    /// `"Principal": "*"`: everyone, including web-identity callers.
    pub everyone: bool,
    /// `"AWS"` values: `*`, an account id, or an ARN.
    pub aws: Vec<String>,
    /// `"Federated"` values: an identity provider.
    pub federated: Vec<String>,
    /// `"Service"` values: a service principal.
    pub service: Vec<String>,
    /// `"CanonicalUser"` values: S3 canonical ids; no caller of local staging has one.
    pub canonical_user: Vec<String>,
}

/// Which of the caller's identities a `Principal` element named. Evaluation needs it because
/// a resource-based policy that names a role session is not limited by session policies or
/// permissions boundaries, while one that names the role is, and one that names only the
/// account delegates to the account's identity-based policies.
/// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-basics.html>.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PrincipalHit {
    /// The account (`123456789012` or `arn:aws:iam::123456789012:root`).
    Account,
    /// `*`, `{"AWS": "*"}`, or a `NotPrincipal` that left the caller in.
    Everyone,
    /// The IAM role behind a session.
    Role,
    /// The role session (`arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`).
    Session,
    /// An IAM user.
    User,
    /// A web-identity provider.
    Federated,
    /// A service principal.
    Service,
}

impl PrincipalHit {
    /// Whether an allow through this principal stands on its own, without an allow in
    /// identity-based policies, session policies or permissions boundaries.
    /// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html>.
    pub fn grants_beyond_session_and_boundary(self) -> bool {
        matches!(
            self,
            PrincipalHit::Session
                | PrincipalHit::User
                | PrincipalHit::Federated
                | PrincipalHit::Service
        )
    }

    /// Whether an allow through this principal still needs the caller's permissions
    /// boundary to allow. A role-named grant does; a wildcard grant (`*`, usually narrowed by
    /// `aws:PrincipalArn`) does not, as AWS answers for a same-account caller (benkehoe's
    /// permissions-boundary-test tables: boundary without the action, resource allow to `*`
    /// with the role in `aws:PrincipalArn` → Allow).
    /// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html#access_policies_boundaries-eval-logic>.
    pub fn limited_by_permissions_boundary(self) -> bool {
        matches!(self, PrincipalHit::Role)
    }
}

/// The account id an `"AWS"` value names as a whole account, if it does.
fn account_of(value: &str) -> Option<&str> {
    if value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(value);
    }
    let rest = value.strip_prefix("arn:")?;
    let mut parts = rest.splitn(5, ':');
    let (_partition, service, _region, account, resource) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    (service == "iam" && resource == "root").then_some(account)
}

/// What kind of identity one of the caller's `"AWS"` values is.
fn classify(caller_value: &str) -> PrincipalHit {
    if account_of(caller_value).is_some() {
        PrincipalHit::Account
    } else if caller_value.contains(":assumed-role/") || caller_value.contains(":federated-user/") {
        PrincipalHit::Session
    } else if caller_value.contains(":user/") {
        PrincipalHit::User
    } else {
        PrincipalHit::Role
    }
}

fn same_aws_principal(policy_value: &str, caller_value: &str) -> bool {
    if policy_value == caller_value {
        return true;
    }
    matches!((account_of(policy_value), account_of(caller_value)), (Some(a), Some(b)) if a == b)
}

impl PrincipalElement {
    /// The strongest of the caller's identities this element lists (ignoring `negated`).
    fn listed(&self, caller: &PrincipalMatch) -> Option<PrincipalHit> {
        if self.everyone {
            return Some(PrincipalHit::Everyone);
        }
        let mut best: Option<PrincipalHit> = None;
        let mut consider = |hit: PrincipalHit| best = best.max(Some(hit));
        if !caller.aws.is_empty() && self.aws.iter().any(|v| v == "*") {
            consider(PrincipalHit::Everyone);
        }
        for caller_value in &caller.aws {
            if self.aws.iter().any(|v| same_aws_principal(v, caller_value)) {
                consider(classify(caller_value));
            }
        }
        if let Some(provider) = &caller.federated
            && self.federated.iter().any(|v| v == provider)
        {
            consider(PrincipalHit::Federated);
        }
        if let Some(service) = &caller.service
            && self.service.iter().any(|v| v == service)
        {
            consider(PrincipalHit::Service);
        }
        best
    }

    /// Whether every identity of the caller (session, role or user, account, provider,
    /// service) is listed: only then does a `NotPrincipal` leave a caller out of a `Deny`.
    /// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html>.
    fn lists_every_identity_of(&self, caller: &PrincipalMatch) -> bool {
        if self.everyone || (!caller.aws.is_empty() && self.aws.iter().any(|v| v == "*")) {
            return true;
        }
        let mut identities = 0usize;
        let mut listed = 0usize;
        for caller_value in &caller.aws {
            identities += 1;
            if self.aws.iter().any(|v| same_aws_principal(v, caller_value)) {
                listed += 1;
            }
        }
        if let Some(provider) = &caller.federated {
            identities += 1;
            if self.federated.iter().any(|v| v == provider) {
                listed += 1;
            }
        }
        if let Some(service) = &caller.service {
            identities += 1;
            if self.service.iter().any(|v| v == service) {
                listed += 1;
            }
        }
        identities > 0 && listed == identities
    }

    /// Whether a statement with this element applies to the caller, and through which
    /// identity. `is_deny` and `has_permissions_boundary` pick the `NotPrincipal` rules.
    pub fn applies_to(
        &self,
        caller: &PrincipalMatch,
        is_deny: bool,
        has_permissions_boundary: bool,
    ) -> Option<PrincipalHit> {
        if !self.negated {
            return self.listed(caller);
        }
        if is_deny {
            // A NotPrincipal Deny always applies to a principal with a permissions boundary.
            // See <https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html>.
            if has_permissions_boundary || !self.lists_every_identity_of(caller) {
                return Some(PrincipalHit::Everyone);
            }
            None
        } else {
            // For Allow with NotPrincipal any listed identity keeps the caller out: the
            // narrower reading, since a wrong allow is the worse mistake.
            self.listed(caller)
                .is_none()
                .then_some(PrincipalHit::Everyone)
        }
    }
}
