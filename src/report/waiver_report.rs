//! The waivers in the human reports: the outcome label of a waived finding, and a section
//! listing every waiver with what it did (applied, expired, stale, not exercised) and the
//! warnings, for the HTML report and the Markdown summary. Never silent: a waived finding
//! always says it is waived and by which ticket, and an expired or stale waiver is listed.

use super::failure_message::outcome_label;
use super::summary::cell;
use crate::probe::ProbeRecord;
use crate::run::{RunResults, WaiverOutcome, WaiverStatus};
use crate::scenario::waiver::format_date;
use html_escape::encode_double_quoted_attribute as escape;
use std::fmt::Write;

/// `breach`, `breach (waived: SEC-1)`, or `breach (waiver expired: SEC-1)`.
pub fn outcome_with_waiver(record: &ProbeRecord) -> String {
    let label = outcome_label(record.outcome);
    match &record.waiver {
        Some(waiver) if waiver.waives() => format!("{label} (waived: {})", waiver.waiver.ticket),
        Some(waiver) => format!("{label} (waiver expired: {})", waiver.waiver.ticket),
        None => label.to_owned(),
    }
}

fn status_label(status: WaiverStatus) -> &'static str {
    match status {
        WaiverStatus::Applied => "applied",
        WaiverStatus::Expired => "expired: waives nothing",
        WaiverStatus::Stale => "stale: covers no finding",
        WaiverStatus::NotExercised => "not exercised by this run",
    }
}

fn cases(outcome: &WaiverOutcome) -> String {
    let mut parts = Vec::new();
    if !outcome.waived.is_empty() {
        parts.push(format!("waived {}", outcome.waived.len()));
    }
    if !outcome.failing_again.is_empty() {
        parts.push(format!("failing again {}", outcome.failing_again.len()));
    }
    if !outcome.not_waivable.is_empty() {
        parts.push(format!(
            "inconclusive, never waived {}",
            outcome.not_waivable.len()
        ));
    }
    parts.join(", ")
}

/// The Markdown section `## Waivers`; empty when the scenario has none.
pub fn markdown_waivers(results: &RunResults) -> String {
    let review = &results.waivers;
    if review.waivers.is_empty() {
        return String::new();
    }
    let mut md = String::from("\n## Waivers\n\n");
    if let Some(day) = review.as_of {
        let _ = writeln!(md, "Judged on {}.\n", format_date(day));
    }
    md.push_str("| # | probe | ticket | reason | expires | status | cases |\n|---:|---|---|---|---|---|---|\n");
    for outcome in &review.waivers {
        let waiver = &outcome.waiver;
        let _ = writeln!(
            md,
            "| {} | `{}` | {} | {} | {} | {} | {} |",
            waiver.index,
            cell(&waiver.probe).replace('`', "'"),
            cell(&waiver.ticket),
            cell(&waiver.reason),
            format_date(waiver.expires),
            status_label(outcome.status),
            cases(outcome)
        );
    }
    for warning in review.warnings() {
        let _ = writeln!(md, "\n- warning: {}", cell(&warning));
    }
    md
}

/// The HTML section "Waivers"; empty when the scenario has none.
pub fn html_waivers(results: &RunResults) -> String {
    let review = &results.waivers;
    if review.waivers.is_empty() {
        return String::new();
    }
    let mut html = String::from("<h2>Waivers</h2>\n");
    if let Some(day) = review.as_of {
        let _ = writeln!(html, "<p>Judged on {}.</p>", format_date(day));
    }
    html.push_str(
        "<table class=\"waivers\">\n<tr><th>#</th><th>probe</th><th>ticket</th><th>reason</th>\
         <th>expires</th><th>status</th><th>cases</th></tr>\n",
    );
    for outcome in &review.waivers {
        let waiver = &outcome.waiver;
        let _ = writeln!(
            html,
            "<tr class=\"waiver-{}\"><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td>\
             <td>{}</td><td>{}</td><td>{}</td></tr>",
            match outcome.status {
                WaiverStatus::Applied => "applied",
                WaiverStatus::Expired => "expired",
                WaiverStatus::Stale => "stale",
                WaiverStatus::NotExercised => "not-exercised",
            },
            waiver.index,
            escape(&waiver.probe),
            escape(&waiver.ticket),
            escape(&waiver.reason),
            format_date(waiver.expires),
            status_label(outcome.status),
            escape(&cases(outcome)),
        );
    }
    html.push_str("</table>\n");
    let warnings = review.warnings();
    if !warnings.is_empty() {
        html.push_str("<ul class=\"waiver-warnings\">\n");
        for warning in warnings {
            let _ = writeln!(html, "<li>warning: {}</li>", escape(&warning));
        }
        html.push_str("</ul>\n");
    }
    html
}
