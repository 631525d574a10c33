//! A Markdown document that never outgrows its limit: sections add lines up to a cap and
//! say how many they left out, and the finished text is cut at a line boundary, with a
//! note, if the fixed parts still pushed it over.

use super::summary::JOB_SUMMARY_LIMIT;

/// The text so far and the size it must stay under.
pub struct MarkdownBudget {
    text: String,
    limit: usize,
}

impl MarkdownBudget {
    pub fn new(text: String, limit: usize) -> MarkdownBudget {
        MarkdownBudget { text, limit }
    }

    pub fn len(&self) -> usize {
        self.text.len()
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Adds a heading or another fixed, short part.
    pub fn push(&mut self, part: &str) {
        self.text.push_str(part);
    }

    /// Whether `part` fits before the text reaches `cap` (never past the limit).
    pub fn fits(&self, part: &str, cap: usize) -> bool {
        self.text.len() + part.len() <= cap.min(self.limit)
    }

    /// Adds `lines` while they fit under `cap`, then one line counting the rest.
    pub fn lines_or_count(&mut self, lines: impl Iterator<Item = String>, cap: usize, what: &str) {
        let mut left_out = 0usize;
        for line in lines {
            if left_out == 0 && self.fits(&line, cap) {
                self.text.push_str(&line);
            } else {
                left_out += 1;
            }
        }
        if left_out > 0 {
            self.text.push_str(&format!(
                "\n**{left_out} more {what}, see the evidence/HTML.**\n"
            ));
        }
    }

    /// Adds a whole section if it fits under the limit, else a line saying it was left out.
    pub fn push_within(&mut self, section: &str, what: &str) {
        if self.fits(section, self.limit) {
            self.text.push_str(section);
        } else {
            self.text.push_str(&format!(
                "\n**{what} is too large for this summary, see the evidence/HTML.**\n"
            ));
        }
    }

    /// The text, cut at the last line that fits GitHub's job-summary limit when the fixed
    /// parts overran (a very long scenario name, say).
    pub fn finish(self) -> String {
        let mut text = self.text;
        if text.len() > JOB_SUMMARY_LIMIT {
            let note =
                "\n**Summary cut at GitHub's 1 MiB job-summary limit, see the evidence/HTML.**\n";
            let mut cut = JOB_SUMMARY_LIMIT - note.len();
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            let cut = text[..cut].rfind('\n').map_or(cut, |at| at + 1);
            text.truncate(cut);
            text.push_str(note);
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_past_the_cap_are_counted_not_written() {
        let mut md = MarkdownBudget::new(String::from("# t\n"), 100);
        let lines = (0..20).map(|n| format!("- line {n:02}\n"));
        md.lines_or_count(lines, 4 + 3 * 11, "lines");
        let text = md.finish();
        assert!(
            text.contains("- line 02\n") && !text.contains("- line 03"),
            "{text}"
        );
        assert!(
            text.ends_with("**17 more lines, see the evidence/HTML.**\n"),
            "{text}"
        );
    }

    #[test]
    fn an_overrun_is_cut_at_a_line_and_says_so() {
        let line = "é".repeat(1000) + "\n";
        let md = MarkdownBudget::new(line.repeat(600), usize::MAX);
        let text = md.finish();
        assert!(text.len() <= JOB_SUMMARY_LIMIT, "{}", text.len());
        assert!(text.ends_with("see the evidence/HTML.**\n"));
        let kept = text
            .lines()
            .filter(|l| l.starts_with('é'))
            .collect::<Vec<_>>();
        assert!(
            kept.iter().all(|l| l.chars().count() == 1000),
            "a line was cut"
        );
    }

    #[test]
    fn a_section_too_large_is_named_instead() {
        let mut md = MarkdownBudget::new(String::new(), 10);
        md.push_within("0123456789abc", "the audit section");
        assert!(md.finish().contains("the audit section is too large"));
    }
}
