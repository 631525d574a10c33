//! The harness's integration tests: probes, verdicts, identity flows and secrecy, pinned
//! against a loopback fake server that returns the response shapes AWS documents, and
//! against local staging (started in-process, reached over HTTP like AWS).

mod audit;
mod expired_credentials;
mod fail_closed;
mod fake_server;
mod identity;
mod local_staging_cleanup;
mod local_staging_identity;
mod local_staging_probes;
mod local_staging_sign_in;
mod local_staging_support;
mod local_staging_write_safety;
mod no_secrets;
mod shape_verdicts;
mod support;
mod verdicts;
mod write_methods;
