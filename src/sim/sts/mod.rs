//! Local staging's STS: AssumeRoleWithWebIdentity, AssumeRole and GetCallerIdentity over
//! the query protocol.

pub mod assume_role;
pub mod service;
pub mod web_identity;

pub use service::StsService;
