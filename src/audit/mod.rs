//! The audit: reads the target's identity layer (identity pool, role mappings, principal
//! tags, user pool and app client, the roles' trust and permission policies) through the
//! SDK with ambient read credentials, turns it into coded findings (`XA…`), and joins each
//! finding with the probe or attack cases of a run that exercise it.

pub mod checks;
pub mod code;
pub mod finding;
pub mod identity_layer;
pub mod join;
pub mod outcome;
pub mod policy_document;
pub mod reader;
pub mod section;
pub mod settings;
pub mod severity;

pub use checks::run_checks;
pub use code::FindingCode;
pub use finding::{AuditWarning, Finding};
pub use identity_layer::IdentityLayer;
pub use join::{Confirmation, JoinedFinding, join_findings};
pub use outcome::{AuditOutcome, audit_scenario};
pub use section::AuditSection;
pub use settings::AuditSettings;
pub use severity::Severity;
