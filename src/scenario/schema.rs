//! The JSON Schema of scenario files, generated from the raw model. `xtenant schema`
//! prints it for editors, and validation checks documents against the same schema, so an
//! editor and `xtenant validate` never disagree about the shape of a file.

use super::raw::RawScenario;
use schemars::generate::SchemaSettings;
use serde_json::Value;

/// The scenario file's JSON Schema (draft 2020-12).
pub fn scenario_schema() -> Value {
    let generator = SchemaSettings::draft2020_12().into_generator();
    let mut schema = generator.into_root_schema_for::<RawScenario>().to_value();
    drop_null(&mut schema);
    schema
}

/// Optional keys are simply left out; `null` is not a way of writing "absent". schemars
/// admits `null` for every `Option`, which would also hide the real error inside an
/// `anyOf`, so it is removed: `anyOf: [X, {type: null}]` becomes X, `type: [T, null]`
/// becomes T.
fn drop_null(node: &mut Value) {
    if let Value::Object(object) = node {
        let replacement = object
            .get("anyOf")
            .and_then(Value::as_array)
            .and_then(|alternatives| {
                let kept: Vec<&Value> = alternatives
                    .iter()
                    .filter(|a| a.get("type").and_then(Value::as_str) != Some("null"))
                    .collect();
                (kept.len() == 1 && alternatives.len() == 2).then(|| kept[0].clone())
            });
        if let Some(mut single) = replacement {
            object.remove("anyOf");
            if let Value::Object(inner) = &mut single {
                for (key, value) in std::mem::take(inner) {
                    object.entry(key).or_insert(value);
                }
            }
        }
        if let Some(Value::Array(types)) = object.get_mut("type") {
            types.retain(|t| t.as_str() != Some("null"));
            if types.len() == 1 {
                let only = types[0].clone();
                object.insert("type".into(), only);
            }
        }
        if let Some(Value::Array(choices)) = object.get_mut("enum") {
            choices.retain(|c| !c.is_null());
        }
        for value in object.values_mut() {
            drop_null(value);
        }
    } else if let Value::Array(items) = node {
        for item in items {
            drop_null(item);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_admits_no_null_and_denies_unknown_keys() {
        let schema = scenario_schema();
        let text = schema.to_string();
        assert!(!text.contains("\"null\""), "{text}");
        assert_eq!(schema["additionalProperties"], Value::Bool(false));
        let required = schema["required"].as_array().unwrap();
        for key in ["target", "tenants", "users", "resources"] {
            assert!(required.contains(&Value::from(key)), "{key}");
        }
    }
}
