//! Local staging's IAM read API: the role and policy reads an audit makes (GetRole,
//! ListRolePolicies, GetRolePolicy, ListAttachedRolePolicies, GetPolicy, GetPolicyVersion)
//! over IAM's query protocol, each authorized by IAM like every other call.

pub mod entities;
pub mod service;

pub use service::IamApiService;
