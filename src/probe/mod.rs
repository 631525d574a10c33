//! Probes: one planned (user, resource, action) turned into real SDK calls, and the
//! fail-closed classification of what came back.

pub mod attempt;
pub mod canary_intent;
pub mod classify;
pub mod clients;
pub mod denial;
pub mod dynamodb;
pub mod dynamodb_batch;
pub mod iam_action;
pub mod observation;
pub mod prober;
pub mod record;
pub mod s3;
pub mod secrets;
pub mod secrets_batch;
pub mod service;
pub mod wire_response;

pub use attempt::Attempt;
pub use classify::{Classification, classify};
pub use clients::ProbeClients;
pub use denial::{Denial, DenialLayer};
pub use observation::{CallEnd, Observation};
pub use prober::Prober;
pub use record::{Outcome, ProbeRecord, ReadEvidence, Verdict};
pub use service::AwsService;
