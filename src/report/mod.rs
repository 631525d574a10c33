//! Reporters over the run's records: console, JUnit XML, JSON evidence, HTML matrix, a
//! Markdown summary and SARIF. Each renders the same results in the same deterministic order.

pub mod audit_report;
pub mod console;
pub mod console_summary;
pub mod evidence;
pub mod evidence_diff;
pub mod evidence_schema;
pub mod failure_message;
pub mod html;
pub mod html_style;
pub mod junit;
pub mod markdown_budget;
pub mod process_output;
pub mod report_paths;
pub mod sarif;
pub mod scrubbing_writer;
pub mod summary;
pub mod tenant_reach;
pub mod waiver_report;
pub mod write_reports;

pub use console::{ConsoleMode, ConsoleReporter};
pub use console_summary::ConsoleSummary;
pub use evidence::{EVIDENCE_SCHEMA_VERSION, EvidenceDocument, evidence_json, write_evidence};
pub use evidence_diff::{EvidenceDiff, EvidenceProbes, EvidenceReadError};
pub use evidence_schema::evidence_schema;
pub use failure_message::{probe_message, role_message};
pub use html::{html_report, write_html};
pub use junit::{junit_report, junit_xml, write_junit};
pub use process_output::{print_stdout, stdout_exit_code, write_stderr, write_stdout};
pub use report_paths::{DEFAULT_REPORTS_DIR, ReportPaths};
pub use sarif::{sarif_log, sarif_report, write_sarif};
pub use summary::markdown_summary;
pub use tenant_reach::{ReachCell, ReachState, TenantReach};
pub use write_reports::{ReportError, write_reports};
