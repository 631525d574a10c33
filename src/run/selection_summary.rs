//! How much of the plan a run selected, so that a filtered run is never read as the
//! whole scenario's verdict.

use serde::Serialize;
use std::fmt;

/// Selected and planned probes (attack cases included) of one run.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct SelectionSummary {
    pub selected_probes: usize,
    pub planned_probes: usize,
    /// Fewer probes ran than the plan holds (a libtest filter, `--skip`, `--exact`).
    pub partial: bool,
}

impl SelectionSummary {
    pub fn new(selected_probes: usize, planned_probes: usize) -> SelectionSummary {
        SelectionSummary {
            selected_probes,
            planned_probes,
            partial: selected_probes < planned_probes,
        }
    }
}

/// `partial: N of M probes selected`, the phrase every report and the console use.
impl fmt::Display for SelectionSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "partial: {} of {} probes selected",
            self.selected_probes, self.planned_probes
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_of_fewer_probes_than_planned_is_partial_and_says_so() {
        let partial = SelectionSummary::new(3, 258);
        assert!(partial.partial);
        assert_eq!(partial.to_string(), "partial: 3 of 258 probes selected");
        assert!(!SelectionSummary::new(258, 258).partial);
    }
}
