//! One statement of a policy: effect, principal, actions, resources, conditions.

use super::action::ActionElement;
use super::condition::Condition;
use super::principal_element::PrincipalElement;
use super::resource::ResourceElement;

/// Whether a statement allows or denies.
/// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_effect.html>.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
}

/// A parsed statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub sid: Option<String>,
    pub effect: Effect,
    /// `Principal` or `NotPrincipal`; only resource-based and trust policies have one.
    pub principal: Option<PrincipalElement>,
    /// `Action` or `NotAction`.
    pub actions: ActionElement,
    /// `Resource` or `NotResource`; trust policies have none.
    pub resources: Option<ResourceElement>,
    /// Every condition must hold (AND across operators and keys).
    /// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_logic_multiple_context_keys_or_values.html>.
    pub conditions: Vec<Condition>,
}
