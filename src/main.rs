//! The `xtenant` command line. Parsing and exit codes only; the work lives in the library.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use xtenant::exit_code;
use xtenant::scenario;

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
    /// Check a scenario file and report every problem in it.
    #[command(after_help = "Examples:
  xtenant validate scenarios/pacific/matrix.yaml
  xtenant validate matrix.yaml && echo valid

Exit codes: 0 valid, 4 invalid (every problem is listed on stderr).")]
    Validate {
        /// The scenario file (YAML).
        file: PathBuf,
    },
    /// List every probe a scenario expands to, with its expectation and the rule behind it.
    #[command(after_help = "Examples:
  xtenant plan scenarios/pacific/matrix.yaml
  xtenant plan matrix.yaml --format json | jq '.probes[].name'

Exit codes: 0 listed, 4 invalid scenario (problems on stderr).")]
    Plan {
        /// The scenario file (YAML).
        file: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = PlanFormat::Table)]
        format: PlanFormat,
    },
    /// Print the JSON Schema of scenario files, for editors to validate and complete them.
    #[command(after_help = "Examples:
  xtenant schema > xtenant-scenario.schema.json
  # then, in a scenario file, for the YAML language server:
  # yaml-language-server: $schema=./xtenant-scenario.schema.json")]
    Schema,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum PlanFormat {
    Table,
    Json,
}

fn main() {
    // Usage errors exit with `INVALID_INPUT` as the exit-code table documents, not clap's
    // own 2 (which means "expectation failures" here); `--help` and `--version` exit 0.
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            std::process::exit(if error.use_stderr() {
                exit_code::INVALID_INPUT
            } else {
                exit_code::SUCCESS
            });
        }
    };
    let code = match cli.command {
        None => exit_code::SUCCESS,
        Some(Command::Validate { file }) => match scenario::load(&file) {
            Ok(loaded) => {
                let probes = loaded.plan().probes.len();
                println!("{} is valid: {probes} probes", file.display());
                exit_code::SUCCESS
            }
            Err(diagnostics) => {
                eprint!("{diagnostics}");
                exit_code::INVALID_INPUT
            }
        },
        Some(Command::Plan { file, format }) => match scenario::load(&file) {
            Ok(loaded) => {
                let plan = loaded.plan();
                match format {
                    PlanFormat::Table => print!("{}", scenario::plan_table::render_table(&plan)),
                    PlanFormat::Json => println!("{}", scenario::plan_table::render_json(&plan)),
                }
                exit_code::SUCCESS
            }
            Err(diagnostics) => {
                eprint!("{diagnostics}");
                exit_code::INVALID_INPUT
            }
        },
        Some(Command::Schema) => match serde_json::to_string_pretty(&scenario::scenario_schema()) {
            Ok(text) => {
                println!("{text}");
                exit_code::SUCCESS
            }
            Err(error) => {
                eprintln!("error: failed to print the schema: {error}");
                exit_code::INVALID_INPUT
            }
        },
    };
    std::process::exit(code)
}
