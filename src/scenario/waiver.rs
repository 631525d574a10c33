//! A waiver of the scenario's `waivers:` section: a known finding (a breach or an
//! unexpected deny) accepted, with a reason and a ticket, until a date. Waivers are part of
//! the plan, so every report can show them; `run::waiver_review` applies them to a run.

use super::pattern::Pattern;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::Date;
use time::macros::format_description;

/// One validated waiver.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Waiver {
    /// Its position in `waivers`, as diagnostics and reports cite it (`waivers[0]`).
    pub index: usize,
    /// The probe-name pattern (`*` matches any run of characters), as written.
    pub probe: String,
    /// Why the finding is accepted.
    pub reason: String,
    /// Where its fix is tracked.
    pub ticket: String,
    /// The last day the waiver waives (`YYYY-MM-DD`, UTC): from the day after, it is
    /// expired and the finding fails again.
    #[serde(
        serialize_with = "serialize_date",
        deserialize_with = "deserialize_date"
    )]
    #[schemars(with = "String")]
    pub expires: Date,
}

impl Waiver {
    /// Whether the waiver's pattern covers probe `name`.
    pub fn covers(&self, name: &str) -> bool {
        Pattern::new(self.probe.clone()).matches(name)
    }

    /// Whether the waiver has expired on `today`: it waives through its `expires` day.
    pub fn is_expired_on(&self, today: Date) -> bool {
        today > self.expires
    }

    /// "waived until 2027-03-01 (SEC-123: reason)", as reports show it.
    pub fn summary(&self) -> String {
        format!(
            "until {} ({}: {})",
            format_date(self.expires),
            self.ticket,
            self.reason
        )
    }
}

/// Whether a waiver covering a finding waives it on the run's day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum WaiverState {
    /// The waiver is in force: the finding is reported as waived and does not fail the run.
    Waived,
    /// The waiver has expired: the finding fails again, and the reports say which waiver
    /// lapsed.
    Expired,
}

/// The waiver that covered a finding (a breach or an unexpected deny), on the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RecordWaiver {
    pub waiver: Waiver,
    pub state: WaiverState,
}

impl RecordWaiver {
    /// Whether the finding is waived (not merely covered by an expired waiver).
    pub fn waives(&self) -> bool {
        self.state == WaiverState::Waived
    }

    /// One line for reports: "waived until 2027-03-01 (SEC-1: reason)" or "waiver expired
    /// on 2026-01-01 (SEC-1: reason): fails again".
    pub fn line(&self) -> String {
        match self.state {
            WaiverState::Waived => format!("waived {}", self.waiver.summary()),
            WaiverState::Expired => format!(
                "waiver #{} expired after {} ({}: {}): fails again",
                self.waiver.index,
                format_date(self.waiver.expires),
                self.waiver.ticket,
                self.waiver.reason
            ),
        }
    }
}

/// Reads a `YYYY-MM-DD` date, as `expires` is written.
pub fn parse_date(text: &str) -> Option<Date> {
    Date::parse(text, format_description!("[year]-[month]-[day]")).ok()
}

/// `YYYY-MM-DD`.
pub fn format_date(date: Date) -> String {
    date.format(format_description!("[year]-[month]-[day]"))
        .unwrap_or_else(|_| date.to_string())
}

/// A waiver's date read back from evidence (`xtenant merge`).
pub fn deserialize_date<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
    let text = String::deserialize(deserializer)?;
    parse_date(&text)
        .ok_or_else(|| serde::de::Error::custom(format!("`{text}` is not a YYYY-MM-DD date")))
}

fn serialize_date<S: Serializer>(date: &Date, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&format_date(*date))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn waiver(probe: &str, expires: &str) -> Waiver {
        Waiver {
            index: 0,
            probe: probe.into(),
            reason: "legacy bucket".into(),
            ticket: "SEC-1".into(),
            expires: parse_date(expires).unwrap(),
        }
    }

    #[test]
    fn a_waiver_waives_through_its_expiry_day_and_not_after() {
        let w = waiver("bob::*", "2027-03-01");
        assert!(!w.is_expired_on(parse_date("2027-02-28").unwrap()));
        assert!(!w.is_expired_on(parse_date("2027-03-01").unwrap()));
        assert!(w.is_expired_on(parse_date("2027-03-02").unwrap()));
    }

    #[test]
    fn a_waiver_covers_probe_names_by_pattern() {
        let w = waiver("bob::acme/*::read", "2027-03-01");
        assert!(w.covers("bob::acme/records::read"));
        assert!(!w.covers("bob::acme/records::write"));
        assert!(!w.covers("alice::acme/records::read"));
    }

    #[test]
    fn dates_are_strictly_year_month_day() {
        assert!(parse_date("2027-03-01").is_some());
        assert!(parse_date("2027-02-30").is_none());
        assert!(parse_date("01/03/2027").is_none());
        assert!(parse_date("2027-3-1").is_none());
        assert_eq!(format_date(parse_date("2027-03-01").unwrap()), "2027-03-01");
    }
}
