//! `xtenant sim explain` as a person runs it: the binary on a shipped world, with the
//! caller, session policies and session tags given as flags.

use std::path::Path;
use std::process::{Command, Output};

const PACIFIC_WORLD: &str = "scenarios/pacific/world.yaml";
const ACME_ROLE: &str = "arn:aws:iam::111122223333:role/PacificTenantAcme";
const ACME_OBJECT: &str = "arn:aws:s3:::pacific-tenant-data/acme/documents/plan.txt";

fn explain(args: &[&str]) -> Output {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    Command::new(env!("CARGO_BIN_EXE_xtenant"))
        .current_dir(root)
        .args(["sim", "explain", "--world", PACIFIC_WORLD])
        .args(args)
        .output()
        .expect("xtenant runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn a_session_tag_replaces_the_role_tag_and_moves_the_tenant() {
    let own = explain(&[
        "--role",
        ACME_ROLE,
        "--action",
        "s3:GetObject",
        "--resource",
        ACME_OBJECT,
    ]);
    assert_eq!(own.status.code(), Some(0));
    assert!(
        stdout(&own).contains("OwnTenantObjects"),
        "{}",
        stdout(&own)
    );
    assert!(
        stdout(&own).contains("bucket pacific-tenant-data"),
        "{}",
        stdout(&own)
    );

    let moved = explain(&[
        "--role",
        ACME_ROLE,
        "--action",
        "s3:GetObject",
        "--resource",
        ACME_OBJECT,
        "--session-tag",
        "tenant=globex",
    ]);
    assert_eq!(moved.status.code(), Some(0));
    let text = stdout(&moved);
    assert!(!text.contains("OwnTenantObjects"), "{text}");
    assert!(text.to_lowercase().contains("implicit"), "{text}");
}

#[test]
fn a_session_policy_file_narrows_the_session() {
    let dir = tempfile::tempdir().unwrap();
    let session_policy = dir.path().join("session.json");
    std::fs::write(
        &session_policy,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"*"}]}"#,
    )
    .unwrap();
    let narrowed = explain(&[
        "--role",
        ACME_ROLE,
        "--action",
        "s3:GetObject",
        "--resource",
        ACME_OBJECT,
        "--session-policy",
        session_policy.to_str().unwrap(),
    ]);
    assert_eq!(narrowed.status.code(), Some(0));
    assert!(
        stdout(&narrowed).contains("session polic"),
        "{}",
        stdout(&narrowed)
    );
}

#[test]
fn the_caller_is_a_role_or_a_user_and_an_unknown_user_is_invalid_input() {
    let neither = explain(&["--action", "s3:GetObject", "--resource", ACME_OBJECT]);
    assert_eq!(neither.status.code(), Some(4), "a usage error");
    let unknown = explain(&[
        "--user",
        "nobody",
        "--action",
        "s3:GetObject",
        "--resource",
        ACME_OBJECT,
    ]);
    assert_eq!(unknown.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no IAM user `nobody`"));
}
