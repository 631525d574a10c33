//! End-to-end tests of the identity pools service through `handle`, against a test core
//! and the real user pools service.

use super::CognitoIdentityService;
use crate::sim::cognito_idp::service_tests::{Fixture as UserPools, WORLD, iam_section};
use crate::sim::request::SimRequest;
use crate::sim::world::World;
use serde_json::{Value, json};
use std::sync::Arc;

const TOKEN_POOL: &str = "us-east-1:aaaaaaaa-0000-0000-0000-000000000001";
const CLOSED_POOL: &str = "us-east-1:bbbbbbbb-0000-0000-0000-000000000002";
const RULES_POOL: &str = "us-east-1:cccccccc-0000-0000-0000-000000000003";
const TENANTS: &str = "cognito-idp.us-east-1.amazonaws.com/us-east-1_Tenants1";
const OPEN: &str = "cognito-idp.us-east-1.amazonaws.com/us-east-1_Open1";

const IDENTITY_POOLS: &str = r#"
identity_pools:
  - IdentityPoolId: "us-east-1:aaaaaaaa-0000-0000-0000-000000000001"
    IdentityPoolName: token-mapped
    AllowUnauthenticatedIdentities: true
    AllowClassicFlow: true
    CognitoIdentityProviders:
      - { ProviderName: cognito-idp.us-east-1.amazonaws.com/us-east-1_Tenants1, ClientId: web, ServerSideTokenCheck: true }
    Roles: { authenticated: "arn:aws:iam::111122223333:role/Default", unauthenticated: "arn:aws:iam::111122223333:role/Guest" }
    RoleMappings:
      "cognito-idp.us-east-1.amazonaws.com/us-east-1_Tenants1:web": { Type: Token, AmbiguousRoleResolution: Deny }
    PrincipalTags:
      cognito-idp.us-east-1.amazonaws.com/us-east-1_Tenants1: { PrincipalTags: { tenant: "custom:tenant_id" } }
  - IdentityPoolId: "us-east-1:bbbbbbbb-0000-0000-0000-000000000002"
    IdentityPoolName: closed
    AllowClassicFlow: false
    CognitoIdentityProviders:
      - { ProviderName: cognito-idp.us-east-1.amazonaws.com/us-east-1_Open1, ClientId: open-web }
    Roles: { authenticated: "arn:aws:iam::111122223333:role/OpenAuth" }
    PrincipalTags:
      cognito-idp.us-east-1.amazonaws.com/us-east-1_Open1: { UseDefaults: true }
  - IdentityPoolId: "us-east-1:cccccccc-0000-0000-0000-000000000003"
    IdentityPoolName: rules-mapped
    CognitoIdentityProviders:
      - { ProviderName: cognito-idp.us-east-1.amazonaws.com/us-east-1_Tenants1, ClientId: web }
    Roles: { authenticated: "arn:aws:iam::111122223333:role/Default" }
    RoleMappings:
      "cognito-idp.us-east-1.amazonaws.com/us-east-1_Tenants1:web":
        Type: Rules
        AmbiguousRoleResolution: Deny
        RulesConfiguration:
          Rules:
            - { Claim: "custom:tenant_id", MatchType: StartsWith, Value: ac, RoleARN: "arn:aws:iam::111122223333:role/AcFirst" }
            - { Claim: "custom:tenant_id", MatchType: Equals, Value: acme, RoleARN: "arn:aws:iam::111122223333:role/AcmeSecond" }
            - { Claim: "cognito:groups", MatchType: Contains, Value: superuser, RoleARN: "arn:aws:iam::111122223333:role/Super" }
"#;

struct Fixture {
    users: UserPools,
    service: CognitoIdentityService,
}

impl Fixture {
    fn new() -> Self {
        let users = UserPools::new();
        let world: World =
            serde_yaml::from_str(&format!("{WORLD}{IDENTITY_POOLS}{}", iam_section())).unwrap();
        let service =
            CognitoIdentityService::from_world(&world, &users.core, Arc::clone(&users.service))
                .expect("valid identity pools");
        Fixture { users, service }
    }

    fn call(&self, operation: &str, body: Value) -> (u16, Value) {
        let mut headers = http::HeaderMap::new();
        headers.insert(
            "x-amz-target",
            format!("AWSCognitoIdentityService.{operation}")
                .parse()
                .unwrap(),
        );
        let request = SimRequest {
            method: http::Method::POST,
            raw_path: "/".into(),
            query: Vec::new(),
            headers,
            body: body.to_string().into(),
            request_id: "t".into(),
            caller: None,
        };
        let response = self.service.handle(&self.users.core, &request);
        (
            response.status.as_u16(),
            serde_json::from_slice(&response.body).unwrap(),
        )
    }

    fn id_token(&self, client: &str, user: &str, password: &str) -> Value {
        self.users.sign_in(client, user, password)["IdToken"].clone()
    }

    fn get_id(&self, pool: &str, provider: &str, token: &Value) -> (u16, Value) {
        self.call(
            "GetId",
            json!({"IdentityPoolId": pool, "Logins": {provider: token}}),
        )
    }

    /// GetId then GetCredentialsForIdentity with the same login.
    fn credentials(&self, pool: &str, provider: &str, token: &Value, extra: Value) -> (u16, Value) {
        let (status, id) = self.get_id(pool, provider, token);
        assert_eq!(status, 200, "{id}");
        let mut body = json!({"IdentityId": id["IdentityId"], "Logins": {provider: token}});
        if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
            body.extend(extra.clone());
        }
        self.call("GetCredentialsForIdentity", body)
    }

    fn assumed_role(&self) -> String {
        self.users.core.last_exchange().0.role_arn
    }
}

fn code(body: &Value) -> &str {
    body["__type"].as_str().unwrap_or_default()
}

#[test]
fn the_same_login_always_maps_to_the_same_identity() {
    let f = Fixture::new();
    let first = f
        .get_id(
            TOKEN_POOL,
            TENANTS,
            &f.id_token("web", "alice", "Alice-Pa55!"),
        )
        .1;
    let second = f
        .get_id(
            TOKEN_POOL,
            TENANTS,
            &f.id_token("web", "alice", "Alice-Pa55!"),
        )
        .1;
    assert_eq!(first["IdentityId"], second["IdentityId"]);
    assert!(
        first["IdentityId"]
            .as_str()
            .unwrap()
            .starts_with("us-east-1:")
    );
    let other = f
        .get_id(
            TOKEN_POOL,
            TENANTS,
            &f.id_token("web", "tess", "Tess-Pa55!"),
        )
        .1;
    assert_ne!(first["IdentityId"], other["IdentityId"]);
}

#[test]
fn a_token_mapping_assumes_the_preferred_role_with_the_pool_token() {
    let f = Fixture::new();
    let token = f.id_token("web", "alice", "Alice-Pa55!");
    let (status, body) = f.credentials(TOKEN_POOL, TENANTS, &token, json!({}));
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["Credentials"]["AccessKeyId"], "ASIATESTTESTTESTTEST");
    assert!(body["Credentials"]["Expiration"].is_u64());
    let (request, claims) = f.users.core.last_exchange();
    assert_eq!(request.role_arn, "arn:aws:iam::111122223333:role/Admin");
    assert!(request.policy.is_none());
    assert_eq!(claims["iss"], "https://cognito-identity.amazonaws.com");
    assert_eq!(claims["aud"], TOKEN_POOL);
    assert_eq!(claims["sub"], body["IdentityId"]);
    assert_eq!(claims["amr"][0], "authenticated");
    assert_eq!(claims["amr"][1], TENANTS);
    assert_eq!(
        claims["https://aws.amazon.com/tags"]["principal_tags"]["tenant"],
        json!(["acme"])
    );
}

#[test]
fn a_precedence_tie_with_deny_resolution_is_refused() {
    let f = Fixture::new();
    let token = f.id_token("web", "tess", "Tess-Pa55!");
    let (status, body) = f.credentials(TOKEN_POOL, TENANTS, &token, json!({}));
    assert_eq!(status, 400);
    assert_eq!(code(&body), "NotAuthorizedException");
    assert!(f.users.core.exchanges.lock().unwrap().is_empty());
}

#[test]
fn a_custom_role_outside_the_token_roles_is_refused() {
    let f = Fixture::new();
    let token = f.id_token("web", "alice", "Alice-Pa55!");
    let editor = json!({"CustomRoleArn": "arn:aws:iam::111122223333:role/Editor"});
    assert_eq!(f.credentials(TOKEN_POOL, TENANTS, &token, editor).0, 200);
    assert_eq!(f.assumed_role(), "arn:aws:iam::111122223333:role/Editor");
    let blue = json!({"CustomRoleArn": "arn:aws:iam::111122223333:role/Blue"});
    let (_, body) = f.credentials(TOKEN_POOL, TENANTS, &token, blue);
    assert_eq!(code(&body), "NotAuthorizedException");
}

#[test]
fn rules_are_evaluated_in_order_and_no_match_with_deny_is_refused() {
    let f = Fixture::new();
    let alice = f.id_token("web", "alice", "Alice-Pa55!");
    assert_eq!(f.credentials(RULES_POOL, TENANTS, &alice, json!({})).0, 200);
    assert_eq!(f.assumed_role(), "arn:aws:iam::111122223333:role/AcFirst");
    let tess = f.id_token("web", "tess", "Tess-Pa55!");
    let (_, body) = f.credentials(RULES_POOL, TENANTS, &tess, json!({}));
    assert_eq!(code(&body), "NotAuthorizedException");
}

#[test]
fn default_principal_tags_carry_client_and_username() {
    let f = Fixture::new();
    let token = f.id_token("open-web", "mallory", "Mallory-Pa55!");
    let sub = f.users.claims(&token)["sub"].clone();
    assert_eq!(f.credentials(CLOSED_POOL, OPEN, &token, json!({})).0, 200);
    let (_, claims) = f.users.core.last_exchange();
    let tags = &claims["https://aws.amazon.com/tags"]["principal_tags"];
    assert_eq!(tags["client"], json!(["open-web"]));
    assert_eq!(tags["username"], json!([sub]));
}

#[test]
fn a_token_from_another_user_pool_is_refused() {
    let f = Fixture::new();
    let foreign = f.id_token("open-web", "mallory", "Mallory-Pa55!");
    let (_, as_itself) = f.get_id(TOKEN_POOL, OPEN, &foreign);
    assert_eq!(code(&as_itself), "NotAuthorizedException");
    let (_, disguised) = f.get_id(TOKEN_POOL, TENANTS, &foreign);
    assert_eq!(code(&disguised), "NotAuthorizedException");
}

#[test]
fn a_forged_signature_and_an_access_token_are_refused() {
    let f = Fixture::new();
    let genuine = f.id_token("web", "alice", "Alice-Pa55!");
    let mut claims = f.users.claims(&genuine);
    claims["custom:tenant_id"] = json!("globex");
    // Keep the genuine header and signature, swap in a payload that moves tenants.
    let parts: Vec<&str> = genuine.as_str().unwrap().split('.').collect();
    use base64::Engine;
    let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(claims.to_string());
    let forged = json!(format!("{}.{}.{}", parts[0], payload, parts[2]));
    let (_, body) = f.get_id(TOKEN_POOL, TENANTS, &forged);
    assert_eq!(code(&body), "NotAuthorizedException");
    let access = f.users.sign_in("web", "alice", "Alice-Pa55!")["AccessToken"].clone();
    let (_, body) = f.get_id(TOKEN_POOL, TENANTS, &access);
    assert_eq!(code(&body), "NotAuthorizedException");
}

#[test]
fn an_expired_id_token_is_refused() {
    let f = Fixture::new();
    let token = f.id_token("web", "alice", "Alice-Pa55!");
    f.users.core.advance(3601);
    let (_, body) = f.get_id(TOKEN_POOL, TENANTS, &token);
    assert_eq!(code(&body), "NotAuthorizedException");
}

#[test]
fn a_globally_signed_out_token_is_refused_with_server_side_token_check() {
    let f = Fixture::new();
    let token = f.id_token("web", "alice", "Alice-Pa55!");
    let access = f.users.sign_in("web", "alice", "Alice-Pa55!")["AccessToken"].clone();
    assert_eq!(f.get_id(TOKEN_POOL, TENANTS, &token).0, 200);
    assert_eq!(
        f.users
            .call("GlobalSignOut", json!({"AccessToken": access}))
            .0,
        200
    );
    let (_, checked) = f.get_id(TOKEN_POOL, TENANTS, &token);
    assert_eq!(code(&checked), "NotAuthorizedException");
    // The rules pool does not check with the user pool, so the revoked token still works.
    assert_eq!(f.get_id(RULES_POOL, TENANTS, &token).0, 200);
}

#[test]
fn guests_get_the_guest_role_scoped_down_only_when_guest_access_is_on() {
    let f = Fixture::new();
    let (status, id) = f.call("GetId", json!({"IdentityPoolId": TOKEN_POOL}));
    assert_eq!(status, 200);
    let (status, _) = f.call(
        "GetCredentialsForIdentity",
        json!({"IdentityId": id["IdentityId"]}),
    );
    assert_eq!(status, 200);
    let (request, claims) = f.users.core.last_exchange();
    assert_eq!(request.role_arn, "arn:aws:iam::111122223333:role/Guest");
    assert!(request.policy.as_deref().unwrap().contains("s3:*"));
    assert_eq!(claims["amr"], json!(["unauthenticated"]));
    let (_, refused) = f.call("GetId", json!({"IdentityPoolId": CLOSED_POOL}));
    assert_eq!(code(&refused), "NotAuthorizedException");
}

#[test]
fn an_identity_cannot_be_used_with_another_users_login() {
    let f = Fixture::new();
    let alice = f.id_token("web", "alice", "Alice-Pa55!");
    let id = f.get_id(TOKEN_POOL, TENANTS, &alice).1;
    let tess = f.id_token("web", "tess", "Tess-Pa55!");
    let (_, body) = f.call(
        "GetCredentialsForIdentity",
        json!({"IdentityId": id["IdentityId"], "Logins": {TENANTS: tess}}),
    );
    assert_eq!(code(&body), "NotAuthorizedException");
    let (_, body) = f.call(
        "GetCredentialsForIdentity",
        json!({"IdentityId": id["IdentityId"]}),
    );
    assert_eq!(code(&body), "NotAuthorizedException");
    let (_, body) = f.call(
        "GetCredentialsForIdentity",
        json!({"IdentityId": "us-east-1:00000000-0000-0000-0000-000000000000"}),
    );
    assert_eq!(code(&body), "ResourceNotFoundException");
}

#[test]
fn a_trust_policy_refusal_is_an_invalid_pool_configuration() {
    let f = Fixture::new();
    f.users
        .core
        .refusing_roles
        .lock()
        .unwrap()
        .insert("arn:aws:iam::111122223333:role/Admin".into());
    let token = f.id_token("web", "alice", "Alice-Pa55!");
    let (_, body) = f.credentials(TOKEN_POOL, TENANTS, &token, json!({}));
    assert_eq!(code(&body), "InvalidIdentityPoolConfigurationException");
}

#[test]
fn the_classic_flow_is_refused_only_where_the_pool_turned_it_off() {
    let f = Fixture::new();
    let guest = f.call("GetId", json!({"IdentityPoolId": TOKEN_POOL})).1;
    let (status, body) = f.call("GetOpenIdToken", json!({"IdentityId": guest["IdentityId"]}));
    assert_eq!(status, 200, "{body}");
    let claims = f.users.core_verify(&body["Token"]);
    assert_eq!(claims["amr"], json!(["unauthenticated"]));
    let token = f.id_token("open-web", "mallory", "Mallory-Pa55!");
    let id = f.get_id(CLOSED_POOL, OPEN, &token).1;
    let (_, refused) = f.call(
        "GetOpenIdToken",
        json!({"IdentityId": id["IdentityId"], "Logins": {OPEN: token}}),
    );
    assert_eq!(code(&refused), "InvalidParameterException");
    assert_eq!(
        refused["message"],
        "Basic (classic) flow is not enabled, please use enhanced flow."
    );
}
