//! The DynamoDB operations local staging serves, one per file.

pub mod batch_get_item;
pub mod batch_write_item;
pub mod delete_item;
pub mod get_item;
pub mod input;
pub mod page;
pub mod put_item;
pub mod query;
pub mod scan;
pub mod update_item;

pub use input::OperationContext;
