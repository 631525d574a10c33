//! `xtenant cleanup --ledger FILE`: removes the canaries a crashed run left behind.

use crate::error_chain::error_chain;
use crate::exit_code;
use std::path::Path;

/// Replays the ledger with the ambient credentials and reports each canary.
pub fn cleanup(ledger: &Path) -> i32 {
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: failed to start the async runtime: {error}");
            return exit_code::INVALID_INPUT;
        }
    };
    runtime.block_on(async {
        let ambient = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .load()
            .await;
        match crate::ledger::remove_outstanding(ledger, &ambient).await {
            Ok(report) => {
                for result in &report.results {
                    match &result.result {
                        Ok(resolution) => println!("{}: {resolution:?}", result.canary),
                        Err(reason) => println!("{}: still outstanding: {reason}", result.canary),
                    }
                }
                println!(
                    "{} outstanding canaries handled, {} still outstanding",
                    report.results.len(),
                    report.results.iter().filter(|r| r.result.is_err()).count()
                );
                if report.is_complete() {
                    exit_code::SUCCESS
                } else {
                    exit_code::INCONCLUSIVE
                }
            }
            Err(error) => {
                eprintln!("error: {}", error_chain(&error));
                exit_code::INVALID_INPUT
            }
        }
    })
}
