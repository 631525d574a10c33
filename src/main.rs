//! The `xtenant` command line. Parsing and exit codes only; the work lives in the library.

use clap::{Parser, Subcommand};
use xtenant::exit_code;

#[derive(Debug, Parser)]
#[command(
    name = "xtenant",
    version,
    about = "Proves tenant isolation of multi-tenant SaaS built on Amazon Cognito",
    after_help = exit_code::HELP_TABLE
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Remove every canary a crashed or interrupted run left behind, using the ambient AWS
    /// credentials. Only canaries still holding their marker are removed. Exits 0 when
    /// every outstanding canary is settled, 3 when some remain, 4 when the ledger cannot be
    /// read.
    Cleanup {
        /// The run's cleanup ledger (JSON lines).
        #[arg(long, value_name = "FILE")]
        ledger: std::path::PathBuf,
    },
    /// Local staging: an AWS emulator on 127.0.0.1 (`serve`, `explain`).
    #[command(subcommand)]
    Sim(xtenant::sim::cli::SimCommand),
}

fn main() {
    let cli = Cli::parse();
    let code = match cli.command {
        None => exit_code::SUCCESS,
        Some(command) => match command {
            Command::Cleanup { ledger } => cleanup(&ledger),
            Command::Sim(sim) => xtenant::sim::cli::run(sim),
        },
    };
    std::process::exit(code)
}

/// Replays the ledger with the ambient credentials and reports each canary.
fn cleanup(ledger: &std::path::Path) -> i32 {
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
        match xtenant::ledger::remove_outstanding(ledger, &ambient).await {
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

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
