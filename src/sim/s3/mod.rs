//! Local staging's s3 service.

pub mod world;

use super::core::SimCore;
use super::request::{SimRequest, SimResponse};
use super::world::{World, WorldError};

/// CONTRACT PLACEHOLDER: the service work replaces this with the real service.
pub struct S3Service {}

impl S3Service {
    /// Seeds the service from the world file.
    pub fn from_world(_world: &World, _core: &dyn SimCore) -> Result<Self, WorldError> {
        Ok(S3Service {})
    }

    /// Serves one verified request routed to this service.
    pub fn handle(&self, _core: &dyn SimCore, request: &SimRequest) -> SimResponse {
        SimResponse::json_error(
            http::StatusCode::NOT_IMPLEMENTED,
            "application/x-amz-json-1.1",
            "NotImplemented",
            &format!("{} is not implemented yet", request.raw_path),
        )
    }
}
