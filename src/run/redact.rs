//! Scrubbing known secrets out of free text that came from outside the runner.

use crate::identity::UserEvidence;
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

    /// Scrubs everything in a user's evidence that came from the sign-in, the tokens or
    /// STS; the user and tenant names come from the scenario.
    pub fn scrub_evidence(&self, evidence: &mut UserEvidence) {
        self.scrub_option(&mut evidence.error);
        self.scrub_option(&mut evidence.identity_id);
        self.scrub_option(&mut evidence.caller_arn);
        self.scrub_option(&mut evidence.role_arn);
        self.scrub_option(&mut evidence.account);
        self.scrub_option(&mut evidence.preferred_role);
        for text in evidence.groups.iter_mut().chain(&mut evidence.roles) {
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

    #[test]
    fn masks_secrets_in_every_evidence_field_the_reports_show() {
        let redactor = Redactor::new(&[SecretString::new("hunter2")]);
        let echoed = Some("x-hunter2".to_owned());
        let mut evidence = UserEvidence {
            user: "alice".to_owned(),
            tenant: "acme".to_owned(),
            identity_id: echoed.clone(),
            caller_arn: echoed.clone(),
            role_arn: echoed.clone(),
            account: echoed.clone(),
            groups: vec!["hunter2".to_owned()],
            preferred_role: echoed.clone(),
            roles: vec!["arn:hunter2".to_owned()],
            error: echoed,
        };
        redactor.scrub_evidence(&mut evidence);
        assert!(!format!("{evidence:?}").contains("hunter2"));
        assert_eq!(evidence.account.as_deref(), Some("x-***"));
        assert_eq!(evidence.groups, ["***"]);
        assert_eq!(evidence.roles, ["arn:***"]);
    }
}
