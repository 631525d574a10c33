//! The validated scenario: what `scenario::load` returns and the runner consumes.

use super::resource::Resource;
use super::rule::{Cell, Override};
use super::target::Target;
use super::user::User;
use crate::attack::AttackSettings;
use crate::audit::AuditSettings;
use std::path::PathBuf;

/// A scenario that passed validation. Every reference in it resolves; `plan()` expands it
/// into probes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scenario {
    /// The file it was read from.
    pub file: PathBuf,
    pub target: Target,
    /// In file order.
    pub tenants: Vec<String>,
    /// In file order.
    pub users: Vec<User>,
    /// In file order.
    pub resources: Vec<Resource>,
    /// In file order; a later override wins.
    pub overrides: Vec<Override>,
    /// Applied after every override.
    pub cells: Vec<Cell>,
    /// The `attacks:` section (every kind on when absent).
    pub attacks: AttackSettings,
    /// The `audit:` section (every code at its default severity when absent).
    pub audit: AuditSettings,
    /// The `waivers:` section, in file order.
    pub waivers: Vec<super::waiver::Waiver>,
    /// Where the users, cells, overrides, allowed attacks and waivers are written.
    pub lines: super::source_lines::SourceLines,
}

impl Scenario {
    /// The user with this name.
    pub fn user(&self, name: &str) -> Option<&User> {
        self.users.iter().find(|u| u.name == name)
    }

    /// The file name without its extension, for naming reports.
    pub fn stem(&self) -> String {
        self.file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "scenario".to_string())
    }
}
