//! Small synthetic scenarios and plans for the runner and reporter tests.

use xtenant::redaction::Redactor;
use xtenant::run::{RunInput, RunUser};
use xtenant::scenario::waiver::{Waiver, parse_date};
use xtenant::scenario::{
    Action, Expectation, ExpectationSource, ItemKey, KeyValue, Plan, PlannedProbe, ProbeName,
    ResourceTarget,
};
use xtenant::secret::SecretString;

/// A password the fake harness knows and every report must hide.
pub const ALICE_PASSWORD: &str = "Correct-Horse-Battery-9!";

pub fn role_arn(tenant: &str) -> String {
    format!("arn:aws:iam::111122223333:role/{tenant}-role")
}

pub fn caller_arn(tenant: &str) -> String {
    format!("arn:aws:sts::111122223333:assumed-role/{tenant}-role/CognitoIdentityCredentials")
}

/// A scenario under construction: users (name, tenant), tenants, resources and actions.
pub struct ScenarioBuilder {
    name: String,
    users: Vec<(String, String, bool)>,
    tenants: Vec<String>,
    resources: Vec<&'static str>,
    actions: Vec<Action>,
    waivers: Vec<Waiver>,
}

impl ScenarioBuilder {
    pub fn new(name: &str) -> ScenarioBuilder {
        ScenarioBuilder {
            name: name.to_owned(),
            users: Vec::new(),
            tenants: Vec::new(),
            resources: vec!["docs"],
            actions: vec![Action::Read, Action::Write],
            waivers: Vec::new(),
        }
    }

    /// A user of `tenant` whose expected role is the tenant's role.
    pub fn user(mut self, name: &str, tenant: &str) -> Self {
        self.add(name, tenant, true);
        self
    }

    /// A user without an expected role.
    pub fn user_without_role(mut self, name: &str, tenant: &str) -> Self {
        self.add(name, tenant, false);
        self
    }

    fn add(&mut self, name: &str, tenant: &str, expected_role: bool) {
        self.users
            .push((name.to_owned(), tenant.to_owned(), expected_role));
        if !self.tenants.iter().any(|t| t == tenant) {
            self.tenants.push(tenant.to_owned());
        }
    }

    /// Resources among `docs` (S3 object), `records` (DynamoDB item), `vault` (secret).
    pub fn resources(mut self, resources: &[&'static str]) -> Self {
        self.resources = resources.to_vec();
        self
    }

    pub fn actions(mut self, actions: &[Action]) -> Self {
        self.actions = actions.to_vec();
        self
    }

    /// A waiver of the probes `pattern` matches, expiring after `expires` (`YYYY-MM-DD`).
    pub fn waiver(mut self, pattern: &str, ticket: &str, expires: &str) -> Self {
        self.waivers.push(Waiver {
            index: self.waivers.len(),
            probe: pattern.to_owned(),
            reason: format!("accepted until {ticket} ships"),
            ticket: ticket.to_owned(),
            expires: parse_date(expires).expect("a YYYY-MM-DD date"),
        });
        self
    }

    pub fn build(self) -> RunInput {
        let mut probes = Vec::new();
        for (user, own_tenant, _) in &self.users {
            for tenant in &self.tenants {
                for resource in &self.resources {
                    for action in &self.actions {
                        probes.push(PlannedProbe {
                            name: ProbeName::from(format!("{user}::{tenant}/{resource}::{action}")),
                            user: user.into(),
                            tenant: tenant.into(),
                            resource: (*resource).to_owned().into(),
                            target: target(resource, tenant).into(),
                            action: action.clone(),
                            expectation: if tenant == own_tenant {
                                Expectation::Allow
                            } else {
                                Expectation::Deny
                            },
                            source: ExpectationSource::CrossTenantDefault.into(),
                            shape: None,
                        });
                    }
                }
            }
        }
        RunInput {
            scenario: self.name,
            plan: std::sync::Arc::new(Plan {
                probes,
                not_exercised: Vec::new(),
                waivers: self.waivers,
                lines: Default::default(),
                share: None,
            }),
            users: self
                .users
                .iter()
                .map(|(name, tenant, expected_role)| RunUser {
                    name: name.clone(),
                    tenant: tenant.clone(),
                    expected_role_arn: expected_role.then(|| role_arn(tenant)),
                })
                .collect(),
            redactor: Redactor::new(&[SecretString::new(ALICE_PASSWORD)]),
            metadata: None,
            shard: None,
        }
    }
}

fn target(resource: &str, tenant: &str) -> ResourceTarget {
    match resource {
        "docs" => ResourceTarget::S3Object {
            bucket: "pacific-docs".into(),
            key: format!("{tenant}/report.txt"),
        },
        "records" => ResourceTarget::DynamoDbItem {
            table: "records".into(),
            key: Box::new(ItemKey {
                partition: ("tenant".into(), KeyValue::S(tenant.to_owned())),
                sort: Some(("id".into(), KeyValue::N("1".into()))),
            }),
        },
        "vault" => ResourceTarget::Secret {
            secret_id: format!("{tenant}/api-key"),
        },
        other => panic!("the synthetic scenario has no resource `{other}`"),
    }
}

/// Two tenants, two users each with an expected role, S3 docs read and write: 8 probes.
pub fn two_tenants() -> RunInput {
    ScenarioBuilder::new("pacific")
        .user("alice", "acme")
        .user("bob", "globex")
        .build()
}

/// Reads a JUnit report back with quick-junit, whose reader insists on an RFC 3339 zone
/// that Ant's schema forbids in `timestamp` (xtenant writes the UTC time without one).
pub fn read_junit(xml: &str) -> quick_junit::Report {
    let mut zoned = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(at) = rest.find("timestamp=\"") {
        let value_start = at + "timestamp=\"".len();
        let value_end = value_start + rest[value_start..].find('"').expect("a closed attribute");
        zoned.push_str(&rest[..value_end]);
        if value_end - value_start == "2026-01-01T00:00:00".len() {
            zoned.push('Z');
        }
        rest = &rest[value_end..];
    }
    zoned.push_str(rest);
    // The root carries no totals (Ant's schema allows none there); quick-junit's reader
    // wants a name, and the totals are the suites' sums, as CI readers compute them.
    let zoned = zoned.replacen("<testsuites>", "<testsuites name=\"xtenant\">", 1);
    let mut report =
        quick_junit::Report::deserialize_from_str(&zoned).expect("the JUnit report parses");
    report.tests = report.test_suites.iter().map(|suite| suite.tests).sum();
    report.failures = report.test_suites.iter().map(|suite| suite.failures).sum();
    report.errors = report.test_suites.iter().map(|suite| suite.errors).sum();
    report.skipped = report.test_suites.iter().map(|suite| suite.skipped).sum();
    report
}
