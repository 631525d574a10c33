//! The harness's integration tests: probes, verdicts, identity flows and secrecy, pinned
//! against a loopback fake server that returns the response shapes AWS documents.

mod fail_closed;
mod fake_server;
mod identity;
mod no_secrets;
mod support;
mod verdicts;
mod write_methods;
