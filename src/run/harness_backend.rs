//! The real [`ProbeBackend`]: users sign in through `identity`, probes run through `probe`,
//! and the run's cleanup ledger is replayed at the end.

use super::backend::{CleanupSummary, ProbeBackend, SignedIn};
use super::unsent_record::unsent_record;
use crate::attack::{
    Actor, AttackMemo, AttackRecord, Escalation, ForeignPool, ForeignTokenMemo, GuestContext,
    Parties, run_attack,
};
use crate::error_chain::error_chain;
use crate::identity::{AwsTarget, CredentialsSource, IdentityError, UserSession, UserSpec};
use crate::ledger::{CleanupLedger, LedgerError, LedgerRecord, Resolution, remove_intents};
use crate::probe::classify::is_expired_credentials;
use crate::probe::{ProbeClients, ProbeRecord, Prober};
use crate::redaction::Redactor;
use crate::scenario::{PlannedProbe, ResourceTarget};
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One signed-in user: the session and the probe clients signing with its credentials.
#[derive(Debug)]
pub struct HarnessSession {
    pub session: UserSession,
    pub clients: ProbeClients,
    /// What the user's attack cases share (the basic flow's token, asked for once).
    pub attacks: AttackMemo,
}

/// Why a user could not be prepared.
#[derive(Debug, thiserror::Error)]
pub enum HarnessError {
    #[error("user `{user}` is not in the scenario")]
    UnknownUser { user: String },
    #[error(transparent)]
    Identity(#[from] IdentityError),
}

/// Where a run's canaries live, which decides where its cleanup ledger is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CanaryHome {
    /// Local staging started in-process: its state, canaries included, ends with the run,
    /// so a crash leaves nothing to clean and the ledger stays in memory.
    InProcessStaging,
    /// Something that outlives the run (AWS, or a standalone `xtenant sim serve`): the
    /// ledger is the file at `ledger_path`, created on the first intent.
    Outliving { ledger_path: PathBuf },
}

/// The harness over one target, with the run's cleanup ledger.
#[derive(Debug)]
pub struct HarnessBackend {
    users: BTreeMap<String, UserSpec>,
    ledger: CleanupLedger,
    target: AwsTarget,
    /// The endpoint the users' clients really send to, resolved once (see
    /// [`resolved_endpoint_url`]): what their canary intents record, and so what this
    /// run's intents are matched on.
    endpoint_url: Option<String>,
    local_staging: bool,
    /// Learns the ambient credentials the end-of-run cleanup signs with.
    redactor: Redactor,
    /// Users declared `credentials: refused`.
    refused: BTreeSet<String>,
    /// `attacks.foreign_pool`, and its guest token once asked for.
    foreign_pool: Option<String>,
    foreign_token: ForeignTokenMemo,
}

impl HarnessBackend {
    /// A backend for `users` on `target` whose canaries live in `home`.
    pub async fn new(users: Vec<UserSpec>, target: AwsTarget, home: CanaryHome) -> HarnessBackend {
        let endpoint_url = resolved_endpoint_url(&target).await;
        let (ledger, local_staging) = match home {
            CanaryHome::InProcessStaging => (CleanupLedger::in_memory(), true),
            CanaryHome::Outliving { ledger_path } => {
                (CleanupLedger::created_on_first_write(ledger_path), false)
            }
        };
        HarnessBackend {
            users: users
                .into_iter()
                .map(|user| (user.name.clone(), user))
                .collect(),
            ledger,
            target,
            endpoint_url,
            local_staging,
            redactor: Redactor::default(),
            refused: BTreeSet::new(),
            foreign_pool: None,
            foreign_token: ForeignTokenMemo::default(),
        }
    }

    /// The identity pool the foreign-token attack takes its guest token from.
    pub fn with_foreign_pool(mut self, identity_pool_id: Option<String>) -> Self {
        self.foreign_pool = identity_pool_id;
        self
    }

    /// Registers the ambient credentials of the end-of-run cleanup with `redactor` (the
    /// run's), so that an error echoing them cannot print them.
    pub fn with_redactor(mut self, redactor: Redactor) -> HarnessBackend {
        self.redactor = redactor;
        self
    }

    /// Marks `users` as declared `credentials: refused`: they sign in without asking for
    /// credentials.
    pub fn with_refused_credentials(mut self, users: impl IntoIterator<Item = String>) -> Self {
        self.refused.extend(users);
        self
    }

    /// The ledger file, if the run keeps one (it exists once a canary intent is written).
    pub fn ledger_path(&self) -> Option<&Path> {
        self.ledger.path()
    }

    /// The endpoint the users' clients send to; `None` for AWS's own endpoints.
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }

    /// This run's canaries still outstanding: the intents without a resolution written
    /// against the endpoint this run's clients use (a ledger kept across runs may hold
    /// intents for other endpoints; those are not this run's to settle).
    fn outstanding_here(&self) -> Result<Vec<LedgerRecord>, LedgerError> {
        Ok(self
            .ledger
            .outstanding_intents()?
            .into_iter()
            .filter(|record| match record {
                LedgerRecord::Intent { endpoint_url, .. } => *endpoint_url == self.endpoint_url,
                LedgerRecord::Resolved { .. } => false,
            })
            .collect())
    }
}

/// The endpoint a set of clients built for `target` sends to: the target's own override
/// (local staging), else the one aws-config resolves from `AWS_ENDPOINT_URL` or the
/// profile's `endpoint_url`, else `None` (AWS's own endpoints). The users' clients are
/// built from the same loader and record this value with every canary.
// Global endpoint configuration: AWS_ENDPOINT_URL and `endpoint_url`
// (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html).
pub async fn resolved_endpoint_url(target: &AwsTarget) -> Option<String> {
    target
        .sdk_config(CredentialsSource::Unsigned)
        .await
        .endpoint_url()
        .map(str::to_owned)
}

/// The conventional ledger path of a scenario: `<reports_dir>/<scenario>.ledger.jsonl`.
pub fn ledger_path(reports_dir: &Path, scenario: &str) -> PathBuf {
    reports_dir.join(format!("{scenario}.ledger.jsonl"))
}

impl ProbeBackend for HarnessBackend {
    type Session = HarnessSession;
    type Error = HarnessError;

    async fn prepare_user(&self, user: &str) -> Result<SignedIn<HarnessSession>, HarnessError> {
        let spec = self
            .users
            .get(user)
            .ok_or_else(|| HarnessError::UnknownUser {
                user: user.to_owned(),
            })?;
        // A user the pool must refuse signs in but asks for no credentials: its attack
        // case makes that request and judges the answer.
        let session = if self.refused.contains(user) {
            UserSession::establish_without_credentials(spec).await?
        } else {
            UserSession::establish(spec).await?
        };
        let clients = ProbeClients::new(&session.config);
        let evidence = session.evidence.clone();
        Ok(SignedIn {
            session: HarnessSession {
                session,
                clients,
                attacks: AttackMemo::default(),
            },
            evidence,
        })
    }

    /// Runs the probe; when the service rejects the credentials as expired (the provider
    /// renews them before their declared expiry, so the rejection came early), exchanges
    /// once more for this user and makes the probe once more. A write's second attempt
    /// records its own canary intent, like any attempt.
    async fn execute(&self, probe: &PlannedProbe, session: &HarnessSession) -> ProbeRecord {
        let prober = Prober::new(&session.clients, &self.ledger);
        let provider = &session.session.provider;
        let signed_with = provider.cached_access_key_id().await;
        let first = prober.run(probe).await;
        if !is_expired_credentials(first.error_code.as_deref()) {
            return first;
        }
        if let Err(error) = provider.renew_rejected(signed_with.as_deref()).await {
            let mut record = first;
            record.reason = format!(
                "{}; the credentials were rejected as expired before their declared expiry and \
                 exchanging them again failed: {}",
                record.reason,
                error_chain(&error)
            )
            .into();
            return record;
        }
        let mut second = prober.run(probe).await;
        second.duration_ms = second.duration_ms.saturating_add(first.duration_ms);
        let note = if is_expired_credentials(second.error_code.as_deref()) {
            "; the credentials were exchanged again once after an expired-credentials answer \
             and the retry was rejected as expired too"
        } else {
            "; the first attempt's credentials were rejected as expired before their declared \
             expiry, so they were exchanged again and the probe made once more"
        };
        second.reason = format!("{}{note}", second.reason).into();
        second
    }

    async fn attack(
        &self,
        case: &PlannedProbe,
        attacker: Option<&HarnessSession>,
        victim: Option<&HarnessSession>,
    ) -> AttackRecord {
        let ResourceTarget::Identity { attack } = &*case.target else {
            return AttackRecord {
                record: unsent_record(case, "not an attack case".to_owned(), 0),
                escalation: None,
            };
        };
        let identity_pool_id = self
            .users
            .values()
            .next()
            .map(|spec| spec.identity_pool_id.as_str())
            .unwrap_or_default();
        let parties = Parties {
            attacker: attacker.map(|session| Actor {
                session: &session.session,
                memo: &session.attacks,
            }),
            victim: victim.map(|session| &session.session),
            guest: GuestContext {
                target: &self.target,
                identity_pool_id,
                ledger: &self.ledger,
                redactor: &self.redactor,
            },
            foreign: self
                .foreign_pool
                .as_deref()
                .map(|identity_pool_id| ForeignPool {
                    identity_pool_id,
                    target: &self.target,
                    redactor: &self.redactor,
                    memo: &self.foreign_token,
                }),
        };
        run_attack(case, attack, parties).await
    }

    /// The cell through the same prober as the user's own probes (writes through the
    /// ledger), signing with the attack's credentials.
    async fn execute_escalated(
        &self,
        probe: &PlannedProbe,
        escalation: &Escalation,
    ) -> ProbeRecord {
        let config = self
            .target
            .sdk_config(CredentialsSource::Provider(SharedCredentialsProvider::new(
                escalation.credentials.clone(),
            )))
            .await;
        let clients = ProbeClients::new(&config);
        Prober::new(&clients, &self.ledger).run(probe).await
    }

    async fn cleanup(&self) -> CleanupSummary {
        let outstanding = match self.outstanding_here() {
            Ok(outstanding) => outstanding,
            Err(error) => {
                return CleanupSummary {
                    removed: 0,
                    failures: vec![format!(
                        "failed to read the cleanup ledger: {}",
                        error_chain(&error)
                    )],
                };
            }
        };
        if outstanding.is_empty() {
            return CleanupSummary::default();
        }
        if self.local_staging {
            // The users' credentials may be expired and local staging knows no ambient
            // credentials; its state is discarded when the run stops it, canaries included.
            return CleanupSummary {
                removed: 0,
                failures: outstanding
                    .iter()
                    .filter_map(|record| match record {
                        LedgerRecord::Intent { canary, .. } => Some(format!(
                            "{}: not removed; it goes with local staging's state when the run ends",
                            canary.describe()
                        )),
                        LedgerRecord::Resolved { .. } => None,
                    })
                    .collect(),
            };
        }
        // The users' credentials may be long expired: the replay signs with the ambient
        // chain, as `xtenant cleanup --ledger` does, and sends each removal to the endpoint
        // its intent recorded, the one this run's clients used.
        let ambient = self.target.sdk_config(CredentialsSource::Ambient).await;
        if let Some(provider) = ambient.credentials_provider()
            && let Ok(credentials) = provider.provide_credentials().await
        {
            self.redactor.register_str(credentials.secret_access_key());
            if let Some(session_token) = credentials.session_token() {
                self.redactor.register_str(session_token);
            }
        }
        match remove_intents(&self.ledger, outstanding, &ambient).await {
            Ok(report) => {
                let mut summary = CleanupSummary::default();
                for result in report.results {
                    match result.result {
                        Ok(Resolution::Removed) => summary.removed += 1,
                        Ok(Resolution::NotCreated | Resolution::NotOurs) => {}
                        Err(reason) => summary
                            .failures
                            .push(format!("{}: still outstanding: {reason}", result.canary)),
                    }
                }
                summary
            }
            Err(error) => CleanupSummary {
                removed: 0,
                failures: vec![format!(
                    "failed to replay the cleanup ledger: {}",
                    error_chain(&error)
                )],
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::Canary;

    const LOCAL: &str = "http://127.0.0.1:9";

    async fn local_backend() -> HarnessBackend {
        let target = AwsTarget::new("us-east-1", Some(LOCAL.to_owned()));
        HarnessBackend::new(Vec::new(), target, CanaryHome::InProcessStaging).await
    }

    fn canary(key: &str) -> Canary {
        Canary::S3Object {
            bucket: "data".to_owned(),
            key: key.to_owned(),
            marker: "m".to_owned(),
        }
    }

    #[tokio::test]
    async fn nothing_outstanding_means_nothing_to_clean() {
        let backend = local_backend().await;
        let settled = backend
            .ledger
            .record_intent(canary("acme/a"), "us-east-1", Some(LOCAL))
            .unwrap();
        backend
            .ledger
            .resolve(&settled, Resolution::Removed)
            .unwrap();
        assert_eq!(backend.cleanup().await, CleanupSummary::default());
    }

    #[tokio::test]
    async fn this_runs_outstanding_local_canaries_are_reported_and_others_left_alone() {
        let backend = local_backend().await;
        backend
            .ledger
            .record_intent(canary("acme/left"), "us-east-1", Some(LOCAL))
            .unwrap();
        // Another local staging, on another port: not this run's to settle.
        backend
            .ledger
            .record_intent(canary("acme/old"), "us-east-1", Some("http://127.0.0.1:10"))
            .unwrap();
        let summary = backend.cleanup().await;
        assert_eq!(summary.removed, 0);
        assert_eq!(summary.failures.len(), 1, "{summary:?}");
        assert!(summary.failures[0].starts_with("s3://data/acme/left: not removed"));
    }

    #[tokio::test]
    async fn an_unknown_user_is_an_error_not_a_session() {
        let error = local_backend()
            .await
            .prepare_user("mallory")
            .await
            .unwrap_err();
        assert_eq!(error.to_string(), "user `mallory` is not in the scenario");
    }

    #[tokio::test]
    async fn in_process_staging_keeps_the_ledger_in_memory() {
        let backend = local_backend().await;
        assert_eq!(backend.ledger_path(), None);
        assert_eq!(backend.endpoint_url(), Some(LOCAL));
    }

    #[tokio::test]
    async fn an_outliving_target_creates_its_ledger_file_only_on_the_first_intent() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("reports/run.ledger.jsonl");
        let target = AwsTarget::new("us-east-1", Some(LOCAL.to_owned()));
        let backend = HarnessBackend::new(
            Vec::new(),
            target,
            CanaryHome::Outliving {
                ledger_path: path.clone(),
            },
        )
        .await;
        assert_eq!(backend.cleanup().await, CleanupSummary::default());
        assert!(!dir.path().join("reports").exists());
        backend
            .ledger
            .record_intent(canary("acme/a"), "us-east-1", Some(LOCAL))
            .unwrap();
        assert!(path.is_file());
    }
}
