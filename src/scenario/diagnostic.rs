//! One problem found in a scenario file: where it is (file, line, column, key path), what
//! is wrong, and how to fix it.

use super::diagnostic_code::DiagnosticCode;
use super::key_path::KeyPath;
use std::ops::Range;

/// A single scenario problem. Positions are byte ranges into the scenario's source; the
/// collection that owns the diagnostic (`Diagnostics`) turns them into line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: DiagnosticCode,
    /// The key path of the offending value.
    pub path: KeyPath,
    /// What is wrong, in one lowercase sentence.
    pub message: String,
    /// The byte range underlined in the source.
    pub span: Range<usize>,
    /// A short note under the caret.
    pub label: String,
    /// Other places that explain the problem (for example the first of two duplicates).
    pub related: Vec<(Range<usize>, String)>,
    /// How to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(
        code: DiagnosticCode,
        path: KeyPath,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            code,
            path,
            message: message.into(),
            span,
            label: String::new(),
            related: Vec::new(),
            help: None,
        }
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = label.into();
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn with_related(mut self, span: Range<usize>, note: impl Into<String>) -> Diagnostic {
        self.related.push((span, note.into()));
        self
    }
}
