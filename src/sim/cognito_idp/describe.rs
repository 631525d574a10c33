//! The user pool reads an audit makes: DescribeUserPool, DescribeUserPoolClient and
//! ListGroups, answered from the world's pool as the API reference shapes them, each
//! authorized by IAM on the pool's ARN.

use super::error::IdpError;
use super::request_body::RequestBody;
use super::service::{CognitoIdpService, authorize_admin};
use super::world::{ExplicitAuthFlow, PreventUserExistenceErrors, TimeUnit, UserPoolClientSpec};
use crate::sim::core::SimCore;
use crate::sim::principal::Principal;
use serde_json::{Value, json};

impl CognitoIdpService {
    /// See <https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DescribeUserPool.html>.
    pub(super) fn describe_user_pool(
        &self,
        core: &dyn SimCore,
        body: &RequestBody,
        caller: Option<&Principal>,
    ) -> Result<Value, IdpError> {
        let pool = self.pool(body.required("UserPoolId")?)?;
        authorize_admin(core, caller, "cognito-idp:DescribeUserPool", pool)?;
        let spec = &pool.spec;
        Ok(json!({
            "UserPool": {
                "Id": spec.id,
                "Name": spec.pool_name,
                "Arn": pool.arn,
                "AdminCreateUserConfig": {
                    "AllowAdminCreateUserOnly": spec.admin_create_user_config.allow_admin_create_user_only,
                },
                "EstimatedNumberOfUsers": spec.users.len(),
            }
        }))
    }

    /// Every group of the pool, with its role: a Token role mapping hands a user the role of
    /// a group they are in, so the audit must read these roles too. One page, in name order.
    /// See <https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListGroups.html>.
    pub(super) fn list_groups(
        &self,
        core: &dyn SimCore,
        body: &RequestBody,
        caller: Option<&Principal>,
    ) -> Result<Value, IdpError> {
        let pool = self.pool(body.required("UserPoolId")?)?;
        authorize_admin(core, caller, "cognito-idp:ListGroups", pool)?;
        let mut groups: Vec<&super::world::GroupSpec> = pool.spec.groups.iter().collect();
        groups.sort_by(|a, b| a.group_name.cmp(&b.group_name));
        let groups: Vec<Value> = groups
            .into_iter()
            .map(|group| {
                let mut entry = json!({"GroupName": group.group_name, "UserPoolId": pool.spec.id});
                if let Some(role) = &group.role_arn {
                    entry["RoleArn"] = json!(role);
                }
                if let Some(precedence) = group.precedence {
                    entry["Precedence"] = json!(precedence);
                }
                if let Some(description) = &group.description {
                    entry["Description"] = json!(description);
                }
                entry
            })
            .collect();
        Ok(json!({ "Groups": groups }))
    }

    /// See <https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DescribeUserPoolClient.html>.
    pub(super) fn describe_user_pool_client(
        &self,
        core: &dyn SimCore,
        body: &RequestBody,
        caller: Option<&Principal>,
    ) -> Result<Value, IdpError> {
        let pool = self.pool(body.required("UserPoolId")?)?;
        authorize_admin(core, caller, "cognito-idp:DescribeUserPoolClient", pool)?;
        let client_id = body.required("ClientId")?;
        let client = pool.client(client_id).ok_or_else(|| {
            IdpError::ResourceNotFound(format!("User pool client {client_id} does not exist."))
        })?;
        Ok(json!({ "UserPoolClient": client_description(pool.id(), client) }))
    }
}

/// The `UserPoolClientType` of a client. Like AWS it carries the client secret, which the
/// caller's IAM permission entitles it to.
/// See <https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UserPoolClientType.html>.
fn client_description(pool_id: &str, client: &UserPoolClientSpec) -> Value {
    let mut value = json!({
        "UserPoolId": pool_id,
        "ClientId": client.client_id,
        "ExplicitAuthFlows": client.explicit_auth_flows.iter().map(|flow| match flow {
            ExplicitAuthFlow::UserPasswordAuth => "ALLOW_USER_PASSWORD_AUTH",
            ExplicitAuthFlow::UserSrpAuth => "ALLOW_USER_SRP_AUTH",
            ExplicitAuthFlow::AdminUserPasswordAuth => "ALLOW_ADMIN_USER_PASSWORD_AUTH",
            ExplicitAuthFlow::RefreshTokenAuth => "ALLOW_REFRESH_TOKEN_AUTH",
            ExplicitAuthFlow::CustomAuth => "ALLOW_CUSTOM_AUTH",
        }).collect::<Vec<_>>(),
        "PreventUserExistenceErrors": match client.prevent_user_existence_errors {
            PreventUserExistenceErrors::Enabled => "ENABLED",
            PreventUserExistenceErrors::Legacy => "LEGACY",
        },
        "RefreshTokenValidity": client.refresh_token_validity.unwrap_or(30),
    });
    let optional = [
        (
            "ClientName",
            client.client_name.as_ref().map(|name| json!(name)),
        ),
        (
            "ClientSecret",
            client
                .client_secret
                .as_ref()
                .map(|secret| json!(secret.expose())),
        ),
        (
            "ReadAttributes",
            client.read_attributes.as_ref().map(|a| json!(a)),
        ),
        (
            "WriteAttributes",
            client.write_attributes.as_ref().map(|a| json!(a)),
        ),
        (
            "IdTokenValidity",
            client.id_token_validity.map(|v| json!(v)),
        ),
        (
            "AccessTokenValidity",
            client.access_token_validity.map(|v| json!(v)),
        ),
    ];
    for (key, field) in optional {
        if let Some(field) = field {
            value[key] = field;
        }
    }
    let units = &client.token_validity_units;
    let unit = |unit: Option<TimeUnit>| {
        unit.map(|unit| match unit {
            TimeUnit::Seconds => "seconds",
            TimeUnit::Minutes => "minutes",
            TimeUnit::Hours => "hours",
            TimeUnit::Days => "days",
        })
    };
    let mut units_value = serde_json::Map::new();
    for (key, field) in [
        ("AccessToken", unit(units.access_token)),
        ("IdToken", unit(units.id_token)),
        ("RefreshToken", unit(units.refresh_token)),
    ] {
        if let Some(field) = field {
            units_value.insert(key.to_owned(), json!(field));
        }
    }
    if !units_value.is_empty() {
        value["TokenValidityUnits"] = Value::Object(units_value);
    }
    value
}
