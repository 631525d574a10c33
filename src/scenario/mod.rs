//! Scenario files: the raw serde model, validation into a checked model with precise
//! diagnostics, and the plan of probes a scenario expands to.

pub mod plan;

pub use plan::{
    Action, Expectation, ExpectationSource, ItemKey, KeyValue, Plan, PlannedProbe, ProbeName,
    ResourceTarget,
};
