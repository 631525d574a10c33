//! Local staging's STS: AssumeRoleWithWebIdentity and GetCallerIdentity over the query
//! protocol.

pub mod service;
pub mod web_identity;

pub use service::StsService;
