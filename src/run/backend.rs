//! What the runner needs from the harness: sign a user in once, run one probe with that
//! user's session, and clean up what probes left behind. The real harness and the test
//! fakes both implement [`ProbeBackend`].

use crate::attack::{AttackRecord, Escalation};
use crate::identity::UserEvidence;
use crate::probe::ProbeRecord;
use crate::scenario::PlannedProbe;
use serde::Serialize;
use std::future::Future;

/// A user after a successful sign-in and credential exchange.
#[derive(Debug)]
pub struct SignedIn<S> {
    /// Whatever the backend needs to make calls as this user (clients, credentials).
    pub session: S,
    /// Who the user turned out to be on AWS.
    pub evidence: UserEvidence,
}

/// What a cleanup pass did.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct CleanupSummary {
    /// Canaries removed.
    pub removed: usize,
    /// Canaries that could not be removed, one line each (never containing a secret).
    pub failures: Vec<String>,
}

/// The harness as the runner sees it.
pub trait ProbeBackend: Send + Sync + 'static {
    type Session: Send + Sync + 'static;
    /// A sign-in failure. Its `Display` must not contain a secret; the runner also scrubs
    /// the scenario's known secrets from it.
    type Error: std::error::Error + Send + Sync + 'static;

    /// Signs `user` in and exchanges its tokens for credentials. The runner calls this at
    /// most once per user, when the user's first selected probe needs it.
    fn prepare_user(
        &self,
        user: &str,
    ) -> impl Future<Output = Result<SignedIn<Self::Session>, Self::Error>> + Send;

    /// Runs one probe and classifies what came back. Never fails: anything that went wrong
    /// is an Inconclusive record.
    fn execute(
        &self,
        probe: &PlannedProbe,
        session: &Self::Session,
    ) -> impl Future<Output = ProbeRecord> + Send;

    /// Runs one attack case (`ResourceTarget::Identity`) as `attacker`, borrowing
    /// `victim`'s identity where the case needs one, and hands back any credentials the
    /// attack obtained. Never fails. A backend that cannot run attacks leaves them
    /// Inconclusive.
    fn attack(
        &self,
        case: &PlannedProbe,
        attacker: Option<&Self::Session>,
        victim: Option<&Self::Session>,
    ) -> impl Future<Output = AttackRecord> + Send {
        let _ = (attacker, victim);
        let record = super::unsent_record::unsent_record(
            case,
            "this harness does not run attack cases".to_owned(),
            0,
        );
        async move {
            AttackRecord {
                record,
                escalation: None,
            }
        }
    }

    /// Runs one cell of a user's row again with the credentials an attack obtained (see
    /// [`crate::attack::escalated_cases`]). Never fails.
    fn execute_escalated(
        &self,
        probe: &PlannedProbe,
        escalation: &Escalation,
    ) -> impl Future<Output = ProbeRecord> + Send {
        let _ = escalation;
        let record = super::unsent_record::unsent_record(
            probe,
            "this harness does not re-run rows with escalated credentials".to_owned(),
            0,
        );
        async move { record }
    }

    /// Removes every canary the run wrote.
    fn cleanup(&self) -> impl Future<Output = CleanupSummary> + Send;
}
