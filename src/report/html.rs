//! The HTML report, for an auditor: the tenant × tenant reach summary on top, a legend,
//! the users with their identity evidence and per-user counts, the users × cells matrix,
//! then every failing or inconclusive probe in full and the passing ones collapsed per
//! user. One self-contained file (no scripts, no external assets); every piece of text is
//! escaped.
//!
//! It stays quick to open at 100,000 probes: the matrix is indexed once (never searched
//! per cell) and drawn only up to [`MATRIX_CELL_LIMIT`] cells, and above
//! [`COMPACT_PASSING_LIMIT`] records the passing probes are one preformatted block per
//! user instead of table rows.

use super::failure_message::{
    expectation_label, probe_message, role_message, role_outcome_label, verdict_label,
};
use super::html_style::stylesheet;
use super::tenant_reach::{ReachCell, ReachState, TenantReach};
use crate::probe::{Outcome, ProbeRecord};
use crate::run::{OutcomeCounts, RoleOutcome, RunResults};
use crate::scenario::{Expectation, PlannedProbe, ProbeName, ResourceTarget, SharedName};
// Quotes are escaped in text too, so one function is safe in every position the report uses.
use html_escape::encode_double_quoted_attribute as escape;
use std::collections::{HashMap, HashSet};
use std::fmt::Write;
use std::io;

/// The largest matrix drawn cell by cell; above it the summary, the per-user counts and
/// the failing probes carry the report.
pub const MATRIX_CELL_LIMIT: usize = 20_000;

/// Above this many records the passing probes are listed as text, one block per user.
pub const COMPACT_PASSING_LIMIT: usize = 5_000;

/// More tenants than this and the summary's cells shrink to a glyph and `allowed/probes`
/// (the rest in their title), so the table still fits a 1400 px screen.
const DENSE_SUMMARY_TENANTS: usize = 8;

/// Rows rendered between two hand-overs of the page to the writer: the page is never held
/// whole, whatever the run's size.
const ROWS_PER_FLUSH: usize = 256;

/// Renders the HTML report of `results` into one string (tests and small runs; reports on
/// disk stream through [`write_html`]).
pub fn html_report(results: &RunResults) -> String {
    let mut page = Vec::new();
    write_html(results, &mut page).expect("writing to memory does not fail");
    String::from_utf8(page).expect("the page is rendered from strings")
}

/// Streams the HTML report of `results` into `out`, one section (and, in the long
/// sections, a few hundred rows) at a time.
pub fn write_html(results: &RunResults, out: &mut dyn io::Write) -> io::Result<()> {
    let mut html = String::with_capacity(1 << 16);
    let title = format!("xtenant: {}", results.scenario);
    let counts = results.counts();
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{}</style>\n</head>\n<body>\n<header>\n<h1>{}</h1>\n",
        escape(&title),
        stylesheet(),
        escape(&title)
    );
    let _ = writeln!(
        html,
        "<p>Started {} · {} ms · {} · {}{}{}</p>",
        escape(&results.timing.started_at),
        results.timing.duration_ms,
        counts.probes_phrase(),
        counts.roles_phrase(),
        if results.interrupted {
            " · <strong>interrupted</strong>"
        } else {
            ""
        },
        partial_note(results)
    );
    if let Some(run) = &results.run {
        let _ = writeln!(
            html,
            "<p class=\"target\">{} · ended {}</p>",
            escape(&run.header_line(&results.accounts())),
            escape(&results.timing.finished_at)
        );
    }
    html.push_str("</header>\n");
    let by_user = UserCounts::of(results);
    reach_summary(
        &mut html,
        &TenantReach::with_waivers(results, ProbeRecord::is_waived),
    );
    legend(&mut html);
    hand_over(&mut html, out)?;
    users(&mut html, results, &by_user);
    hand_over(&mut html, out)?;
    matrix(&mut html, results);
    hand_over(&mut html, out)?;
    failing(&mut html, out, results)?;
    passing(&mut html, out, results, &by_user)?;
    html.push_str(&super::waiver_report::html_waivers(results));
    if let Some(audit) = &results.audit {
        html.push_str(&super::audit_report::html_audit(audit));
    }
    html.push_str("</body>\n</html>\n");
    hand_over(&mut html, out)
}

/// Writes what is rendered so far and empties the buffer for what follows.
fn hand_over(html: &mut String, out: &mut dyn io::Write) -> io::Result<()> {
    out.write_all(html.as_bytes())?;
    html.clear();
    Ok(())
}

/// The tenant × tenant table: rows are the callers' tenants, columns the owners'.
fn reach_summary(html: &mut String, reach: &TenantReach) {
    let callers: Vec<usize> = reach.callers().collect();
    let owners: Vec<usize> = reach.owners().collect();
    let tenants = reach.tenants();
    html.push_str(
        "<section id=\"reach\">\n<h2>Tenant × tenant reach</h2>\n\
         <p>Who reached whose data: one cell per pair, the caller's tenant in the row and \
         the data owner's in the column. Red when anything of another tenant was allowed \
         or any expected deny was allowed. Attack cases and re-runs with escalated \
         credentials count under their user's tenant.</p>\n",
    );
    if callers.is_empty() {
        html.push_str("<p class=\"muted\">No probe ran.</p>\n</section>\n");
        return;
    }
    let dense = owners.len() > DENSE_SUMMARY_TENANTS;
    let _ = write!(
        html,
        "<div class=\"scroll\"><table class=\"reach{}\">\n<thead><tr>\
         <th scope=\"col\">caller ╲ owner</th>",
        if dense { " dense" } else { "" }
    );
    for &owner in &owners {
        let _ = write!(html, "<th scope=\"col\">{}</th>", escape(&tenants[owner]));
    }
    html.push_str("</tr></thead>\n<tbody>\n");
    for &caller in &callers {
        let _ = write!(
            html,
            "<tr><th scope=\"row\">{}</th>",
            escape(&tenants[caller])
        );
        for &owner in &owners {
            let cell = reach.cell(caller, owner);
            let state = cell.state();
            let _ = write!(
                html,
                "<td class=\"reach-cell {label}\" data-caller=\"{caller_name}\" \
                 data-owner=\"{owner_name}\" data-state=\"{label}\" title=\"{title}\">",
                label = state.label(),
                caller_name = escape(&tenants[caller]),
                owner_name = escape(&tenants[owner]),
                title = escape(&format!(
                    "{} → {}: {}",
                    tenants[caller],
                    tenants[owner],
                    cell.counts_phrase()
                )),
            );
            if dense {
                // Many tenants: the glyph and `allowed/probes`, the rest in the title.
                let _ = write!(html, "{}", state.glyph());
                if cell.probes > 0 {
                    let _ = write!(
                        html,
                        "<span class=\"counts\">{}/{}</span>",
                        cell.allowed, cell.probes
                    );
                }
            } else {
                reach_cell_text(html, cell, state);
            }
            html.push_str("</td>");
        }
        html.push_str("</tr>\n");
    }
    html.push_str("</tbody></table></div>\n</section>\n");
}

/// A cell in words: the glyph, the state, and the counts that are not zero.
fn reach_cell_text(html: &mut String, cell: &ReachCell, state: ReachState) {
    let _ = write!(
        html,
        "<span class=\"glyph\">{}</span> <span class=\"word\">{}</span>",
        state.glyph(),
        reach_word(state)
    );
    if cell.probes == 0 {
        return;
    }
    let _ = write!(
        html,
        "<span class=\"counts\">{} allowed / {} denied",
        cell.allowed, cell.denied
    );
    for (count, word) in [
        (cell.breaches, "breach"),
        (cell.unexpected_denies, "unexp. deny"),
        (cell.inconclusive, "inconcl."),
        (cell.waived, "waived"),
    ] {
        if count > 0 {
            let _ = write!(html, " · {count} {word}");
        }
    }
    html.push_str("</span>");
}

fn reach_word(state: ReachState) -> &'static str {
    match state {
        ReachState::Breach => "BREACH",
        ReachState::Reached => "reached",
        ReachState::UnexpectedDeny => "unexpected deny",
        ReachState::Inconclusive => "inconclusive",
        ReachState::Waived => "waived",
        ReachState::Held => "isolated",
        ReachState::NotProbed => "not probed",
    }
}

/// What every glyph and colour means, drawn with the same classes as the cells.
fn legend(html: &mut String) {
    html.push_str(
        "<section id=\"legend\">\n<h2>Legend</h2>\n<p>Matrix cells:</p>\n<ul class=\"legend\">\n",
    );
    for (class, mark, meaning) in [
        ("cell allow", "✓ allow", "expected allow, allowed: held"),
        (
            "cell deny",
            "⊘ deny",
            "expected deny, genuinely denied: held",
        ),
        (
            "cell breach",
            "✗ BREACH",
            "expected deny, allowed: isolation breach",
        ),
        (
            "cell unexpected-deny",
            "⚠ denied",
            "expected allow, denied: unexpected deny",
        ),
        (
            "cell inconclusive",
            "? inconclusive",
            "neither a genuine denial nor a success: never a pass",
        ),
        ("cell not-run", "· not run", "planned but not selected"),
    ] {
        let _ = writeln!(
            html,
            "<li><span class=\"swatch {class}\">{mark}</span> {meaning}</li>"
        );
    }
    html.push_str("</ul>\n<p>Tenant × tenant cells:</p>\n<ul class=\"legend\">\n");
    for (state, meaning) in [
        (ReachState::Breach, "an expected deny was allowed"),
        (
            ReachState::Reached,
            "another tenant's data was allowed, as the scenario expects",
        ),
        (ReachState::UnexpectedDeny, "an expected allow was denied"),
        (ReachState::Inconclusive, "a probe proved nothing"),
        (ReachState::Waived, "only waived findings"),
        (ReachState::Held, "every expectation held"),
        (ReachState::NotProbed, "no probe of this pair ran"),
    ] {
        let _ = writeln!(
            html,
            "<li><span class=\"swatch {}\">{} {}</span> {meaning}</li>",
            state.label(),
            state.glyph(),
            reach_word(state)
        );
    }
    html.push_str("</ul>\n</section>\n");
}

/// Per-user outcome counts and the order users appear in (evidence first, then users that
/// only have records), counted in one pass.
struct UserCounts {
    order: Vec<SharedName>,
    counts: HashMap<SharedName, OutcomeCounts>,
}

impl UserCounts {
    fn of(results: &RunResults) -> UserCounts {
        let mut order = Vec::new();
        let mut counts: HashMap<SharedName, OutcomeCounts> = HashMap::new();
        for evidence in &results.users {
            let user = SharedName::from(&evidence.user);
            if counts
                .insert(user.clone(), OutcomeCounts::default())
                .is_none()
            {
                order.push(user);
            }
        }
        for record in &results.records {
            let entry = counts.entry(record.user.clone()).or_insert_with(|| {
                order.push(record.user.clone());
                OutcomeCounts::default()
            });
            entry.add_probe(record.outcome);
        }
        UserCounts { order, counts }
    }

    fn of_user(&self, user: &str) -> OutcomeCounts {
        self.counts.get(user).copied().unwrap_or_default()
    }
}

/// The users: who each was on AWS (role, identity id, sign-in flow, groups), the
/// expected-role case, and the user's probe counts.
fn users(html: &mut String, results: &RunResults, by_user: &UserCounts) {
    html.push_str(
        "<section id=\"users\">\n<h2>Users</h2>\n<div class=\"scroll\"><table class=\"users\">\n\
         <thead><tr><th>user</th><th>tenant</th><th>role obtained</th><th>sign-in flow</th>\
         <th>identity id</th><th>groups</th><th>expected role</th><th>probes</th><th>held</th>\
         <th>breach</th><th>unexpected deny</th><th>inconclusive</th><th>sign-in error</th>\
         </tr></thead>\n<tbody>\n",
    );
    let role_cases: HashMap<&str, _> = results
        .role_cases
        .iter()
        .map(|case| (case.user.as_str(), case))
        .collect();
    for user in &by_user.order {
        let evidence = results.user_evidence(user);
        let (class, expected) = match role_cases.get(user.as_str()) {
            Some(case) => (
                role_outcome_label(case.outcome),
                format!(
                    "{} ({})",
                    role_outcome_label(case.outcome),
                    match case.outcome {
                        RoleOutcome::Held => case.expected_role_arn.clone(),
                        RoleOutcome::WrongRole | RoleOutcome::Inconclusive => role_message(case),
                    }
                ),
            ),
            None => ("", String::new()),
        };
        let counts = by_user.of_user(user);
        let field = |value: Option<&str>| escape(value.unwrap_or("")).into_owned();
        let _ = writeln!(
            html,
            "<tr id=\"user-{anchor}\"><th scope=\"row\">{user}</th><td>{tenant}</td>\
             <td title=\"{caller}\"><code>{role}</code></td><td>{flow}</td><td><code>{identity}</code></td>\
             <td>{groups}</td><td class=\"{class}\">{expected}</td><td>{probes}</td>\
             <td>{held}</td><td class=\"{breach_class}\">{breach}</td>\
             <td class=\"{deny_class}\">{deny}</td><td class=\"{inconclusive_class}\">{inconclusive}</td>\
             <td>{error}</td></tr>",
            anchor = anchor(user),
            user = escape(user),
            tenant = field(evidence.map(|e| e.tenant.as_str())),
            caller = field(evidence.and_then(|e| e.caller_arn.as_deref())),
            role = field(
                evidence
                    .and_then(|e| e.role_arn.as_deref().or(e.caller_arn.as_deref()))
                    .map(role_name)
            ),
            flow = field(evidence.and_then(|e| e.sign_in_flow.as_deref())),
            identity = field(evidence.and_then(|e| e.identity_id.as_deref())),
            groups = escape(&evidence.map(|e| e.groups.join(", ")).unwrap_or_default()),
            expected = escape(&expected),
            probes = counts.probes(),
            held = counts.held,
            breach_class = if counts.breach > 0 { "breach" } else { "" },
            breach = counts.breach,
            deny_class = if counts.unexpected_deny > 0 {
                "unexpected-deny"
            } else {
                ""
            },
            deny = counts.unexpected_deny,
            inconclusive_class = if counts.inconclusive > 0 {
                "inconclusive"
            } else {
                ""
            },
            inconclusive = counts.inconclusive,
            error = field(evidence.and_then(|e| e.error.as_deref())),
        );
    }
    html.push_str("</tbody></table></div>\n</section>\n");
}

/// Columns and rows in plan order of first appearance; each cell found through one index
/// built in a single pass over the plan and the records.
fn matrix(html: &mut String, results: &RunResults) {
    let mut column_index: HashMap<String, usize> = HashMap::new();
    let mut columns: Vec<String> = Vec::new();
    let mut row_index: HashMap<&str, usize> = HashMap::new();
    let mut rows: Vec<&str> = Vec::new();
    let mut placed: Vec<(usize, usize, &PlannedProbe)> =
        Vec::with_capacity(results.plan.probes.len());
    for probe in &results.plan.probes {
        let column = column_of(probe);
        let column = match column_index.get(&column) {
            Some(&at) => at,
            None => {
                columns.push(column.clone());
                column_index.insert(column, columns.len() - 1);
                columns.len() - 1
            }
        };
        let row = *row_index.entry(probe.user.as_str()).or_insert_with(|| {
            rows.push(probe.user.as_str());
            rows.len() - 1
        });
        placed.push((row, column, probe));
    }
    html.push_str("<section id=\"matrix\">\n<h2>Matrix</h2>\n");
    let cells = rows.len() * columns.len();
    if cells > MATRIX_CELL_LIMIT {
        let _ = writeln!(
            html,
            "<p class=\"muted\">The matrix has {} users × {} columns ({cells} cells), more \
             than this report draws ({MATRIX_CELL_LIMIT}); the tenant × tenant summary, the \
             users' counts and the failing probes below cover every probe.</p>\n</section>",
            rows.len(),
            columns.len()
        );
        return;
    }
    let mut grid: Vec<Option<&PlannedProbe>> = vec![None; cells];
    for (row, column, probe) in placed {
        // The first probe of a cell wins, as the search it replaces found it.
        grid[row * columns.len() + column].get_or_insert(probe);
    }
    // Only the records the grid shows: at most one per cell, however large the run.
    let shown: HashSet<&ProbeName> = grid.iter().flatten().map(|probe| &probe.name).collect();
    let mut records: HashMap<ProbeName, ProbeRecord> = HashMap::with_capacity(shown.len());
    for record in &results.records {
        if shown.contains(&record.name) && !records.contains_key(&record.name) {
            records.insert(record.name.clone(), record);
        }
    }
    html.push_str(
        "<div class=\"scroll\"><table class=\"matrix\">\n<thead><tr><th scope=\"col\">user</th>",
    );
    for column in &columns {
        let _ = write!(
            html,
            "<th class=\"col\" scope=\"col\">{}</th>",
            escape(column)
        );
    }
    html.push_str("</tr></thead>\n<tbody>\n");
    for (row, user) in rows.iter().enumerate() {
        let evidence = results.user_evidence(user);
        let _ = write!(
            html,
            "<tr><th scope=\"row\"><a href=\"#user-{}\">{}</a>",
            anchor(user),
            escape(user)
        );
        if let Some(evidence) = evidence {
            let role = evidence.role_arn.as_deref().map_or("no role", role_name);
            let _ = write!(
                html,
                "<span class=\"user-evidence\">{} · {}</span>",
                escape(&evidence.tenant),
                escape(role)
            );
        }
        html.push_str("</th>");
        for cell in &grid[row * columns.len()..(row + 1) * columns.len()] {
            let Some(planned) = cell else {
                html.push_str("<td></td>");
                continue;
            };
            match records.get(&planned.name) {
                Some(record) => {
                    let (class, mark) = cell_mark(record);
                    let _ = write!(
                        html,
                        "<td class=\"cell {class}\" title=\"{}\">{mark}</td>",
                        escape(&format!("{}: {}", record.name, probe_message(record))),
                    );
                }
                None => {
                    let _ = write!(
                        html,
                        "<td class=\"cell not-run\" title=\"{}\">· not run</td>",
                        escape(&format!("{}: not run", planned.name))
                    );
                }
            }
        }
        html.push_str("</tr>\n");
    }
    html.push_str("</tbody></table></div>\n</section>\n");
}

/// The matrix column of a probe: `tenant/resource/action`, then `/{shape}` for a request
/// shape case (so a breaching sibling API is never hidden behind its held primary probe);
/// for an attack case `attack/{kind}/{target}`, so every role or victim an attack tries has
/// its own column.
fn column_of(probe: &PlannedProbe) -> String {
    match (&*probe.target, &probe.shape) {
        (ResourceTarget::Identity { attack }, _) => {
            format!("attack/{}/{}", attack.kind, attack.label())
        }
        (_, Some(shape)) => format!(
            "{}/{}/{}/{shape}",
            probe.tenant, probe.resource, probe.action
        ),
        (_, None) => format!("{}/{}/{}", probe.tenant, probe.resource, probe.action),
    }
}

/// The cell's classes and its mark: a glyph and a word, so allow and deny read apart
/// without colour even when both held.
fn cell_mark(record: &ProbeRecord) -> (&'static str, &'static str) {
    match (record.outcome, record.expectation) {
        _ if record.is_waived() => ("waived", "◌ waived"),
        (Outcome::Held, Expectation::Allow) => ("held allow", "✓ allow"),
        (Outcome::Held, Expectation::Deny) => ("held deny", "⊘ deny"),
        (Outcome::Breach, _) => ("breach", "✗ BREACH"),
        (Outcome::UnexpectedDeny, _) => ("unexpected-deny", "⚠ denied"),
        (Outcome::Inconclusive, _) => ("inconclusive", "? inconclusive"),
    }
}

const PROBE_HEADER: &str = "<thead><tr><th>probe</th><th>outcome</th><th>expected</th>\
<th>verdict</th><th>call</th><th>method</th><th>HTTP</th><th>error code</th>\
<th>request id</th><th>rule</th><th>reason</th></tr></thead>\n";

/// Every probe that did not hold, in full: counted in one pass over the records and
/// written in a second, so that a run where everything fails holds none of them.
fn failing(html: &mut String, out: &mut dyn io::Write, results: &RunResults) -> io::Result<()> {
    let is_failing = |record: &ProbeRecord| record.outcome != Outcome::Held;
    let count = results.records.iter().filter(is_failing).count();
    let _ = writeln!(
        html,
        "<section id=\"failing\">\n<h2>Failing and inconclusive probes ({count})</h2>"
    );
    if count == 0 {
        html.push_str("<p>Every probe held.</p>\n</section>\n");
        return hand_over(html, out);
    }
    html.push_str("<div class=\"scroll\"><table class=\"probes\">\n");
    html.push_str(PROBE_HEADER);
    html.push_str("<tbody>\n");
    for (written, record) in results.records.iter().filter(is_failing).enumerate() {
        probe_row(html, &record);
        if (written + 1) % ROWS_PER_FLUSH == 0 {
            hand_over(html, out)?;
        }
    }
    html.push_str("</tbody></table></div>\n</section>\n");
    hand_over(html, out)
}

/// The probes that held, collapsed per user: table rows for an ordinary run, one text block
/// per user for a very large one, so the page stays quick to open.
fn passing(
    html: &mut String,
    out: &mut dyn io::Write,
    results: &RunResults,
    by_user: &UserCounts,
) -> io::Result<()> {
    let held = by_user
        .order
        .iter()
        .map(|user| by_user.of_user(user).held)
        .sum::<usize>();
    let _ = writeln!(
        html,
        "<section id=\"passing\">\n<h2>Probes that held ({held})</h2>"
    );
    let compact = results.records.len() > COMPACT_PASSING_LIMIT;
    // Each user's held records by position, read back a chunk at a time.
    let mut per_user: HashMap<SharedName, Vec<usize>> = HashMap::new();
    for (at, record) in results.records.iter().enumerate() {
        if record.outcome == Outcome::Held {
            per_user.entry(record.user).or_default().push(at);
        }
    }
    for user in &by_user.order {
        let Some(positions) = per_user.get(user) else {
            continue;
        };
        let _ = writeln!(
            html,
            "<details class=\"passing\"><summary>{}: {} held</summary>",
            escape(user),
            positions.len()
        );
        if compact {
            html.push_str("<pre class=\"passing\">probe  expected/verdict\n");
            for rows in positions.chunks(ROWS_PER_FLUSH) {
                for record in results.records.at_positions(rows) {
                    // Name and expectation/verdict only: the evidence has the rest.
                    let _ = writeln!(
                        html,
                        "{}  {}/{}",
                        escape(&record.name.0),
                        expectation_label(record.expectation),
                        verdict_label(record.verdict),
                    );
                }
                hand_over(html, out)?;
            }
            html.push_str("</pre>");
        } else {
            html.push_str("<div class=\"scroll\"><table class=\"probes\">\n");
            html.push_str(PROBE_HEADER);
            html.push_str("<tbody>\n");
            for rows in positions.chunks(ROWS_PER_FLUSH) {
                for record in results.records.at_positions(rows) {
                    probe_row(html, &record);
                }
                hand_over(html, out)?;
            }
            html.push_str("</tbody></table></div>");
        }
        html.push_str("</details>\n");
        hand_over(html, out)?;
    }
    html.push_str("</section>\n");
    hand_over(html, out)
}

fn probe_row(html: &mut String, record: &ProbeRecord) {
    let (class, mark) = cell_mark(record);
    // A waived finding names its waiver where its outcome is: "breach (waived: SEC-1)".
    let mark = if record.is_waived() {
        escape(&super::waiver_report::outcome_with_waiver(record)).into_owned()
    } else {
        mark.to_owned()
    };
    let _ = writeln!(
        html,
        "<tr><td class=\"probe\"><code>{}</code></td><td class=\"cell {class}\">{mark}</td>\
         <td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>\
         <td>{}</td><td>{}</td></tr>",
        escape(&record.name.0),
        expectation_label(record.expectation),
        verdict_cell(record),
        escape(&record.api_call),
        escape(&record.method),
        record
            .http_status
            .map(|status| status.to_string())
            .unwrap_or_default(),
        escape(record.error_code.as_deref().unwrap_or("")),
        escape(record.request_id.as_deref().unwrap_or("")),
        escape(&record.source.to_string()),
        escape(&record.reason),
    );
}

/// The verdict, with a denial of another action than the probed call's spelled out next
/// to it ("denied by kms:Decrypt, not s3:GetObject").
fn verdict_cell(record: &ProbeRecord) -> String {
    let verdict = verdict_label(record.verdict);
    match record.other_denial_summary() {
        Some(summary) => format!(
            "{verdict}<br><span class=\"other-denial\">{}</span>",
            escape(&summary)
        ),
        None => verdict.to_owned(),
    }
}

/// The name at the end of a role or assumed-role ARN; the whole ARN is in the cell's
/// title and in the evidence.
fn role_name(arn: &str) -> &str {
    match arn.split_once(":assumed-role/") {
        Some((_, rest)) => rest.split('/').next().unwrap_or(rest),
        None => arn.rsplit('/').next().unwrap_or(arn),
    }
}

/// A fragment id for a user: letters, digits, `-` and `_` kept, anything else as its code
/// point, so two users never share one.
fn anchor(user: &str) -> String {
    let mut id = String::with_capacity(user.len());
    for ch in user.chars() {
        if ch.is_ascii_alphanumeric() || ch == '-' || ch == '_' {
            id.push(ch);
        } else {
            let _ = write!(id, ".{:x}.", u32::from(ch));
        }
    }
    id
}

/// ` · partial: N of M probes selected` for a filtered run, so that the page is never read
/// as the whole scenario's verdict; nothing for a full run.
fn partial_note(results: &RunResults) -> String {
    let selection = results.selection();
    if selection.partial {
        format!(" · <strong>{}</strong>", escape(&selection.to_string()))
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_role_is_shown_by_its_name() {
        assert_eq!(
            role_name(
                "arn:aws:sts::111122223333:assumed-role/PacificTenantAcme/CognitoIdentityCredentials"
            ),
            "PacificTenantAcme"
        );
        assert_eq!(
            role_name("arn:aws:iam::111122223333:role/path/PacificGuest"),
            "PacificGuest"
        );
    }

    #[test]
    fn anchors_keep_plain_names_and_encode_the_rest_apart() {
        assert_eq!(anchor("acme-ann_1"), "acme-ann_1");
        assert_eq!(anchor("a b"), "a.20.b");
        assert_ne!(anchor("a.b"), anchor("a_b"));
        assert!(!anchor("\"><script>").contains('<'));
    }
}
