//! What credentials an attack obtained reach: the tenant cells they must not reach, tried
//! one by one with the same probes the matrix uses (write canaries ledgered as usual).

use super::target::ReachProbe;
use crate::identity::{AwsTarget, CredentialsSource};
use crate::ledger::CleanupLedger;
use crate::probe::{ProbeClients, Prober, Verdict};
use crate::scenario::{Expectation, PlannedProbe, ProbeName, SharedSource};
use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;

/// The cells the credentials reached, and those that proved nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reach {
    pub reached: Vec<String>,
    /// The cells behind `reached`, in the same order.
    pub reached_cells: Vec<ReachProbe>,
    pub unsure: Vec<String>,
    pub tried: usize,
}

/// Tries every cell of `cells` with `credentials`, each expected denied; the sub-probes are
/// named after `case`.
pub async fn escalated_reach(
    case: &PlannedProbe,
    cells: &[ReachProbe],
    credentials: Credentials,
    target: &AwsTarget,
    ledger: &CleanupLedger,
) -> Reach {
    let config = target
        .sdk_config(CredentialsSource::Provider(SharedCredentialsProvider::new(
            credentials,
        )))
        .await;
    let clients = ProbeClients::new(&config);
    let prober = Prober::new(&clients, ledger);
    let mut reach = Reach {
        tried: cells.len(),
        ..Reach::default()
    };
    for cell in cells {
        let label = format!("{}/{}::{}", cell.tenant, cell.resource, cell.action);
        let probe = PlannedProbe {
            name: ProbeName::from(format!("{}::{label}", case.name)),
            user: case.user.clone(),
            tenant: cell.tenant.clone().into(),
            resource: cell.resource.clone().into(),
            target: cell.target.clone().into(),
            action: cell.action.clone(),
            expectation: Expectation::Deny,
            source: SharedSource::cross_tenant_default(),
            shape: None,
        };
        match prober.run(&probe).await.verdict {
            Verdict::Allowed => {
                reach.reached.push(label);
                reach.reached_cells.push(cell.clone());
            }
            Verdict::Inconclusive => reach.unsure.push(label),
            Verdict::Denied => {}
        }
    }
    reach
}
