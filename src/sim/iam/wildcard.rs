//! Wildcard patterns as IAM uses them in `Action`, `Resource` and the `*Like` operators.
//!
//! A pattern is a sequence of tokens so that text which came from a policy variable, or
//! from the `${*}` / `${?}` escapes, stays literal while the policy's own `*` and `?` match.

/// One element of a compiled pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    /// Exactly this character.
    Char(char),
    /// `*`: any run of characters, including none, across `:` and `/`.
    /// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html#reference_policies_elements_resource_wildcards>.
    AnyRun,
    /// `?`: exactly one character.
    AnyChar,
}

/// A compiled wildcard pattern.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pattern {
    tokens: Vec<Token>,
}

impl Pattern {
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty pattern with room for `tokens` tokens.
    pub fn with_capacity(tokens: usize) -> Self {
        Pattern {
            tokens: Vec::with_capacity(tokens),
        }
    }

    /// Compiles text in which `*` and `?` are wildcards.
    pub fn wildcard(text: &str) -> Self {
        let mut pattern = Self::new();
        pattern.push_wildcard_text(text);
        pattern
    }

    /// Appends text in which `*` and `?` are wildcards.
    pub fn push_wildcard_text(&mut self, text: &str) {
        self.tokens.extend(text.chars().map(|c| match c {
            '*' => Token::AnyRun,
            '?' => Token::AnyChar,
            other => Token::Char(other),
        }));
    }

    /// Appends text matched character for character (a resolved policy variable or an
    /// escape such as `${*}`).
    pub fn push_literal_text(&mut self, text: &str) {
        self.tokens.extend(text.chars().map(Token::Char));
    }

    /// Splits at literal `separator` characters into at most `max_parts` patterns, the
    /// last keeping any further separators (as `str::splitn` does).
    pub fn split_on(&self, separator: char, max_parts: usize) -> Vec<Pattern> {
        let mut parts = vec![Pattern::new()];
        for token in &self.tokens {
            if *token == Token::Char(separator) && parts.len() < max_parts {
                parts.push(Pattern::new());
            } else if let Some(last) = parts.last_mut() {
                last.tokens.push(token.clone());
            }
        }
        parts
    }

    /// Whether the whole of `text` matches the pattern (case-sensitively).
    pub fn matches(&self, text: &str) -> bool {
        let tokens = &self.tokens;
        let mut token_index = 0usize;
        let mut text_index = 0usize;
        // The most recent `*` and the text position it currently stops at; on a mismatch
        // the `*` swallows one more character and matching resumes after it.
        let mut backtrack: Option<(usize, usize)> = None;
        loop {
            let next_char = text[text_index..].chars().next();
            if let Some(token) = tokens.get(token_index) {
                match (token, next_char) {
                    (Token::AnyRun, _) => {
                        backtrack = Some((token_index, text_index));
                        token_index += 1;
                        continue;
                    }
                    (Token::AnyChar, Some(c)) => {
                        token_index += 1;
                        text_index += c.len_utf8();
                        continue;
                    }
                    (Token::Char(expected), Some(c)) if *expected == c => {
                        token_index += 1;
                        text_index += c.len_utf8();
                        continue;
                    }
                    _ => {}
                }
            } else if next_char.is_none() {
                return true;
            }
            match backtrack {
                Some((star_token, star_text)) => {
                    let Some(c) = text[star_text..].chars().next() else {
                        return false;
                    };
                    let resume = star_text + c.len_utf8();
                    backtrack = Some((star_token, resume));
                    token_index = star_token + 1;
                    text_index = resume;
                }
                None => return false,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn star_spans_colons_and_slashes() {
        let p = Pattern::wildcard("arn:aws:s3:::bucket/*");
        assert!(p.matches("arn:aws:s3:::bucket/a/b:c"));
        assert!(p.matches("arn:aws:s3:::bucket/"));
        assert!(!p.matches("arn:aws:s3:::bucket"));
        assert!(Pattern::wildcard("*").matches("arn:aws:s3:::x/y"));
    }

    #[test]
    fn question_mark_is_exactly_one_character() {
        let p = Pattern::wildcard("s3:Get?bject");
        assert!(p.matches("s3:GetObject"));
        assert!(!p.matches("s3:Getbject"));
        assert!(!p.matches("s3:GetOObject"));
        assert!(Pattern::wildcard("a?c").matches("aéc"));
    }

    #[test]
    fn matching_is_case_sensitive() {
        let p = Pattern::wildcard("tenant-A/*");
        assert!(!p.matches("tenant-a/x"));
        assert!(p.matches("tenant-A/x"));
    }

    #[test]
    fn split_on_keeps_the_rest_in_the_last_part() {
        let parts = Pattern::wildcard("arn:aws:s3:::b/a:c").split_on(':', 6);
        assert_eq!(parts.len(), 6);
        assert!(parts[5].matches("b/a:c"));
        assert!(parts[3].matches(""));
    }

    #[test]
    fn literal_text_keeps_wildcards_literal() {
        let mut p = Pattern::wildcard("home/");
        p.push_literal_text("*");
        p.push_wildcard_text("/*");
        assert!(p.matches("home/*/doc"));
        assert!(!p.matches("home/bob/doc"));
    }

    #[test]
    fn backtracking_handles_several_stars() {
        let p = Pattern::wildcard("*a*b?c*");
        assert!(p.matches("xxaYYbZc"));
        assert!(p.matches("abxc"));
        assert!(!p.matches("abc"));
        assert!(!Pattern::wildcard("").matches("x"));
        assert!(Pattern::wildcard("").matches(""));
    }
}
