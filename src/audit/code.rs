//! The stable finding codes (`XA001`…): what each means, its default severity, the AWS
//! page it follows, the fix, and the attack kinds whose cases exercise it.

use super::severity::Severity;
use serde::Serialize;
use std::fmt;

/// One kind of identity-layer misconfiguration. Serialized as its code (`XA002`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FindingCode {
    GuestAccess,
    ClassicFlow,
    TrustWithoutAud,
    TrustWithoutAmr,
    AmbiguousToAuthenticatedRole,
    WritableClaim,
    PrincipalTagDefaults,
    SelfSignUp,
    NoServerSideTokenCheck,
    LeadingKeysForAnyValue,
    PrefixIfExists,
    UnguardedForAllValues,
    DataActionOnEveryResource,
    TokenValidityOverMaximum,
    UnreadablePolicy,
    UnreadableClaim,
}

impl FindingCode {
    pub const ALL: [FindingCode; 16] = [
        FindingCode::GuestAccess,
        FindingCode::ClassicFlow,
        FindingCode::TrustWithoutAud,
        FindingCode::TrustWithoutAmr,
        FindingCode::AmbiguousToAuthenticatedRole,
        FindingCode::WritableClaim,
        FindingCode::PrincipalTagDefaults,
        FindingCode::SelfSignUp,
        FindingCode::NoServerSideTokenCheck,
        FindingCode::LeadingKeysForAnyValue,
        FindingCode::PrefixIfExists,
        FindingCode::UnguardedForAllValues,
        FindingCode::DataActionOnEveryResource,
        FindingCode::TokenValidityOverMaximum,
        FindingCode::UnreadablePolicy,
        FindingCode::UnreadableClaim,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FindingCode::GuestAccess => "XA001",
            FindingCode::ClassicFlow => "XA002",
            FindingCode::TrustWithoutAud => "XA003",
            FindingCode::TrustWithoutAmr => "XA004",
            FindingCode::AmbiguousToAuthenticatedRole => "XA005",
            FindingCode::WritableClaim => "XA006",
            FindingCode::PrincipalTagDefaults => "XA007",
            FindingCode::SelfSignUp => "XA008",
            FindingCode::NoServerSideTokenCheck => "XA009",
            FindingCode::LeadingKeysForAnyValue => "XA010",
            FindingCode::PrefixIfExists => "XA011",
            FindingCode::UnguardedForAllValues => "XA012",
            FindingCode::DataActionOnEveryResource => "XA013",
            FindingCode::TokenValidityOverMaximum => "XA014",
            FindingCode::UnreadablePolicy => "XA015",
            FindingCode::UnreadableClaim => "XA016",
        }
    }

    pub fn parse(text: &str) -> Option<FindingCode> {
        FindingCode::ALL.into_iter().find(|c| c.as_str() == text)
    }

    pub fn default_severity(self) -> Severity {
        match self {
            // Guest access is a product choice; what the guest reaches is proved by probes.
            FindingCode::GuestAccess => Severity::Info,
            FindingCode::NoServerSideTokenCheck | FindingCode::UnreadableClaim => Severity::Low,
            FindingCode::AmbiguousToAuthenticatedRole
            | FindingCode::PrincipalTagDefaults
            | FindingCode::SelfSignUp
            | FindingCode::TokenValidityOverMaximum
            | FindingCode::UnreadablePolicy => Severity::Medium,
            FindingCode::ClassicFlow
            | FindingCode::TrustWithoutAud
            | FindingCode::TrustWithoutAmr
            | FindingCode::WritableClaim
            | FindingCode::LeadingKeysForAnyValue
            | FindingCode::PrefixIfExists
            | FindingCode::UnguardedForAllValues
            | FindingCode::DataActionOnEveryResource => Severity::High,
        }
    }

    /// The mistake, in one line.
    pub fn title(self) -> &'static str {
        match self {
            FindingCode::GuestAccess => "guest access is on: anyone gets the unauthenticated role",
            FindingCode::ClassicFlow => {
                "the basic (classic) flow is on: a user can assume any role that trusts the pool"
            }
            FindingCode::TrustWithoutAud => {
                "a trust policy does not require cognito-identity.amazonaws.com:aud to be this pool"
            }
            FindingCode::TrustWithoutAmr => {
                "a trust policy does not require cognito-identity.amazonaws.com:amr"
            }
            FindingCode::AmbiguousToAuthenticatedRole => {
                "a role mapping gives users no rule matches the default authenticated role"
            }
            FindingCode::WritableClaim => {
                "a claim that picks the role or a principal tag is writable by the user"
            }
            FindingCode::PrincipalTagDefaults => {
                "principal tags use the defaults (aud, sub), not the tenant"
            }
            FindingCode::SelfSignUp => "self sign-up is allowed on the user pool",
            FindingCode::NoServerSideTokenCheck => {
                "ServerSideTokenCheck is off: revoked ID tokens still mint credentials"
            }
            FindingCode::LeadingKeysForAnyValue => {
                "ForAnyValue on dynamodb:LeadingKeys: one own key admits a batch of foreign ones"
            }
            FindingCode::PrefixIfExists => {
                "...IfExists on s3:prefix: a list without a prefix passes the condition"
            }
            FindingCode::UnguardedForAllValues => {
                "ForAllValues on a tenant key without a Null guard: a request without the key passes"
            }
            FindingCode::DataActionOnEveryResource => {
                "a data action is allowed on Resource \"*\" without a tenant condition"
            }
            FindingCode::TokenValidityOverMaximum => {
                "an app client's token validity is longer than the scenario's maximum"
            }
            FindingCode::UnreadablePolicy => {
                "a policy the audit cannot read: its checks were not made"
            }
            FindingCode::UnreadableClaim => {
                "a Rules claim or a principal tag reads an attribute the app client cannot read: it is in no ID token"
            }
        }
    }

    /// The AWS documentation the finding follows.
    pub fn reference(self) -> &'static str {
        match self {
            FindingCode::GuestAccess => {
                "https://docs.aws.amazon.com/cognito/latest/developerguide/identity-pools.html"
            }
            FindingCode::ClassicFlow => {
                "https://docs.aws.amazon.com/cognito/latest/developerguide/authentication-flow.html"
            }
            FindingCode::TrustWithoutAud | FindingCode::TrustWithoutAmr => {
                "https://docs.aws.amazon.com/cognito/latest/developerguide/role-trust-and-permissions.html"
            }
            FindingCode::AmbiguousToAuthenticatedRole => {
                "https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_RoleMapping.html"
            }
            FindingCode::WritableClaim => {
                "https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UserPoolClientType.html"
            }
            FindingCode::PrincipalTagDefaults => {
                "https://docs.aws.amazon.com/cognito/latest/developerguide/attributes-for-access-control.html"
            }
            FindingCode::SelfSignUp => {
                "https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminCreateUserConfigType.html"
            }
            FindingCode::NoServerSideTokenCheck => {
                "https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_CognitoIdentityProvider.html"
            }
            FindingCode::LeadingKeysForAnyValue | FindingCode::UnguardedForAllValues => {
                "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html"
            }
            FindingCode::PrefixIfExists => {
                "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IfExists"
            }
            FindingCode::DataActionOnEveryResource => {
                "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege"
            }
            FindingCode::TokenValidityOverMaximum => {
                "https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-with-identity-providers.html"
            }
            FindingCode::UnreadablePolicy => {
                "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html"
            }
            FindingCode::UnreadableClaim => {
                "https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html#CognitoUserPools-CreateUserPoolClient-request-ReadAttributes"
            }
        }
    }

    /// What to change.
    pub fn fix(self) -> &'static str {
        match self {
            FindingCode::GuestAccess => {
                "set AllowUnauthenticatedIdentities to false, or keep the unauthenticated role to public data only"
            }
            FindingCode::ClassicFlow => "set AllowClassicFlow to false on the identity pool",
            FindingCode::TrustWithoutAud => {
                "add \"StringEquals\": {\"cognito-identity.amazonaws.com:aud\": \"<this identity pool id>\"} to the trust policy"
            }
            FindingCode::TrustWithoutAmr => {
                "add \"ForAnyValue:StringLike\": {\"cognito-identity.amazonaws.com:amr\": \"authenticated\"} (\"unauthenticated\" for the guest role)"
            }
            FindingCode::AmbiguousToAuthenticatedRole => {
                "set AmbiguousRoleResolution to Deny, or make the default authenticated role reach no tenant data"
            }
            FindingCode::WritableClaim => {
                "remove the attribute from the app client's WriteAttributes (list the writable ones explicitly)"
            }
            FindingCode::PrincipalTagDefaults => {
                "set UseDefaults to false and map the tenant tag to a claim users cannot write"
            }
            FindingCode::SelfSignUp => "set AdminCreateUserConfig.AllowAdminCreateUserOnly to true",
            FindingCode::NoServerSideTokenCheck => {
                "set ServerSideTokenCheck to true on the identity pool's Cognito provider"
            }
            FindingCode::LeadingKeysForAnyValue => {
                "use ForAllValues:StringEquals on dynamodb:LeadingKeys with \"Null\": {\"dynamodb:LeadingKeys\": \"false\"}"
            }
            FindingCode::PrefixIfExists => {
                "use StringLike (without IfExists) on s3:prefix so a list without a prefix is not allowed"
            }
            FindingCode::UnguardedForAllValues => {
                "add \"Null\": {\"<the key>\": \"false\"} to the same statement"
            }
            FindingCode::DataActionOnEveryResource => {
                "name the tenant's resources (with a policy variable) instead of \"*\""
            }
            FindingCode::TokenValidityOverMaximum => {
                "lower IdTokenValidity / AccessTokenValidity (mind TokenValidityUnits)"
            }
            FindingCode::UnreadablePolicy => {
                "check the policy's JSON; the audit reads Version, Statement, Effect, Action/NotAction, Resource/NotResource, Principal and Condition"
            }
            FindingCode::UnreadableClaim => {
                "list the attribute in the app client's ReadAttributes (custom attributes are not readable by default)"
            }
        }
    }

    /// The attack kinds (by name, as `{user}::attack::{kind}::…` cases carry them) whose
    /// cases exercise this finding, and the scenario setting that adds them when absent.
    pub fn exercised_by(self) -> (&'static [&'static str], &'static str) {
        match self {
            FindingCode::GuestAccess => (&["guest"], "a `guest: true` user or `attacks.guest`"),
            FindingCode::ClassicFlow => (&["basic-flow"], "`attacks.basic_flow`"),
            FindingCode::TrustWithoutAud => (&["foreign-token"], "`attacks.foreign_pool`"),
            FindingCode::TrustWithoutAmr => (
                &["foreign-token", "basic-flow"],
                "`attacks.foreign_pool` or `attacks.basic_flow`",
            ),
            FindingCode::AmbiguousToAuthenticatedRole => {
                (&["unmapped"], "a user declared `credentials: refused`")
            }
            FindingCode::WritableClaim | FindingCode::PrincipalTagDefaults => {
                (&["claim-tamper"], "`attacks.claim_tamper`")
            }
            FindingCode::SelfSignUp => (&["sign-up"], "`attacks.sign_up`"),
            FindingCode::NoServerSideTokenCheck => (&["revocation"], "`attacks.revocation`"),
            FindingCode::LeadingKeysForAnyValue
            | FindingCode::PrefixIfExists
            | FindingCode::UnguardedForAllValues
            | FindingCode::DataActionOnEveryResource => (
                &[],
                "matrix probes of the role's users on the service (and `attacks` request shapes)",
            ),
            FindingCode::TokenValidityOverMaximum => (&["revocation"], "`attacks.revocation`"),
            FindingCode::UnreadablePolicy => (&[], "nothing: fix the policy so it can be read"),
            FindingCode::UnreadableClaim => (
                &[],
                "matrix probes of the users the rule or tag was meant for",
            ),
        }
    }
}

impl Serialize for FindingCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Read back from evidence (`xtenant merge`): the `XA…` string of a known code.
impl<'de> serde::Deserialize<'de> for FindingCode {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        FindingCode::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown finding code `{text}`")))
    }
}

/// In the evidence a code is its `XA…` string.
impl schemars::JsonSchema for FindingCode {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "FindingCode".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "pattern": "^XA[0-9]{3}$" })
    }
}

impl fmt::Display for FindingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_parse_back() {
        let mut seen = std::collections::BTreeSet::new();
        for code in FindingCode::ALL {
            assert!(seen.insert(code.as_str()), "{code} twice");
            assert_eq!(FindingCode::parse(code.as_str()), Some(code));
            assert!(code.reference().starts_with("https://docs.aws.amazon.com/"));
        }
        assert_eq!(FindingCode::parse("XA999"), None);
    }
}
