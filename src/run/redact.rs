//! Scrubbing known secrets out of free text that came from outside the runner.

use crate::secret::SecretString;

/// The mask that replaces a secret.
pub const REDACTED: &str = "***";

/// Replaces every occurrence of a known secret in free text with a mask.
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    secrets: Vec<SecretString>,
}

impl Redactor {
    pub fn new(secrets: &[SecretString]) -> Redactor {
        // Empty secrets would match everywhere; they protect nothing, so they are dropped.
        let mut secrets: Vec<SecretString> = secrets
            .iter()
            .filter(|secret| !secret.expose().is_empty())
            .cloned()
            .collect();
        // Longest first, so a secret containing another is masked whole.
        secrets.sort_by_key(|secret| std::cmp::Reverse(secret.expose().len()));
        Redactor { secrets }
    }

    pub fn scrub(&self, text: &str) -> String {
        let mut scrubbed = text.to_owned();
        for secret in &self.secrets {
            if scrubbed.contains(secret.expose()) {
                scrubbed = scrubbed.replace(secret.expose(), REDACTED);
            }
        }
        scrubbed
    }

    pub fn scrub_in_place(&self, text: &mut String) {
        if self
            .secrets
            .iter()
            .any(|secret| text.contains(secret.expose()))
        {
            *text = self.scrub(text);
        }
    }

    pub fn scrub_option(&self, text: &mut Option<String>) {
        if let Some(text) = text {
            self.scrub_in_place(text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_every_known_secret_and_keeps_the_rest() {
        let redactor = Redactor::new(&[
            SecretString::new("hunter2"),
            SecretString::new(""),
            SecretString::new("hunter2-long"),
        ]);
        assert_eq!(
            redactor.scrub("bad password hunter2-long then hunter2."),
            "bad password *** then ***."
        );
        assert_eq!(redactor.scrub("nothing here"), "nothing here");
    }
}
