//! STS through aws-sdk-sts: the web-identity exchange, GetCallerIdentity, and the front
//! door's refusals of bad signatures, unknown keys, skewed clocks and expired sessions.

use crate::support::{
    self, ACCOUNT, TestOidcProvider, credentials, http_status, now_epoch, sdk_config,
    sdk_config_shifted,
};
use aws_sdk_sts::Client;
use aws_sdk_sts::error::ProvideErrorMetadata;
use xtenant::sim::LocalStaging;

const ISSUER: &str = "https://idp.example.test";
const ROLE_ARN: &str = "arn:aws:iam::111122223333:role/tenants/TenantA";
const USER_KEY: &str = "AKIAAUDITOREXAMPLE01";
const USER_SECRET: &str = "auditor/secret/key/EXAMPLEKEY0000000000";

/// A world with one OIDC provider, a role it may assume only for audience `client-a`, and
/// an IAM user with long-term keys.
fn world(provider: &TestOidcProvider) -> String {
    format!(
        r#"account_id: "{ACCOUNT}"
region: us-east-1
iam:
  roles:
    - RoleName: TenantA
      Path: /tenants/
      Tags: [{{Key: tenant, Value: acme}}]
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {{Federated: "{federated}"}}
            Action: sts:AssumeRoleWithWebIdentity
            Condition:
              StringEquals: {{"idp.example.test:aud": client-a}}
  users:
    - UserName: auditor
      AccessKeys:
        - AccessKeyId: {USER_KEY}
          SecretAccessKey: {USER_SECRET}
oidc_providers:
{entry}"#,
        federated = provider.federated_principal(ACCOUNT),
        entry = provider.world_entry(&["client-a", "client-b"]),
    )
}

async fn staging() -> (LocalStaging, TestOidcProvider) {
    let provider = TestOidcProvider::new(ISSUER);
    let staging = support::start(&world(&provider)).await;
    (staging, provider)
}

async fn unsigned_client(staging: &LocalStaging) -> Client {
    Client::new(&sdk_config(staging, None).await)
}

#[tokio::test]
async fn web_identity_exchange_issues_a_session_that_signs_as_the_role() {
    let (staging, provider) = staging().await;
    let sts = unsigned_client(&staging).await;
    let assumed = sts
        .assume_role_with_web_identity()
        .role_arn(ROLE_ARN)
        .role_session_name("alice")
        .web_identity_token(provider.token("alice-sub", "client-a"))
        .send()
        .await
        .expect("the trust policy allows client-a");
    let user = assumed.assumed_role_user().expect("assumed role user");
    assert_eq!(
        user.arn(),
        "arn:aws:sts::111122223333:assumed-role/TenantA/alice"
    );
    assert!(user.assumed_role_id().starts_with("AROA"));
    assert!(user.assumed_role_id().ends_with(":alice"));
    assert_eq!(assumed.subject_from_web_identity_token(), Some("alice-sub"));
    assert_eq!(assumed.audience(), Some("client-a"));
    let issued = assumed.credentials().expect("credentials");
    assert!(issued.access_key_id().starts_with("ASIA"));

    let session = credentials(
        issued.access_key_id(),
        issued.secret_access_key(),
        Some(issued.session_token()),
    );
    let signed = Client::new(&sdk_config(&staging, Some(session)).await);
    let identity = signed
        .get_caller_identity()
        .send()
        .await
        .expect("the session signs");
    assert_eq!(identity.arn(), Some(user.arn()));
    assert_eq!(identity.account(), Some(ACCOUNT));
    assert_eq!(identity.user_id(), Some(user.assumed_role_id()));
}

#[tokio::test]
async fn trust_policy_condition_refuses_another_audience() {
    let (staging, provider) = staging().await;
    let error = unsigned_client(&staging)
        .await
        .assume_role_with_web_identity()
        .role_arn(ROLE_ARN)
        .role_session_name("bob")
        .web_identity_token(provider.token("bob-sub", "client-b"))
        .send()
        .await
        .expect_err("client-b is not in the trust policy");
    assert_eq!(error.code(), Some("AccessDenied"));
    assert_eq!(http_status(&error), Some(403));
}

#[tokio::test]
async fn an_audience_outside_the_client_id_list_is_an_invalid_token() {
    let (staging, provider) = staging().await;
    let error = unsigned_client(&staging)
        .await
        .assume_role_with_web_identity()
        .role_arn(ROLE_ARN)
        .role_session_name("mallory")
        .web_identity_token(provider.token("mallory", "client-z"))
        .send()
        .await
        .expect_err("client-z is not registered");
    assert_eq!(error.code(), Some("InvalidIdentityToken"));
    assert_eq!(http_status(&error), Some(400));
}

#[tokio::test]
async fn an_expired_token_is_refused() {
    let (staging, provider) = staging().await;
    let now = now_epoch();
    let token = provider.sign(&serde_json::json!({
        "iss": ISSUER, "sub": "alice-sub", "aud": "client-a",
        "iat": now - 7200, "exp": now - 3600,
    }));
    let error = unsigned_client(&staging)
        .await
        .assume_role_with_web_identity()
        .role_arn(ROLE_ARN)
        .role_session_name("alice")
        .web_identity_token(token)
        .send()
        .await
        .expect_err("the token expired an hour ago");
    assert_eq!(error.code(), Some("ExpiredTokenException"));
    assert_eq!(http_status(&error), Some(400));
}

#[tokio::test]
async fn a_token_signed_by_another_key_is_refused() {
    let (staging, provider) = staging().await;
    let forged = TestOidcProvider::impostor_of(&provider).token("alice-sub", "client-a");
    let error = unsigned_client(&staging)
        .await
        .assume_role_with_web_identity()
        .role_arn(ROLE_ARN)
        .role_session_name("alice")
        .web_identity_token(forged)
        .send()
        .await
        .expect_err("the signature is not the provider's");
    assert_eq!(error.code(), Some("InvalidIdentityToken"));
}

#[tokio::test]
async fn a_token_from_an_unregistered_issuer_is_refused() {
    let (staging, _) = staging().await;
    let stranger = TestOidcProvider::new("https://stranger.example.test");
    let error = unsigned_client(&staging)
        .await
        .assume_role_with_web_identity()
        .role_arn(ROLE_ARN)
        .role_session_name("alice")
        .web_identity_token(stranger.token("alice-sub", "client-a"))
        .send()
        .await
        .expect_err("no provider is registered for that issuer");
    assert_eq!(error.code(), Some("InvalidIdentityToken"));
    assert!(
        error
            .message()
            .unwrap_or_default()
            .contains("stranger.example.test")
    );
}

#[tokio::test]
async fn a_duration_beyond_the_role_maximum_is_a_validation_error() {
    let (staging, provider) = staging().await;
    let error = unsigned_client(&staging)
        .await
        .assume_role_with_web_identity()
        .role_arn(ROLE_ARN)
        .role_session_name("alice")
        .web_identity_token(provider.token("alice-sub", "client-a"))
        .duration_seconds(7200)
        .send()
        .await
        .expect_err("the role allows at most 3600 seconds");
    assert_eq!(error.code(), Some("ValidationError"));
}

#[tokio::test]
async fn get_caller_identity_answers_for_an_iam_user() {
    let (staging, _) = staging().await;
    let config = sdk_config(&staging, Some(credentials(USER_KEY, USER_SECRET, None))).await;
    let identity = Client::new(&config)
        .get_caller_identity()
        .send()
        .await
        .expect("the user's keys sign");
    assert_eq!(
        identity.arn(),
        Some("arn:aws:iam::111122223333:user/auditor")
    );
    assert!(identity.user_id().unwrap_or_default().starts_with("AIDA"));
}

#[tokio::test]
async fn a_signature_made_with_the_wrong_secret_does_not_match() {
    let (staging, _) = staging().await;
    let wrong = credentials(USER_KEY, "not-the-secret-EXAMPLEKEY000000000000000", None);
    let error = Client::new(&sdk_config(&staging, Some(wrong)).await)
        .get_caller_identity()
        .send()
        .await
        .expect_err("the signature cannot match");
    assert_eq!(error.code(), Some("SignatureDoesNotMatch"));
    assert_eq!(http_status(&error), Some(403));
}

#[tokio::test]
async fn an_unknown_access_key_is_an_invalid_client_token_id() {
    let (staging, _) = staging().await;
    let unknown = credentials("AKIANOBODYEXAMPLE000", USER_SECRET, None);
    let error = Client::new(&sdk_config(&staging, Some(unknown)).await)
        .get_caller_identity()
        .send()
        .await
        .expect_err("nobody owns that key");
    assert_eq!(error.code(), Some("InvalidClientTokenId"));
    assert_eq!(http_status(&error), Some(403));
}

#[tokio::test]
async fn a_request_signed_twenty_minutes_ago_is_refused_as_skewed() {
    let (staging, _) = staging().await;
    let config = sdk_config_shifted(
        &staging,
        Some(credentials(USER_KEY, USER_SECRET, None)),
        -20 * 60,
    )
    .await;
    let error = Client::new(&config)
        .get_caller_identity()
        .send()
        .await
        .expect_err("the signing time is outside the 15-minute window");
    assert_eq!(error.code(), Some("SignatureDoesNotMatch"));
    assert!(
        error
            .message()
            .unwrap_or_default()
            .contains("Signature expired")
    );
}

#[tokio::test]
async fn a_session_past_its_expiry_is_refused_as_expired() {
    let (staging, provider) = staging().await;
    let assumed = unsigned_client(&staging)
        .await
        .assume_role_with_web_identity()
        .role_arn(ROLE_ARN)
        .role_session_name("alice")
        .web_identity_token(provider.token("alice-sub", "client-a"))
        .duration_seconds(900)
        .send()
        .await
        .expect("the trust policy allows client-a");
    let issued = assumed.credentials().expect("credentials");
    let session = credentials(
        issued.access_key_id(),
        issued.secret_access_key(),
        Some(issued.session_token()),
    );
    // Both clocks move past the session's end, so the signature time is not skewed.
    staging.core().shift_clock(1000);
    let config = sdk_config_shifted(&staging, Some(session), 1000).await;
    let error = Client::new(&config)
        .get_caller_identity()
        .send()
        .await
        .expect_err("the session ended");
    assert_eq!(error.code(), Some("ExpiredToken"));
    assert_eq!(http_status(&error), Some(400));
}

#[tokio::test]
async fn a_session_key_without_its_token_is_refused() {
    let (staging, provider) = staging().await;
    let assumed = unsigned_client(&staging)
        .await
        .assume_role_with_web_identity()
        .role_arn(ROLE_ARN)
        .role_session_name("alice")
        .web_identity_token(provider.token("alice-sub", "client-a"))
        .send()
        .await
        .expect("the trust policy allows client-a");
    let issued = assumed.credentials().expect("credentials");
    let tokenless = credentials(issued.access_key_id(), issued.secret_access_key(), None);
    let error = Client::new(&sdk_config(&staging, Some(tokenless)).await)
        .get_caller_identity()
        .send()
        .await
        .expect_err("a temporary key needs its session token");
    assert_eq!(error.code(), Some("InvalidClientTokenId"));
}

/// STS actions other than the web-identity exchange must be signed.
/// See <https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html>.
#[tokio::test]
async fn get_caller_identity_unsigned_is_missing_authentication() {
    let (staging, _) = staging().await;
    let response = support::raw_request(
        &staging,
        "POST",
        "/",
        &[("content-type", "application/x-www-form-urlencoded")],
        "Action=GetCallerIdentity&Version=2011-06-15",
    )
    .await;
    assert_eq!(response.status, 403);
    assert!(
        response
            .body
            .contains("<Code>MissingAuthenticationToken</Code>")
    );
    assert!(response.header("x-amzn-requestid").is_some());
}

/// A signature that was altered in transit is refused, not treated as unsigned.
#[tokio::test]
async fn a_tampered_signature_header_is_refused() {
    let (staging, _) = staging().await;
    let date = "20991231T000000Z";
    let authorization = format!(
        "AWS4-HMAC-SHA256 Credential={USER_KEY}/20991231/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature={}",
        "0".repeat(64)
    );
    let response = support::raw_request(
        &staging,
        "POST",
        "/",
        &[
            ("content-type", "application/x-www-form-urlencoded"),
            ("x-amz-date", date),
            ("authorization", &authorization),
        ],
        "Action=GetCallerIdentity&Version=2011-06-15",
    )
    .await;
    // The date is far in the future, so the clock-skew rule refuses it first.
    assert_eq!(response.status, 403);
    assert!(response.body.contains("<Code>SignatureDoesNotMatch</Code>"));
}
