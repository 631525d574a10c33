//! The cases a run executes, as places in its plan rather than copies: a 100,000-probe run
//! then holds its plan once. Only the cases the run adds (basic-flow cases on roles seen in
//! the run) are owned, since no plan holds them.

use crate::scenario::{Plan, PlannedProbe};
use std::sync::Arc;

/// The selected cases of a run, in the order they were selected, then the added ones:
/// case `i` is the plan's `planned[i]`, or `added[i - planned.len()]`.
#[derive(Debug)]
pub struct SelectedCases {
    plan: Arc<Plan>,
    planned: Vec<usize>,
    added: Vec<Arc<PlannedProbe>>,
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
        // Counted first, so that the list is allocated once at its size.
        let count = plan.probes.iter().filter(|probe| selected(probe)).count();
        let mut planned = Vec::with_capacity(count);
        planned.extend(
            (plan.probes.iter().enumerate())
                .filter(|(_, probe)| selected(probe))
                .map(|(index, _)| index),
        );
        SelectedCases {
            plan: plan.clone(),
            planned,
            added: Vec::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.planned.len() + self.added.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The plan's index of the case at `index`; `None` for a case the run added.
    pub fn plan_index(&self, index: usize) -> Option<usize> {
        self.planned.get(index).copied()
    }

    pub fn get(&self, index: usize) -> &PlannedProbe {
        match self.planned.get(index) {
            Some(in_plan) => &self.plan.probes[*in_plan],
            None => &self.added[index - self.planned.len()],
        }
    }

    /// The case at `index`, for a task that outlives this borrow.
    pub fn owned(&self, index: usize) -> SelectedCase {
        match self.planned.get(index) {
            Some(in_plan) => SelectedCase::Planned {
                plan: self.plan.clone(),
                index: *in_plan,
            },
            None => SelectedCase::Added(self.added[index - self.planned.len()].clone()),
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = &PlannedProbe> {
        (self.planned.iter().map(|index| &self.plan.probes[*index]))
            .chain(self.added.iter().map(|probe| &**probe))
    }

    /// Appends cases the run made up, which its plan does not hold.
    pub fn add(&mut self, added: impl IntoIterator<Item = PlannedProbe>) {
        self.added.extend(added.into_iter().map(Arc::new));
    }
}
