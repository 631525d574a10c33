//! Validation of `resources`: kinds, templates rendered for every tenant, AWS names, actions.
use super::validator::Validator;
use crate::scenario::aws_names::{self, NameProblem};
use crate::scenario::diagnostic::Diagnostic;
use crate::scenario::diagnostic_code::DiagnosticCode;
use crate::scenario::key_path::KeyPath;
use crate::scenario::plan::Action;
use crate::scenario::probe_table::parse_action;
use crate::scenario::raw::{RawResource, RawScenario};
use crate::scenario::resource::{KeyTemplate, Resource, ResourceTemplate};
use crate::scenario::template::Template;
use std::collections::HashMap;
use std::ops::Range;

impl Validator<'_> {
    pub(super) fn resources(
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
    pub(super) fn template(
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
    pub(super) fn span_within(&self, path: &KeyPath, text: &str, at: Range<usize>) -> Range<usize> {
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

    pub(super) fn resource(
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

    pub(super) fn key_attribute(
        &mut self,
        raw: &crate::scenario::raw::RawKeyAttribute,
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

    pub(super) fn actions(
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
}
