//! The validator: its entry point `validate`, and the helpers every section's checks share
//! (positions, reporting, references, duplicates, names, secret sources).

use crate::scenario::aws_names::{self, NameProblem};
use crate::scenario::diagnostic::Diagnostic;
use crate::scenario::diagnostic_code::DiagnosticCode;
use crate::scenario::key_path::KeyPath;
use crate::scenario::model::Scenario;
use crate::scenario::probe_table::closest;
use crate::scenario::raw::{RawScenario, RawSecretRef};
use crate::scenario::secret_source::SecretSource;
use crate::scenario::source_lines::{SectionCounts, SourceLines};
use crate::scenario::span_index::SpanIndex;
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
    let foreign_pool = raw.attacks.foreign_pool.as_deref();
    let target = validator.target(&raw.target, &root.key("target"), foreign_pool);
    let identity_flow = target.as_ref().map(|t| t.identity_pool.flow);
    let users = validator.users(&raw, &tenants, identity_flow, &root.key("users"));
    let resources = validator.resources(&raw, &tenants, &root.key("resources"));
    validator.empty_plan(&raw);
    let overrides = validator.overrides(&raw, &tenants, &users, &resources);
    let cells = validator.cells(&raw, &tenants, &users, &resources);
    let attacks = validator.attacks(&raw);
    let audit = validator.audit(&raw);
    let waivers = validator.waivers(&raw);
    let lines = SourceLines::new(
        source,
        index,
        raw.users.keys(),
        SectionCounts {
            cells: raw.expect.cells.len(),
            overrides: raw.expect.overrides.len(),
            allows: raw.attacks.allow.len(),
            waivers: raw.waivers.len(),
        },
    );
    match (target, validator.diagnostics.is_empty()) {
        (Some(target), true) => {
            let scenario = Scenario {
                file: file.to_path_buf(),
                target,
                tenants,
                users,
                resources,
                overrides,
                cells,
                attacks,
                audit,
                waivers,
                lines,
            };
            // Waiver patterns are checked against the plan, so only a sound scenario can
            // have them checked.
            validator.waivers_match_the_plan(&scenario);
            if validator.diagnostics.is_empty() {
                Ok(scenario)
            } else {
                Err(validator.diagnostics)
            }
        }
        _ => Err(validator.diagnostics),
    }
}

pub(super) struct Validator<'a> {
    pub(super) index: &'a SpanIndex,
    pub(super) source: &'a str,
    pub(super) base_dir: std::path::PathBuf,
    pub(super) diagnostics: Vec<Diagnostic>,
}

impl Validator<'_> {
    pub(super) fn value_span(&self, path: &KeyPath) -> Range<usize> {
        self.index.locate(path, false)
    }

    pub(super) fn key_span(&self, path: &KeyPath) -> Range<usize> {
        self.index.locate(path, true)
    }

    pub(super) fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    pub(super) fn name_problem(
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

    /// A key at `at` that must not be given together with another.
    pub(super) fn conflicting_key(
        &mut self,
        at: KeyPath,
        message: String,
        label: &str,
        help: impl Into<String>,
    ) {
        let span = self.key_span(&at);
        self.report(
            Diagnostic::new(DiagnosticCode::ConflictingKeys, at, span, message)
                .with_label(label)
                .with_help(help),
        );
    }

    /// Whether `value` is present and passes `check`; a value that fails is reported at
    /// `path` (a missing one is the caller's to report).
    pub(super) fn well_formed(
        &mut self,
        value: Option<&String>,
        path: &KeyPath,
        code: DiagnosticCode,
        label: &str,
        check: impl FnOnce(&str) -> Result<(), NameProblem>,
    ) -> bool {
        let Some(value) = value else {
            return false;
        };
        match check(value) {
            Ok(()) => true,
            Err(problem) => {
                self.name_problem(code, path, problem, label);
                false
            }
        }
    }

    /// A reference to something the scenario does not define.
    pub(super) fn undefined(
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

    pub(super) fn duplicate(
        &mut self,
        path: &KeyPath,
        first: &KeyPath,
        message: String,
        help: &str,
    ) {
        let span = self.value_span(path);
        let first_span = self.value_span(first);
        self.report(
            Diagnostic::new(DiagnosticCode::Duplicate, path.clone(), span, message)
                .with_label("given again here")
                .with_related(first_span, "first given here")
                .with_help(help),
        );
    }

    pub(super) fn name(&mut self, kind: &str, name: &str, path: &KeyPath, is_key: bool) {
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

    pub(super) fn tenants(&mut self, raw: &[String], path: &KeyPath) -> Vec<String> {
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

    pub(super) fn required<'v>(
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

    /// Exactly one of `env`, `file`, `value`, each well formed.
    pub(super) fn secret_source(
        &mut self,
        raw: &RawSecretRef,
        path: &KeyPath,
    ) -> Option<SecretSource> {
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
}
