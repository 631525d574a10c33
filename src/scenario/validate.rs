//! Semantic validation: the raw model into a `Scenario`, collecting every problem (bad
//! references, duplicates, malformed AWS names, templates, actions, rules that match
//! nothing, an empty plan) with the key path and source position of each.

use super::aws_names::{self, NameProblem};
use super::diagnostic::Diagnostic;
use super::diagnostic_code::DiagnosticCode;
use super::expand::{override_applies, probe_name};
use super::key_path::KeyPath;
use super::model::Scenario;
use super::pattern::Pattern;
use super::plan::{Action, Expectation, ProbeName};
use super::probe_table::{closest, parse_action};
use super::raw::{
    RawExpectation, RawIdentityFlow, RawRelation, RawResource, RawScenario, RawSecretRef,
    RawSignInFlow, RawTarget, RawUser,
};
use super::resource::{KeyTemplate, Resource, ResourceTemplate};
use super::rule::{Cell, Override, Relation};
use super::secret_source::SecretSource;
use super::span_index::SpanIndex;
use super::target::{IdentityFlow, IdentityPoolTarget, SignInFlow, Target, UserPoolTarget};
use super::template::Template;
use super::user::User;
use super::world_target::{self, WorldSelectors, WorldTargetKey};
use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

/// Validates `raw`, read from `file`, whose positions are in `index`.
pub fn validate(
    raw: RawScenario,
    file: &Path,
    source: &str,
    index: &SpanIndex,
) -> Result<Scenario, Vec<Diagnostic>> {
    let mut validator = Validator {
        index,
        source,
        base_dir: file.parent().unwrap_or(Path::new(".")).to_path_buf(),
        diagnostics: Vec::new(),
    };
    let root = KeyPath::root();
    let tenants = validator.tenants(&raw.tenants, &root.key("tenants"));
    let target = validator.target(&raw.target, &root.key("target"));
    let identity_flow = target.as_ref().map(|t| t.identity_pool.flow);
    let users = validator.users(&raw, &tenants, identity_flow, &root.key("users"));
    let resources = validator.resources(&raw, &tenants, &root.key("resources"));
    validator.empty_plan(&raw);
    let overrides = validator.overrides(&raw, &tenants, &users, &resources);
    let cells = validator.cells(&raw, &tenants, &users, &resources);
    match (target, validator.diagnostics.is_empty()) {
        (Some(target), true) => Ok(Scenario {
            file: file.to_path_buf(),
            target,
            tenants,
            users,
            resources,
            overrides,
            cells,
        }),
        _ => Err(validator.diagnostics),
    }
}

struct Validator<'a> {
    index: &'a SpanIndex,
    source: &'a str,
    base_dir: std::path::PathBuf,
    diagnostics: Vec<Diagnostic>,
}

impl Validator<'_> {
    fn value_span(&self, path: &KeyPath) -> Range<usize> {
        self.index.locate(path, false)
    }

    fn key_span(&self, path: &KeyPath) -> Range<usize> {
        self.index.locate(path, true)
    }

    fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    fn name_problem(
        &mut self,
        code: DiagnosticCode,
        path: &KeyPath,
        problem: NameProblem,
        label: &str,
    ) {
        let span = self.value_span(path);
        self.report(
            Diagnostic::new(code, path.clone(), span, problem.message)
                .with_label(label)
                .with_help(problem.help),
        );
    }

    /// A reference to something the scenario does not define.
    fn undefined(
        &mut self,
        code: DiagnosticCode,
        path: &KeyPath,
        what: &str,
        name: &str,
        known: &[String],
    ) {
        let span = self.value_span(path);
        let help = match closest(name, known) {
            Some(near) => format!("did you mean `{near}`?"),
            None if known.is_empty() => format!("the scenario defines no {what}s"),
            None => format!(
                "defined {what}s: {}",
                known
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        self.report(
            Diagnostic::new(
                code,
                path.clone(),
                span,
                format!("undefined {what} `{name}`"),
            )
            .with_label(format!("no {what} of this name"))
            .with_help(help),
        );
    }

    fn duplicate(&mut self, path: &KeyPath, first: &KeyPath, message: String, help: &str) {
        let span = self.value_span(path);
        let first_span = self.value_span(first);
        self.report(
            Diagnostic::new(DiagnosticCode::Duplicate, path.clone(), span, message)
                .with_label("given again here")
                .with_related(first_span, "first given here")
                .with_help(help),
        );
    }

    fn name(&mut self, kind: &str, name: &str, path: &KeyPath, is_key: bool) {
        if let Err(problem) = aws_names::check_probe_name_part(kind, name) {
            let span = if is_key {
                self.key_span(path)
            } else {
                self.value_span(path)
            };
            self.report(
                Diagnostic::new(
                    DiagnosticCode::MalformedName,
                    path.clone(),
                    span,
                    problem.message,
                )
                .with_label("used in probe names")
                .with_help(problem.help),
            );
        }
    }

    fn tenants(&mut self, raw: &[String], path: &KeyPath) -> Vec<String> {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        let mut tenants = Vec::new();
        for (i, tenant) in raw.iter().enumerate() {
            self.name("tenant", tenant, &path.index(i), false);
            if let Some(first) = seen.get(tenant.as_str()) {
                self.duplicate(
                    &path.index(i),
                    &path.index(*first),
                    format!("tenant `{tenant}` is listed twice"),
                    "remove one of them",
                );
            } else {
                seen.insert(tenant, i);
                tenants.push(tenant.clone());
            }
        }
        tenants
    }

    fn target(&mut self, raw: &RawTarget, path: &KeyPath) -> Option<Target> {
        let sign_in = match raw.user_pool.as_ref().and_then(|p| p.flow) {
            None | Some(RawSignInFlow::Password) => SignInFlow::UserPassword,
            Some(RawSignInFlow::Srp) => SignInFlow::UserSrp,
            Some(RawSignInFlow::Admin) => SignInFlow::AdminUserPassword,
        };
        let identity_flow = match raw.identity_pool.as_ref().and_then(|p| p.flow) {
            None | Some(RawIdentityFlow::Enhanced) => IdentityFlow::Enhanced,
            Some(RawIdentityFlow::Basic) => IdentityFlow::Basic,
        };
        match &raw.local {
            Some(local) => self.local_target(raw, local, path, sign_in, identity_flow),
            None => self.aws_target(raw, path, sign_in, identity_flow),
        }
    }

    fn local_target(
        &mut self,
        raw: &RawTarget,
        local: &str,
        path: &KeyPath,
        sign_in: SignInFlow,
        identity_flow: IdentityFlow,
    ) -> Option<Target> {
        let before = self.diagnostics.len();
        if raw.region.is_some() {
            let at = path.key("region");
            let span = self.key_span(&at);
            self.report(
                Diagnostic::new(
                    DiagnosticCode::ConflictingKeys,
                    at,
                    span,
                    "`region` cannot be combined with `local`",
                )
                .with_label("comes from the world file")
                .with_help("remove `region`: local staging runs in the world file's region"),
            );
        }
        let user_pool = raw.user_pool.as_ref();
        if user_pool.is_some_and(|p| p.client_secret.is_some()) {
            let at = path.key("user_pool").key("client_secret");
            let span = self.key_span(&at);
            self.report(
                Diagnostic::new(
                    DiagnosticCode::ConflictingKeys,
                    at,
                    span,
                    "`client_secret` cannot be combined with `local`",
                )
                .with_label("comes from the world file")
                .with_help(
                    "remove `client_secret`: the world file's app client carries its secret",
                ),
            );
        }
        let world_path = self.base_dir.join(local);
        let selectors = WorldSelectors {
            user_pool: user_pool.and_then(|p| p.id.as_deref()),
            client: user_pool.and_then(|p| p.client_id.as_deref()),
            identity_pool: raw.identity_pool.as_ref().and_then(|p| p.id.as_deref()),
        };
        match world_target::resolve(&world_path, selectors) {
            Ok(world) => {
                if self.diagnostics.len() > before {
                    return None;
                }
                Some(Target {
                    region: world.region,
                    user_pool: UserPoolTarget {
                        id: world.user_pool_id,
                        client_id: world.client_id,
                        client_secret: world.client_secret.map(SecretSource::Value),
                        sign_in,
                    },
                    identity_pool: IdentityPoolTarget {
                        id: world.identity_pool_id,
                        flow: identity_flow,
                    },
                    local_world: Some(world_path),
                })
            }
            Err(problem) => {
                let at = match problem.key {
                    WorldTargetKey::Local => path.key("local"),
                    WorldTargetKey::UserPool => path.key("user_pool").key("id"),
                    WorldTargetKey::Client => path.key("user_pool").key("client_id"),
                    WorldTargetKey::IdentityPool => path.key("identity_pool").key("id"),
                };
                let span = self.value_span(&at);
                self.report(
                    Diagnostic::new(DiagnosticCode::WorldTarget, at, span, problem.message)
                        .with_label("from this world file setting")
                        .with_help(problem.help),
                );
                None
            }
        }
    }

    fn required<'v>(
        &mut self,
        value: Option<&'v String>,
        parent: &KeyPath,
        key: &str,
        example: &str,
    ) -> Option<&'v String> {
        if value.is_none() {
            let span = self.key_span(parent);
            self.report(
                Diagnostic::new(
                    DiagnosticCode::MissingKey,
                    parent.key(key),
                    span,
                    format!("missing key `{key}`"),
                )
                .with_label(format!("`{key}` is required here"))
                .with_help(format!("add `{key}: {example}`")),
            );
        }
        value
    }

    fn aws_target(
        &mut self,
        raw: &RawTarget,
        path: &KeyPath,
        sign_in: SignInFlow,
        identity_flow: IdentityFlow,
    ) -> Option<Target> {
        let before = self.diagnostics.len();
        let region = self.required(
            raw.region.as_ref(),
            path,
            "region",
            "eu-west-1 (or `local: world.yaml`)",
        );
        if let Some(region) = region
            && let Err(problem) = aws_names::check_region(region)
        {
            self.name_problem(
                DiagnosticCode::MalformedRegion,
                &path.key("region"),
                problem,
                "not a region code",
            );
        }
        // A malformed region is reported once; pool ids are then checked for their own
        // shape only, not against it.
        let region_ok = region.is_some_and(|r| aws_names::check_region(r).is_ok());
        let region = region.cloned().unwrap_or_default();
        let expected_region = region_ok.then_some(region.as_str());
        let pool_path = path.key("user_pool");
        let mut user_pool = None;
        match &raw.user_pool {
            None => {
                self.required(None, path, "user_pool", "{id: ..., client_id: ...}");
            }
            Some(pool) => {
                let id = self.required(pool.id.as_ref(), &pool_path, "id", "eu-west-1_AbC123def");
                if let Some(id) = id
                    && let Err(problem) = aws_names::check_user_pool_id(id, expected_region)
                {
                    self.name_problem(
                        DiagnosticCode::MalformedPoolId,
                        &pool_path.key("id"),
                        problem,
                        "not a user pool id",
                    );
                }
                let client = self.required(
                    pool.client_id.as_ref(),
                    &pool_path,
                    "client_id",
                    "1example23456789",
                );
                if let Some(client) = client
                    && let Err(problem) = aws_names::check_client_id(client)
                {
                    self.name_problem(
                        DiagnosticCode::MalformedPoolId,
                        &pool_path.key("client_id"),
                        problem,
                        "not an app client id",
                    );
                }
                let secret = pool
                    .client_secret
                    .as_ref()
                    .and_then(|s| self.secret_source(s, &pool_path.key("client_secret")));
                if let (Some(id), Some(client)) = (id, client) {
                    user_pool = Some(UserPoolTarget {
                        id: id.clone(),
                        client_id: client.clone(),
                        client_secret: secret,
                        sign_in,
                    });
                }
            }
        }
        let identity_path = path.key("identity_pool");
        let mut identity_pool = None;
        match &raw.identity_pool {
            None => {
                self.required(None, path, "identity_pool", "{id: ...}");
            }
            Some(pool) => {
                let id = self.required(
                    pool.id.as_ref(),
                    &identity_path,
                    "id",
                    "eu-west-1:0f1e2d3c-...",
                );
                if let Some(id) = id
                    && let Err(problem) = aws_names::check_identity_pool_id(id, expected_region)
                {
                    self.name_problem(
                        DiagnosticCode::MalformedPoolId,
                        &identity_path.key("id"),
                        problem,
                        "not an identity pool id",
                    );
                }
                identity_pool = id.map(|id| IdentityPoolTarget {
                    id: id.clone(),
                    flow: identity_flow,
                });
            }
        }
        if self.diagnostics.len() > before {
            return None;
        }
        Some(Target {
            region,
            user_pool: user_pool?,
            identity_pool: identity_pool?,
            local_world: None,
        })
    }

    /// Exactly one of `env`, `file`, `value`, each well formed.
    fn secret_source(&mut self, raw: &RawSecretRef, path: &KeyPath) -> Option<SecretSource> {
        let given: Vec<&str> = [
            ("env", raw.env.is_some()),
            ("file", raw.file.is_some()),
            ("value", raw.value.is_some()),
        ]
        .iter()
        .filter(|(_, present)| *present)
        .map(|(key, _)| *key)
        .collect();
        if given.len() != 1 {
            let (span, message) = if given.is_empty() {
                (self.key_span(path), "no secret source given".to_string())
            } else {
                (
                    self.key_span(&path.key(given[1])),
                    format!("`{}` and `{}` exclude each other", given[0], given[1]),
                )
            };
            self.report(
                Diagnostic::new(DiagnosticCode::ConflictingKeys, path.clone(), span, message)
                    .with_label("exactly one source")
                    .with_help(
                        "write exactly one of `{env: NAME}`, `{file: PATH}` or `{value: ...}`",
                    ),
            );
            return None;
        }
        if let Some(name) = &raw.env {
            if let Err(problem) = aws_names::check_env_name(name) {
                self.name_problem(
                    DiagnosticCode::MalformedSecretReference,
                    &path.key("env"),
                    problem,
                    "not a variable name",
                );
                return None;
            }
            return Some(SecretSource::Env(name.clone()));
        }
        if let Some(file) = &raw.file {
            if file.trim().is_empty() {
                let problem = NameProblem {
                    message: "secret file path is empty".into(),
                    help: "give a path relative to the scenario file".into(),
                };
                self.name_problem(
                    DiagnosticCode::MalformedSecretReference,
                    &path.key("file"),
                    problem,
                    "empty path",
                );
                return None;
            }
            return Some(SecretSource::File(self.base_dir.join(file)));
        }
        raw.value.as_ref().map(|v| SecretSource::Value(v.0.clone()))
    }

    fn users(
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

    fn user(
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
        let mut password = None;
        if raw.guest {
            for key in ["username", "password"] {
                let present = match key {
                    "username" => raw.username.is_some(),
                    _ => raw.password.is_some(),
                };
                if present {
                    let at = path.key(key);
                    let span = self.key_span(&at);
                    self.report(
                        Diagnostic::new(
                            DiagnosticCode::ConflictingKeys,
                            at,
                            span,
                            format!("a guest has no `{key}`"),
                        )
                        .with_label("not used by an unauthenticated identity")
                        .with_help(format!(
                            "remove `{key}`, or `guest: true` to sign in as a user-pool user"
                        )),
                    );
                }
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
        })
    }

    fn resources(
        &mut self,
        raw: &RawScenario,
        tenants: &[String],
        path: &KeyPath,
    ) -> Vec<Resource> {
        let mut resources = Vec::new();
        for (name, raw_resource) in &raw.resources {
            let at = path.key(name);
            self.name("resource", name, &at, true);
            if let Some(resource) = self.resource(name, raw_resource, tenants, &at) {
                resources.push(resource);
            }
        }
        resources
    }

    /// Parses a template and checks each tenant's rendering with `check`.
    fn template(
        &mut self,
        text: &str,
        path: &KeyPath,
        tenants: &[String],
        code: DiagnosticCode,
        check: &dyn Fn(&str) -> Result<(), NameProblem>,
    ) -> Option<Template> {
        let template = match Template::parse(text) {
            Ok(template) => template,
            Err(error) => {
                let span = self.span_within(path, text, error.at);
                self.report(
                    Diagnostic::new(
                        DiagnosticCode::BadTemplate,
                        path.clone(),
                        span,
                        error.message,
                    )
                    .with_label("in this template")
                    .with_help(error.help),
                );
                return None;
            }
        };
        let renderings: Vec<(Option<&String>, String)> = if template.uses_tenant() {
            tenants
                .iter()
                .map(|t| (Some(t), template.render(t)))
                .collect()
        } else {
            vec![(None, template.render(""))]
        };
        for (tenant, rendered) in renderings {
            if let Err(mut problem) = check(&rendered) {
                if let Some(tenant) = tenant {
                    problem.message = format!("{} (for tenant `{tenant}`)", problem.message);
                }
                self.name_problem(code, path, problem, "in this template");
                return None;
            }
        }
        Some(template)
    }

    /// The source range of `at` inside the scalar at `path`, when the scalar is written
    /// plainly or quoted without escapes; otherwise the whole scalar.
    fn span_within(&self, path: &KeyPath, text: &str, at: Range<usize>) -> Range<usize> {
        let whole = self.value_span(path);
        let written = self.source.get(whole.clone()).unwrap_or("");
        let offset = if written == text {
            Some(0)
        } else if written.len() == text.len() + 2 && &written[1..written.len() - 1] == text {
            Some(1)
        } else {
            None
        };
        match offset {
            Some(offset) => whole.start + offset + at.start..whole.start + offset + at.end,
            None => whole,
        }
    }

    fn resource(
        &mut self,
        name: &str,
        raw: &RawResource,
        tenants: &[String],
        path: &KeyPath,
    ) -> Option<Resource> {
        let before = self.diagnostics.len();
        let kinds: Vec<&str> = [
            ("s3_object", raw.s3_object.is_some()),
            ("s3_prefix", raw.s3_prefix.is_some()),
            ("dynamodb_item", raw.dynamodb_item.is_some()),
            ("secret", raw.secret.is_some()),
        ]
        .iter()
        .filter(|(_, present)| *present)
        .map(|(key, _)| *key)
        .collect();
        if kinds.len() != 1 {
            let (code, span, message) = if kinds.is_empty() {
                (
                    DiagnosticCode::MissingKey,
                    self.key_span(path),
                    format!("resource `{name}` has no kind"),
                )
            } else {
                (
                    DiagnosticCode::ConflictingKeys,
                    self.key_span(&path.key(kinds[1])),
                    format!(
                        "resource `{name}` is both `{}` and `{}`",
                        kinds[0], kinds[1]
                    ),
                )
            };
            self.report(
                Diagnostic::new(code, path.clone(), span, message)
                    .with_label("exactly one kind per resource")
                    .with_help(
                        "give exactly one of `s3_object`, `s3_prefix`, `dynamodb_item` or `secret`",
                    ),
            );
            return None;
        }
        let template = if let Some(object) = &raw.s3_object {
            let at = path.key("s3_object");
            let bucket = self.template(
                &object.bucket,
                &at.key("bucket"),
                tenants,
                DiagnosticCode::MalformedBucketName,
                &aws_names::check_bucket_name,
            );
            let key = self.template(
                &object.key,
                &at.key("key"),
                tenants,
                DiagnosticCode::MalformedObjectKey,
                &|k| aws_names::check_object_key(k, false),
            );
            Some(ResourceTemplate::S3Object {
                bucket: bucket?,
                key: key?,
            })
        } else if let Some(prefix) = &raw.s3_prefix {
            let at = path.key("s3_prefix");
            let bucket = self.template(
                &prefix.bucket,
                &at.key("bucket"),
                tenants,
                DiagnosticCode::MalformedBucketName,
                &aws_names::check_bucket_name,
            );
            let key = self.template(
                &prefix.prefix,
                &at.key("prefix"),
                tenants,
                DiagnosticCode::MalformedObjectKey,
                &|k| aws_names::check_object_key(k, true),
            );
            Some(ResourceTemplate::S3Prefix {
                bucket: bucket?,
                prefix: key?,
            })
        } else if let Some(item) = &raw.dynamodb_item {
            let at = path.key("dynamodb_item");
            let table = self.template(
                &item.table,
                &at.key("table"),
                tenants,
                DiagnosticCode::MalformedTableKey,
                &aws_names::check_table_name,
            );
            let partition = self.key_attribute(
                &item.partition_key,
                &at.key("partition_key"),
                tenants,
                false,
            );
            let sort = item
                .sort_key
                .as_ref()
                .map(|sort| self.key_attribute(sort, &at.key("sort_key"), tenants, true));
            if let Some(sort) = &sort
                && let (Some(sort), Some(partition)) = (sort, &partition)
                && sort.name == partition.name
            {
                let at_sort = at.key("sort_key").key("name");
                let span = self.value_span(&at_sort);
                let first = self.value_span(&at.key("partition_key").key("name"));
                self.report(
                    Diagnostic::new(
                        DiagnosticCode::MalformedTableKey,
                        at_sort,
                        span,
                        format!("sort key and partition key are both `{}`", sort.name),
                    )
                    .with_label("same attribute as the partition key")
                    .with_related(first, "partition key")
                    .with_help(
                        "a table's sort key is a different attribute from its partition key",
                    ),
                );
            }
            match (table, partition, sort) {
                (Some(table), Some(partition), None) => Some(ResourceTemplate::DynamoDbItem {
                    table,
                    partition,
                    sort: None,
                }),
                (Some(table), Some(partition), Some(Some(sort))) => {
                    Some(ResourceTemplate::DynamoDbItem {
                        table,
                        partition,
                        sort: Some(sort),
                    })
                }
                _ => None,
            }
        } else if let Some(secret) = &raw.secret {
            let at = path.key("secret").key("id");
            self.template(
                &secret.id,
                &at,
                tenants,
                DiagnosticCode::MalformedSecretId,
                &aws_names::check_secret_id,
            )
            .map(|secret_id| ResourceTemplate::Secret { secret_id })
        } else {
            None
        };
        let template = template?;
        if !template.uses_tenant() && tenants.len() > 1 {
            let span = self.key_span(path);
            self.report(
                Diagnostic::new(
                    DiagnosticCode::TenantIndependentResource,
                    path.clone(),
                    span,
                    format!("resource `{name}` is the same for every tenant"),
                )
                .with_label("no `{tenant}` in any of its templates")
                .with_help("put `{tenant}` where the tenant's copy differs, for example `key: \"{tenant}/report.pdf\"`"),
            );
        }
        let actions = self.actions(raw, &template, path);
        if self.diagnostics.len() > before {
            return None;
        }
        Some(Resource {
            name: name.to_string(),
            template,
            actions,
        })
    }

    fn key_attribute(
        &mut self,
        raw: &super::raw::RawKeyAttribute,
        path: &KeyPath,
        tenants: &[String],
        is_sort_key: bool,
    ) -> Option<KeyTemplate> {
        let (value, is_number) = match (&raw.s, &raw.n) {
            (Some(s), None) => (s, false),
            (None, Some(n)) => (n, true),
            (both_s, _) => {
                let (span, message) = if both_s.is_some() {
                    (
                        self.key_span(&path.key("N")),
                        "`S` and `N` exclude each other".to_string(),
                    )
                } else {
                    (
                        self.key_span(path),
                        "key attribute has no value".to_string(),
                    )
                };
                self.report(
                    Diagnostic::new(DiagnosticCode::ConflictingKeys, path.clone(), span, message)
                        .with_label("exactly one of `S` or `N`")
                        .with_help("write `S: \"TENANT#{tenant}\"` for a string key or `N: \"42\"` for a number key"),
                );
                return None;
            }
        };
        let value_path = path.key(if is_number { "N" } else { "S" });
        let name = raw.name.clone();
        let template = self.template(
            value,
            &value_path,
            tenants,
            DiagnosticCode::MalformedTableKey,
            &|v| aws_names::check_key_value(&name, v, is_number, is_sort_key),
        )?;
        if raw.name.is_empty() {
            let problem = NameProblem {
                message: "key attribute name is empty".into(),
                help: "name the attribute as the table's key schema does, for example `pk`".into(),
            };
            self.name_problem(
                DiagnosticCode::MalformedTableKey,
                &path.key("name"),
                problem,
                "empty",
            );
            return None;
        }
        Some(KeyTemplate {
            name: raw.name.clone(),
            value: template,
            is_number,
        })
    }

    fn actions(
        &mut self,
        raw: &RawResource,
        template: &ResourceTemplate,
        path: &KeyPath,
    ) -> Vec<Action> {
        let at = path.key("actions");
        let mut actions: Vec<Action> = Vec::new();
        let mut seen: HashMap<Action, usize> = HashMap::new();
        for (i, text) in raw.actions.iter().enumerate() {
            match parse_action(text, template.kind()) {
                Ok(action) => {
                    if let Some(first) = seen.get(&action) {
                        self.duplicate(
                            &at.index(i),
                            &at.index(*first),
                            format!("action `{text}` is listed twice"),
                            "remove one of them",
                        );
                    } else {
                        seen.insert(action.clone(), i);
                        actions.push(action);
                    }
                }
                Err(problem) => {
                    let span = self.value_span(&at.index(i));
                    self.report(
                        Diagnostic::new(
                            DiagnosticCode::UnknownAction,
                            at.index(i),
                            span,
                            problem.message,
                        )
                        .with_label("not probed on this resource")
                        .with_help(problem.help),
                    );
                }
            }
        }
        if raw.actions.is_empty() {
            let span = self.value_span(&at);
            self.report(
                Diagnostic::new(
                    DiagnosticCode::EmptyPlan,
                    at,
                    span,
                    "resource has no actions",
                )
                .with_label("nothing to probe")
                .with_help("list what to probe, for example `actions: [read, write]`"),
            );
        }
        actions
    }

    fn empty_plan(&mut self, raw: &RawScenario) {
        let root = KeyPath::root();
        let sections = [
            ("tenants", raw.tenants.is_empty(), "tenants: [acme, globex]"),
            (
                "users",
                raw.users.is_empty(),
                "users: {alice: {tenant: acme, password: {env: ALICE_PASSWORD}}}",
            ),
            (
                "resources",
                raw.resources.is_empty(),
                "resources: {records: {s3_object: {...}, actions: [read]}}",
            ),
        ];
        for (key, empty, example) in sections {
            if empty {
                let at = root.key(key);
                let span = self.key_span(&at);
                self.report(
                    Diagnostic::new(DiagnosticCode::EmptyPlan, at, span, format!("empty plan: no {key}"))
                        .with_label(format!("`{key}` is empty"))
                        .with_help(format!("a plan needs at least one of each of tenants, users and resources: {example}")),
                );
            }
        }
    }

    /// Checks one pattern list of an override against the names it may match.
    fn patterns(
        &mut self,
        raw: Option<&Vec<String>>,
        path: &KeyPath,
        what: &str,
        code: DiagnosticCode,
        known: &[String],
    ) -> Vec<Pattern> {
        let Some(raw) = raw else {
            return Vec::new();
        };
        let mut patterns = Vec::new();
        for (i, text) in raw.iter().enumerate() {
            let pattern = Pattern::new(text.clone());
            let at = path.index(i);
            if !known.iter().any(|k| pattern.matches(k)) {
                if pattern.is_wildcard() {
                    let span = self.value_span(&at);
                    self.report(
                        Diagnostic::new(
                            DiagnosticCode::PatternMatchesNothing,
                            at,
                            span,
                            format!("pattern `{text}` matches no {what}"),
                        )
                        .with_label("matches nothing")
                        .with_help(format!(
                            "{what}s: {}",
                            known
                                .iter()
                                .map(|k| format!("`{k}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )),
                    );
                } else {
                    self.undefined(code, &at, what, text, known);
                }
            }
            patterns.push(pattern);
        }
        if raw.is_empty() {
            let span = self.value_span(path);
            self.report(
                Diagnostic::new(
                    DiagnosticCode::PatternMatchesNothing,
                    path.clone(),
                    span,
                    format!("empty {what} list matches nothing"),
                )
                .with_label("empty")
                .with_help(format!(
                    "remove the key to match every {what}, or list patterns such as `\"*\"`"
                )),
            );
        }
        patterns
    }

    fn overrides(
        &mut self,
        raw: &RawScenario,
        tenants: &[String],
        users: &[User],
        resources: &[Resource],
    ) -> Vec<Override> {
        let path = KeyPath::root().key("expect").key("overrides");
        let user_names: Vec<String> = raw.users.keys().cloned().collect();
        let resource_names: Vec<String> = raw.resources.keys().cloned().collect();
        let mut action_names: Vec<String> = Vec::new();
        for resource in resources {
            for action in &resource.actions {
                let text = action.to_string();
                if !action_names.contains(&text) {
                    action_names.push(text);
                }
            }
        }
        let mut overrides = Vec::new();
        for (i, rule) in raw.expect.overrides.iter().enumerate() {
            let at = path.index(i);
            let before = self.diagnostics.len();
            let parsed = Override {
                index: i,
                description: rule.description.clone(),
                users: self.patterns(
                    rule.users.as_ref(),
                    &at.key("users"),
                    "user",
                    DiagnosticCode::UndefinedUser,
                    &user_names,
                ),
                tenants: self.patterns(
                    rule.tenants.as_ref(),
                    &at.key("tenants"),
                    "tenant",
                    DiagnosticCode::UndefinedTenant,
                    tenants,
                ),
                relation: rule.relation.map(|r| match r {
                    RawRelation::Own => Relation::Own,
                    RawRelation::Other => Relation::Other,
                }),
                resources: self.patterns(
                    rule.resources.as_ref(),
                    &at.key("resources"),
                    "resource",
                    DiagnosticCode::UndefinedResource,
                    &resource_names,
                ),
                actions: self.patterns(
                    rule.actions.as_ref(),
                    &at.key("actions"),
                    "action",
                    DiagnosticCode::UnknownAction,
                    &action_names,
                ),
                expectation: expectation(rule.expect),
            };
            // Only a rule whose every pattern is sound is checked as a whole, and only
            // when the rest of the scenario is sound enough to expand.
            if self.diagnostics.len() == before
                && users.len() == raw.users.len()
                && resources.len() == raw.resources.len()
            {
                let applies = users.iter().any(|user| {
                    tenants.iter().any(|tenant| {
                        resources.iter().any(|resource| {
                            resource.actions.iter().any(|action| {
                                override_applies(&parsed, user, tenant, resource, action)
                            })
                        })
                    })
                });
                if !applies {
                    let span = self.key_span(&at);
                    self.report(
                        Diagnostic::new(
                            DiagnosticCode::OverrideMatchesNothing,
                            at.clone(),
                            span,
                            format!("override #{i} applies to no probe"),
                        )
                        .with_label("each pattern matches, but never together")
                        .with_help("check the combination of users, tenants, relation, resources and actions (`xtenant plan` lists every probe)"),
                    );
                }
            }
            overrides.push(parsed);
        }
        overrides
    }

    fn cells(
        &mut self,
        raw: &RawScenario,
        tenants: &[String],
        users: &[User],
        resources: &[Resource],
    ) -> Vec<Cell> {
        let path = KeyPath::root().key("expect").key("cells");
        let user_names: Vec<String> = raw.users.keys().cloned().collect();
        let resource_names: Vec<String> = raw.resources.keys().cloned().collect();
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut cells = Vec::new();
        for (i, cell) in raw.expect.cells.iter().enumerate() {
            let at = path.index(i).key("probe");
            let name = cell.probe.as_str();
            let parts = name
                .split_once("::")
                .and_then(|(user, rest)| {
                    rest.rsplit_once("::")
                        .map(|(middle, action)| (user, middle, action))
                })
                .and_then(|(user, middle, action)| {
                    middle
                        .split_once('/')
                        .map(|(tenant, resource)| (user, tenant, resource, action))
                });
            let Some((user, tenant, resource, action)) = parts else {
                let span = self.value_span(&at);
                self.report(
                    Diagnostic::new(DiagnosticCode::UnknownProbe, at, span, format!("`{name}` is not a probe name"))
                        .with_label("not `user::tenant/resource::action`")
                        .with_help("write a probe name as `xtenant plan` lists it, for example `alice::globex/records::read`"),
                );
                continue;
            };
            let before = self.diagnostics.len();
            if !user_names.iter().any(|u| u == user) {
                self.undefined(
                    DiagnosticCode::UndefinedUser,
                    &at,
                    "user",
                    user,
                    &user_names,
                );
            }
            if !tenants.iter().any(|t| t == tenant) {
                self.undefined(
                    DiagnosticCode::UndefinedTenant,
                    &at,
                    "tenant",
                    tenant,
                    tenants,
                );
            }
            match raw.resources.get(resource) {
                None => {
                    self.undefined(
                        DiagnosticCode::UndefinedResource,
                        &at,
                        "resource",
                        resource,
                        &resource_names,
                    );
                }
                Some(found) => {
                    // The actions as written: a resource with a bad action is reported on
                    // its own, and its cells are still checked against its list.
                    let listed = &found.actions;
                    if !listed.iter().any(|a| a == action) {
                        let span = self.value_span(&at);
                        let help = match closest(action, listed) {
                            Some(near) => format!("did you mean `{near}`?"),
                            None => format!(
                                "resource `{resource}` is probed with {}",
                                listed
                                    .iter()
                                    .map(|a| format!("`{a}`"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        };
                        self.report(
                            Diagnostic::new(
                                DiagnosticCode::UnknownProbe,
                                at.clone(),
                                span,
                                format!("resource `{resource}` is not probed with `{action}`"),
                            )
                            .with_label("no such probe in the plan")
                            .with_help(help),
                        );
                    }
                }
            }
            if self.diagnostics.len() > before {
                continue;
            }
            if let Some(first) = seen.get(name) {
                self.duplicate(
                    &at,
                    &path.index(*first).key("probe"),
                    format!("probe `{name}` has two cells"),
                    "keep one cell per probe",
                );
                continue;
            }
            seen.insert(name.to_string(), i);
            // Built from the checked parts so the name is spelled as the plan spells it.
            let probe = users
                .iter()
                .find(|u| u.name == user)
                .and_then(|_| resources.iter().find(|r| r.name == resource))
                .and_then(|r| r.actions.iter().find(|a| a.to_string() == action))
                .map(|a| probe_name(user, tenant, resource, a))
                .unwrap_or_else(|| ProbeName(name.to_string()));
            cells.push(Cell {
                index: i,
                probe,
                expectation: expectation(cell.expect),
            });
        }
        cells
    }
}

fn expectation(raw: RawExpectation) -> Expectation {
    match raw {
        RawExpectation::Allow => Expectation::Allow,
        RawExpectation::Deny => Expectation::Deny,
    }
}
