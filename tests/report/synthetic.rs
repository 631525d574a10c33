//! Small synthetic scenarios and plans for the runner and reporter tests.

use xtenant::redaction::Redactor;
use xtenant::run::{RunInput, RunUser};
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
}

impl ScenarioBuilder {
    pub fn new(name: &str) -> ScenarioBuilder {
        ScenarioBuilder {
            name: name.to_owned(),
            users: Vec::new(),
            tenants: Vec::new(),
            resources: vec!["docs"],
            actions: vec![Action::Read, Action::Write],
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

    pub fn build(self) -> RunInput {
        let mut probes = Vec::new();
        for (user, own_tenant, _) in &self.users {
            for tenant in &self.tenants {
                for resource in &self.resources {
                    for action in &self.actions {
                        probes.push(PlannedProbe {
                            name: ProbeName(format!("{user}::{tenant}/{resource}::{action}")),
                            user: user.clone(),
                            tenant: tenant.clone(),
                            resource: (*resource).to_owned(),
                            target: target(resource, tenant),
                            action: action.clone(),
                            expectation: if tenant == own_tenant {
                                Expectation::Allow
                            } else {
                                Expectation::Deny
                            },
                            source: ExpectationSource::CrossTenantDefault,
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
            key: ItemKey {
                partition: ("tenant".into(), KeyValue::S(tenant.to_owned())),
                sort: Some(("id".into(), KeyValue::N("1".into()))),
            },
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
