//! Plan expansion: every user × tenant × resource × action becomes one probe, and each
//! probe gets exactly one expectation: the cross-tenant rule, then each matching override
//! in order, then a matching explicit cell; the last one to apply wins and is recorded.
//! An expected-deny cell is followed by one case per request shape of its verb
//! (`request_shape`). The attack cases (`crate::attack::attack_cases`) follow the matrix.

use super::model::Scenario;
use super::plan::{Action, Expectation, ExpectationSource, Plan, PlannedProbe, ProbeName};
use super::request_shape::RequestShape;
use super::resource::Resource;
use super::rule::{Override, Relation, any_matches};
use super::shared_name::SharedName;
use super::user::User;

/// The name of a probe: `{user}::{tenant}/{resource}::{action}`.
pub fn probe_name(user: &str, tenant: &str, resource: &str, action: &Action) -> ProbeName {
    ProbeName::from(format!("{user}::{tenant}/{resource}::{action}"))
}

/// The user's relation to `tenant`. A guest without a tenant is a stranger to every tenant.
pub fn relation(user: &User, tenant: &str) -> Relation {
    if user.tenant.as_deref() == Some(tenant) {
        Relation::Own
    } else {
        Relation::Other
    }
}

/// Whether an override applies to one probe.
pub fn override_applies(
    rule: &Override,
    user: &User,
    tenant: &str,
    resource: &Resource,
    action: &Action,
) -> bool {
    any_matches(&rule.users, &user.name)
        && any_matches(&rule.tenants, tenant)
        && rule.relation.is_none_or(|r| r == relation(user, tenant))
        && any_matches(&rule.resources, &resource.name)
        && any_matches(&rule.actions, &action.to_string())
}

impl Scenario {
    /// Every probe, ordered by user, tenant, resource and action as written in the file.
    pub fn plan(&self) -> Plan {
        let mut probes: Vec<PlannedProbe> = self.rows().flat_map(|(_, row)| row).collect();
        probes.extend(crate::attack::attack_cases(self));
        self.plan_of(probes)
    }

    /// A plan of `probes` (all of this scenario's or a share of them) with the scenario's
    /// attacks not exercised, waivers and source lines.
    pub fn plan_of(&self, mut probes: Vec<PlannedProbe>) -> Plan {
        // Collected row by row, the vector may hold up to twice the probes' room; a plan
        // lives as long as the run.
        probes.shrink_to_fit();
        let not_exercised = crate::attack::foreign_token::not_exercised(self)
            .into_iter()
            .map(str::to_owned)
            .collect();
        Plan {
            probes,
            not_exercised,
            waivers: self.waivers.clone(),
            lines: self.lines.clone(),
            share: None,
        }
    }

    /// The matrix part of the plan, one user's row at a time, in plan order: a caller that
    /// needs only some rows (a shard) never holds the others. A user the pool must refuse
    /// credentials has no row: its attack case is its test.
    pub fn rows(&self) -> impl Iterator<Item = (&str, Vec<PlannedProbe>)> + '_ {
        self.rows_where(|_| true)
    }

    /// [`Scenario::rows`] of the users `keep` keeps; the others are not expanded.
    pub fn rows_where<'s>(
        &'s self,
        keep: impl Fn(&str) -> bool + 's,
    ) -> impl Iterator<Item = (&'s str, Vec<PlannedProbe>)> + 's {
        // Each name made once and shared by every probe that repeats it.
        let tenant_names: Vec<SharedName> = self.tenants.iter().map(SharedName::from).collect();
        let resource_names: Vec<SharedName> = self
            .resources
            .iter()
            .map(|resource| SharedName::from(&resource.name))
            .collect();
        self.users
            .iter()
            .filter(move |user| !user.credentials_refused && keep(&user.name))
            .map(move |user| {
                (
                    user.name.as_str(),
                    self.row(user, &tenant_names, &resource_names),
                )
            })
    }

    fn row(
        &self,
        user: &User,
        tenant_names: &[SharedName],
        resource_names: &[SharedName],
    ) -> Vec<PlannedProbe> {
        let mut probes = Vec::new();
        let user_name = SharedName::from(&user.name);
        for (tenant, tenant_name) in self.tenants.iter().zip(tenant_names) {
            for (resource, resource_name) in self.resources.iter().zip(resource_names) {
                let target = std::sync::Arc::new(resource.template.render(tenant));
                for action in &resource.actions {
                    let name = probe_name(&user.name, tenant, &resource.name, action);
                    let (expectation, source) =
                        self.expectation_of(user, tenant, resource, action, &name);
                    let probe = PlannedProbe {
                        name,
                        user: user_name.clone(),
                        tenant: tenant_name.clone(),
                        resource: resource_name.clone(),
                        target: target.clone(),
                        action: action.clone(),
                        expectation,
                        source: source.into(),
                        shape: None,
                    };
                    let shapes = if expectation == Expectation::Deny {
                        self.shape_cases(user, resource, &probe)
                    } else {
                        Vec::new()
                    };
                    probes.push(probe);
                    probes.extend(shapes);
                }
            }
        }
        probes
    }

    /// The request-shape cases of an expected-deny cell: each sibling API of its verb,
    /// with the cell's expectation and rule. Expected-allow cells get none: an application
    /// may use one API of a verb and rightly be refused the others.
    fn shape_cases(
        &self,
        user: &User,
        resource: &Resource,
        cell: &PlannedProbe,
    ) -> Vec<PlannedProbe> {
        let tenant: &str = &cell.tenant;
        let own = user
            .tenant
            .as_deref()
            .filter(|own| *own != tenant && self.tenants.iter().any(|t| t == own))
            .map(|own| (own, resource.template.render(own)));
        RequestShape::shapes_of(
            &cell.target,
            &cell.action,
            own.as_ref().map(|(t, r)| (*t, r)),
        )
        .into_iter()
        .map(|shape| PlannedProbe {
            name: ProbeName::from(format!("{}::{shape}", cell.name)),
            expectation: Expectation::Deny,
            shape: Some(Box::new(shape)),
            ..cell.clone()
        })
        .collect()
    }

    pub(crate) fn expectation_of(
        &self,
        user: &User,
        tenant: &str,
        resource: &Resource,
        action: &Action,
        name: &ProbeName,
    ) -> (Expectation, ExpectationSource) {
        let mut decided = match relation(user, tenant) {
            Relation::Own => Expectation::Allow,
            Relation::Other => Expectation::Deny,
        };
        let mut source = ExpectationSource::CrossTenantDefault;
        for rule in &self.overrides {
            if override_applies(rule, user, tenant, resource, action) {
                decided = rule.expectation;
                source = ExpectationSource::Override {
                    index: rule.index,
                    description: rule.description.clone(),
                };
            }
        }
        for cell in &self.cells {
            if cell.probe == *name {
                decided = cell.expectation;
                source = ExpectationSource::Cell { index: cell.index };
            }
        }
        (decided, source)
    }
}
