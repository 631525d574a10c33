//! Every problem of one scenario file, rendered like a compiler's diagnostics: the code,
//! the message, the source line with a caret under the offending value, the key path and
//! the fix. Secret values are masked in the source before anything is rendered.

use super::diagnostic::Diagnostic;
use super::diagnostic_code::DiagnosticCode;
use super::excerpt::{Excerpt, shorten};
use super::key_path::{KeyPath, PathSegment};
use codespan_reporting::diagnostic::{Diagnostic as Report, Label};
use codespan_reporting::term::{self, Config};
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// The problems of one scenario file. Never empty when returned as an error.
#[derive(Clone)]
pub struct Diagnostics {
    file: PathBuf,
    /// The source with every secret value masked.
    source: String,
    items: Vec<Diagnostic>,
}

/// A diagnostic's position, 1-based, columns counted in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineColumn {
    pub line: usize,
    pub column: usize,
}

impl Diagnostics {
    /// Takes the original source and the byte ranges of its secret values: the source is
    /// masked (those ranges, and whatever follows a secret-looking key on any line), and
    /// any secret text a message happens to contain is masked too.
    pub fn new(
        file: &Path,
        source: &str,
        secret_ranges: &[Range<usize>],
        items: Vec<Diagnostic>,
    ) -> Diagnostics {
        let mut masked = source.to_string();
        let mut secrets: Vec<String> = Vec::new();
        let by_line = super::yaml_file::secret_lines(source);
        for range in secret_ranges.iter().chain(&by_line) {
            if range.end <= source.len() && range.start < range.end {
                secrets.push(source[range.clone()].to_string());
                masked.replace_range(range.clone(), &"*".repeat(range.len()));
            }
        }
        let scrub = |text: &str| -> String {
            let mut clean = text.to_string();
            for secret in &secrets {
                // Quotes are part of the range for quoted scalars; mask the content too.
                for candidate in [
                    secret.trim(),
                    secret.trim().trim_matches(|c| c == '"' || c == '\''),
                ] {
                    // Masking a one- or two-character "secret" everywhere would garble
                    // every message; such values are masked in the source all the same.
                    if candidate.len() >= 3 {
                        clean = clean.replace(candidate, "***");
                    }
                }
            }
            clean
        };
        let hide_in_path = |path: &KeyPath| -> KeyPath {
            let segments: Vec<PathSegment> = path
                .segments()
                .iter()
                .map(|segment| match segment {
                    PathSegment::Key(key) => {
                        let secret = secrets.iter().any(|secret| {
                            let bare = secret.trim_matches(|c| c == '"' || c == '\'');
                            key == secret || key == bare || (bare.len() >= 3 && key.contains(bare))
                        });
                        if secret {
                            PathSegment::Key(KeyPath::HIDDEN.to_string())
                        } else {
                            PathSegment::Key(shorten(key, MAX_KEY_CHARS))
                        }
                    }
                    index => index.clone(),
                })
                .collect();
            KeyPath::from_segments(&segments)
        };
        let mut items = items;
        // File order, like a compiler; diagnostics at one position keep the order in which
        // they were found.
        items.sort_by_key(|item| item.span.start);
        let items = items
            .into_iter()
            .map(|mut item| {
                item.message = shorten_values(&scrub(&item.message));
                item.label = shorten_values(&scrub(&item.label));
                item.help = item
                    .help
                    .as_deref()
                    .map(|help| shorten_values(&scrub(help)));
                for (_, note) in &mut item.related {
                    *note = shorten_values(&scrub(note));
                }
                item.path = hide_in_path(&item.path);
                item
            })
            .collect();
        Diagnostics {
            file: file.to_path_buf(),
            source: masked,
            items,
        }
    }

    /// The same diagnostics less those with `code`; `None` when none is left.
    pub fn without(&self, code: DiagnosticCode) -> Option<Diagnostics> {
        let items: Vec<Diagnostic> = self
            .items
            .iter()
            .filter(|d| d.code != code)
            .cloned()
            .collect();
        (!items.is_empty()).then(|| Diagnostics {
            file: self.file.clone(),
            source: self.source.clone(),
            items,
        })
    }

    pub fn file(&self) -> &Path {
        &self.file
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Line and column of a diagnostic's underlined range.
    pub fn location(&self, diagnostic: &Diagnostic) -> LineColumn {
        let offset = diagnostic.span.start.min(self.source.len());
        let before = &self.source[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |at| at + 1);
        let column = self.source[line_start..offset].chars().count() + 1;
        LineColumn { line, column }
    }

    /// Renders every diagnostic, plain text, in order, followed by a count.
    pub fn render(&self) -> String {
        let name = self.file.display().to_string();
        let config = Config::default();
        let mut out = String::new();
        for item in &self.items {
            let mut anchors = vec![item.span.start];
            anchors.extend(item.related.iter().map(|(span, _)| span.start));
            let files = Excerpt::new(&name, &self.source, &anchors);
            let mut labels =
                vec![Label::primary((), files.shown_range(&item.span)).with_message(&item.label)];
            for (span, note) in &item.related {
                labels.push(Label::secondary((), files.shown_range(span)).with_message(note));
            }
            let mut notes = vec![format!("key path: {}", item.path)];
            if let Some(help) = &item.help {
                notes.push(format!("help: {help}"));
            }
            let report = Report::error()
                .with_code(item.code.as_str())
                .with_message(&item.message)
                .with_labels(labels)
                .with_notes(notes);
            match term::emit_into_string(&config, &files, &report) {
                Ok(text) => out.push_str(&text),
                // A span outside the file cannot happen after clamping; fall back to a
                // line without the snippet rather than dropping the diagnostic.
                Err(_) => {
                    let at = self.location(item);
                    out.push_str(&format!(
                        "error[{}]: {}\n  --> {}:{}:{}\n",
                        item.code, item.message, name, at.line, at.column
                    ));
                }
            }
        }
        let count = self.items.len();
        out.push_str(&format!(
            "error: {} is invalid: {count} problem{} found\n",
            name,
            if count == 1 { "" } else { "s" }
        ));
        out
    }
}

/// The longest value quoted in a message, and the longest key shown in a key path, in
/// characters: a multi-megabyte value is cut, not echoed.
const MAX_VALUE_CHARS: usize = 60;
const MAX_KEY_CHARS: usize = 60;
/// The longest message, in characters.
const MAX_MESSAGE_CHARS: usize = 400;

/// Cuts every `backquoted` value longer than `MAX_VALUE_CHARS`, then the whole text.
fn shorten_values(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(MAX_MESSAGE_CHARS * 4));
    for (position, part) in text.split('`').enumerate() {
        if position > 0 {
            out.push('`');
        }
        if position % 2 == 1 {
            out.push_str(&shorten(part, MAX_VALUE_CHARS));
        } else {
            out.push_str(part);
        }
    }
    shorten(&out, MAX_MESSAGE_CHARS)
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render())
    }
}

impl fmt::Debug for Diagnostics {
    // The source is masked already; listing codes and paths keeps Debug short.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Diagnostics")
            .field("file", &self.file)
            .field(
                "items",
                &self
                    .items
                    .iter()
                    .map(|d| format!("{} {}: {}", d.code, d.path, d.message))
                    .collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl std::error::Error for Diagnostics {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_code_location_caret_path_and_help() {
        let source = "target:\n  region: mars-1\n";
        let diagnostic = Diagnostic::new(
            DiagnosticCode::MalformedRegion,
            KeyPath::root().key("target").key("region"),
            18..24,
            "malformed region `mars-1`",
        )
        .with_label("not a region")
        .with_help("use a region code such as `eu-west-1`");
        let diagnostics = Diagnostics::new(Path::new("s.yaml"), source, &[], vec![diagnostic]);
        let text = diagnostics.render();
        assert!(
            text.contains("error[X0403]: malformed region `mars-1`"),
            "{text}"
        );
        assert!(text.contains("s.yaml:2:11"), "{text}");
        assert!(text.contains("^^^^^^ not a region"), "{text}");
        assert!(text.contains("key path: target.region"), "{text}");
        assert!(text.contains("help: use a region code"), "{text}");
    }

    #[test]
    fn masks_secret_values_in_source_and_messages() {
        let source = "password: {value: hunter2}\n";
        let diagnostic = Diagnostic::new(
            DiagnosticCode::WrongType,
            KeyPath::root().key("password"),
            0..8,
            "something about hunter2",
        );
        let secret_ranges = [Range { start: 18, end: 25 }];
        let diagnostics = Diagnostics::new(
            Path::new("s.yaml"),
            source,
            &secret_ranges,
            vec![diagnostic],
        );
        let text = diagnostics.render();
        assert!(!text.contains("hunter2"), "{text}");
        assert!(!format!("{diagnostics:?}").contains("hunter2"));
    }
}
