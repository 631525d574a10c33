//! One `xtenant run` as a user would make it against an AWS account, with the network
//! in between faulty: local staging in-process, the proxy in front of it, and the real
//! binary run on a shipped scenario whose target names the staged pools, with
//! `AWS_ENDPOINT_URL` at the proxy. What the run printed and wrote is collected.

use crate::fault_rules::FaultRule;
use crate::proxy::{FaultedCall, Proxy};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use xtenant::sim::{LocalStaging, World};

/// The ambient credentials the run is given (for its end-of-run cleanup): dummies, but
/// secrets all the same.
pub const AMBIENT_ACCESS_KEY: &str = "AKIAFAULTSAMBIENT001";
pub const AMBIENT_SECRET_KEY: &str = "Fault5Ambient/Secret+Key0123456789abcdEF";

/// No run may take longer than this; a hang of the harness fails the test instead.
const RUN_LIMIT: Duration = Duration::from_secs(50);

/// A finished run.
pub struct FaultRun {
    pub exit_code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    /// Every file in the reports folder, by file name.
    pub files: Vec<(String, String)>,
    pub evidence: serde_json::Value,
    pub faulted: Vec<FaultedCall>,
    /// Every secret the run handled: what the proxy saw, the passwords, the ambient keys.
    pub secrets: Vec<String>,
    pub forwarded: usize,
    pub elapsed: Duration,
}

/// The builder of one run: a shipped scenario, fault rules, extra `xtenant run` options.
pub struct StagedRun {
    scenario: &'static str,
    rules: Vec<FaultRule>,
    options: Vec<String>,
}

impl StagedRun {
    pub fn of(scenario: &'static str) -> StagedRun {
        StagedRun {
            scenario,
            rules: Vec::new(),
            options: Vec::new(),
        }
    }

    pub fn fault(mut self, rule: FaultRule) -> StagedRun {
        self.rules.push(rule);
        self
    }

    pub fn option(mut self, option: &str) -> StagedRun {
        self.options.push(option.to_owned());
        self
    }

    pub fn run(self) -> FaultRun {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a runtime for local staging and the proxy");
        let dir = tempfile::tempdir().expect("a temporary folder");
        let shipped = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios")
            .join(self.scenario);
        let world = World::load(shipped.join("world.yaml")).expect("the shipped world loads");
        let (staging, proxy) = runtime.block_on(async {
            let staging = LocalStaging::start(world, None)
                .await
                .expect("local staging starts");
            let proxy = Proxy::start(staging.endpoint(), self.rules.clone()).await;
            (staging, proxy)
        });
        let matrix = std::fs::read_to_string(shipped.join("matrix.yaml")).expect("the matrix");
        let scenario_file = dir.path().join(format!("{}.yaml", self.scenario));
        std::fs::write(&scenario_file, aws_account_scenario(&matrix, &staging))
            .expect("write the scenario");
        let reports = dir.path().join("reports");

        let started = Instant::now();
        let output = runtime.block_on(async {
            let command = xtenant_run(
                &scenario_file,
                &reports,
                &self.options,
                proxy.endpoint(),
                dir.path(),
            );
            tokio::task::spawn_blocking(move || run_bounded(command))
                .await
                .expect("the run's thread")
        });
        let elapsed = started.elapsed();

        let files = read_folder(&reports);
        let evidence = files
            .iter()
            .find(|(name, _)| name.ends_with(".evidence.json"))
            .and_then(|(_, text)| serde_json::from_str(text).ok())
            .unwrap_or(serde_json::Value::Null);
        let mut secrets = proxy.secrets();
        secrets.extend(passwords(&matrix));
        secrets.push(AMBIENT_SECRET_KEY.to_owned());
        secrets.sort();
        secrets.dedup();
        let run = FaultRun {
            exit_code: output.0,
            stdout: output.1,
            stderr: output.2,
            files,
            evidence,
            faulted: proxy.faulted(),
            secrets,
            forwarded: proxy.forwarded(),
            elapsed,
        };
        drop(proxy);
        drop(staging);
        runtime.shutdown_timeout(Duration::from_secs(1));
        run
    }
}

/// The shipped matrix with its `local: world.yaml` target replaced by the AWS-account
/// form naming the staged region, user pool, app client and identity pool.
fn aws_account_scenario(matrix: &str, staging: &LocalStaging) -> String {
    let pool = &staging.user_pools()[0];
    let target = format!(
        "target:\n  region: {}\n  user_pool:\n    id: {}\n    client_id: {}\n  identity_pool:\n    id: \"{}\"\n",
        staging.region(),
        pool.pool_id,
        pool.client_ids[0],
        staging.identity_pool_ids()[0],
    );
    let local = "target:\n  local: world.yaml\n";
    assert!(
        matrix.contains(local),
        "the shipped matrix targets its world"
    );
    matrix.replace(local, &target)
}

/// Every `password: {value: "..."}` of the matrix.
fn passwords(matrix: &str) -> Vec<String> {
    matrix
        .lines()
        .filter_map(|line| line.split_once("password: {value: \""))
        .filter_map(|(_, rest)| rest.split_once('"').map(|(value, _)| value.to_owned()))
        .collect()
}

fn xtenant_run(
    scenario: &Path,
    reports: &Path,
    options: &[String],
    endpoint: &str,
    home: &Path,
) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtenant"));
    command
        .arg("run")
        .arg(scenario)
        .arg("--reports-dir")
        .arg(reports)
        .args(["--concurrency", "32"])
        .args(options)
        // Nothing of the machine's AWS setup: only what a user would set for a proxy.
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("AWS_ENDPOINT_URL", endpoint)
        .env("AWS_ACCESS_KEY_ID", AMBIENT_ACCESS_KEY)
        .env("AWS_SECRET_ACCESS_KEY", AMBIENT_SECRET_KEY)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", home.join("no-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("no-credentials"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// Runs `command`, killing it past [`RUN_LIMIT`]: (exit code, stdout, stderr).
fn run_bounded(mut command: Command) -> (Option<i32>, String, String) {
    let mut child = command.spawn().expect("the xtenant binary starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let stderr = child.stderr.take().expect("piped stderr");
    let read = |mut pipe: Box<dyn std::io::Read + Send>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = pipe.read_to_string(&mut text);
            text
        })
    };
    let stdout = read(Box::new(stdout));
    let stderr = read(Box::new(stderr));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("the run's status") {
            break Some(status);
        }
        if started.elapsed() > RUN_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    (
        status.and_then(|status| status.code()),
        stdout.join().unwrap_or_default(),
        stderr.join().unwrap_or_default(),
    )
}

fn read_folder(folder: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(folder)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|path| path.is_file())
                .map(|path: PathBuf| {
                    let name = path.file_name().unwrap().to_string_lossy().into_owned();
                    (name, std::fs::read_to_string(&path).unwrap_or_default())
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}
