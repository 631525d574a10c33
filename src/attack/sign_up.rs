//! sign-up: a stranger calls SignUp on the app client with a unique canary username and
//! the `custom:*` claims of a tenant's user. A pool that lets only administrators create
//! users refuses (NotAuthorizedException); a user created is a breach, recorded in the
//! ledger before the call. When the pool confirms the new user at once (a pre sign-up
//! trigger), or leaves it unconfirmed and the ambient credentials may confirm it
//! (AdminConfirmSignUp), it signs in, exchanges its token and tries every matrix cell, so
//! the report shows what anyone can reach; a user that stays unconfirmed is still the
//! breach, and the reason says why the row was not tried. The user deletes itself
//! (DeleteUser) when it could sign in; otherwise the end-of-run cleanup (AdminDeleteUser
//! with the ambient credentials) or `xtenant cleanup` removes it
//! (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SignUp.html,
//! https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminCreateUserConfigType.html).

use super::calls::caller_role;
use super::escalated_reach::escalated_reach;
use super::guest::GuestContext;
use super::planning::STRANGER_USER;
use super::sign_up_confirmation::admin_confirm_sign_up;
use super::target::AttackTarget;
use super::user_pool_refusal::{UserPoolCall, classify_user_pool_refusal, refused_for_attributes};
use crate::error_chain::error_chain;
use crate::identity::claims::string_claims;
use crate::identity::exchange::exchange;
use crate::identity::secret_hash::secret_hash;
use crate::identity::sign_in::{self, SignInClients};
use crate::identity::{UserAccess, UserPoolClient, UserSession, UserSpec};
use crate::ledger::{Canary, Resolution};
use crate::probe::{Attempt, CallEnd, Classification, Observation, Verdict};
use crate::scenario::PlannedProbe;
use crate::secret::SecretString;
use aws_sdk_cognitoidentityprovider::types::AttributeType;

const METHOD: &str = "sign-up";
const CALL: UserPoolCall = UserPoolCall::SignUp;

/// A user SignUp created.
struct SignedUp {
    username: String,
    password: SecretString,
    confirmed: bool,
    intent: String,
}

/// How one SignUp call ended.
enum SignUpEnd {
    Created(SignedUp),
    /// The pool answered with an error: nothing was created.
    Refused(Observation),
    /// No answer to go by: whether a user exists is unknown, so its intent stays.
    Unknown(Observation),
    NotTried(String),
}

pub async fn sign_up(
    case: &PlannedProbe,
    attack: &AttackTarget,
    claims_of: &UserSession,
    context: GuestContext<'_>,
) -> Attempt {
    let spec = &claims_of.spec;
    let UserAccess::SignedIn { pool, .. } = &spec.access else {
        return Attempt::not_made(
            CALL.api(),
            METHOD,
            "the user whose claims are copied does not sign in",
        );
    };
    let carried: Vec<(String, String)> = match claims_of.provider.tokens().await {
        Ok(Some(tokens)) => string_claims(tokens.id_token.expose())
            .map(|claims| {
                claims
                    .into_iter()
                    .filter(|(name, _)| name.starts_with("custom:"))
                    .collect()
            })
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let clients = claims_of.provider.sign_in_clients();
    let mut end = call_sign_up(clients, pool, &carried, claims_of, context).await;
    let mut without_claims = false;
    if let SignUpEnd::Refused(observation) = &end
        && refused_for_attributes(observation)
        && !carried.is_empty()
    {
        // The client may not write those claims; whether anyone may sign up at all is
        // what the case is about, so it asks once more without them.
        without_claims = true;
        end = call_sign_up(clients, pool, &[], claims_of, context).await;
    }
    let created = match end {
        SignUpEnd::Created(created) => created,
        SignUpEnd::Refused(observation) | SignUpEnd::Unknown(observation) => {
            let classification = classify_user_pool_refusal(CALL, &observation);
            return attempt(classification, Some(observation));
        }
        SignUpEnd::NotTried(reason) => return Attempt::not_made(CALL.api(), METHOD, reason),
    };
    let claims = if without_claims || carried.is_empty() {
        "no claims".to_owned()
    } else {
        let names: Vec<&str> = carried.iter().map(|(name, _)| name.as_str()).collect();
        format!("the claims {} of `{}`", names.join(", "), spec.name)
    };
    let mut reason = format!(
        "SignUp created the user `{}` with {claims}",
        created.username
    );
    let confirmed = if created.confirmed {
        reason.push_str(", confirmed at once");
        true
    } else {
        match admin_confirm_sign_up(
            context.target,
            context.redactor,
            &pool.user_pool_id,
            &created.username,
        )
        .await
        {
            Ok(()) => {
                reason.push_str(
                    ", left unconfirmed by the pool (UserConfirmed false) and confirmed with AdminConfirmSignUp and the ambient credentials",
                );
                true
            }
            Err(why) => {
                reason.push_str(&format!(
                    ", left unconfirmed by the pool (UserConfirmed false); {why}, so the deny-everywhere row was not tried: the user cannot sign in until confirmed; the end-of-run cleanup (AdminDeleteUser with the ambient credentials) or `xtenant cleanup` deletes it"
                ));
                false
            }
        }
    };
    if confirmed {
        let spec = stranger_spec(spec, pool, &created);
        reason.push_str(&signed_in_reach(case, attack, clients, &spec, &created, context).await);
    }
    attempt(
        Classification {
            verdict: Verdict::Allowed,
            denial: None,
            reason,
        },
        Some(Observation::success(None, None)),
    )
}

/// One SignUp with a new canary username, its intent recorded first.
async fn call_sign_up(
    clients: &SignInClients,
    pool: &UserPoolClient,
    claims: &[(String, String)],
    claims_of: &UserSession,
    context: GuestContext<'_>,
) -> SignUpEnd {
    let username = format!("xtenant-canary-{}", uuid::Uuid::new_v4().simple());
    // Upper, lower, digit and symbol: meets any password policy's character rules.
    let password = SecretString::new(format!("Xt-{}-aA9!", uuid::Uuid::new_v4().simple()));
    context.redactor.register(&password);
    let canary = Canary::SignedUpUser {
        user_pool_id: pool.user_pool_id.clone(),
        username: username.clone(),
    };
    let endpoint = claims_of.config.endpoint_url().map(str::to_owned);
    let intent =
        match context
            .ledger
            .record_intent(canary, &context.target.region, endpoint.as_deref())
        {
            Ok(intent) => intent,
            Err(error) => return SignUpEnd::NotTried(format!("not attempted: {error}")),
        };
    let mut attributes = Vec::new();
    for (name, value) in claims {
        match AttributeType::builder().name(name).value(value).build() {
            Ok(attribute) => attributes.push(attribute),
            Err(error) => return SignUpEnd::NotTried(format!("not attempted: {error}")),
        }
    }
    let hash = pool
        .client_secret
        .as_ref()
        .map(|secret| secret_hash(secret, &username, &pool.client_id));
    let result = clients
        .unsigned
        .sign_up()
        .client_id(&pool.client_id)
        .username(&username)
        .password(password.expose())
        .set_secret_hash(hash.map(|hash| hash.expose().to_owned()))
        .set_user_attributes((!attributes.is_empty()).then_some(attributes))
        .send()
        .await;
    match result {
        Ok(output) => SignUpEnd::Created(SignedUp {
            username,
            password,
            confirmed: output.user_confirmed(),
            intent,
        }),
        Err(error) => {
            let observation = Observation::from_sdk_error(&error);
            if observation.end == CallEnd::ServiceError {
                let _ = context.ledger.resolve(&intent, Resolution::NotCreated);
                SignUpEnd::Refused(observation)
            } else {
                SignUpEnd::Unknown(observation)
            }
        }
    }
}

/// The new user as a scenario user: the copied user's pool, flow and identity pool.
fn stranger_spec(claims_of: &UserSpec, pool: &UserPoolClient, created: &SignedUp) -> UserSpec {
    let flow = match &claims_of.access {
        UserAccess::SignedIn { flow, .. } => *flow,
        UserAccess::Guest => crate::identity::SignInFlow::UserSrp,
    };
    UserSpec {
        name: STRANGER_USER.to_owned(),
        tenant: String::new(),
        access: UserAccess::SignedIn {
            pool: pool.clone(),
            username: created.username.clone(),
            password: created.password.clone(),
            flow,
        },
        identity_pool_id: claims_of.identity_pool_id.clone(),
        identity_flow: claims_of.identity_flow.clone(),
        target: claims_of.target.clone(),
        expected_role: None,
        redactor: claims_of.redactor.clone(),
    }
}

/// Signs the new user in, exchanges its token and tries every matrix cell; then the user
/// deletes itself. Returns the sentence to add to the reason.
async fn signed_in_reach(
    case: &PlannedProbe,
    attack: &AttackTarget,
    clients: &SignInClients,
    spec: &UserSpec,
    created: &SignedUp,
    context: GuestContext<'_>,
) -> String {
    let UserAccess::SignedIn {
        pool,
        username,
        password,
        flow,
    } = &spec.access
    else {
        return String::new();
    };
    let account = sign_in::Credentials {
        user: &spec.name,
        pool,
        username,
        password,
    };
    let tokens = match sign_in::sign_in(clients, account, *flow).await {
        Ok(tokens) => tokens,
        Err(error) => {
            return format!(
                "; signing it in failed ({}); the end-of-run cleanup or `xtenant cleanup` deletes it",
                error_chain(&error)
            );
        }
    };
    tokens.register_with(context.redactor);
    let exchange_clients = crate::identity::exchange::ExchangeClients {
        identity: aws_sdk_cognitoidentity::Client::new(
            &context
                .target
                .sdk_config(crate::identity::CredentialsSource::Unsigned)
                .await,
        ),
        sts: aws_sdk_sts::Client::new(
            &context
                .target
                .sdk_config(crate::identity::CredentialsSource::Unsigned)
                .await,
        ),
    };
    let mut sentence = match exchange(&exchange_clients, spec, Some(&tokens.id_token), None).await {
        Ok(exchanged) => {
            let role = caller_role(context.target, &exchanged.credentials)
                .await
                .unwrap_or_else(|reason| format!("a role that could not be read ({reason})"));
            let reach = escalated_reach(
                case,
                &attack.reach,
                exchanged.credentials,
                context.target,
                context.ledger,
            )
            .await;
            if reach.reached.is_empty() {
                format!(
                    "; it signed in and got credentials carrying `{role}`, which reached none of the {} matrix cells",
                    reach.tried
                )
            } else {
                format!(
                    "; it signed in and got credentials carrying `{role}`, which reached {}",
                    reach.reached.join(", ")
                )
            }
        }
        Err(error) => format!(
            "; it signed in, and the identity pool refused it credentials ({})",
            error_chain(&error)
        ),
    };
    // DeleteUser with the user's own access token needs no administrator.
    // https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DeleteUser.html.
    match clients
        .unsigned
        .delete_user()
        .access_token(tokens.access_token.expose())
        .send()
        .await
    {
        Ok(_) => match context.ledger.resolve(&created.intent, Resolution::Removed) {
            Ok(()) => sentence.push_str("; the user deleted itself"),
            Err(error) => sentence.push_str(&format!(
                "; the user deleted itself, but the ledger could not say so: {error}"
            )),
        },
        Err(error) => sentence.push_str(&format!(
            "; DeleteUser failed ({}), so the end-of-run cleanup or `xtenant cleanup` deletes it",
            Observation::from_sdk_error(&error)
                .error_code
                .unwrap_or_else(|| "no error code".to_owned())
        )),
    }
    sentence
}

fn attempt(classification: Classification, observation: Option<Observation>) -> Attempt {
    Attempt {
        api_call: CALL.api().to_owned(),
        method: METHOD.to_owned(),
        observation,
        classification,
        read_evidence: None,
    }
}
