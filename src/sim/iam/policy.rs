//! IAM policy documents: parsing of real IAM JSON into the engine's model.
//! CONTRACT PLACEHOLDER: the IAM engine work replaces the body of this file.

use std::sync::Arc;

/// A parsed IAM policy document.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub source: serde_json::Value,
}

/// Why a document is not a valid IAM policy.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("malformed policy document: {message}")]
pub struct PolicyError {
    pub message: String,
}

impl Policy {
    /// Parses a policy from its JSON text.
    pub fn parse(json: &str) -> Result<Policy, PolicyError> {
        let source = serde_json::from_str(json).map_err(|e| PolicyError {
            message: e.to_string(),
        })?;
        Ok(Policy { source })
    }
}

/// A policy with the name reports and explanations use for it.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedPolicy {
    pub name: String,
    pub policy: Arc<Policy>,
}
