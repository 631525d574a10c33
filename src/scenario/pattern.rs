//! Name patterns of override rules: literal text where `*` matches any run of characters.

/// A pattern as written in `expect.overrides`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern(String);

impl Pattern {
    pub fn new(text: impl Into<String>) -> Pattern {
        Pattern(text.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the pattern has a `*`; a pattern without one names exactly one thing.
    pub fn is_wildcard(&self) -> bool {
        self.0.contains('*')
    }

    pub fn matches(&self, text: &str) -> bool {
        let pieces: Vec<&str> = self.0.split('*').collect();
        if pieces.len() == 1 {
            return self.0 == text;
        }
        let (first, last) = (pieces[0], pieces[pieces.len() - 1]);
        if !text.starts_with(first) || text.len() < first.len() + last.len() {
            return false;
        }
        let mut rest = &text[first.len()..text.len() - last.len()];
        if !text.ends_with(last) {
            return false;
        }
        for middle in &pieces[1..pieces.len() - 1] {
            match rest.find(middle) {
                Some(at) => rest = &rest[at + middle.len()..],
                None => return false,
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn star_matches_any_run_and_literals_match_exactly() {
        assert!(Pattern::new("*").matches("anything"));
        assert!(Pattern::new("s3:*").matches("s3:HeadObject"));
        assert!(!Pattern::new("s3:*").matches("dynamodb:Query"));
        assert!(Pattern::new("*-reader").matches("acme-reader"));
        assert!(Pattern::new("a*b*c").matches("aXXbYYc"));
        assert!(!Pattern::new("a*b*c").matches("acb"));
        assert!(!Pattern::new("ab*ba").matches("aba"));
        assert!(Pattern::new("alice").matches("alice"));
        assert!(!Pattern::new("alice").matches("alice2"));
    }
}
