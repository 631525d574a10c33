//! `xtenant cleanup --ledger FILE`: removes the canaries a crashed run left behind.

use crate::error_chain::error_chain;
use crate::exit_code;
use crate::report::{print_stdout, write_stderr};
use std::fmt::Write;
use std::path::Path;

/// Replays the ledger with the ambient credentials and reports each canary.
pub fn cleanup(ledger: &Path) -> i32 {
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            write_stderr(&format!(
                "error: failed to start the async runtime: {error}\n"
            ));
            return exit_code::INVALID_INPUT;
        }
    };
    runtime.block_on(async {
        let ambient = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .load()
            .await;
        match crate::ledger::remove_outstanding(ledger, &ambient).await {
            Ok(report) => {
                if let Some(torn) = &report.torn_line {
                    write_stderr(&format!("warning: {torn}\n"));
                }
                let mut text = String::new();
                for result in &report.results {
                    let _ = match &result.result {
                        Ok(resolution) => writeln!(text, "{}: {resolution:?}", result.canary),
                        Err(reason) => {
                            writeln!(text, "{}: still outstanding: {reason}", result.canary)
                        }
                    };
                }
                let _ = writeln!(
                    text,
                    "{} outstanding canaries handled, {} still outstanding",
                    report.results.len(),
                    report.results.iter().filter(|r| r.result.is_err()).count()
                );
                let code = if report.is_complete() {
                    exit_code::SUCCESS
                } else {
                    exit_code::INCONCLUSIVE
                };
                print_stdout(&text, "the cleanup report", code)
            }
            Err(error) => {
                write_stderr(&format!("error: {}\n", error_chain(&error)));
                exit_code::INVALID_INPUT
            }
        }
    })
}
