//! The user-pool behaviours the claim-tamper and sign-up attacks rest on, through
//! aws-sdk-cognitoidentityprovider: which attributes a client may write with and without
//! `WriteAttributes`, immutable schema attributes, self sign-up that auto-confirms or is
//! confirmed by code or by an administrator, and the administrative reads, writes and
//! deletes (authorized by IAM) that undo what the attacks change.

use crate::support::{self, ACCOUNT, credentials, sdk_config};
use aws_sdk_cognitoidentityprovider::Client as UserPoolClient;
use aws_sdk_cognitoidentityprovider::error::ProvideErrorMetadata;
use aws_sdk_cognitoidentityprovider::types::{AttributeType, AuthFlowType};
use xtenant::sim::LocalStaging;

const OPEN_POOL: &str = "us-east-1_Open1";
const ADMIN_KEY: &str = "AKIAUSERADMINEXAMPLE";
const READER_KEY: &str = "AKIAUSERREADEREXAMPL";
const KEY_SECRET: &str = "user/admin/secret/key/EXAMPLEKEY0000000";

fn world() -> String {
    let pool_arn = format!("arn:aws:cognito-idp:us-east-1:{ACCOUNT}:userpool/{OPEN_POOL}");
    format!(
        r#"account_id: "{ACCOUNT}"
region: us-east-1
iam:
  users:
    - UserName: user-admin
      AccessKeys: [{{ AccessKeyId: {ADMIN_KEY}, SecretAccessKey: {KEY_SECRET} }}]
      Policies:
        - PolicyName: user-admin
          PolicyDocument: '{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": ["cognito-idp:AdminGetUser", "cognito-idp:AdminUpdateUserAttributes", "cognito-idp:AdminDeleteUser", "cognito-idp:AdminConfirmSignUp"], "Resource": "{pool_arn}"}}]}}'
    - UserName: reader
      AccessKeys: [{{ AccessKeyId: {READER_KEY}, SecretAccessKey: {KEY_SECRET} }}]
      Policies:
        - PolicyName: read-only
          PolicyDocument: '{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "cognito-idp:AdminGetUser", "Resource": "{pool_arn}"}}]}}'
user_pools:
  - Id: {OPEN_POOL}
    PoolName: open
    SignUpConfirmationCode: "246810"
    Schema:
      - {{ Name: tenant_id, AttributeDataType: String, Mutable: true }}
      - {{ Name: plan, AttributeDataType: String, Mutable: false }}
    Clients:
      - {{ ClientId: unset, ExplicitAuthFlows: [ALLOW_USER_PASSWORD_AUTH] }}
      - {{ ClientId: listed, ExplicitAuthFlows: [ALLOW_USER_PASSWORD_AUTH], WriteAttributes: [email, "custom:tenant_id", "custom:plan"] }}
      - {{ ClientId: reads-tenant, ExplicitAuthFlows: [ALLOW_USER_PASSWORD_AUTH], ReadAttributes: [email, "custom:tenant_id"] }}
    Users:
      - Username: una
        Password: "Una-Pa55word!"
        Attributes: [{{ Name: "custom:tenant_id", Value: acme }}, {{ Name: "custom:plan", Value: free }}, {{ Name: email, Value: una@acme.example }}, {{ Name: email_verified, Value: "true" }}]
  - Id: us-east-1_Auto1
    PoolName: auto-confirming
    AutoConfirmSignUp: true
    Clients: [{{ ClientId: auto, ExplicitAuthFlows: [ALLOW_USER_PASSWORD_AUTH], WriteAttributes: ["custom:tenant_id"] }}]
"#
    )
}

struct Pools {
    staging: LocalStaging,
    anonymous: UserPoolClient,
}

impl Pools {
    async fn start() -> Self {
        let staging = support::start(&world()).await;
        let config = sdk_config(&staging, None).await;
        Pools {
            anonymous: UserPoolClient::new(&config),
            staging,
        }
    }

    async fn signed(&self, key: &str) -> UserPoolClient {
        let config = sdk_config(&self.staging, Some(credentials(key, KEY_SECRET, None))).await;
        UserPoolClient::new(&config)
    }

    async fn access_token(&self, client: &str, username: &str, password: &str) -> String {
        self.tokens(client, username, password).await.1
    }

    /// (ID token, access token) of a password sign-in through `client`.
    async fn tokens(&self, client: &str, username: &str, password: &str) -> (String, String) {
        let output = self
            .anonymous
            .initiate_auth()
            .client_id(client)
            .auth_flow(AuthFlowType::UserPasswordAuth)
            .auth_parameters("USERNAME", username)
            .auth_parameters("PASSWORD", password)
            .send()
            .await
            .expect("password sign-in");
        let result = output.authentication_result().expect("tokens");
        (
            result.id_token().expect("ID token").to_string(),
            result.access_token().expect("access token").to_string(),
        )
    }

    /// The attribute names GetUser returns to the access token's client.
    async fn readable(&self, access_token: &str) -> Vec<String> {
        let user = self
            .anonymous
            .get_user()
            .access_token(access_token)
            .send()
            .await
            .expect("GetUser");
        user.user_attributes()
            .iter()
            .map(|a| a.name().to_owned())
            .collect()
    }

    async fn update(&self, access_token: &str, name: &str, value: &str) -> Result<(), String> {
        self.anonymous
            .update_user_attributes()
            .access_token(access_token)
            .user_attributes(attribute(name, value))
            .send()
            .await
            .map(|_| ())
            .map_err(|error| {
                format!(
                    "{}: {}",
                    error.code().unwrap_or("?"),
                    error.message().unwrap_or("")
                )
            })
    }

    /// The user's attribute as an administrator reads it back.
    async fn attribute(&self, username: &str, name: &str) -> Option<String> {
        let admin = self.signed(ADMIN_KEY).await;
        let user = admin
            .admin_get_user()
            .user_pool_id(OPEN_POOL)
            .username(username)
            .send()
            .await
            .expect("AdminGetUser");
        user.user_attributes()
            .iter()
            .find(|a| a.name() == name)
            .and_then(|a| a.value().map(str::to_owned))
    }
}

/// The claims of a JWT's payload, read without checking its signature.
fn claims_of(token: &str) -> serde_json::Map<String, serde_json::Value> {
    use base64::Engine;
    let payload = token.split('.').nth(1).expect("a JWT");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .expect("base64url");
    serde_json::from_slice(&bytes).expect("JSON claims")
}

fn attribute(name: &str, value: &str) -> AttributeType {
    AttributeType::builder()
        .name(name)
        .value(value)
        .build()
        .unwrap()
}

// "When you don't specify the ReadAttributes for your app client, your app can read the
// values of email_verified, phone_number_verified, and the standard attributes"
// (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html#CognitoUserPools-CreateUserPoolClient-request-ReadAttributes).
#[tokio::test]
async fn without_read_attributes_a_client_reads_no_custom_attribute_in_tokens_or_get_user() {
    let pools = Pools::start().await;
    let (id_token, access_token) = pools.tokens("unset", "una", "Una-Pa55word!").await;
    let claims = claims_of(&id_token);
    assert_eq!(
        claims.get("email"),
        Some(&serde_json::json!("una@acme.example"))
    );
    assert_eq!(claims.get("email_verified"), Some(&serde_json::json!(true)));
    assert!(claims.contains_key("sub"));
    assert!(!claims.contains_key("custom:tenant_id"), "{claims:?}");
    assert!(!claims.contains_key("custom:plan"), "{claims:?}");
    let mut readable = pools.readable(&access_token).await;
    readable.sort();
    assert_eq!(readable, ["email", "email_verified", "sub"]);
}

#[tokio::test]
async fn a_client_listing_read_attributes_reads_exactly_those_and_sub() {
    let pools = Pools::start().await;
    let (id_token, access_token) = pools.tokens("reads-tenant", "una", "Una-Pa55word!").await;
    let claims = claims_of(&id_token);
    assert_eq!(
        claims.get("custom:tenant_id"),
        Some(&serde_json::json!("acme"))
    );
    assert_eq!(
        claims.get("email"),
        Some(&serde_json::json!("una@acme.example"))
    );
    assert!(!claims.contains_key("custom:plan"), "{claims:?}");
    assert!(!claims.contains_key("email_verified"), "{claims:?}");
    let mut readable = pools.readable(&access_token).await;
    readable.sort();
    assert_eq!(readable, ["custom:tenant_id", "email", "sub"]);
}

#[tokio::test]
async fn without_write_attributes_a_client_writes_standard_attributes_but_no_custom_one() {
    let pools = Pools::start().await;
    let token = pools.access_token("unset", "una", "Una-Pa55word!").await;
    let refused = pools.update(&token, "custom:tenant_id", "globex").await;
    assert_eq!(
        refused,
        Err(
            "NotAuthorizedException: A client attempted to write unauthorized attribute".to_owned()
        )
    );
    assert_eq!(
        pools.attribute("una", "custom:tenant_id").await.as_deref(),
        Some("acme")
    );
    pools
        .update(&token, "email", "una@globex.example")
        .await
        .expect("a standard attribute");
    assert_eq!(
        pools.attribute("una", "email").await.as_deref(),
        Some("una@globex.example")
    );
}

#[tokio::test]
async fn a_client_listing_a_custom_attribute_writes_it_unless_the_schema_makes_it_immutable() {
    let pools = Pools::start().await;
    let token = pools.access_token("listed", "una", "Una-Pa55word!").await;
    pools
        .update(&token, "custom:tenant_id", "globex")
        .await
        .expect("listed and mutable");
    assert_eq!(
        pools.attribute("una", "custom:tenant_id").await.as_deref(),
        Some("globex")
    );
    let immutable = pools.update(&token, "custom:plan", "premium").await;
    assert_eq!(
        immutable,
        Err("InvalidParameterException: user.custom:plan: Attribute cannot be updated.".to_owned())
    );
    assert_eq!(
        pools.attribute("una", "custom:plan").await.as_deref(),
        Some("free")
    );
}

#[tokio::test]
async fn an_administrator_restores_an_attribute_and_iam_decides_who_may() {
    let pools = Pools::start().await;
    let token = pools.access_token("listed", "una", "Una-Pa55word!").await;
    pools
        .update(&token, "custom:tenant_id", "globex")
        .await
        .unwrap();
    let reader = pools.signed(READER_KEY).await;
    let denied = reader
        .admin_update_user_attributes()
        .user_pool_id(OPEN_POOL)
        .username("una")
        .user_attributes(attribute("custom:tenant_id", "acme"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(denied.code(), Some("AccessDeniedException"));
    assert!(
        denied
            .message()
            .unwrap_or_default()
            .contains("cognito-idp:AdminUpdateUserAttributes"),
        "{denied:?}"
    );
    let admin = pools.signed(ADMIN_KEY).await;
    admin
        .admin_update_user_attributes()
        .user_pool_id(OPEN_POOL)
        .username("una")
        .user_attributes(attribute("custom:tenant_id", "acme"))
        .send()
        .await
        .expect("the administrator restores it");
    assert_eq!(
        pools.attribute("una", "custom:tenant_id").await.as_deref(),
        Some("acme")
    );
}

#[tokio::test]
async fn a_self_sign_up_is_unconfirmed_until_its_code_or_an_administrator_confirms_it() {
    let pools = Pools::start().await;
    let sign_up = |username: &'static str| {
        pools
            .anonymous
            .sign_up()
            .client_id("unset")
            .username(username)
            .password("Stranger-Pa55!")
            .send()
    };
    let signed_up = sign_up("stranger").await.expect("self sign-up is on");
    assert!(!signed_up.user_confirmed());
    let wrong = pools
        .anonymous
        .confirm_sign_up()
        .client_id("unset")
        .username("stranger")
        .confirmation_code("000000")
        .send()
        .await
        .unwrap_err();
    assert_eq!(wrong.code(), Some("CodeMismatchException"));
    pools
        .anonymous
        .confirm_sign_up()
        .client_id("unset")
        .username("stranger")
        .confirmation_code("246810")
        .send()
        .await
        .expect("the world's code confirms");
    pools
        .access_token("unset", "stranger", "Stranger-Pa55!")
        .await;

    sign_up("second").await.unwrap();
    let admin = pools.signed(ADMIN_KEY).await;
    admin
        .admin_confirm_sign_up()
        .user_pool_id(OPEN_POOL)
        .username("second")
        .send()
        .await
        .expect("AdminConfirmSignUp");
    let again = admin
        .admin_confirm_sign_up()
        .user_pool_id(OPEN_POOL)
        .username("second")
        .send()
        .await
        .unwrap_err();
    assert_eq!(again.code(), Some("NotAuthorizedException"));
}

#[tokio::test]
async fn an_auto_confirming_pool_signs_the_new_user_in_and_a_deleted_user_is_gone() {
    let pools = Pools::start().await;
    let signed_up = pools
        .anonymous
        .sign_up()
        .client_id("auto")
        .username("walk-in")
        .password("Walk-In-Pa55!")
        .user_attributes(attribute("custom:tenant_id", "acme"))
        .send()
        .await
        .expect("self sign-up");
    assert!(signed_up.user_confirmed());
    pools.access_token("auto", "walk-in", "Walk-In-Pa55!").await;

    let admin = pools.signed(ADMIN_KEY).await;
    let denied = admin
        .admin_delete_user()
        .user_pool_id("us-east-1_Auto1")
        .username("walk-in")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        denied.code(),
        Some("AccessDeniedException"),
        "the policy names the other pool only"
    );
    admin
        .admin_delete_user()
        .user_pool_id(OPEN_POOL)
        .username("una")
        .send()
        .await
        .expect("AdminDeleteUser");
    let gone = admin
        .admin_get_user()
        .user_pool_id(OPEN_POOL)
        .username("una")
        .send()
        .await
        .unwrap_err();
    assert_eq!(gone.code(), Some("UserNotFoundException"));
}
