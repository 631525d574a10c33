//! The real [`ProbeBackend`]: users sign in through `identity`, probes run through `probe`,
//! and the run's cleanup ledger is replayed at the end.

use super::backend::{CleanupSummary, ProbeBackend, SignedIn};
use super::unsent_record::unsent_record;
use crate::attack::{Actor, AttackMemo, GuestContext, Parties, run_attack};
use crate::error_chain::error_chain;
use crate::identity::{AwsTarget, IdentityError, UserSession, UserSpec};
use crate::ledger::{CleanupLedger, LedgerError, LedgerRecord, Resolution, remove_outstanding};
use crate::probe::{ProbeClients, ProbeRecord, Prober};
use crate::scenario::{PlannedProbe, ResourceTarget};
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

/// The harness over one target, with the run's cleanup ledger.
#[derive(Debug)]
pub struct HarnessBackend {
    users: BTreeMap<String, UserSpec>,
    ledger: CleanupLedger,
    target: AwsTarget,
    local_staging: bool,
    /// Users declared `credentials: refused`.
    refused: BTreeSet<String>,
}

impl HarnessBackend {
    /// A backend for `users` whose canaries are recorded in the ledger at `ledger_path`
    /// (created, and its folder too, if missing). `local_staging` says the target is an
    /// in-process local staging, whose state ends with the run.
    pub fn new(
        users: Vec<UserSpec>,
        target: AwsTarget,
        local_staging: bool,
        ledger_path: &Path,
    ) -> Result<HarnessBackend, LedgerError> {
        if let Some(folder) = ledger_path.parent()
            && !folder.as_os_str().is_empty()
        {
            std::fs::create_dir_all(folder).map_err(|source| LedgerError::Open {
                path: ledger_path.to_owned(),
                source,
            })?;
        }
        Ok(HarnessBackend {
            users: users
                .into_iter()
                .map(|user| (user.name.clone(), user))
                .collect(),
            ledger: CleanupLedger::open(ledger_path)?,
            target,
            local_staging,
            refused: BTreeSet::new(),
        })
    }

    /// Marks `users` as declared `credentials: refused`: they sign in without asking for
    /// credentials.
    pub fn with_refused_credentials(mut self, users: impl IntoIterator<Item = String>) -> Self {
        self.refused.extend(users);
        self
    }

    pub fn ledger_path(&self) -> &Path {
        self.ledger.path()
    }

    /// This run's canaries still outstanding: the intents without a resolution written
    /// against this run's endpoint (a ledger kept across runs may hold other runs' intents
    /// for other local staging ports; those are not this run's to settle).
    fn outstanding_here(&self) -> Result<Vec<LedgerRecord>, LedgerError> {
        Ok(CleanupLedger::outstanding(self.ledger.path())?
            .into_iter()
            .filter(|record| match record {
                LedgerRecord::Intent { endpoint_url, .. } => {
                    *endpoint_url == self.target.endpoint_url
                }
                LedgerRecord::Resolved { .. } => false,
            })
            .collect())
    }
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

    async fn execute(&self, probe: &PlannedProbe, session: &HarnessSession) -> ProbeRecord {
        Prober::new(&session.clients, &self.ledger).run(probe).await
    }

    async fn attack(
        &self,
        case: &PlannedProbe,
        attacker: Option<&HarnessSession>,
        victim: Option<&HarnessSession>,
    ) -> ProbeRecord {
        let ResourceTarget::Identity { attack } = &case.target else {
            return unsent_record(case, "not an attack case".to_owned(), 0);
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
            },
        };
        run_attack(case, attack, parties).await
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
        // chain, as `xtenant cleanup --ledger` does.
        let ambient = self
            .target
            .sdk_config(crate::identity::CredentialsSource::Ambient)
            .await;
        match remove_outstanding(self.ledger.path(), &ambient).await {
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

    fn backend(dir: &Path) -> HarnessBackend {
        let target = AwsTarget::new("us-east-1", Some(LOCAL.to_owned()));
        HarnessBackend::new(
            Vec::new(),
            target,
            true,
            &dir.join("nested/run.ledger.jsonl"),
        )
        .unwrap()
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
        let dir = tempfile::tempdir().unwrap();
        let backend = backend(dir.path());
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
        let dir = tempfile::tempdir().unwrap();
        let backend = backend(dir.path());
        backend
            .ledger
            .record_intent(canary("acme/left"), "us-east-1", Some(LOCAL))
            .unwrap();
        // An earlier run's local staging, on another port: not this run's to settle.
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
        let dir = tempfile::tempdir().unwrap();
        let error = backend(dir.path())
            .prepare_user("mallory")
            .await
            .unwrap_err();
        assert_eq!(error.to_string(), "user `mallory` is not in the scenario");
    }
}
