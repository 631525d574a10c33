//! Local staging's cognito_idp service.

pub mod world;

use super::core::SimCore;
use super::request::{SimRequest, SimResponse};
use super::world::{World, WorldError};

/// CONTRACT PLACEHOLDER: the Cognito work replaces this with the real service.
pub struct CognitoIdpService {}

impl CognitoIdpService {
    /// Seeds the user pools and registers each pool as a token issuer with the core.
    pub fn from_world(_world: &World, _core: &dyn SimCore) -> Result<Self, WorldError> {
        Ok(CognitoIdpService {})
    }

    /// Serves `AWSCognitoIdentityProviderService.*` requests and the pools' public
    /// `/{poolId}/.well-known/jwks.json` and `openid-configuration` documents.
    pub fn handle(&self, _core: &dyn SimCore, request: &SimRequest) -> SimResponse {
        SimResponse::json_error(
            http::StatusCode::NOT_IMPLEMENTED,
            "application/x-amz-json-1.1",
            "NotImplemented",
            &format!("{} is not implemented yet", request.raw_path),
        )
    }
}
