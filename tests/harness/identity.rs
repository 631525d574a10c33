//! Sign-in and exchange against canned Cognito, STS and identity-pool responses.

use crate::fake_server::{FakeServer, Reply, SeenRequest};
use crate::support::fast_target;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use std::time::{SystemTime, UNIX_EPOCH};
use xtenant::identity::{
    IdentityFlow, RoleCheck, SignInFlow, UserAccess, UserEvidence, UserPoolClient, UserSession,
    UserSpec, check_expected_role,
};
use xtenant::secret::SecretString;

pub const PASSWORD: &str = "Pa55-word-NEVER-PRINT";
pub const CLIENT_SECRET: &str = "client-secret-NEVER-PRINT";
pub const ACCESS_TOKEN: &str = "access-token-NEVER-PRINT";
pub const REFRESH_TOKEN: &str = "refresh-token-NEVER-PRINT";
pub const SECRET_KEY: &str = "secret-key-NEVER-PRINT";
pub const SESSION_TOKEN: &str = "session-token-NEVER-PRINT";

pub fn id_token() -> String {
    let payload = r#"{"sub":"0d3e","cognito:groups":["globex-users"],"cognito:preferred_role":"arn:aws:iam::111122223333:role/globex-tenant","cognito:roles":["arn:aws:iam::111122223333:role/globex-tenant"],"exp":4102444800}"#;
    format!(
        "eyJhbGciOiJSUzI1NiJ9.{}.id-token-signature-NEVER-PRINT",
        URL_SAFE_NO_PAD.encode(payload)
    )
}

pub fn spec(url: &str, flow: IdentityFlow) -> UserSpec {
    UserSpec {
        name: "alice".to_owned(),
        tenant: "globex".to_owned(),
        access: UserAccess::SignedIn {
            pool: UserPoolClient {
                user_pool_id: "us-east-1_Pool1".to_owned(),
                client_id: "client1".to_owned(),
                client_secret: Some(SecretString::new(CLIENT_SECRET)),
            },
            username: "alice@globex.example".to_owned(),
            password: SecretString::new(PASSWORD),
            flow: SignInFlow::UserPassword,
        },
        identity_pool_id: "us-east-1:pool-guid".to_owned(),
        identity_flow: flow,
        target: fast_target(url),
        expected_role: Some("arn:aws:iam::111122223333:role/globex-tenant".to_owned()),
        redactor: xtenant::redaction::Redactor::default(),
    }
}

/// Canned Cognito, identity-pool and STS answers; credentials expire `lifetime` from now.
pub fn aws(lifetime_secs: u64) -> impl Fn(&SeenRequest) -> Reply + Send + Sync + 'static {
    aws_with_token_lifetime(3600, lifetime_secs)
}

/// As `aws`, with ID and access tokens that live `token_lifetime_secs`.
pub fn aws_with_token_lifetime(
    token_lifetime_secs: u64,
    lifetime_secs: u64,
) -> impl Fn(&SeenRequest) -> Reply + Send + Sync + 'static {
    move |request| {
        let expiry = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs()
            + lifetime_secs;
        match request.operation().as_str() {
            "InitiateAuth" => Reply::json(
                200,
                &serde_json::json!({
                    "AuthenticationResult": {
                        "IdToken": id_token(),
                        "AccessToken": ACCESS_TOKEN,
                        "RefreshToken": REFRESH_TOKEN,
                        "ExpiresIn": token_lifetime_secs,
                        "TokenType": "Bearer"
                    },
                    "ChallengeParameters": {}
                })
                .to_string(),
            ),
            "GetId" => Reply::json(200, r#"{"IdentityId":"us-east-1:identity-1"}"#),
            "GetCredentialsForIdentity" => Reply::json(
                200,
                &serde_json::json!({
                    "IdentityId": "us-east-1:identity-1",
                    "Credentials": {
                        "AccessKeyId": "ASIAUSER",
                        "SecretKey": SECRET_KEY,
                        "SessionToken": SESSION_TOKEN,
                        "Expiration": expiry
                    }
                })
                .to_string(),
            ),
            "GetCallerIdentity" => Reply::xml(
                200,
                "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult>\
                 <Arn>arn:aws:sts::111122223333:assumed-role/globex-tenant/CognitoIdentityCredentials</Arn>\
                 <UserId>AROAEXAMPLE:CognitoIdentityCredentials</UserId><Account>111122223333</Account>\
                 </GetCallerIdentityResult><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></GetCallerIdentityResponse>",
            ),
            other => Reply::json_error(400, "UnexpectedOperation", other),
        }
    }
}

#[tokio::test]
async fn enhanced_flow_yields_evidence_and_the_expected_role_holds() {
    let server = FakeServer::start(aws(3600)).await;
    let spec = spec(
        &server.url,
        IdentityFlow::Enhanced {
            custom_role_arn: None,
        },
    );
    let session = UserSession::establish(&spec).await.unwrap();
    let evidence = &session.evidence;
    assert_eq!(
        evidence.identity_id.as_deref(),
        Some("us-east-1:identity-1")
    );
    assert_eq!(
        evidence.caller_arn.as_deref(),
        Some("arn:aws:sts::111122223333:assumed-role/globex-tenant/CognitoIdentityCredentials")
    );
    assert_eq!(
        evidence.role_arn.as_deref(),
        Some("arn:aws:iam::111122223333:role/globex-tenant")
    );
    assert_eq!(evidence.account.as_deref(), Some("111122223333"));
    assert_eq!(evidence.groups, vec!["globex-users"]);
    assert_eq!(evidence.roles.len(), 1);
    assert!(matches!(
        check_expected_role(spec.expected_role.as_deref().unwrap(), evidence),
        RoleCheck::Held { .. }
    ));

    let seen = server.seen();
    let initiate: serde_json::Value = serde_json::from_str(&seen[0].body).unwrap();
    assert_eq!(initiate["AuthFlow"], "USER_PASSWORD_AUTH");
    assert!(initiate["AuthParameters"]["SECRET_HASH"].is_string());
    let get_id: serde_json::Value = serde_json::from_str(&seen[1].body).unwrap();
    assert!(get_id["Logins"]["cognito-idp.us-east-1.amazonaws.com/us-east-1_Pool1"].is_string());
    // The probe call was signed with the exchanged credentials.
    let caller = seen
        .iter()
        .find(|r| r.operation() == "GetCallerIdentity")
        .unwrap();
    assert!(
        caller
            .header("authorization")
            .unwrap()
            .contains("Credential=ASIAUSER/")
    );
}

#[tokio::test]
async fn credentials_are_cached_until_close_to_expiry_then_renewed() {
    let server = FakeServer::start(aws(3600)).await;
    let session = UserSession::establish(&spec(
        &server.url,
        IdentityFlow::Enhanced {
            custom_role_arn: None,
        },
    ))
    .await
    .unwrap();
    session.provider.credentials().await.unwrap();
    assert_eq!(
        server.count("GetCredentialsForIdentity"),
        1,
        "fresh credentials are reused"
    );

    // Credentials inside the renewal margin are exchanged again (the identity id is kept).
    let expiring = FakeServer::start(aws(60)).await;
    let session = UserSession::establish(&spec(
        &expiring.url,
        IdentityFlow::Enhanced {
            custom_role_arn: None,
        },
    ))
    .await
    .unwrap();
    session.provider.credentials().await.unwrap();
    assert!(
        expiring.count("GetCredentialsForIdentity") >= 3,
        "renewed before expiry"
    );
    assert_eq!(expiring.count("GetId"), 1);
    assert_eq!(
        expiring.count("InitiateAuth"),
        1,
        "the ID token was still fresh"
    );
}

#[tokio::test]
async fn a_challenge_the_harness_cannot_answer_names_the_user_and_the_challenge() {
    let server = FakeServer::start(|_| {
        Reply::json(
            200,
            r#"{"ChallengeName":"NEW_PASSWORD_REQUIRED","Session":"s","ChallengeParameters":{}}"#,
        )
    })
    .await;
    let spec = spec(
        &server.url,
        IdentityFlow::Enhanced {
            custom_role_arn: None,
        },
    );
    let error = UserSession::establish(&spec).await.unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("alice") && message.contains("NEW_PASSWORD_REQUIRED"),
        "{message}"
    );
    let evidence = UserEvidence::of_failure(&spec, &error);
    assert!(matches!(
        check_expected_role("globex-tenant", &evidence),
        RoleCheck::Inconclusive { .. }
    ));
}

#[tokio::test]
async fn basic_flow_assumes_the_scenario_role_with_the_open_id_token() {
    let canned = aws(3600);
    let server = FakeServer::start(move |request| match request.operation().as_str() {
        "GetOpenIdToken" => Reply::json(200, r#"{"IdentityId":"us-east-1:identity-1","Token":"open-id-token"}"#),
        "AssumeRoleWithWebIdentity" => Reply::xml(
            200,
            "<AssumeRoleWithWebIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleWithWebIdentityResult>\
             <Credentials><AccessKeyId>ASIABASIC</AccessKeyId><SecretAccessKey>secret-key-NEVER-PRINT</SecretAccessKey>\
             <SessionToken>session-token-NEVER-PRINT</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>\
             <SubjectFromWebIdentityToken>us-east-1:identity-1</SubjectFromWebIdentityToken>\
             <AssumedRoleUser><Arn>arn:aws:sts::111122223333:assumed-role/globex-tenant/xtenant-alice</Arn><AssumedRoleId>AROA:xtenant-alice</AssumedRoleId></AssumedRoleUser>\
             </AssumeRoleWithWebIdentityResult><ResponseMetadata><RequestId>r2</RequestId></ResponseMetadata></AssumeRoleWithWebIdentityResponse>",
        ),
        _ => canned(request),
    })
    .await;
    let spec = spec(
        &server.url,
        IdentityFlow::Basic {
            role_arn: "arn:aws:iam::111122223333:role/globex-tenant".to_owned(),
        },
    );
    let session = UserSession::establish(&spec).await.unwrap();
    assert_eq!(
        session.evidence.identity_id.as_deref(),
        Some("us-east-1:identity-1")
    );
    let assume = server
        .seen()
        .into_iter()
        .find(|r| r.operation() == "AssumeRoleWithWebIdentity")
        .unwrap();
    assert!(
        assume.body.contains("WebIdentityToken=open-id-token"),
        "{}",
        assume.body
    );
    assert!(
        assume.body.contains("RoleSessionName=xtenant-alice"),
        "{}",
        assume.body
    );
    let caller = server
        .seen()
        .into_iter()
        .find(|r| r.operation() == "GetCallerIdentity")
        .unwrap();
    assert!(
        caller
            .header("authorization")
            .unwrap()
            .contains("Credential=ASIABASIC/")
    );
}

#[tokio::test]
async fn a_guest_gets_an_identity_without_logins() {
    let server = FakeServer::start(aws(3600)).await;
    let mut spec = spec(
        &server.url,
        IdentityFlow::Enhanced {
            custom_role_arn: None,
        },
    );
    spec.access = UserAccess::Guest;
    let session = UserSession::establish(&spec).await.unwrap();
    assert!(session.evidence.groups.is_empty());
    assert_eq!(server.count("InitiateAuth"), 0);
    let seen = server.seen();
    let get_id: serde_json::Value = serde_json::from_str(&seen[0].body).unwrap();
    assert!(get_id.get("Logins").is_none(), "{get_id}");
}

#[tokio::test]
async fn tokens_about_to_expire_are_renewed_with_refresh_token_auth() {
    let server = FakeServer::start(aws_with_token_lifetime(60, 60)).await;
    let spec = spec(
        &server.url,
        IdentityFlow::Enhanced {
            custom_role_arn: None,
        },
    );
    let session = UserSession::establish(&spec).await.unwrap();
    session.provider.credentials().await.unwrap();
    let flows: Vec<String> = server
        .seen()
        .iter()
        .filter(|request| request.operation() == "InitiateAuth")
        .map(|request| {
            let body: serde_json::Value = serde_json::from_str(&request.body).unwrap();
            assert!(body["AuthParameters"]["SECRET_HASH"].is_string());
            body["AuthFlow"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(flows[0], "USER_PASSWORD_AUTH");
    assert!(flows.len() >= 2, "{flows:?}");
    assert!(
        flows[1..].iter().all(|flow| flow == "REFRESH_TOKEN_AUTH"),
        "{flows:?}"
    );
}

#[tokio::test]
async fn srp_sign_in_answers_password_verifier_without_sending_the_password() {
    let canned = aws(3600);
    let server = FakeServer::start(move |request| {
        let body: serde_json::Value = serde_json::from_str(&request.body).unwrap_or_default();
        if request.operation() == "InitiateAuth" && body["AuthFlow"] == "USER_SRP_AUTH" {
            return Reply::json(
                200,
                &serde_json::json!({
                    "ChallengeName": "PASSWORD_VERIFIER",
                    "Session": "srp-session",
                    "ChallengeParameters": {
                        "SALT": "0fe3a1b2c3d4e5f60718293a4b5c6d7e",
                        "SRP_B": "1234567890abcdef".repeat(24),
                        "SECRET_BLOCK": "c2VjcmV0LWJsb2Nr",
                        "USER_ID_FOR_SRP": "0d3e-sub",
                        "USERNAME": "0d3e-sub"
                    }
                })
                .to_string(),
            );
        }
        if request.operation() == "RespondToAuthChallenge" {
            return canned(&SeenRequest {
                headers: vec![("x-amz-target".to_owned(), "X.InitiateAuth".to_owned())],
                ..request.clone()
            });
        }
        canned(request)
    })
    .await;
    let mut spec = spec(
        &server.url,
        IdentityFlow::Enhanced {
            custom_role_arn: None,
        },
    );
    if let UserAccess::SignedIn { flow, .. } = &mut spec.access {
        *flow = SignInFlow::UserSrp;
    }
    UserSession::establish(&spec).await.unwrap();

    let seen = server.seen();
    let initiate: serde_json::Value = serde_json::from_str(&seen[0].body).unwrap();
    let srp_a = initiate["AuthParameters"]["SRP_A"].as_str().unwrap();
    assert!(srp_a.len() > 700 && srp_a.chars().all(|c| c.is_ascii_hexdigit()));
    let respond = seen
        .iter()
        .find(|request| request.operation() == "RespondToAuthChallenge")
        .expect("the challenge was answered");
    let body: serde_json::Value = serde_json::from_str(&respond.body).unwrap();
    assert_eq!(body["ChallengeName"], "PASSWORD_VERIFIER");
    assert_eq!(body["Session"], "srp-session");
    let responses = &body["ChallengeResponses"];
    assert_eq!(responses["USERNAME"], "0d3e-sub");
    assert_eq!(responses["PASSWORD_CLAIM_SECRET_BLOCK"], "c2VjcmV0LWJsb2Nr");
    let signature = base64::engine::general_purpose::STANDARD
        .decode(responses["PASSWORD_CLAIM_SIGNATURE"].as_str().unwrap())
        .unwrap();
    assert_eq!(signature.len(), 32);
    let timestamp = responses["TIMESTAMP"].as_str().unwrap();
    assert!(
        timestamp.contains(" UTC ") && timestamp.split(' ').count() == 6,
        "{timestamp}"
    );
    let expected_hash = xtenant::identity::secret_hash::secret_hash(
        &SecretString::new(CLIENT_SECRET),
        "0d3e-sub",
        "client1",
    );
    assert_eq!(responses["SECRET_HASH"], expected_hash.expose());
    assert!(seen.iter().all(|request| !request.body.contains(PASSWORD)));
}

#[tokio::test]
async fn a_refused_role_keeps_the_sts_error_code_for_the_runner() {
    let canned = aws(3600);
    let server = FakeServer::start(move |request| match request.operation().as_str() {
        "GetOpenIdToken" => Reply::json(200, r#"{"IdentityId":"us-east-1:identity-1","Token":"open-id-token"}"#),
        "AssumeRoleWithWebIdentity" => Reply::xml(
            403,
            "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type>\
             <Code>AccessDenied</Code><Message>Not authorized to perform sts:AssumeRoleWithWebIdentity</Message>\
             </Error><RequestId>r3</RequestId></ErrorResponse>",
        ),
        _ => canned(request),
    })
    .await;
    let spec = spec(
        &server.url,
        IdentityFlow::Basic {
            role_arn: "arn:aws:iam::111122223333:role/acme-tenant".to_owned(),
        },
    );
    let error = UserSession::establish(&spec).await.unwrap_err();
    assert_eq!(error.aws_error_code(), Some("AccessDenied"));
    assert!(
        error.to_string().contains("AssumeRoleWithWebIdentity"),
        "{error}"
    );
    let record = xtenant::run::unsent_record(
        &crate::support::probe(
            crate::support::secret(),
            xtenant::scenario::Action::Read,
            xtenant::scenario::Expectation::Deny,
        ),
        error.to_string(),
        0,
    );
    assert_eq!(record.verdict, xtenant::probe::Verdict::Inconclusive);
    assert_eq!(record.outcome, xtenant::probe::Outcome::Inconclusive);
}
