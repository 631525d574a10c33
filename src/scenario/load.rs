//! Loading a scenario file: read, parse, index positions, check the structure against the
//! schema, read into the raw model, validate. Every stage reports all it finds; a stage
//! runs only when the one before left something it can read.

use super::diagnostic::Diagnostic;
use super::diagnostic_code::DiagnosticCode;
use super::diagnostics::Diagnostics;
use super::key_path::KeyPath;
use super::model::Scenario;
use super::raw::RawScenario;
use super::schema::scenario_schema;
use super::span_index::{SCENARIO_SECRETS, SpanIndex};
use super::structure::check_structure;
use super::validate::validate;
use super::yaml_file::{self, FileKind, ParsedYaml};
use serde_yaml::Value as Yaml;
use std::path::Path;

/// What the shared YAML front end needs to know about scenario files.
pub const SCENARIO_FILE: FileKind = FileKind {
    noun: "scenario",
    layout: SCENARIO_SECRETS,
};

/// Reads and validates the scenario at `path`. Relative paths inside it (the world file,
/// password files) are resolved against its folder.
pub fn load(path: &Path) -> Result<Scenario, Diagnostics> {
    let source = yaml_file::read(path, &SCENARIO_FILE)?;
    load_str(&source, path)
}

/// Validates scenario text as if read from `file`.
pub fn load_str(source: &str, file: &Path) -> Result<Scenario, Diagnostics> {
    let ParsedYaml {
        index,
        mut document,
        ..
    } = yaml_file::parse(source, file, &SCENARIO_FILE)?;
    let fail = |items: Vec<Diagnostic>| {
        let mut masked = index.secret_ranges().to_vec();
        masked.extend(yaml_file::guarded_spans(&items, &SCENARIO_SECRETS, &index));
        Diagnostics::new(file, source, &masked, yaml_file::shown_paths(items, &index))
    };

    let mut diagnostics = Vec::new();
    let json = to_json(&document, &KeyPath::root(), &index, &mut diagnostics);
    if !diagnostics.is_empty() {
        return Err(fail(diagnostics));
    }
    let report = check_structure(&scenario_schema(), &json, &index);
    diagnostics.extend(report.diagnostics);
    if report.blocking {
        return Err(fail(diagnostics));
    }
    for path in &report.unknown_keys {
        remove(&mut document, path);
    }
    let raw: RawScenario = match serde_yaml::from_value(document) {
        Ok(raw) => raw,
        Err(error) => {
            // The schema admitted the document, so serde should too; if they ever
            // disagree, say so rather than accept the file.
            diagnostics.push(
                Diagnostic::new(
                    DiagnosticCode::WrongType,
                    KeyPath::root(),
                    0..0,
                    // serde's message can quote a value; its position is enough.
                    match error.location() {
                        Some(at) => format!(
                            "cannot read the scenario (line {}, column {})",
                            at.line(),
                            at.column()
                        ),
                        None => "cannot read the scenario".to_string(),
                    },
                )
                .with_help("please report this: the schema and the reader disagree"),
            );
            return Err(fail(diagnostics));
        }
    };
    match validate(raw, file, source, &index) {
        Ok(scenario) if diagnostics.is_empty() => Ok(scenario),
        Ok(_) => Err(fail(diagnostics)),
        Err(semantic) => {
            diagnostics.extend(semantic);
            Err(fail(diagnostics))
        }
    }
}

/// Converts the YAML document to JSON for schema validation, reporting what JSON (and the
/// scenario format) cannot express: keys that are not strings.
fn to_json(
    value: &Yaml,
    path: &KeyPath,
    index: &SpanIndex,
    diagnostics: &mut Vec<Diagnostic>,
) -> serde_json::Value {
    use serde_json::Value as Json;
    match value {
        Yaml::Null => Json::Null,
        Yaml::Bool(b) => Json::Bool(*b),
        Yaml::Number(n) => {
            if let Some(i) = n.as_i64() {
                Json::from(i)
            } else if let Some(u) = n.as_u64() {
                Json::from(u)
            } else {
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map_or(Json::Null, Json::Number)
            }
        }
        Yaml::String(s) => Json::String(s.clone()),
        Yaml::Sequence(items) => Json::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| to_json(item, &path.index(i), index, diagnostics))
                .collect(),
        ),
        Yaml::Mapping(mapping) => {
            let mut object = serde_json::Map::new();
            for (key, item) in mapping {
                match key {
                    Yaml::String(key) => {
                        let child = to_json(item, &path.key(key.clone()), index, diagnostics);
                        object.insert(key.clone(), child);
                    }
                    other => diagnostics.push(unsupported_yaml(
                        path,
                        index,
                        format!("mapping key {} is not a string", describe_key(other)),
                        "in this mapping",
                        "quote the key, for example `\"123\": ...`",
                    )),
                }
            }
            Json::Object(object)
        }
        // Tags were refused, each at its position, before the document was read.
        Yaml::Tagged(tagged) => to_json(&tagged.value, path, index, diagnostics),
    }
}

/// What JSON cannot express, reported at the node at `path`.
fn unsupported_yaml(
    path: &KeyPath,
    index: &SpanIndex,
    message: String,
    label: &str,
    help: &str,
) -> Diagnostic {
    Diagnostic::new(
        DiagnosticCode::UnsupportedYaml,
        path.clone(),
        index.locate(path, false),
        message,
    )
    .with_label(label)
    .with_help(help)
}

fn describe_key(key: &Yaml) -> &'static str {
    match key {
        Yaml::Null => "`null`",
        Yaml::Bool(_) => "(a boolean)",
        Yaml::Number(_) => "(a number)",
        Yaml::Sequence(_) => "(a sequence)",
        Yaml::Mapping(_) => "(a mapping)",
        Yaml::Tagged(_) => "(a tagged value)",
        Yaml::String(_) => "(a string)",
    }
}

/// Removes the node at `path` (an unknown key) so the rest can be read.
fn remove(document: &mut Yaml, path: &KeyPath) {
    let Some((last, parents)) = path.segments().split_last() else {
        return;
    };
    let mut node = document;
    for segment in parents {
        let next = match segment {
            super::key_path::PathSegment::Key(key) => node.get_mut(key.as_str()),
            super::key_path::PathSegment::Index(i) => node.get_mut(*i),
        };
        match next {
            Some(next) => node = next,
            None => return,
        }
    }
    if let (super::key_path::PathSegment::Key(key), Some(mapping)) = (last, node.as_mapping_mut()) {
        mapping.remove(key.as_str());
    }
}
