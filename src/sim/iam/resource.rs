//! The `Resource` / `NotResource` element.

use super::context::RequestContext;
use super::variable::Template;

/// Resource patterns: case-sensitive, `*` and `?` wildcards where `*` spans `:` and `/`,
/// policy variables replaced from the request.
/// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html>.
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceElement {
    /// `NotResource`: the statement applies to every resource the list does not match.
    /// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html>.
    pub negated: bool,
    pub patterns: Vec<Template>,
}

/// How a resource element relates to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResourceMatch {
    Applies,
    DoesNotApply,
    /// A policy variable in the element could not be resolved. AWS documents that this can
    /// make the whole statement invalid, so the statement is skipped.
    /// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html>.
    Unresolvable,
}

impl ResourceElement {
    pub fn applies_to(&self, resource: &str, context: &RequestContext) -> ResourceMatch {
        let mut unresolved = false;
        let mut listed = false;
        for template in &self.patterns {
            match template.resolve_pattern(context) {
                Some(pattern) => {
                    if pattern.matches(resource) {
                        listed = true;
                        break;
                    }
                }
                None => unresolved = true,
            }
        }
        if listed {
            // A resolved entry matched: for Resource that applies the statement even if a
            // sibling entry did not resolve; for NotResource it excludes the request.
            return if self.negated {
                ResourceMatch::DoesNotApply
            } else {
                ResourceMatch::Applies
            };
        }
        if unresolved {
            // For Resource an unresolved entry simply does not match. For NotResource the
            // exclusion list is unknown, so the statement cannot be said to apply.
            return if self.negated {
                ResourceMatch::Unresolvable
            } else {
                ResourceMatch::DoesNotApply
            };
        }
        if self.negated {
            ResourceMatch::Applies
        } else {
            ResourceMatch::DoesNotApply
        }
    }
}
