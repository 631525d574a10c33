//! Validation of `users`: tenants, passwords, roles, guests, duplicate usernames.
use super::validator::Validator;
use crate::scenario::aws_names::{self};
use crate::scenario::diagnostic::Diagnostic;
use crate::scenario::diagnostic_code::DiagnosticCode;
use crate::scenario::key_path::KeyPath;
use crate::scenario::raw::{RawCredentials, RawScenario, RawUser};
use crate::scenario::target::IdentityFlow;
use crate::scenario::user::User;
use std::collections::HashMap;

impl Validator<'_> {
    pub(super) fn users(
        &mut self,
        raw: &RawScenario,
        tenants: &[String],
        identity_flow: Option<IdentityFlow>,
        path: &KeyPath,
    ) -> Vec<User> {
        let mut users = Vec::new();
        let mut usernames: HashMap<String, KeyPath> = HashMap::new();
        for (name, raw_user) in &raw.users {
            let at = path.key(name);
            self.name("user", name, &at, true);
            if let Some(user) = self.user(name, raw_user, tenants, identity_flow, &at) {
                if let Some(username) = &user.username {
                    let username_path = if raw_user.username.is_some() {
                        at.key("username")
                    } else {
                        at.clone()
                    };
                    if let Some(first) = usernames.get(username) {
                        let first = first.clone();
                        self.duplicate(
                            &username_path,
                            &first,
                            format!("two users sign in as `{username}`"),
                            "each scenario user needs its own user-pool user",
                        );
                    } else {
                        usernames.insert(username.clone(), username_path);
                    }
                }
                users.push(user);
            }
        }
        users
    }

    pub(super) fn user(
        &mut self,
        name: &str,
        raw: &RawUser,
        tenants: &[String],
        identity_flow: Option<IdentityFlow>,
        path: &KeyPath,
    ) -> Option<User> {
        let before = self.diagnostics.len();
        if let Some(tenant) = &raw.tenant
            && !tenants.contains(tenant)
        {
            self.undefined(
                DiagnosticCode::UndefinedTenant,
                &path.key("tenant"),
                "tenant",
                tenant,
                tenants,
            );
        }
        if let Some(role) = &raw.role
            && let Err(problem) = aws_names::check_role_arn(role)
        {
            self.name_problem(
                DiagnosticCode::MalformedArn,
                &path.key("role"),
                problem,
                "not a role ARN",
            );
        }
        if identity_flow == Some(IdentityFlow::Basic) && raw.role.is_none() {
            let span = self.key_span(path);
            self.report(
                Diagnostic::new(
                    DiagnosticCode::UnusableUser,
                    path.clone(),
                    span,
                    format!("user `{name}` has no `role`, which the basic flow needs"),
                )
                .with_label("no role to assume")
                .with_help("the basic flow calls AssumeRoleWithWebIdentity with the user's role: add `role: arn:aws:iam::ACCOUNT:role/NAME`"),
            );
        }
        if raw.credentials == Some(RawCredentials::Refused) {
            for (key, present) in [("guest", raw.guest), ("role", raw.role.is_some())] {
                if present {
                    self.conflicting_key(
                        path.key(key),
                        format!("a user with `credentials: refused` has no `{key}`"),
                        "the identity pool is expected to give this user no role",
                        format!("remove `{key}`, or `credentials: refused`"),
                    );
                }
            }
        }
        let mut password = None;
        if raw.guest {
            let given = [
                ("username", raw.username.is_some()),
                ("password", raw.password.is_some()),
            ];
            for (key, _) in given.into_iter().filter(|(_, present)| *present) {
                self.conflicting_key(
                    path.key(key),
                    format!("a guest has no `{key}`"),
                    "not used by an unauthenticated identity",
                    format!("remove `{key}`, or `guest: true` to sign in as a user-pool user"),
                );
            }
        } else {
            if raw.tenant.is_none() {
                self.required(None, path, "tenant", "acme");
            }
            match &raw.password {
                None => {
                    let span = self.key_span(path);
                    self.report(
                        Diagnostic::new(
                            DiagnosticCode::MissingKey,
                            path.key("password"),
                            span,
                            "missing key `password`",
                        )
                        .with_label(format!("user `{name}` cannot sign in without a password"))
                        .with_help("add `password: {env: NAME}` (or `{file: PATH}`), or `guest: true` for an unauthenticated identity"),
                    );
                }
                Some(source) => password = self.secret_source(source, &path.key("password")),
            }
        }
        if self.diagnostics.len() > before {
            return None;
        }
        Some(User {
            name: name.to_string(),
            tenant: raw.tenant.clone(),
            username: if raw.guest {
                None
            } else {
                Some(raw.username.clone().unwrap_or_else(|| name.to_string()))
            },
            password,
            role_arn: raw.role.clone(),
            guest: raw.guest,
            credentials_refused: raw.credentials == Some(RawCredentials::Refused),
        })
    }
}
