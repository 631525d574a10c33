//! Validated expectation rules: overrides matched by patterns, and explicit cells.

use super::pattern::Pattern;
use super::plan::{Expectation, ProbeName};

/// The user's relation to the tenant that owns a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    Own,
    Other,
}

/// An override rule of `expect.overrides`. An empty pattern list matches everything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    pub index: usize,
    pub description: Option<String>,
    pub users: Vec<Pattern>,
    pub tenants: Vec<Pattern>,
    pub relation: Option<Relation>,
    pub resources: Vec<Pattern>,
    pub actions: Vec<Pattern>,
    pub expectation: Expectation,
}

/// An explicit cell of `expect.cells`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub index: usize,
    pub probe: ProbeName,
    pub expectation: Expectation,
}

/// Whether any pattern of a list matches (an empty list matches everything).
pub fn any_matches(patterns: &[Pattern], text: &str) -> bool {
    patterns.is_empty() || patterns.iter().any(|p| p.matches(text))
}
