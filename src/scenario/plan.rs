//! The plan: every probe a scenario asks for, each with one expectation and the rule that
//! produced it. This is the contract between the scenario layer and the harness.

use serde::Serialize;
use std::fmt;

/// `{user}::{tenant}/{resource}::{action}`, stable across runs of the same scenario.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(transparent)]
// Shared: a record names its probe with the plan's own copy of the name.
pub struct ProbeName(pub super::SharedName);

impl From<String> for ProbeName {
    fn from(name: String) -> ProbeName {
        ProbeName(name.into())
    }
}

impl From<&str> for ProbeName {
    fn from(name: &str) -> ProbeName {
        ProbeName(name.into())
    }
}

impl fmt::Display for ProbeName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a probe attempts. Abstract actions map to the design's probe table; `Api` names an
/// exact call such as `s3:HeadObject` or `dynamodb:Query`.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Read,
    Write,
    List,
    Delete,
    /// `service:Operation`, exactly as IAM spells it.
    Api(super::SharedName),
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Action::Read => f.write_str("read"),
            Action::Write => f.write_str("write"),
            Action::List => f.write_str("list"),
            Action::Delete => f.write_str("delete"),
            Action::Api(api) => f.write_str(api),
        }
    }
}

/// A DynamoDB attribute value used in a key.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum KeyValue {
    S(String),
    N(String),
}

/// A DynamoDB primary key: partition attribute and optional sort attribute.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
pub struct ItemKey {
    pub partition: (String, KeyValue),
    pub sort: Option<(String, KeyValue)>,
}

/// One concrete resource, with every `{tenant}` placeholder already substituted.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ResourceTarget {
    S3Object {
        bucket: String,
        key: String,
    },
    S3Prefix {
        bucket: String,
        prefix: String,
    },
    /// The key is boxed, as the attack is: both are large inline, and a run holds a
    /// target in every plan entry and every record.
    DynamoDbItem {
        table: String,
        key: Box<ItemKey>,
    },
    Secret {
        secret_id: String,
    },
    /// An identity-layer attack case (`{user}::attack::{kind}::{target}`): what it tries
    /// for instead of a resource.
    Identity {
        attack: Box<crate::attack::AttackTarget>,
    },
}

/// What the scenario expects of a probe.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Expectation {
    Allow,
    Deny,
}

/// The rule that gave a probe its expectation, so a report can say why it was expected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ExpectationSource {
    /// The generated cross-tenant rule: own tenant allowed, other tenants denied.
    CrossTenantDefault,
    /// An override rule in `expect.overrides`, by index and its optional description.
    Override {
        index: usize,
        description: Option<String>,
    },
    /// An explicit cell in `expect.cells`, by index.
    Cell { index: usize },
    /// A generated attack case: the rule it asserts and the AWS page its verdict follows.
    Attack {
        attack: crate::attack::AttackKind,
        rule: String,
        reference: String,
    },
    /// An attack case `attacks.allow` expects to succeed, by index and description.
    AttackAllowed {
        index: usize,
        description: Option<String>,
    },
    /// A cell of the user's row re-run with the credentials attack case `case` obtained for
    /// `role`; `original` is the cell's own rule, `None` for a user with no row (expected
    /// denied everywhere).
    Escalated {
        case: String,
        role: String,
        original: Option<Box<ExpectationSource>>,
    },
}

impl ExpectationSource {
    /// Whether the case is a re-run with escalated credentials, which no static plan holds.
    pub fn is_escalated(&self) -> bool {
        matches!(self, ExpectationSource::Escalated { .. })
    }
}

impl fmt::Display for ExpectationSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExpectationSource::CrossTenantDefault => f.write_str("cross-tenant default"),
            ExpectationSource::Override {
                index,
                description: Some(d),
            } => write!(f, "override #{index} ({d})"),
            ExpectationSource::Override {
                index,
                description: None,
            } => write!(f, "override #{index}"),
            ExpectationSource::Cell { index } => write!(f, "cell #{index}"),
            ExpectationSource::Attack { attack, rule, .. } => write!(f, "attack {attack}: {rule}"),
            ExpectationSource::AttackAllowed {
                index,
                description: Some(d),
            } => write!(f, "attacks.allow #{index} ({d})"),
            ExpectationSource::AttackAllowed {
                index,
                description: None,
            } => write!(f, "attacks.allow #{index}"),
            ExpectationSource::Escalated {
                case,
                role,
                original: Some(original),
            } => write!(
                f,
                "{original}, re-run with the `{role}` credentials of {case}"
            ),
            ExpectationSource::Escalated {
                case,
                role,
                original: None,
            } => write!(
                f,
                "no credentials expected, re-run with the `{role}` credentials of {case}"
            ),
        }
    }
}

/// One probe of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct PlannedProbe {
    pub name: ProbeName,
    /// The scenario user who makes the call.
    pub user: super::SharedName,
    /// The tenant that owns the resource.
    pub tenant: super::SharedName,
    /// The scenario's resource name (the template, not the substituted value).
    pub resource: super::SharedName,
    pub target: std::sync::Arc<ResourceTarget>,
    pub action: Action,
    pub expectation: Expectation,
    pub source: super::SharedSource,
    /// The sibling API this case sends instead of the action's primary probe (see
    /// `request_shape`); `None` for the primary probe and for attack cases. Boxed: rare, and
    /// large inline in every probe of the plan.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shape: Option<Box<super::request_shape::RequestShape>>,
}

/// Every probe of a scenario, in a deterministic order (user, tenant, resource, action as
/// written in the scenario).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct Plan {
    pub probes: Vec<PlannedProbe>,
    /// Attacks that are on but cannot run with what the scenario gives (for example
    /// foreign-token without `attacks.foreign_pool`), each with what to add: evidence that
    /// they were not exercised, never a pass.
    pub not_exercised: Vec<String>,
    /// The scenario's waivers, in file order (see `run::waiver_review` for how a run
    /// applies them).
    pub waivers: Vec<super::waiver::Waiver>,
    /// Where each case's rule is written in the scenario file, for reports that point at
    /// it (empty for plans built without a file).
    #[serde(skip)]
    pub lines: super::source_lines::SourceLines,
    /// Set when this plan is one shard's share of a larger one (`--shard K/N`), which was
    /// never held whole; absent for a whole plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share: Option<PlanShare>,
}

/// Where a shard's plan stands in the whole plan: how many cases the whole plan has and
/// the position of each of the share's cases in it, so merged shards keep plan order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct PlanShare {
    pub planned_probes: usize,
    /// The users (and attack parties) whose cases this share holds, sorted.
    pub users: Vec<String>,
    /// One position per case of `probes`, in the same order, ascending.
    pub positions: Vec<usize>,
}

impl Plan {
    /// How many cases the whole plan has: this plan's, or the whole plan's for a share.
    pub fn planned_probes(&self) -> usize {
        self.share
            .as_ref()
            .map_or(self.probes.len(), |share| share.planned_probes)
    }
}
