//! The JSON Schema of the evidence document, generated from the very types that are
//! serialized into it, so the published schema (`xtenant schema --evidence`) cannot drift
//! from what a run writes. Every object is closed (`additionalProperties: false`): a field
//! the schema does not know is a schema error, not a silent extra.

use super::evidence::EvidenceDocument;
use schemars::generate::SchemaSettings;
use serde_json::Value;

/// The evidence document's JSON Schema (draft 2020-12).
pub fn evidence_schema() -> Value {
    // The evidence is only ever written, so the schema describes what serializing gives
    // (a field skipped when empty is optional).
    let generator = SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator();
    let mut schema = generator
        .into_root_schema_for::<EvidenceDocument<'static>>()
        .to_value();
    if let Value::Object(root) = &mut schema {
        root.insert(
            "title".to_owned(),
            Value::String("xtenant evidence".to_owned()),
        );
    }
    close_objects(&mut schema);
    schema
}

/// Adds `additionalProperties: false` to every object schema that lists its properties
/// and says nothing about others.
fn close_objects(node: &mut Value) {
    match node {
        Value::Object(object) => {
            if object.contains_key("properties") && !object.contains_key("additionalProperties") {
                object.insert("additionalProperties".to_owned(), Value::Bool(false));
            }
            for value in object.values_mut() {
                close_objects(value);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(close_objects),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_compiles_names_the_run_metadata_and_closes_its_objects() {
        let schema = evidence_schema();
        jsonschema::validator_for(&schema).expect("the evidence schema compiles");
        assert_eq!(schema["title"], "xtenant evidence");
        assert_eq!(schema["additionalProperties"], false);
        let properties = schema["properties"].as_object().unwrap();
        for key in ["schema_version", "generator", "run", "accounts", "results"] {
            assert!(properties.contains_key(key), "{key}");
        }
        // An evidence document with a field nobody defined is refused.
        let validator = jsonschema::validator_for(&schema).unwrap();
        assert!(!validator.is_valid(&serde_json::json!({"surprise": 1})));
    }
}
