//! The IAM policy engine: AWS's documented evaluation logic over real IAM JSON policies.
//!
//! `Policy::parse` / `Policy::parse_for` (in `parse`) turn JSON into `Statement`s made of
//! `action`, `resource`, `principal_element` and `condition` elements; `variable` and
//! `wildcard` supply policy variables and `*` / `?` matching; `operator` holds every
//! condition operator family. `evaluate` decides a request and `explain` renders the
//! decision for people.

pub mod action;
pub mod condition;
pub mod context;
pub mod decision;
pub mod evaluate;
pub mod explain;
pub mod operator;
mod parse;
pub mod policy;
pub mod principal_element;
pub mod resource;
pub mod statement;
pub mod variable;
pub mod wildcard;

pub use context::RequestContext;
pub use decision::{DecidingStatement, Decision, Evaluation, PolicyKind};
pub use evaluate::{EvaluationInput, PrincipalMatch, evaluate};
pub use explain::explain;
pub use policy::{NamedPolicy, Policy, PolicyError, PolicyUse, PolicyVersion};
pub use statement::{Effect, Statement};
