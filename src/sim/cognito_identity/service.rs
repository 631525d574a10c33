//! The identity pools service: GetId, GetCredentialsForIdentity (enhanced flow) and
//! GetOpenIdToken (basic flow).

use super::describe::{
    authorize_read, describe_identity_pool, identity_pool_arn, identity_pool_roles,
    principal_tag_attribute_map,
};
use super::error::IdentityError;
use super::guest_session_policy::guest_session_policy;
use super::identity_store::IdentityStore;
use super::login::{VerifiedLogin, verify_login};
use super::open_id_token::{AuthenticationMethod, mint_open_id_token, token_issuer};
use super::principal_tags::principal_tags;
use super::request_validation::validate_ids;
use super::role_selection::select_authenticated_role;
use super::world::{IdentityPoolSpec, validate_identity_pools};
use crate::sim::cognito_idp::CognitoIdpService;
use crate::sim::cognito_idp::signing_key::SigningKey;
use crate::sim::cognito_idp::world::world_role_arns;
use crate::sim::core::{SimCore, WebIdentityRequest};
use crate::sim::request::{SimRequest, SimResponse};
use crate::sim::world::{World, WorldError};
use http::StatusCode;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::UNIX_EPOCH;

const JSON_1_1: &str = "application/x-amz-json-1.1";

/// Local staging's Amazon Cognito identity pools.
pub struct CognitoIdentityService {
    pools: BTreeMap<String, IdentityPoolSpec>,
    /// The account that owns each pool (the world's own, or one of `accounts:`).
    pool_accounts: BTreeMap<String, String>,
    user_pools: Arc<CognitoIdpService>,
    key: SigningKey,
    region: String,
    account_id: String,
    identities: Mutex<IdentityStore>,
}

/// The identity behind a request, after its logins were checked.
enum CheckedIdentity {
    Guest,
    Authenticated(VerifiedLogin),
}

impl CognitoIdentityService {
    /// Seeds the identity pools (after checking providers, clients and roles against the
    /// world); keeps the user-pool service to check revoked tokens.
    pub fn from_world(
        world: &World,
        core: &dyn SimCore,
        user_pools: Arc<CognitoIdpService>,
    ) -> Result<Self, WorldError> {
        let role_arns = world_role_arns(world);
        let mut pools = BTreeMap::new();
        let mut pool_accounts = BTreeMap::new();
        for (account, prefix, account_pools) in world.identity_pools_by_account() {
            validate_identity_pools(
                account_pools,
                &world.user_pools,
                &world.region,
                Some(&role_arns),
            )
            .map_err(|e| e.under(&prefix))?;
            for pool in account_pools {
                pools.insert(pool.identity_pool_id.clone(), pool.clone());
                pool_accounts.insert(pool.identity_pool_id.clone(), account.to_string());
            }
        }
        let key = SigningKey::shared("cognito-identity-signing-key");
        core.register_issuer(token_issuer(&key));
        Ok(CognitoIdentityService {
            pools,
            pool_accounts,
            user_pools,
            key,
            region: world.region.clone(),
            account_id: world.account_id.clone(),
            identities: Mutex::new(IdentityStore::default()),
        })
    }

    /// The identity pool ids, in order.
    pub fn identity_pool_ids(&self) -> Vec<String> {
        self.pools.keys().cloned().collect()
    }

    /// Serves `AWSCognitoIdentityService.*` requests.
    pub fn handle(&self, core: &dyn SimCore, request: &SimRequest) -> SimResponse {
        let result = parse_body(&request.body).and_then(|body| {
            validate_ids(&body)?;
            match request.target_operation().unwrap_or_default() {
                "GetId" => self.get_id(core, &body),
                "GetCredentialsForIdentity" => self.get_credentials_for_identity(core, &body),
                "GetOpenIdToken" => self.get_open_id_token(core, &body),
                "DescribeIdentityPool" | "GetIdentityPoolRoles" | "GetPrincipalTagAttributeMap" => {
                    self.configuration_read(core, request, &body)
                }
                other => Err(IdentityError::UnknownOperation(format!(
                    "operation `{other}` is not supported by local staging's identity pools"
                ))),
            }
        });
        match result {
            Ok(value) => SimResponse::json(StatusCode::OK, JSON_1_1, &value),
            Err(error) => error.into_response(),
        }
    }

    /// GetId: the identity of a login (always the same one), or a new guest identity when
    /// guest access is on.
    /// See <https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetId.html>.
    fn get_id(
        &self,
        core: &dyn SimCore,
        body: &Map<String, Value>,
    ) -> Result<Value, IdentityError> {
        let pool = self.pool(required(body, "IdentityPoolId")?)?;
        let checked = self.check_logins(core, pool, body)?;
        let mut identities = self.identities()?;
        let identity_id = match checked {
            CheckedIdentity::Guest => identities.new_guest(&pool.identity_pool_id, &self.region),
            CheckedIdentity::Authenticated(login) => identities.for_login(
                &pool.identity_pool_id,
                &login.provider_name,
                &login.sub,
                &self.region,
            ),
        };
        Ok(json!({ "IdentityId": identity_id }))
    }

    /// GetCredentialsForIdentity, the enhanced flow: picks the role, mints the identity
    /// pool's token and exchanges it with STS.
    /// See <https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetCredentialsForIdentity.html>
    /// and <https://docs.aws.amazon.com/cognito/latest/developerguide/authentication-flow.html>.
    fn get_credentials_for_identity(
        &self,
        core: &dyn SimCore,
        body: &Map<String, Value>,
    ) -> Result<Value, IdentityError> {
        let identity_id = required(body, "IdentityId")?;
        let (pool, checked) = self.resolve_identity(core, identity_id, body)?;
        let now = now_seconds(core);
        let (role_arn, method, tags, session_policy) = match &checked {
            CheckedIdentity::Guest => (
                pool.roles
                    .unauthenticated
                    .clone()
                    .ok_or_else(IdentityError::invalid_configuration)?,
                AuthenticationMethod::Unauthenticated,
                BTreeMap::new(),
                Some(guest_session_policy()),
            ),
            CheckedIdentity::Authenticated(login) => (
                select_authenticated_role(
                    pool,
                    &login.provider_name,
                    &login.client_id,
                    &login.claims,
                    body.get("CustomRoleArn").and_then(Value::as_str),
                )?,
                AuthenticationMethod::Authenticated {
                    provider_name: login.provider_name.clone(),
                    sub: login.sub.clone(),
                },
                principal_tags(pool, &login.provider_name, &login.claims),
                None,
            ),
        };
        let token = mint_open_id_token(
            &self.key,
            &pool.identity_pool_id,
            identity_id,
            &method,
            &tags,
            now,
        )
        .map_err(|e| IdentityError::Internal(e.to_string()))?;
        let issued = core
            .assume_role_with_web_identity(&WebIdentityRequest {
                role_arn,
                role_session_name: "CognitoIdentityCredentials".to_string(),
                web_identity_token: token,
                // One hour on AWS; the world's credentials lifetime in local staging.
                // See <https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetCredentialsForIdentity.html>.
                duration_seconds: None,
                policy: session_policy,
                policy_arns: Vec::new(),
            })
            .map_err(|e| match e.code.as_str() {
                // A role whose trust policy refuses the pool's token.
                // See <https://docs.aws.amazon.com/cognito/latest/developerguide/role-trust-and-permissions.html>.
                "AccessDenied" => IdentityError::invalid_configuration(),
                code => IdentityError::ExternalService(format!(
                    "STS refused the identity pool's token with {code}"
                )),
            })?;
        let expiration = issued
            .expiration
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        Ok(json!({
            "IdentityId": identity_id,
            "Credentials": {
                "AccessKeyId": issued.access_key_id,
                "SecretKey": issued.secret_access_key,
                "SessionToken": issued.session_token,
                "Expiration": expiration,
            }
        }))
    }

    /// GetOpenIdToken, the basic flow: refused when the pool turned the classic flow off.
    /// See <https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetOpenIdToken.html>
    /// and <https://docs.aws.amazon.com/cognito/latest/developerguide/authentication-flow.html#authentication-flow-basic>.
    fn get_open_id_token(
        &self,
        core: &dyn SimCore,
        body: &Map<String, Value>,
    ) -> Result<Value, IdentityError> {
        let identity_id = required(body, "IdentityId")?;
        let (pool, checked) = self.resolve_identity(core, identity_id, body)?;
        if pool.allow_classic_flow == Some(false) {
            return Err(IdentityError::InvalidParameter(
                "Basic (classic) flow is not enabled, please use enhanced flow.".to_string(),
            ));
        }
        let method = match &checked {
            CheckedIdentity::Guest => AuthenticationMethod::Unauthenticated,
            CheckedIdentity::Authenticated(login) => AuthenticationMethod::Authenticated {
                provider_name: login.provider_name.clone(),
                sub: login.sub.clone(),
            },
        };
        let token = mint_open_id_token(
            &self.key,
            &pool.identity_pool_id,
            identity_id,
            &method,
            &BTreeMap::new(),
            now_seconds(core),
        )
        .map_err(|e| IdentityError::Internal(e.to_string()))?;
        Ok(json!({ "IdentityId": identity_id, "Token": token }))
    }

    /// Finds an identity and checks the request's logins against the login it is bound
    /// to. A guest identity presenting a new login is linked to it.
    fn resolve_identity<'s>(
        &'s self,
        core: &dyn SimCore,
        identity_id: &str,
        body: &Map<String, Value>,
    ) -> Result<(&'s IdentityPoolSpec, CheckedIdentity), IdentityError> {
        let not_found =
            || IdentityError::ResourceNotFound(format!("Identity '{identity_id}' not found."));
        let record = self
            .identities()?
            .get(identity_id)
            .cloned()
            .ok_or_else(not_found)?;
        let pool = self.pool(&record.identity_pool_id)?;
        let checked = self.check_logins(core, pool, body)?;
        let mismatch = || {
            IdentityError::NotAuthorized(
                "Logins don't match. Please include at least one valid login for this identity or identity pool."
                    .to_string(),
            )
        };
        match (&record.login, &checked) {
            (Some((provider, sub)), CheckedIdentity::Authenticated(login))
                if *provider == login.provider_name && *sub == login.sub => {}
            (None, CheckedIdentity::Authenticated(login)) => {
                if !self
                    .identities()?
                    .link(identity_id, &login.provider_name, &login.sub)
                {
                    return Err(mismatch());
                }
            }
            (None, CheckedIdentity::Guest) => {}
            _ => return Err(mismatch()),
        }
        Ok((pool, checked))
    }

    /// Checks `Logins`: none means a guest, refused unless guest access is on.
    /// See <https://docs.aws.amazon.com/cognito/latest/developerguide/identity-pools.html#enable-or-disable-unauthenticated-identities>.
    fn check_logins(
        &self,
        core: &dyn SimCore,
        pool: &IdentityPoolSpec,
        body: &Map<String, Value>,
    ) -> Result<CheckedIdentity, IdentityError> {
        match body.get("Logins").and_then(Value::as_object) {
            Some(logins) if !logins.is_empty() => {
                verify_login(core, &self.user_pools, pool, logins, now_seconds(core))
                    .map(CheckedIdentity::Authenticated)
            }
            _ if pool.allow_unauthenticated_identities => Ok(CheckedIdentity::Guest),
            _ => Err(IdentityError::NotAuthorized(
                "Unauthenticated access is not supported for this identity pool.".to_string(),
            )),
        }
    }

    /// The signed configuration reads, authorized by IAM on the pool's ARN before the pool
    /// is looked up (a caller without permission learns nothing of it).
    fn configuration_read(
        &self,
        core: &dyn SimCore,
        request: &SimRequest,
        body: &Map<String, Value>,
    ) -> Result<Value, IdentityError> {
        let operation = request.target_operation().unwrap_or_default();
        let identity_pool_id = required(body, "IdentityPoolId")?;
        let account = self
            .pool_accounts
            .get(identity_pool_id)
            .unwrap_or(&self.account_id);
        let arn = identity_pool_arn(&self.region, account, identity_pool_id);
        authorize_read(
            core,
            request.caller.as_deref(),
            &format!("cognito-identity:{operation}"),
            &arn,
        )?;
        let pool = self.pool(identity_pool_id)?;
        match operation {
            "DescribeIdentityPool" => Ok(describe_identity_pool(pool)),
            "GetIdentityPoolRoles" => Ok(identity_pool_roles(pool)),
            _ => principal_tag_attribute_map(pool, required(body, "IdentityProviderName")?),
        }
    }

    fn pool(&self, identity_pool_id: &str) -> Result<&IdentityPoolSpec, IdentityError> {
        self.pools.get(identity_pool_id).ok_or_else(|| {
            IdentityError::ResourceNotFound(format!("IdentityPool '{identity_pool_id}' not found."))
        })
    }

    fn identities(&self) -> Result<MutexGuard<'_, IdentityStore>, IdentityError> {
        self.identities
            .lock()
            .map_err(|_| IdentityError::Internal("identity store is unavailable".to_string()))
    }
}

fn parse_body(bytes: &[u8]) -> Result<Map<String, Value>, IdentityError> {
    let bytes = if bytes.is_empty() {
        b"{}".as_slice()
    } else {
        bytes
    };
    match serde_json::from_slice(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(IdentityError::Serialization(
            "the request body is not a JSON object".to_string(),
        )),
    }
}

fn required<'b>(body: &'b Map<String, Value>, name: &str) -> Result<&'b str, IdentityError> {
    body.get(name)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| {
            IdentityError::InvalidParameter(format!(
                "1 validation error detected: Value at '{name}' failed to satisfy constraint: Member must not be null"
            ))
        })
}

fn now_seconds(core: &dyn SimCore) -> u64 {
    core.now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}
