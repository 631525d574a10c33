//! IAM policy documents: the parsed model of a real IAM JSON policy.

use super::parse::parse_policy;
use super::statement::Statement;
use std::sync::Arc;

/// A parsed IAM policy document.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub version: PolicyVersion,
    /// The optional `Id` element.
    pub id: Option<String>,
    pub statements: Vec<Statement>,
    /// The document as parsed, for display.
    pub source: serde_json::Value,
}

/// The policy language version; only 2012-10-17 replaces policy variables.
/// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html>.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyVersion {
    V2012_10_17,
    /// Also what a document without `Version` gets.
    V2008_10_17,
}

impl PolicyVersion {
    pub fn supports_variables(self) -> bool {
        self == PolicyVersion::V2012_10_17
    }
}

/// Why a document is not a valid IAM policy (AWS's `MalformedPolicyDocument` cases).
/// `message` names the element at fault, for example `Statement[1].Effect`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("malformed policy document: {message}")]
pub struct PolicyError {
    pub message: String,
}

impl PolicyError {
    pub(crate) fn at(path: &str, message: impl std::fmt::Display) -> Self {
        PolicyError {
            message: format!("{path}: {message}"),
        }
    }
}

/// Which rules about `Principal` and `Resource` a policy must follow, by where it is used.
/// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html>.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyUse {
    /// Identity-based, session or permissions boundary: no `Principal`, `Resource` required.
    Identity,
    /// Bucket or secret policy: `Principal` and `Resource` required.
    Resource,
    /// Role trust policy: `Principal` required, `Resource` not used.
    Trust,
}

impl Policy {
    /// Parses a policy from its JSON text, checking the grammar every policy shares.
    /// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html>.
    pub fn parse(json: &str) -> Result<Policy, PolicyError> {
        parse_policy(json)
    }

    /// Parses a policy and checks the rules of the place it is attached to.
    pub fn parse_for(json: &str, policy_use: PolicyUse) -> Result<Policy, PolicyError> {
        let policy = parse_policy(json)?;
        policy.check_use(policy_use)?;
        Ok(policy)
    }

    /// Checks `Principal` and `Resource` against where the policy is used: identity-based
    /// policies must not name a principal ("Policy document should not specify a principal")
    /// and resource-based policies must.
    /// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html>.
    pub fn check_use(&self, policy_use: PolicyUse) -> Result<(), PolicyError> {
        for (index, statement) in self.statements.iter().enumerate() {
            let path = format!("Statement[{index}]");
            match policy_use {
                PolicyUse::Identity => {
                    if statement.principal.is_some() {
                        return Err(PolicyError::at(
                            &path,
                            "policy document should not specify a principal",
                        ));
                    }
                    if statement.resources.is_none() {
                        return Err(PolicyError::at(
                            &path,
                            "statement needs a Resource or NotResource element",
                        ));
                    }
                }
                PolicyUse::Resource => {
                    if statement.principal.is_none() {
                        return Err(PolicyError::at(
                            &path,
                            "statement needs a Principal or NotPrincipal element",
                        ));
                    }
                    if statement.resources.is_none() {
                        return Err(PolicyError::at(
                            &path,
                            "statement needs a Resource or NotResource element",
                        ));
                    }
                }
                PolicyUse::Trust => {
                    if statement.principal.is_none() {
                        return Err(PolicyError::at(
                            &path,
                            "statement needs a Principal or NotPrincipal element",
                        ));
                    }
                    // A role trust policy applies to the role itself: IAM rejects a
                    // Resource in it ("Has prohibited field Resource").
                    // See <https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_policies.html>.
                    if statement.resources.is_some() {
                        return Err(PolicyError::at(&path, "has prohibited field Resource"));
                    }
                }
            }
        }
        Ok(())
    }
}

/// A policy with the name reports and explanations use for it.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedPolicy {
    pub name: String,
    pub policy: Arc<Policy>,
}

impl NamedPolicy {
    pub fn new(name: impl Into<String>, policy: Policy) -> Self {
        NamedPolicy {
            name: name.into(),
            policy: Arc::new(policy),
        }
    }
}
