//! The `xtenant` command line. Parsing and dispatch only; the work lives in the library.

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use xtenant::cli::audit::AuditFormat;
use xtenant::cli::plan::PlanFormat;
use xtenant::cli::schema::SchemaOf;
use xtenant::{cli, exit_code};

#[derive(Debug, Parser)]
#[command(
    name = "xtenant",
    version = xtenant::build_info::VERSION_WITH_COMMIT,
    // Bare `xtenant` is a usage error: the help goes to stderr and the exit code is 4.
    arg_required_else_help = true,
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
  xtenant plan matrix.yaml --shard 2/4

Exit codes: 0 listed, 4 invalid scenario (problems on stderr).")]
    Plan {
        /// The scenario file (YAML).
        file: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = PlanFormat::Table)]
        format: PlanFormat,
        /// Show only the share `xtenant run --shard K/N` runs.
        #[arg(long, value_name = "K/N")]
        shard: Option<xtenant::run::Shard>,
    },
    /// Read the identity layer of a scenario's target (identity pool, user pool and app
    /// client, the roles' trust and permission policies) with the ambient AWS credentials
    /// and report coded findings (XA001…).
    #[command(after_help = "Examples:
  xtenant audit scenarios/pacific/matrix.yaml
  xtenant audit matrix.yaml --format json | jq '.findings[].code'

The credentials need the read-only audit policy of the README (\"Audit\"). A `local:
world.yaml` target is audited on local staging, started in-process.

Exit codes: 0 no high finding, 1 a high finding, 3 some API could not be read (a warning
names it and the permission to grant), 4 invalid scenario or unreachable target.")]
    Audit {
        /// The scenario file (YAML).
        file: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = AuditFormat::Text)]
        format: AuditFormat,
    },
    /// Print the JSON Schema of scenario files, for editors to validate and complete them
    /// (or, with `--evidence`, of the evidence a run writes).
    #[command(after_help = "Examples:
  xtenant schema > xtenant-scenario.schema.json
  # then, in a scenario file, for the YAML language server:
  # yaml-language-server: $schema=./xtenant-scenario.schema.json
  xtenant schema --evidence > xtenant-evidence.schema.json")]
    Schema {
        /// The schema of the JSON evidence (`<scenario>.evidence.json`) instead.
        #[arg(long)]
        evidence: bool,
    },
    /// Run a scenario's probes and write the reports. Libtest arguments after `--` select
    /// probes as in `cargo test` (a filter, `--skip`, `--exact`, `--list`).
    #[command(after_help = run_after_help())]
    Run(xtenant::run::RunArgs),
    /// Remove every canary a crashed or interrupted run left behind, using the ambient AWS
    /// credentials. Only canaries still holding their marker are removed. Exits 0 when
    /// every outstanding canary is settled, 3 when some remain, 4 when the ledger cannot be
    /// read (a last line cut off by a crash is skipped with a warning; any other bad line
    /// is an error naming it).
    #[command(after_help = "Examples:
  xtenant cleanup --ledger reports/pacific.ledger.jsonl
  AWS_PROFILE=staging xtenant cleanup --ledger reports/pacific.ledger.jsonl

The ledger is the one `xtenant run` wrote next to the reports of a run against an AWS
account or `xtenant sim serve`; removals go to the endpoint each canary was written to.")]
    Cleanup {
        /// The run's cleanup ledger (JSON lines).
        #[arg(long, value_name = "FILE")]
        ledger: PathBuf,
    },
    /// Compare two runs' JSON evidence by probe name: new breaches, fixed breaches,
    /// changed outcomes, new and removed probes.
    #[command(after_help = "Examples:
  xtenant diff baseline/pacific.evidence.json reports/pacific.evidence.json

Exit codes: 0 no new breach, 1 the new run has a breach the old one did not,
4 a file cannot be read as xtenant evidence (the error names it).")]
    Diff {
        /// The older evidence (the baseline).
        old: PathBuf,
        /// The newer evidence.
        new: PathBuf,
    },
    /// Join the evidence of every shard of a `run --shard K/N` into the reports and the
    /// exit code of one unsharded run.
    #[command(after_help = "Examples:
  xtenant merge reports/*.shard-*-of-3.evidence.json --reports-dir merged

The shards must be of one scenario and world (same SHA-256), agree on N, all be present
and not overlap; the error says which file breaks which rule.

Exit codes: those of `xtenant run` (0 every expectation held, 1 breach, 2 other failures,
3 inconclusive), 4 the files cannot be merged.")]
    Merge {
        /// Every shard's JSON evidence.
        #[arg(required = true)]
        evidence: Vec<PathBuf>,
        /// Directory for the merged reports (named after the scenario).
        #[arg(long, default_value = xtenant::report::DEFAULT_REPORTS_DIR)]
        reports_dir: PathBuf,
    },
    /// Local staging: an AWS emulator on 127.0.0.1 (`serve`, `explain`).
    #[command(subcommand)]
    Sim(xtenant::sim::cli::SimCommand),
}

/// Examples, where things go, and the exit-code table, for `xtenant run --help`.
fn run_after_help() -> String {
    format!(
        "Examples:
  xtenant run scenarios/pacific/matrix.yaml
  xtenant run scenarios/pacific/matrix.yaml --reports-dir out -- --skip guest
  xtenant run matrix.yaml --concurrency 4 --max-rps 20 -- acme-alice::
  xtenant run matrix.yaml -- --list

A `local: world.yaml` target runs against local staging, started in-process on 127.0.0.1.
Reports go to <reports-dir>/<scenario>.junit.xml, .evidence.json, .html and .md. Against a
target that outlives the run (an AWS account, `xtenant sim serve`), the cleanup ledger goes
to <reports-dir>/<scenario>.ledger.jsonl, created on the first canary; local staging
started in-process needs none. `-- --list` reads no secret and writes nothing.

{}",
        exit_code::HELP_TABLE
    )
}

fn main() {
    // Usage errors exit with `INVALID_INPUT` as the exit-code table documents, not clap's
    // own 2 (which means "expectation failures" here); `--help` and `--version` exit 0.
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let printed = error.print();
            std::process::exit(if error.use_stderr() {
                exit_code::INVALID_INPUT
            } else {
                // `--help` and `--version` go to stdout, which may be closed or full.
                xtenant::report::stdout_exit_code(exit_code::SUCCESS, "the help", printed)
            });
        }
    };
    // `-v` is `xtenant run`'s; `RUST_LOG` works for every subcommand.
    let verbosity = match &cli.command {
        Some(Command::Run(args)) => args.verbose,
        _ => 0,
    };
    if let Some(warning) = cli::logging::init(verbosity) {
        xtenant::report::write_stderr(&format!("{warning}\n"));
    }
    let code = match cli.command {
        // Unreachable: `arg_required_else_help` makes a bare `xtenant` a usage error.
        None => exit_code::INVALID_INPUT,
        Some(Command::Validate { file }) => cli::validate::validate(&file),
        Some(Command::Plan {
            file,
            format,
            shard,
        }) => cli::plan::plan(&file, format, shard),
        Some(Command::Audit { file, format }) => cli::audit::audit(&file, format),
        Some(Command::Schema { evidence }) => cli::schema::schema(if evidence {
            SchemaOf::Evidence
        } else {
            SchemaOf::Scenario
        }),
        Some(Command::Run(args)) => cli::run::run(&args),
        Some(Command::Cleanup { ledger }) => cli::cleanup::cleanup(&ledger),
        Some(Command::Diff { old, new }) => cli::diff::diff(&old, &new),
        Some(Command::Merge {
            evidence,
            reports_dir,
        }) => cli::merge::merge(&evidence, &reports_dir),
        Some(Command::Sim(sim)) => xtenant::sim::cli::run(sim),
    };
    std::process::exit(code)
}
