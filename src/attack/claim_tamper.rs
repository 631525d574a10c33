//! claim-tamper: the user changes, with their own access token, a claim that can decide
//! their role or principal tags (every `custom:*` claim of their ID token, `email`,
//! `preferred_username`, and `attacks.claims`) to the value a user of another tenant
//! carries. A refusal is the held case. An accepted write is recorded in the ledger before
//! it is made, then judged by what it gives: a new token (the refreshed session, never the
//! cached one), exchanged again; another role, or any cell of the other tenant that the
//! matrix denies this user, is a breach. The original value is written back whatever the
//! outcome, and the ledger settled; what a killed run leaves, the end-of-run cleanup or
//! `xtenant cleanup` restores
//! (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UpdateUserAttributes.html,
//! https://docs.aws.amazon.com/cognito/latest/developerguide/attributes-for-access-control.html).
//!
//! A breach hands the tampered credentials to the escalation re-run, as basic-flow and
//! custom-role-arn do: the user's whole row is run again with them against its original
//! expectations, so the report shows everything the tamper reaches, whether the tampered
//! token got another role (a Rules or Token mapping) or the same role with another
//! principal tag (ABAC). The value is written back before that re-run, so the pool holds
//! the tampered value as briefly as possible: the credentials keep the role and the session
//! tags they were issued with for their whole lifetime
//! (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html).

use super::actor::Actor;
use super::calls::{caller_role, credentials_for_identity};
use super::escalated_reach::escalated_reach;
use super::escalation::AttackAttempt;
use super::guest::GuestContext;
use super::refusal::{IdentityCall, classify_refusal};
use super::target::{AttackTarget, role_name};
use super::user_pool_refusal::{UserPoolCall, classify_user_pool_refusal};
use crate::error_chain::error_chain;
use crate::identity::claims::string_claims;
use crate::identity::exchange::logins;
use crate::identity::{UserAccess, UserSession};
use crate::ledger::{Canary, Resolution};
use crate::probe::{Attempt, CallEnd, Classification, Observation, Verdict};
use crate::scenario::PlannedProbe;
use aws_credential_types::Credentials;
use aws_sdk_cognitoidentityprovider::types::AttributeType;
use std::collections::BTreeMap;

const METHOD: &str = "claim-tamper";
const CALL: UserPoolCall = UserPoolCall::UpdateUserAttributes;

/// The standard claims tried besides every `custom:*` one: those a rule or a tag map
/// commonly reads for tenancy.
const STANDARD_CANDIDATES: [&str; 2] = ["email", "preferred_username"];

/// How the tamper of one claim ended.
struct ClaimOutcome {
    claim: String,
    classification: Classification,
    observation: Option<Observation>,
    /// The credentials the tampered token got, and the role they carry.
    tampered: Option<Tampered>,
}

/// The credentials an accepted tamper's new ID token got from the identity pool.
struct Tampered {
    role: String,
    credentials: Credentials,
}

pub async fn claim_tamper(
    case: &PlannedProbe,
    attack: &AttackTarget,
    actor: Actor<'_>,
    victim: &UserSession,
    context: GuestContext<'_>,
) -> AttackAttempt {
    let session = actor.session;
    let UserAccess::SignedIn { pool, username, .. } = &session.spec.access else {
        return AttackAttempt::only(Attempt::not_made(
            CALL.api(),
            METHOD,
            "the user does not sign in",
        ));
    };
    let own = match id_token_claims(session).await {
        Ok(claims) => claims,
        Err(reason) => return AttackAttempt::only(Attempt::not_made(CALL.api(), METHOD, reason)),
    };
    let theirs = match id_token_claims(victim).await {
        Ok(claims) => claims,
        Err(reason) => {
            return AttackAttempt::only(Attempt::not_made(
                CALL.api(),
                METHOD,
                format!(
                    "the claims of `{}` are not available: {reason}",
                    victim.spec.name
                ),
            ));
        }
    };
    let candidates = candidates(&own, &attack.claims);
    if candidates.is_empty() {
        return AttackAttempt::only(with_verdict(
            Verdict::Denied,
            None,
            "the user's ID token carries no claim that could decide a role or a tag \
             (`custom:*`, `email`, `preferred_username`, `attacks.claims`), so there is nothing to tamper with"
                .to_owned(),
        ));
    }
    let mut outcomes = Vec::new();
    let mut untried = Vec::new();
    for claim in candidates {
        let original = own[&claim].clone();
        // A value the other tenant's user shares (or lacks) separates no tenants: there is
        // nothing to copy, and the claim is left out of the verdict.
        let Some(value) = theirs.get(&claim).filter(|value| **value != original) else {
            untried.push(claim);
            continue;
        };
        let change = Change {
            user_pool_id: &pool.user_pool_id,
            username,
            claim: &claim,
            original: &original,
            tampered: value,
        };
        let (classification, observation, tampered) =
            tamper_one(case, attack, actor, context, change).await;
        outcomes.push(ClaimOutcome {
            claim,
            classification,
            observation,
            tampered,
        });
    }
    combined(outcomes, &untried, victim)
}

/// One claim's change.
#[derive(Debug, Clone, Copy)]
struct Change<'a> {
    user_pool_id: &'a str,
    username: &'a str,
    claim: &'a str,
    original: &'a str,
    tampered: &'a str,
}

/// The ID token's string claims of a session.
async fn id_token_claims(session: &UserSession) -> Result<BTreeMap<String, String>, String> {
    let tokens = session
        .provider
        .tokens()
        .await
        .map_err(|error| {
            format!(
                "the user's tokens are not available: {}",
                error_chain(&error)
            )
        })?
        .ok_or_else(|| "the user has no ID token".to_owned())?;
    string_claims(tokens.id_token.expose())
        .map_err(|error| format!("the ID token could not be read: {error}"))
}

/// The claims to tamper with, in name order: every `custom:*` and standard candidate the
/// token carries, and every extra claim named that it carries.
fn candidates(own: &BTreeMap<String, String>, extra: &[String]) -> Vec<String> {
    own.keys()
        .filter(|name| {
            name.starts_with("custom:")
                || STANDARD_CANDIDATES.contains(&name.as_str())
                || extra.iter().any(|claim| claim == *name)
        })
        .cloned()
        .collect()
}

/// Tampers with one claim, judges what it gives, and restores it; hands back the
/// credentials the tampered token got, if it got any.
async fn tamper_one(
    case: &PlannedProbe,
    attack: &AttackTarget,
    actor: Actor<'_>,
    context: GuestContext<'_>,
    change: Change<'_>,
) -> (Classification, Option<Observation>, Option<Tampered>) {
    let session = actor.session;
    let region = context.target.region.clone();
    let endpoint = session.config.endpoint_url().map(str::to_owned);
    let canary = Canary::UserAttribute {
        user_pool_id: change.user_pool_id.to_owned(),
        username: change.username.to_owned(),
        attribute: change.claim.to_owned(),
        original: change.original.to_owned(),
        tampered: change.tampered.to_owned(),
    };
    let intent = match context
        .ledger
        .record_intent(canary, &region, endpoint.as_deref())
    {
        Ok(intent) => intent,
        Err(error) => {
            return (
                Classification::inconclusive(format!("not attempted: {error}")),
                None,
                None,
            );
        }
    };
    let access_token = match session.provider.tokens().await {
        Ok(Some(tokens)) => tokens.access_token,
        _ => {
            let _ = context.ledger.resolve(&intent, Resolution::NotCreated);
            return (
                Classification::inconclusive("the user's access token is not available"),
                None,
                None,
            );
        }
    };
    let client = &session.provider.sign_in_clients().unsigned;
    let written =
        update_attribute(client, access_token.expose(), change.claim, change.tampered).await;
    let (mut classification, observation, tampered) = match written {
        Err(observation) if observation.end == CallEnd::ServiceError => {
            // The pool answered with an error: nothing was written.
            let settled = context.ledger.resolve(&intent, Resolution::NotCreated);
            let mut classification = classify_user_pool_refusal(CALL, &observation);
            if let Err(error) = settled {
                classification.reason.push_str(&format!("; {error}"));
            }
            return (classification, Some(observation), None);
        }
        Err(observation) => (
            classify_user_pool_refusal(CALL, &observation),
            Some(observation),
            None,
        ),
        Ok(()) => {
            let (classification, tampered) =
                judge_accepted(case, attack, actor, context, change).await;
            (
                classification,
                Some(Observation::success(None, None)),
                tampered,
            )
        }
    };
    // Written back whatever the verdict; a failure leaves the intent outstanding for the
    // end-of-run cleanup and `xtenant cleanup`, which restore it with ambient credentials.
    match update_attribute(client, access_token.expose(), change.claim, change.original).await {
        Ok(()) => match context.ledger.resolve(&intent, Resolution::Removed) {
            Ok(()) => classification.reason.push_str("; the original value was written back"),
            Err(error) => classification.reason.push_str(&format!(
                "; the original value was written back, but the ledger could not say so: {error}"
            )),
        },
        Err(observation) => classification.reason.push_str(&format!(
            "; writing the original value back failed ({}), so the ledger keeps it for the end-of-run cleanup and `xtenant cleanup`",
            observation
                .error_code
                .as_deref()
                .or(observation.transport_detail.as_deref())
                .unwrap_or("no detail")
        )),
    }
    (classification, observation, tampered)
}

/// The pool accepted the write: what the changed claim gives, read from a new token.
async fn judge_accepted(
    case: &PlannedProbe,
    attack: &AttackTarget,
    actor: Actor<'_>,
    context: GuestContext<'_>,
    change: Change<'_>,
) -> (Classification, Option<Tampered>) {
    let session = actor.session;
    let accepted = format!(
        "UpdateUserAttributes accepted `{}` = `{}`",
        change.claim, change.tampered
    );
    let tokens = match session.provider.new_tokens_uncached().await {
        Ok(Some(tokens)) => tokens,
        Ok(None) => {
            let reason = format!("{accepted}; the user has no tokens");
            return (Classification::inconclusive(reason), None);
        }
        Err(error) => {
            let reason = format!(
                "{accepted}, but no new token could be had: {}",
                error_chain(&error)
            );
            return (Classification::inconclusive(reason), None);
        }
    };
    let carried = string_claims(tokens.id_token.expose())
        .ok()
        .and_then(|claims| claims.get(change.claim).cloned());
    if carried.as_deref() != Some(change.tampered) {
        let classification = Classification {
            verdict: Verdict::Denied,
            denial: None,
            reason: format!(
                "{accepted}, but the new ID token does not carry it (the pool keeps the original value until the new one is verified), so the identity pool never sees it"
            ),
        };
        return (classification, None);
    }
    let identity = match actor.identity().await {
        Ok(identity) => identity,
        Err(reason) => {
            return (
                Classification::inconclusive(format!("{accepted}; {reason}")),
                None,
            );
        }
    };
    let clients = session.provider.exchange_clients();
    let credentials = match credentials_for_identity(
        &session.spec.redactor,
        &clients.identity,
        &identity.identity_id,
        &logins(&session.spec, Some(&tokens.id_token)),
        None,
    )
    .await
    {
        Ok(credentials) => credentials,
        Err(observation) => {
            let call = IdentityCall::GetCredentialsForIdentity { custom_role: false };
            let refusal = classify_refusal(call, &observation);
            let classification = Classification {
                verdict: refusal.verdict,
                denial: None,
                reason: format!(
                    "{accepted}; the identity pool gave the tampered token no credentials: {}",
                    refusal.reason
                ),
            };
            return (classification, None);
        }
    };
    let caller = match caller_role(context.target, &credentials).await {
        Ok(caller) => caller,
        Err(reason) => {
            return (
                Classification::inconclusive(format!("{accepted}; {reason}")),
                None,
            );
        }
    };
    let tampered = Tampered {
        role: caller.clone(),
        credentials: credentials.clone(),
    };
    let accepted = Accepted {
        sentence: &accepted,
        identity_id: &identity.identity_id,
        caller: &caller,
    };
    let classification = judge_reach(case, attack, actor, context, accepted, credentials).await;
    (classification, Some(tampered))
}

/// An accepted tamper whose new token got credentials.
#[derive(Debug, Clone, Copy)]
struct Accepted<'a> {
    /// "UpdateUserAttributes accepted …", the start of every reason.
    sentence: &'a str,
    identity_id: &'a str,
    /// The role session the tampered credentials carry.
    caller: &'a str,
}

/// What the tampered credentials give: another role, or cells of the other tenant the
/// untampered credentials do not reach.
async fn judge_reach(
    case: &PlannedProbe,
    attack: &AttackTarget,
    actor: Actor<'_>,
    context: GuestContext<'_>,
    accepted: Accepted<'_>,
    credentials: Credentials,
) -> Classification {
    let Accepted {
        sentence: accepted,
        identity_id,
        caller,
    } = accepted;
    let got = crate::identity::role_check::AssumedRole::parse(caller).map(|role| role.role_arn());
    let (own, untampered) = match untampered(actor, context, identity_id).await {
        Ok(Some((role, credentials))) => (Some(role), Some(credentials)),
        Ok(None) => (None, None),
        Err(reason) => return Classification::inconclusive(format!("{accepted}; {reason}")),
    };
    if got.as_deref().map(role_name) != own.as_deref().map(role_name) {
        return Classification {
            verdict: Verdict::Allowed,
            denial: None,
            reason: format!(
                "{accepted}; the tampered token gets credentials carrying `{caller}`, not the user's own role ({})",
                own.as_deref().unwrap_or("none")
            ),
        };
    }
    let mut reach = escalated_reach(
        case,
        &attack.reach,
        credentials,
        context.target,
        context.ledger,
    )
    .await;
    let tenant = attack
        .reach
        .first()
        .map_or("the other tenant", |cell| cell.tenant.as_str());
    // A cell the untampered credentials reach too is the matrix's breach, not the tamper's.
    let mut reached_anyway = Vec::new();
    if let (Some(untampered), false) = (untampered, reach.reached.is_empty()) {
        let baseline = escalated_reach(
            case,
            &reach.reached_cells,
            untampered,
            context.target,
            context.ledger,
        )
        .await;
        reach
            .reached
            .retain(|cell| !baseline.reached.contains(cell));
        reach.unsure.extend(baseline.unsure);
        reached_anyway = baseline.reached;
    }
    if !reached_anyway.is_empty() && reach.reached.is_empty() && reach.unsure.is_empty() {
        return Classification {
            verdict: Verdict::Denied,
            denial: None,
            reason: format!(
                "{accepted}; the tampered token gets the user's own role (`{caller}`), and what it reaches of {tenant} ({}) the untampered credentials reach too: the matrix's finding, not the tamper's",
                reached_anyway.join(", ")
            ),
        };
    }
    if !reach.reached.is_empty() {
        return Classification {
            verdict: Verdict::Allowed,
            denial: None,
            reason: format!(
                "{accepted}; with the user's own role (`{caller}`) the tampered token reached {} of {tenant}, which the matrix denies this user",
                reach.reached.join(", ")
            ),
        };
    }
    if !reach.unsure.is_empty() {
        return Classification::inconclusive(format!(
            "{accepted}; the tampered credentials carry the user's own role, and these cells proved nothing: {}",
            reach.unsure.join(", ")
        ));
    }
    Classification {
        verdict: Verdict::Denied,
        denial: None,
        reason: format!(
            "{accepted}, but the tampered token gets the user's own role (`{caller}`) and reaches none of the {} cells of {tenant} the matrix denies this user",
            reach.tried
        ),
    }
}

/// The role and credentials the user's untampered token gets: the run's own, or, for a
/// user who signed in without credentials (`credentials: refused`), what the cached
/// (untampered) ID token gets now; `None` when the pool refuses it. A tamper is judged
/// against these, so what the user gets or reaches anyway (a default role, a policy
/// mistake) is the finding of the unmapped case or the matrix, not the tamper's.
async fn untampered(
    actor: Actor<'_>,
    context: GuestContext<'_>,
    identity_id: &str,
) -> Result<Option<(String, Credentials)>, String> {
    let session = actor.session;
    if let Some(role) = &session.evidence.role_arn {
        let credentials = session.provider.credentials().await.map_err(|error| {
            format!(
                "the user's own credentials are not available: {}",
                error_chain(&error)
            )
        })?;
        return Ok(Some((role.clone(), credentials)));
    }
    let identity = actor.identity().await?;
    let clients = session.provider.exchange_clients();
    match credentials_for_identity(
        &session.spec.redactor,
        &clients.identity,
        identity_id,
        &identity.logins,
        None,
    )
    .await
    {
        Ok(credentials) => {
            let caller = caller_role(context.target, &credentials).await?;
            let role = crate::identity::role_check::AssumedRole::parse(&caller)
                .map_or(caller, |role| role.role_arn());
            Ok(Some((role, credentials)))
        }
        Err(observation) => {
            let call = IdentityCall::GetCredentialsForIdentity { custom_role: false };
            let refusal = classify_refusal(call, &observation);
            match refusal.verdict {
                Verdict::Denied => Ok(None),
                Verdict::Allowed | Verdict::Inconclusive => Err(format!(
                    "what the untampered token gets could not be told: {}",
                    refusal.reason
                )),
            }
        }
    }
}

/// UpdateUserAttributes with one attribute.
async fn update_attribute(
    client: &aws_sdk_cognitoidentityprovider::Client,
    access_token: &str,
    name: &str,
    value: &str,
) -> Result<(), Observation> {
    let attribute = AttributeType::builder()
        .name(name)
        .value(value)
        .build()
        .map_err(|error| {
            let mut observation = Observation::not_sent();
            observation.transport_detail = Some(error.to_string());
            observation
        })?;
    client
        .update_user_attributes()
        .access_token(access_token)
        .user_attributes(attribute)
        .send()
        .await
        .map(|_| ())
        .map_err(|error| Observation::from_sdk_error(&error))
}

/// The case's verdict from every claim tried: a breach if any claim gave one, else
/// Inconclusive if any proved nothing (or none could be tried), else Denied. The
/// credentials of the first claim that gave a breach are the case's escalation: the row's
/// re-run shows what they reach.
fn combined(
    outcomes: Vec<ClaimOutcome>,
    untried: &[String],
    victim: &UserSession,
) -> AttackAttempt {
    let verdict = if outcomes.is_empty() {
        Verdict::Inconclusive
    } else if outcomes
        .iter()
        .any(|o| o.classification.verdict == Verdict::Allowed)
    {
        Verdict::Allowed
    } else if outcomes
        .iter()
        .any(|o| o.classification.verdict == Verdict::Inconclusive)
    {
        Verdict::Inconclusive
    } else {
        Verdict::Denied
    };
    let observation = outcomes
        .iter()
        .find(|o| o.classification.verdict == verdict)
        .and_then(|o| o.observation.clone());
    let mut reasons: Vec<String> = outcomes
        .iter()
        .map(|o| format!("`{}`: {}", o.claim, o.classification.reason))
        .collect();
    if !untried.is_empty() {
        let names: Vec<String> = untried.iter().map(|claim| format!("`{claim}`")).collect();
        reasons.push(format!(
            "{} not tried: `{}` carries the same value or none",
            names.join(", "),
            victim.spec.name
        ));
    }
    let mut escalation = None;
    if verdict == Verdict::Allowed
        && let Some((claim, tampered)) = outcomes.into_iter().find_map(|o| {
            let breached = o.classification.verdict == Verdict::Allowed;
            o.tampered
                .filter(|_| breached)
                .map(|tampered| (o.claim, tampered))
        })
    {
        reasons.push(format!(
            "a re-run of the row uses the credentials of the tampered `{claim}`"
        ));
        escalation = Some(tampered);
    }
    let attempt = with_verdict(
        verdict,
        observation,
        format!(
            "set to the values of `{}`: {}",
            victim.spec.name,
            reasons.join(" | ")
        ),
    );
    match escalation {
        Some(Tampered { role, credentials }) => {
            AttackAttempt::escalated(attempt, role, credentials)
        }
        None => AttackAttempt::only(attempt),
    }
}

fn with_verdict(verdict: Verdict, observation: Option<Observation>, reason: String) -> Attempt {
    Attempt {
        api_call: CALL.api().to_owned(),
        method: METHOD.to_owned(),
        observation,
        classification: Classification {
            verdict,
            denial: None,
            reason,
        },
        read_evidence: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_custom_claim_and_the_standard_candidates_are_tampered_with() {
        let own: BTreeMap<String, String> = [
            ("custom:tenant_id", "acme"),
            ("custom:tier", "free"),
            ("email", "a@acme.example"),
            ("name", "Ann"),
            ("sub", "s"),
            ("cognito:username", "ann"),
            ("department", "ops"),
        ]
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect();
        assert_eq!(
            candidates(&own, &["department".to_owned(), "missing".to_owned()]),
            ["custom:tenant_id", "custom:tier", "department", "email"]
        );
    }
}
