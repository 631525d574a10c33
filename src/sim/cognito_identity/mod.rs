//! Local staging's cognito_identity service.

pub mod world;

use super::cognito_idp::CognitoIdpService;
use super::core::SimCore;
use super::request::{SimRequest, SimResponse};
use super::world::{World, WorldError};
use std::sync::Arc;

/// CONTRACT PLACEHOLDER: the Cognito work replaces this with the real service.
pub struct CognitoIdentityService {}

impl CognitoIdentityService {
    /// Seeds the identity pools; keeps the user-pool service to check revoked tokens.
    pub fn from_world(
        _world: &World,
        _core: &dyn SimCore,
        _user_pools: Arc<CognitoIdpService>,
    ) -> Result<Self, WorldError> {
        Ok(CognitoIdentityService {})
    }

    /// Serves `AWSCognitoIdentityService.*` requests.
    pub fn handle(&self, _core: &dyn SimCore, request: &SimRequest) -> SimResponse {
        SimResponse::json_error(
            http::StatusCode::NOT_IMPLEMENTED,
            "application/x-amz-json-1.1",
            "NotImplemented",
            &format!("{} is not implemented yet", request.raw_path),
        )
    }
}
