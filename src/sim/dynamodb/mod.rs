//! Local staging's DynamoDB: the JSON 1.0 protocol's item operations over in-memory tables,
//! with IAM authorization (including fine-grained access control keys) decided before any
//! table or item is looked at.

pub mod attribute_value;
pub mod authorization;
pub mod condition;
pub mod consumed_capacity;
pub mod document;
pub mod error;
pub mod expression;
pub mod item_size;
pub mod key_condition;
pub mod key_schema;
pub mod operations;
pub mod projection;
pub mod service;
pub mod table;
pub mod update;
pub mod world;

pub use error::DynamoDbError;
pub use service::DynamoDbService;

#[cfg(test)]
mod service_tests;
#[cfg(test)]
mod test_support;
