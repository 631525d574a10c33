//! `xtenant sim serve` as a script uses it: run the binary, read the ready output, talk to
//! the endpoint it names with the ids it lists, and rely on `--exit-after` to bound it.

use crate::support::sdk_config_for_endpoint;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const PACIFIC_WORLD: &str = "tests/fixtures/worlds/pacific--prefix-wildcard/world.yaml";

/// Longest wait for the ready output or the exit; the server is usually ready in
/// milliseconds, but the machine is shared.
const PATIENCE: Duration = Duration::from_secs(60);

/// A `sim serve` child, killed when dropped so a failing test leaves nothing running.
struct ServeProcess {
    child: Child,
    lines: mpsc::Receiver<String>,
}

impl ServeProcess {
    fn spawn(world: &str, exit_after_seconds: u64) -> ServeProcess {
        let world = Path::new(env!("CARGO_MANIFEST_DIR")).join(world);
        let mut child = Command::new(env!("CARGO_BIN_EXE_xtenant"))
            .args(["sim", "serve", "--world"])
            .arg(world)
            .args(["--exit-after", &exit_after_seconds.to_string()])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("xtenant starts");
        let stdout = child.stdout.take().expect("stdout is piped");
        let (sender, lines) = mpsc::channel();
        // Reading on a thread lets the test wait with a deadline instead of hanging.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        ServeProcess { child, lines }
    }

    fn next_line(&self) -> String {
        self.lines
            .recv_timeout(PATIENCE)
            .expect("sim serve prints its ready output")
    }

    fn wait_for_exit(&mut self) -> std::process::ExitStatus {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().expect("child status is readable") {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "sim serve did not stop by itself"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for ServeProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The value of a `key=value` field of a ready-output line.
fn field<'a>(line: &'a str, key: &str) -> &'a str {
    line.split(' ')
        .find_map(|word| word.strip_prefix(key)?.strip_prefix('='))
        .unwrap_or_else(|| panic!("`{key}=` missing from `{line}`"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ready_output_lists_the_endpoint_and_every_pool_id_a_client_needs() {
    let serve = ServeProcess::spawn(PACIFIC_WORLD, 120);
    let ready = serve.next_line();
    assert!(
        ready.starts_with("local staging ready: endpoint=http://127.0.0.1:"),
        "{ready}"
    );
    assert_eq!(field(&ready, "region"), "us-east-1");
    assert_eq!(field(&ready, "account"), "111122223333");
    let user_pool = serve.next_line();
    assert_eq!(
        user_pool,
        "user pool: id=us-east-1_Pacific01 clients=4pacificwebclient0000000001 name=pacific-tenants"
    );
    let identity_pool = serve.next_line();
    assert_eq!(
        identity_pool,
        "identity pool: id=us-east-1:5b0e7c2a-6d1f-4e8a-9c3b-2f4d6a8e0c11"
    );

    // The ids printed are the ones the running server answers to.
    let config = sdk_config_for_endpoint(field(&ready, "endpoint"), field(&ready, "region")).await;
    let user_pools = aws_sdk_cognitoidentityprovider::Client::new(&config);
    let signed_in = user_pools
        .initiate_auth()
        .client_id(field(&user_pool, "clients"))
        .auth_flow(aws_sdk_cognitoidentityprovider::types::AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", "acme-alice")
        .auth_parameters("PASSWORD", "Acme-Alice-Pa55!")
        .send()
        .await
        .expect("the listed app client signs a user in");
    assert!(
        signed_in
            .authentication_result()
            .and_then(|result| result.id_token())
            .is_some()
    );
    let identity_pools = aws_sdk_cognitoidentity::Client::new(&config);
    let identity = identity_pools
        .get_id()
        .identity_pool_id(field(&identity_pool, "id"))
        .send()
        .await
        .expect("the listed identity pool hands out a guest identity");
    assert!(
        identity
            .identity_id()
            .is_some_and(|id| id.starts_with("us-east-1:"))
    );
}

#[test]
fn exit_after_stops_the_server_by_itself_with_success() {
    let mut serve = ServeProcess::spawn(PACIFIC_WORLD, 1);
    let ready = serve.next_line();
    assert!(ready.starts_with("local staging ready: "), "{ready}");
    let status = serve.wait_for_exit();
    assert!(status.success(), "{status:?}");
}

#[test]
fn an_invalid_world_is_refused_before_any_ready_output() {
    let dir = tempfile::tempdir().unwrap();
    let world = dir.path().join("world.yaml");
    std::fs::write(&world, "account_id: \"1\"\nregion: us-east-1\n").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_xtenant"))
        .args(["sim", "serve", "--world"])
        .arg(&world)
        .args(["--exit-after", "1"])
        .output()
        .expect("xtenant runs");
    assert_eq!(
        output.status.code(),
        Some(xtenant::exit_code::INVALID_INPUT)
    );
    assert!(
        !String::from_utf8_lossy(&output.stdout).contains("local staging ready"),
        "a world that does not load must never look ready"
    );
}

#[test]
fn clock_offset_moves_the_served_clock_and_says_so() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_xtenant"))
        .args(["sim", "serve", "--world"])
        .arg(root.join(PACIFIC_WORLD))
        .args(["--exit-after", "1", "--clock-offset", "-7200"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("xtenant starts");
    let stdout = child.stdout.take().expect("stdout is piped");
    let lines: Vec<String> = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .collect();
    let status = child.wait().expect("sim serve stops by itself");
    assert!(status.success());
    let clock = lines
        .iter()
        .find(|line| line.starts_with("clock: "))
        .unwrap_or_else(|| panic!("no clock line in {lines:?}"));
    let offset: i64 = field(clock, "offset")
        .trim_end_matches('s')
        .parse()
        .expect("an offset in seconds");
    assert!((-7202..=-7198).contains(&offset), "{clock}");
}

#[test]
fn tls_serves_https_prints_the_authority_fingerprint_and_writes_its_certificate() {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let authority = dir.path().join("authority.pem");
    let mut child = Command::new(env!("CARGO_BIN_EXE_xtenant"))
        .args(["sim", "serve", "--world"])
        .arg(root.join(PACIFIC_WORLD))
        .args(["--exit-after", "1", "--tls", "--tls-authority-out"])
        .arg(&authority)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("xtenant starts");
    let stdout = child.stdout.take().expect("stdout is piped");
    let lines: Vec<String> = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .collect();
    assert!(child.wait().expect("stops by itself").success());
    assert!(
        lines[0].starts_with("local staging ready: endpoint=https://127.0.0.1:"),
        "{lines:?}"
    );
    let tls = lines
        .iter()
        .find(|line| line.starts_with("tls: "))
        .unwrap_or_else(|| panic!("no tls line in {lines:?}"));
    let printed = field(tls, "authority_sha256");
    let pem = std::fs::read_to_string(&authority).expect("the authority was written");
    let body: String = pem
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(body)
        .expect("PEM base64");
    let computed = Sha256::digest(&der)
        .iter()
        .map(|byte| format!("{byte:02X}"))
        .collect::<Vec<_>>()
        .join(":");
    assert_eq!(printed, computed);
}
