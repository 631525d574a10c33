//! Every user-pool sign-in flow of the harness against local staging, over HTTP: the tokens
//! are for the right user, SECRET_HASH is sent when the client has a secret, the admin flow
//! signs with the ambient IAM credentials, and a challenge the harness cannot answer is a
//! per-user error naming it.

use crate::local_staging_support::{
    ADMIN_KEY_ID, ADMIN_SECRET_KEY, ALICE, BYSTANDER_KEY_ID, BYSTANDER_SECRET_KEY, FRED,
    SECRET_CLIENT_ID, USER_POOL_ID, WEB_CLIENT_ID, iam_user_config, secret_client, sign_in_clients,
    start, web_client,
};
use aws_smithy_types::error::display::DisplayErrorContext;
use base64::Engine as _;
use xtenant::identity::sign_in::{self, Credentials};
use xtenant::identity::tokens::Tokens;
use xtenant::identity::{IdentityError, SignInFlow, UserPoolClient};
use xtenant::secret::SecretString;

/// The decoded payload of a JWT (the test reads claims the harness does not keep).
fn payload(token: &SecretString) -> serde_json::Value {
    let part = token.expose().split('.').nth(1).expect("a JWT payload");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part)
        .expect("base64url payload");
    serde_json::from_slice(&bytes).expect("JSON payload")
}

/// The ID token is for `username`, issued by the world's pool to `client_id`, and the
/// access token is its companion.
// ID token claims: https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-id-token.html.
fn assert_tokens_of(tokens: &Tokens, username: &str, client_id: &str) {
    let id = payload(&tokens.id_token);
    assert_eq!(id["cognito:username"], username, "{id}");
    assert_eq!(id["token_use"], "id");
    assert_eq!(id["aud"], client_id);
    assert_eq!(
        id["iss"],
        format!("https://cognito-idp.us-east-1.amazonaws.com/{USER_POOL_ID}")
    );
    let access = payload(&tokens.access_token);
    assert_eq!(access["token_use"], "access");
    assert_eq!(access["client_id"], client_id);
    assert_eq!(access["sub"], id["sub"]);
}

fn account<'a>(
    pool: &'a UserPoolClient,
    password: &'a SecretString,
    username: &'a str,
) -> Credentials<'a> {
    Credentials {
        user: username,
        pool,
        username,
        password,
    }
}

#[tokio::test]
async fn user_password_and_user_srp_sign_in_return_the_users_tokens() {
    let staging = start().await;
    let clients = sign_in_clients(&staging, None).await;
    let pool = web_client();
    let password = SecretString::new(ALICE.1);
    for flow in [SignInFlow::UserPassword, SignInFlow::UserSrp] {
        let tokens = sign_in::sign_in(&clients, account(&pool, &password, ALICE.0), flow)
            .await
            .unwrap_or_else(|error| panic!("{}: {}", flow.as_str(), DisplayErrorContext(&error)));
        assert_tokens_of(&tokens, ALICE.0, WEB_CLIENT_ID);
        assert!(
            tokens.refresh_token.is_some(),
            "{} gives a refresh token",
            flow.as_str()
        );
    }
}

#[tokio::test]
async fn a_wrong_password_is_a_sign_in_error_naming_the_user_and_flow_without_the_password() {
    let staging = start().await;
    let clients = sign_in_clients(&staging, None).await;
    let pool = web_client();
    let wrong = SecretString::new("Not-Alices-Pa55!");
    for flow in [SignInFlow::UserPassword, SignInFlow::UserSrp] {
        let error = sign_in::sign_in(&clients, account(&pool, &wrong, ALICE.0), flow)
            .await
            .expect_err("a wrong password is refused");
        let text = DisplayErrorContext(&error).to_string();
        assert!(matches!(error, IdentityError::SignIn { .. }), "{text}");
        // Cognito refuses a wrong password with NotAuthorizedException
        // (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_InitiateAuth.html#API_InitiateAuth_Errors).
        assert!(text.contains("NotAuthorizedException"), "{text}");
        assert!(text.contains(&format!("user `{}`", ALICE.0)), "{text}");
        assert!(text.contains(flow.as_str()), "{text}");
        assert!(!text.contains(wrong.expose()), "{text}");
    }
}

#[tokio::test]
async fn admin_user_password_auth_signs_with_ambient_credentials_allowed_admin_initiate_auth() {
    let staging = start().await;
    let admin = iam_user_config(&staging, ADMIN_KEY_ID, ADMIN_SECRET_KEY).await;
    let clients = sign_in_clients(&staging, Some(&admin)).await;
    let pool = web_client();
    let password = SecretString::new(ALICE.1);
    let tokens = sign_in::sign_in(
        &clients,
        account(&pool, &password, ALICE.0),
        SignInFlow::AdminUserPassword,
    )
    .await
    .unwrap_or_else(|error| panic!("{}", DisplayErrorContext(&error)));
    assert_tokens_of(&tokens, ALICE.0, WEB_CLIENT_ID);
}

#[tokio::test]
async fn admin_user_password_auth_with_ambient_credentials_not_allowed_is_a_clear_error() {
    let staging = start().await;
    let bystander = iam_user_config(&staging, BYSTANDER_KEY_ID, BYSTANDER_SECRET_KEY).await;
    let clients = sign_in_clients(&staging, Some(&bystander)).await;
    let pool = web_client();
    let password = SecretString::new(ALICE.1);
    let error = sign_in::sign_in(
        &clients,
        account(&pool, &password, ALICE.0),
        SignInFlow::AdminUserPassword,
    )
    .await
    .expect_err("an IAM user without cognito-idp:AdminInitiateAuth is refused");
    let text = DisplayErrorContext(&error).to_string();
    assert!(matches!(error, IdentityError::SignIn { .. }), "{text}");
    assert!(
        text.contains("user `acme-alice` could not sign in with ADMIN_USER_PASSWORD_AUTH"),
        "{text}"
    );
    // An IAM denial of a Cognito API is AccessDeniedException
    // (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/CommonErrors.html).
    assert!(text.contains("AccessDeniedException"), "{text}");
    assert!(text.contains("cognito-idp:AdminInitiateAuth"), "{text}");
    assert!(!text.contains(BYSTANDER_SECRET_KEY), "{text}");
    assert!(!text.contains(ALICE.1), "{text}");
}

#[tokio::test]
async fn admin_user_password_auth_without_ambient_credentials_is_a_clear_error() {
    let staging = start().await;
    let clients = sign_in_clients(&staging, None).await;
    let pool = web_client();
    let password = SecretString::new(ALICE.1);
    let error = sign_in::sign_in(
        &clients,
        account(&pool, &password, ALICE.0),
        SignInFlow::AdminUserPassword,
    )
    .await
    .expect_err("no ambient credentials");
    let text = DisplayErrorContext(&error).to_string();
    assert!(text.contains("no ambient AWS credentials"), "{text}");
}

#[tokio::test]
async fn every_flow_sends_secret_hash_for_a_client_with_a_secret() {
    let staging = start().await;
    let admin = iam_user_config(&staging, ADMIN_KEY_ID, ADMIN_SECRET_KEY).await;
    let clients = sign_in_clients(&staging, Some(&admin)).await;
    let pool = secret_client();
    let password = SecretString::new(ALICE.1);
    for flow in [
        SignInFlow::UserPassword,
        SignInFlow::UserSrp,
        SignInFlow::AdminUserPassword,
    ] {
        let tokens = sign_in::sign_in(&clients, account(&pool, &password, ALICE.0), flow)
            .await
            .unwrap_or_else(|error| panic!("{}: {}", flow.as_str(), DisplayErrorContext(&error)));
        assert_tokens_of(&tokens, ALICE.0, SECRET_CLIENT_ID);
        let refresh_token = tokens.refresh_token.as_ref().expect("a refresh token");
        let refreshed = sign_in::refresh(&clients, ALICE.0, &pool, ALICE.0, refresh_token)
            .await
            .unwrap_or_else(|error| panic!("refresh: {}", DisplayErrorContext(&error)));
        assert_tokens_of(&refreshed, ALICE.0, SECRET_CLIENT_ID);
    }
}

#[tokio::test]
async fn without_secret_hash_a_client_with_a_secret_refuses_the_sign_in() {
    // The control for the test above: local staging does check SECRET_HASH.
    // SECRET_HASH is required when the app client has a secret
    // (https://docs.aws.amazon.com/cognito/latest/developerguide/signing-up-users-in-your-app.html#cognito-user-pools-computing-secret-hash).
    let staging = start().await;
    let clients = sign_in_clients(&staging, None).await;
    let pool = UserPoolClient {
        client_secret: None,
        ..secret_client()
    };
    let password = SecretString::new(ALICE.1);
    let error = sign_in::sign_in(
        &clients,
        account(&pool, &password, ALICE.0),
        SignInFlow::UserPassword,
    )
    .await
    .expect_err("SECRET_HASH is required");
    let text = DisplayErrorContext(&error).to_string();
    assert!(text.contains("NotAuthorizedException"), "{text}");
}

#[tokio::test]
async fn refresh_token_auth_returns_new_tokens_and_keeps_the_refresh_token() {
    let staging = start().await;
    let clients = sign_in_clients(&staging, None).await;
    let pool = web_client();
    let password = SecretString::new(ALICE.1);
    let tokens = sign_in::sign_in(
        &clients,
        account(&pool, &password, ALICE.0),
        SignInFlow::UserPassword,
    )
    .await
    .unwrap_or_else(|error| panic!("{}", DisplayErrorContext(&error)));
    let refresh_token = tokens.refresh_token.clone().expect("a refresh token");
    let refreshed = sign_in::refresh(&clients, ALICE.0, &pool, ALICE.0, &refresh_token)
        .await
        .unwrap_or_else(|error| panic!("{}", DisplayErrorContext(&error)));
    assert_tokens_of(&refreshed, ALICE.0, WEB_CLIENT_ID);
    // REFRESH_TOKEN_AUTH returns no new refresh token unless rotation is on
    // (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_InitiateAuth.html);
    // the harness keeps the one it has.
    assert_eq!(
        refreshed.refresh_token.as_ref().map(SecretString::expose),
        Some(refresh_token.expose())
    );

    let forged = SecretString::new("not-a-refresh-token");
    let error = sign_in::refresh(&clients, ALICE.0, &pool, ALICE.0, &forged)
        .await
        .expect_err("a forged refresh token is refused");
    let text = DisplayErrorContext(&error).to_string();
    assert!(text.contains("REFRESH_TOKEN_AUTH"), "{text}");
    assert!(text.contains("NotAuthorizedException"), "{text}");
    assert!(!text.contains(forged.expose()), "{text}");
}

#[tokio::test]
async fn new_password_required_is_a_per_user_error_naming_the_user_and_the_challenge() {
    let staging = start().await;
    let admin = iam_user_config(&staging, ADMIN_KEY_ID, ADMIN_SECRET_KEY).await;
    let clients = sign_in_clients(&staging, Some(&admin)).await;
    let pool = web_client();
    let password = SecretString::new(FRED.1);
    // A user in FORCE_CHANGE_PASSWORD gets the NEW_PASSWORD_REQUIRED challenge instead of
    // tokens (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminCreateUser.html).
    for flow in [
        SignInFlow::UserPassword,
        SignInFlow::UserSrp,
        SignInFlow::AdminUserPassword,
    ] {
        let error = sign_in::sign_in(&clients, account(&pool, &password, FRED.0), flow)
            .await
            .expect_err("the challenge cannot be answered");
        match &error {
            IdentityError::UnsupportedChallenge { user, challenge } => {
                assert_eq!(user, FRED.0);
                assert_eq!(challenge, "NEW_PASSWORD_REQUIRED");
            }
            other => panic!("{}: {}", flow.as_str(), DisplayErrorContext(other)),
        }
        assert_eq!(
            error.to_string(),
            "user `fresh-fred` was asked for the `NEW_PASSWORD_REQUIRED` challenge, which the harness cannot answer"
        );
    }
}

#[tokio::test]
async fn a_user_stuck_in_a_challenge_has_evidence_naming_it_and_inconclusive_probes() {
    let staging = start().await;
    let spec = crate::local_staging_support::web_user(&staging, FRED);
    let error = xtenant::identity::UserSession::establish(&spec)
        .await
        .expect_err("fresh-fred must change his password first");
    let evidence = xtenant::identity::UserEvidence::of_failure(&spec, &error);
    let reason = evidence.error.clone().expect("the failure is recorded");
    assert!(reason.contains("`fresh-fred`"), "{reason}");
    assert!(reason.contains("NEW_PASSWORD_REQUIRED"), "{reason}");
    assert!(!reason.contains(FRED.1), "{reason}");
    assert_eq!(evidence.caller_arn, None);

    // Every probe of that user is Inconclusive with the reason, never a pass.
    let probe = crate::local_staging_support::planned(
        FRED.0,
        "globex",
        "report",
        crate::local_staging_support::object("globex"),
        xtenant::scenario::Action::Read,
        xtenant::scenario::Expectation::Deny,
    );
    let record = xtenant::run::unsent_record(&probe, reason, 0);
    assert_eq!(record.verdict, xtenant::probe::Verdict::Inconclusive);
    assert_eq!(record.outcome, xtenant::probe::Outcome::Inconclusive);
    assert!(
        record.reason.contains("NEW_PASSWORD_REQUIRED"),
        "{}",
        record.reason
    );
}

/// A client that offers the custom flow (ALLOW_CUSTOM_AUTH): CUSTOM_AUTH answers with the
/// app's CUSTOM_CHALLENGE, which the harness reports as a challenge it cannot answer,
/// naming the user, and the user's probes are Inconclusive, never a pass
/// (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_InitiateAuth.html).
#[tokio::test]
async fn a_custom_auth_challenge_is_a_per_user_error_and_inconclusive_probes() {
    let yaml = std::fs::read_to_string(crate::local_staging_support::WORLD_PATH).unwrap();
    let flows = "ExplicitAuthFlows: [ALLOW_USER_PASSWORD_AUTH, ALLOW_USER_SRP_AUTH, ALLOW_ADMIN_USER_PASSWORD_AUTH, ALLOW_REFRESH_TOKEN_AUTH]";
    assert!(yaml.contains(flows));
    let yaml = yaml.replacen(
        flows,
        "ExplicitAuthFlows: [ALLOW_CUSTOM_AUTH, ALLOW_USER_PASSWORD_AUTH, ALLOW_REFRESH_TOKEN_AUTH]",
        1,
    );
    let world = xtenant::sim::World::from_yaml(&yaml, "<custom auth world>").unwrap();
    let staging = xtenant::sim::LocalStaging::start(world, None)
        .await
        .unwrap();
    let clients = sign_in_clients(&staging, None).await;
    let pool = web_client();
    let password = SecretString::new(ALICE.1);
    let error = sign_in::sign_in(
        &clients,
        account(&pool, &password, ALICE.0),
        SignInFlow::Custom,
    )
    .await
    .expect_err("the harness cannot answer a custom challenge");
    assert!(
        matches!(&error, IdentityError::UnsupportedChallenge { challenge, .. } if challenge == "CUSTOM_CHALLENGE"),
        "{}",
        DisplayErrorContext(&error)
    );
    assert_eq!(
        error.to_string(),
        "user `acme-alice` was asked for the `CUSTOM_CHALLENGE` challenge, which the harness cannot answer"
    );

    let probe = crate::local_staging_support::planned(
        ALICE.0,
        "acme",
        "report",
        crate::local_staging_support::object("acme"),
        xtenant::scenario::Action::Read,
        xtenant::scenario::Expectation::Allow,
    );
    let record = xtenant::run::unsent_record(&probe, error.to_string(), 0);
    assert_eq!(record.verdict, xtenant::probe::Verdict::Inconclusive);
    assert_eq!(record.outcome, xtenant::probe::Outcome::Inconclusive);
    assert!(
        record.reason.contains("CUSTOM_CHALLENGE"),
        "{}",
        record.reason
    );

    // The client without the flow refuses it at InitiateAuth: a sign-in error, not a pass.
    let other = secret_client();
    let error = sign_in::sign_in(
        &clients,
        account(&other, &password, ALICE.0),
        SignInFlow::Custom,
    )
    .await
    .expect_err("CUSTOM_AUTH is not enabled for the secret client");
    let text = DisplayErrorContext(&error).to_string();
    assert!(text.contains("CUSTOM_AUTH"), "{text}");
    assert!(!text.contains(ALICE.1), "{text}");
}
