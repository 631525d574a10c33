//! Scenario files: the raw serde model, validation into a checked model with precise
//! diagnostics, and the plan of probes a scenario expands to.
//!
//! `load(path)` returns a validated [`Scenario`] or every problem found as [`Diagnostics`];
//! [`Scenario::plan`] expands it into a [`Plan`]; [`scenario_schema`] is the JSON Schema of
//! the file format.

pub mod aws_names;
pub mod diagnostic;
pub mod diagnostic_code;
pub mod diagnostics;
pub mod excerpt;
pub mod expand;
pub mod key_path;
pub mod load;
pub mod model;
pub mod pattern;
pub mod plan;
pub mod plan_table;
pub mod probe_table;
pub mod raw;
pub mod request_shape;
pub mod resource;
pub mod rule;
pub mod schema;
pub mod secret_layout;
pub mod secret_source;
pub mod shared_name;
pub mod shared_source;
pub mod source_lines;
pub mod span_index;
pub mod structure;
pub mod target;
pub mod template;
pub mod user;
pub mod validate;
pub mod waiver;
pub mod world_target;
pub mod yaml_file;

pub use diagnostic::Diagnostic;
pub use diagnostic_code::DiagnosticCode;
pub use diagnostics::{Diagnostics, LineColumn};
pub use key_path::KeyPath;
pub use load::{load, load_str};
pub use model::Scenario;
pub use plan::{
    Action, Expectation, ExpectationSource, ItemKey, KeyValue, Plan, PlanShare, PlannedProbe,
    ProbeName, ResourceTarget,
};
pub use request_shape::RequestShape;
pub use resource::{Resource, ResourceTemplate};
pub use rule::{Cell, Override, Relation};
pub use schema::scenario_schema;
pub use secret_source::{SecretSource, SecretSourceError};
pub use shared_name::SharedName;
pub use shared_source::SharedSource;
pub use target::{IdentityFlow, IdentityPoolTarget, SignInFlow, Target, UserPoolTarget};
pub use user::User;
pub use waiver::Waiver;
