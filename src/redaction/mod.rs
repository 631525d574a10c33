//! Keeping secrets out of everything that leaves the process: a shared redactor that
//! learns tokens and credentials as they are issued, and masking by shape for the ones it
//! never saw.

pub mod redactor;
pub mod shapes;

pub use redactor::{REDACTED, Redactor};
