//! The YAML front end shared by scenario files and local staging world files: read the
//! bytes (UTF-8, located when not), index positions (syntax errors located), then refuse
//! what the formats do not use — several documents, duplicate keys, tags — each at its
//! position, before serde sees the text. Every diagnostic is masked by the file's
//! `SecretLayout`, so nothing here depends on the file having parsed.

use super::diagnostic::Diagnostic;
use super::diagnostic_code::DiagnosticCode;
use super::diagnostics::Diagnostics;
use super::key_path::KeyPath;
use super::secret_layout::{SecretLayout, is_secret_key};
use super::span_index::SpanIndex;
use serde_yaml::Value as Yaml;
use std::ops::Range;
use std::path::Path;

/// What kind of file is read, for messages: `scenario` or `world`.
#[derive(Debug, Clone, Copy)]
pub struct FileKind {
    pub noun: &'static str,
    pub layout: SecretLayout,
}

/// A file that passed the front end: its text, positions and YAML document.
pub struct ParsedYaml {
    pub source: String,
    pub index: SpanIndex,
    pub document: Yaml,
}

/// Reads `path` as UTF-8 text.
pub fn read(path: &Path, kind: &FileKind) -> Result<String, Diagnostics> {
    let bytes = std::fs::read(path).map_err(|error| {
        Diagnostics::new(
            path,
            "",
            &[],
            vec![
                Diagnostic::new(
                    DiagnosticCode::UnreadableFile,
                    KeyPath::root(),
                    0..0,
                    format!("failed to read {} `{}`: {error}", kind.noun, path.display()),
                )
                .with_help("check the path and its permissions"),
            ],
        )
    })?;
    match String::from_utf8(bytes) {
        Ok(source) => Ok(source),
        Err(error) => {
            // The text up to the first invalid sequence is intact in the lossy copy, so
            // the offset points at the same place in what is shown.
            let offset = error.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(error.as_bytes()).into_owned();
            let diagnostic = Diagnostic::new(
                DiagnosticCode::InvalidUtf8,
                KeyPath::root(),
                offset..offset + 1,
                format!("the {} is not valid UTF-8", kind.noun),
            )
            .with_label("the first invalid byte sequence is here")
            .with_help("save the file as UTF-8");
            Err(Diagnostics::new(path, &lossy, &[], vec![diagnostic]))
        }
    }
}

/// Indexes and parses `source` (read from `file`), refusing several documents, duplicate
/// keys and tags with every occurrence located.
pub fn parse(source: &str, file: &Path, kind: &FileKind) -> Result<ParsedYaml, Diagnostics> {
    let index = match SpanIndex::build_with(source, &kind.layout) {
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
                &error.secret_ranges,
                vec![diagnostic],
            ));
        }
    };
    let fail = |items: Vec<Diagnostic>| {
        Diagnostics::new(
            file,
            source,
            index.secret_ranges(),
            shown_paths(items, &index),
        )
    };

    if let Some(second) = second_document(source).or(index.second_document()) {
        return Err(fail(vec![
            Diagnostic::new(
                DiagnosticCode::UnsupportedYaml,
                KeyPath::root(),
                second..second + 3,
                "the file holds several YAML documents",
            )
            .with_label("a second document starts here")
            .with_help(format!("keep one {} per file", kind.noun)),
        ]));
    }

    let mut problems: Vec<Diagnostic> = index
        .duplicates()
        .iter()
        .map(|d| {
            let key = d.path.last_key().unwrap_or("?");
            let parent = d.path.parent().unwrap_or_default();
            let (path, message) = if index.hides_key(&parent, key) {
                (
                    parent.key(KeyPath::HIDDEN),
                    "a key appears twice (not shown: it may hold a secret)".to_string(),
                )
            } else {
                (d.path.clone(), format!("key `{key}` appears twice"))
            };
            Diagnostic::new(
                DiagnosticCode::DuplicateKey,
                path,
                d.second.clone(),
                message,
            )
            .with_label("written again here")
            .with_related(d.first.clone(), "first written here")
            .with_help("keep one of them; YAML mappings cannot repeat a key")
        })
        .collect();
    // Every tag is refused, `!!str` and `!!binary` included: serde would resolve them
    // silently, and the formats' values are plain strings, lists and mappings.
    problems.extend(index.tags().iter().map(|tagged| {
        // A tag in a secret position may be the secret itself (`!'P'`): not named there.
        let masked = index.secret_ranges().iter().any(|r| {
            r.start < tagged.range.end.max(tagged.range.start + 1) && tagged.range.start < r.end
        }) || by_line_masked(source, tagged.range.start);
        let message = if masked {
            "a YAML tag is not supported (not shown: it may hold a secret)".to_string()
        } else {
            format!("YAML tag `{}` is not supported", tagged.tag)
        };
        Diagnostic::new(
            DiagnosticCode::UnsupportedYaml,
            tagged.path.clone(),
            tagged.range.clone(),
            message,
        )
        .with_label("tagged value")
        .with_help(format!(
            "remove the tag; {} values are plain strings, lists and mappings",
            kind.noun
        ))
    }));
    if !problems.is_empty() {
        return Err(fail(problems));
    }

    match serde_yaml::from_str::<Yaml>(source) {
        Ok(document) => Ok(ParsedYaml {
            source: source.to_string(),
            index,
            document,
        }),
        Err(error) => {
            // saphyr accepted the text; serde_yaml's own parser disagreeing is rare. Its
            // message can quote the text, so only its position is used.
            let offset = error.location().map_or(0, |l| l.index()).min(source.len());
            // The two parsers disagree about this text, so positions computed from
            // saphyr's reading may miss a secret here: the line is masked whole.
            let line_start = source[..offset].rfind('\n').map_or(0, |i| i + 1);
            let line_end = source[offset..]
                .find('\n')
                .map_or(source.len(), |i| offset + i);
            let mut masked = index.secret_ranges().to_vec();
            masked.push(line_start..line_end);
            let diagnostic = Diagnostic::new(
                DiagnosticCode::YamlSyntax,
                KeyPath::root(),
                offset..offset,
                "invalid YAML",
            )
            .with_label("here")
            .with_help("fix the YAML syntax");
            Err(Diagnostics::new(file, source, &masked, vec![diagnostic]))
        }
    }
}

/// Whether `offset` falls in what `secret_lines` masks.
fn by_line_masked(source: &str, offset: usize) -> bool {
    secret_lines(source)
        .iter()
        .any(|r| r.start <= offset && offset < r.end.max(r.start + 1))
}

/// The diagnostics with their key paths as they may be shown: a key the file's layout
/// hides (it may be a password written where a key belongs) is never named.
pub fn shown_paths(items: Vec<Diagnostic>, index: &SpanIndex) -> Vec<Diagnostic> {
    items
        .into_iter()
        .map(|mut item| {
            item.path = index.shown_path(&item.path);
            item
        })
        .collect()
}

/// What a shape error inside a guarded entry (a user, a secret) must mask besides the
/// file's secret positions: the offending value. serde and the schema
/// refused it, so it is a line that failed to parse, and it may be a password written in
/// the wrong field (`Attributes: P`).
pub fn guarded_spans(
    diagnostics: &[Diagnostic],
    layout: &SecretLayout,
    index: &SpanIndex,
) -> Vec<Range<usize>> {
    diagnostics
        .iter()
        .filter(|d| {
            matches!(
                d.code,
                DiagnosticCode::WrongType
                    | DiagnosticCode::InvalidChoice
                    | DiagnosticCode::WorldJsonString
            ) && layout.inside_guarded_entry(&d.path)
        })
        .map(|d| match index.get(&d.path) {
            Some(node) => node.value.clone(),
            None => d.span.clone(),
        })
        .collect()
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

/// A safety net that needs no parse: on every line, whatever follows a key that names a
/// secret (or a secret reference's `value`, or a near miss of either), flow mappings
/// included. A line the parser read into an unexpected place (`!      value: P` at the top
/// level, a line swallowed by an unclosed quote) is masked all the same.
pub fn secret_lines(source: &str) -> Vec<Range<usize>> {
    let secretish = |key: &str| {
        let key = key.trim_matches(|c: char| !c.is_alphanumeric());
        // `secret`/`secrets` name a resource kind and the world's section, not a value.
        !key.is_empty()
            && key != "secret"
            && key != "secrets"
            && (is_secret_key(key)
                || strsim::damerau_levenshtein(&key.to_ascii_lowercase(), "value") <= 1)
    };
    // `{env: NAME}` and `{file: PATH}` say where a secret is, and stay visible.
    let reference = |rest: &str| {
        let rest = rest.trim_start();
        let Some(close) = rest.find('}') else {
            return false;
        };
        let inner = rest[..close].trim_start_matches('{').trim();
        rest.starts_with('{')
            && (inner.starts_with("env:") || inner.starts_with("file:"))
            && !inner.contains([',', '{'])
    };
    let mut ranges = Vec::new();
    let mut offset = 0;
    // Set after a secret key with nothing after it: its value may sit on the next line,
    // however indented.
    let mut value_follows = false;
    for line in source.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let indent = content.len() - content.trim_start().len();
        if value_follows && indent < content.len() {
            value_follows = false;
            ranges.push(offset + indent..offset + content.len());
            offset += line.len();
            continue;
        }
        let mut start = None;
        for (colon, _) in content.match_indices(':') {
            let before = &content[..colon];
            let key_at = before
                .rfind(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
                .map_or(0, |i| i + 1);
            if secretish(&before[key_at..]) && !reference(&content[colon + 1..]) {
                start = Some(colon + 1);
                break;
            }
        }
        if start.is_none() && !content.contains(':') {
            // The value written where a key belongs (`Password "P"`): all of it.
            let first = content.split_whitespace().next().unwrap_or("");
            if secretish(first) {
                start = Some(content.len() - content.trim_start().len());
            }
        }
        match start {
            Some(start) if content[start..].trim().is_empty() => value_follows = true,
            Some(start) => ranges.push(offset + start..offset + content.len()),
            None => {}
        }
        offset += line.len();
    }
    ranges
}
