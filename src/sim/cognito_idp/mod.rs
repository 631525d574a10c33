//! Local staging's Amazon Cognito user pools: sign-in flows (password, SRP, refresh,
//! new-password challenge), RS256 tokens with group roles, JWKS, and the user operations
//! tenants can abuse (self sign-up, attribute updates).

mod admin_user_operations;
mod auth_flows;
mod custom_auth;
mod describe;
pub mod error;
pub mod group_roles;
mod password_policy;
mod request_body;
pub mod secret_hash;
mod service;
pub mod signing_key;
pub mod srp;
mod state;
mod tokens;
mod user_operations;
mod user_pool;
mod user_record;
mod well_known;
pub mod world;

pub use service::{CognitoIdpService, UserPoolSummary};

#[cfg(test)]
pub(crate) mod service_tests;
/// The independent SRP client lives with the integration tests, which drive it through
/// the SDK; the unit tests include the same file.
#[cfg(test)]
#[path = "../../../tests/sim/cognito_srp_client.rs"]
mod srp_test_client;
#[cfg(test)]
pub(crate) mod test_core;
