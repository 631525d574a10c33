//! Local staging's Secrets Manager: the JSON 1.1 API over secrets with versions, staging
//! labels, tags and resource policies, authorized before anything is revealed.

mod access;
pub(crate) mod arn_suffix;
mod batch_get_secret_value;
mod create_secret;
mod delete_secret;
mod describe_secret;
mod get_secret_value;
mod list_secrets;
mod put_secret_value;
mod secret_record;
mod secret_value;
mod secrets_error;
mod secrets_state;
mod service;
mod update_secret_version_stage;
pub mod world;

pub use secrets_error::SecretsError;
pub use service::SecretsService;

#[cfg(test)]
mod service_tests;
