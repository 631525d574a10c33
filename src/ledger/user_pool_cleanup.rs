//! Undoing what the identity-layer attacks change in a user pool, with administrative
//! (ambient) credentials: a user's own tokens may be long expired, or, after a tamper,
//! carry the attribute being undone.

use super::record::Resolution;
use crate::error_chain::error_chain;
use aws_sdk_cognitoidentityprovider::types::AttributeType;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

/// One attribute an attack changed.
#[derive(Debug, Clone, Copy)]
pub struct UserAttributeChange<'a> {
    pub user_pool_id: &'a str,
    pub username: &'a str,
    pub attribute: &'a str,
    pub original: &'a str,
    pub tampered: &'a str,
}

/// Restores the attribute to its original value while it holds the tampered one: a value
/// that is neither was changed by someone else since, and is left alone.
// AdminGetUser reads every attribute and AdminUpdateUserAttributes writes any mutable one,
// WriteAttributes notwithstanding
// (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminGetUser.html,
// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminUpdateUserAttributes.html).
pub async fn restore_user_attribute(
    client: &aws_sdk_cognitoidentityprovider::Client,
    change: UserAttributeChange<'_>,
) -> Result<Resolution, String> {
    let UserAttributeChange {
        user_pool_id,
        username,
        attribute,
        original,
        tampered,
    } = change;
    let user = match client
        .admin_get_user()
        .user_pool_id(user_pool_id)
        .username(username)
        .send()
        .await
    {
        Ok(user) => user,
        Err(error) if error.code() == Some("UserNotFoundException") => {
            return Ok(Resolution::NotOurs);
        }
        Err(error) => {
            return Err(format!(
                "failed to read user `{username}` in user pool `{user_pool_id}`: {}",
                error_chain(&error)
            ));
        }
    };
    let current = user
        .user_attributes()
        .iter()
        .find(|held| held.name() == attribute)
        .and_then(|held| held.value());
    if current == Some(original) {
        return Ok(Resolution::NotCreated);
    }
    if current != Some(tampered) {
        return Ok(Resolution::NotOurs);
    }
    let restored = AttributeType::builder()
        .name(attribute)
        .value(original)
        .build()
        .map_err(|error| format!("failed to build the attribute `{attribute}`: {error}"))?;
    client
        .admin_update_user_attributes()
        .user_pool_id(user_pool_id)
        .username(username)
        .user_attributes(restored)
        .send()
        .await
        .map(|_| Resolution::Removed)
        .map_err(|error| {
            format!(
                "failed to restore `{attribute}` of user `{username}` in user pool `{user_pool_id}`: {}",
                error_chain(&error)
            )
        })
}

/// Deletes a user an attack signed up; one already gone was never created or is removed.
// AdminDeleteUser answers UserNotFoundException for a user that does not exist
// (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminDeleteUser.html#API_AdminDeleteUser_Errors).
pub async fn delete_signed_up_user(
    client: &aws_sdk_cognitoidentityprovider::Client,
    user_pool_id: &str,
    username: &str,
) -> Result<Resolution, String> {
    match client
        .admin_delete_user()
        .user_pool_id(user_pool_id)
        .username(username)
        .send()
        .await
    {
        Ok(_) => Ok(Resolution::Removed),
        Err(error) if error.code() == Some("UserNotFoundException") => Ok(Resolution::NotCreated),
        Err(error) => Err(format!(
            "failed to delete user `{username}` in user pool `{user_pool_id}`: {}",
            error_chain(&error)
        )),
    }
}
