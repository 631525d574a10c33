//! A user pool's fixed configuration: its clients, groups and signing key.

use super::error::IdpError;
use super::signing_key::{SharedKey, SigningKey, jwks_of};
use super::world::{ExplicitAuthFlow, GroupSpec, UserPoolClientSpec, UserPoolSpec};

/// A seeded user pool.
#[derive(Debug)]
pub struct UserPool {
    pub spec: UserPoolSpec,
    /// `https://cognito-idp.REGION.amazonaws.com/POOLID`.
    pub issuer: String,
    /// Signs ID tokens.
    pub key: SigningKey,
    /// Signs access tokens: AWS publishes two keys per pool and signs the two token kinds
    /// with different ones.
    /// See <https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html>.
    pub access_key: SigningKey,
    /// `arn:aws:cognito-idp:REGION:ACCOUNT:userpool/POOLID`.
    pub arn: String,
}

impl UserPool {
    pub fn new(spec: UserPoolSpec, region: &str, account_id: &str) -> Self {
        // The issuer keeps AWS's form even though local staging serves it on loopback.
        // See <https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-id-token.html>.
        let issuer = format!("https://cognito-idp.{region}.amazonaws.com/{}", spec.id);
        let arn = format!(
            "arn:aws:cognito-idp:{region}:{account_id}:userpool/{}",
            spec.id
        );
        let key = SigningKey::shared(format!("{}-id-token-key", spec.id));
        let access_key =
            SigningKey::shared_as(format!("{}-access-token-key", spec.id), SharedKey::Second);
        UserPool {
            spec,
            issuer,
            key,
            access_key,
            arn,
        }
    }

    pub fn id(&self) -> &str {
        &self.spec.id
    }

    /// The pool's JWKS: both keys.
    pub fn jwks(&self) -> serde_json::Value {
        jwks_of(&[&self.key, &self.access_key])
    }

    /// The part of the pool id after `_`, which SRP hashes as the "pool name".
    pub fn srp_pool_name(&self) -> &str {
        self.spec
            .id
            .split_once('_')
            .map(|(_, suffix)| suffix)
            .unwrap_or(&self.spec.id)
    }

    pub fn client(&self, client_id: &str) -> Option<&UserPoolClientSpec> {
        self.spec.clients.iter().find(|c| c.client_id == client_id)
    }

    pub fn group(&self, name: &str) -> Option<&GroupSpec> {
        self.spec.groups.iter().find(|g| g.group_name == name)
    }
}

/// Whether a client allows a flow; Cognito refuses a disabled flow with
/// `InvalidParameterException`.
/// See <https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_InitiateAuth.html>.
pub fn require_flow(
    client: &UserPoolClientSpec,
    flow: ExplicitAuthFlow,
    flow_name: &str,
) -> Result<(), IdpError> {
    if client.explicit_auth_flows.contains(&flow) {
        Ok(())
    } else {
        Err(IdpError::InvalidParameter(format!(
            "{flow_name} flow not enabled for this client"
        )))
    }
}

/// The standard attributes of every user pool, from the OpenID Connect specification.
/// See <https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-attributes.html#cognito-user-pools-standard-attributes>.
pub const STANDARD_ATTRIBUTES: [&str; 18] = [
    "address",
    "birthdate",
    "email",
    "family_name",
    "gender",
    "given_name",
    "locale",
    "middle_name",
    "name",
    "nickname",
    "phone_number",
    "picture",
    "preferred_username",
    "profile",
    "sub",
    "updated_at",
    "website",
    "zoneinfo",
];

/// Whether a client may write an attribute. A client without `WriteAttributes` may write
/// the standard attributes only: a custom attribute is writable only by a client that
/// lists it. `sub` is never writable.
// "When you don't specify the WriteAttributes for your app client, your app can write the
// values of the Standard attributes of your user pool"
// (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html#CognitoUserPools-CreateUserPoolClient-request-WriteAttributes).
pub fn may_write(client: &UserPoolClientSpec, attribute: &str) -> bool {
    attribute != "sub"
        && match &client.write_attributes {
            Some(allowed) => allowed.iter().any(|a| a == attribute),
            None => STANDARD_ATTRIBUTES.contains(&attribute),
        }
}

/// Whether a client may read an attribute (in its users' ID tokens and GetUser); `sub` is
/// always readable. A client without `ReadAttributes` reads the standard attributes and
/// `email_verified` / `phone_number_verified` only: a custom attribute is readable only by
/// a client that lists it, so a mapping rule or principal tag on `custom:*` needs it listed.
// "When you don't specify the ReadAttributes for your app client, your app can read the
// values of email_verified, phone_number_verified, and the standard attributes of your user
// pool"
// (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html#CognitoUserPools-CreateUserPoolClient-request-ReadAttributes).
pub fn may_read(client: &UserPoolClientSpec, attribute: &str) -> bool {
    attribute == "sub"
        || match &client.read_attributes {
            Some(allowed) => allowed.iter().any(|a| a == attribute),
            None => {
                STANDARD_ATTRIBUTES.contains(&attribute)
                    || VERIFICATION_ATTRIBUTES.contains(&attribute)
            }
        }
}

/// The two verification flags a client reads by default.
const VERIFICATION_ATTRIBUTES: [&str; 2] = ["email_verified", "phone_number_verified"];
