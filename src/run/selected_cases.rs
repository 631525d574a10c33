//! The cases a run executes, as places in its plan rather than copies: a 100,000-probe run
//! then holds its plan once. Only the cases the run adds (basic-flow cases on roles seen in
//! the run) are owned, since no plan holds them.

use crate::scenario::{Plan, PlannedProbe};
use std::sync::Arc;

/// The selected cases of a run, in the order they were selected, then the added ones.
#[derive(Debug)]
pub struct SelectedCases {
    plan: Arc<Plan>,
    cases: Vec<Place>,
}

/// Where a selected case lives: its index in the plan, or the added case itself.
#[derive(Debug)]
enum Place {
    Planned(usize),
    Added(Arc<PlannedProbe>),
}

/// One case a spawned task can own: its plan (shared, not copied) and its place in it, or
/// a case the run added.
#[derive(Debug, Clone)]
pub enum SelectedCase {
    Planned { plan: Arc<Plan>, index: usize },
    Added(Arc<PlannedProbe>),
}

impl SelectedCase {
    pub fn probe(&self) -> &PlannedProbe {
        match self {
            SelectedCase::Planned { plan, index } => &plan.probes[*index],
            SelectedCase::Added(probe) => probe,
        }
    }
}

impl SelectedCases {
    /// The probes of `plan` that `selected` keeps, in plan order.
    pub fn from_plan(plan: &Arc<Plan>, selected: impl Fn(&PlannedProbe) -> bool) -> Self {
        let cases = plan
            .probes
            .iter()
            .enumerate()
            .filter(|(_, probe)| selected(probe))
            .map(|(index, _)| Place::Planned(index))
            .collect();
        SelectedCases {
            plan: plan.clone(),
            cases,
        }
    }

    pub fn len(&self) -> usize {
        self.cases.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cases.is_empty()
    }

    /// The plan's index of the case at `index`; `None` for a case the run added.
    pub fn plan_index(&self, index: usize) -> Option<usize> {
        match self.cases[index] {
            Place::Planned(in_plan) => Some(in_plan),
            Place::Added(_) => None,
        }
    }

    pub fn get(&self, index: usize) -> &PlannedProbe {
        self.probe_at(&self.cases[index])
    }

    /// The case at `index`, for a task that outlives this borrow.
    pub fn owned(&self, index: usize) -> SelectedCase {
        match &self.cases[index] {
            Place::Planned(index) => SelectedCase::Planned {
                plan: self.plan.clone(),
                index: *index,
            },
            Place::Added(probe) => SelectedCase::Added(probe.clone()),
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = &PlannedProbe> {
        self.cases.iter().map(|place| self.probe_at(place))
    }

    fn probe_at<'a>(&'a self, place: &'a Place) -> &'a PlannedProbe {
        match place {
            Place::Planned(index) => &self.plan.probes[*index],
            Place::Added(probe) => probe,
        }
    }

    /// Appends cases the run made up, which its plan does not hold.
    pub fn add(&mut self, added: impl IntoIterator<Item = PlannedProbe>) {
        self.cases
            .extend(added.into_iter().map(|probe| Place::Added(Arc::new(probe))));
    }
}
