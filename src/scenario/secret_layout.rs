//! Where a YAML file (a scenario or a local staging world) keeps its secrets, by position:
//! which key paths may hold a secret value, and which entries (a user, a secret) hide every
//! key they do not know. Diagnostics mask by this layout before anything is shown, so
//! masking never depends on the file having parsed into its model: a typo such as
//! `pas-word: {value: "P"}` or `password: {"P"}` is masked as much as a well-formed value.

use super::key_path::{KeyPath, PathSegment};

/// The secret positions of one file format.
#[derive(Debug, Clone, Copy)]
pub struct SecretLayout {
    /// Whether a scalar at this path (a value, or a key written where the path leads) may
    /// be a secret. Everything under such a path is masked too.
    pub may_be_secret: fn(&KeyPath) -> bool,
    /// When the path is an entry whose unknown keys must never be shown (a user, a
    /// secret), the keys it knows; any other key there, and its value, is masked.
    pub guarded_entry: fn(&KeyPath) -> Option<&'static [&'static str]>,
}

impl SecretLayout {
    /// Whether the path leads into a masked position: under a secret key, or under a key
    /// that a guarded entry does not know.
    pub fn masks(&self, path: &KeyPath) -> bool {
        let segments = path.segments();
        (0..=segments.len()).any(|len| {
            let prefix = KeyPath::from_segments(&segments[..len]);
            if len > 0 && (self.may_be_secret)(&prefix) {
                return true;
            }
            match (len < segments.len(), (self.guarded_entry)(&prefix)) {
                (true, Some(known)) => match &segments[len] {
                    PathSegment::Key(key) => !known.contains(&key.as_str()),
                    PathSegment::Index(_) => true,
                },
                _ => false,
            }
        })
    }

    /// Whether the path is inside a guarded entry (a user, a secret), where a line that
    /// fails to parse is masked whole.
    pub fn inside_guarded_entry(&self, path: &KeyPath) -> bool {
        let segments = path.segments();
        (0..=segments.len())
            .any(|len| (self.guarded_entry)(&KeyPath::from_segments(&segments[..len])).is_some())
            || self.masks(path)
    }
}

/// The key names that carry secrets, normalized (lowercase, letters and digits only).
const SECRET_KEYS: &[&str] = &[
    "password",
    "passwd",
    "clientsecret",
    "secretstring",
    "secretaccesskey",
    "secretbinary",
    "sessiontoken",
];

/// Whether a key names a secret, or is a near miss of a name that does (`pas-word`,
/// `Pasword`, `passwd`, `ClientSecrt`), case-insensitively. Errs towards masking: a masked
/// key costs a little clarity, an echoed password is a leak.
pub fn is_secret_key(key: &str) -> bool {
    let normalized: String = key
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if normalized.is_empty() {
        return false;
    }
    if ["pass", "pasw", "secret", "pwd", "token"]
        .iter()
        .any(|word| normalized.contains(word))
    {
        return true;
    }
    SECRET_KEYS
        .iter()
        .any(|secret| strsim::damerau_levenshtein(&normalized, secret) <= 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_keys_and_their_near_misses_are_recognised() {
        for key in [
            "password",
            "Password",
            "pas-word",
            "passwd",
            "pasword",
            "PASSWORT",
            "client_secret",
            "ClientSecret",
            "SecretString",
            "SecretAccessKey",
            "SecretBinary",
            "secretacceskey",
            "pssword",
        ] {
            assert!(is_secret_key(key), "{key}");
        }
        for key in [
            "tenant", "Username", "role", "Name", "Groups", "guest", "value",
        ] {
            assert!(!is_secret_key(key), "{key}");
        }
    }
}
