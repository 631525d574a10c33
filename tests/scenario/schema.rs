//! `xtenant schema`: the JSON Schema accepts the valid examples and rejects broken shapes.

use crate::support::fixtures;
use xtenant::scenario::scenario_schema;

fn as_json(path: &std::path::Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap();
    let yaml: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    serde_json::to_value(yaml).unwrap()
}

#[test]
fn the_schema_validates_every_valid_example() {
    let validator = jsonschema::validator_for(&scenario_schema()).expect("schema compiles");
    let instance = as_json(&fixtures().join("valid/pacific.yaml"));
    let errors: Vec<String> = validator
        .iter_errors(&instance)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn the_schema_rejects_unknown_keys_and_wrong_types() {
    let validator = jsonschema::validator_for(&scenario_schema()).expect("schema compiles");
    for broken in [
        "unknown_key.yaml",
        "wrong_type.yaml",
        "missing_key.yaml",
        "invalid_choice.yaml",
    ] {
        let instance = as_json(&fixtures().join("broken").join(broken));
        assert!(
            !validator.is_valid(&instance),
            "{broken} should be rejected"
        );
    }
}
