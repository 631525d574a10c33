//! Structural validation: the document checked against the scenario's JSON Schema, every
//! violation (unknown key, wrong type, missing key, value outside its choices) reported at
//! once with its position, instead of serde's first error only.

use super::diagnostic::Diagnostic;
use super::diagnostic_code::DiagnosticCode;
use super::key_path::KeyPath;
use super::probe_table::closest;
use super::span_index::SpanIndex;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde_json::Value;

/// The outcome of structural validation.
pub struct StructureReport {
    pub diagnostics: Vec<Diagnostic>,
    /// Unknown keys, which validation can skip over to look for further problems.
    pub unknown_keys: Vec<KeyPath>,
    /// Whether any problem other than an unknown key was found: the document cannot be
    /// read into the model then.
    pub blocking: bool,
}

/// Checks `instance` against `schema`.
pub fn check_structure(schema: &Value, instance: &Value, index: &SpanIndex) -> StructureReport {
    let mut report = StructureReport {
        diagnostics: Vec::new(),
        unknown_keys: Vec::new(),
        blocking: false,
    };
    let validator = match jsonschema::validator_for(schema) {
        Ok(validator) => validator,
        Err(error) => {
            // The schema is generated from our own types; failing to compile it is a bug,
            // reported rather than letting an unchecked document through.
            report.blocking = true;
            report.diagnostics.push(Diagnostic::new(
                DiagnosticCode::WrongType,
                KeyPath::root(),
                0..0,
                format!("internal error: the scenario schema does not compile: {error}"),
            ));
            return report;
        }
    };
    let mut typed_paths: Vec<KeyPath> = Vec::new();
    for error in validator.iter_errors(instance) {
        let path = KeyPath::from_json_pointer(error.instance_path().as_str());
        match error.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                let known = known_keys(schema, &path);
                for key in unexpected {
                    let at = path.key(key.clone());
                    let span = index.locate(&at, true);
                    let help = match closest(key, &known) {
                        Some(near) => format!("did you mean `{near}`?"),
                        None if known.is_empty() => "remove it".to_string(),
                        None => format!(
                            "remove it; keys allowed here: {}",
                            known
                                .iter()
                                .map(|k| format!("`{k}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    };
                    // A key a user entry does not know may be the password itself,
                    // written where a key belongs: name it only where that cannot be.
                    let (shown, message) = if index.hides_key(&path, key) {
                        (
                            path.key(KeyPath::HIDDEN),
                            "unknown key (not shown: it may hold a secret)".to_string(),
                        )
                    } else {
                        (at.clone(), format!("unknown key `{key}`"))
                    };
                    report.diagnostics.push(
                        Diagnostic::new(DiagnosticCode::UnknownKey, shown, span, message)
                            .with_label("not a key of this section")
                            .with_help(help),
                    );
                    report.unknown_keys.push(at);
                }
            }
            ValidationErrorKind::Type { kind } => {
                report.blocking = true;
                let expected = match kind {
                    TypeKind::Single(t) => describe_type(t.as_str()).to_string(),
                    TypeKind::Multiple(set) => set
                        .iter()
                        .map(|t| describe_type(t.as_str()))
                        .collect::<Vec<_>>()
                        .join(" or "),
                };
                let found = describe_value(error.instance());
                let span = index.locate(&path, false);
                let secret_key = matches!(path.last_key(), Some("password" | "client_secret"));
                let help = match (expected.as_str(), error.instance().as_ref()) {
                    ("a mapping", _) if secret_key => {
                        "write `{env: NAME}`, `{file: PATH}` or `{value: ...}`".to_string()
                    }
                    ("a string", Value::Number(_) | Value::Bool(_)) => {
                        "quote the value to make it a string, for example `\"123\"`".to_string()
                    }
                    ("a sequence", Value::String(_)) => {
                        "write a list, for example `[first, second]`".to_string()
                    }
                    ("a mapping", Value::Null) => {
                        "give the section's keys, or remove the key".to_string()
                    }
                    _ => format!("write {expected} here"),
                };
                typed_paths.push(path.clone());
                report.diagnostics.push(
                    Diagnostic::new(
                        DiagnosticCode::WrongType,
                        path,
                        span,
                        format!("expected {expected}, found {found}"),
                    )
                    .with_label(format!("this is {found}"))
                    .with_help(help),
                );
            }
            ValidationErrorKind::Required { property } => {
                report.blocking = true;
                let key = property.as_str().unwrap_or("?").to_string();
                let span = index.locate(&path, true);
                report.diagnostics.push(
                    Diagnostic::new(
                        DiagnosticCode::MissingKey,
                        path.key(key.clone()),
                        span,
                        format!("missing key `{key}`"),
                    )
                    .with_label(format!("`{key}` is required here"))
                    .with_help(format!(
                        "add `{key}:` to this section (see docs/scenario.md)"
                    )),
                );
            }
            ValidationErrorKind::Enum { options } => {
                report.blocking = true;
                if typed_paths.contains(&path) {
                    continue;
                }
                let choices: Vec<String> = options
                    .as_array()
                    .map(|items| {
                        items
                            .iter()
                            .filter_map(|v| v.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default();
                let written = error.instance().as_str().unwrap_or("").to_string();
                let span = index.locate(&path, false);
                let listed = choices
                    .iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let help = match closest(&written, &choices) {
                    Some(near) => format!("did you mean `{near}`? choices: {listed}"),
                    None => format!("choices: {listed}"),
                };
                report.diagnostics.push(
                    Diagnostic::new(
                        DiagnosticCode::InvalidChoice,
                        path,
                        span,
                        format!("`{written}` is not one of the choices"),
                    )
                    .with_label("not a valid choice")
                    .with_help(help),
                );
            }
            other => {
                report.blocking = true;
                let span = index.locate(&path, false);
                report.diagnostics.push(
                    Diagnostic::new(
                        DiagnosticCode::WrongType,
                        path,
                        span,
                        format!("invalid value: {}", describe_kind(other)),
                    )
                    .with_label("does not fit the scenario format")
                    .with_help("see docs/scenario.md, or `xtenant schema` for the full format"),
                );
            }
        }
    }
    // An enum error reported before its path's type error is redundant with it.
    let typed = typed_paths;
    report
        .diagnostics
        .retain(|d| !(d.code == DiagnosticCode::InvalidChoice && typed.contains(&d.path)));
    report
}

fn describe_kind(kind: &ValidationErrorKind) -> String {
    // Only the keyword's name: jsonschema's own messages quote the value, which may be a
    // secret.
    let text = format!("{kind:?}");
    text.split([' ', '{', '('])
        .next()
        .unwrap_or("constraint")
        .to_string()
}

fn describe_type(json_type: &str) -> &'static str {
    match json_type {
        "object" => "a mapping",
        "array" => "a sequence",
        "string" => "a string",
        "integer" => "an integer",
        "number" => "a number",
        "boolean" => "a boolean (`true` or `false`)",
        "null" => "nothing",
        _ => "another type",
    }
}

fn describe_value(value: &Value) -> &'static str {
    match value {
        Value::Object(_) => "a mapping",
        Value::Array(_) => "a sequence",
        Value::String(_) => "a string",
        Value::Number(_) => "a number",
        Value::Bool(_) => "a boolean",
        Value::Null => "an empty value",
    }
}

/// The keys the schema allows at `path`, for "did you mean" suggestions.
fn known_keys(schema: &Value, path: &KeyPath) -> Vec<String> {
    let mut node = schema;
    for segment in path.segments() {
        node = resolve_ref(schema, node);
        node = match segment {
            super::key_path::PathSegment::Key(key) => {
                match node.get("properties").and_then(|p| p.get(key)) {
                    Some(child) => child,
                    None => match node.get("additionalProperties") {
                        Some(child) if child.is_object() => child,
                        _ => return Vec::new(),
                    },
                }
            }
            super::key_path::PathSegment::Index(_) => match node.get("items") {
                Some(child) => child,
                None => return Vec::new(),
            },
        };
    }
    resolve_ref(schema, node)
        .get("properties")
        .and_then(Value::as_object)
        .map(|properties| properties.keys().cloned().collect())
        .unwrap_or_default()
}

fn resolve_ref<'s>(root: &'s Value, node: &'s Value) -> &'s Value {
    match node.get("$ref").and_then(Value::as_str) {
        Some(reference) => reference
            .strip_prefix("#/")
            .and_then(|pointer| root.pointer(&format!("/{pointer}")))
            .unwrap_or(node),
        None => node,
    }
}
