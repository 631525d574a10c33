//! Local staging's S3: path-style REST-XML object operations, authorized with identity
//! policies and bucket policies as S3 documents.

mod access;
mod bucket;
mod byte_range;
mod conditional;
mod delete_object;
mod list_objects;
mod list_objects_v1;
mod object_read;
mod put_object;
pub mod resource_policy;
mod s3_error;
mod service;
#[cfg(test)]
pub(crate) mod test_core;
pub mod world;
mod xml;

pub use s3_error::S3Error;
pub use service::S3Service;
#[cfg(test)]
mod service_tests;
