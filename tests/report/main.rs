//! Runner and reporter specifications: the scheduler against a fake harness, exit codes,
//! the libtest front end and every report format.

mod exit_codes;
mod fake_backend;
mod front_end;
mod junit_schema;
mod large_run;
mod reports;
mod sarif;
mod scheduler;
mod synthetic;
mod tenant_reach_reports;
mod waivers;
