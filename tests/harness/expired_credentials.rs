//! Credentials a service rejects as expired before their declared expiry are exchanged
//! again once for that user, and the probe is made once more.

use crate::fake_server::{FakeServer, Reply, SeenRequest};
use crate::identity::{aws, spec};
use crate::support::{object, probe};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use xtenant::identity::IdentityFlow;
use xtenant::ledger::CleanupLedger;
use xtenant::probe::{Outcome, ProbeRecord, Verdict};
use xtenant::run::{CanaryHome, HarnessBackend, ProbeBackend};
use xtenant::scenario::{Action, Expectation};

/// Cognito and STS answer as `identity::aws` (credentials valid for an hour); S3 answers
/// its first `expired` calls with `ExpiredToken`, then with `s3`.
fn expiring_early(
    expired: usize,
    s3: impl Fn(&SeenRequest) -> Reply + Send + Sync + 'static,
) -> (
    impl Fn(&SeenRequest) -> Reply + Send + Sync + 'static,
    Arc<AtomicUsize>,
) {
    let cognito = aws(3600);
    let s3_calls = Arc::new(AtomicUsize::new(0));
    let counted = s3_calls.clone();
    let responder = move |request: &SeenRequest| {
        if !request.operation().is_empty() {
            return cognito(request);
        }
        if counted.fetch_add(1, Ordering::SeqCst) < expired {
            // S3's answer to a request signed with expired temporary credentials
            // (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList).
            return Reply::s3_error(400, "ExpiredToken", "The provided token has expired.");
        }
        s3(request)
    };
    (responder, s3_calls)
}

async fn run_once(
    server: &FakeServer,
    action: Action,
    dir: &tempfile::TempDir,
) -> (ProbeRecord, std::path::PathBuf) {
    let spec = spec(
        &server.url,
        IdentityFlow::Enhanced {
            custom_role_arn: None,
        },
    );
    let ledger = dir.path().join("run.ledger.jsonl");
    let backend = HarnessBackend::new(
        vec![spec.clone()],
        spec.target.clone(),
        CanaryHome::Outliving {
            ledger_path: ledger.clone(),
        },
    )
    .await;
    let signed_in = backend.prepare_user("alice").await.expect("alice signs in");
    let record = backend
        .execute(
            &probe(object(), action, Expectation::Allow),
            &signed_in.session,
        )
        .await;
    (record, ledger)
}

#[tokio::test]
async fn an_early_expired_token_is_exchanged_again_and_the_retry_decides() {
    let (responder, s3_calls) = expiring_early(1, |_| Reply::Http {
        status: 200,
        headers: vec![("etag", "\"e1\"".to_owned())],
        body: "abc".to_owned(),
    });
    let server = FakeServer::start(responder).await;
    let dir = tempfile::tempdir().unwrap();
    let (record, _) = run_once(&server, Action::Read, &dir).await;
    assert_eq!(record.verdict, Verdict::Allowed, "{}", record.reason);
    assert_eq!(record.outcome, Outcome::Held);
    assert_eq!(record.http_status, Some(200));
    assert!(
        record.reason.contains("exchanged again"),
        "{}",
        record.reason
    );
    assert_eq!(s3_calls.load(Ordering::SeqCst), 2, "one retry");
    assert_eq!(
        server.count("GetCredentialsForIdentity"),
        2,
        "sign-in exchange and one re-exchange"
    );
    assert_eq!(server.count("InitiateAuth"), 1, "the ID token was kept");
}

#[tokio::test]
async fn expired_twice_is_inconclusive_after_exactly_one_re_exchange() {
    let (responder, s3_calls) = expiring_early(usize::MAX, |_| Reply::empty(500));
    let server = FakeServer::start(responder).await;
    let dir = tempfile::tempdir().unwrap();
    let (record, _) = run_once(&server, Action::Read, &dir).await;
    assert_eq!(record.verdict, Verdict::Inconclusive, "{}", record.reason);
    assert!(record.reason.contains("expired"), "{}", record.reason);
    assert!(
        record.reason.contains("exchanged again once"),
        "{}",
        record.reason
    );
    assert_eq!(s3_calls.load(Ordering::SeqCst), 2, "exactly one retry");
    assert_eq!(server.count("GetCredentialsForIdentity"), 2);
}

#[tokio::test]
async fn a_rejected_id_token_at_the_re_exchange_signs_in_again() {
    let cognito = aws(3600);
    let exchanges = Arc::new(AtomicUsize::new(0));
    let s3_calls = Arc::new(AtomicUsize::new(0));
    let (counted_exchanges, counted_s3) = (exchanges.clone(), s3_calls.clone());
    let server = FakeServer::start(move |request| match request.operation().as_str() {
        // The second exchange (the re-exchange with the cached ID token) is refused as
        // Cognito refuses an expired login token.
        "GetCredentialsForIdentity" if counted_exchanges.fetch_add(1, Ordering::SeqCst) == 1 => {
            Reply::json_error(
                400,
                "NotAuthorizedException",
                "Invalid login token. Token expired.",
            )
        }
        "" if counted_s3.fetch_add(1, Ordering::SeqCst) == 0 => {
            Reply::s3_error(400, "ExpiredToken", "The provided token has expired.")
        }
        "" => Reply::s3_error(404, "NoSuchKey", "The specified key does not exist."),
        _ => cognito(request),
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let (record, _) = run_once(&server, Action::Read, &dir).await;
    assert_eq!(record.verdict, Verdict::Allowed, "{}", record.reason);
    assert_eq!(exchanges.load(Ordering::SeqCst), 3);
    assert_eq!(
        server.count("InitiateAuth"),
        2,
        "signed in again (by refresh token) once"
    );
}

#[tokio::test]
async fn each_write_attempt_records_its_own_canary_intent() {
    let (responder, _) = expiring_early(1, |_| {
        Reply::s3_error(
            412,
            "PreconditionFailed",
            "At least one of the pre-conditions you specified did not hold",
        )
    });
    let server = FakeServer::start(responder).await;
    let dir = tempfile::tempdir().unwrap();
    let (record, ledger) = run_once(&server, Action::Write, &dir).await;
    assert_eq!(record.verdict, Verdict::Allowed, "{}", record.reason);
    let text = std::fs::read_to_string(&ledger).unwrap();
    let intents = text
        .lines()
        .filter(|line| line.contains("\"intent\""))
        .count();
    assert_eq!(intents, 2, "{text}");
    // The first attempt's intent (answered ExpiredToken) stays for cleanup; the retry's
    // 412 settled its own.
    assert_eq!(CleanupLedger::outstanding(&ledger).unwrap().len(), 1);
}
