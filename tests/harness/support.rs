//! A small builder for probe tests: a fake server, one user's clients and a ledger.

use crate::fake_server::{FakeServer, Reply, SeenRequest};
use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use std::time::Duration;
use tempfile::TempDir;
use xtenant::identity::{AwsTarget, CredentialsSource};
use xtenant::ledger::CleanupLedger;
use xtenant::probe::{ProbeClients, ProbeRecord, Prober};
use xtenant::scenario::{
    Action, Expectation, ExpectationSource, ItemKey, KeyValue, PlannedProbe, ProbeName,
    ResourceTarget,
};

/// Short timeouts and two attempts, so fail-closed paths finish in about a second.
pub fn fast_target(url: &str) -> AwsTarget {
    AwsTarget {
        region: "us-east-1".to_owned(),
        endpoint_url: Some(url.to_owned()),
        attempt_timeout: Duration::from_millis(500),
        operation_timeout: Duration::from_secs(3),
        max_attempts: 2,
        initial_backoff: Duration::from_millis(5),
        trusted_authority_pem: None,
    }
}

pub struct ProbeBench {
    pub server: FakeServer,
    pub clients: ProbeClients,
    pub ledger: CleanupLedger,
    _dir: TempDir,
}

impl ProbeBench {
    pub async fn new(
        responder: impl Fn(&SeenRequest) -> Reply + Send + Sync + 'static,
    ) -> ProbeBench {
        let server = FakeServer::start(responder).await;
        let credentials = Credentials::new(
            "AKIDPROBEUSER",
            "probe-user-secret-key",
            Some("probe-user-session-token".to_owned()),
            None,
            "test",
        );
        let config = fast_target(&server.url)
            .sdk_config(CredentialsSource::Provider(SharedCredentialsProvider::new(
                credentials,
            )))
            .await;
        let dir = tempfile::tempdir().unwrap();
        let ledger = CleanupLedger::open(dir.path().join("ledger.jsonl")).unwrap();
        ProbeBench {
            server,
            clients: ProbeClients::new(&config),
            ledger,
            _dir: dir,
        }
    }

    pub async fn run(&self, probe: &PlannedProbe) -> ProbeRecord {
        Prober::new(&self.clients, &self.ledger).run(probe).await
    }

    pub fn outstanding_canaries(&self) -> usize {
        self.ledger.outstanding_intents().unwrap().len()
    }
}

pub fn probe(target: ResourceTarget, action: Action, expectation: Expectation) -> PlannedProbe {
    PlannedProbe {
        name: ProbeName::from(format!("alice::globex/res::{action}")),
        user: "alice".to_owned().into(),
        tenant: "globex".to_owned().into(),
        resource: "res".to_owned().into(),
        target: target.into(),
        action,
        expectation,
        source: ExpectationSource::CrossTenantDefault.into(),
        shape: None,
    }
}

pub fn object() -> ResourceTarget {
    ResourceTarget::S3Object {
        bucket: "tenant-data".to_owned(),
        key: "globex/report.csv".to_owned(),
    }
}

pub fn prefix() -> ResourceTarget {
    ResourceTarget::S3Prefix {
        bucket: "tenant-data".to_owned(),
        prefix: "globex/".to_owned(),
    }
}

pub fn item() -> ResourceTarget {
    ResourceTarget::DynamoDbItem {
        table: "records".to_owned(),
        key: Box::new(ItemKey {
            partition: ("tenant".to_owned(), KeyValue::S("globex".to_owned())),
            sort: Some(("id".to_owned(), KeyValue::N("1".to_owned()))),
        }),
    }
}

pub fn secret() -> ResourceTarget {
    ResourceTarget::Secret {
        secret_id: "tenants/globex/db".to_owned(),
    }
}
