//! Validation of `attacks`: the roles to try are role ARNs, and every allowed case names a
//! scenario user and an attack kind.

use super::validator::Validator;
use crate::attack::{AllowedAttack, AttackKind, AttackSettings};
use crate::scenario::aws_names;
use crate::scenario::diagnostic::Diagnostic;
use crate::scenario::diagnostic_code::DiagnosticCode;
use crate::scenario::key_path::KeyPath;
use crate::scenario::raw::RawScenario;

impl Validator<'_> {
    pub(super) fn attacks(&mut self, raw: &RawScenario) -> AttackSettings {
        let path = KeyPath::root().key("attacks");
        let section = &raw.attacks;
        let mut settings = AttackSettings::default();
        let switches = [
            (AttackKind::BasicFlow, section.basic_flow),
            (AttackKind::CustomRoleArn, section.custom_role_arn),
            (AttackKind::IdentitySwap, section.identity_swap),
            (AttackKind::Guest, section.guest),
            (AttackKind::Unmapped, section.unmapped),
            (AttackKind::ClaimTamper, section.claim_tamper),
            (AttackKind::SignUp, section.sign_up),
            (AttackKind::ForeignToken, section.foreign_token),
        ];
        for (kind, switch) in switches {
            if switch == Some(false) {
                settings.enabled.remove(&kind);
            }
        }
        if section.revocation == Some(true) {
            settings.enabled.insert(AttackKind::Revocation);
        }
        if let Some(pool) = &section.foreign_pool {
            let at = path.key("foreign_pool");
            match aws_names::check_identity_pool_id(pool, None) {
                Err(problem) => self.name_problem(
                    DiagnosticCode::MalformedPoolId,
                    &at,
                    problem,
                    "not an identity pool id",
                ),
                Ok(()) => settings.foreign_pool = Some(pool.clone()),
            }
        }
        for (i, role) in section.roles.iter().enumerate() {
            if let Err(problem) = aws_names::check_role_arn(role) {
                self.name_problem(
                    DiagnosticCode::MalformedArn,
                    &path.key("roles").index(i),
                    problem,
                    "not a role ARN",
                );
            } else if !settings.roles.contains(role) {
                settings.roles.push(role.clone());
            }
        }
        for (i, claim) in section.claims.iter().enumerate() {
            let at = path.key("claims").index(i);
            if claim.trim().is_empty() || claim.chars().any(char::is_whitespace) || claim == "sub" {
                let span = self.value_span(&at);
                self.report(
                    Diagnostic::new(
                        DiagnosticCode::MalformedName,
                        at,
                        span,
                        format!("`{claim}` is not a claim a user could change"),
                    )
                    .with_label("not a claim name")
                    .with_help("name an ID-token claim without spaces, for example `custom:tenant_id`; `sub` is assigned by the pool"),
                );
            } else if !settings.claims.contains(claim) {
                settings.claims.push(claim.clone());
            }
        }
        for (i, allowed) in section.allow.iter().enumerate() {
            let at = path.key("allow").index(i).key("case");
            let mut parts = allowed.case.split("::");
            let (user, marker, kind) = (parts.next(), parts.next(), parts.next());
            let known_user = user.is_some_and(|user| {
                raw.users.contains_key(user)
                    || user == crate::attack::GUEST_USER
                    || user == crate::attack::STRANGER_USER
                    || user == crate::attack::FOREIGN_USER
            });
            let known_kind =
                kind.is_some_and(|kind| AttackKind::ALL.iter().any(|k| k.as_str() == kind));
            if !(known_user && marker == Some("attack") && known_kind && parts.next().is_some()) {
                let span = self.value_span(&at);
                self.report(
                    Diagnostic::new(
                        DiagnosticCode::UnknownProbe,
                        at,
                        span,
                        format!("`{}` is not an attack case of this scenario", allowed.case),
                    )
                    .with_label("not `user::attack::kind::target`")
                    .with_help("write the case name as `xtenant plan` lists it, for example `alice::attack::custom-role-arn::EditorRole`"),
                );
                continue;
            }
            settings.allow.push(AllowedAttack {
                index: i,
                case: allowed.case.clone(),
                description: allowed.description.clone(),
            });
        }
        settings
    }
}
