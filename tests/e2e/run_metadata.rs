//! The evidence says exactly what was tested: the target's kind (local staging is never
//! mistakable for an AWS account), region, account, endpoint, pool ids, the files' SHA-256,
//! the filters, the build, the command line (secrets masked), the host and the times; the
//! JUnit properties and the HTML and Markdown headers say the same.

use crate::support::{root, text, xtenant_command};
use sha2::{Digest, Sha256};

fn sha256_of(path: &str) -> String {
    hex::encode(Sha256::digest(std::fs::read(root().join(path)).unwrap()))
}

#[test]
fn the_evidence_and_every_header_say_what_was_tested_and_how() {
    let reports = tempfile::tempdir().unwrap();
    let output = xtenant_command(&[
        "run",
        "scenarios/books/matrix.yaml",
        "--reports-dir",
        reports.path().to_str().unwrap(),
        "--",
        "acme-reader::",
        // A password on the command line is masked wherever the command line is recorded.
        "--skip",
        "Acme-Reader-Pa55!",
    ])
    .env("AWS_REGION", "eu-west-3")
    .env_remove("AWS_DEFAULT_REGION")
    .output()
    .unwrap();
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("the environment's region eu-west-3 (AWS_REGION) is ignored"),
        "{stderr}"
    );
    let read = |extension: &str| {
        std::fs::read_to_string(reports.path().join(format!("books.{extension}"))).unwrap()
    };
    let evidence_text = read("evidence.json");
    assert!(!evidence_text.contains("Acme-Reader-Pa55!"));
    let evidence: serde_json::Value = serde_json::from_str(&evidence_text).unwrap();
    let run = &evidence["run"];
    let target = &run["target"];
    assert_eq!(target["kind"], "local_staging");
    assert_eq!(target["region"], "us-east-1");
    assert_eq!(target["ignored_environment_region"], "eu-west-3");
    let endpoint = target["endpoint_url"].as_str().unwrap();
    // Local staging started for the run serves HTTPS (aws:SecureTransport true).
    assert!(endpoint.starts_with("https://127.0.0.1:"), "{endpoint}");
    let scenario = xtenant::scenario::load(&root().join("scenarios/books/matrix.yaml")).unwrap();
    assert_eq!(
        target["user_pool_id"],
        scenario.target.user_pool.id.as_str()
    );
    assert_eq!(
        target["app_client_id"],
        scenario.target.user_pool.client_id.as_str()
    );
    assert_eq!(
        target["identity_pool_id"],
        scenario.target.identity_pool.id.as_str()
    );
    assert_eq!(evidence["accounts"], serde_json::json!(["111122223333"]));
    assert_eq!(
        run["scenario_file"]["sha256"],
        sha256_of("scenarios/books/matrix.yaml")
    );
    assert_eq!(
        run["world_file"]["sha256"],
        sha256_of("scenarios/books/world.yaml")
    );
    assert_eq!(run["filters"]["filter"], "acme-reader::");
    assert_eq!(run["filters"]["skip"], serde_json::json!(["***"]));
    assert_eq!(run["xtenant"]["commit"], xtenant::build_info::COMMIT);
    assert_eq!(evidence["generator"]["commit"], xtenant::build_info::COMMIT);
    let command_line: Vec<&str> = run["command_line"]
        .as_array()
        .unwrap()
        .iter()
        .map(|argument| argument.as_str().unwrap())
        .collect();
    assert_eq!(
        command_line[1..4],
        ["run", "scenarios/books/matrix.yaml", "--reports-dir"]
    );
    assert_eq!(command_line.last(), Some(&"***"));
    assert!(!run["host"].as_str().unwrap().is_empty());
    let timing = &evidence["results"]["timing"];
    assert!(timing["finished_at"].as_str().unwrap() >= timing["started_at"].as_str().unwrap());

    let junit = read("junit.xml");
    assert!(
        junit.contains(
            "<property name=\"target-kind\" value=\"local staging (the emulator on 127.0.0.1, not an AWS account)\"/>"
        ),
        "{junit}"
    );
    assert!(junit.contains("<property name=\"account\" value=\"111122223333\"/>"));
    for report in [read("md"), read("html")] {
        assert!(
            report
                .contains("Target: local staging (the emulator on 127.0.0.1, not an AWS account)"),
            "{report}"
        );
        assert!(report.contains(&sha256_of("scenarios/books/world.yaml")));
        assert!(!report.contains("Acme-Reader-Pa55!"));
    }
}
