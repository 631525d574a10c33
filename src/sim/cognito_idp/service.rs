//! The user pools service: request routing, seeding from the world, and the state shared
//! by the operations.

use super::error::{IdpError, JSON_1_1};
use super::request_body::RequestBody;
use super::state::IdpState;
use super::user_pool::UserPool;
use super::user_record::UserRecord;
use super::well_known::well_known_document;
use super::world::{UserPoolClientSpec, UserPoolSpec, validate_user_pools, world_role_arns};
use crate::sim::core::{AccessRequest, SimCore, TokenIssuer};
use crate::sim::iam::RequestContext;
use crate::sim::principal::Principal;
use crate::sim::request::{SimRequest, SimResponse};
use crate::sim::world::{World, WorldError};
use http::StatusCode;
use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard};
use std::time::UNIX_EPOCH;

/// Local staging's Amazon Cognito user pools.
pub struct CognitoIdpService {
    pub(super) pools: BTreeMap<String, UserPool>,
    /// Client id to the id of the pool that owns it.
    pub(super) client_pools: BTreeMap<String, String>,
    pub(super) state: Mutex<IdpState>,
}

/// One pool and its clients, for `xtenant sim serve`'s ready line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserPoolSummary {
    pub pool_id: String,
    pub pool_name: String,
    pub client_ids: Vec<String>,
}

impl UserPoolSummary {
    /// The pools and client ids a world declares, for a ready line printed without a
    /// running service.
    pub fn from_world(world: &World) -> Vec<UserPoolSummary> {
        world.user_pools.iter().map(UserPoolSummary::of).collect()
    }

    fn of(spec: &UserPoolSpec) -> UserPoolSummary {
        UserPoolSummary {
            pool_id: spec.id.clone(),
            pool_name: spec.pool_name.clone(),
            client_ids: spec.clients.iter().map(|c| c.client_id.clone()).collect(),
        }
    }
}

impl CognitoIdpService {
    /// Seeds the user pools (after checking them, group roles included, against the
    /// world) and registers each pool as a token issuer with the core.
    pub fn from_world(world: &World, core: &dyn SimCore) -> Result<Self, WorldError> {
        validate_user_pools(
            &world.user_pools,
            &world.region,
            Some(&world_role_arns(world)),
        )?;
        let mut pools = BTreeMap::new();
        let mut client_pools = BTreeMap::new();
        let mut state = IdpState::default();
        for spec in &world.user_pools {
            let pool = UserPool::new(spec.clone(), &world.region, &world.account_id);
            for client in &spec.clients {
                client_pools.insert(client.client_id.clone(), spec.id.clone());
            }
            let users = state.users.entry(spec.id.clone()).or_default();
            for user in &spec.users {
                users.insert(user.username.clone(), UserRecord::from_spec(user));
            }
            // A user pool is an OIDC provider whose IAM principal is its provider ARN.
            // See <https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_oidc.html>.
            core.register_issuer(TokenIssuer {
                issuer: pool.issuer.clone(),
                jwks: pool.jwks(),
                client_ids: spec.clients.iter().map(|c| c.client_id.clone()).collect(),
                federated_principal: format!(
                    "arn:aws:iam::{}:oidc-provider/{}",
                    world.account_id,
                    pool.issuer.trim_start_matches("https://")
                ),
            });
            pools.insert(spec.id.clone(), pool);
        }
        Ok(CognitoIdpService {
            pools,
            client_pools,
            state: Mutex::new(state),
        })
    }

    /// The pools and their client ids, in pool id order.
    pub fn summary(&self) -> Vec<UserPoolSummary> {
        self.pools
            .values()
            .map(|pool| UserPoolSummary::of(&pool.spec))
            .collect()
    }

    /// Whether a global sign-out revoked the sign-in a token came from (its `origin_jti`).
    /// Identity pools with ServerSideTokenCheck ask this. Fails closed: a poisoned lock
    /// counts as revoked.
    pub fn is_sign_in_revoked(&self, origin_jti: &str) -> bool {
        match self.state.lock() {
            Ok(state) => state.revoked_sign_ins.contains(origin_jti),
            Err(_) => true,
        }
    }

    /// Serves `AWSCognitoIdentityProviderService.*` requests and the pools' public
    /// `/{poolId}/.well-known/jwks.json` and `openid-configuration` documents.
    pub fn handle(&self, core: &dyn SimCore, request: &SimRequest) -> SimResponse {
        if request.method == http::Method::GET && request.raw_path.contains("/.well-known/") {
            return well_known_document(self, request);
        }
        let result = RequestBody::parse(&request.body).and_then(|body| {
            let operation = request.target_operation().unwrap_or_default();
            self.dispatch(core, operation, &body, request.caller.as_deref())
        });
        match result {
            Ok(value) => SimResponse::json(StatusCode::OK, JSON_1_1, &value),
            Err(error) => error.into_response(),
        }
    }

    fn dispatch(
        &self,
        core: &dyn SimCore,
        operation: &str,
        body: &RequestBody,
        caller: Option<&Principal>,
    ) -> Result<serde_json::Value, IdpError> {
        match operation {
            "InitiateAuth" => self.initiate_auth(core, body),
            "AdminInitiateAuth" => self.admin_initiate_auth(core, body, caller),
            "RespondToAuthChallenge" => self.respond_to_auth_challenge(core, body),
            "SignUp" => self.sign_up(body),
            "ConfirmSignUp" => self.confirm_sign_up(body),
            "AdminConfirmSignUp" => self.admin_confirm_sign_up(core, body, caller),
            "AdminGetUser" => self.admin_get_user(core, body, caller),
            "AdminUpdateUserAttributes" => self.admin_update_user_attributes(core, body, caller),
            "AdminDeleteUser" => self.admin_delete_user(core, body, caller),
            "GetUser" => self.get_user(core, body),
            "UpdateUserAttributes" => self.update_user_attributes(core, body),
            "DeleteUser" => self.delete_user(core, body),
            "GlobalSignOut" => self.global_sign_out(core, body),
            "AdminUserGlobalSignOut" => self.admin_user_global_sign_out(core, body, caller),
            "DescribeUserPool" => self.describe_user_pool(core, body, caller),
            "DescribeUserPoolClient" => self.describe_user_pool_client(core, body, caller),
            "ListGroups" => self.list_groups(core, body, caller),
            other => Err(IdpError::UnknownOperation(format!(
                "operation `{other}` is not supported by local staging's user pools"
            ))),
        }
    }

    pub(super) fn lock(&self) -> Result<MutexGuard<'_, IdpState>, IdpError> {
        self.state
            .lock()
            .map_err(|_| IdpError::Internal("user pool state is unavailable".to_string()))
    }

    /// The pool and client of a public request; an unknown client is
    /// `ResourceNotFoundException`.
    pub(super) fn pool_client(
        &self,
        client_id: &str,
    ) -> Result<(&UserPool, &UserPoolClientSpec), IdpError> {
        self.client_pools
            .get(client_id)
            .and_then(|pool_id| self.pools.get(pool_id))
            .and_then(|pool| pool.client(client_id).map(|client| (pool, client)))
            .ok_or_else(|| {
                IdpError::ResourceNotFound(format!("User pool client {client_id} does not exist."))
            })
    }

    pub(super) fn pool(&self, pool_id: &str) -> Result<&UserPool, IdpError> {
        self.pools.get(pool_id).ok_or_else(|| {
            IdpError::ResourceNotFound(format!("User pool {pool_id} does not exist."))
        })
    }

    /// The pool whose access-token key is `kid`.
    pub(super) fn pool_by_key_id(&self, kid: &str) -> Option<&UserPool> {
        self.pools
            .values()
            .find(|pool| pool.access_key.kid() == kid)
    }

    pub(super) fn pools(&self) -> impl Iterator<Item = &UserPool> {
        self.pools.values()
    }
}

/// The core's clock in whole seconds since the epoch.
pub(super) fn now_seconds(core: &dyn SimCore) -> u64 {
    core.now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Authorizes a signed administrative call with IAM on the pool's ARN. Unsigned calls are
/// refused before IAM is asked.
/// See <https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncognitouserpools.html>.
pub(super) fn authorize_admin(
    core: &dyn SimCore,
    caller: Option<&Principal>,
    action: &str,
    pool: &UserPool,
) -> Result<(), IdpError> {
    let Some(principal) = caller else {
        return Err(IdpError::MissingAuthenticationToken(
            "Request is missing Authentication Token".to_string(),
        ));
    };
    let evaluation = core.authorize(&AccessRequest {
        principal,
        action,
        resource: &pool.arn,
        context: RequestContext::new(),
        resource_policy: None,
    });
    if evaluation.is_allowed() {
        return Ok(());
    }
    // The denial message names the caller, the action, the resource and the reason.
    // See <https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html>.
    let reason = evaluation.denial_reason(action).unwrap_or_default();
    Err(IdpError::AccessDenied(format!(
        "User: {} is not authorized to perform: {action} on resource: {} {reason}",
        principal.arn, pool.arn
    )))
}
