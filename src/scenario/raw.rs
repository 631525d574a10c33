//! The scenario file as written: the serde model that YAML is read into and that the JSON
//! Schema (`xtenant schema`) is generated from. Every struct denies unknown keys. Choices
//! between keys (which resource kind, which password source) are plain optional fields
//! checked by validation, not untagged enums, so every mistake gets a precise message.

use crate::secret::SecretString;
use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer};
use std::fmt;

/// A tenant-isolation scenario: who signs in, what they probe, what is expected.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "xtenant scenario")]
pub struct RawScenario {
    /// Where the users sign in and where the resources live.
    pub target: RawTarget,
    /// Tenant ids, substituted for `{tenant}` in resource templates.
    pub tenants: Vec<String>,
    /// Users by name (the name appears in probe names).
    pub users: IndexMap<String, RawUser>,
    /// Per-tenant resources by name (the name appears in probe names).
    pub resources: IndexMap<String, RawResource>,
    /// Expectations: the generated cross-tenant rule, overrides and explicit cells.
    #[serde(default)]
    pub expect: RawExpect,
    /// Identity-layer attacks, every kind on by default: switch kinds off, add roles to try,
    /// or name the attack cases expected to succeed.
    #[serde(default)]
    pub attacks: RawAttacks,
    /// The configuration audit of the identity layer: per-code severities and limits.
    #[serde(default)]
    pub audit: RawAudit,
    /// Known findings accepted until a date: a breach or unexpected deny of a probe a
    /// waiver covers is reported as waived and does not fail the run until the waiver
    /// expires. Inconclusive results are never waived.
    #[serde(default)]
    pub waivers: Vec<RawWaiver>,
}

/// A waiver of known findings.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawWaiver {
    /// A probe-name pattern (`*` matches any run of characters), for example
    /// `bob::globex/records::*`; it must match a probe of the plan.
    pub probe: String,
    /// Why the finding is accepted; shown in every report.
    pub reason: String,
    /// Where the fix is tracked, for example `SEC-123`.
    pub ticket: String,
    /// The last day the waiver applies, `YYYY-MM-DD` (UTC).
    pub expires: String,
}

/// The `audit:` section.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAudit {
    /// A finding code's severity instead of its default, for example `XA008: high` or
    /// `XA001: low`.
    #[serde(default)]
    pub severity: IndexMap<String, RawSeverity>,
    /// The longest ID or access token lifetime accepted, in minutes (finding XA014).
    #[serde(default)]
    pub max_token_validity_minutes: Option<u64>,
}

/// A finding's severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RawSeverity {
    Info,
    Low,
    Medium,
    High,
}

/// The `attacks:` section. Each kind is on unless set to `false`.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAttacks {
    /// GetOpenIdToken + AssumeRoleWithWebIdentity on every known role but the user's own.
    #[serde(default)]
    pub basic_flow: Option<bool>,
    /// GetCredentialsForIdentity with CustomRoleArn = every known role but the user's own.
    #[serde(default)]
    pub custom_role_arn: Option<bool>,
    /// GetCredentialsForIdentity with another user's identity id.
    #[serde(default)]
    pub identity_swap: Option<bool>,
    /// A guest identity, when the matrix lists none, must reach no tenant resource.
    #[serde(default)]
    pub guest: Option<bool>,
    /// Users declared `credentials: refused` must be refused credentials.
    #[serde(default)]
    pub unmapped: Option<bool>,
    /// UpdateUserAttributes on every claim that can decide a role or a principal tag,
    /// set to another tenant's value; an accepted tamper is undone through the ledger.
    #[serde(default)]
    pub claim_tamper: Option<bool>,
    /// SignUp with the app client as a stranger carrying another tenant's claims; a user
    /// it creates is deleted through the ledger.
    #[serde(default)]
    pub sign_up: Option<bool>,
    /// More claims for claim-tamper to try, beyond every `custom:*` claim, `email` and
    /// `preferred_username` of the user's ID token.
    #[serde(default)]
    pub claims: Vec<String>,
    /// A token from `foreign_pool` must assume no known role (trust policies without
    /// `cognito-identity.amazonaws.com:aud`). Runs only when `foreign_pool` is set.
    #[serde(default)]
    pub foreign_token: Option<bool>,
    /// An identity pool the tester controls (guest access and the basic flow on, same
    /// account and region), whose guest tokens the foreign-token attack uses.
    #[serde(default)]
    pub foreign_pool: Option<String>,
    /// Off unless `true`: GlobalSignOut each user after all its other cases, then the old
    /// ID token must mint no credentials and the refresh token must be refused. Ends the
    /// users' sessions (every token of theirs, not only the run's).
    #[serde(default)]
    pub revocation: Option<bool>,
    /// More role ARNs to try, beyond the users' `role`s.
    #[serde(default)]
    pub roles: Vec<String>,
    /// Attack cases expected to succeed (for example a user in two groups who may pick
    /// either group's role), by case name as `xtenant plan` lists it.
    #[serde(default)]
    pub allow: Vec<RawAttackAllow>,
}

/// An attack case the scenario expects to succeed.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAttackAllow {
    /// `{user}::attack::{kind}::{target}`.
    pub case: String,
    /// Why it is allowed; shown in reports.
    #[serde(default)]
    pub description: Option<String>,
}

/// Whether the identity pool is expected to give the user credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RawCredentials {
    /// The default: the user gets a role and runs the matrix row.
    Issued,
    /// No role mapping matches the user: GetCredentialsForIdentity must be refused, and the
    /// user has no matrix row.
    Refused,
}

/// Either `local: <world file>` (local staging) or `region` with the pools of an AWS account.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawTarget {
    /// A local staging world file, relative to the scenario file. Region, pool ids and
    /// client id then come from the world file.
    #[serde(default)]
    pub local: Option<String>,
    /// The AWS region, for example `eu-west-1` (not with `local`).
    #[serde(default)]
    pub region: Option<String>,
    /// The Cognito user pool and app client the users sign in with.
    #[serde(default)]
    pub user_pool: Option<RawUserPool>,
    /// The Cognito identity pool that exchanges ID tokens for AWS credentials.
    #[serde(default)]
    pub identity_pool: Option<RawIdentityPool>,
}

/// A Cognito user pool and app client.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawUserPool {
    /// The pool id, for example `eu-west-1_AbC123def`. With `local`: the pool's `Id` or
    /// `PoolName` in the world file, needed only when the world has several pools.
    #[serde(default)]
    pub id: Option<String>,
    /// The app client id. With `local`: the client's `ClientId` or `ClientName`, needed
    /// only when the pool has several clients.
    #[serde(default)]
    pub client_id: Option<String>,
    /// The app client secret, when the client has one (not with `local`).
    #[serde(default)]
    pub client_secret: Option<RawSecretRef>,
    /// How users sign in: `password` (USER_PASSWORD_AUTH, the default), `srp`
    /// (USER_SRP_AUTH), `admin` (ADMIN_USER_PASSWORD_AUTH with ambient credentials) or
    /// `custom` (CUSTOM_AUTH: the app's own challenges, which the harness cannot answer,
    /// so every user's sign-in fails and their probes are inconclusive).
    #[serde(default)]
    pub flow: Option<RawSignInFlow>,
}

/// How users sign in to the user pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RawSignInFlow {
    Password,
    Srp,
    Admin,
    Custom,
}

/// A Cognito identity pool.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawIdentityPool {
    /// The identity pool id, for example `eu-west-1:0f1e2d3c-...`. With `local`: the
    /// pool's `IdentityPoolId` or `IdentityPoolName`, needed only when the world has several.
    #[serde(default)]
    pub id: Option<String>,
    /// `enhanced` (GetCredentialsForIdentity, the default) or `basic` (GetOpenIdToken and
    /// AssumeRoleWithWebIdentity with each user's `role`).
    #[serde(default)]
    pub flow: Option<RawIdentityFlow>,
}

/// The identity pool authentication flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RawIdentityFlow {
    Enhanced,
    Basic,
}

/// Where a secret comes from: exactly one of `env`, `file` or `value`.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSecretRef {
    /// The name of an environment variable holding the secret.
    #[serde(default)]
    pub env: Option<String>,
    /// A file holding the secret (relative to the scenario file; one trailing newline is
    /// ignored).
    #[serde(default)]
    pub file: Option<String>,
    /// The secret itself. Only for throwaway local staging users.
    #[serde(default)]
    pub value: Option<SecretText>,
}

/// A secret written in the file. Held as a `SecretString` from the moment it is read.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretText(pub SecretString);

impl fmt::Debug for SecretText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl<'de> Deserialize<'de> for SecretText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|text| SecretText(SecretString::new(text)))
    }
}

impl JsonSchema for SecretText {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "SecretText".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string" })
    }
}

/// A scenario user.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawUser {
    /// The tenant the user belongs to (optional for guests).
    #[serde(default)]
    pub tenant: Option<String>,
    /// The user-pool username; defaults to the user's name in this file.
    #[serde(default)]
    pub username: Option<String>,
    /// The password: `{env: NAME}`, `{file: PATH}` or `{value: ...}`.
    #[serde(default)]
    pub password: Option<RawSecretRef>,
    /// The IAM role ARN the user is expected to end up with (enhanced flow), or the role
    /// to assume (basic flow, where it is required).
    #[serde(default)]
    pub role: Option<String>,
    /// An unauthenticated identity of the identity pool: no username, no password.
    #[serde(default)]
    pub guest: bool,
    /// `refused` for a user no role mapping matches (a new sign-up, a user in no group).
    #[serde(default)]
    pub credentials: Option<RawCredentials>,
}

/// A per-tenant resource: exactly one of `s3_object`, `s3_prefix`, `dynamodb_item`,
/// `secret`, and the actions to probe on it. Every string may use `{tenant}`.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawResource {
    #[serde(default)]
    pub s3_object: Option<RawS3Object>,
    #[serde(default)]
    pub s3_prefix: Option<RawS3Prefix>,
    #[serde(default)]
    pub dynamodb_item: Option<RawDynamoDbItem>,
    #[serde(default)]
    pub secret: Option<RawSecret>,
    /// `read`, `write`, `list`, `delete`, or an exact API such as `s3:HeadObject`.
    pub actions: Vec<String>,
}

/// An S3 object.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawS3Object {
    pub bucket: String,
    pub key: String,
}

/// An S3 prefix (listing probes).
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawS3Prefix {
    pub bucket: String,
    pub prefix: String,
}

/// A DynamoDB item: table and primary key.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDynamoDbItem {
    pub table: String,
    pub partition_key: RawKeyAttribute,
    #[serde(default)]
    pub sort_key: Option<RawKeyAttribute>,
}

/// A key attribute: its name and exactly one of `S` (string) or `N` (number, written as
/// a string as in DynamoDB's JSON).
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawKeyAttribute {
    pub name: String,
    #[serde(default, rename = "S")]
    pub s: Option<String>,
    #[serde(default, rename = "N")]
    pub n: Option<String>,
}

/// A Secrets Manager secret, by name or ARN.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSecret {
    pub id: String,
}

/// Expectations beyond the generated cross-tenant rule.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawExpect {
    /// Rules applied in order after the cross-tenant rule; a later rule wins.
    #[serde(default)]
    pub overrides: Vec<RawOverride>,
    /// Single probes by name, applied last.
    #[serde(default)]
    pub cells: Vec<RawCell>,
}

/// An override: every probe matched by all its patterns gets `expect`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawOverride {
    /// Why the rule exists; shown in reports.
    #[serde(default)]
    pub description: Option<String>,
    /// User-name patterns (`*` matches any run of characters); all users when absent.
    #[serde(default)]
    pub users: Option<Vec<String>>,
    /// Tenant patterns for the resource's tenant; all tenants when absent.
    #[serde(default)]
    pub tenants: Option<Vec<String>>,
    /// `own` (the user's tenant) or `other`; any when absent.
    #[serde(default)]
    pub relation: Option<RawRelation>,
    /// Resource-name patterns; all resources when absent.
    #[serde(default)]
    pub resources: Option<Vec<String>>,
    /// Action patterns (`write`, `s3:*`); all actions when absent.
    #[serde(default)]
    pub actions: Option<Vec<String>>,
    pub expect: RawExpectation,
}

/// The user's relation to the tenant that owns the resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RawRelation {
    Own,
    Other,
}

/// An expected outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RawExpectation {
    Allow,
    Deny,
}

/// One probe's expectation, by probe name.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCell {
    /// `{user}::{tenant}/{resource}::{action}`, as `xtenant plan` lists it.
    pub probe: String,
    pub expect: RawExpectation,
}
