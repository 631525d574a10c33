//! Local staging's Amazon Cognito identity pools: identities, role selection (default
//! roles, Token and Rules mappings), principal tags, and the exchange of an identity
//! pool token for credentials through STS.

pub mod describe;
pub mod error;
mod guest_session_policy;
mod identity_store;
mod login;
pub mod open_id_token;
pub mod principal_tags;
mod request_validation;
pub mod role_selection;
mod service;
pub mod world;

pub use service::CognitoIdentityService;

#[cfg(test)]
mod service_tests;
