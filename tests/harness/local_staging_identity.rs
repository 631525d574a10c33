//! Every identity-pool flow of the harness against local staging: enhanced (default role,
//! token-based preferred role, CustomRoleArn), basic (GetOpenIdToken +
//! AssumeRoleWithWebIdentity) and guest. The evidence names the right identity, caller,
//! groups and preferred role, and never carries a token or a credential.

use crate::local_staging_support::{
    ACCOUNT, ADMIN_KEY_ID, ADMIN_SECRET_KEY, ALICE, AMY, PAT, guest, iam_user_config, role_arn,
    sign_in_clients, signed_in_user, start, web_client, web_user,
};
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_smithy_types::error::display::DisplayErrorContext;
use xtenant::identity::exchange::ExchangeClients;
use xtenant::identity::{
    CredentialsSource, IdentityError, IdentityFlow, RoleCheck, SignInFlow, UserCredentialsProvider,
    UserEvidence, UserSession, UserSpec, check_expected_role,
};
use xtenant::sim::LocalStaging;

async fn establish(spec: &UserSpec) -> UserSession {
    UserSession::establish(spec)
        .await
        .unwrap_or_else(|error| panic!("{}", DisplayErrorContext(&error)))
}

/// The evidence shows an identity of the world's identity pool, the caller as the assumed
/// role with the harness's session name, and the account.
// Assumed-role ARN: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns.
fn assert_caller(evidence: &UserEvidence, role: &str) {
    let identity_id = evidence.identity_id.as_deref().expect("an identity id");
    assert!(identity_id.starts_with("us-east-1:"), "{identity_id}");
    assert_eq!(evidence.role_arn.as_deref(), Some(role_arn(role).as_str()));
    let caller = evidence.caller_arn.as_deref().expect("a caller ARN");
    assert!(
        caller.starts_with(&format!("arn:aws:sts::{ACCOUNT}:assumed-role/{role}/")),
        "{caller}"
    );
    assert_eq!(evidence.account.as_deref(), Some(ACCOUNT));
    assert_eq!(evidence.error, None);
}

/// Nothing a session reports or prints holds a token, a password or a credential.
async fn assert_no_secrets(session: &UserSession, password: Option<&str>) {
    let credentials = session
        .provider
        .credentials()
        .await
        .expect("cached credentials");
    let mut secrets = vec![
        credentials.secret_access_key().to_owned(),
        credentials
            .session_token()
            .expect("temporary credentials")
            .to_owned(),
    ];
    secrets.extend(password.map(str::to_owned));
    let outputs = [
        serde_json::to_string(&session.evidence).expect("evidence serializes"),
        format!("{:?}", session.evidence),
        format!("{session:?}"),
    ];
    for output in &outputs {
        // Every JWT's header starts with `eyJ` (base64 of `{"`).
        assert!(!output.contains("eyJ"), "a token leaked: {output}");
        for secret in &secrets {
            assert!(
                !output.contains(secret.as_str()),
                "a secret leaked: {output}"
            );
        }
    }
}

#[tokio::test]
async fn enhanced_flow_gives_the_token_based_preferred_role() {
    let staging = start().await;
    let session = establish(&web_user(&staging, ALICE)).await;
    let evidence = &session.evidence;
    assert_caller(evidence, "AcmeTenant");
    // cognito:preferred_role is the role of the group with the lowest precedence
    // (https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-user-groups.html).
    assert_eq!(evidence.groups, vec!["acme".to_owned()]);
    assert_eq!(
        evidence.preferred_role.as_deref(),
        Some(role_arn("AcmeTenant").as_str())
    );
    assert_eq!(evidence.user, "acme-alice");
    assert_eq!(
        check_expected_role("AcmeTenant", evidence),
        RoleCheck::Held {
            role_arn: role_arn("AcmeTenant")
        }
    );
    assert!(matches!(
        check_expected_role(&role_arn("GlobexTenant"), evidence),
        RoleCheck::WrongRole { .. }
    ));
    assert_no_secrets(&session, Some(ALICE.1)).await;
}

#[tokio::test]
async fn enhanced_flow_gives_the_default_authenticated_role_to_a_user_without_roles() {
    let staging = start().await;
    let session = establish(&web_user(&staging, PAT)).await;
    // A Token mapping with AmbiguousRoleResolution AuthenticatedRole falls back to the
    // pool's authenticated role when the token has no role
    // (https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_RoleMapping.html).
    assert_caller(&session.evidence, "XtDefault");
    assert!(session.evidence.groups.is_empty());
    assert_eq!(session.evidence.preferred_role, None);
    assert_no_secrets(&session, Some(PAT.1)).await;
}

#[tokio::test]
async fn enhanced_flow_with_custom_role_arn_gets_a_role_the_token_carries() {
    let staging = start().await;
    let auditor = role_arn("XtAuditor");
    let spec = signed_in_user(
        &staging,
        AMY,
        web_client(),
        SignInFlow::UserSrp,
        IdentityFlow::Enhanced {
            custom_role_arn: Some(auditor.clone()),
        },
    );
    let session = establish(&spec).await;
    assert_caller(&session.evidence, "XtAuditor");
    assert_eq!(
        session.evidence.groups,
        vec!["acme".to_owned(), "auditors".to_owned()]
    );
    // The preferred role is still the lower-precedence group's; the custom role is one of
    // cognito:roles (https://docs.aws.amazon.com/cognito/latest/developerguide/role-based-access-control.html#using-tokens-to-assign-roles-to-users).
    assert_eq!(
        session.evidence.preferred_role.as_deref(),
        Some(role_arn("AcmeTenant").as_str())
    );
    assert!(session.evidence.roles.contains(&auditor));
    assert_no_secrets(&session, Some(AMY.1)).await;
}

#[tokio::test]
async fn a_custom_role_arn_the_token_does_not_carry_is_an_exchange_error() {
    let staging = start().await;
    let spec = signed_in_user(
        &staging,
        ALICE,
        web_client(),
        SignInFlow::UserPassword,
        IdentityFlow::Enhanced {
            custom_role_arn: Some(role_arn("XtAuditor")),
        },
    );
    let error = UserSession::establish(&spec)
        .await
        .expect_err("alice's token does not carry XtAuditor");
    let text = DisplayErrorContext(&error).to_string();
    assert!(
        matches!(
            &error,
            IdentityError::Exchange {
                operation: "GetCredentialsForIdentity",
                ..
            }
        ),
        "{text}"
    );
    assert_eq!(error.aws_error_code(), Some("NotAuthorizedException"));
    assert!(text.contains("user `acme-alice`"), "{text}");
    let evidence = UserEvidence::of_failure(&spec, &error);
    assert_eq!(evidence.caller_arn, None);
    assert!(
        !evidence
            .error
            .as_deref()
            .unwrap_or_default()
            .contains("eyJ")
    );
}

#[tokio::test]
async fn basic_flow_assumes_the_scenarios_role_with_the_open_id_token() {
    let staging = start().await;
    let spec = signed_in_user(
        &staging,
        ALICE,
        web_client(),
        SignInFlow::UserPassword,
        IdentityFlow::Basic {
            role_arn: role_arn("AcmeTenant"),
        },
    );
    let session = establish(&spec).await;
    assert_caller(&session.evidence, "AcmeTenant");
    // The basic flow's session is named by the harness (RoleSessionName).
    assert_eq!(
        session.evidence.caller_arn.as_deref(),
        Some(format!("arn:aws:sts::{ACCOUNT}:assumed-role/AcmeTenant/xtenant-acme-alice").as_str())
    );
    assert_eq!(session.evidence.groups, vec!["acme".to_owned()]);
    assert_no_secrets(&session, Some(ALICE.1)).await;
}

#[tokio::test]
async fn basic_flow_into_a_role_whose_trust_refuses_the_identity_is_sts_access_denied() {
    let staging = start().await;
    // XtGuest trusts only unauthenticated identities (amr), so an authenticated identity's
    // OpenID token is refused with AccessDenied
    // (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html#API_AssumeRoleWithWebIdentity_Errors).
    let spec = signed_in_user(
        &staging,
        ALICE,
        web_client(),
        SignInFlow::UserPassword,
        IdentityFlow::Basic {
            role_arn: role_arn("XtGuest"),
        },
    );
    let error = UserSession::establish(&spec)
        .await
        .expect_err("the trust policy refuses authenticated identities");
    let text = DisplayErrorContext(&error).to_string();
    assert!(
        matches!(
            &error,
            IdentityError::Exchange {
                operation: "AssumeRoleWithWebIdentity",
                ..
            }
        ),
        "{text}"
    );
    assert_eq!(error.aws_error_code(), Some("AccessDenied"));
}

#[tokio::test]
async fn a_guest_gets_the_unauthenticated_role_and_no_claims() {
    let staging = start().await;
    let session = establish(&guest(&staging)).await;
    assert_caller(&session.evidence, "XtGuest");
    assert!(session.evidence.groups.is_empty());
    assert_eq!(session.evidence.preferred_role, None);
    assert_no_secrets(&session, None).await;
}

/// The admin sign-in flow end to end: ADMIN_USER_PASSWORD_AUTH with an IAM user's keys,
/// then the enhanced exchange, then a call signed with the user's credentials.
async fn admin_flow_caller(staging: &LocalStaging) -> String {
    let admin = iam_user_config(staging, ADMIN_KEY_ID, ADMIN_SECRET_KEY).await;
    let spec = signed_in_user(
        staging,
        ALICE,
        web_client(),
        SignInFlow::AdminUserPassword,
        IdentityFlow::Enhanced {
            custom_role_arn: None,
        },
    );
    let unsigned = spec.target.sdk_config(CredentialsSource::Unsigned).await;
    let provider = UserCredentialsProvider::new(
        spec.clone(),
        sign_in_clients(staging, Some(&admin)).await,
        ExchangeClients {
            identity: aws_sdk_cognitoidentity::Client::new(&unsigned),
            sts: aws_sdk_sts::Client::new(&unsigned),
        },
    );
    let config = spec
        .target
        .sdk_config(CredentialsSource::Provider(SharedCredentialsProvider::new(
            provider.clone(),
        )))
        .await;
    let caller = aws_sdk_sts::Client::new(&config)
        .get_caller_identity()
        .send()
        .await
        .unwrap_or_else(|error| panic!("{}", DisplayErrorContext(&error)));
    assert!(
        provider
            .identity_id()
            .await
            .is_some_and(|id| id.starts_with("us-east-1:"))
    );
    caller.arn().expect("a caller ARN").to_owned()
}

#[tokio::test]
async fn admin_sign_in_then_enhanced_exchange_gives_the_users_role() {
    let staging = start().await;
    let caller = admin_flow_caller(&staging).await;
    assert!(
        caller.starts_with(&format!("arn:aws:sts::{ACCOUNT}:assumed-role/AcmeTenant/")),
        "{caller}"
    );
}

#[tokio::test]
async fn a_guest_can_take_the_basic_flow_into_the_unauthenticated_role() {
    let staging = start().await;
    // The classic flow serves unauthenticated identities too: GetOpenIdToken without logins
    // (https://docs.aws.amazon.com/cognito/latest/developerguide/authentication-flow.html).
    let spec = UserSpec {
        identity_flow: IdentityFlow::Basic {
            role_arn: role_arn("XtGuest"),
        },
        ..guest(&staging)
    };
    let session = establish(&spec).await;
    assert_caller(&session.evidence, "XtGuest");
    assert_eq!(
        session.evidence.caller_arn.as_deref(),
        Some(format!("arn:aws:sts::{ACCOUNT}:assumed-role/XtGuest/xtenant-guest").as_str())
    );
    assert_no_secrets(&session, None).await;
}
