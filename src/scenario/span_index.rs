//! The span index: for every key path of a YAML document, where its key and its value sit in
//! the source. serde_yaml reports no positions for values, so diagnostics look them up here.
//! Built from saphyr-parser's spanned events in one pass; it also records duplicate keys
//! (which serde would silently merge), tags (which serde resolves silently), where a second
//! document starts, and the byte ranges of everything a `SecretLayout` masks, which
//! diagnostics must never echo.

use super::key_path::{KeyPath, PathSegment};
use super::secret_layout::{SecretLayout, is_secret_key};
use saphyr_parser::{Event, Parser, ScanError, Span, SpannedEventReceiver, Tag};
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

/// A node written with an explicit tag (`!Ref x`, `!!binary ...`, `!!str 1`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaggedNode {
    pub path: KeyPath,
    /// The tagged node (a key, when the tag is on a key).
    pub range: Range<usize>,
    /// The tag as written in its short form, for example `!!binary`.
    pub tag: String,
}

/// Byte positions of every node of a document, by key path.
#[derive(Debug, Clone, Default)]
pub struct SpanIndex {
    nodes: HashMap<KeyPath, NodeSpan>,
    duplicates: Vec<DuplicateKey>,
    tags: Vec<TaggedNode>,
    second_document: Option<usize>,
    secret_ranges: Vec<Range<usize>>,
    layout: Option<SecretLayout>,
}

/// A syntax error found while indexing, with its byte position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlSyntaxError {
    pub message: String,
    pub offset: usize,
    /// What must be masked: the secrets indexed before the error and, when the error sits
    /// inside a secret position or a guarded entry, the lines from that entry's start to
    /// the error's line.
    pub secret_ranges: Vec<Range<usize>>,
}

impl SpanIndex {
    /// Indexes a scenario file. Only the first document of a stream is indexed.
    pub fn build(source: &str) -> Result<SpanIndex, YamlSyntaxError> {
        SpanIndex::build_with(source, &SCENARIO_SECRETS)
    }

    /// Indexes `source`, masking by `layout`. Only the first document is indexed.
    pub fn build_with(source: &str, layout: &SecretLayout) -> Result<SpanIndex, YamlSyntaxError> {
        let offsets = CharOffsets::new(source);
        let mut builder = Builder {
            offsets: &offsets,
            layout,
            index: SpanIndex {
                layout: Some(*layout),
                ..SpanIndex::default()
            },
            stack: Vec::new(),
            documents: 0,
        };
        let mut parser = Parser::new_from_str(source);
        match parser.load(&mut builder, false) {
            Ok(()) => {
                let mut index = builder.index;
                index.mask_comments(source, layout);
                Ok(index)
            }
            Err(error) => {
                let error: ScanError = error;
                let offset = offsets.byte(error.marker().index());
                let mut secret_ranges = builder.index.secret_ranges.clone();
                if let Some(start) = builder.guarded_start() {
                    secret_ranges.extend(line_contents(source, start, offset));
                }
                Err(YamlSyntaxError {
                    message: error.info().to_string(),
                    offset,
                    secret_ranges,
                })
            }
        }
    }

    /// Masks the comments of every line that holds a secret, a key leading to a secret
    /// position, or part of a guarded entry: a commented-out password
    /// (`password: #{value: P}`) is still a password.
    fn mask_comments(&mut self, source: &str, layout: &SecretLayout) {
        let mut lines: Vec<usize> = Vec::new();
        for range in &self.secret_ranges {
            lines.push(range.start);
            lines.push(range.end.saturating_sub(1).max(range.start));
        }
        for (path, node) in &self.nodes {
            if let Some(key) = &node.key
                && masked_value(layout, path)
            {
                lines.push(key.start);
            }
            if layout.inside_guarded_entry(path) {
                // Every line the node spans.
                let mut at = node.value.start.min(source.len());
                lines.push(at);
                while let Some(next) = source[at..node.value.end.min(source.len())].find('\n') {
                    at += next + 1;
                    lines.push(at);
                }
            }
        }
        let mut starts: Vec<usize> = lines
            .into_iter()
            .map(|at| {
                source[..at.min(source.len())]
                    .rfind('\n')
                    .map_or(0, |i| i + 1)
            })
            .collect();
        starts.sort_unstable();
        starts.dedup();
        for start in starts {
            let end = source[start..]
                .find('\n')
                .map_or(source.len(), |i| start + i);
            if let Some(comment) = comment_start(&source[start..end]) {
                self.secret_ranges.push(start + comment..end);
            }
        }
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

    /// Whether the key `key` of the mapping at `parent` must not be shown (a key a user
    /// entry does not know may be a password written where a key belongs).
    pub fn hides_key(&self, parent: &KeyPath, key: &str) -> bool {
        self.layout
            .as_ref()
            .is_some_and(|layout| masked_key(layout, parent, key))
    }

    /// `path` as a diagnostic may show it: a key the layout hides becomes `***`, and
    /// nothing under it is named.
    pub fn shown_path(&self, path: &KeyPath) -> KeyPath {
        let mut shown = KeyPath::root();
        for segment in path.segments() {
            match segment {
                PathSegment::Key(key) if self.hides_key(&shown, key) => {
                    return shown.key(KeyPath::HIDDEN);
                }
                PathSegment::Key(key) => shown = shown.key(key.as_str()),
                PathSegment::Index(i) => shown = shown.index(*i),
            }
        }
        shown
    }

    /// Every tagged node, in file order.
    pub fn tags(&self) -> &[TaggedNode] {
        &self.tags
    }

    /// Where a second document starts (its `---`), if the stream has one.
    pub fn second_document(&self) -> Option<usize> {
        self.second_document
    }

    /// Byte ranges of scalars that may hold a secret, to be masked before display.
    pub fn secret_ranges(&self) -> &[Range<usize>] {
        &self.secret_ranges
    }
}

/// The scenario's secret positions: anything under a key whose name suggests a secret
/// (`password`, `client_secret`, a near miss such as `pas-word`), except the `env`/`file`
/// indirections (which name where the secret is, not the secret), the names of users and
/// resources and the `secret` resource kind (which describe a secret's location, not its
/// value); and every key of a user entry the format does not know, since a password
/// written where a key belongs (`{tenant: acme, "P"}`) becomes a key.
pub const SCENARIO_SECRETS: SecretLayout = SecretLayout {
    may_be_secret: scenario_may_be_secret,
    guarded_entry: scenario_guarded_entry,
};

fn scenario_may_be_secret(path: &KeyPath) -> bool {
    let segments = path.segments();
    let Some(PathSegment::Key(last)) = segments.last() else {
        return false;
    };
    let section = match segments.first() {
        Some(PathSegment::Key(first)) => first.as_str(),
        _ => "",
    };
    if segments.len() == 2 && (section == "users" || section == "resources") {
        // The name of a user or a resource.
        return false;
    }
    if segments.len() == 3 && section == "resources" {
        // A resource kind such as `secret:`; its fields locate the secret.
        return false;
    }
    is_secret_key(last)
}

fn scenario_guarded_entry(path: &KeyPath) -> Option<&'static [&'static str]> {
    match path.segments() {
        [PathSegment::Key(section), PathSegment::Key(_)] if section == "users" => {
            Some(&["tenant", "username", "password", "role", "guest"])
        }
        _ => None,
    }
}

/// Whether a scalar at `path` is masked: a secret value, or a key the layout hides. The
/// `env`/`file` fields right under a secret key name where the secret is and stay visible.
fn masked_value(layout: &SecretLayout, path: &KeyPath) -> bool {
    if let (Some(last), Some(parent)) = (path.last_key(), path.parent())
        && (last == "env" || last == "file")
        && (layout.may_be_secret)(&parent)
    {
        return false;
    }
    layout.masks(path)
}

/// Whether the key `key` written in the mapping at `parent` is masked: keys under a masked
/// position other than the secret reference's own (`env`, `file`, `value`), and keys a
/// guarded entry does not know.
fn masked_key(layout: &SecretLayout, parent: &KeyPath, key: &str) -> bool {
    if parent.segments().is_empty() {
        return false;
    }
    if layout.masks(parent) {
        return !["env", "file", "value"].contains(&key);
    }
    matches!((layout.guarded_entry)(parent), Some(known) if !known.contains(&key))
}

/// The content of every line from the one holding `start` to the one holding `end`, each
/// from its first non-blank character to its end: what a line that failed to parse inside a
/// guarded entry may hold of a secret.
fn line_contents(source: &str, start: usize, end: usize) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        let line_end = offset + line.len();
        if line_end > start.min(source.len()) && offset <= end {
            let content = line.trim_end_matches(['\n', '\r']);
            let indent = content.len() - content.trim_start().len();
            if indent < content.len() {
                ranges.push(offset + indent..offset + content.len());
            }
        }
        if offset > end {
            break;
        }
        offset = line_end;
    }
    ranges
}

/// Where a comment starts on a line: a `#` at its start or after a blank, outside quotes.
fn comment_start(line: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut previous = ' ';
    let mut chars = line.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match (quote, c) {
            (None, '#') if previous == ' ' || previous == '\t' => return Some(at),
            (None, '"' | '\'') => quote = Some(c),
            (Some('"'), '\\') => {
                chars.next();
            }
            (Some(open), _) if c == open => {
                if open == '\'' && chars.peek().is_some_and(|(_, n)| *n == '\'') {
                    chars.next();
                } else {
                    quote = None;
                }
            }
            _ => {}
        }
        previous = c;
    }
    None
}

/// A tag in the short form a user writes: `!!str` for the core schema, `!Ref` otherwise.
fn short_tag(tag: &Tag) -> String {
    if tag.handle == "tag:yaml.org,2002:" {
        format!("!!{}", tag.suffix)
    } else {
        format!("{}{}", tag.handle, tag.suffix)
    }
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
    layout: &'a SecretLayout,
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
                            if masked_key(self.layout, path, text) {
                                self.index.secret_ranges.push(range.clone());
                            }
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

    /// Where the outermost guarded entry or secret position being read when parsing
    /// stopped begins, if parsing stopped inside one.
    fn guarded_start(&self) -> Option<usize> {
        for frame in &self.stack {
            let (path, start) = match frame {
                Frame::Mapping { path, start, .. } | Frame::Sequence { path, start, .. } => {
                    (path, *start)
                }
            };
            // The scanner reads ahead: parsing may stop before the events of the entry
            // being read arrive, so the list holding guarded entries counts as well.
            let item_guarded = match frame {
                Frame::Sequence { path, next, .. } => [*next, next.saturating_sub(1)]
                    .iter()
                    .any(|i| self.layout.inside_guarded_entry(&path.index(*i))),
                Frame::Mapping { .. } => false,
            };
            if item_guarded || self.layout.inside_guarded_entry(path) {
                return Some(start);
            }
        }
        match self.stack.last() {
            Some(Frame::Mapping {
                path,
                pending_key: Some((key, range)),
                ..
            }) if masked_value(self.layout, &path.key(key.as_str()))
                || masked_key(self.layout, path, key) =>
            {
                Some(range.start)
            }
            _ => None,
        }
    }

    /// Records a tag on the node at `path` (a key's path when the tag is on a key).
    fn record_tag(&mut self, tag: Option<&Tag>, path: Option<KeyPath>, range: &Range<usize>) {
        if let (Some(tag), Some(path)) = (tag, path) {
            self.index.tags.push(TaggedNode {
                path,
                range: range.clone(),
                tag: short_tag(tag),
            });
        }
    }

    /// The path a scalar about to be read as a mapping key leads to.
    fn key_path(&self, text: &str) -> Option<KeyPath> {
        match self.stack.last() {
            Some(Frame::Mapping {
                path,
                pending_key: None,
                complex_key_depth: 0,
                ..
            }) => Some(path.key(text)),
            _ => None,
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
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents == 2 {
                    self.index.second_document = Some(range.start);
                }
            }
            Event::Scalar(text, _, _, tag) => {
                if self.complex_key_nesting(0) {
                    return;
                }
                // An implied empty value (`{key}`, `key:` at a line's end) has no text;
                // its event may still span the next token (a closing bracket).
                let range = if text.is_empty() {
                    range.start..range.start
                } else {
                    range
                };
                let as_key = if self.documents > 1 {
                    None
                } else {
                    self.key_path(&text)
                };
                let node = self.next_node(true, &text, &range);
                let tagged = node.as_ref().map(|(path, _)| path.clone()).or(as_key);
                self.record_tag(tag.as_deref(), tagged, &range);
                if let Some((path, key)) = node {
                    if masked_value(self.layout, &path) {
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
            Event::MappingStart(_, ref tag) | Event::SequenceStart(_, ref tag) => {
                if self.complex_key_nesting(1) {
                    return;
                }
                let tag = tag.clone();
                let is_mapping = matches!(event, Event::MappingStart(..));
                if let Some((path, key)) = self.next_node(false, "", &range) {
                    self.record_tag(tag.as_deref(), Some(path.clone()), &range);
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
                    // node's end at the last character that belongs to it. A flow
                    // collection's end event spans its closing bracket, which belongs to it.
                    let end = range.end.max(start);
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
    fn marks_password_values_and_unknown_user_keys_but_not_env_names_as_secret() {
        let source = "users:\n  alice:\n    password: {value: hunter2}\n  bob:\n    password: {env: BOB_PASSWORD}\n  carol:\n    pasword: s3cret\n";
        let index = SpanIndex::build(source).unwrap();
        let masked: Vec<&str> = index
            .secret_ranges()
            .iter()
            .map(|r| text(source, r))
            .collect();
        // `pasword` is a key the user entry does not know: it could be a password written
        // where a key belongs, so it is masked too (and its value with it).
        assert_eq!(masked, vec!["hunter2", "pasword", "s3cret"]);
    }

    #[test]
    fn reports_syntax_errors_with_their_offset() {
        let error = SpanIndex::build("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(!error.message.is_empty());
    }
}
