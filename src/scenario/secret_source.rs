//! Where a password or client secret comes from. Resolved only when the runner needs it,
//! so `validate` and `plan` never read a secret.

use crate::secret::SecretString;
use std::fmt;
use std::path::PathBuf;

/// A secret reference from the scenario file.
#[derive(Clone, PartialEq, Eq)]
pub enum SecretSource {
    /// An environment variable, by name.
    Env(String),
    /// A file, already resolved against the scenario's folder.
    File(PathBuf),
    /// The secret written in the file itself (or in the local staging world file).
    Value(SecretString),
}

/// A secret that could not be read. Names where it was looked for, never its content.
#[derive(Debug, thiserror::Error)]
pub enum SecretSourceError {
    #[error("environment variable `{name}` is not set")]
    EnvMissing { name: String },
    #[error("environment variable `{name}` is not valid unicode")]
    EnvNotUnicode { name: String },
    #[error("failed to read secret file `{}`", path.display())]
    File {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("secret file `{}` is empty", path.display())]
    EmptyFile { path: PathBuf },
}

impl SecretSource {
    /// Reads the secret. A file's single trailing newline (as editors and `echo` write it)
    /// is not part of the secret.
    pub fn resolve(&self) -> Result<SecretString, SecretSourceError> {
        match self {
            SecretSource::Env(name) => match std::env::var(name) {
                Ok(value) => Ok(SecretString::new(value)),
                Err(std::env::VarError::NotPresent) => {
                    Err(SecretSourceError::EnvMissing { name: name.clone() })
                }
                Err(std::env::VarError::NotUnicode(_)) => {
                    Err(SecretSourceError::EnvNotUnicode { name: name.clone() })
                }
            },
            SecretSource::File(path) => {
                let mut text =
                    std::fs::read_to_string(path).map_err(|source| SecretSourceError::File {
                        path: path.clone(),
                        source,
                    })?;
                if text.ends_with('\n') {
                    text.pop();
                    if text.ends_with('\r') {
                        text.pop();
                    }
                }
                if text.is_empty() {
                    return Err(SecretSourceError::EmptyFile { path: path.clone() });
                }
                Ok(SecretString::new(text))
            }
            SecretSource::Value(value) => Ok(value.clone()),
        }
    }
}

impl fmt::Debug for SecretSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SecretSource::Env(name) => f.debug_tuple("Env").field(name).finish(),
            SecretSource::File(path) => f.debug_tuple("File").field(path).finish(),
            SecretSource::Value(_) => f.write_str("Value(***)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_secrets_drop_one_trailing_newline_and_debug_hides_values() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pw");
        std::fs::write(&path, "hunter2 \n").unwrap();
        let secret = SecretSource::File(path).resolve().unwrap();
        assert_eq!(secret.expose(), "hunter2 ");
        let inline = SecretSource::Value(SecretString::new("hunter2"));
        assert!(!format!("{inline:?}").contains("hunter2"));
    }

    #[test]
    fn missing_sources_are_errors_naming_the_source() {
        let error = SecretSource::Env("XTENANT_TEST_SURELY_UNSET_VARIABLE".into())
            .resolve()
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "environment variable `XTENANT_TEST_SURELY_UNSET_VARIABLE` is not set"
        );
        let error = SecretSource::File("/nonexistent/xtenant/pw".into())
            .resolve()
            .unwrap_err();
        assert!(error.to_string().contains("/nonexistent/xtenant/pw"));
    }
}
