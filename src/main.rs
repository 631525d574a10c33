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
    /// Local staging: an AWS emulator on 127.0.0.1 (`serve`, `explain`).
    #[command(subcommand)]
    Sim(xtenant::sim::cli::SimCommand),
}

fn main() {
    let cli = Cli::parse();
    let code = match cli.command {
        None => exit_code::SUCCESS,
        Some(command) => match command {
            Command::Sim(sim) => xtenant::sim::cli::run(sim),
        },
    };
    std::process::exit(code)
}
