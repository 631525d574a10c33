//! xtenant proves tenant isolation of multi-tenant SaaS built on Amazon Cognito.
//!
//! The harness half (`scenario`, `identity`, `probe`, `run`, `report`) reaches AWS, or
//! local staging, only through the AWS SDK over HTTP. Local staging (`sim`) is an AWS
//! emulator that the harness never imports: that boundary is what makes a green run
//! against local staging mean something.

pub mod attack;
pub mod audit;
pub mod build_info;
pub mod cli;
pub mod error_chain;
pub mod exit_code;
pub mod identity;
pub mod ledger;
pub mod probe;
pub mod redaction;
pub mod report;
pub mod run;
pub mod scenario;
pub mod secret;
pub mod sim;
