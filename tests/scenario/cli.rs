//! The `validate`, `plan` and `schema` subcommands: output streams and exit codes.

use std::process::Command;
use xtenant::exit_code;

fn xtenant(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_xtenant"))
        .args(args)
        .output()
        .expect("run xtenant")
}

#[test]
fn validate_exits_4_with_every_diagnostic_on_stderr() {
    let output = xtenant(&[
        "validate",
        "tests/fixtures/scenarios/broken/several_mistakes.yaml",
    ]);
    assert_eq!(output.status.code(), Some(exit_code::INVALID_INPUT));
    let stderr = String::from_utf8_lossy(&output.stderr);
    for code in ["X0201", "X0401", "X0301", "X0501", "X0205"] {
        assert!(stderr.contains(code), "{code} missing from:\n{stderr}");
    }
    assert!(!stderr.contains("Hunter2-Never-Shown"));
    assert!(output.stdout.is_empty());
}

#[test]
fn validate_and_plan_accept_the_valid_example() {
    let output = xtenant(&["validate", "tests/fixtures/scenarios/valid/pacific.yaml"]);
    assert_eq!(output.status.code(), Some(exit_code::SUCCESS));
    let output = xtenant(&[
        "plan",
        "tests/fixtures/scenarios/valid/pacific.yaml",
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(exit_code::SUCCESS));
    let plan: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    // 80 matrix probes with the 50 request-shape cases of their expected-deny cells, then
    // 25 attack cases.
    assert_eq!(plan["probes"].as_array().unwrap().len(), 155);
    assert_eq!(plan["probes"][0]["name"], "alice::acme/documents::read");
    let table = xtenant(&["plan", "tests/fixtures/scenarios/valid/pacific.yaml"]);
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(text.contains("carol::acme/documents::write"), "{text}");
    // A request-shape case says which API it sends.
    let shape_line = text
        .lines()
        .find(|line| line.starts_with("alice::globex/folder::list::no-prefix "))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        shape_line.ends_with("s3://pacific-data/globex/* via s3:ListObjectsV2"),
        "{shape_line}"
    );
    assert!(
        text.contains("visitor::attack::basic-flow::pacific-acme-readonly"),
        "{text}"
    );
    assert!(text.contains("155 probes"));
}

#[test]
fn schema_prints_a_json_schema() {
    let output = xtenant(&["schema"]);
    assert_eq!(output.status.code(), Some(exit_code::SUCCESS));
    let schema: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(schema["title"], "xtenant scenario");
}

#[test]
fn help_shows_examples() {
    let output = xtenant(&["validate", "--help"]);
    assert!(String::from_utf8_lossy(&output.stdout).contains("Examples:"));
}

#[test]
fn usage_errors_exit_4_not_clap_default() {
    let output = xtenant(&["plan"]);
    assert_eq!(output.status.code(), Some(exit_code::INVALID_INPUT));
    let output = xtenant(&["plan", "x.yaml", "--format", "xml"]);
    assert_eq!(output.status.code(), Some(exit_code::INVALID_INPUT));
    let output = xtenant(&["--help"]);
    assert_eq!(output.status.code(), Some(exit_code::SUCCESS));
}
