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
use super::span_index::SpanIndex;
use super::structure::check_structure;
use super::validate::validate;
use serde_yaml::Value as Yaml;
use std::ops::Range;
use std::path::Path;

/// Reads and validates the scenario at `path`. Relative paths inside it (the world file,
/// password files) are resolved against its folder.
pub fn load(path: &Path) -> Result<Scenario, Diagnostics> {
    match std::fs::read_to_string(path) {
        Ok(source) => load_str(&source, path),
        Err(error) => Err(Diagnostics::new(
            path,
            "",
            &[],
            vec![
                Diagnostic::new(
                    DiagnosticCode::UnreadableFile,
                    KeyPath::root(),
                    0..0,
                    format!("failed to read scenario `{}`: {error}", path.display()),
                )
                .with_help("check the path and its permissions"),
            ],
        )),
    }
}

/// Validates scenario text as if read from `file`.
pub fn load_str(source: &str, file: &Path) -> Result<Scenario, Diagnostics> {
    let index = match SpanIndex::build(source) {
        Ok(index) => index,
        Err(error) => {
            let diagnostic = Diagnostic::new(
                DiagnosticCode::YamlSyntax,
                KeyPath::root(),
                error.offset..error.offset,
                format!("invalid YAML: {}", error.message),
            )
            .with_label("here")
            .with_help("fix the YAML syntax (indentation, quotes, brackets)");
            return Err(Diagnostics::new(
                file,
                source,
                &secret_lines(source),
                vec![diagnostic],
            ));
        }
    };
    let fail =
        |items: Vec<Diagnostic>| Diagnostics::new(file, source, index.secret_ranges(), items);

    let duplicates: Vec<Diagnostic> = index
        .duplicates()
        .iter()
        .map(|d| {
            Diagnostic::new(
                DiagnosticCode::DuplicateKey,
                d.path.clone(),
                d.second.clone(),
                format!("key `{}` appears twice", d.path.last_key().unwrap_or("?")),
            )
            .with_label("written again here")
            .with_related(d.first.clone(), "first written here")
            .with_help("keep one of them; YAML mappings cannot repeat a key")
        })
        .collect();
    if !duplicates.is_empty() {
        return Err(fail(duplicates));
    }

    let mut document: Yaml = match serde_yaml::from_str(source) {
        Ok(document) => document,
        Err(error) => {
            let offset = error.location().map_or(0, |l| l.index());
            let message = error.to_string();
            let message = message
                .split(" at line ")
                .next()
                .unwrap_or(&message)
                .to_string();
            if let Some(second) = second_document(source) {
                return Err(fail(vec![
                    Diagnostic::new(
                        DiagnosticCode::UnsupportedYaml,
                        KeyPath::root(),
                        second..second + 3,
                        "the file holds several YAML documents",
                    )
                    .with_label("a second document starts here")
                    .with_help("keep one scenario per file"),
                ]));
            }
            return Err(fail(vec![
                Diagnostic::new(
                    DiagnosticCode::YamlSyntax,
                    KeyPath::root(),
                    offset..offset,
                    format!("invalid YAML: {message}"),
                )
                .with_label("here")
                .with_help("fix the YAML syntax"),
            ]));
        }
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
                    format!("cannot read the scenario: {error}"),
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

/// The offset of a `---` line that starts a second document, if any.
fn second_document(source: &str) -> Option<usize> {
    let mut offset = 0;
    let mut seen_content = false;
    for line in source.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed.starts_with("--- ") {
            if seen_content {
                return Some(offset);
            }
        } else if !trimmed.is_empty() && !trimmed.starts_with('#') {
            seen_content = true;
        }
        offset += line.len();
    }
    None
}

/// Converts the YAML document to JSON for schema validation, reporting what JSON (and the
/// scenario format) cannot express: tags and keys that are not strings.
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
        Yaml::Tagged(tagged) => {
            diagnostics.push(unsupported_yaml(
                path,
                index,
                format!("YAML tag `{}` is not supported", tagged.tag),
                "tagged value",
                "remove the tag; scenario values are plain strings, lists and mappings",
            ));
            Json::Null
        }
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

/// When the file is not even YAML, secret values cannot be located by key path; mask the
/// rest of every line whose key looks like a secret instead.
fn secret_lines(source: &str) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        let lower = line.to_ascii_lowercase();
        if ["pass", "secret", "pwd", "token", "value"]
            .iter()
            .any(|w| lower.contains(w))
            && let Some(colon) = line.find(':')
        {
            let end = line.trim_end_matches(['\n', '\r']).len();
            if colon + 1 < end {
                ranges.push(offset + colon + 1..offset + end);
            }
        }
        offset += line.len();
    }
    ranges
}
