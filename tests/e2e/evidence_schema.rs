//! The published evidence schema (`xtenant schema --evidence`) describes what the shipped
//! scenarios' runs really write, run metadata included.

use crate::support::{matrices, root, run_scenario, text, xtenant_command};
use xtenant::report::evidence_json;

fn published_schema() -> serde_json::Value {
    let output = xtenant_command(&["schema", "--evidence"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("the schema is JSON")
}

#[test]
fn the_evidence_of_every_shipped_scenario_validates_against_the_published_schema() {
    let schema = published_schema();
    let validator = jsonschema::validator_for(&schema).expect("the published schema compiles");
    let shipped = matrices(&root().join("scenarios"));
    assert!(shipped.len() >= 5, "{shipped:?}");
    for (name, file) in shipped {
        let ran = run_scenario(&file);
        assert!(
            ran.results.run.is_some(),
            "{name}: the run metadata is recorded"
        );
        let evidence: serde_json::Value =
            serde_json::from_str(&evidence_json(&ran.results).unwrap()).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&evidence)
            .map(|error| format!("{} at {}", error, error.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}");
        // The schema is strict: an unknown field in the evidence is refused.
        let mut tampered = evidence.clone();
        tampered["run"]["target"]["surprise"] = serde_json::json!(true);
        assert!(!validator.is_valid(&tampered), "{name}");
    }
}
