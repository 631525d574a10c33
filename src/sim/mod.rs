//! Local staging: an AWS emulator on 127.0.0.1 that speaks the real wire protocols and
//! enforces IAM as AWS documents it. The harness reaches it only over HTTP through the SDK.

pub mod cognito_identity;
pub mod cognito_idp;
pub mod core;
pub mod dynamodb;
pub mod iam;
pub mod iam_world;
pub mod principal;
pub mod request;
pub mod s3;
pub mod secrets;
pub mod world;
