//! The SARIF report against the SARIF 2.1.0 definitions of the objects it writes
//! (`tests/fixtures/sarif/sarif-2.1.0-subset.schema.json`, written from the OASIS
//! specification), and its results: one per breach, a waived breach suppressed.

use crate::fake_backend::fake_for;
use crate::scheduler::run;
use crate::synthetic::ScenarioBuilder;
use serde_json::Value;
use xtenant::probe::Verdict;
use xtenant::report::sarif_log;
use xtenant::run::{RunOptions, RunResults};
use xtenant::scenario::ProbeName;
use xtenant::scenario::waiver::parse_date;

pub fn sarif_validator() -> jsonschema::Validator {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/sarif/sarif-2.1.0-subset.schema.json"
    );
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

pub fn assert_valid_sarif(log: &Value) {
    let validator = sarif_validator();
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}\n{log:#}");
}

/// Two breaches by alice, one of them waived.
async fn breached() -> RunResults {
    let input = ScenarioBuilder::new("pacific")
        .user("alice", "acme")
        .user("bob", "globex")
        .waiver("alice::globex/docs::write", "SEC-11", "2027-03-01")
        .build();
    let mut backend = fake_for(&input);
    for name in ["alice::globex/docs::read", "alice::globex/docs::write"] {
        backend
            .verdicts
            .insert(ProbeName(name.into()), Verdict::Allowed);
    }
    let options = RunOptions {
        waiver_day: parse_date("2026-12-02"),
        ..RunOptions::default()
    };
    run(&input, backend, &options).await
}

#[tokio::test(start_paused = true)]
async fn a_breached_run_gives_one_valid_result_per_breach_and_suppresses_the_waived_one() {
    let results = breached().await;
    let log = sarif_log(&results);
    assert_valid_sarif(&log);
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "xtenant");
    let results_json = run["results"].as_array().unwrap();
    let probes: Vec<&str> = results_json
        .iter()
        .map(|result| result["properties"]["probe"].as_str().unwrap())
        .collect();
    assert_eq!(
        probes,
        ["alice::globex/docs::read", "alice::globex/docs::write"]
    );
    for result in results_json {
        assert_eq!(result["ruleId"], "breach/matrix");
        assert_eq!(result["level"], "error");
        let rule = &run["tool"]["driver"]["rules"][result["ruleIndex"].as_u64().unwrap() as usize];
        assert_eq!(rule["id"], "breach/matrix");
    }
    assert!(results_json[0].get("suppressions").is_none());
    let suppression = &results_json[1]["suppressions"][0];
    assert_eq!(suppression["kind"], "external");
    assert_eq!(suppression["status"], "accepted");
    assert!(
        suppression["justification"]
            .as_str()
            .unwrap()
            .starts_with("waived until 2027-03-01 (SEC-11: ")
    );
    // The run exits 1 for the breach that is not waived.
    assert_eq!(run["invocations"][0]["exitCode"], 1);
}

#[tokio::test(start_paused = true)]
async fn fingerprints_are_stable_across_runs_and_differ_between_breaches() {
    let fingerprints = |log: &Value| -> Vec<String> {
        log["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|result| result["partialFingerprints"]["xtenantCase/v1"].to_string())
            .collect()
    };
    let first = fingerprints(&sarif_log(&breached().await));
    let second = fingerprints(&sarif_log(&breached().await));
    assert_eq!(first, second);
    assert_ne!(first[0], first[1]);
}

#[test]
fn the_schema_rejects_what_sarif_rejects() {
    let validator = sarif_validator();
    let valid = serde_json::json!({
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{
            "message": {"text": "m"}, "level": "error",
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": "m.yaml"},
                "region": {"startLine": 1, "startColumn": 1}}}],
            "suppressions": [{"kind": "external", "status": "accepted"}]
        }]}]
    });
    assert!(validator.is_valid(&valid));
    let mut broken = Vec::new();
    for (pointer, value) in [
        ("/version", serde_json::json!("2.0.0")),
        ("/runs/0/results/0/level", serde_json::json!("fatal")),
        (
            "/runs/0/results/0/locations/0/physicalLocation/region/startLine",
            serde_json::json!(0),
        ),
        (
            "/runs/0/results/0/suppressions/0/kind",
            serde_json::json!("waived"),
        ),
        ("/runs/0/results/0/message", serde_json::json!({})),
        ("/runs/0/results/0/unknown", serde_json::json!(1)),
    ] {
        let mut log = valid.clone();
        let (parent, key) = pointer.rsplit_once('/').unwrap();
        log.pointer_mut(parent).unwrap()[key] = value;
        broken.push(log);
    }
    for log in broken {
        assert!(!validator.is_valid(&log), "accepted: {log}");
    }
}
