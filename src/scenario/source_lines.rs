//! Where the rules behind each case are written in the scenario file, so the reports that
//! CI tools turn into annotations (JUnit `file=`/`line=`, SARIF regions) land on the line a
//! person would edit: an explicit cell, an override, an `attacks.allow` entry, or else the
//! user.

use super::diagnostics::LineColumn;
use super::key_path::KeyPath;
use super::plan::ExpectationSource;
use super::span_index::SpanIndex;
use std::collections::BTreeMap;

/// Line and column (both from 1) of the scenario's rules, by what they are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceLines {
    target: Option<LineColumn>,
    users: BTreeMap<String, LineColumn>,
    cells: BTreeMap<usize, LineColumn>,
    overrides: BTreeMap<usize, LineColumn>,
    allows: BTreeMap<usize, LineColumn>,
    waivers: BTreeMap<usize, LineColumn>,
}

impl SourceLines {
    /// The positions of `users`, `expect.cells`, `expect.overrides`, `attacks.allow` and
    /// `waivers` entries as `index` found them in `source`.
    pub fn new<'a>(
        source: &str,
        index: &SpanIndex,
        users: impl IntoIterator<Item = &'a String>,
        counts: SectionCounts,
    ) -> SourceLines {
        let root = KeyPath::root();
        let at = |path: KeyPath, prefer_key: bool| {
            index
                .get(&path)
                .map(|_| line_column(source, index.locate(&path, prefer_key).start))
        };
        let numbered = |path: KeyPath, count: usize| {
            (0..count)
                .filter_map(|i| Some((i, at(path.index(i), false)?)))
                .collect::<BTreeMap<_, _>>()
        };
        SourceLines {
            target: at(root.key("target"), true),
            users: users
                .into_iter()
                .filter_map(|user| {
                    Some((user.clone(), at(root.key("users").key(user.clone()), true)?))
                })
                .collect(),
            cells: numbered(root.key("expect").key("cells"), counts.cells),
            overrides: numbered(root.key("expect").key("overrides"), counts.overrides),
            allows: numbered(root.key("attacks").key("allow"), counts.allows),
            waivers: numbered(root.key("waivers"), counts.waivers),
        }
    }

    /// Where the rule that gave `user`'s case its expectation is written: the cell,
    /// override or `attacks.allow` entry, else the user (the cross-tenant rule and the
    /// generated attack cases come from the user's entry).
    pub fn of_case(&self, user: &str, source: &ExpectationSource) -> Option<LineColumn> {
        let rule = match source {
            ExpectationSource::Cell { index } => self.cells.get(index),
            ExpectationSource::Override { index, .. } => self.overrides.get(index),
            ExpectationSource::AttackAllowed { index, .. } => self.allows.get(index),
            ExpectationSource::Escalated {
                original: Some(original),
                ..
            } => return self.of_case(user, original).or_else(|| self.of_user(user)),
            ExpectationSource::CrossTenantDefault
            | ExpectationSource::Attack { .. }
            | ExpectationSource::Escalated { original: None, .. } => None,
        };
        rule.copied().or_else(|| self.of_user(user))
    }

    /// The user's entry under `users`.
    pub fn of_user(&self, user: &str) -> Option<LineColumn> {
        self.users.get(user).copied()
    }

    /// The `target` key: where the identity layer the audit reads is named.
    pub fn of_target(&self) -> Option<LineColumn> {
        self.target
    }

    /// The `waivers` entry at `index`.
    pub fn of_waiver(&self, index: usize) -> Option<LineColumn> {
        self.waivers.get(&index).copied()
    }
}

/// How many entries each numbered section has.
#[derive(Debug, Clone, Copy, Default)]
pub struct SectionCounts {
    pub cells: usize,
    pub overrides: usize,
    pub allows: usize,
    pub waivers: usize,
}

/// The line and column (from 1, in characters) of byte `offset` of `source`.
pub fn line_column(source: &str, offset: usize) -> LineColumn {
    let offset = offset.min(source.len());
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |at| at + 1);
    LineColumn {
        line,
        column: source[line_start..offset].chars().count() + 1,
    }
}
