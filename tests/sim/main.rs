//! Local staging's integration tests: one binary, one module per area, all driving the
//! running server through the real AWS SDK clients.

mod support;

mod audit_reads;
mod cognito;
mod cognito_custom_auth;
mod cognito_srp_client;
mod cognito_user_admin;
mod cross_account;
mod dynamodb;
mod dynamodb_capacity;
mod dynamodb_numbers;
mod explain_command;
mod front_door;
mod malformed_requests;
mod readme_operations;
mod s3;
mod secrets;
mod serve_command;
mod sts;
mod tls;
mod world_docs;
