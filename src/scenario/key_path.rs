//! Key paths: where in a scenario file a value lives, for example
//! `expect.overrides[0].users[1]`. Diagnostics name them and the span index is keyed by them.

use std::fmt;

/// One step into a YAML document: a mapping key or a sequence index.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PathSegment {
    Key(String),
    Index(usize),
}

/// A path from the document root to a node.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyPath(Vec<PathSegment>);

impl KeyPath {
    /// The key shown in place of one that must not be shown (it may be a secret written
    /// where a key belongs).
    pub const HIDDEN: &'static str = "***";

    /// The document root.
    pub fn root() -> KeyPath {
        KeyPath(Vec::new())
    }

    /// This path extended by a mapping key.
    pub fn key(&self, key: impl Into<String>) -> KeyPath {
        let mut segments = self.0.clone();
        segments.push(PathSegment::Key(key.into()));
        KeyPath(segments)
    }

    /// This path extended by a sequence index.
    pub fn index(&self, index: usize) -> KeyPath {
        let mut segments = self.0.clone();
        segments.push(PathSegment::Index(index));
        KeyPath(segments)
    }

    /// The path one level up, or `None` at the root.
    pub fn parent(&self) -> Option<KeyPath> {
        if self.0.is_empty() {
            None
        } else {
            Some(KeyPath(self.0[..self.0.len() - 1].to_vec()))
        }
    }

    pub fn segments(&self) -> &[PathSegment] {
        &self.0
    }

    /// The path made of `segments`, from the root.
    pub fn from_segments(segments: &[PathSegment]) -> KeyPath {
        KeyPath(segments.to_vec())
    }

    /// Whether `prefix` is this path or one of its ancestors.
    pub fn starts_with(&self, prefix: &KeyPath) -> bool {
        self.0.starts_with(&prefix.0)
    }

    /// The last mapping key of the path, if the path ends in one.
    pub fn last_key(&self) -> Option<&str> {
        match self.0.last() {
            Some(PathSegment::Key(key)) => Some(key),
            _ => None,
        }
    }

    /// Parses a JSON pointer (as JSON Schema validators report instance locations).
    pub fn from_json_pointer(pointer: &str) -> KeyPath {
        let mut path = KeyPath::root();
        if pointer.is_empty() {
            return path;
        }
        for raw in pointer.trim_start_matches('/').split('/') {
            let key = raw.replace("~1", "/").replace("~0", "~");
            // JSON pointers do not say whether `0` is an index or a key; the document has
            // no numeric mapping keys after conversion, so a number is an index.
            match key.parse::<usize>() {
                Ok(index) if !key.starts_with('+') => path = path.index(index),
                _ => path = path.key(key),
            }
        }
        path
    }
}

impl fmt::Display for KeyPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(document root)");
        }
        for (position, segment) in self.0.iter().enumerate() {
            match segment {
                PathSegment::Index(index) => write!(f, "[{index}]")?,
                PathSegment::Key(key) => {
                    if position > 0 {
                        f.write_str(".")?;
                    }
                    let plain = key == KeyPath::HIDDEN
                        || !key.is_empty()
                            && key
                                .chars()
                                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
                    if plain {
                        f.write_str(key)?;
                    } else {
                        write!(f, "{key:?}")?;
                    }
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_keys_indices_and_quotes_odd_keys() {
        let path = KeyPath::root()
            .key("expect")
            .key("overrides")
            .index(0)
            .key("users");
        assert_eq!(path.to_string(), "expect.overrides[0].users");
        assert_eq!(
            KeyPath::root().key("users").key("a.b").to_string(),
            "users.\"a.b\""
        );
        assert_eq!(KeyPath::root().to_string(), "(document root)");
    }

    #[test]
    fn ancestors_are_prefixes_and_hidden_keys_show_bare() {
        let path = KeyPath::root().key("users").key("alice");
        assert!(path.starts_with(&KeyPath::root().key("users")));
        assert!(!KeyPath::root().key("tenants").starts_with(&path));
        assert_eq!(path.key(KeyPath::HIDDEN).to_string(), "users.alice.***");
    }

    #[test]
    fn json_pointer_round_trips_indices_and_escapes() {
        let path = KeyPath::from_json_pointer("/resources/docs/actions/2");
        assert_eq!(path.to_string(), "resources.docs.actions[2]");
        let path = KeyPath::from_json_pointer("/users/a~1b");
        assert_eq!(path.last_key(), Some("a/b"));
    }
}
