//! Passwords, tokens, secret keys and secret values never reach Debug output, error
//! messages, evidence or probe records.

use crate::fake_server::{FakeServer, Reply};
use crate::identity::{
    ACCESS_TOKEN, CLIENT_SECRET, PASSWORD, REFRESH_TOKEN, SECRET_KEY, SESSION_TOKEN, aws, id_token,
    spec,
};
use crate::support::{ProbeBench, probe, secret};
use xtenant::identity::{IdentityFlow, UserEvidence, UserSession};
use xtenant::probe::Verdict;
use xtenant::scenario::{Action, Expectation};

const SECRET_VALUE: &str = "db-password-of-globex-NEVER-PRINT";

fn assert_clean(text: &str, what: &str) {
    let id_token = id_token();
    for needle in [
        PASSWORD,
        CLIENT_SECRET,
        ACCESS_TOKEN,
        REFRESH_TOKEN,
        SECRET_KEY,
        SESSION_TOKEN,
        SECRET_VALUE,
        id_token.as_str(),
        "NEVER-PRINT",
    ] {
        assert!(!text.contains(needle), "{what} leaks `{needle}`: {text}");
    }
}

#[tokio::test]
async fn a_session_its_evidence_and_provider_show_no_secret() {
    let server = FakeServer::start(aws(3600)).await;
    let spec = spec(
        &server.url,
        IdentityFlow::Enhanced {
            custom_role_arn: None,
        },
    );
    assert_clean(&format!("{spec:?}"), "UserSpec Debug");
    let session = UserSession::establish(&spec).await.unwrap();
    assert_clean(&format!("{session:?}"), "UserSession Debug");
    assert_clean(&format!("{:?}", session.provider), "provider Debug");
    assert_clean(
        &serde_json::to_string(&session.evidence).unwrap(),
        "evidence JSON",
    );
    let credentials = session.provider.credentials().await.unwrap();
    assert_clean(&format!("{credentials:?}"), "credentials Debug");
}

#[tokio::test]
async fn a_failed_sign_in_shows_no_secret() {
    let server = FakeServer::start(|_| {
        Reply::json_error(
            400,
            "NotAuthorizedException",
            "Incorrect username or password.",
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
    assert_clean(&error.to_string(), "error Display");
    assert_clean(&format!("{error:?}"), "error Debug");
    let evidence = UserEvidence::of_failure(&spec, &error);
    let json = serde_json::to_string(&evidence).unwrap();
    assert_clean(&json, "failure evidence");
    assert!(json.contains("Incorrect username or password"), "{json}");
}

#[tokio::test]
async fn a_readable_secret_is_recorded_without_its_value() {
    let bench = ProbeBench::new(|_| {
        Reply::json(
            200,
            &serde_json::json!({
                "ARN": "arn:aws:secretsmanager:us-east-1:111122223333:secret:tenants/globex/db-AbCdEf",
                "Name": "tenants/globex/db",
                "SecretString": SECRET_VALUE,
                "VersionId": "v1",
                "VersionStages": ["AWSCURRENT"]
            })
            .to_string(),
        )
    })
    .await;
    let record = bench
        .run(&probe(secret(), Action::Read, Expectation::Deny))
        .await;
    assert_eq!(record.verdict, Verdict::Allowed);
    let evidence = record.read_evidence.as_ref().unwrap();
    assert_eq!(evidence.size_bytes, SECRET_VALUE.len() as u64);
    assert_eq!(evidence.sha256_prefix.len(), 16);
    assert_clean(&format!("{record:?}"), "record Debug");
    assert_clean(&serde_json::to_string(&record).unwrap(), "record JSON");
}
