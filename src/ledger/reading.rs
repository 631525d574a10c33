//! Reading a ledger file back: every record, in the order written, and which intents are
//! still outstanding.
//!
//! Every line is appended whole and synced before the call it guards returns, so a last
//! line cut off before its newline (a crash or a full disk mid-append) guards a call that
//! was never made: it is skipped with a warning. Anything else that is not a record, a
//! complete line in the middle or at the end, is corruption and an error naming the line.

use super::error::LedgerError;
use super::record::{LedgerRecord, Resolution};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A last line cut off before its newline, skipped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "cleanup ledger `{}` line {line} was cut off before its newline and is not a record; \
     skipped it (the append it held never completed, so it guards no call)",
    path.display()
)]
pub struct TornLine {
    pub path: PathBuf,
    pub line: usize,
}

/// What a ledger file holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LedgerContents {
    /// Every record, in the order written.
    pub records: Vec<LedgerRecord>,
    /// The torn last line skipped, if there was one.
    pub torn_line: Option<TornLine>,
}

impl LedgerContents {
    /// The intents without a resolution, in the order written.
    pub fn outstanding(&self) -> Vec<LedgerRecord> {
        unresolved(&self.records)
    }
}

/// Reads every record of the ledger at `path`.
pub fn read_ledger(path: &Path) -> Result<LedgerContents, LedgerError> {
    let bytes = std::fs::read(path).map_err(|source| LedgerError::Read {
        path: path.to_owned(),
        source,
    })?;
    parse_ledger(path, &bytes)
}

/// Parses the bytes of the ledger at `path`.
pub fn parse_ledger(path: &Path, bytes: &[u8]) -> Result<LedgerContents, LedgerError> {
    let mut contents = LedgerContents::default();
    let mut segments = bytes.split(|byte| *byte == b'\n').enumerate().peekable();
    while let Some((index, segment)) = segments.next() {
        // `split` yields what follows the last newline as the final segment: empty for a
        // file that ends with one, the unterminated rest otherwise.
        let terminated = segments.peek().is_some();
        if segment.trim_ascii().is_empty() {
            continue;
        }
        match serde_json::from_slice::<LedgerRecord>(segment) {
            Ok(record) => contents.records.push(record),
            Err(_) if !terminated => {
                contents.torn_line = Some(TornLine {
                    path: path.to_owned(),
                    line: index + 1,
                });
            }
            Err(source) => {
                return Err(LedgerError::Parse {
                    path: path.to_owned(),
                    line: index + 1,
                    source,
                });
            }
        }
    }
    Ok(contents)
}

/// The intents of `records` that no later record resolves, in the order written.
pub fn unresolved(records: &[LedgerRecord]) -> Vec<LedgerRecord> {
    let resolved: BTreeMap<&str, Resolution> = records
        .iter()
        .filter_map(|record| match record {
            LedgerRecord::Resolved { id, resolution, .. } => Some((id.as_str(), *resolution)),
            LedgerRecord::Intent { .. } => None,
        })
        .collect();
    records
        .iter()
        .filter(|record| {
            matches!(record, LedgerRecord::Intent { id, .. } if !resolved.contains_key(id.as_str()))
        })
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const INTENT: &str = r#"{"record":"intent","id":"a","written_at":"2026-01-01T00:00:00Z","region":"us-east-1","endpoint_url":null,"canary":{"kind":"secret_version","secret_id":"acme/db","version_stage":"xtenant-canary-a"}}"#;
    const RESOLVED: &str = r#"{"record":"resolved","id":"a","written_at":"2026-01-01T00:00:01Z","resolution":"removed"}"#;
    const SECOND_INTENT: &str = r#"{"record":"intent","id":"b","written_at":"2026-01-01T00:00:02Z","region":"us-east-1","endpoint_url":null,"canary":{"kind":"secret_version","secret_id":"acme/db","version_stage":"xtenant-canary-b"}}"#;

    fn parse(text: &str) -> Result<LedgerContents, LedgerError> {
        parse_ledger(Path::new("reports/pacific.ledger.jsonl"), text.as_bytes())
    }

    #[test]
    fn a_torn_last_line_is_skipped_with_a_warning_naming_file_and_line() {
        let torn = &SECOND_INTENT[..40];
        let contents = parse(&format!("{INTENT}\n{RESOLVED}\n{torn}")).unwrap();
        assert_eq!(contents.records.len(), 2);
        assert!(contents.outstanding().is_empty());
        let warning = contents
            .torn_line
            .expect("the torn line is reported")
            .to_string();
        assert!(
            warning.starts_with(
                "cleanup ledger `reports/pacific.ledger.jsonl` line 3 was cut off before its \
                 newline"
            ),
            "{warning}"
        );
    }

    #[test]
    fn a_line_cut_inside_a_multibyte_character_is_torn_too() {
        let mut bytes = format!("{INTENT}\n").into_bytes();
        bytes.extend_from_slice(&"{\"record\":\"intent\",\"id\":\"é".as_bytes()[..26]);
        let contents = parse_ledger(Path::new("l.jsonl"), &bytes).unwrap();
        assert_eq!(contents.outstanding().len(), 1);
        assert_eq!(contents.torn_line.map(|torn| torn.line), Some(2));
    }

    #[test]
    fn a_complete_last_line_without_a_newline_still_counts() {
        let contents = parse(&format!("{RESOLVED}\n{SECOND_INTENT}")).unwrap();
        assert_eq!(contents.outstanding().len(), 1);
        assert_eq!(contents.torn_line, None);
    }

    #[test]
    fn a_bad_line_in_the_middle_is_an_error_naming_file_and_line() {
        let error = parse(&format!("{INTENT}\nnot a record\n{SECOND_INTENT}\n")).unwrap_err();
        assert_eq!(
            error.to_string(),
            "cleanup ledger `reports/pacific.ledger.jsonl` line 2 is not a ledger record"
        );
    }

    #[test]
    fn a_bad_last_line_that_ends_with_its_newline_is_an_error() {
        let torn = &SECOND_INTENT[..40];
        let error = parse(&format!("{INTENT}\n{torn}\n")).unwrap_err();
        assert_eq!(
            error.to_string(),
            "cleanup ledger `reports/pacific.ledger.jsonl` line 2 is not a ledger record"
        );
    }

    #[test]
    fn blank_lines_are_ignored_and_resolutions_settle_their_intents() {
        let contents = parse(&format!("\n{INTENT}\n\n{SECOND_INTENT}\n{RESOLVED}\n")).unwrap();
        let outstanding = contents.outstanding();
        assert_eq!(outstanding.len(), 1);
        assert_eq!(outstanding[0].id(), "b");
    }
}
