//! Runs one attack case with the parties it needs and returns the same record a probe gets,
//! with the credentials it obtained for the re-run of the user's row.

use super::actor::Actor;
use super::basic_flow::basic_flow;
use super::claim_tamper::claim_tamper;
use super::custom_role_arn::custom_role_arn;
use super::escalation::{AttackAttempt, Escalation};
use super::foreign_token::{ForeignPool, foreign_token};
use super::guest::{GuestContext, guest};
use super::identity_swap::identity_swap;
use super::kind::AttackKind;
use super::revocation::revocation;
use super::sign_up::sign_up;
use super::target::AttackTarget;
use super::unmapped::unmapped;
use crate::identity::UserSession;
use crate::probe::prober::record_of;
use crate::probe::{Attempt, ProbeRecord};
use crate::scenario::PlannedProbe;
use std::time::Instant;

/// Who takes part in one attack case.
#[derive(Debug, Clone, Copy)]
pub struct Parties<'a> {
    /// The attacking user (every kind but guest).
    pub attacker: Option<Actor<'a>>,
    /// The user whose identity id is borrowed (identity-swap), or whose claims are copied
    /// (claim-tamper, sign-up).
    pub victim: Option<&'a UserSession>,
    /// The harness side every kind that changes state or probes shares: target, ledger,
    /// redactor (and the identity pool of the guest).
    pub guest: GuestContext<'a>,
    /// `attacks.foreign_pool` (foreign-token).
    pub foreign: Option<ForeignPool<'a>>,
}

/// One attack case's record, and the credentials it obtained (whether they escalate is
/// the scheduler's call, from the record's outcome).
#[derive(Debug)]
pub struct AttackRecord {
    pub record: ProbeRecord,
    pub escalation: Option<Escalation>,
}

/// Runs `case`, whose target is `attack`. Never fails: a party that is missing makes the
/// case Inconclusive.
pub async fn run_attack(
    case: &PlannedProbe,
    attack: &AttackTarget,
    parties: Parties<'_>,
) -> AttackRecord {
    let started = Instant::now();
    let AttackAttempt {
        attempt,
        escalation,
    } = attempt(case, attack, parties).await;
    let duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    AttackRecord {
        record: record_of(case, attempt, duration_ms),
        escalation,
    }
}

async fn attempt(
    case: &PlannedProbe,
    attack: &AttackTarget,
    parties: Parties<'_>,
) -> AttackAttempt {
    let missing = |what: &str| {
        AttackAttempt::only(Attempt::not_made(
            attack.kind.api(),
            attack.kind.as_str(),
            format!("the attack could not be tried: {what}"),
        ))
    };
    if attack.kind == AttackKind::Guest {
        return AttackAttempt::only(guest(case, &attack.reach, parties.guest).await);
    }
    if attack.kind == AttackKind::ForeignToken {
        return match (parties.foreign, attack.role_arn.as_deref()) {
            (Some(pool), Some(role)) => foreign_token(pool, role).await,
            (None, _) => missing("the harness knows no attacks.foreign_pool"),
            (_, None) => missing("no role to try"),
        };
    }
    if attack.kind == AttackKind::SignUp {
        return match parties.victim {
            Some(claims_of) => {
                AttackAttempt::only(sign_up(case, attack, claims_of, parties.guest).await)
            }
            None => missing("the user whose claims are copied has no session"),
        };
    }
    let Some(actor) = parties.attacker else {
        return missing("the attacking user has no session");
    };
    match (attack.kind, attack.role_arn.as_deref(), parties.victim) {
        (AttackKind::BasicFlow, Some(role), _) => basic_flow(actor, role).await,
        (AttackKind::CustomRoleArn, Some(role), _) => custom_role_arn(actor, role).await,
        (AttackKind::IdentitySwap, _, Some(victim)) => {
            AttackAttempt::only(identity_swap(actor, victim).await)
        }
        (AttackKind::Unmapped, _, _) => unmapped(actor).await,
        (AttackKind::ClaimTamper, _, Some(victim)) => {
            claim_tamper(case, attack, actor, victim, parties.guest).await
        }
        (AttackKind::Revocation, _, _) => AttackAttempt::only(revocation(actor).await),
        (AttackKind::BasicFlow | AttackKind::CustomRoleArn, None, _) => missing("no role to try"),
        (AttackKind::IdentitySwap | AttackKind::ClaimTamper, _, None) => {
            missing("the victim has no session")
        }
        (AttackKind::Guest | AttackKind::SignUp | AttackKind::ForeignToken, _, _) => {
            missing("the case runs as no scenario user")
        }
    }
}
