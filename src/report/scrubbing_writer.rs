//! A report file written as it is rendered, scrubbed through the run's redactor on the way
//! to the disk, so that no report is ever held whole in memory.
//!
//! The redactor masks known secrets and secret shapes. A shape never spans a line (a newline
//! is neither a base64 nor a base64url character, see [`crate::redaction`]), and a known
//! secret spans one only if it contains a newline itself; so the text is scrubbed one run of
//! whole lines at a time, which masks exactly what scrubbing the whole document would. If
//! the redactor knows a secret with a newline in it, nothing is written before the end and
//! the document is scrubbed whole, as before.

use crate::redaction::Redactor;
use std::io::{self, Write};

/// How much rendered text waits before its complete lines are scrubbed and written.
const CHUNK_BYTES: usize = 256 * 1024;

/// Buffers rendered text, and writes it to `inner` scrubbed, whole lines at a time.
pub struct ScrubbingWriter<'r, W: Write> {
    inner: W,
    redactor: &'r Redactor,
    pending: Vec<u8>,
}

impl<'r, W: Write> ScrubbingWriter<'r, W> {
    pub fn new(inner: W, redactor: &'r Redactor) -> ScrubbingWriter<'r, W> {
        ScrubbingWriter {
            inner,
            redactor,
            pending: Vec::with_capacity(CHUNK_BYTES + CHUNK_BYTES / 4),
        }
    }

    /// Scrubs and writes what is left, flushes, and hands back the inner writer.
    pub fn finish(mut self) -> io::Result<W> {
        write_scrubbed(&mut self.inner, self.redactor, &self.pending)?;
        self.inner.flush()?;
        Ok(self.inner)
    }
}

/// Writes `bytes` to `inner` with every secret `redactor` knows masked.
fn write_scrubbed(inner: &mut impl Write, redactor: &Redactor, bytes: &[u8]) -> io::Result<()> {
    // Every renderer writes UTF-8, and a cut after a newline byte never splits a character;
    // anything else is a renderer bug, reported rather than written unmasked.
    let text = std::str::from_utf8(bytes)
        .map_err(|error| io::Error::new(io::ErrorKind::InvalidData, error))?;
    inner.write_all(redactor.mask(text).as_bytes())
}

impl<W: Write> Write for ScrubbingWriter<'_, W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(bytes);
        if self.pending.len() >= CHUNK_BYTES
            && !self.redactor.knows_a_multiline_secret()
            && let Some(last_newline) = self.pending.iter().rposition(|&byte| byte == b'\n')
        {
            write_scrubbed(
                &mut self.inner,
                self.redactor,
                &self.pending[..=last_newline],
            )?;
            self.pending.drain(..=last_newline);
        }
        Ok(bytes.len())
    }

    /// Only [`ScrubbingWriter::finish`] writes the last partial line: a flush in the middle
    /// of a line could cut a secret in two.
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::SecretString;

    fn scrubbed(redactor: &Redactor, pieces: &[&str]) -> String {
        let mut writer = ScrubbingWriter::new(Vec::new(), redactor);
        for piece in pieces {
            writer.write_all(piece.as_bytes()).unwrap();
        }
        String::from_utf8(writer.finish().unwrap()).unwrap()
    }

    #[test]
    fn a_secret_split_across_writes_is_masked_as_in_the_whole_text() {
        let redactor = Redactor::new(&[SecretString::new("hunter2")]);
        let filler = "x".repeat(CHUNK_BYTES);
        let text = format!("{filler}\nline with hun");
        let pieces = [text.as_str(), "ter2 and more\n", "last hunter2"];
        assert_eq!(
            scrubbed(&redactor, &pieces),
            redactor.scrub(&pieces.concat())
        );
        assert!(scrubbed(&redactor, &pieces).ends_with("line with *** and more\nlast ***"));
    }

    #[test]
    fn a_secret_with_a_newline_is_masked_across_the_chunk_boundary() {
        let redactor = Redactor::new(&[SecretString::new("two\nlines")]);
        let filler = "y".repeat(CHUNK_BYTES);
        let pieces = [filler.as_str(), "\nsecret two\n", "lines here"];
        let written = scrubbed(&redactor, &pieces);
        assert!(written.ends_with("\nsecret *** here"), "{written:?}");
        assert!(!written.contains("two\nlines"));
    }

    #[test]
    fn long_text_is_written_before_the_end() {
        let redactor = Redactor::default();
        let mut writer = ScrubbingWriter::new(Vec::new(), &redactor);
        let line = format!("{}\n", "z".repeat(1023));
        for _ in 0..(2 * CHUNK_BYTES / line.len()) {
            writer.write_all(line.as_bytes()).unwrap();
        }
        assert!(writer.pending.len() < CHUNK_BYTES);
        assert_eq!(
            writer.finish().unwrap().len(),
            2 * CHUNK_BYTES / line.len() * line.len()
        );
    }
}
