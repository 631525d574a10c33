//! The world file's `user_pools` section: user pools as CreateUserPool, CreateUserPoolClient,
//! CreateGroup and AdminCreateUser describe them, so a real configuration can be transcribed.

use serde::Deserialize;
use std::collections::BTreeSet;

use crate::secret::SecretString;
use crate::sim::world::{World, WorldError};

/// The ARNs of the world's IAM roles, `arn:aws:iam::ACCOUNT:role{Path}{RoleName}`, which
/// group roles and identity pool roles must name.
/// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns>.
pub fn world_role_arns(world: &World) -> BTreeSet<String> {
    let accounts = std::iter::once((&world.account_id, &world.iam)).chain(
        world
            .accounts
            .iter()
            .map(|account| (&account.account_id, &account.iam)),
    );
    accounts
        .flat_map(|(account_id, iam)| {
            iam.roles.iter().map(move |role| {
                let path = role.path.as_deref().unwrap_or("/");
                format!("arn:aws:iam::{account_id}:role{path}{}", role.role_name)
            })
        })
        .collect()
}

/// One user pool.
/// See <https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UserPoolType.html>.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct UserPoolSpec {
    /// `REGION_suffix`, for example `us-east-1_AbC123def`.
    pub id: String,
    pub pool_name: String,
    #[serde(default)]
    pub clients: Vec<UserPoolClientSpec>,
    #[serde(default)]
    pub admin_create_user_config: AdminCreateUserConfig,
    /// The pool's attribute schema, as CreateUserPool's `Schema`; only what local staging
    /// uses (`Name`, `Mutable`, and the descriptive `AttributeDataType`) is read.
    #[serde(default)]
    pub schema: Vec<SchemaAttributeSpec>,
    /// Local staging only: confirms every self-signed-up user at once, as a pre sign-up
    /// Lambda trigger returning `autoConfirmUser: true` would
    /// (https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-sign-up.html).
    #[serde(default)]
    pub auto_confirm_sign_up: bool,
    /// Local staging only: the code ConfirmSignUp accepts (a real pool sends a code to the
    /// user; local staging sends nothing). Without it ConfirmSignUp confirms no code.
    #[serde(default)]
    pub sign_up_confirmation_code: Option<String>,
    #[serde(default)]
    pub groups: Vec<GroupSpec>,
    #[serde(default)]
    pub users: Vec<UserSpec>,
}

/// An app client.
/// See <https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UserPoolClientType.html>.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct UserPoolClientSpec {
    pub client_id: String,
    #[serde(default)]
    pub client_name: Option<String>,
    #[serde(default, deserialize_with = "optional_secret")]
    pub client_secret: Option<SecretString>,
    #[serde(default)]
    pub explicit_auth_flows: Vec<ExplicitAuthFlow>,
    /// Attributes the client may write; `None` lets it write the standard attributes only,
    /// as a client created without `WriteAttributes` does.
    #[serde(default)]
    pub write_attributes: Option<Vec<String>>,
    /// Attributes the client may read; `None` lets it read the standard attributes and
    /// `email_verified` / `phone_number_verified`, as a client created without
    /// `ReadAttributes` does: custom attributes then reach no token.
    #[serde(default)]
    pub read_attributes: Option<Vec<String>>,
    /// In `TokenValidityUnits.IdToken` (hours by default); AWS's default is one hour.
    #[serde(default)]
    pub id_token_validity: Option<u64>,
    /// In `TokenValidityUnits.AccessToken` (hours by default); AWS's default is one hour.
    #[serde(default)]
    pub access_token_validity: Option<u64>,
    /// In `TokenValidityUnits.RefreshToken` (days by default); AWS's default is 30 days.
    #[serde(default)]
    pub refresh_token_validity: Option<u64>,
    #[serde(default)]
    pub token_validity_units: TokenValidityUnits,
    /// `ENABLED` hides whether a user exists; `LEGACY` (the API's default) reveals it.
    #[serde(default)]
    pub prevent_user_existence_errors: PreventUserExistenceErrors,
}

/// The units of a client's token validities.
/// See <https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_TokenValidityUnitsType.html>.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct TokenValidityUnits {
    #[serde(default)]
    pub access_token: Option<TimeUnit>,
    #[serde(default)]
    pub id_token: Option<TimeUnit>,
    #[serde(default)]
    pub refresh_token: Option<TimeUnit>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TimeUnit {
    Seconds,
    Minutes,
    Hours,
    Days,
}

impl TimeUnit {
    pub fn seconds(self) -> u64 {
        match self {
            TimeUnit::Seconds => 1,
            TimeUnit::Minutes => 60,
            TimeUnit::Hours => 3600,
            TimeUnit::Days => 86_400,
        }
    }
}

impl UserPoolClientSpec {
    /// The ID token lifetime in seconds: one hour unless configured, in hours unless
    /// `TokenValidityUnits` says otherwise.
    /// See <https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html#CognitoUserPools-CreateUserPoolClient-request-IdTokenValidity>.
    pub fn id_token_seconds(&self) -> u64 {
        let unit = self
            .token_validity_units
            .id_token
            .unwrap_or(TimeUnit::Hours);
        self.id_token_validity.map_or(3600, |v| v * unit.seconds())
    }

    /// The access token lifetime in seconds, with the same defaults as the ID token.
    pub fn access_token_seconds(&self) -> u64 {
        let unit = self
            .token_validity_units
            .access_token
            .unwrap_or(TimeUnit::Hours);
        self.access_token_validity
            .map_or(3600, |v| v * unit.seconds())
    }

    /// The refresh token lifetime in seconds: 30 days unless configured, in days unless
    /// `TokenValidityUnits` says otherwise.
    /// See <https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html#CognitoUserPools-CreateUserPoolClient-request-RefreshTokenValidity>.
    pub fn refresh_token_seconds(&self) -> u64 {
        let unit = self
            .token_validity_units
            .refresh_token
            .unwrap_or(TimeUnit::Days);
        self.refresh_token_validity
            .map_or(30 * 86_400, |v| v * unit.seconds())
    }
}

/// The sign-in flows a client allows.
/// See <https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html#CognitoUserPools-CreateUserPoolClient-request-ExplicitAuthFlows>.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum ExplicitAuthFlow {
    #[serde(rename = "ALLOW_USER_PASSWORD_AUTH")]
    UserPasswordAuth,
    #[serde(rename = "ALLOW_USER_SRP_AUTH")]
    UserSrpAuth,
    #[serde(rename = "ALLOW_ADMIN_USER_PASSWORD_AUTH")]
    AdminUserPasswordAuth,
    #[serde(rename = "ALLOW_REFRESH_TOKEN_AUTH")]
    RefreshTokenAuth,
    /// The custom flow (`CUSTOM_AUTH`), answered with `CUSTOM_CHALLENGE` (`custom_auth.rs`).
    #[serde(rename = "ALLOW_CUSTOM_AUTH")]
    CustomAuth,
}

/// Whether sign-in errors reveal that a user does not exist. A client created through the
/// API without the setting is `LEGACY`.
/// See <https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-managing-errors.html>.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PreventUserExistenceErrors {
    Enabled,
    #[default]
    Legacy,
}

/// See <https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminCreateUserConfigType.html>.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct AdminCreateUserConfig {
    /// When true, only administrators create users: SignUp is refused.
    #[serde(default)]
    pub allow_admin_create_user_only: bool,
}

/// One attribute of a pool's schema.
/// See <https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SchemaAttributeType.html>.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct SchemaAttributeSpec {
    /// The name without the `custom:` prefix for a custom attribute, as CreateUserPool
    /// takes it (`tenant_id` is the attribute `custom:tenant_id`); a standard attribute's
    /// name otherwise.
    pub name: String,
    #[serde(default)]
    pub attribute_data_type: Option<String>,
    /// False: the value is set at sign-up or by an administrator's creation only, and no
    /// later write changes it. AWS's default is true.
    #[serde(default = "mutable_by_default")]
    pub mutable: bool,
}

fn mutable_by_default() -> bool {
    true
}

impl UserPoolSpec {
    /// Whether the attribute named `attribute` (`custom:tenant_id`, `email`) may change
    /// after the user exists: false only for a schema attribute declared `Mutable: false`.
    // Mutable: "If false, the attribute value can only be set up on sign-up or administrator
    // creation of users" (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SchemaAttributeType.html#CognitoUserPools-Type-SchemaAttributeType-Mutable).
    pub fn is_mutable(&self, attribute: &str) -> bool {
        !self.schema.iter().any(|declared| {
            !declared.mutable
                && (declared.name == attribute
                    || attribute.strip_prefix("custom:") == Some(declared.name.as_str()))
        })
    }
}

/// A group; its role feeds the `cognito:roles` and `cognito:preferred_role` claims.
/// See <https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GroupType.html>.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct GroupSpec {
    pub group_name: String,
    #[serde(default)]
    pub precedence: Option<u32>,
    #[serde(default)]
    pub role_arn: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
}

/// A user as AdminCreateUser and AdminSetUserPassword leave it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct UserSpec {
    pub username: String,
    #[serde(deserialize_with = "secret")]
    pub password: SecretString,
    #[serde(default)]
    pub user_status: UserStatus,
    #[serde(default)]
    pub attributes: Vec<AttributeSpec>,
    #[serde(default)]
    pub groups: Vec<String>,
}

/// See <https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UserType.html>.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub enum UserStatus {
    #[default]
    #[serde(rename = "CONFIRMED")]
    Confirmed,
    #[serde(rename = "FORCE_CHANGE_PASSWORD")]
    ForceChangePassword,
    #[serde(rename = "UNCONFIRMED")]
    Unconfirmed,
}

impl UserStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            UserStatus::Confirmed => "CONFIRMED",
            UserStatus::ForceChangePassword => "FORCE_CHANGE_PASSWORD",
            UserStatus::Unconfirmed => "UNCONFIRMED",
        }
    }
}

/// A user attribute such as `email` or `custom:tenant_id`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct AttributeSpec {
    pub name: String,
    pub value: String,
}

/// Checks the pools' ids, references between clients, groups and users, and that every
/// group role is one of `role_arns`; `None` skips the role check (no IAM section known).
pub fn validate_user_pools(
    pools: &[UserPoolSpec],
    region: &str,
    role_arns: Option<&BTreeSet<String>>,
) -> Result<(), WorldError> {
    let mut pool_ids = BTreeSet::new();
    let mut client_ids = BTreeSet::new();
    for (p, pool) in pools.iter().enumerate() {
        let at = |field: &str| format!("user_pools[{p}].{field}");
        // User pool ids are `REGION_` followed by the pool's suffix.
        // See <https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UserPoolType.html#CognitoUserPools-Type-UserPoolType-Id>.
        let suffix_ok = pool
            .id
            .strip_prefix(region)
            .and_then(|rest| rest.strip_prefix('_'))
            .is_some_and(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric()));
        if !suffix_ok {
            return Err(world_error(
                at("Id"),
                format!(
                    "user pool id `{}` is not `{region}_` followed by letters and digits",
                    pool.id
                ),
            ));
        }
        if !pool_ids.insert(pool.id.clone()) {
            return Err(world_error(
                at("Id"),
                format!("duplicate user pool id `{}`", pool.id),
            ));
        }
        for (c, client) in pool.clients.iter().enumerate() {
            if client.client_id.is_empty() || !client_ids.insert(client.client_id.clone()) {
                return Err(world_error(
                    at(&format!("Clients[{c}].ClientId")),
                    format!("client id `{}` is empty or used twice", client.client_id),
                ));
            }
        }
        let mut group_names = BTreeSet::new();
        for (g, group) in pool.groups.iter().enumerate() {
            if !group_names.insert(group.group_name.as_str()) {
                return Err(world_error(
                    at(&format!("Groups[{g}].GroupName")),
                    format!("duplicate group `{}`", group.group_name),
                ));
            }
            if let (Some(role), Some(known)) = (&group.role_arn, role_arns)
                && !known.contains(role)
            {
                return Err(world_error(
                    at(&format!("Groups[{g}].RoleArn")),
                    format!("role `{role}` is not defined in `iam.roles`"),
                ));
            }
        }
        let mut usernames = BTreeSet::new();
        for (u, user) in pool.users.iter().enumerate() {
            if user.username.is_empty() || !usernames.insert(user.username.as_str()) {
                return Err(world_error(
                    at(&format!("Users[{u}].Username")),
                    format!("username `{}` is empty or used twice", user.username),
                ));
            }
            for (i, group) in user.groups.iter().enumerate() {
                if !group_names.contains(group.as_str()) {
                    return Err(world_error(
                        at(&format!("Users[{u}].Groups[{i}]")),
                        format!("group `{group}` is not defined in this user pool"),
                    ));
                }
            }
            for (i, attribute) in user.attributes.iter().enumerate() {
                if attribute.name == "sub" {
                    return Err(world_error(
                        at(&format!("Users[{u}].Attributes[{i}].Name")),
                        "`sub` is assigned by the user pool and cannot be set".to_string(),
                    ));
                }
            }
        }
    }
    Ok(())
}

fn secret<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<SecretString, D::Error> {
    String::deserialize(deserializer).map(SecretString::new)
}

fn optional_secret<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<SecretString>, D::Error> {
    Option::<String>::deserialize(deserializer).map(|s| s.map(SecretString::new))
}

fn world_error(path: String, message: String) -> WorldError {
    WorldError { path, message }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool(yaml: &str) -> Vec<UserPoolSpec> {
        serde_yaml::from_str(yaml).expect("valid yaml")
    }

    #[test]
    fn a_transcribed_pool_parses_with_aws_field_names() {
        let pools = pool(
            r#"
- Id: us-east-1_AbC123def
  PoolName: tenants
  AdminCreateUserConfig: { AllowAdminCreateUserOnly: true }
  Clients:
    - ClientId: web
      ExplicitAuthFlows: [ALLOW_USER_SRP_AUTH, ALLOW_REFRESH_TOKEN_AUTH]
      WriteAttributes: [email]
  Groups:
    - { GroupName: acme, Precedence: 1, RoleArn: "arn:aws:iam::111122223333:role/Acme" }
  Users:
    - Username: alice
      Password: "Passw0rd!"
      Attributes: [{ Name: "custom:tenant_id", Value: acme }]
      Groups: [acme]
"#,
        );
        assert!(validate_user_pools(&pools, "us-east-1", None).is_ok());
        assert!(
            pools[0]
                .admin_create_user_config
                .allow_admin_create_user_only
        );
        assert_eq!(
            pools[0].clients[0].explicit_auth_flows,
            vec![
                ExplicitAuthFlow::UserSrpAuth,
                ExplicitAuthFlow::RefreshTokenAuth
            ]
        );
        assert!(!format!("{:?}", pools[0].users[0]).contains("Passw0rd"));
    }

    #[test]
    fn a_user_in_an_undefined_group_is_reported_with_its_key_path() {
        let pools = pool(
            r#"
- Id: us-east-1_Pool1
  PoolName: p
  Users: [{ Username: bob, Password: x, Groups: [ghost] }]
"#,
        );
        let error = validate_user_pools(&pools, "us-east-1", None).unwrap_err();
        assert_eq!(error.path, "user_pools[0].Users[0].Groups[0]");
    }

    #[test]
    fn a_group_role_missing_from_iam_is_reported() {
        let pools = pool(
            r#"
- Id: us-east-1_Pool1
  PoolName: p
  Groups: [{ GroupName: g, RoleArn: "arn:aws:iam::111122223333:role/Missing" }]
"#,
        );
        let known = BTreeSet::from(["arn:aws:iam::111122223333:role/Other".to_string()]);
        let error = validate_user_pools(&pools, "us-east-1", Some(&known)).unwrap_err();
        assert_eq!(error.path, "user_pools[0].Groups[0].RoleArn");
    }

    #[test]
    fn a_pool_id_from_another_region_is_refused() {
        let pools = pool("- { Id: eu-west-1_Pool1, PoolName: p }");
        let error = validate_user_pools(&pools, "us-east-1", None).unwrap_err();
        assert_eq!(error.path, "user_pools[0].Id");
    }

    #[test]
    fn token_validities_default_to_hours_and_days_and_follow_their_units() {
        let pools = pool(
            r#"
- Id: us-east-1_Pool1
  PoolName: p
  Clients:
    - { ClientId: a }
    - { ClientId: b, IdTokenValidity: 2, AccessTokenValidity: 5, RefreshTokenValidity: 60,
        TokenValidityUnits: { AccessToken: minutes, RefreshToken: minutes } }
"#,
        );
        let (a, b) = (&pools[0].clients[0], &pools[0].clients[1]);
        assert_eq!(
            (a.id_token_seconds(), a.access_token_seconds()),
            (3600, 3600)
        );
        assert_eq!(a.refresh_token_seconds(), 30 * 86_400);
        assert_eq!(b.id_token_seconds(), 7200);
        assert_eq!(b.access_token_seconds(), 300);
        assert_eq!(b.refresh_token_seconds(), 3600);
    }

    #[test]
    fn unknown_keys_are_errors() {
        let parsed: Result<Vec<UserPoolSpec>, _> =
            serde_yaml::from_str("- { Id: us-east-1_P, PoolName: p, Colour: red }");
        assert!(parsed.is_err());
    }
}
