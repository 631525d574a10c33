//! The IAM policy engine: AWS's documented evaluation logic over real IAM JSON policies.

pub mod context;
pub mod decision;
pub mod evaluate;
pub mod policy;

pub use context::RequestContext;
pub use decision::{DecidingStatement, Decision, Evaluation, PolicyKind};
pub use evaluate::{EvaluationInput, PrincipalMatch, evaluate};
pub use policy::{NamedPolicy, Policy, PolicyError};
