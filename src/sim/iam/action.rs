//! The `Action` / `NotAction` element.

use super::wildcard::Pattern;

/// Action patterns, compared case-insensitively with `*` and `?` wildcards.
/// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html>.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionElement {
    /// `NotAction`: the statement applies to every action the list does not match.
    /// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html>.
    pub negated: bool,
    pub patterns: Vec<ActionPattern>,
}

/// One action value, such as `s3:Get*`.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionPattern {
    pub raw: String,
    lowered: Pattern,
}

impl ActionPattern {
    pub fn new(raw: &str) -> Self {
        ActionPattern {
            raw: raw.to_string(),
            lowered: Pattern::wildcard(&raw.to_lowercase()),
        }
    }

    /// Matches an action already lowercased by the caller.
    pub fn matches_lowered(&self, action_lowered: &str) -> bool {
        self.lowered.matches(action_lowered)
    }
}

impl ActionElement {
    /// Whether the statement applies to the action (given lowercased).
    pub fn applies_to_lowered(&self, action_lowered: &str) -> bool {
        let listed = self
            .patterns
            .iter()
            .any(|p| p.matches_lowered(action_lowered));
        listed != self.negated
    }
}
