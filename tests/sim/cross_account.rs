//! Several accounts in one world (`accounts:`): a cross-account bucket read needs both the
//! caller's identity policy and the bucket policy; a foreign identity pool in another
//! account hands out tokens that a role trusting `cognito-identity.amazonaws.com` without
//! `aud` accepts and a role pinning its own pool's `aud` refuses; sessions of the other
//! account carry its id (GetCallerIdentity, ARNs).
//! See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html>
//! and <https://docs.aws.amazon.com/cognito/latest/developerguide/role-trust-and-permissions.html>.

use crate::support::{ACCOUNT, credentials, http_status, s3_client, sdk_config, start};
use aws_sdk_cognitoidentity::Client as IdentityClient;
use aws_sdk_s3::error::ProvideErrorMetadata;
use aws_sdk_sts::Client as StsClient;
use xtenant::sim::{LocalStaging, World};

const PARTNER: &str = "444455556666";
const APP_POOL: &str = "us-east-1:1a1a1a1a-2b2b-4c4c-8d8d-3e3e3e3e3e3e";
const FOREIGN_POOL: &str = "us-east-1:9f9f9f9f-8e8e-4d4d-8c8c-7b7b7b7b7b7b";
const ALICE_KEY: &str = "AKIAALICEEXAMPLE0001";
const BOB_KEY: &str = "AKIABOBEXAMPLE000001";
const KEY_SECRET: &str = "test-secret-key";

/// A trust policy for identity pool tokens, pinned to `aud` when one is given.
fn cognito_trust(aud: Option<&str>) -> String {
    let condition = aud
        .map(|aud| {
            format!(r#", "Condition": {{"StringEquals": {{"cognito-identity.amazonaws.com:aud": "{aud}"}}}}"#)
        })
        .unwrap_or_default();
    format!(
        r#"'{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": {{"Federated": "cognito-identity.amazonaws.com"}}, "Action": "sts:AssumeRoleWithWebIdentity"{condition}}}]}}'"#
    )
}

/// A trust policy letting the `AWS` principal `principal` call sts:AssumeRole.
fn assume_role_trust(principal: &str) -> String {
    format!(
        r#"'{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": {{"AWS": "{principal}"}}, "Action": "sts:AssumeRole"}}]}}'"#
    )
}

fn world() -> String {
    let read_any = r#"'{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}'"#;
    format!(
        r#"account_id: "{ACCOUNT}"
region: us-east-1
iam:
  users:
    - UserName: alice
      AccessKeys: [{{ AccessKeyId: {ALICE_KEY}, SecretAccessKey: {KEY_SECRET} }}]
      Policies:
        - {{ PolicyName: read, PolicyDocument: {read_any} }}
        - {{ PolicyName: assume-partner, PolicyDocument: '{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::{PARTNER}:role/*"}}]}}' }}
    - UserName: bob
      AccessKeys: [{{ AccessKeyId: {BOB_KEY}, SecretAccessKey: {KEY_SECRET} }}]
  roles:
    - RoleName: AppPinned
      AssumeRolePolicyDocument: {pinned}
    - RoleName: AppOpen
      AssumeRolePolicyDocument: {open}
    - RoleName: TrustsBob
      AssumeRolePolicyDocument: {trusts_bob}
    - RoleName: TrustsTheAccount
      AssumeRolePolicyDocument: {trusts_account}
identity_pools:
  - IdentityPoolId: "{APP_POOL}"
    IdentityPoolName: app
accounts:
  - account_id: "{PARTNER}"
    iam:
      roles:
        - RoleName: PartnerGuest
          AssumeRolePolicyDocument: {partner_trust}
          Policies: [{{ PolicyName: read, PolicyDocument: {read_any} }}]
        - RoleName: PartnerAuditor
          AssumeRolePolicyDocument: {trusts_account}
          Policies: [{{ PolicyName: read, PolicyDocument: {read_any} }}]
    identity_pools:
      - IdentityPoolId: "{FOREIGN_POOL}"
        IdentityPoolName: tester
        AllowUnauthenticatedIdentities: true
        AllowClassicFlow: true
        Roles: {{ unauthenticated: "arn:aws:iam::{PARTNER}:role/PartnerGuest" }}
    s3:
      buckets:
        - Bucket: partner-shared
          Policy:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Principal: {{ AWS: ["arn:aws:iam::{ACCOUNT}:user/alice", "arn:aws:iam::{ACCOUNT}:user/bob"] }}
                Action: s3:GetObject
                Resource: arn:aws:s3:::partner-shared/*
          Objects: [{{ Key: report.csv, Body: "shared with app" }}]
        - Bucket: partner-private
          Objects: [{{ Key: ledger.csv, Body: "partner only" }}]
"#,
        pinned = cognito_trust(Some(APP_POOL)),
        open = cognito_trust(None),
        partner_trust = cognito_trust(Some(FOREIGN_POOL)),
        trusts_bob = assume_role_trust(&format!("arn:aws:iam::{ACCOUNT}:user/bob")),
        trusts_account = assume_role_trust(&format!("arn:aws:iam::{ACCOUNT}:root")),
    )
}

async fn s3_as(staging: &LocalStaging, key: &str) -> aws_sdk_s3::Client {
    s3_client(&sdk_config(staging, Some(credentials(key, KEY_SECRET, None))).await)
}

/// A guest token of the foreign pool, through GetId and GetOpenIdToken (the basic flow).
async fn foreign_guest_token(staging: &LocalStaging) -> (String, String) {
    let identity = IdentityClient::new(&sdk_config(staging, None).await);
    let guest = identity
        .get_id()
        .identity_pool_id(FOREIGN_POOL)
        .send()
        .await
        .expect("the foreign pool has guest access");
    let identity_id = guest.identity_id().unwrap().to_owned();
    let token = identity
        .get_open_id_token()
        .identity_id(&identity_id)
        .send()
        .await
        .expect("the foreign pool has the basic flow on")
        .token()
        .unwrap()
        .to_owned();
    (identity_id, token)
}

#[tokio::test]
async fn a_cross_account_bucket_read_needs_the_identity_policy_and_the_bucket_policy() {
    let staging = start(&world()).await;
    let alice = s3_as(&staging, ALICE_KEY).await;
    let body = alice
        .get_object()
        .bucket("partner-shared")
        .key("report.csv")
        .send()
        .await
        .expect("both sides allow alice");
    let bytes = body.body.collect().await.unwrap().into_bytes();
    assert_eq!(&bytes[..], b"shared with app");

    // The bucket policy names bob, but no identity policy of his account allows the read.
    let bob = s3_as(&staging, BOB_KEY).await;
    let refused = bob
        .get_object()
        .bucket("partner-shared")
        .key("report.csv")
        .send()
        .await
        .unwrap_err();
    assert_eq!(http_status(&refused), Some(403));
    assert_eq!(refused.code(), Some("AccessDenied"));
    // S3 gives callers of another account the plain message.
    // See <https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html#access-denied-message-examples>.
    assert_eq!(refused.message(), Some("Access Denied"));

    // Alice's identity policy allows s3:GetObject on `*`, but the partner's private
    // bucket has no policy for her.
    let refused = alice
        .get_object()
        .bucket("partner-private")
        .key("ledger.csv")
        .send()
        .await
        .unwrap_err();
    assert_eq!(http_status(&refused), Some(403));
    assert_eq!(refused.code(), Some("AccessDenied"));
}

#[tokio::test]
async fn a_foreign_pools_token_is_refused_by_a_role_pinning_aud_and_accepted_by_one_without() {
    let staging = start(&world()).await;
    let (_, token) = foreign_guest_token(&staging).await;
    let sts = StsClient::new(&sdk_config(&staging, None).await);
    let assume = |role: &str| {
        sts.assume_role_with_web_identity()
            .role_arn(format!("arn:aws:iam::{ACCOUNT}:role/{role}"))
            .role_session_name("foreign")
            .web_identity_token(&token)
            .send()
    };
    let refused = assume("AppPinned").await.unwrap_err();
    assert_eq!(refused.code(), Some("AccessDenied"));
    let accepted = assume("AppOpen")
        .await
        .expect("a trust policy without aud takes any pool's token");
    let user = accepted.assumed_role_user().unwrap();
    assert_eq!(
        user.arn(),
        format!("arn:aws:sts::{ACCOUNT}:assumed-role/AppOpen/foreign")
    );
    // The session belongs to the role's account, not to the foreign pool's.
    let issued = accepted.credentials().unwrap();
    let config = sdk_config(
        &staging,
        Some(credentials(
            issued.access_key_id(),
            issued.secret_access_key(),
            Some(issued.session_token()),
        )),
    )
    .await;
    let caller = StsClient::new(&config)
        .get_caller_identity()
        .send()
        .await
        .unwrap();
    assert_eq!(caller.account(), Some(ACCOUNT));
}

#[tokio::test]
async fn the_other_accounts_pool_hands_out_its_own_accounts_role_and_owns_its_buckets() {
    let staging = start(&world()).await;
    let identity = IdentityClient::new(&sdk_config(&staging, None).await);
    let (identity_id, _) = foreign_guest_token(&staging).await;
    let output = identity
        .get_credentials_for_identity()
        .identity_id(&identity_id)
        .send()
        .await
        .expect("the foreign pool's guest role");
    let issued = output.credentials().unwrap();
    let config = sdk_config(
        &staging,
        Some(credentials(
            issued.access_key_id().unwrap(),
            issued.secret_key().unwrap(),
            issued.session_token(),
        )),
    )
    .await;
    let caller = StsClient::new(&config)
        .get_caller_identity()
        .send()
        .await
        .unwrap();
    assert_eq!(caller.account(), Some(PARTNER));
    assert!(
        caller.arn().unwrap().starts_with(&format!(
            "arn:aws:sts::{PARTNER}:assumed-role/PartnerGuest/"
        )),
        "{:?}",
        caller.arn()
    );
    // Within its own account the identity policy alone is enough: no bucket policy needed.
    let object = s3_client(&config)
        .get_object()
        .bucket("partner-private")
        .key("ledger.csv")
        .send()
        .await
        .expect("same-account read");
    let bytes = object.body.collect().await.unwrap().into_bytes();
    assert_eq!(&bytes[..], b"partner only");
}

#[test]
fn account_entries_are_checked_and_located() {
    let problems = |yaml: &str| -> Vec<String> {
        match World::from_yaml(yaml, "w.yaml") {
            Ok(_) => Vec::new(),
            Err(error) => error
                .diagnostics
                .iter()
                .map(|d| format!("{}: {}", d.path, d.message))
                .collect(),
        }
    };
    let found = problems(&format!(
        r#"account_id: "{ACCOUNT}"
region: us-east-1
s3: {{ buckets: [{{ Bucket: shared-name }}] }}
accounts:
  - account_id: "{ACCOUNT}"
  - account_id: "12"
  - account_id: "{PARTNER}"
    iam:
      roles:
        - RoleName: R
          AssumeRolePolicyDocument: {trust}
          ManagedPolicyArns: ["arn:aws:iam::{ACCOUNT}:policy/Elsewhere"]
    s3: {{ buckets: [{{ Bucket: shared-name }}] }}
"#,
        trust = cognito_trust(None),
    ));
    for expected in [
        "accounts[0].account_id",
        "accounts[1].account_id",
        "accounts[2].iam.roles[0].ManagedPolicyArns[0]",
        "accounts[2].s3.buckets[0].Bucket",
    ] {
        assert!(
            found
                .iter()
                .any(|p| p.starts_with(&format!("{expected}: "))),
            "{expected} missing from {found:#?}"
        );
    }
}

/// AssumeRole from the default account into the partner's role: its trust policy names the
/// default account, so the caller's identity policy must allow sts:AssumeRole too; the
/// session is the partner account's
/// (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html).
#[tokio::test]
async fn assume_role_into_another_account_needs_its_trust_policy_and_the_callers_identity_policy() {
    let staging = start(&world()).await;
    let sts_as = |key: &'static str| {
        let staging = &staging;
        async move {
            StsClient::new(&sdk_config(staging, Some(credentials(key, KEY_SECRET, None))).await)
        }
    };
    let alice = sts_as(ALICE_KEY).await;
    let assumed = alice
        .assume_role()
        .role_arn(format!("arn:aws:iam::{PARTNER}:role/PartnerAuditor"))
        .role_session_name("alice-audit")
        .send()
        .await
        .expect("trust names alice's account and her identity policy allows it");
    assert_eq!(
        assumed.assumed_role_user().unwrap().arn(),
        format!("arn:aws:sts::{PARTNER}:assumed-role/PartnerAuditor/alice-audit")
    );
    let issued = assumed.credentials().unwrap();
    let session = sdk_config(
        &staging,
        Some(credentials(
            issued.access_key_id(),
            issued.secret_access_key(),
            Some(issued.session_token()),
        )),
    )
    .await;
    let caller = StsClient::new(&session)
        .get_caller_identity()
        .send()
        .await
        .unwrap();
    assert_eq!(caller.account(), Some(PARTNER));
    // The partner's own bucket is now a same-account read.
    s3_client(&session)
        .get_object()
        .bucket("partner-private")
        .key("ledger.csv")
        .send()
        .await
        .expect("same-account read in the partner account");

    // Bob's account is trusted too, but no identity policy of his allows sts:AssumeRole.
    let refused = sts_as(BOB_KEY)
        .await
        .assume_role()
        .role_arn(format!("arn:aws:iam::{PARTNER}:role/PartnerAuditor"))
        .role_session_name("bob")
        .send()
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Some("AccessDenied"));
    // Alice's identity policy allows every partner role, but PartnerGuest trusts only
    // identity pool tokens.
    let refused = alice
        .assume_role()
        .role_arn(format!("arn:aws:iam::{PARTNER}:role/PartnerGuest"))
        .role_session_name("alice")
        .send()
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Some("AccessDenied"));
}

/// Within one account a trust policy naming the user is enough on its own; one naming the
/// account delegates to the user's identity policies, which give bob nothing
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-basics.html).
#[tokio::test]
async fn assume_role_within_one_account_follows_who_the_trust_policy_names() {
    let staging = start(&world()).await;
    let bob =
        StsClient::new(&sdk_config(&staging, Some(credentials(BOB_KEY, KEY_SECRET, None))).await);
    let assumed = bob
        .assume_role()
        .role_arn(format!("arn:aws:iam::{ACCOUNT}:role/TrustsBob"))
        .role_session_name("bob")
        .send()
        .await
        .expect("the trust policy names bob");
    assert_eq!(
        assumed.assumed_role_user().unwrap().arn(),
        format!("arn:aws:sts::{ACCOUNT}:assumed-role/TrustsBob/bob")
    );
    let refused = bob
        .assume_role()
        .role_arn(format!("arn:aws:iam::{ACCOUNT}:role/TrustsTheAccount"))
        .role_session_name("bob")
        .send()
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Some("AccessDenied"));
}
