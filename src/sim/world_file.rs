//! Reading a world file with the same diagnostics as a scenario: code, `file:line:col`, key
//! path, caret, help, did-you-mean; every problem collected, each mistake reported once;
//! nothing secret echoed (masked by position, whether or not the file parses).
//!
//! The YAML front end (UTF-8, syntax, several documents, duplicate keys, tags) is the
//! scenario's. The shape is then checked by serde one error at a time: each error is
//! located through the span index, and the offending node is blanked out (overwritten
//! with spaces, so every offset stays true) before the next attempt. An error that only
//! follows from a node blanked before (a required key removed with its typo, an entry left
//! empty) is not reported again. Last, `World::validate` checks the meaning, and each of its
//! problems is located by its key path.

use super::world::{World, WorldError};
use crate::scenario::diagnostic::Diagnostic;
use crate::scenario::diagnostic_code::DiagnosticCode;
use crate::scenario::diagnostics::Diagnostics;
use crate::scenario::key_path::{KeyPath, PathSegment};
use crate::scenario::probe_table::closest;
use crate::scenario::secret_layout::{SecretLayout, is_secret_key};
use crate::scenario::span_index::SpanIndex;
use crate::scenario::yaml_file::{self, FileKind};
use std::ops::Range;
use std::path::Path;

/// Where a world file keeps secrets: passwords, app client secrets, secret values and
/// access keys (and their near misses); every key a user entry, a secret or an access key
/// does not know.
pub const WORLD_SECRETS: SecretLayout = SecretLayout {
    may_be_secret: world_may_be_secret,
    guarded_entry: world_guarded_entry,
};

/// What the shared YAML front end needs to know about world files.
pub const WORLD_FILE: FileKind = FileKind {
    noun: "world",
    layout: WORLD_SECRETS,
};

/// How many serde errors one file may produce before reading stops: enough for any real
/// file, and a bound on the work a pathological one causes.
const MAX_SHAPE_ERRORS: usize = 200;

fn world_may_be_secret(path: &KeyPath) -> bool {
    let segments = path.segments();
    if segments.len() == 1 {
        // The top-level `secrets` section is a list of secrets, not a secret.
        return false;
    }
    match segments.last() {
        // Token validities (`IdTokenValidity`) and `ServerSideTokenCheck` are settings.
        Some(PathSegment::Key(key)) => {
            is_secret_key(key) && !key.to_ascii_lowercase().contains("token")
        }
        _ => false,
    }
}

fn world_guarded_entry(path: &KeyPath) -> Option<&'static [&'static str]> {
    use PathSegment::{Index, Key};
    match path.segments() {
        [Key(pools), Index(_), Key(users), Index(_)]
            if pools == "user_pools" && users == "Users" =>
        {
            Some(&["Username", "Password", "UserStatus", "Attributes", "Groups"])
        }
        [Key(secrets), Index(_)] if secrets == "secrets" => Some(&[
            "Name",
            "SecretString",
            "SecretBinary",
            "Description",
            "Tags",
            "ResourcePolicy",
            "KmsKeyId",
        ]),
        [Key(iam), Key(users), Index(_), Key(keys), Index(_)]
            if iam == "iam" && users == "users" && keys == "AccessKeys" =>
        {
            Some(&["AccessKeyId", "SecretAccessKey"])
        }
        [
            Key(accounts),
            Index(_),
            Key(iam),
            Key(users),
            Index(_),
            Key(keys),
            Index(_),
        ] if accounts == "accounts" && iam == "iam" && users == "users" && keys == "AccessKeys" => {
            Some(&["AccessKeyId", "SecretAccessKey"])
        }
        _ => None,
    }
}

/// Reads and validates the world file at `path`.
pub fn load_world_file(path: &Path) -> Result<World, Diagnostics> {
    let source = yaml_file::read(path, &WORLD_FILE)?;
    world_from_source(&source, path)
}

/// Validates world text as if read from `file`.
pub fn world_from_source(source: &str, file: &Path) -> Result<World, Diagnostics> {
    let parsed = yaml_file::parse(source, file, &WORLD_FILE)?;
    let index = parsed.index;
    let fail = |items: Vec<Diagnostic>| {
        let mut masked = index.secret_ranges().to_vec();
        masked.extend(yaml_file::guarded_spans(&items, &WORLD_SECRETS, &index));
        Diagnostics::new(file, source, &masked, yaml_file::shown_paths(items, &index))
    };
    let world = match read_shape(source, &index, &parsed.document) {
        Ok(world) => world,
        Err(problems) => return Err(fail(problems)),
    };
    let problems: Vec<Diagnostic> = world
        .validate()
        .into_iter()
        .map(|error| semantic(&error, &index, source))
        .collect();
    if problems.is_empty() {
        Ok(world)
    } else {
        Err(fail(problems))
    }
}

/// One semantic problem, at its key path. A policy element IAM does not know is located
/// at the element itself, in a YAML mapping or inside a JSON string, with a suggestion.
fn semantic(error: &WorldError, index: &SpanIndex, source: &str) -> Diagnostic {
    let path = resolve_path(&error.path, index);
    let diagnostic = Diagnostic::new(
        DiagnosticCode::WorldValue,
        path.clone(),
        index.locate(&path, false),
        error.message.clone(),
    )
    .with_label("local staging cannot use this")
    .with_help("see docs/world.md for what this section takes");
    match unknown_policy_element(&error.message) {
        Some((inner, element)) => {
            locate_policy_element(diagnostic, &path, &inner, &element, index, source)
        }
        None => diagnostic,
    }
}

/// The elements of a policy document and of its statements.
/// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html>.
const POLICY_ELEMENTS: &[&str] = &[
    "Version",
    "Id",
    "Statement",
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

/// `[PATH: ]unknown element `X`` from the policy parser: the path inside the document and
/// the element.
fn unknown_policy_element(message: &str) -> Option<(String, String)> {
    let at = message.find("unknown element `")?;
    let element = message[at + "unknown element `".len()..].strip_suffix('`')?;
    let before = message[..at].trim_end_matches(": ");
    let inner = before
        .rsplit_once(": ")
        .map_or(before, |(_, inner)| inner)
        .trim_start_matches("malformed policy document")
        .to_string();
    Some((inner, element.to_string()))
}

fn locate_policy_element(
    diagnostic: Diagnostic,
    policy: &KeyPath,
    inner: &str,
    element: &str,
    index: &SpanIndex,
    source: &str,
) -> Diagnostic {
    let help = match closest(element, POLICY_ELEMENTS) {
        Some(near) => format!("did you mean `{near}`?"),
        None => format!(
            "policy elements: {}",
            POLICY_ELEMENTS
                .iter()
                .map(|e| format!("`{e}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let mut in_yaml = policy.clone();
    for part in inner.split('.').filter(|p| !p.is_empty()) {
        in_yaml = with_indices(&in_yaml, part, &[]);
    }
    let span = match index.key_of(&in_yaml, element) {
        Some(key) => Some(key),
        None => index.get(policy).and_then(|node| {
            // A JSON string: the element's quoted name inside it (escaped in a
            // double-quoted YAML string).
            let raw = source.get(node.value.clone())?;
            [format!("\"{element}\""), format!("\\\"{element}\\\"")]
                .iter()
                .find_map(|needle| raw.find(needle.as_str()).map(|at| (at, needle.len())))
                .map(|(at, len)| node.value.start + at..node.value.start + at + len)
        }),
    };
    match span {
        Some(span) => Diagnostic {
            span,
            label: "not a policy element".to_string(),
            help: Some(help),
            ..diagnostic
        },
        None => Diagnostic {
            help: Some(help),
            ..diagnostic
        },
    }
}

/// Deserializes the world, collecting every shape error (see the module docs).
fn read_shape(
    source: &str,
    index: &SpanIndex,
    document: &serde_yaml::Value,
) -> Result<World, Vec<Diagnostic>> {
    let mut working = source.to_string();
    let mut blanked: Vec<KeyPath> = Vec::new();
    let mut problems: Vec<Diagnostic> = Vec::new();
    let mut previous: Option<String> = None;
    for _ in 0..MAX_SHAPE_ERRORS {
        let error = match serde_yaml::from_str::<World>(&working) {
            Ok(world) if problems.is_empty() => return Ok(world),
            Ok(_) => return Err(problems),
            Err(error) => error,
        };
        let text = error.to_string();
        if previous.as_deref() == Some(text.as_str()) {
            // Blanking did not move reading on; stop rather than loop.
            break;
        }
        previous = Some(text.clone());
        let mut problem = ShapeError::parse(&text, index, &blanked);
        if let ShapeKind::JsonString { line, column, .. } = &problem.kind {
            // serde names the mapping that holds the document; find the field.
            if let Some(field) = failing_json_field(document, &problem.path, *line, *column) {
                problem.path = field;
            }
        }
        let (diagnostic, blank) = problem.diagnose(index, source, &blanked);
        problems.extend(diagnostic);
        match blank {
            Some(path) if !path.segments().is_empty() => {
                blank_node(&mut working, index, &path);
                blanked.push(path);
            }
            Some(_) => {
                // A required top-level key is missing: give it a placeholder at the end
                // of the file (offsets before it stay true) so reading goes on.
                if let ShapeKind::MissingField { key } = &problem.kind
                    && !source.trim_start().starts_with('{')
                {
                    working.push_str(&format!("\n{key}: \"\"\n"));
                    blanked.push(KeyPath::root().key(key.as_str()));
                } else {
                    break;
                }
            }
            None => break,
        }
    }
    if problems.is_empty() {
        problems.push(
            Diagnostic::new(
                DiagnosticCode::WrongType,
                KeyPath::root(),
                0..0,
                "the world file cannot be read",
            )
            .with_help("see docs/world.md for the world file's shape"),
        );
    }
    Err(problems)
}

/// A serde error, taken apart. Only its structure is kept: serde's own wording can quote
/// the value (`invalid type: string "hunter2"`) or name a secret written as a key.
struct ShapeError {
    path: KeyPath,
    kind: ShapeKind,
}

enum ShapeKind {
    UnknownField {
        key: String,
        known: Vec<String>,
    },
    MissingField {
        key: String,
    },
    UnknownVariant {
        variant: String,
        known: Vec<String>,
    },
    WrongType {
        found: String,
        expected: String,
    },
    JsonString {
        reason: String,
        line: usize,
        column: usize,
    },
    Other,
}

impl ShapeError {
    fn parse(text: &str, index: &SpanIndex, removed: &[KeyPath]) -> ShapeError {
        // `PATH: MESSAGE at line L column C`, the path left out at the root.
        let text = match text.rfind(" at line ") {
            Some(at) => &text[..at],
            None => text,
        };
        const STARTS: [&str; 7] = [
            "unknown field `",
            "missing field `",
            "unknown variant `",
            "invalid type: ",
            "invalid value: ",
            "invalid length ",
            "the string is not a JSON document: ",
        ];
        let start = STARTS
            .iter()
            .filter_map(|marker| text.find(marker))
            .min()
            .unwrap_or(0);
        let path_text = text[..start].trim_end_matches(": ").trim_end_matches(':');
        let path = resolve_in_working(path_text, index, removed);
        let message = &text[start..];
        ShapeError {
            path,
            kind: ShapeKind::parse(message),
        }
    }

    /// The diagnostic (none for a follow-on error) and the node to blank out.
    fn diagnose(
        &self,
        index: &SpanIndex,
        source: &str,
        blanked: &[KeyPath],
    ) -> (Option<Diagnostic>, Option<KeyPath>) {
        let path = &self.path;
        let blanked_inside = blanked.iter().any(|b| b.starts_with(path));
        match &self.kind {
            ShapeKind::UnknownField { key, known } => {
                let at = path.key(key.as_str());
                let span = index
                    .key_of(path, key)
                    .unwrap_or_else(|| index.locate(&at, true));
                let hidden = index.hides_key(path, key);
                let (shown, message) = if hidden {
                    (
                        path.key(KeyPath::HIDDEN),
                        "unknown key (not shown: it may hold a secret)".to_string(),
                    )
                } else {
                    (at.clone(), format!("unknown key `{key}`"))
                };
                let help = match closest(key, known) {
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
                let help = if hidden {
                    format!("{help}; a value needs its key and a colon (`Password: ...`)")
                } else {
                    help
                };
                let diagnostic = Diagnostic::new(DiagnosticCode::UnknownKey, shown, span, message)
                    .with_label("not a key of this section")
                    .with_help(help);
                (Some(diagnostic), Some(at))
            }
            ShapeKind::MissingField { key } => {
                // The key was written, misspelled (`Usernme`), run into its value
                // (`Password "P"`) or hidden as a possible secret: its unknown-key
                // diagnostic says it all.
                let follow_on = blanked.iter().any(|b| {
                    b.parent().as_ref() == Some(path)
                        && b.last_key().is_some_and(|written| {
                            written == key
                                || written.starts_with(key.as_str())
                                || closest(written, &[key.as_str()]).is_some()
                                || index.hides_key(path, written)
                        })
                });
                if follow_on {
                    return (None, Some(path.clone()));
                }
                let span = index.locate(path, true);
                let diagnostic = Diagnostic::new(
                    DiagnosticCode::MissingKey,
                    path.key(key.as_str()),
                    span,
                    format!("missing key `{key}`"),
                )
                .with_label(format!("`{key}` is required here"))
                .with_help(format!("add `{key}:` to this section (see docs/world.md)"));
                (Some(diagnostic), Some(path.clone()))
            }
            ShapeKind::WrongType { .. } | ShapeKind::Other if blanked_inside => {
                // What was left after blanking (an emptied entry) does not fit; the
                // mistake was reported already.
                (None, Some(path.clone()))
            }
            ShapeKind::UnknownVariant { variant, known } => {
                let listed = known
                    .iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let help = match closest(variant, known) {
                    Some(near) => format!("did you mean `{near}`? choices: {listed}"),
                    None => format!("choices: {listed}"),
                };
                let masked = index.secret_ranges().contains(&index.locate(path, false))
                    || WORLD_SECRETS.inside_guarded_entry(path);
                let message = if masked {
                    "the value is not one of the choices".to_string()
                } else {
                    format!("`{variant}` is not one of the choices")
                };
                let diagnostic = Diagnostic::new(
                    DiagnosticCode::InvalidChoice,
                    path.clone(),
                    index.locate(path, false),
                    message,
                )
                .with_label("not a valid choice")
                .with_help(help);
                (Some(diagnostic), Some(path.clone()))
            }
            ShapeKind::WrongType { found, expected } => {
                let diagnostic = Diagnostic::new(
                    DiagnosticCode::WrongType,
                    path.clone(),
                    index.locate(path, false),
                    format!("expected {expected}, found {found}"),
                )
                .with_label(format!("this is {found}"))
                .with_help(format!("write {expected} here (see docs/world.md)"));
                (Some(diagnostic), Some(path.clone()))
            }
            ShapeKind::JsonString {
                reason,
                line,
                column,
            } => {
                let node = index.locate(path, false);
                let at = json_position_in_yaml(source, &node, *line, *column);
                let diagnostic = Diagnostic::new(
                    DiagnosticCode::WorldJsonString,
                    path.clone(),
                    at..at + 1,
                    format!("the string is not a JSON document: {reason}"),
                )
                .with_label("the JSON breaks here")
                .with_help("fix the JSON, or write the document as a YAML mapping instead");
                (Some(diagnostic), Some(path.clone()))
            }
            ShapeKind::Other => {
                let diagnostic = Diagnostic::new(
                    DiagnosticCode::WrongType,
                    path.clone(),
                    index.locate(path, false),
                    "this value does not fit the world file's shape",
                )
                .with_label("cannot be read")
                .with_help("see docs/world.md for what this section takes");
                (Some(diagnostic), Some(path.clone()))
            }
        }
    }
}

impl ShapeKind {
    fn parse(message: &str) -> ShapeKind {
        if let Some(rest) = message.strip_prefix("unknown field `") {
            let (key, known) = name_and_choices(rest);
            return ShapeKind::UnknownField { key, known };
        }
        if let Some(rest) = message.strip_prefix("missing field `") {
            return ShapeKind::MissingField {
                key: rest.trim_end_matches('`').to_string(),
            };
        }
        if let Some(rest) = message.strip_prefix("unknown variant `") {
            let (variant, known) = name_and_choices(rest);
            return ShapeKind::UnknownVariant { variant, known };
        }
        if let Some(rest) = message
            .strip_prefix("invalid type: ")
            .or_else(|| message.strip_prefix("invalid value: "))
        {
            let (found, expected) = rest
                .rsplit_once(", expected ")
                .unwrap_or((rest, "another type"));
            return ShapeKind::WrongType {
                found: describe_found(found),
                expected: describe_expected(expected),
            };
        }
        if let Some(rest) = message.strip_prefix("invalid length ") {
            let expected = rest
                .split_once(", expected ")
                .map_or("another length", |(_, e)| e);
            return ShapeKind::WrongType {
                found: "a sequence of another length".to_string(),
                expected: describe_expected(expected),
            };
        }
        if let Some(rest) = message.strip_prefix("the string is not a JSON document: ") {
            // serde_json: `REASON at line L column C`.
            let (reason, at) = rest
                .rsplit_once(" at line ")
                .unwrap_or((rest, "1 column 1"));
            let mut numbers = at.split(" column ").map(|n| n.trim().parse::<usize>().ok());
            let line = numbers.next().flatten().unwrap_or(1);
            let column = numbers.next().flatten().unwrap_or(1);
            return ShapeKind::JsonString {
                reason: reason.to_string(),
                line,
                column,
            };
        }
        ShapeKind::Other
    }
}

/// The field of the mapping at `path` whose string value is the JSON document that fails
/// to parse at `line`, `column`.
fn failing_json_field(
    document: &serde_yaml::Value,
    path: &KeyPath,
    line: usize,
    column: usize,
) -> Option<KeyPath> {
    let mut node = document;
    for segment in path.segments() {
        node = match segment {
            PathSegment::Key(key) => node.get(key.as_str())?,
            PathSegment::Index(i) => node.get(*i)?,
        };
    }
    node.as_mapping()?.iter().find_map(|(key, value)| {
        let (key, text) = (key.as_str()?, value.as_str()?);
        let error = serde_json::from_str::<serde_json::Value>(text).err()?;
        (error.line() == line && error.column() == column).then(|| path.key(key))
    })
}

/// The key path that a path as serde_yaml and `WorldError` write it names
/// (`identity_pools[0].RoleMappings.cognito-idp.eu-west-1.amazonaws.com/pool:client`): a
/// mapping key may itself hold dots, so dotted parts are joined until the file has the
/// node.
fn resolve_path(text: &str, index: &SpanIndex) -> KeyPath {
    resolve_in_working(text, index, &[])
}

/// `resolve_path` for a path serde found in the working text, where the list items in
/// `removed` were blanked out: serde counts the items that are left, the file all of them.
fn resolve_in_working(text: &str, index: &SpanIndex, removed: &[KeyPath]) -> KeyPath {
    let mut path = KeyPath::root();
    let mut pending: Vec<&str> = Vec::new();
    for part in text.split('.').filter(|p| !p.is_empty() && *p != "?") {
        pending.push(part);
        let candidate = with_indices(&path, &pending.join("."), removed);
        if index.get(&candidate).is_some() {
            path = candidate;
            pending.clear();
        }
    }
    // Parts the file does not have (a node serde made up, an index without a node): read
    // them plainly.
    for part in pending {
        path = with_indices(&path, part, removed);
    }
    path
}

/// `path` extended by `Name[0][1]`, each index counted past the removed items.
fn with_indices(path: &KeyPath, part: &str, removed: &[KeyPath]) -> KeyPath {
    let (key, mut rest) = match part.find('[') {
        Some(at) if part.ends_with(']') => (&part[..at], &part[at..]),
        _ => (part, ""),
    };
    let mut path = if key.is_empty() {
        path.clone()
    } else {
        path.key(key)
    };
    while let Some(inner) = rest.strip_prefix('[') {
        let Some(end) = inner.find(']') else { break };
        match inner[..end].parse::<usize>() {
            Ok(left) => {
                let sequence = path.clone();
                let original = (0..)
                    .filter(|i| !removed.contains(&sequence.index(*i)))
                    .nth(left)
                    .unwrap_or(left);
                path = path.index(original);
            }
            Err(_) => return path.key(&inner[..end]),
        }
        rest = &inner[end + 1..];
    }
    path
}

/// `NAME`, expected one of `A`, `B`` → the name and the choices.
fn name_and_choices(rest: &str) -> (String, Vec<String>) {
    let (name, tail) = match rest
        .rfind("`, expected ")
        .or_else(|| rest.rfind("`, there are no "))
    {
        Some(at) => (&rest[..at], &rest[at..]),
        None => (rest.trim_end_matches('`'), ""),
    };
    let known = tail
        .split('`')
        .skip(2)
        .step_by(2)
        .map(str::to_string)
        .filter(|k| !k.is_empty() && !k.starts_with(','))
        .collect();
    (name.to_string(), known)
}

/// What serde found, by kind only: `string "hunter2"` becomes `a string`.
fn describe_found(found: &str) -> String {
    let kind = found.split(['"', '`', '\'']).next().unwrap_or(found).trim();
    match kind {
        "string" | "character" => "a string",
        "integer" => "an integer",
        "floating point" => "a number",
        "boolean" => "a boolean",
        "unit value" | "null" => "an empty value",
        "map" => "a mapping",
        "sequence" => "a sequence",
        _ => "a value of another type",
    }
    .to_string()
}

/// What serde expected, in the words the docs use.
fn describe_expected(expected: &str) -> String {
    let expected = expected.trim();
    if expected.starts_with("struct ") || expected == "a map" {
        return "a mapping".to_string();
    }
    if expected.starts_with("a sequence") || expected.starts_with("sequence") {
        return "a sequence".to_string();
    }
    if expected.starts_with("a string") || expected == "string" {
        return "a string".to_string();
    }
    if expected.starts_with("a boolean") {
        return "a boolean (`true` or `false`)".to_string();
    }
    if expected.starts_with("u8")
        || expected.starts_with("u16")
        || expected.starts_with("u32")
        || expected.starts_with("u64")
        || expected.starts_with("i64")
        || expected.starts_with("i32")
    {
        return "a whole number".to_string();
    }
    if expected.starts_with("enum ") || expected.starts_with("variant") {
        return "one of the documented choices".to_string();
    }
    "a value of another type".to_string()
}

/// Overwrites the node at `path` (key, value and, for a list item, its `-`) with spaces,
/// keeping line breaks and every byte offset.
fn blank_node(working: &mut String, index: &SpanIndex, path: &KeyPath) {
    let Some(node) = index.get(path) else {
        return;
    };
    let mut start = node.key.as_ref().map_or(node.value.start, |k| k.start);
    let mut end = node.value.end.max(start);
    let bytes = working.as_bytes();
    if node.key.is_none() {
        // A list item: take its dash too, so the list loses the item.
        let mut at = start;
        while at > 0 && bytes[at - 1] == b' ' {
            at -= 1;
        }
        if at > 0 && bytes[at - 1] == b'-' {
            start = at - 1;
        }
    }
    // In a flow collection, the separating comma goes with the entry.
    let mut after = end;
    while after < bytes.len() && bytes[after] == b' ' {
        after += 1;
    }
    if after < bytes.len() && bytes[after] == b',' {
        end = after + 1;
    }
    let end = end.min(working.len());
    if start >= end || !working.is_char_boundary(start) || !working.is_char_boundary(end) {
        return;
    }
    let blank: String = working[start..end]
        .chars()
        .map(|c| {
            if c == '\n' {
                "\n".to_string()
            } else {
                " ".repeat(c.len_utf8())
            }
        })
        .collect();
    working.replace_range(start..end, &blank);
}

/// The byte offset in `source` of the character a JSON error points at (`line`, `column`,
/// 1-based) inside the YAML string scalar at `node`: quotes, escapes, folding and block
/// indentation undone the way YAML reads them. Falls back to the scalar's start.
pub fn json_position_in_yaml(
    source: &str,
    node: &Range<usize>,
    line: usize,
    column: usize,
) -> usize {
    let Some(raw) = source.get(node.clone()) else {
        return node.start;
    };
    let mut decoded_line = 1;
    let mut decoded_column = 1;
    let mut last = node.start;
    let found = |l: usize, c: usize| l > line || (l == line && c >= column);
    let mut chars = raw.char_indices().peekable();
    match raw.chars().next() {
        Some(quote @ ('\'' | '"')) => {
            chars.next();
            while let Some((at, c)) = chars.next() {
                if found(decoded_line, decoded_column) {
                    return node.start + at;
                }
                last = node.start + at;
                match c {
                    _ if c == quote && quote == '\'' => {
                        if chars.peek().is_some_and(|(_, n)| *n == '\'') {
                            chars.next();
                            decoded_column += 1;
                        } else {
                            break;
                        }
                    }
                    '"' if quote == '"' => break,
                    '\\' if quote == '"' => match chars.next() {
                        Some((_, 'x')) => skip(&mut chars, 2, &mut decoded_column),
                        Some((_, 'u')) => skip(&mut chars, 4, &mut decoded_column),
                        Some((_, 'U')) => skip(&mut chars, 8, &mut decoded_column),
                        Some((_, '\n')) => skip_indent(&mut chars),
                        Some((_, 'n')) => {
                            decoded_line += 1;
                            decoded_column = 1;
                        }
                        Some(_) => decoded_column += 1,
                        None => break,
                    },
                    '\n' => {
                        // A line break folds into a space, an empty line into a newline.
                        skip_indent(&mut chars);
                        if chars.peek().is_some_and(|(_, n)| *n == '\n') {
                            decoded_line += 1;
                            decoded_column = 1;
                        } else {
                            decoded_column += 1;
                        }
                    }
                    _ => decoded_column += 1,
                }
            }
            last
        }
        Some('|' | '>') => {
            // A block scalar: content lines after the header, less their indentation.
            let mut lines = raw.split_inclusive('\n');
            let header = lines.next().map_or(0, str::len);
            let mut offset = node.start + header;
            let mut indent = None;
            let mut content_line = 0;
            for text in lines {
                let content = text.trim_end_matches(['\n', '\r']);
                let this_indent = content.len() - content.trim_start().len();
                let indent = *indent.get_or_insert(this_indent);
                content_line += 1;
                if content_line == line {
                    let body = content.get(indent.min(content.len())..).unwrap_or("");
                    let within = body
                        .char_indices()
                        .nth(column.saturating_sub(1))
                        .map_or(body.len(), |(at, _)| at);
                    return offset + indent.min(content.len()) + within;
                }
                offset += text.len();
            }
            node.start
        }
        _ => {
            // A plain scalar: JSON this simple sits on one line.
            let within = raw
                .char_indices()
                .nth(column.saturating_sub(1))
                .map_or(raw.len(), |(at, _)| at);
            if line == 1 {
                node.start + within
            } else {
                node.start
            }
        }
    }
}

fn skip(chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>, n: usize, column: &mut usize) {
    for _ in 0..n {
        chars.next();
    }
    *column += 1;
}

fn skip_indent(chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>) {
    while chars.peek().is_some_and(|(_, c)| *c == ' ' || *c == '\t') {
        chars.next();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The character serde_json's error points at, found through the YAML.
    fn pointed_at(source: &str, node: Range<usize>, json: &str) -> String {
        let error = serde_json::from_str::<serde_json::Value>(json).unwrap_err();
        let at = json_position_in_yaml(source, &node, error.line(), error.column());
        source[at..].chars().next().unwrap().to_string()
    }

    #[test]
    fn json_positions_map_through_quotes_escapes_and_blocks() {
        let json = r#"{"Version": "2012-10-17", "Statement": [}"#;
        let expected = {
            let error = serde_json::from_str::<serde_json::Value>(json).unwrap_err();
            json.chars().nth(error.column() - 1).unwrap().to_string()
        };
        assert_eq!(expected, "}");
        let single = format!("a: '{}'\n", json.replace('\'', "''"));
        assert_eq!(pointed_at(&single, 3..single.len() - 1, json), expected);
        let double = format!("a: \"{}\"\n", json.replace('"', "\\\""));
        assert_eq!(pointed_at(&double, 3..double.len() - 1, json), expected);
        let block = "a: |\n  {\"Version\": \"2012-10-17\",\n   \"Statement\": [}\n";
        let json_block = "{\"Version\": \"2012-10-17\",\n \"Statement\": [}\n";
        assert_eq!(pointed_at(block, 3..block.len(), json_block), "}");
    }

    #[test]
    fn serde_messages_are_taken_apart_without_their_values() {
        let index = SpanIndex::default();
        let error = ShapeError::parse(
            "user_pools[0].Users[0]: unknown field `Password \"x\"`, expected one of `Username`, `Password` at line 5 column 7",
            &index,
            &[],
        );
        assert_eq!(error.path.to_string(), "user_pools[0].Users[0]");
        match error.kind {
            ShapeKind::UnknownField { key, known } => {
                assert_eq!(key, "Password \"x\"");
                assert_eq!(known, vec!["Username", "Password"]);
            }
            _ => panic!("not an unknown field"),
        }
        let error = ShapeError::parse(
            "iam.roles[0].RoleName: invalid type: string \"hunter2\", expected u32 at line 1 column 2",
            &index,
            &[],
        );
        match error.kind {
            ShapeKind::WrongType { found, expected } => {
                assert_eq!(found, "a string");
                assert_eq!(expected, "a whole number");
            }
            _ => panic!("not a type error"),
        }
    }
}
