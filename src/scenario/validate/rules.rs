//! Validation of the plan as a whole and of `expect`: an empty plan, override patterns,
//! overrides that apply to nothing, explicit cells.
use super::validator::Validator;
use crate::scenario::diagnostic::Diagnostic;
use crate::scenario::diagnostic_code::DiagnosticCode;
use crate::scenario::expand::{override_applies, probe_name};
use crate::scenario::key_path::KeyPath;
use crate::scenario::pattern::Pattern;
use crate::scenario::plan::{Expectation, ProbeName};
use crate::scenario::probe_table::closest;
use crate::scenario::raw::{RawExpectation, RawRelation, RawScenario};
use crate::scenario::resource::Resource;
use crate::scenario::rule::{Cell, Override, Relation};
use crate::scenario::user::User;
use std::collections::HashMap;

impl Validator<'_> {
    pub(super) fn empty_plan(&mut self, raw: &RawScenario) {
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
    pub(super) fn patterns(
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

    pub(super) fn overrides(
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

    pub(super) fn cells(
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
                .unwrap_or_else(|| ProbeName::from(name.to_string()));
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
