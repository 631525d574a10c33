//! Cognito user pools and identity pools through aws-sdk-cognitoidentityprovider,
//! aws-sdk-cognitoidentity and aws-sdk-sts: sign-in flows, role selection, token checks,
//! guest access, the classic flow, and the trust-policy weakness a missing `amr`
//! condition opens.

use crate::cognito_srp_client::SrpClient;
use crate::support::{self, ACCOUNT, credentials, sdk_config};
use aws_sdk_cognitoidentity::Client as IdentityClient;
use aws_sdk_cognitoidentityprovider::Client as UserPoolClient;
use aws_sdk_cognitoidentityprovider::error::ProvideErrorMetadata;
use aws_sdk_cognitoidentityprovider::types::{AuthFlowType, ChallengeNameType};
use aws_sdk_sts::Client as StsClient;
use xtenant::sim::LocalStaging;

const POOL: &str = "us-east-1_Tenants1";
const PROVIDER: &str = "cognito-idp.us-east-1.amazonaws.com/us-east-1_Tenants1";
const OTHER_PROVIDER: &str = "cognito-idp.us-east-1.amazonaws.com/us-east-1_Other1";
const TOKEN_POOL: &str = "us-east-1:aaaaaaaa-0000-4000-8000-000000000001";
const RULES_POOL: &str = "us-east-1:aaaaaaaa-0000-4000-8000-000000000002";
const GUEST_POOL: &str = "us-east-1:aaaaaaaa-0000-4000-8000-000000000003";
const OPERATOR_KEY: &str = "AKIAOPERATOREXAMPLE1";
const INTRUDER_KEY: &str = "AKIAINTRUDEREXAMPLE1";
const KEY_SECRET: &str = "operator/secret/key/EXAMPLEKEY000000000";

/// A role trusting identity pool tokens with `aud` among `audiences`, and with `amr`
/// containing `amr` unless `amr` is `None` (the weakness).
fn role(name: &str, audiences: &[&str], amr: Option<&str>) -> String {
    let amr_condition = amr
        .map(|amr| {
            format!(
                r#", "ForAnyValue:StringLike": {{"cognito-identity.amazonaws.com:amr": "{amr}"}}"#
            )
        })
        .unwrap_or_default();
    format!(
        r#"    - RoleName: {name}
      AssumeRolePolicyDocument: '{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": {{"Federated": "cognito-identity.amazonaws.com"}}, "Action": ["sts:AssumeRoleWithWebIdentity", "sts:TagSession"], "Condition": {{"StringEquals": {{"cognito-identity.amazonaws.com:aud": {audiences:?}}}{amr_condition}}}}}]}}'
"#
    )
}

/// The Admin role's permissions, conditioned on the `tenant` principal tag the identity
/// pool sets from `custom:tenant_id`: AdminInitiateAuth for acme, global sign-out for
/// globex only.
fn admin_policies() -> String {
    let pool_arn = format!("arn:aws:cognito-idp:us-east-1:{ACCOUNT}:userpool/{POOL}");
    let statement = |action: &str, tenant: &str| {
        format!(
            r#"{{"Effect": "Allow", "Action": "cognito-idp:{action}", "Resource": "{pool_arn}", "Condition": {{"StringEquals": {{"aws:PrincipalTag/tenant": "{tenant}"}}}}}}"#
        )
    };
    format!(
        "      Policies:\n        - PolicyName: by-tenant\n          PolicyDocument: '{{\"Version\": \"2012-10-17\", \"Statement\": [{}, {}]}}'\n",
        statement("AdminInitiateAuth", "acme"),
        statement("AdminUserGlobalSignOut", "globex"),
    )
}

/// A role trusting identity pool tokens of any pool (no `aud` condition): the weakness a
/// foreign pool's token shows.
fn any_pool_role(name: &str) -> String {
    format!(
        r#"    - RoleName: {name}
      AssumeRolePolicyDocument: '{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": {{"Federated": "cognito-identity.amazonaws.com"}}, "Action": "sts:AssumeRoleWithWebIdentity"}}]}}'
"#
    )
}

/// The Guest role allows every user pool action: the enhanced flow's session policy must
/// still keep guests away from services outside Cognito's list.
fn guest_policies() -> String {
    "      Policies:\n        - PolicyName: too-broad\n          PolicyDocument: '{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"cognito-idp:*\", \"Resource\": \"*\"}]}'\n".to_string()
}

fn world() -> String {
    let all = [TOKEN_POOL, RULES_POOL, GUEST_POOL];
    let roles = [
        role("Admin", &[TOKEN_POOL], Some("authenticated")),
        admin_policies(),
        role("Editor", &[TOKEN_POOL], Some("authenticated")),
        role("Blue", &[TOKEN_POOL], Some("authenticated")),
        role("Green", &[TOKEN_POOL], Some("authenticated")),
        role("Default", &all, Some("authenticated")),
        role("AcFirst", &[RULES_POOL], Some("authenticated")),
        role("AcmeSecond", &[RULES_POOL], Some("authenticated")),
        role("Guest", &[GUEST_POOL], Some("unauthenticated")),
        guest_policies(),
        role("WeakAuth", &[GUEST_POOL], None),
        any_pool_role("AnyPool"),
        role("TokenPoolGuest", &[TOKEN_POOL], Some("unauthenticated")),
    ]
    .concat();
    let pool_arn = format!("arn:aws:cognito-idp:us-east-1:{ACCOUNT}:userpool/{POOL}");
    format!(
        r#"account_id: "{ACCOUNT}"
region: us-east-1
iam:
  roles:
{roles}  users:
    - UserName: operator
      AccessKeys: [{{ AccessKeyId: {OPERATOR_KEY}, SecretAccessKey: {KEY_SECRET} }}]
      Policies:
        - PolicyName: admin-auth
          PolicyDocument: '{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": ["cognito-idp:AdminInitiateAuth", "cognito-idp:AdminUserGlobalSignOut"], "Resource": "{pool_arn}"}}]}}'
    - UserName: intruder
      AccessKeys: [{{ AccessKeyId: {INTRUDER_KEY}, SecretAccessKey: {KEY_SECRET} }}]
user_pools:
  - Id: {POOL}
    PoolName: tenants
    AdminCreateUserConfig: {{ AllowAdminCreateUserOnly: true }}
    Clients:
      - ClientId: web
        ExplicitAuthFlows: [ALLOW_USER_PASSWORD_AUTH, ALLOW_USER_SRP_AUTH, ALLOW_REFRESH_TOKEN_AUTH, ALLOW_ADMIN_USER_PASSWORD_AUTH]
        ReadAttributes: [email, email_verified, "custom:tenant_id"]
        WriteAttributes: [email]
    Groups:
      - {{ GroupName: admin, Precedence: 1, RoleArn: "arn:aws:iam::{ACCOUNT}:role/Admin" }}
      - {{ GroupName: editor, Precedence: 5, RoleArn: "arn:aws:iam::{ACCOUNT}:role/Editor" }}
      - {{ GroupName: blue, Precedence: 3, RoleArn: "arn:aws:iam::{ACCOUNT}:role/Blue" }}
      - {{ GroupName: green, Precedence: 3, RoleArn: "arn:aws:iam::{ACCOUNT}:role/Green" }}
    Users:
      - Username: alice
        Password: "Alice-Pa55!"
        Attributes: [{{ Name: "custom:tenant_id", Value: acme }}]
        Groups: [editor, admin]
      - Username: tess
        Password: "Tess-Pa55!"
        Groups: [blue, green]
  - Id: us-east-1_Other1
    PoolName: other
    Clients: [{{ ClientId: other-web, ExplicitAuthFlows: [ALLOW_USER_PASSWORD_AUTH] }}]
    Users: [{{ Username: olga, Password: "Olga-Pa55!" }}]
identity_pools:
  - IdentityPoolId: "{TOKEN_POOL}"
    IdentityPoolName: token-mapped
    AllowClassicFlow: false
    CognitoIdentityProviders: [{{ ProviderName: {PROVIDER}, ClientId: web, ServerSideTokenCheck: true }}]
    Roles: {{ authenticated: "arn:aws:iam::{ACCOUNT}:role/Default" }}
    RoleMappings:
      "{PROVIDER}:web": {{ Type: Token, AmbiguousRoleResolution: Deny }}
    PrincipalTags:
      {PROVIDER}: {{ PrincipalTags: {{ tenant: "custom:tenant_id" }} }}
  - IdentityPoolId: "{RULES_POOL}"
    IdentityPoolName: rules-mapped
    CognitoIdentityProviders: [{{ ProviderName: {PROVIDER}, ClientId: web }}]
    Roles: {{ authenticated: "arn:aws:iam::{ACCOUNT}:role/Default" }}
    RoleMappings:
      "{PROVIDER}:web":
        Type: Rules
        AmbiguousRoleResolution: Deny
        RulesConfiguration:
          Rules:
            - {{ Claim: "custom:tenant_id", MatchType: StartsWith, Value: ac, RoleARN: "arn:aws:iam::{ACCOUNT}:role/AcFirst" }}
            - {{ Claim: "custom:tenant_id", MatchType: Equals, Value: acme, RoleARN: "arn:aws:iam::{ACCOUNT}:role/AcmeSecond" }}
  - IdentityPoolId: "{GUEST_POOL}"
    IdentityPoolName: guests
    AllowUnauthenticatedIdentities: true
    AllowClassicFlow: true
    CognitoIdentityProviders: [{{ ProviderName: {PROVIDER}, ClientId: web }}]
    Roles: {{ authenticated: "arn:aws:iam::{ACCOUNT}:role/Default", unauthenticated: "arn:aws:iam::{ACCOUNT}:role/Guest" }}
"#
    )
}

struct Cognito {
    staging: LocalStaging,
    user_pools: UserPoolClient,
    identity: IdentityClient,
}

impl Cognito {
    async fn start() -> Self {
        let staging = support::start(&world()).await;
        let config = sdk_config(&staging, None).await;
        Cognito {
            user_pools: UserPoolClient::new(&config),
            identity: IdentityClient::new(&config),
            staging,
        }
    }

    async fn sign_in(&self, username: &str, password: &str) -> (String, String, String) {
        let output = self
            .user_pools
            .initiate_auth()
            .client_id("web")
            .auth_flow(AuthFlowType::UserPasswordAuth)
            .auth_parameters("USERNAME", username)
            .auth_parameters("PASSWORD", password)
            .send()
            .await
            .expect("password sign-in");
        let result = output.authentication_result().expect("tokens");
        (
            result.id_token().expect("id token").to_string(),
            result.access_token().expect("access token").to_string(),
            result.refresh_token().expect("refresh token").to_string(),
        )
    }

    async fn identity_id(
        &self,
        pool: &str,
        provider: &str,
        id_token: &str,
    ) -> Result<String, String> {
        self.identity
            .get_id()
            .identity_pool_id(pool)
            .logins(provider, id_token)
            .send()
            .await
            .map(|o| o.identity_id().unwrap_or_default().to_string())
            .map_err(|e| e.code().unwrap_or("no code").to_string())
    }

    /// The enhanced flow: an SDK config signing with the issued credentials, or the error
    /// code of the step that failed.
    async fn session(
        &self,
        pool: &str,
        id_token: &str,
        custom_role: Option<&str>,
    ) -> Result<aws_config::SdkConfig, String> {
        let identity_id = self.identity_id(pool, PROVIDER, id_token).await?;
        let output = self
            .identity
            .get_credentials_for_identity()
            .identity_id(identity_id)
            .logins(PROVIDER, id_token)
            .set_custom_role_arn(custom_role.map(str::to_string))
            .send()
            .await
            .map_err(|e| e.code().unwrap_or("no code").to_string())?;
        let issued = output.credentials().expect("credentials");
        Ok(sdk_config(
            &self.staging,
            Some(credentials(
                issued.access_key_id().unwrap(),
                issued.secret_key().unwrap(),
                issued.session_token(),
            )),
        )
        .await)
    }

    /// The enhanced flow, then GetCallerIdentity with the credentials: the assumed role
    /// ARN, or the error code of the step that failed.
    async fn role_of(
        &self,
        pool: &str,
        id_token: &str,
        custom_role: Option<&str>,
    ) -> Result<String, String> {
        let config = self.session(pool, id_token, custom_role).await?;
        let caller = StsClient::new(&config)
            .get_caller_identity()
            .send()
            .await
            .expect("the issued credentials sign requests");
        Ok(caller.arn().unwrap_or_default().to_string())
    }

    async fn admin_client(&self, access_key: &str) -> UserPoolClient {
        let config = sdk_config(
            &self.staging,
            Some(credentials(access_key, KEY_SECRET, None)),
        )
        .await;
        UserPoolClient::new(&config)
    }
}

fn role_session(role: &str) -> String {
    format!("arn:aws:sts::{ACCOUNT}:assumed-role/{role}/CognitoIdentityCredentials")
}

#[tokio::test]
async fn the_lowest_precedence_group_role_is_assumed_through_the_enhanced_flow() {
    let cognito = Cognito::start().await;
    let (id_token, _, _) = cognito.sign_in("alice", "Alice-Pa55!").await;
    let role = cognito.role_of(TOKEN_POOL, &id_token, None).await;
    assert_eq!(role, Ok(role_session("Admin")));
}

#[tokio::test]
async fn a_precedence_tie_with_deny_resolution_gets_no_credentials() {
    let cognito = Cognito::start().await;
    let (id_token, _, _) = cognito.sign_in("tess", "Tess-Pa55!").await;
    let role = cognito.role_of(TOKEN_POOL, &id_token, None).await;
    assert_eq!(role, Err("NotAuthorizedException".to_string()));
}

#[tokio::test]
async fn a_custom_role_is_granted_only_from_the_token_roles() {
    let cognito = Cognito::start().await;
    let (id_token, _, _) = cognito.sign_in("alice", "Alice-Pa55!").await;
    let editor = format!("arn:aws:iam::{ACCOUNT}:role/Editor");
    assert_eq!(
        cognito.role_of(TOKEN_POOL, &id_token, Some(&editor)).await,
        Ok(role_session("Editor"))
    );
    let blue = format!("arn:aws:iam::{ACCOUNT}:role/Blue");
    assert_eq!(
        cognito.role_of(TOKEN_POOL, &id_token, Some(&blue)).await,
        Err("NotAuthorizedException".to_string())
    );
}

#[tokio::test]
async fn rules_are_evaluated_in_order() {
    let cognito = Cognito::start().await;
    let (id_token, _, _) = cognito.sign_in("alice", "Alice-Pa55!").await;
    assert_eq!(
        cognito.role_of(RULES_POOL, &id_token, None).await,
        Ok(role_session("AcFirst"))
    );
    let (tess, _, _) = cognito.sign_in("tess", "Tess-Pa55!").await;
    assert_eq!(
        cognito.role_of(RULES_POOL, &tess, None).await,
        Err("NotAuthorizedException".to_string())
    );
}

#[tokio::test]
async fn tokens_from_another_pool_or_with_a_forged_signature_are_refused() {
    let cognito = Cognito::start().await;
    let other = cognito
        .user_pools
        .initiate_auth()
        .client_id("other-web")
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", "olga")
        .auth_parameters("PASSWORD", "Olga-Pa55!")
        .send()
        .await
        .expect("sign-in to the other pool");
    let foreign = other
        .authentication_result()
        .unwrap()
        .id_token()
        .unwrap()
        .to_string();
    for provider in [PROVIDER, OTHER_PROVIDER] {
        let refused = cognito.identity_id(TOKEN_POOL, provider, &foreign).await;
        assert_eq!(
            refused,
            Err("NotAuthorizedException".to_string()),
            "{provider}"
        );
    }
    let (genuine, _, _) = cognito.sign_in("alice", "Alice-Pa55!").await;
    let mut parts: Vec<String> = genuine.split('.').map(str::to_string).collect();
    let signature = parts[2].clone();
    parts[2] = format!(
        "{}{}",
        if signature.starts_with('A') { "B" } else { "A" },
        &signature[1..]
    );
    let forged = parts.join(".");
    assert_eq!(
        cognito.identity_id(TOKEN_POOL, PROVIDER, &forged).await,
        Err("NotAuthorizedException".to_string())
    );
}

#[tokio::test]
async fn guests_are_refused_where_guest_access_is_off_and_scoped_down_where_it_is_on() {
    let cognito = Cognito::start().await;
    let refused = cognito
        .identity
        .get_id()
        .identity_pool_id(TOKEN_POOL)
        .send()
        .await;
    assert_eq!(refused.unwrap_err().code(), Some("NotAuthorizedException"));
    let guest = cognito
        .identity
        .get_id()
        .identity_pool_id(GUEST_POOL)
        .send()
        .await
        .expect("guest id");
    let output = cognito
        .identity
        .get_credentials_for_identity()
        .identity_id(guest.identity_id().unwrap())
        .send()
        .await
        .expect("guest credentials");
    let issued = output.credentials().unwrap();
    let config = sdk_config(
        &cognito.staging,
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
    assert_eq!(caller.arn(), Some(role_session("Guest").as_str()));
    // The Guest role allows cognito-idp:*, but the guest session policy does not.
    let scoped = UserPoolClient::new(&config)
        .admin_user_global_sign_out()
        .user_pool_id(POOL)
        .username("alice")
        .send()
        .await
        .unwrap_err();
    assert_eq!(scoped.code(), Some("AccessDeniedException"));
    assert!(
        scoped
            .message()
            .unwrap_or_default()
            .contains("session policy"),
        "{scoped:?}"
    );
}

#[tokio::test]
async fn the_classic_flow_is_refused_where_it_is_off() {
    let cognito = Cognito::start().await;
    let (id_token, _, _) = cognito.sign_in("alice", "Alice-Pa55!").await;
    let identity_id = cognito
        .identity_id(TOKEN_POOL, PROVIDER, &id_token)
        .await
        .unwrap();
    let refused = cognito
        .identity
        .get_open_id_token()
        .identity_id(identity_id)
        .logins(PROVIDER, &id_token)
        .send()
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Some("InvalidParameterException"));
}

#[tokio::test]
async fn a_trust_policy_without_amr_lets_a_guest_token_assume_an_authenticated_role() {
    let cognito = Cognito::start().await;
    let guest = cognito
        .identity
        .get_id()
        .identity_pool_id(GUEST_POOL)
        .send()
        .await
        .unwrap();
    let open_id = cognito
        .identity
        .get_open_id_token()
        .identity_id(guest.identity_id().unwrap())
        .send()
        .await
        .expect("the classic flow is on for the guest pool");
    let token = open_id.token().unwrap();
    let sts = StsClient::new(&sdk_config(&cognito.staging, None).await);
    let assume = |role: &str| {
        sts.assume_role_with_web_identity()
            .role_arn(format!("arn:aws:iam::{ACCOUNT}:role/{role}"))
            .role_session_name("guest")
            .web_identity_token(token)
            .send()
    };
    let weak = assume("WeakAuth")
        .await
        .expect("no amr condition: the guest gets in");
    assert!(
        weak.assumed_role_user()
            .unwrap()
            .arn()
            .contains("/WeakAuth/")
    );
    let strict = assume("Default").await.unwrap_err();
    assert_eq!(strict.code(), Some("AccessDenied"));
}

/// Each pool's tokens carry that pool's id as `aud`, and STS holds it to the trust
/// policy's `cognito-identity.amazonaws.com:aud`: a token of another pool is refused by a
/// role that pins the audience and accepted by one that does not
/// (https://docs.aws.amazon.com/cognito/latest/developerguide/role-trust-and-permissions.html).
#[tokio::test]
async fn another_pools_token_carries_its_own_aud_and_only_a_role_without_aud_accepts_it() {
    let cognito = Cognito::start().await;
    let guest = cognito
        .identity
        .get_id()
        .identity_pool_id(GUEST_POOL)
        .send()
        .await
        .unwrap();
    let token = cognito
        .identity
        .get_open_id_token()
        .identity_id(guest.identity_id().unwrap())
        .send()
        .await
        .expect("the classic flow is on for the guest pool")
        .token()
        .unwrap()
        .to_owned();
    let payload = token.split('.').nth(1).unwrap();
    let claims: serde_json::Value = serde_json::from_slice(
        &base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, payload)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(claims["aud"], GUEST_POOL);
    let sts = StsClient::new(&sdk_config(&cognito.staging, None).await);
    let assume = |role: &str| {
        sts.assume_role_with_web_identity()
            .role_arn(format!("arn:aws:iam::{ACCOUNT}:role/{role}"))
            .role_session_name("foreign")
            .web_identity_token(&token)
            .send()
    };
    // TokenPoolGuest takes guests, but only TOKEN_POOL's: the `aud` alone refuses this one.
    let pinned = assume("TokenPoolGuest").await.unwrap_err();
    assert_eq!(pinned.code(), Some("AccessDenied"));
    assert!(
        pinned
            .message()
            .unwrap_or_default()
            .contains("sts:AssumeRoleWithWebIdentity")
    );
    let open = assume("AnyPool")
        .await
        .expect("no aud condition: another pool's token gets in");
    let issued = open.audience().unwrap_or_default();
    assert_eq!(issued, GUEST_POOL);
}

#[tokio::test]
async fn srp_sign_in_works_with_an_independent_client_through_the_sdk() {
    let cognito = Cognito::start().await;
    let srp = SrpClient::new();
    let challenge = cognito
        .user_pools
        .initiate_auth()
        .client_id("web")
        .auth_flow(AuthFlowType::UserSrpAuth)
        .auth_parameters("USERNAME", "alice")
        .auth_parameters("SRP_A", &srp.srp_a)
        .send()
        .await
        .expect("SRP challenge");
    assert_eq!(
        challenge.challenge_name(),
        Some(&ChallengeNameType::PasswordVerifier)
    );
    let parameters: serde_json::Value =
        serde_json::to_value(challenge.challenge_parameters().unwrap()).unwrap();
    let timestamp = "Sun Nov 22 1:02:03 UTC 2026";
    let answer = |password: &str| {
        cognito
            .user_pools
            .respond_to_auth_challenge()
            .client_id("web")
            .challenge_name(ChallengeNameType::PasswordVerifier)
            .challenge_responses("USERNAME", parameters["USER_ID_FOR_SRP"].as_str().unwrap())
            .challenge_responses(
                "PASSWORD_CLAIM_SECRET_BLOCK",
                parameters["SECRET_BLOCK"].as_str().unwrap(),
            )
            .challenge_responses("TIMESTAMP", timestamp)
            .challenge_responses(
                "PASSWORD_CLAIM_SIGNATURE",
                srp.signature("Tenants1", password, &parameters, timestamp),
            )
            .send()
    };
    let signed_in = answer("Alice-Pa55!")
        .await
        .expect("the signature proves the password");
    assert!(
        signed_in
            .authentication_result()
            .unwrap()
            .id_token()
            .is_some()
    );
}

#[tokio::test]
async fn admin_initiate_auth_is_authorized_by_iam() {
    let cognito = Cognito::start().await;
    let attempt = |client: UserPoolClient| async move {
        client
            .admin_initiate_auth()
            .user_pool_id(POOL)
            .client_id("web")
            .auth_flow(AuthFlowType::AdminUserPasswordAuth)
            .auth_parameters("USERNAME", "alice")
            .auth_parameters("PASSWORD", "Alice-Pa55!")
            .send()
            .await
    };
    let denied = attempt(cognito.admin_client(INTRUDER_KEY).await)
        .await
        .unwrap_err();
    assert_eq!(denied.code(), Some("AccessDeniedException"));
    let allowed = attempt(cognito.admin_client(OPERATOR_KEY).await)
        .await
        .expect("IAM allows the operator");
    assert!(
        allowed
            .authentication_result()
            .unwrap()
            .id_token()
            .is_some()
    );
}

#[tokio::test]
async fn an_admin_global_sign_out_revokes_refresh_tokens_and_checked_id_tokens() {
    let cognito = Cognito::start().await;
    let (id_token, _, refresh_token) = cognito.sign_in("alice", "Alice-Pa55!").await;
    assert!(
        cognito
            .identity_id(TOKEN_POOL, PROVIDER, &id_token)
            .await
            .is_ok()
    );
    cognito
        .admin_client(OPERATOR_KEY)
        .await
        .admin_user_global_sign_out()
        .user_pool_id(POOL)
        .username("alice")
        .send()
        .await
        .expect("IAM allows the operator");
    let refresh = cognito
        .user_pools
        .initiate_auth()
        .client_id("web")
        .auth_flow(AuthFlowType::RefreshTokenAuth)
        .auth_parameters("REFRESH_TOKEN", refresh_token)
        .send()
        .await
        .unwrap_err();
    assert_eq!(refresh.code(), Some("NotAuthorizedException"));
    // The token pool checks tokens with the user pool; the rules pool does not.
    assert_eq!(
        cognito.identity_id(TOKEN_POOL, PROVIDER, &id_token).await,
        Err("NotAuthorizedException".to_string())
    );
    assert!(
        cognito
            .identity_id(RULES_POOL, PROVIDER, &id_token)
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn self_sign_up_and_unwritable_attributes_are_refused() {
    let cognito = Cognito::start().await;
    let sign_up = cognito
        .user_pools
        .sign_up()
        .client_id("web")
        .username("eve")
        .password("Eve-Pa55!!")
        .send()
        .await
        .unwrap_err();
    assert_eq!(sign_up.code(), Some("NotAuthorizedException"));
    let (_, access_token, _) = cognito.sign_in("alice", "Alice-Pa55!").await;
    let tenant = aws_sdk_cognitoidentityprovider::types::AttributeType::builder()
        .name("custom:tenant_id")
        .value("globex")
        .build()
        .unwrap();
    let update = cognito
        .user_pools
        .update_user_attributes()
        .access_token(&access_token)
        .user_attributes(tenant)
        .send()
        .await
        .unwrap_err();
    assert_eq!(update.code(), Some("NotAuthorizedException"));
    let user = cognito
        .user_pools
        .get_user()
        .access_token(&access_token)
        .send()
        .await
        .expect("GetUser");
    let tenant = user
        .user_attributes()
        .iter()
        .find(|a| a.name() == "custom:tenant_id");
    assert_eq!(tenant.and_then(|a| a.value()), Some("acme"));
}

#[tokio::test]
async fn the_pool_jwks_verifies_its_id_tokens() {
    let cognito = Cognito::start().await;
    let response = support::raw_request(
        &cognito.staging,
        "GET",
        &format!("/{POOL}/.well-known/jwks.json"),
        &[],
        "",
    )
    .await;
    assert_eq!(response.status, 200);
    let jwks: serde_json::Value = serde_json::from_str(&response.body).unwrap();
    let (id_token, _, _) = cognito.sign_in("alice", "Alice-Pa55!").await;
    let header = jsonwebtoken::decode_header(&id_token).unwrap();
    let key = &jwks["keys"][0];
    assert_eq!(key["kid"].as_str(), header.kid.as_deref());
    let decoding = jsonwebtoken::DecodingKey::from_rsa_components(
        key["n"].as_str().unwrap(),
        key["e"].as_str().unwrap(),
    )
    .unwrap();
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    validation.set_audience(&["web"]);
    validation.set_issuer(&[format!("https://{PROVIDER}")]);
    let claims = jsonwebtoken::decode::<serde_json::Value>(&id_token, &decoding, &validation)
        .expect("the JWKS verifies the token");
    assert_eq!(
        claims.claims["cognito:preferred_role"],
        format!("arn:aws:iam::{ACCOUNT}:role/Admin")
    );
}

/// AWS publishes two keys per user pool and signs ID and access tokens with different
/// ones: each token verifies with the JWK its `kid` names and with no other, and a token
/// re-signed under the other kind's `kid` is refused by GetUser.
/// See <https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html>.
#[tokio::test]
async fn id_and_access_tokens_are_signed_with_different_published_keys() {
    let cognito = Cognito::start().await;
    let response = support::raw_request(
        &cognito.staging,
        "GET",
        &format!("/{POOL}/.well-known/jwks.json"),
        &[],
        "",
    )
    .await;
    let jwks: serde_json::Value = serde_json::from_str(&response.body).unwrap();
    let keys = jwks["keys"].as_array().expect("a key list");
    assert_eq!(keys.len(), 2, "{jwks}");
    assert_ne!(keys[0]["kid"], keys[1]["kid"]);
    assert_ne!(
        keys[0]["n"], keys[1]["n"],
        "two different keys, not one key twice"
    );

    let (id_token, access_token, _) = cognito.sign_in("alice", "Alice-Pa55!").await;
    let kid_of = |token: &str| jsonwebtoken::decode_header(token).unwrap().kid.unwrap();
    assert_ne!(kid_of(&id_token), kid_of(&access_token));
    let decoding_for = |kid: &str| {
        let key = keys
            .iter()
            .find(|k| k["kid"] == kid)
            .expect("the kid is published");
        jsonwebtoken::DecodingKey::from_rsa_components(
            key["n"].as_str().unwrap(),
            key["e"].as_str().unwrap(),
        )
        .unwrap()
    };
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    validation.validate_aud = false;
    let verifies = |token: &str, kid: &str| {
        jsonwebtoken::decode::<serde_json::Value>(token, &decoding_for(kid), &validation).is_ok()
    };
    assert!(verifies(&id_token, &kid_of(&id_token)));
    assert!(verifies(&access_token, &kid_of(&access_token)));
    assert!(!verifies(&id_token, &kid_of(&access_token)));
    assert!(!verifies(&access_token, &kid_of(&id_token)));

    // The access token's header and claims with the ID token's kid: no key verifies it.
    let (_, rest) = access_token.split_once('.').unwrap();
    let header = base64::Engine::encode(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        serde_json::json!({"alg": "RS256", "kid": kid_of(&id_token)}).to_string(),
    );
    let relabelled = format!("{header}.{rest}");
    let refused = cognito
        .user_pools
        .get_user()
        .access_token(relabelled)
        .send()
        .await;
    assert!(
        refused.is_err(),
        "a token under the wrong kid is not an access token"
    );
    cognito
        .user_pools
        .get_user()
        .access_token(access_token)
        .send()
        .await
        .expect("the genuine access token works");
}

/// The world's `staging:` settings: credentials handed out without a requested duration
/// live `credentials_lifetime_seconds`, and the clock runs `clock_offset_seconds` ahead,
/// which the Expiration of GetCredentialsForIdentity shows.
#[tokio::test]
async fn the_world_sets_the_credentials_lifetime_and_the_clock_offset() {
    let world = format!(
        "{}staging:\n  credentials_lifetime_seconds: 120\n  clock_offset_seconds: 86400\n",
        world()
    );
    let staging = support::start(&world).await;
    let config = sdk_config(&staging, None).await;
    let identity = IdentityClient::new(&config);
    let guest = identity
        .get_id()
        .identity_pool_id(GUEST_POOL)
        .send()
        .await
        .expect("a guest identity");
    let issued = identity
        .get_credentials_for_identity()
        .identity_id(guest.identity_id().unwrap())
        .send()
        .await
        .expect("guest credentials");
    let expiration = issued
        .credentials()
        .and_then(|c| c.expiration())
        .expect("an expiration")
        .secs();
    let host_now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let ahead = expiration - host_now;
    assert!(
        (86_400 + 110..=86_400 + 130).contains(&ahead),
        "expires {ahead} s after the host's now, expected a day plus two minutes"
    );
}

/// An identity pool id that breaks the documented pattern (a user pool id, the usual
/// mistake) fails input validation with ValidationException; a well-formed id of no pool
/// is ResourceNotFoundException.
/// See <https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetId.html#API_GetId_RequestSyntax>.
#[tokio::test]
async fn a_malformed_identity_pool_id_is_a_validation_error_not_a_missing_pool() {
    let cognito = Cognito::start().await;
    let malformed = cognito
        .identity
        .get_id()
        .identity_pool_id(POOL)
        .send()
        .await
        .expect_err("a user pool id is no identity pool id");
    assert_eq!(malformed.code(), Some("ValidationException"));
    assert!(
        malformed
            .message()
            .is_some_and(|m| m.contains("at 'identityPoolId' failed to satisfy constraint")),
        "{malformed:?}"
    );
    let missing = cognito
        .identity
        .get_id()
        .identity_pool_id("us-east-1:00000000-0000-4000-8000-00000000ffff")
        .send()
        .await
        .expect_err("no such pool");
    assert_eq!(missing.code(), Some("ResourceNotFoundException"));
    let bad_identity = cognito
        .identity
        .get_credentials_for_identity()
        .identity_id("not-an-identity")
        .send()
        .await
        .expect_err("a malformed identity id");
    assert_eq!(bad_identity.code(), Some("ValidationException"));
}

#[tokio::test]
async fn principal_tags_from_the_token_reach_iam_conditions() {
    let cognito = Cognito::start().await;
    let (id_token, _, _) = cognito.sign_in("alice", "Alice-Pa55!").await;
    let config = cognito
        .session(TOKEN_POOL, &id_token, None)
        .await
        .expect("alice gets credentials");
    let as_alice = UserPoolClient::new(&config);
    let allowed = as_alice
        .admin_initiate_auth()
        .user_pool_id(POOL)
        .client_id("web")
        .auth_flow(AuthFlowType::AdminUserPasswordAuth)
        .auth_parameters("USERNAME", "tess")
        .auth_parameters("PASSWORD", "Tess-Pa55!")
        .send()
        .await;
    assert!(allowed.is_ok(), "the tenant tag is acme: {allowed:?}");
    let denied = as_alice
        .admin_user_global_sign_out()
        .user_pool_id(POOL)
        .username("tess")
        .send()
        .await
        .unwrap_err();
    assert_eq!(denied.code(), Some("AccessDeniedException"));
}

/// The identity-swap attack relies on this: GetCredentialsForIdentity refuses logins that do
/// not own the identity id with NotAuthorizedException
/// (https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetCredentialsForIdentity.html#API_GetCredentialsForIdentity_Errors).
#[tokio::test]
async fn another_users_identity_id_is_refused_to_these_logins() {
    let cognito = Cognito::start().await;
    let (alice_token, _, _) = cognito.sign_in("alice", "Alice-Pa55!").await;
    let (tess_token, _, _) = cognito.sign_in("tess", "Tess-Pa55!").await;
    let tess_id = cognito
        .identity_id(TOKEN_POOL, PROVIDER, &tess_token)
        .await
        .expect("tess has an identity");
    let swapped = cognito
        .identity
        .get_credentials_for_identity()
        .identity_id(&tess_id)
        .logins(PROVIDER, &alice_token)
        .send()
        .await
        .map(|_| ())
        .map_err(|e| e.code().unwrap_or("no code").to_string());
    assert_eq!(swapped, Err("NotAuthorizedException".to_string()));
}
