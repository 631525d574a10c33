//! The span index: for every key path of a YAML document, where its key and its value sit in
//! the source. serde_yaml reports no positions for values, so diagnostics look them up here.
//! Built from saphyr-parser's spanned events in one pass; it also records duplicate keys
//! (which serde would silently merge) and the byte ranges of secret values, which
//! diagnostics must never echo.

use super::key_path::{KeyPath, PathSegment};
use saphyr_parser::{Event, Parser, ScanError, Span, SpannedEventReceiver};
use std::collections::HashMap;
use std::ops::Range;

/// Where one node of the document sits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeSpan {
    /// The mapping key that leads to the node, when the node is a mapping value.
    pub key: Option<Range<usize>>,
    /// The node itself (for a collection, from its first to its last character).
    pub value: Range<usize>,
}

/// A key written twice in the same mapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKey {
    pub path: KeyPath,
    pub first: Range<usize>,
    pub second: Range<usize>,
}

/// Byte positions of every node of a document, by key path.
#[derive(Debug, Clone, Default)]
pub struct SpanIndex {
    nodes: HashMap<KeyPath, NodeSpan>,
    duplicates: Vec<DuplicateKey>,
    secret_ranges: Vec<Range<usize>>,
}

/// A syntax error found while indexing, with its byte position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlSyntaxError {
    pub message: String,
    pub offset: usize,
}

impl SpanIndex {
    /// Indexes `source`. Only the first document of a stream is indexed.
    pub fn build(source: &str) -> Result<SpanIndex, YamlSyntaxError> {
        let offsets = CharOffsets::new(source);
        let mut builder = Builder {
            offsets: &offsets,
            index: SpanIndex::default(),
            stack: Vec::new(),
            documents: 0,
        };
        let mut parser = Parser::new_from_str(source);
        parser
            .load(&mut builder, false)
            .map_err(|error: ScanError| YamlSyntaxError {
                message: error.info().to_string(),
                offset: offsets.byte(error.marker().index()),
            })?;
        Ok(builder.index)
    }

    /// The node at `path`, if the document has it.
    pub fn get(&self, path: &KeyPath) -> Option<&NodeSpan> {
        self.nodes.get(path)
    }

    /// The best range to underline for `path`: the node if present, otherwise the nearest
    /// ancestor's key (or value), otherwise the start of the document.
    pub fn locate(&self, path: &KeyPath, prefer_key: bool) -> Range<usize> {
        let mut current = Some(path.clone());
        while let Some(candidate) = current {
            if let Some(node) = self.nodes.get(&candidate) {
                return match (&node.key, prefer_key || candidate != *path) {
                    (Some(key), true) => key.clone(),
                    _ => node.value.clone(),
                };
            }
            current = candidate.parent();
        }
        0..0
    }

    /// The range of the key `key` inside the mapping at `mapping`, if written.
    pub fn key_of(&self, mapping: &KeyPath, key: &str) -> Option<Range<usize>> {
        self.nodes
            .get(&mapping.key(key))
            .and_then(|n| n.key.clone())
    }

    pub fn duplicates(&self) -> &[DuplicateKey] {
        &self.duplicates
    }

    /// Byte ranges of scalars that may hold a secret, to be masked before display.
    pub fn secret_ranges(&self) -> &[Range<usize>] {
        &self.secret_ranges
    }
}

/// Whether a scalar at `path` may be a secret: anything under a key whose name suggests a
/// secret (`password`, `client_secret`, a misspelling such as `pasword`), except the
/// `env`/`file` indirections (which name where the secret is, not the secret) and the
/// names of users and resources and the `secret` resource kind (which describe a secret's
/// location, not its value). Errs towards masking: a masked name costs little, an echoed
/// password is a leak.
fn may_be_secret(path: &KeyPath) -> bool {
    let segments = path.segments();
    if let Some(PathSegment::Key(last)) = segments.last()
        && (last == "env" || last == "file")
        && segments.len() >= 2
    {
        return false;
    }
    segments.iter().enumerate().any(|(depth, segment)| {
        let PathSegment::Key(key) = segment else {
            return false;
        };
        let under_named_section = depth >= 1
            && matches!(&segments[0], PathSegment::Key(k) if k == "users" || k == "resources");
        if under_named_section && depth == 1 {
            // The name of a user or a resource.
            return false;
        }
        if depth == 2 && matches!(&segments[0], PathSegment::Key(k) if k == "resources") {
            // A resource kind such as `secret:`; its fields locate the secret.
            return false;
        }
        let lower = key.to_ascii_lowercase();
        ["pass", "pasw", "secret", "pwd", "token"]
            .iter()
            .any(|word| lower.contains(word))
    })
}

/// Converts saphyr's character indices to byte offsets.
struct CharOffsets {
    bytes: Vec<usize>,
}

impl CharOffsets {
    fn new(source: &str) -> CharOffsets {
        let mut bytes: Vec<usize> = source.char_indices().map(|(at, _)| at).collect();
        bytes.push(source.len());
        CharOffsets { bytes }
    }

    fn byte(&self, char_index: usize) -> usize {
        self.bytes
            .get(char_index)
            .copied()
            .unwrap_or_else(|| *self.bytes.last().unwrap_or(&0))
    }

    fn range(&self, span: Span) -> Range<usize> {
        self.byte(span.start.index())..self.byte(span.end.index())
    }
}

enum Frame {
    Mapping {
        path: KeyPath,
        start: usize,
        pending_key: Option<(String, Range<usize>)>,
        seen: HashMap<String, Range<usize>>,
        /// Set while a non-scalar key (which the scenario format never uses) is being read.
        complex_key_depth: usize,
    },
    Sequence {
        path: KeyPath,
        start: usize,
        next: usize,
    },
}

struct Builder<'a> {
    offsets: &'a CharOffsets,
    index: SpanIndex,
    stack: Vec<Frame>,
    documents: usize,
}

impl Builder<'_> {
    /// Where the next node goes, or `None` when the next scalar is a mapping key (or the
    /// event belongs to a document after the first).
    fn next_node(
        &mut self,
        is_scalar: bool,
        text: &str,
        range: &Range<usize>,
    ) -> Option<(KeyPath, Option<Range<usize>>)> {
        if self.documents > 1 {
            return None;
        }
        match self.stack.last_mut() {
            None => Some((KeyPath::root(), None)),
            Some(Frame::Sequence { path, next, .. }) => {
                let at = path.index(*next);
                *next += 1;
                Some((at, None))
            }
            Some(Frame::Mapping {
                path,
                pending_key,
                seen,
                complex_key_depth,
                ..
            }) => {
                if *complex_key_depth > 0 {
                    return None;
                }
                match pending_key.take() {
                    Some((key, key_range)) => Some((path.key(key), Some(key_range))),
                    None => {
                        if is_scalar {
                            if let Some(first) = seen.get(text) {
                                self.index.duplicates.push(DuplicateKey {
                                    path: path.key(text),
                                    first: first.clone(),
                                    second: range.clone(),
                                });
                            } else {
                                seen.insert(text.to_string(), range.clone());
                            }
                            *pending_key = Some((text.to_string(), range.clone()));
                        } else {
                            *complex_key_depth = 1;
                            *pending_key = Some((String::from("?"), range.clone()));
                        }
                        None
                    }
                }
            }
        }
    }

    fn complex_key_nesting(&mut self, delta: isize) -> bool {
        if let Some(Frame::Mapping {
            complex_key_depth, ..
        }) = self.stack.last_mut()
            && *complex_key_depth > 0
        {
            *complex_key_depth = complex_key_depth.saturating_add_signed(delta);
            return true;
        }
        false
    }
}

impl<'input> SpannedEventReceiver<'input> for Builder<'_> {
    fn on_event(&mut self, event: Event<'input>, span: Span) {
        let range = self.offsets.range(span);
        match event {
            Event::DocumentStart(_) => self.documents += 1,
            Event::Scalar(text, ..) => {
                if self.complex_key_nesting(0) {
                    return;
                }
                if let Some((path, key)) = self.next_node(true, &text, &range) {
                    if may_be_secret(&path) {
                        self.index.secret_ranges.push(range.clone());
                    }
                    self.index
                        .nodes
                        .insert(path, NodeSpan { key, value: range });
                }
            }
            Event::Alias(_) => {
                if self.complex_key_nesting(0) {
                    return;
                }
                if let Some((path, key)) = self.next_node(false, "", &range) {
                    self.index
                        .nodes
                        .insert(path, NodeSpan { key, value: range });
                }
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                if self.complex_key_nesting(1) {
                    return;
                }
                let is_mapping = matches!(event, Event::MappingStart(..));
                if let Some((path, key)) = self.next_node(false, "", &range) {
                    self.index.nodes.insert(
                        path.clone(),
                        NodeSpan {
                            key,
                            value: range.clone(),
                        },
                    );
                    self.stack.push(if is_mapping {
                        Frame::Mapping {
                            path,
                            start: range.start,
                            pending_key: None,
                            seen: HashMap::new(),
                            complex_key_depth: 0,
                        }
                    } else {
                        Frame::Sequence {
                            path,
                            start: range.start,
                            next: 0,
                        }
                    });
                }
            }
            Event::MappingEnd | Event::SequenceEnd => {
                if self.complex_key_nesting(-1) {
                    return;
                }
                if self.documents > 1 {
                    return;
                }
                if let Some(frame) = self.stack.pop() {
                    let (path, start) = match frame {
                        Frame::Mapping { path, start, .. }
                        | Frame::Sequence { path, start, .. } => (path, start),
                    };
                    // Block collections end where their next sibling starts; keep the
                    // node's end at the last character that belongs to it.
                    let end = range.start.max(start);
                    if let Some(node) = self.index.nodes.get_mut(&path) {
                        node.value = start..end;
                    }
                }
            }
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text<'a>(source: &'a str, range: &Range<usize>) -> &'a str {
        &source[range.clone()]
    }

    #[test]
    fn indexes_keys_values_and_sequence_items() {
        let source = "target:\n  region: eu-west-1\ntenants: [acme, \"globex\"]\nusers:\n  alice:\n    tenant: acme\n";
        let index = SpanIndex::build(source).unwrap();
        let region = index
            .get(&KeyPath::root().key("target").key("region"))
            .unwrap();
        assert_eq!(text(source, region.key.as_ref().unwrap()), "region");
        assert_eq!(text(source, &region.value), "eu-west-1");
        let globex = index.get(&KeyPath::root().key("tenants").index(1)).unwrap();
        assert_eq!(text(source, &globex.value), "\"globex\"");
        let tenant = index
            .get(&KeyPath::root().key("users").key("alice").key("tenant"))
            .unwrap();
        assert_eq!(text(source, &tenant.value), "acme");
    }

    #[test]
    fn byte_offsets_survive_multibyte_characters() {
        let source = "description: \"größe\"\nregion: eu-west-1\n";
        let index = SpanIndex::build(source).unwrap();
        let region = index.get(&KeyPath::root().key("region")).unwrap();
        assert_eq!(text(source, &region.value), "eu-west-1");
    }

    #[test]
    fn records_duplicate_keys() {
        let source = "users:\n  alice: {tenant: a}\n  alice: {tenant: b}\n";
        let index = SpanIndex::build(source).unwrap();
        let duplicate = &index.duplicates()[0];
        assert_eq!(duplicate.path.to_string(), "users.alice");
        assert!(duplicate.first.start < duplicate.second.start);
    }

    #[test]
    fn marks_password_values_but_not_their_env_names_as_secret() {
        let source = "users:\n  alice:\n    password: {value: hunter2}\n  bob:\n    password: {env: BOB_PASSWORD}\n  carol:\n    pasword: s3cret\n";
        let index = SpanIndex::build(source).unwrap();
        let masked: Vec<&str> = index
            .secret_ranges()
            .iter()
            .map(|r| text(source, r))
            .collect();
        assert_eq!(masked, vec!["hunter2", "s3cret"]);
    }

    #[test]
    fn reports_syntax_errors_with_their_offset() {
        let error = SpanIndex::build("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(!error.message.is_empty());
    }
}
