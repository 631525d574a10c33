//! The `xtenant sim` subcommands: `serve` runs local staging until Ctrl-C (or for a
//! bounded time), `explain` evaluates one request against a world.

use super::clock::epoch_seconds;
use super::core::SimCore;
use super::explain::{ExplainCaller, ExplainRequest, explain};
use super::scale_world::ScaleWorld;
use super::server::LocalStaging;
use super::world::{World, WorldLoadError};
use crate::exit_code;
use clap::{Args, Subcommand};
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Subcommand)]
pub enum SimCommand {
    /// Run local staging on 127.0.0.1 until Ctrl-C or `--exit-after`.
    #[command(after_help = "Examples:
  xtenant sim serve --world scenarios/pacific/world.yaml
  xtenant sim serve --world world.yaml --port 4566 --exit-after 600

The first line of the output is `local staging ready: endpoint=URL region=R account=A`;
point any AWS client at that endpoint (AWS_ENDPOINT_URL=URL).")]
    Serve(ServeArgs),
    /// Evaluate one request of a role session and show the deciding statements.
    #[command(after_help = "Examples:
  xtenant sim explain --world scenarios/pacific/world.yaml \\
    --role arn:aws:iam::111122223333:role/PacificTenantAcme \\
    --action s3:GetObject \\
    --resource arn:aws:s3:::pacific-tenant-data/globex/documents/contract.txt \\
    --context aws:PrincipalTag/tenant=acme
  xtenant sim explain --world world.yaml --role ROLE_ARN --action s3:ListBucket \\
    --resource arn:aws:s3:::BUCKET --context s3:prefix=acme/

Repeat `--context key=value` for every condition key the request carries; the output names
each statement that allowed or denied it.")]
    Explain(ExplainArgs),
    /// Write a generated ABAC world and matrix of any size (for scale runs and benchmarks).
    #[command(after_help = "Examples:
  xtenant sim generate --tenants 50 --users-per-tenant 2 --resources 5 --out target/scale
  xtenant run target/scale/matrix.yaml

Writes world.yaml, matrix.yaml (local staging started in-process) and matrix.account.yaml
(the same matrix as an AWS-account target, for a standalone `xtenant sim serve` reached
through AWS_ENDPOINT_URL). The matrix plans tenants x users-per-tenant x tenants x
resources x 4 probes (read, write, delete, s3:HeadObject), and every one holds.")]
    Generate(GenerateArgs),
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// How many tenants.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub tenants: u32,
    /// How many users each tenant has.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub users_per_tenant: u32,
    /// How many S3 objects each tenant has; each is probed with four actions.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub resources: u32,
    /// The folder to write into (created; existing files of the same names are replaced).
    #[arg(long)]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The world file (YAML) that seeds local staging.
    #[arg(long)]
    pub world: PathBuf,
    /// The port to listen on; an ephemeral port when omitted.
    #[arg(long)]
    pub port: Option<u16>,
    /// Stop by itself after this many seconds (so scripted use is bounded).
    #[arg(long, value_name = "SECONDS")]
    pub exit_after: Option<u64>,
    /// Run local staging's clock this many seconds ahead of the host's (negative: behind),
    /// on top of the world's `staging.clock_offset_seconds`, to test expiry and clock skew.
    #[arg(long, value_name = "SECONDS", allow_hyphen_values = true)]
    pub clock_offset: Option<i64>,
    /// Serve HTTPS with a certificate authority generated at start, so that requests carry
    /// `aws:SecureTransport` true; its SHA-256 fingerprint is printed.
    #[arg(long)]
    pub tls: bool,
    /// With `--tls`: write the authority's certificate (PEM) here for clients to trust.
    #[arg(long, value_name = "FILE", requires = "tls")]
    pub tls_authority_out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The world file (YAML).
    #[arg(long)]
    pub world: PathBuf,
    /// The ARN of the role whose session makes the request.
    #[arg(long, required_unless_present = "user", conflicts_with = "user")]
    pub role: Option<String>,
    /// The IAM user (name or ARN) who makes the request, instead of a role session.
    #[arg(long)]
    pub user: Option<String>,
    /// The action, for example `s3:GetObject`.
    #[arg(long)]
    pub action: String,
    /// The resource ARN, or `*`.
    #[arg(long)]
    pub resource: String,
    /// A condition key and value, `key=value`; repeat a key for a multivalued key.
    #[arg(long = "context", value_parser = parse_key_value)]
    pub context: Vec<(String, String)>,
    /// The role session name (it appears in `aws:userid`).
    #[arg(long, default_value = "explain")]
    pub session_name: String,
    /// A resource-based policy (JSON file) to evaluate in place of the resource's own
    /// policy in the world (a bucket policy, a secret's resource policy).
    #[arg(long)]
    pub resource_policy: Option<PathBuf>,
    /// A session policy (JSON file), as AssumeRole* passes it; repeat for several.
    #[arg(long = "session-policy")]
    pub session_policies: Vec<PathBuf>,
    /// A session tag, `key=value`: it replaces the role tag of the same key.
    #[arg(long = "session-tag", value_parser = parse_key_value)]
    pub session_tags: Vec<(String, String)>,
}

fn parse_key_value(text: &str) -> Result<(String, String), String> {
    text.split_once('=')
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .ok_or_else(|| format!("expected key=value, got `{text}`"))
}

/// Runs a `sim` subcommand and returns the process exit code.
pub fn run(command: SimCommand) -> i32 {
    match command {
        SimCommand::Serve(args) => serve(args),
        SimCommand::Explain(args) => run_explain(args),
        SimCommand::Generate(args) => generate(args),
    }
}

fn generate(args: GenerateArgs) -> i32 {
    let world = ScaleWorld {
        tenants: args.tenants as usize,
        users_per_tenant: args.users_per_tenant as usize,
        resources: args.resources as usize,
    };
    match world.write(&args.out) {
        Ok(files) => {
            println!(
                "generated {} users, {} probes: {} {} {}",
                world.user_count(),
                world.probe_count(),
                files.world.display(),
                files.matrix.display(),
                files.account_matrix.display()
            );
            exit_code::SUCCESS
        }
        Err(error) => {
            eprintln!(
                "error: failed to write the generated scenario into `{}`: {error}",
                args.out.display()
            );
            exit_code::INVALID_INPUT
        }
    }
}

fn serve(args: ServeArgs) -> i32 {
    let world = match World::load(&args.world) {
        Ok(world) => world,
        Err(error) => return report_world(&error),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: failed to start the async runtime: {error}");
            return exit_code::INVALID_INPUT;
        }
    };
    runtime.block_on(async {
        let started = if args.tls {
            LocalStaging::start_tls(world, args.port).await
        } else {
            LocalStaging::start(world, args.port).await
        };
        let mut staging = match started {
            Ok(staging) => staging,
            Err(error) => return report(&error),
        };
        if let (Some(path), Some(pem)) = (&args.tls_authority_out, staging.tls_authority_pem())
            && let Err(error) = std::fs::write(path, pem)
        {
            eprintln!(
                "error: failed to write the TLS authority to `{}`: {error}",
                path.display()
            );
            return exit_code::INVALID_INPUT;
        }
        if let Some(seconds) = args.clock_offset {
            staging.core().shift_clock(seconds);
        }
        print_ready_output(&staging);
        let stopped = match args.exit_after {
            None => tokio::signal::ctrl_c().await,
            Some(seconds) => tokio::select! {
                stopped = tokio::signal::ctrl_c() => stopped,
                () = tokio::time::sleep(Duration::from_secs(seconds)) => Ok(()),
            },
        };
        staging.shutdown();
        match stopped {
            Ok(()) => exit_code::SUCCESS,
            Err(error) => {
                eprintln!("error: failed to wait for Ctrl-C: {error}");
                exit_code::INVALID_INPUT
            }
        }
    })
}

/// Prints the ready output in one write, so a script never sees half of it.
fn print_ready_output(staging: &LocalStaging) {
    let mut stdout = std::io::stdout().lock();
    // A closed stdout only means nobody reads the ready output; serving goes on.
    let _ = stdout
        .write_all(ready_output(staging).as_bytes())
        .and_then(|()| stdout.flush());
}

/// The first line is the one a script waits for and parses; its shape is stable. One
/// line per user pool and per identity pool follows, ids only: app client secrets never
/// appear. A pool's name comes last on its line because it may contain spaces.
fn ready_output(staging: &LocalStaging) -> String {
    let mut output = format!(
        "local staging ready: endpoint={} region={} account={}\n",
        staging.endpoint(),
        staging.region(),
        staging.account_id()
    );
    for pool in staging.user_pools() {
        output.push_str(&format!(
            "user pool: id={} clients={} name={}\n",
            pool.pool_id,
            pool.client_ids.join(","),
            pool.pool_name
        ));
    }
    for id in staging.identity_pool_ids() {
        output.push_str(&format!("identity pool: id={id}\n"));
    }
    if let Some(fingerprint) = staging.tls_authority_sha256() {
        output.push_str(&format!("tls: authority_sha256={fingerprint}\n"));
    }
    // Said when the clock is not the host's, so nobody mistakes skew for a bug.
    let offset = epoch_seconds(staging.core().now()) - epoch_seconds(std::time::SystemTime::now());
    if offset.abs() > 1 {
        output.push_str(&format!("clock: offset={offset}s\n"));
    }
    output
}

fn run_explain(args: ExplainArgs) -> i32 {
    let world = match World::load(&args.world) {
        Ok(world) => world,
        Err(error) => return report_world(&error),
    };
    let read_policy = |what: &str, path: &PathBuf| {
        std::fs::read_to_string(path).map_err(|error| {
            eprintln!("error: failed to read {what} `{}`: {error}", path.display());
            exit_code::INVALID_INPUT
        })
    };
    let resource_policy = match &args.resource_policy {
        None => None,
        Some(path) => match read_policy("resource policy", path) {
            Ok(text) => Some(text),
            Err(code) => return code,
        },
    };
    let mut session_policies = Vec::new();
    for path in &args.session_policies {
        match read_policy("session policy", path) {
            Ok(text) => session_policies.push(text),
            Err(code) => return code,
        }
    }
    let caller = match (args.role, args.user) {
        (Some(role_arn), _) => ExplainCaller::RoleSession {
            role_arn,
            session_name: args.session_name,
        },
        (None, Some(user)) => ExplainCaller::IamUser(user),
        // clap requires one of the two.
        (None, None) => return exit_code::INVALID_INPUT,
    };
    let request = ExplainRequest {
        caller,
        action: args.action,
        resource: args.resource,
        context: args.context,
        resource_policy,
        session_policies,
        session_tags: args.session_tags,
    };
    match explain(&world, &request) {
        Ok(explanation) => {
            print!("{}", explanation.text);
            exit_code::SUCCESS
        }
        Err(error) => report(&error),
    }
}

/// Prints every problem of a world file that does not load, located and masked like a
/// scenario's diagnostics, and returns the invalid-input exit code.
fn report_world(error: &WorldLoadError) -> i32 {
    eprint!("{}", error.diagnostics);
    exit_code::INVALID_INPUT
}

/// Prints an error with its causes and returns the invalid-input exit code.
fn report(error: &dyn std::error::Error) -> i32 {
    eprintln!("error: {error}");
    let mut source = error.source();
    while let Some(cause) = source {
        eprintln!("  caused by: {cause}");
        source = cause.source();
    }
    exit_code::INVALID_INPUT
}
