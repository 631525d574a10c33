//! Local staging: an AWS emulator on 127.0.0.1 that speaks the real wire protocols and
//! enforces IAM as AWS documents it. The harness reaches it only over HTTP through the SDK.

pub mod account_world;
pub mod auth_error;
pub mod authorization;
pub mod aws_chunked;
pub mod cli;
pub mod clock;
pub mod cognito_identity;
pub mod cognito_idp;
pub mod core;
pub mod dynamodb;
pub mod explain;
pub mod explain_resource;
pub mod front_door;
pub mod iam;
pub mod iam_api;
pub mod iam_store;
pub mod iam_world;
pub mod internal_failure;
pub mod principal;
pub mod request;
pub mod router;
pub mod s3;
pub mod scale_world;
pub mod secrets;
pub mod server;
pub mod sessions;
pub mod signing_key_cache;
pub mod sigv4;
pub mod staging_settings;
pub mod state;
pub mod sts;
pub mod tls;
pub mod token_issuers;
pub mod world;
pub mod world_file;

pub use server::{LocalStaging, StartError};
pub use state::SimState;
pub use world::{World, WorldError, WorldLoadError};
