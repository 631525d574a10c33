//! Semantic validation: the raw model into a `Scenario`, collecting every problem (bad
//! references, duplicates, malformed AWS names, templates, actions, rules that match
//! nothing, an empty plan, waivers) with the key path and source position of each.

mod attacks;
mod audit;
mod resources;
mod rules;
mod target;
mod users;
mod validator;
mod waivers;

pub use validator::validate;
