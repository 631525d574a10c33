//! What a user's sign-in and credential exchange showed: never the tokens themselves.
//! CONTRACT between the harness (which fills it) and the reporters (which read it).

use crate::redaction::Redactor;
use serde::Serialize;

/// Per-user evidence of who the harness was on AWS.
#[derive(
    Debug, Clone, PartialEq, Eq, Default, Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct UserEvidence {
    pub user: String,
    pub tenant: String,
    pub identity_id: Option<String>,
    /// The assumed-role ARN from GetCallerIdentity.
    pub caller_arn: Option<String>,
    /// The role ARN derived from `caller_arn`.
    pub role_arn: Option<String>,
    pub account: Option<String>,
    /// `cognito:groups` from the ID token.
    pub groups: Vec<String>,
    /// `cognito:preferred_role` from the ID token.
    pub preferred_role: Option<String>,
    /// `cognito:roles` from the ID token.
    pub roles: Vec<String>,
    /// The sign-in or exchange failure, when there was one (never containing a secret).
    pub error: Option<String>,
    /// How the user became AWS credentials: `USER_SRP_AUTH, enhanced flow`, `guest,
    /// basic flow`; absent when the sign-in failed before the harness knew the user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_in_flow: Option<String>,
}

impl UserEvidence {
    /// The user-pool flow and the identity-pool flow of `spec`, as the reports show them.
    pub fn sign_in_flow_of(spec: &super::UserSpec) -> String {
        let sign_in = match &spec.access {
            super::UserAccess::SignedIn { flow, .. } => flow.as_str(),
            super::UserAccess::Guest => "guest",
        };
        let exchange = match &spec.identity_flow {
            super::IdentityFlow::Enhanced {
                custom_role_arn: None,
            } => "enhanced flow",
            super::IdentityFlow::Enhanced {
                custom_role_arn: Some(_),
            } => "enhanced flow with a custom role ARN",
            super::IdentityFlow::Basic { .. } => "basic flow",
        };
        format!("{sign_in}, {exchange}")
    }
}

impl UserEvidence {
    /// Scrubs everything that came from the sign-in, the tokens or STS; the user and
    /// tenant names come from the scenario.
    pub fn redact(&mut self, redactor: &Redactor) {
        redactor.scrub_option(&mut self.error);
        redactor.scrub_option(&mut self.identity_id);
        redactor.scrub_option(&mut self.caller_arn);
        redactor.scrub_option(&mut self.role_arn);
        redactor.scrub_option(&mut self.account);
        redactor.scrub_option(&mut self.preferred_role);
        for text in self.groups.iter_mut().chain(&mut self.roles) {
            redactor.scrub_in_place(text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::SecretString;

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
            sign_in_flow: None,
        };
        evidence.redact(&redactor);
        assert!(!format!("{evidence:?}").contains("hunter2"));
        assert_eq!(evidence.account.as_deref(), Some("x-***"));
        assert_eq!(evidence.groups, ["***"]);
        assert_eq!(evidence.roles, ["arn:***"]);
    }
}
