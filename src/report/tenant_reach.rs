//! Who reached whose data: the run's records folded once into one cell per (caller tenant,
//! owner tenant) pair. The HTML and Markdown reports put it on top; any reporter may use it.
//!
//! The caller tenant is the tenant of the user who made the call, so an attack case and
//! the re-run of a row with escalated credentials count under their user's tenant; the
//! owner tenant is the tenant whose resource the record names (an attack case names its
//! user's own tenant, an escalated re-run the victim's).

use crate::probe::{Outcome, ProbeRecord, Verdict};
use crate::run::RunResults;
use std::collections::HashMap;

/// What the cells call a user whose tenant the run does not know (a guest, or a user whose
/// sign-in was never attempted because the run was interrupted).
pub const NO_TENANT: &str = "(no tenant)";

/// The counts of one (caller tenant, owner tenant) pair.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReachCell {
    pub probes: usize,
    pub allowed: usize,
    pub denied: usize,
    pub held: usize,
    pub breaches: usize,
    pub unexpected_denies: usize,
    pub inconclusive: usize,
    /// Records a waiver turned into "waived": counted here instead of under their outcome,
    /// never as held.
    pub waived: usize,
    /// Any probe of another tenant's resource was allowed, expected or not: the pair is a
    /// reach, and shown red.
    pub cross_tenant_allowed: bool,
}

/// How a cell reads at a glance, worst first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ReachState {
    /// At least one expected deny was allowed.
    Breach,
    /// Another tenant's data was reachable and the scenario expected it.
    Reached,
    UnexpectedDeny,
    Inconclusive,
    /// Only waived findings are left.
    Waived,
    Held,
    /// No probe of this pair ran.
    NotProbed,
}

impl ReachState {
    /// The CSS class and the word the reports print next to the glyph.
    pub fn label(self) -> &'static str {
        match self {
            ReachState::Breach => "breach",
            ReachState::Reached => "reached",
            ReachState::UnexpectedDeny => "unexpected-deny",
            ReachState::Inconclusive => "inconclusive",
            ReachState::Waived => "waived",
            ReachState::Held => "held",
            ReachState::NotProbed => "not-probed",
        }
    }

    /// A glyph that tells the state without colour.
    pub fn glyph(self) -> &'static str {
        match self {
            ReachState::Breach => "✗",
            ReachState::Reached => "◆",
            ReachState::UnexpectedDeny => "⚠",
            ReachState::Inconclusive => "?",
            ReachState::Waived => "≈",
            ReachState::Held => "✓",
            ReachState::NotProbed => "·",
        }
    }

    /// Red in every report: a breach, or any cross-tenant allow.
    pub fn is_red(self) -> bool {
        matches!(self, ReachState::Breach | ReachState::Reached)
    }
}

impl ReachCell {
    fn add(&mut self, record: &ProbeRecord, cross_tenant: bool, waived: bool) {
        self.probes += 1;
        match record.verdict {
            Verdict::Allowed => {
                self.allowed += 1;
                self.cross_tenant_allowed |= cross_tenant;
            }
            Verdict::Denied => self.denied += 1,
            Verdict::Inconclusive => {}
        }
        if waived {
            self.waived += 1;
            return;
        }
        match record.outcome {
            Outcome::Held => self.held += 1,
            Outcome::Breach => self.breaches += 1,
            Outcome::UnexpectedDeny => self.unexpected_denies += 1,
            Outcome::Inconclusive => self.inconclusive += 1,
        }
    }

    pub fn state(&self) -> ReachState {
        if self.probes == 0 {
            ReachState::NotProbed
        } else if self.breaches > 0 {
            ReachState::Breach
        } else if self.cross_tenant_allowed {
            ReachState::Reached
        } else if self.unexpected_denies > 0 {
            ReachState::UnexpectedDeny
        } else if self.inconclusive > 0 {
            ReachState::Inconclusive
        } else if self.waived > 0 {
            ReachState::Waived
        } else {
            ReachState::Held
        }
    }

    /// `6 probes: 3 allowed, 3 denied; 1 breach` — every non-zero count, for a tooltip or
    /// a Markdown cell.
    pub fn counts_phrase(&self) -> String {
        let mut phrase = format!(
            "{} probe{}: {} allowed, {} denied",
            self.probes,
            if self.probes == 1 { "" } else { "s" },
            self.allowed,
            self.denied
        );
        for (count, word) in [
            (self.breaches, "breach"),
            (self.unexpected_denies, "unexpected deny"),
            (self.inconclusive, "inconclusive"),
            (self.waived, "waived"),
        ] {
            if count > 0 {
                phrase.push_str(&format!("; {count} {word}"));
            }
        }
        phrase
    }
}

/// Tenant names in order of first appearance, each with its position.
#[derive(Default)]
struct TenantIndex {
    names: Vec<String>,
    positions: HashMap<String, usize>,
}

impl TenantIndex {
    fn intern(&mut self, tenant: &str) -> usize {
        let tenant = if tenant.is_empty() { NO_TENANT } else { tenant };
        if let Some(&at) = self.positions.get(tenant) {
            return at;
        }
        self.names.push(tenant.to_owned());
        self.positions
            .insert(tenant.to_owned(), self.names.len() - 1);
        self.names.len() - 1
    }
}

/// The tenant × tenant table: rows are caller tenants, columns owner tenants, both in the
/// order tenants first appear (users in scenario order, then the records' owners).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantReach {
    tenants: Vec<String>,
    /// `cells[caller * tenants.len() + owner]`.
    cells: Vec<ReachCell>,
}

impl TenantReach {
    /// The summary of a run without waivers.
    pub fn of(results: &RunResults) -> TenantReach {
        TenantReach::with_waivers(results, |_| false)
    }

    /// The summary of a run whose waived records `is_waived` names: they count as waived
    /// in their cell instead of under their outcome.
    pub fn with_waivers(
        results: &RunResults,
        is_waived: impl Fn(&ProbeRecord) -> bool,
    ) -> TenantReach {
        let mut tenants = TenantIndex::default();
        let mut caller_of: HashMap<&str, usize> = HashMap::new();
        for user in &results.users {
            let at = tenants.intern(&user.tenant);
            caller_of.entry(user.user.as_str()).or_insert(at);
        }
        let mut pairs = Vec::with_capacity(results.records.len());
        for record in &results.records {
            let caller = match caller_of.get(record.user.as_str()) {
                Some(&at) => at,
                None => tenants.intern(NO_TENANT),
            };
            let owner = tenants.intern(&record.tenant);
            pairs.push((caller, owner));
        }
        let tenants = tenants.names;
        let width = tenants.len();
        let mut cells = vec![ReachCell::default(); width * width];
        for (record, (caller, owner)) in results.records.iter().zip(pairs) {
            let cross_tenant = caller != owner;
            cells[caller * width + owner].add(&record, cross_tenant, is_waived(&record));
        }
        TenantReach { tenants, cells }
    }

    pub fn tenants(&self) -> &[String] {
        &self.tenants
    }

    pub fn cell(&self, caller: usize, owner: usize) -> &ReachCell {
        &self.cells[caller * self.tenants.len() + owner]
    }

    /// The cell of two tenants by name.
    pub fn cell_of(&self, caller: &str, owner: &str) -> Option<&ReachCell> {
        let at = |name: &str| self.tenants.iter().position(|tenant| tenant == name);
        Some(self.cell(at(caller)?, at(owner)?))
    }

    /// Caller tenants that made at least one probe: the rows worth a line.
    pub fn callers(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.tenants.len()).filter(|&caller| {
            (0..self.tenants.len()).any(|owner| self.cell(caller, owner).probes > 0)
        })
    }

    /// Owner tenants whose resources at least one probe named: the columns worth showing.
    pub fn owners(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.tenants.len()).filter(|&owner| {
            (0..self.tenants.len()).any(|caller| self.cell(caller, owner).probes > 0)
        })
    }

    /// Pairs of different tenants where something was allowed: who reached whose data.
    pub fn cross_tenant_reaches(&self) -> usize {
        self.cells
            .iter()
            .filter(|cell| cell.cross_tenant_allowed)
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::UserEvidence;
    use crate::probe::ProbeRecord;
    use crate::redaction::Redactor;
    use crate::run::{CleanupSummary, RunTiming};
    use crate::scenario::{Action, Expectation, ExpectationSource, Plan, ProbeName};

    fn record(user: &str, tenant: &str, expectation: Expectation, verdict: Verdict) -> ProbeRecord {
        ProbeRecord {
            name: ProbeName::from(format!("{user}::{tenant}/docs::read")),
            user: user.to_owned().into(),
            tenant: tenant.to_owned().into(),
            resource: "docs".to_owned().into(),
            target: crate::scenario::ResourceTarget::Secret {
                secret_id: format!("{tenant}/docs"),
            }
            .into(),
            action: Action::Read,
            expectation,
            source: ExpectationSource::CrossTenantDefault.into(),
            shape: None,
            api_call: "secretsmanager:GetSecretValue".to_owned().into(),
            method: "read".to_owned().into(),
            verdict,
            outcome: Outcome::of(expectation, verdict),
            http_status: None,
            error_code: None,
            error_message: None,
            denied_action: None,
            denial_layer: None,
            denial_explicit: None,
            request_id: None,
            reason: crate::scenario::SharedName::default(),
            duration_ms: 0,
            read_evidence: None,
            waiver: None,
        }
    }

    fn results(users: &[(&str, &str)], records: Vec<ProbeRecord>) -> RunResults {
        RunResults {
            scenario: "reach".to_owned(),
            plan: std::sync::Arc::new(Plan {
                probes: Vec::new(),
                not_exercised: Vec::new(),
                waivers: Vec::new(),
                lines: Default::default(),
                share: None,
            }),
            records: records.into(),
            users: users
                .iter()
                .map(|(user, tenant)| UserEvidence {
                    user: (*user).to_owned(),
                    tenant: (*tenant).to_owned(),
                    ..UserEvidence::default()
                })
                .collect(),
            role_cases: Vec::new(),
            cleanup: CleanupSummary::default(),
            timing: RunTiming {
                started_at: String::new(),
                finished_at: String::new(),
                duration_ms: 0,
            },
            interrupted: false,
            run: None,
            audit: None,
            waivers: Default::default(),
            redactor: Redactor::new(&[]),
        }
    }

    use Expectation::{Allow, Deny};
    use Verdict::{Allowed, Denied, Inconclusive};

    #[test]
    fn one_cell_per_caller_and_owner_tenant_with_every_count() {
        let reach = TenantReach::of(&results(
            &[("ann", "acme"), ("bob", "globex")],
            vec![
                record("ann", "acme", Allow, Allowed),
                record("ann", "acme", Allow, Denied),
                record("ann", "globex", Deny, Denied),
                record("ann", "globex", Deny, Allowed),
                record("bob", "acme", Deny, Inconclusive),
                record("bob", "globex", Allow, Allowed),
            ],
        ));
        assert_eq!(reach.tenants(), ["acme", "globex"]);
        let own = reach.cell_of("acme", "acme").unwrap();
        assert_eq!((own.probes, own.allowed, own.denied), (2, 1, 1));
        assert_eq!((own.held, own.unexpected_denies), (1, 1));
        assert_eq!(own.state(), ReachState::UnexpectedDeny);
        assert!(!own.cross_tenant_allowed, "own tenant is no reach");

        let across = reach.cell_of("acme", "globex").unwrap();
        assert_eq!((across.breaches, across.held), (1, 1));
        assert!(across.cross_tenant_allowed);
        assert_eq!(across.state(), ReachState::Breach);
        assert!(across.state().is_red());
        assert_eq!(
            across.counts_phrase(),
            "2 probes: 1 allowed, 1 denied; 1 breach"
        );

        let back = reach.cell_of("globex", "acme").unwrap();
        assert_eq!(back.state(), ReachState::Inconclusive);
        assert!(!back.state().is_red());
        assert_eq!(
            reach.cell_of("globex", "globex").unwrap().state(),
            ReachState::Held
        );
        assert_eq!(reach.cross_tenant_reaches(), 1);
    }

    #[test]
    fn an_expected_cross_tenant_allow_is_still_a_red_reach() {
        let reach = TenantReach::of(&results(
            &[("ann", "acme")],
            vec![record("ann", "globex", Allow, Allowed)],
        ));
        let cell = reach.cell_of("acme", "globex").unwrap();
        assert_eq!(cell.breaches, 0);
        assert_eq!(cell.state(), ReachState::Reached);
        assert!(cell.state().is_red());
    }

    #[test]
    fn attacks_and_escalated_re_runs_count_under_their_user_s_tenant() {
        // An escalated re-run names the victim's tenant; the caller is the attacker's.
        let mut rerun = record("ann", "globex", Deny, Allowed);
        rerun.name = ProbeName("ann::attack::claim-tamper::bob::globex/docs::read".into());
        let mut attack = record("ann", "acme", Deny, Allowed);
        attack.name = ProbeName("ann::attack::basic-flow::globex-role".into());
        let reach = TenantReach::of(&results(&[("ann", "acme")], vec![rerun, attack]));
        assert_eq!(reach.cell_of("acme", "globex").unwrap().breaches, 1);
        assert_eq!(reach.cell_of("acme", "acme").unwrap().breaches, 1);
    }

    #[test]
    fn a_user_without_a_tenant_or_evidence_is_never_dropped() {
        let reach = TenantReach::of(&results(
            &[("guest", "")],
            vec![
                record("guest", "acme", Deny, Denied),
                record("ghost", "acme", Deny, Inconclusive),
            ],
        ));
        let cell = reach.cell_of(NO_TENANT, "acme").unwrap();
        assert_eq!((cell.probes, cell.held, cell.inconclusive), (2, 1, 1));
        assert_eq!(reach.callers().collect::<Vec<_>>(), [0]);
        assert_eq!(reach.owners().collect::<Vec<_>>(), [1]);
    }

    #[test]
    fn a_waived_record_counts_as_waived_not_under_its_outcome() {
        let reach = TenantReach::with_waivers(
            &results(
                &[("ann", "acme")],
                vec![record("ann", "acme", Allow, Denied)],
            ),
            |record| record.outcome == Outcome::UnexpectedDeny,
        );
        let cell = reach.cell_of("acme", "acme").unwrap();
        assert_eq!((cell.waived, cell.unexpected_denies, cell.held), (1, 0, 0));
        assert_eq!(cell.state(), ReachState::Waived);
    }
}
