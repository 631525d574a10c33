//! Fail closed and leak nothing, proven through a faulty network: the real `xtenant`
//! binary runs shipped scenarios against an AWS-account target that is local staging
//! behind a fault-injecting proxy, reached only through `AWS_ENDPOINT_URL`, as a user would.
//! One test per fault kind.

mod aws_request;
mod cases;
mod fail_closed;
mod fault_response;
mod fault_rules;
mod proxy;
mod secret_scanner;
mod staged_run;
