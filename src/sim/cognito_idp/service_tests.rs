//! End-to-end tests of the user pools service through `handle`, against a test core.

use super::CognitoIdpService;
use super::secret_hash::secret_hash;
use super::srp_test_client::SrpClient;
use super::test_core::TestCore;
use crate::secret::SecretString;
use crate::sim::core::SimCore;
use crate::sim::principal::{Principal, PrincipalKind};
use crate::sim::request::SimRequest;
use crate::sim::world::World;
use serde_json::{Value, json};
use std::sync::Arc;

pub const WORLD: &str = r#"
account_id: "111122223333"
region: us-east-1
user_pools:
  - Id: us-east-1_Tenants1
    PoolName: tenants
    AdminCreateUserConfig: { AllowAdminCreateUserOnly: true }
    Clients:
      - ClientId: web
        ExplicitAuthFlows: [ALLOW_USER_PASSWORD_AUTH, ALLOW_USER_SRP_AUTH, ALLOW_REFRESH_TOKEN_AUTH, ALLOW_ADMIN_USER_PASSWORD_AUTH]
        ReadAttributes: [email, email_verified, name, "custom:tenant_id"]
        WriteAttributes: [email, name]
        PreventUserExistenceErrors: ENABLED
      - ClientId: srp-only
        ExplicitAuthFlows: [ALLOW_USER_SRP_AUTH]
      - ClientId: server
        ClientSecret: "server-secret"
        ExplicitAuthFlows: [ALLOW_USER_PASSWORD_AUTH, ALLOW_REFRESH_TOKEN_AUTH]
    Groups:
      - { GroupName: admin, Precedence: 1, RoleArn: "arn:aws:iam::111122223333:role/Admin" }
      - { GroupName: editor, Precedence: 5, RoleArn: "arn:aws:iam::111122223333:role/Editor" }
      - { GroupName: blue, Precedence: 3, RoleArn: "arn:aws:iam::111122223333:role/Blue" }
      - { GroupName: green, Precedence: 3, RoleArn: "arn:aws:iam::111122223333:role/Green" }
    Users:
      - Username: alice
        Password: "Alice-Pa55!"
        Attributes: [{ Name: email, Value: alice@acme.test }, { Name: email_verified, Value: "true" }, { Name: "custom:tenant_id", Value: acme }]
        Groups: [editor, admin]
      - Username: tess
        Password: "Tess-Pa55!"
        Groups: [blue, green, editor]
      - Username: newbie
        Password: "Temp-Pa55!"
        UserStatus: FORCE_CHANGE_PASSWORD
  - Id: us-east-1_Open1
    PoolName: open
    Clients:
      - ClientId: open-web
        ExplicitAuthFlows: [ALLOW_USER_PASSWORD_AUTH, ALLOW_REFRESH_TOKEN_AUTH]
    Users:
      - Username: mallory
        Password: "Mallory-Pa55!"
        Attributes: [{ Name: "custom:tenant_id", Value: globex }]
"#;

/// Roles every test world of the Cognito unit tests names.
const ROLES: &[&str] = &[
    "Admin",
    "Editor",
    "Blue",
    "Green",
    "Default",
    "Guest",
    "OpenAuth",
    "AcFirst",
    "AcmeSecond",
    "Super",
];

/// The test world's `iam` section: one role per name, trusting identity pools.
pub fn iam_section() -> String {
    let mut yaml = String::from("iam:\n  roles:\n");
    for role in ROLES {
        yaml.push_str(&format!(
            "    - RoleName: {role}\n      AssumeRolePolicyDocument: {{ Version: \"2012-10-17\", Statement: [{{ Effect: Allow, Principal: {{ Federated: cognito-identity.amazonaws.com }}, Action: \"sts:AssumeRoleWithWebIdentity\" }}] }}\n"
        ));
    }
    yaml
}

pub fn world() -> World {
    serde_yaml::from_str(&format!("{WORLD}{}", iam_section())).expect("test world parses")
}

pub struct Fixture {
    pub core: TestCore,
    pub service: Arc<CognitoIdpService>,
}

impl Fixture {
    pub fn new() -> Self {
        let core = TestCore::new();
        let service =
            Arc::new(CognitoIdpService::from_world(&world(), &core).expect("valid world"));
        Fixture { core, service }
    }

    pub fn call_as(&self, operation: &str, body: Value, caller: Option<Principal>) -> (u16, Value) {
        let mut headers = http::HeaderMap::new();
        headers.insert(
            "x-amz-target",
            format!("AWSCognitoIdentityProviderService.{operation}")
                .parse()
                .unwrap(),
        );
        let request = SimRequest {
            method: http::Method::POST,
            raw_path: "/".to_string(),
            query: Vec::new(),
            headers,
            body: body.to_string().into(),
            request_id: "test".to_string(),
            caller: caller.map(Arc::new),
        };
        let response = self.service.handle(&self.core, &request);
        (
            response.status.as_u16(),
            serde_json::from_slice(&response.body).unwrap(),
        )
    }

    pub fn call(&self, operation: &str, body: Value) -> (u16, Value) {
        self.call_as(operation, body, None)
    }

    pub fn sign_in(&self, client: &str, username: &str, password: &str) -> Value {
        let (status, body) = self.call(
            "InitiateAuth",
            json!({"ClientId": client, "AuthFlow": "USER_PASSWORD_AUTH",
                   "AuthParameters": {"USERNAME": username, "PASSWORD": password}}),
        );
        assert_eq!(status, 200, "{body}");
        body["AuthenticationResult"].clone()
    }

    /// The verified claims of any token, checked the way STS checks it.
    pub fn core_verify(&self, token: &Value) -> Value {
        self.claims(token)
    }

    /// The verified claims of a token, checked the way STS checks it.
    pub fn claims(&self, token: &Value) -> Value {
        self.core
            .verify_token(token.as_str().unwrap())
            .expect("token verifies")
            .claims
    }
}

fn admin_principal(arn: &str) -> Principal {
    Principal {
        kind: PrincipalKind::IamUser {
            user_name: "ops".into(),
        },
        arn: arn.to_string(),
        account: "111122223333".into(),
        userid: "AIDATEST".into(),
        access_key_id: "AKIATEST".into(),
        principal_tags: Default::default(),
        session_policies: None,
        federated_context: Default::default(),
        expires: None,
    }
}

fn error_code(body: &Value) -> &str {
    body["__type"].as_str().unwrap_or_default()
}

#[test]
fn password_sign_in_mints_an_id_token_with_attributes_groups_and_the_preferred_role() {
    let f = Fixture::new();
    let result = f.sign_in("web", "alice", "Alice-Pa55!");
    assert_eq!(result["TokenType"], "Bearer");
    assert_eq!(result["ExpiresIn"], 3600);
    let id = f.claims(&result["IdToken"]);
    assert_eq!(
        id["iss"],
        "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Tenants1"
    );
    assert_eq!(id["aud"], "web");
    assert_eq!(id["token_use"], "id");
    assert_eq!(id["cognito:username"], "alice");
    assert_eq!(id["custom:tenant_id"], "acme");
    assert_eq!(id["email_verified"], true);
    assert_eq!(id["cognito:groups"], json!(["editor", "admin"]));
    assert_eq!(
        id["cognito:preferred_role"],
        "arn:aws:iam::111122223333:role/Admin"
    );
    assert_eq!(
        id["cognito:roles"],
        json!([
            "arn:aws:iam::111122223333:role/Admin",
            "arn:aws:iam::111122223333:role/Editor"
        ])
    );
    assert_eq!(
        id["exp"].as_u64().unwrap() - id["iat"].as_u64().unwrap(),
        3600
    );
    // Access tokens have no `aud`, so STS would refuse them; read their claims directly.
    let access: Value =
        jsonwebtoken::dangerous::insecure_decode_claims(result["AccessToken"].as_str().unwrap())
            .unwrap();
    assert!(access.get("aud").is_none());
    assert_eq!(access["token_use"], "access");
    assert_eq!(access["client_id"], "web");
}

#[test]
fn a_precedence_tie_between_roles_leaves_no_preferred_role() {
    let f = Fixture::new();
    let id = f.claims(&f.sign_in("web", "tess", "Tess-Pa55!")["IdToken"]);
    assert!(id.get("cognito:preferred_role").is_none(), "{id}");
    assert_eq!(id["cognito:roles"].as_array().unwrap().len(), 3);
}

#[test]
fn wrong_passwords_and_unknown_users_get_the_same_answer() {
    let f = Fixture::new();
    for (user, password) in [("alice", "wrong-Pa55!"), ("nobody", "Alice-Pa55!")] {
        let (status, body) = f.call(
            "InitiateAuth",
            json!({"ClientId": "web", "AuthFlow": "USER_PASSWORD_AUTH",
                   "AuthParameters": {"USERNAME": user, "PASSWORD": password}}),
        );
        assert_eq!(status, 400);
        assert_eq!(error_code(&body), "NotAuthorizedException");
        assert_eq!(body["message"], "Incorrect username or password.");
    }
}

#[test]
fn a_client_without_prevent_user_existence_errors_reveals_unknown_users() {
    let f = Fixture::new();
    let (_, body) = f.call(
        "InitiateAuth",
        json!({"ClientId": "open-web", "AuthFlow": "USER_PASSWORD_AUTH",
               "AuthParameters": {"USERNAME": "nobody", "PASSWORD": "Whatever-1!"}}),
    );
    assert_eq!(error_code(&body), "UserNotFoundException");
    assert_eq!(body["message"], "User does not exist.");
}

#[test]
fn a_disabled_flow_and_an_unknown_client_are_refused() {
    let f = Fixture::new();
    let (_, body) = f.call(
        "InitiateAuth",
        json!({"ClientId": "srp-only", "AuthFlow": "USER_PASSWORD_AUTH",
               "AuthParameters": {"USERNAME": "alice", "PASSWORD": "Alice-Pa55!"}}),
    );
    assert_eq!(error_code(&body), "InvalidParameterException");
    let (_, body) = f.call(
        "InitiateAuth",
        json!({"ClientId": "ghost", "AuthFlow": "USER_PASSWORD_AUTH",
               "AuthParameters": {"USERNAME": "alice", "PASSWORD": "Alice-Pa55!"}}),
    );
    assert_eq!(error_code(&body), "ResourceNotFoundException");
}

#[test]
fn a_client_with_a_secret_needs_the_secret_hash() {
    let f = Fixture::new();
    let auth = |hash: Option<String>| {
        let mut params = json!({"USERNAME": "alice", "PASSWORD": "Alice-Pa55!"});
        if let Some(hash) = hash {
            params["SECRET_HASH"] = json!(hash);
        }
        f.call(
            "InitiateAuth",
            json!({"ClientId": "server", "AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": params}),
        )
    };
    assert_eq!(error_code(&auth(None).1), "NotAuthorizedException");
    let wrong = secret_hash(&SecretString::new("other"), "alice", "server");
    assert_eq!(error_code(&auth(Some(wrong)).1), "NotAuthorizedException");
    let right = secret_hash(&SecretString::new("server-secret"), "alice", "server");
    assert_eq!(auth(Some(right)).0, 200);
}

fn srp_sign_in(f: &Fixture, client: &str, username: &str, password: &str) -> (u16, Value) {
    let srp = SrpClient::new();
    let (status, challenge) = f.call(
        "InitiateAuth",
        json!({"ClientId": client, "AuthFlow": "USER_SRP_AUTH",
               "AuthParameters": {"USERNAME": username, "SRP_A": srp.srp_a}}),
    );
    if status != 200 {
        return (status, challenge);
    }
    assert_eq!(challenge["ChallengeName"], "PASSWORD_VERIFIER");
    let p = &challenge["ChallengeParameters"];
    let timestamp = "Sun Nov 22 0:31:02 UTC 2026";
    let user_id = p["USER_ID_FOR_SRP"].as_str().unwrap();
    let signature = srp.signature("Tenants1", password, p, timestamp);
    f.call(
        "RespondToAuthChallenge",
        json!({"ClientId": client, "ChallengeName": "PASSWORD_VERIFIER",
               "ChallengeResponses": {"USERNAME": user_id, "TIMESTAMP": timestamp,
                   "PASSWORD_CLAIM_SECRET_BLOCK": p["SECRET_BLOCK"], "PASSWORD_CLAIM_SIGNATURE": signature}}),
    )
}

#[test]
fn srp_sign_in_succeeds_with_an_independent_client_and_the_right_password() {
    let f = Fixture::new();
    let (status, body) = srp_sign_in(&f, "srp-only", "alice", "Alice-Pa55!");
    assert_eq!(status, 200, "{body}");
    let id = f.claims(&body["AuthenticationResult"]["IdToken"]);
    assert_eq!(id["cognito:username"], "alice");
}

#[test]
fn srp_with_a_wrong_password_is_refused() {
    let f = Fixture::new();
    let (status, body) = srp_sign_in(&f, "srp-only", "alice", "Wrong-Pa55!");
    assert_eq!(status, 400);
    assert_eq!(body["message"], "Incorrect username or password.");
}

#[test]
fn srp_for_an_unknown_user_reveals_it_only_for_legacy_clients() {
    let f = Fixture::new();
    let (_, legacy) = srp_sign_in(&f, "srp-only", "nobody", "Whatever-1!");
    assert_eq!(error_code(&legacy), "UserNotFoundException");
    let (_, hidden) = srp_sign_in(&f, "web", "nobody", "Whatever-1!");
    assert_eq!(error_code(&hidden), "NotAuthorizedException");
}

#[test]
fn a_secret_block_answers_one_challenge_only() {
    let f = Fixture::new();
    let srp = SrpClient::new();
    let (_, challenge) = f.call(
        "InitiateAuth",
        json!({"ClientId": "web", "AuthFlow": "USER_SRP_AUTH",
               "AuthParameters": {"USERNAME": "alice", "SRP_A": srp.srp_a}}),
    );
    let p = &challenge["ChallengeParameters"];
    let ts = "Sun Nov 22 0:31:02 UTC 2026";
    let signature = srp.signature("Tenants1", "Alice-Pa55!", p, ts);
    let answer = json!({"ClientId": "web", "ChallengeName": "PASSWORD_VERIFIER",
        "ChallengeResponses": {"USERNAME": "alice", "TIMESTAMP": ts,
            "PASSWORD_CLAIM_SECRET_BLOCK": p["SECRET_BLOCK"], "PASSWORD_CLAIM_SIGNATURE": signature}});
    assert_eq!(f.call("RespondToAuthChallenge", answer.clone()).0, 200);
    let (status, replay) = f.call("RespondToAuthChallenge", answer);
    assert_eq!(status, 400);
    assert_eq!(error_code(&replay), "NotAuthorizedException");
}

#[test]
fn refresh_works_until_an_admin_global_sign_out_revokes_it() {
    let f = Fixture::new();
    let result = f.sign_in("web", "alice", "Alice-Pa55!");
    let refresh = json!({"ClientId": "web", "AuthFlow": "REFRESH_TOKEN_AUTH",
        "AuthParameters": {"REFRESH_TOKEN": result["RefreshToken"]}});
    let (status, refreshed) = f.call("InitiateAuth", refresh.clone());
    assert_eq!(status, 200, "{refreshed}");
    assert!(
        refreshed["AuthenticationResult"]
            .get("RefreshToken")
            .is_none()
    );
    let origin = f.claims(&result["IdToken"])["origin_jti"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(!f.service.is_sign_in_revoked(&origin));

    let sign_out = json!({"UserPoolId": "us-east-1_Tenants1", "Username": "alice"});
    let (_, unsigned) = f.call("AdminUserGlobalSignOut", sign_out.clone());
    assert_eq!(error_code(&unsigned), "MissingAuthenticationTokenException");
    let ops = "arn:aws:iam::111122223333:user/ops";
    let (_, denied) = f.call_as(
        "AdminUserGlobalSignOut",
        sign_out.clone(),
        Some(admin_principal(ops)),
    );
    assert_eq!(error_code(&denied), "AccessDeniedException");
    f.core
        .allowed_callers
        .lock()
        .unwrap()
        .insert(ops.to_string());
    let (status, _) = f.call_as(
        "AdminUserGlobalSignOut",
        sign_out,
        Some(admin_principal(ops)),
    );
    assert_eq!(status, 200);

    assert!(f.service.is_sign_in_revoked(&origin));
    let (_, revoked) = f.call("InitiateAuth", refresh);
    assert_eq!(revoked["message"], "Refresh Token has been revoked");
    let (_, get_user) = f.call("GetUser", json!({"AccessToken": result["AccessToken"]}));
    assert_eq!(get_user["message"], "Access Token has been revoked");
}

#[test]
fn a_refresh_token_expires_after_the_client_refresh_validity() {
    let f = Fixture::new();
    let result = f.sign_in("web", "alice", "Alice-Pa55!");
    let refresh = json!({"ClientId": "web", "AuthFlow": "REFRESH_TOKEN_AUTH",
        "AuthParameters": {"REFRESH_TOKEN": result["RefreshToken"]}});
    f.core.advance(29 * 86_400);
    assert_eq!(f.call("InitiateAuth", refresh.clone()).0, 200);
    f.core.advance(86_400);
    let (_, expired) = f.call("InitiateAuth", refresh);
    assert_eq!(expired["message"], "Refresh Token has expired");
    let (_, other_client) = f.call(
        "InitiateAuth",
        json!({"ClientId": "server", "AuthFlow": "REFRESH_TOKEN_AUTH",
               "AuthParameters": {"REFRESH_TOKEN": result["RefreshToken"]}}),
    );
    assert_eq!(other_client["message"], "Invalid Refresh Token");
}

#[test]
fn admin_initiate_auth_needs_an_iam_allow_on_the_pool() {
    let f = Fixture::new();
    let body = json!({"UserPoolId": "us-east-1_Tenants1", "ClientId": "web",
        "AuthFlow": "ADMIN_USER_PASSWORD_AUTH",
        "AuthParameters": {"USERNAME": "alice", "PASSWORD": "Alice-Pa55!"}});
    let ops = "arn:aws:iam::111122223333:user/ops";
    let (_, denied) = f.call_as(
        "AdminInitiateAuth",
        body.clone(),
        Some(admin_principal(ops)),
    );
    assert_eq!(error_code(&denied), "AccessDeniedException");
    assert!(
        denied["message"]
            .as_str()
            .unwrap()
            .contains("cognito-idp:AdminInitiateAuth")
    );
    f.core
        .allowed_callers
        .lock()
        .unwrap()
        .insert(ops.to_string());
    let (status, allowed) = f.call_as("AdminInitiateAuth", body, Some(admin_principal(ops)));
    assert_eq!(status, 200, "{allowed}");
    assert!(allowed["AuthenticationResult"]["IdToken"].is_string());
}

#[test]
fn sign_up_is_refused_when_only_admins_create_users() {
    let f = Fixture::new();
    let (_, body) = f.call(
        "SignUp",
        json!({"ClientId": "web", "Username": "eve", "Password": "Eve-Pa55!!"}),
    );
    assert_eq!(error_code(&body), "NotAuthorizedException");
    let (status, created) = f.call(
        "SignUp",
        json!({"ClientId": "open-web", "Username": "eve", "Password": "Eve-Pa55!!",
               "UserAttributes": [{"Name": "email", "Value": "eve@example.test"}]}),
    );
    assert_eq!(status, 200, "{created}");
    assert_eq!(created["UserConfirmed"], false);
    let (_, unconfirmed) = f.call(
        "InitiateAuth",
        json!({"ClientId": "open-web", "AuthFlow": "USER_PASSWORD_AUTH",
               "AuthParameters": {"USERNAME": "eve", "PASSWORD": "Eve-Pa55!!"}}),
    );
    assert_eq!(error_code(&unconfirmed), "UserNotConfirmedException");
}

#[test]
fn a_client_without_write_permission_cannot_change_the_tenant_attribute() {
    let f = Fixture::new();
    let access = f.sign_in("web", "alice", "Alice-Pa55!")["AccessToken"].clone();
    let (_, refused) = f.call(
        "UpdateUserAttributes",
        json!({"AccessToken": access, "UserAttributes": [{"Name": "custom:tenant_id", "Value": "globex"}]}),
    );
    assert_eq!(error_code(&refused), "NotAuthorizedException");
    assert_eq!(
        refused["message"],
        "A client attempted to write unauthorized attribute"
    );
    let (status, _) = f.call(
        "UpdateUserAttributes",
        json!({"AccessToken": access, "UserAttributes": [{"Name": "name", "Value": "Alice"}]}),
    );
    assert_eq!(status, 200);
}

#[test]
fn a_client_with_default_permissions_writes_and_reads_standard_attributes_but_not_the_tenant() {
    // Without WriteAttributes a client writes the standard attributes only, and without
    // ReadAttributes it reads them (and the verification flags) only
    // (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html#CognitoUserPools-CreateUserPoolClient-request-WriteAttributes,
    // https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html#CognitoUserPools-CreateUserPoolClient-request-ReadAttributes).
    let f = Fixture::new();
    let access = f.sign_in("open-web", "mallory", "Mallory-Pa55!")["AccessToken"].clone();
    let (_, refused) = f.call(
        "UpdateUserAttributes",
        json!({"AccessToken": access, "UserAttributes": [{"Name": "custom:tenant_id", "Value": "acme"}]}),
    );
    assert_eq!(error_code(&refused), "NotAuthorizedException");
    let (status, _) = f.call(
        "UpdateUserAttributes",
        json!({"AccessToken": access, "UserAttributes": [{"Name": "nickname", "Value": "mal"}]}),
    );
    assert_eq!(status, 200);
    let id = f.claims(&f.sign_in("open-web", "mallory", "Mallory-Pa55!")["IdToken"]);
    assert!(id.get("custom:tenant_id").is_none(), "{id}");
    assert_eq!(id["nickname"], "mal");
    let (_, user) = f.call("GetUser", json!({"AccessToken": access}));
    let attributes = user["UserAttributes"].as_array().unwrap();
    assert!(attributes.iter().any(|a| a["Value"] == "mal"));
    assert!(
        attributes.iter().all(|a| a["Name"] != "custom:tenant_id"),
        "{user}"
    );
}

#[test]
fn a_user_who_must_change_password_gets_tokens_only_after_answering_the_challenge() {
    let f = Fixture::new();
    let (_, challenge) = f.call(
        "InitiateAuth",
        json!({"ClientId": "web", "AuthFlow": "USER_PASSWORD_AUTH",
               "AuthParameters": {"USERNAME": "newbie", "PASSWORD": "Temp-Pa55!"}}),
    );
    assert_eq!(challenge["ChallengeName"], "NEW_PASSWORD_REQUIRED");
    assert!(challenge.get("AuthenticationResult").is_none());
    let answer = |password: &str| {
        f.call(
            "RespondToAuthChallenge",
            json!({"ClientId": "web", "ChallengeName": "NEW_PASSWORD_REQUIRED", "Session": challenge["Session"],
                   "ChallengeResponses": {"USERNAME": "newbie", "NEW_PASSWORD": password}}),
        )
    };
    assert_eq!(error_code(&answer("short").1), "InvalidPasswordException");
    let (status, done) = answer("Brand-New-Pa55!");
    assert_eq!(status, 200, "{done}");
    assert!(done["AuthenticationResult"]["IdToken"].is_string());
    f.sign_in("web", "newbie", "Brand-New-Pa55!");
}

#[test]
fn an_expired_access_token_is_refused_by_get_user() {
    let f = Fixture::new();
    let access = f.sign_in("web", "alice", "Alice-Pa55!")["AccessToken"].clone();
    let (status, user) = f.call("GetUser", json!({"AccessToken": access}));
    assert_eq!(status, 200);
    assert_eq!(user["Username"], "alice");
    f.core.advance(3601);
    let (_, expired) = f.call("GetUser", json!({"AccessToken": access}));
    assert_eq!(expired["message"], "Access Token has expired");
}

#[test]
fn the_jwks_document_serves_the_key_tokens_are_signed_with() {
    let f = Fixture::new();
    let request = SimRequest {
        method: http::Method::GET,
        raw_path: "/us-east-1_Tenants1/.well-known/jwks.json".to_string(),
        query: Vec::new(),
        headers: http::HeaderMap::new(),
        body: Default::default(),
        request_id: "t".to_string(),
        caller: None,
    };
    let response = f.service.handle(&f.core, &request);
    assert_eq!(response.status, 200);
    let jwks: Value = serde_json::from_slice(&response.body).unwrap();
    let token = f.sign_in("web", "alice", "Alice-Pa55!")["IdToken"].clone();
    let header = jsonwebtoken::decode_header(token.as_str().unwrap()).unwrap();
    assert_eq!(jwks["keys"][0]["kid"].as_str(), header.kid.as_deref());
    assert_eq!(
        f.service.summary()[1].client_ids,
        vec!["web", "srp-only", "server"]
    );
}
