//! The options of `xtenant run` (and of `harness = false` targets built on the runner),
//! parsed by clap. Parsing only; [`RunArgs::run_options`] and [`RunArgs::report_paths`]
//! turn them into the objects the runner uses.

use super::libtest_front_end::FrontEndSettings;
use super::options::RunOptions;
use super::scenario_run::TargetPatience;
use crate::report::{ConsoleMode, DEFAULT_REPORTS_DIR, ReportPaths};
use std::num::{NonZeroU32, NonZeroUsize};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Clone, clap::Args)]
pub struct RunArgs {
    /// The scenario file.
    pub file: PathBuf,
    /// Probes in flight at once.
    #[arg(long, default_value_t = RunOptions::DEFAULT_CONCURRENCY)]
    pub concurrency: NonZeroUsize,
    /// Requests per second to each service (S3, DynamoDB, Secrets Manager, sign-in).
    #[arg(long)]
    pub max_rps: Option<NonZeroU32>,
    /// Seconds in-flight probes may take to finish after Ctrl-C.
    #[arg(long, default_value_t = 10)]
    pub grace_seconds: u64,
    /// Seconds after which a probe still running is abandoned as inconclusive.
    #[arg(long, default_value_t = 120)]
    pub probe_timeout_seconds: u64,
    /// Seconds after which a sign-in still running counts as failed.
    #[arg(long, default_value_t = 120)]
    pub sign_in_timeout_seconds: u64,
    /// Seconds one attempt of one AWS call may take before the SDK abandons it (and
    /// retries, up to its attempt limit); an unanswered call ends Inconclusive. Default:
    /// the SDK config's 10 s.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    pub attempt_timeout_seconds: Option<u64>,
    /// Directory for the reports named after the scenario.
    #[arg(long, default_value = DEFAULT_REPORTS_DIR)]
    pub reports_dir: PathBuf,
    /// Write the JUnit XML report here instead.
    #[arg(long)]
    pub junit: Option<PathBuf>,
    /// Write the JSON evidence here instead.
    #[arg(long)]
    pub evidence: Option<PathBuf>,
    /// Write the HTML matrix here instead.
    #[arg(long)]
    pub html: Option<PathBuf>,
    /// Write the Markdown summary here instead.
    #[arg(long)]
    pub markdown: Option<PathBuf>,
    /// Write the SARIF 2.1.0 report (breaches and audit findings, for code scanning) here
    /// instead.
    #[arg(long)]
    pub sarif: Option<PathBuf>,
    /// Write no report files (not with a report path: that would be silently dropped).
    #[arg(long, conflicts_with_all = ["junit", "evidence", "html", "markdown", "sarif"])]
    pub no_reports: bool,
    /// Only check that the run can start (every password resolves, ambient credentials
    /// exist when the sign-in flow needs them, the pools answer a sign-in), run no probe
    /// and write nothing.
    #[arg(long)]
    pub preflight: bool,
    /// Skip the configuration audit of the identity layer (made with the ambient AWS
    /// credentials before the probes, when they are available).
    #[arg(long)]
    pub no_audit: bool,
    /// Print only the cases that did not hold and the last line.
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Log every AWS SDK call to stderr, secrets masked (`-vv`: every library's debug
    /// events). `RUST_LOG` sets the filter instead (for example `RUST_LOG=aws_smithy_runtime=trace`).
    #[arg(short, long, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Run only shard K of N (for example `--shard 2/5` on the second of five CI runners):
    /// a deterministic, balanced share of the users, each with all its cases. Reports are
    /// named `<scenario>.shard-K-of-N.*`; `xtenant merge` joins the shards' evidence.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<super::shard::Shard>,
    /// libtest arguments: a filter, `--skip`, `--exact`, `--list`, `--ignored`, ...
    #[arg(last = true)]
    pub libtest_args: Vec<String>,
}

impl RunArgs {
    pub fn run_options(&self) -> RunOptions {
        RunOptions {
            concurrency: self.concurrency,
            max_rps: self.max_rps,
            grace_period: Duration::from_secs(self.grace_seconds),
            probe_timeout: Duration::from_secs(self.probe_timeout_seconds),
            sign_in_timeout: Duration::from_secs(self.sign_in_timeout_seconds),
            ..RunOptions::default()
        }
    }

    /// How patiently the run's AWS calls wait, for [`crate::run::prepare_run_with`].
    pub fn target_patience(&self) -> TargetPatience {
        TargetPatience {
            attempt_timeout: self.attempt_timeout_seconds.map(Duration::from_secs),
        }
    }

    /// Everything the libtest front end needs besides the scenario and the harness.
    pub fn front_end_settings(&self, scenario: &str) -> FrontEndSettings {
        FrontEndSettings {
            options: self.run_options(),
            reports: self.report_paths(scenario),
            console: ConsoleMode::for_run(self.quiet, crate::cli::logging::is_logging()),
            audit: None,
        }
    }

    /// The report paths for `scenario`: defaults in `--reports-dir` (a shard's named after
    /// it too, so shards can share a folder), each overridable.
    pub fn report_paths(&self, scenario: &str) -> ReportPaths {
        if self.no_reports {
            return ReportPaths::none();
        }
        let stem = match self.shard {
            Some(shard) => format!("{scenario}.shard-{}-of-{}", shard.index, shard.count),
            None => scenario.to_owned(),
        };
        let defaults = ReportPaths::in_dir(&self.reports_dir, &stem);
        ReportPaths {
            junit: self.junit.clone().or(defaults.junit),
            evidence: self.evidence.clone().or(defaults.evidence),
            html: self.html.clone().or(defaults.html),
            markdown: self.markdown.clone().or(defaults.markdown),
            sarif: self.sarif.clone().or(defaults.sarif),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(flatten)]
        run: RunArgs,
    }

    fn parse(args: &[&str]) -> RunArgs {
        Cli::try_parse_from(std::iter::once("xtenant-run").chain(args.iter().copied()))
            .unwrap()
            .run
    }

    #[test]
    fn defaults_write_every_report_under_reports_and_pass_libtest_args_through() {
        let args = parse(&["matrix.yaml", "--", "--skip", "guest", "--exact"]);
        assert_eq!(args.run_options(), RunOptions::default());
        assert_eq!(args.libtest_args, ["--skip", "guest", "--exact"]);
        let paths = args.report_paths("pacific");
        assert_eq!(
            paths.junit,
            Some(PathBuf::from("reports/pacific.junit.xml"))
        );
        assert_eq!(paths.markdown, Some(PathBuf::from("reports/pacific.md")));
    }

    #[test]
    fn explicit_options_override_the_defaults() {
        let args = parse(&[
            "matrix.yaml",
            "--concurrency",
            "4",
            "--max-rps",
            "20",
            "--grace-seconds",
            "3",
            "--junit",
            "out/ci.xml",
            "--reports-dir",
            "elsewhere",
        ]);
        let options = args.run_options();
        assert_eq!(options.concurrency.get(), 4);
        assert_eq!(options.max_rps.map(NonZeroU32::get), Some(20));
        assert_eq!(options.grace_period, Duration::from_secs(3));
        let paths = args.report_paths("pacific");
        assert_eq!(paths.junit, Some(PathBuf::from("out/ci.xml")));
        assert_eq!(paths.html, Some(PathBuf::from("elsewhere/pacific.html")));
        assert_eq!(
            parse(&["m.yaml", "--no-reports"]).report_paths("p"),
            ReportPaths::none()
        );
    }

    #[test]
    fn the_attempt_timeout_is_the_sdk_default_unless_given() {
        assert_eq!(
            parse(&["m.yaml"]).target_patience(),
            TargetPatience::default()
        );
        assert_eq!(
            parse(&["m.yaml", "--attempt-timeout-seconds", "2"])
                .target_patience()
                .attempt_timeout,
            Some(Duration::from_secs(2))
        );
        assert!(
            Cli::try_parse_from(["xtenant-run", "m.yaml", "--attempt-timeout-seconds", "0"])
                .is_err()
        );
    }

    #[test]
    fn zero_concurrency_is_rejected() {
        assert!(Cli::try_parse_from(["xtenant-run", "m.yaml", "--concurrency", "0"]).is_err());
    }
}
