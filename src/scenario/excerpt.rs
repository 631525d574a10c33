//! What a diagnostic quotes of its file: every line kept (so line numbers stay true), but a
//! line longer than a terminal is cut to a window around what the diagnostic points at,
//! with `…` where text was left out. A multi-megabyte value is never echoed in full, and the
//! `file:line:col` header still names the position in the real file.

use codespan_reporting::files::{self, Files, SimpleFile};
use std::ops::Range;

/// The longest line quoted, in characters.
pub const MAX_LINE_CHARS: usize = 120;
/// The most lines a label may span before it is cut to its first.
const MAX_LABEL_LINES: usize = 8;
/// How much of a long line is kept before the position a diagnostic points at.
const CONTEXT_BEFORE: usize = 30;
const ELLIPSIS: &str = "…";

/// A kept run of text: `len` bytes at `cut` in the excerpt, copied from `original`.
#[derive(Debug, Clone, Copy)]
struct Piece {
    cut: usize,
    original: usize,
    len: usize,
}

/// A file as one diagnostic shows it.
pub struct Excerpt<'s> {
    original: &'s str,
    shown: SimpleFile<String, String>,
    pieces: Vec<Piece>,
}

impl<'s> Excerpt<'s> {
    /// Cuts every long line of `source`; on a line holding one of `anchors` (byte offsets),
    /// the window starts a little before the first of them.
    pub fn new(name: &str, source: &'s str, anchors: &[usize]) -> Excerpt<'s> {
        let mut text = String::with_capacity(source.len().min(64 * 1024));
        let mut pieces = Vec::new();
        let keep = |text: &mut String, pieces: &mut Vec<Piece>, range: Range<usize>| {
            if !range.is_empty() {
                pieces.push(Piece {
                    cut: text.len(),
                    original: range.start,
                    len: range.len(),
                });
                text.push_str(&source[range]);
            }
        };
        let mut offset = 0;
        for line in source.split_inclusive('\n') {
            let start = offset;
            offset += line.len();
            let content_len = line.trim_end_matches(['\n', '\r']).len();
            let content = &line[..content_len];
            if content.chars().count() <= MAX_LINE_CHARS {
                keep(&mut text, &mut pieces, start..offset);
                continue;
            }
            let anchor = anchors
                .iter()
                .copied()
                .filter(|a| (start..start + content_len).contains(a))
                .min()
                .map_or(0, |a| {
                    content
                        .get(..a - start)
                        .map_or(0, |before| before.chars().count())
                });
            let from_char = if anchor + CONTEXT_BEFORE < MAX_LINE_CHARS {
                0
            } else {
                anchor - CONTEXT_BEFORE
            };
            let byte_at = |chars: usize| {
                content
                    .char_indices()
                    .nth(chars)
                    .map_or(content_len, |(at, _)| at)
            };
            let window = byte_at(from_char)..byte_at(from_char + MAX_LINE_CHARS);
            if window.start > 0 {
                text.push_str(ELLIPSIS);
            }
            keep(
                &mut text,
                &mut pieces,
                start + window.start..start + window.end,
            );
            if window.end < content_len {
                text.push_str(ELLIPSIS);
            }
            keep(&mut text, &mut pieces, start + content_len..offset);
        }
        Excerpt {
            original: source,
            shown: SimpleFile::new(name.to_string(), text),
            pieces,
        }
    }

    /// Where an original byte offset appears in the excerpt: in a kept run, or at the
    /// ellipsis standing for the text it fell in.
    pub fn to_shown(&self, original: usize) -> usize {
        let at = self.pieces.partition_point(|p| p.original <= original);
        match at.checked_sub(1).map(|i| self.pieces[i]) {
            Some(piece) if original < piece.original + piece.len => {
                piece.cut + (original - piece.original)
            }
            Some(piece) => {
                // Cut away after this piece: the ellipsis that follows it.
                piece.cut + piece.len
            }
            None => 0,
        }
    }

    /// A range of the original source as shown: inside the excerpt, on character
    /// boundaries, and on its first line when it spans more than `MAX_LABEL_LINES` (a
    /// label spanning lines quotes them all).
    pub fn shown_range(&self, range: &Range<usize>) -> Range<usize> {
        let start = range.start.min(self.original.len());
        let end = range.end.clamp(start, self.original.len());
        let end = match self.original[start..end].matches('\n').count() {
            lines if lines < MAX_LABEL_LINES => end,
            _ => self.original[start..]
                .find('\n')
                .map_or(self.original.len(), |at| start + at),
        };
        let text = self.shown.source();
        let mut shown_start = self.to_shown(start).min(text.len());
        let mut shown_end = self.to_shown(end).clamp(shown_start, text.len());
        if end > start && shown_end == shown_start && shown_end < text.len() {
            // The range sits wholly in cut text: underline the ellipsis.
            shown_end = (shown_start + ELLIPSIS.len()).min(text.len());
        }
        while !text.is_char_boundary(shown_start) {
            shown_start -= 1;
        }
        while !text.is_char_boundary(shown_end) {
            shown_end += 1;
        }
        shown_start..shown_end
    }

    /// The original offset a shown offset stands for.
    fn to_original(&self, shown: usize) -> usize {
        let at = self.pieces.partition_point(|p| p.cut <= shown);
        match at.checked_sub(1).map(|i| self.pieces[i]) {
            Some(piece) => piece.original + (shown - piece.cut).min(piece.len),
            None => 0,
        }
    }
}

impl<'a> Files<'a> for Excerpt<'_> {
    type FileId = ();
    type Name = String;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<String, files::Error> {
        Files::name(&self.shown, ())
    }

    fn source(&'a self, (): ()) -> Result<&'a str, files::Error> {
        Files::source(&self.shown, ())
    }

    fn line_index(&'a self, (): (), byte_index: usize) -> Result<usize, files::Error> {
        Files::line_index(&self.shown, (), byte_index)
    }

    fn line_range(&'a self, (): (), line_index: usize) -> Result<Range<usize>, files::Error> {
        Files::line_range(&self.shown, (), line_index)
    }

    /// The column in the real file, not in the cut line.
    fn column_number(
        &'a self,
        (): (),
        _line_index: usize,
        byte_index: usize,
    ) -> Result<usize, files::Error> {
        let original = self.to_original(byte_index).min(self.original.len());
        let mut start = original;
        while !self.original.is_char_boundary(start) {
            start -= 1;
        }
        let line_start = self.original[..start].rfind('\n').map_or(0, |at| at + 1);
        Ok(self.original[line_start..start].chars().count() + 1)
    }
}

/// Cuts `text` to `max` characters with an ellipsis, on a character boundary.
pub fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_string(),
        Some(_) => {
            let keep = text
                .char_indices()
                .nth(max.saturating_sub(1))
                .map_or(text.len(), |(at, _)| at);
            format!("{}{ELLIPSIS}", &text[..keep])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_lines_are_kept_and_long_ones_cut_around_the_anchor() {
        let long = "é".repeat(5000);
        let source = format!("a: 1\nb: \"{long}\" tail\nc: 3\n");
        let anchor = source.find("tail").unwrap();
        let excerpt = Excerpt::new("f.yaml", &source, &[anchor]);
        let shown = Files::source(&excerpt, ()).unwrap();
        assert!(shown.starts_with("a: 1\n…é"), "{shown}");
        assert!(shown.ends_with("tail\nc: 3\n"), "{shown}");
        assert!(
            shown
                .lines()
                .all(|l| l.chars().count() <= MAX_LINE_CHARS + 2)
        );
        let at = excerpt.shown_range(&(anchor..anchor + 4));
        assert_eq!(&shown[at.clone()], "tail");
        let line = excerpt.line_index((), at.start).unwrap();
        assert_eq!(line, 1);
        assert_eq!(excerpt.column_number((), line, at.start).unwrap(), 5000 + 7);
    }

    #[test]
    fn shorten_cuts_on_character_boundaries() {
        assert_eq!(shorten("abc", 5), "abc");
        assert_eq!(shorten("ééééé", 3), "éé…");
    }
}
