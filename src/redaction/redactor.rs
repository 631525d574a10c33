//! The run's redactor: masks every secret it knows (the scenario's passwords and client
//! secret, and every token and credential issued while the run goes on) and everything
//! token- or credential-shaped (see [`super::shapes`]) in text that leaves the process.

use super::shapes::shaped_spans;
use crate::secret::SecretString;
use aho_corasick::{AhoCorasick, MatchKind};
use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;
use std::ops::Range;
use std::sync::{Arc, PoisonError, RwLock};

/// The mask that replaces a secret.
pub const REDACTED: &str = "***";

/// Masks known and secret-shaped text. Cloning shares what it knows: a secret registered
/// through one clone (the identity layer, when a token is issued) is masked by every other
/// (the scheduler, the console, the report writers).
///
/// One scrub is one pass of an Aho-Corasick automaton over the text for the known secrets
/// plus one linear scan for shapes, whatever the number of secrets. Registering a new
/// secret rebuilds the automaton at the next scrub.
#[derive(Clone, Default)]
pub struct Redactor {
    known: Arc<RwLock<Known>>,
}

#[derive(Default)]
struct Known {
    secrets: HashSet<SecretString>,
    /// The automaton over `secrets`; `None` when a registration made it stale.
    matcher: Option<Arc<Matcher>>,
}

enum Matcher {
    Secrets(AhoCorasick),
    /// The automaton exceeded its size limits: masking every known secret is impossible,
    /// so everything is masked instead of leaking.
    Everything,
}

impl fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Redactor").finish_non_exhaustive()
    }
}

/// Two handles are equal when they share what they know.
impl PartialEq for Redactor {
    fn eq(&self, other: &Redactor) -> bool {
        Arc::ptr_eq(&self.known, &other.known)
    }
}

impl Eq for Redactor {}

impl Redactor {
    /// A redactor that knows `secrets` (and masks shapes from the start).
    pub fn new(secrets: &[SecretString]) -> Redactor {
        let redactor = Redactor::default();
        for secret in secrets {
            redactor.register(secret);
        }
        redactor
    }

    /// From now on, `secret` is masked wherever it appears. Empty secrets would match
    /// everywhere and protect nothing, so they are ignored.
    pub fn register(&self, secret: &SecretString) {
        self.register_str(secret.expose());
    }

    /// [`Redactor::register`] for a secret the SDK hands out as a plain string.
    pub fn register_str(&self, secret: &str) {
        if secret.is_empty() {
            return;
        }
        let already_known = self
            .known
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .secrets
            .contains(&SecretString::new(secret));
        if already_known {
            return;
        }
        let mut known = self.known.write().unwrap_or_else(PoisonError::into_inner);
        if known.secrets.insert(SecretString::new(secret)) {
            known.matcher = None;
        }
    }

    /// `text` with every known secret and every secret-shaped run masked; borrowed when
    /// there was nothing to mask.
    pub fn mask<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let mut spans = Vec::new();
        match self.matcher().as_deref() {
            Some(Matcher::Secrets(automaton)) => {
                spans.extend(automaton.find_iter(text).map(|found| found.range()));
            }
            Some(Matcher::Everything) if !text.is_empty() => {
                return Cow::Owned(REDACTED.to_owned());
            }
            Some(Matcher::Everything) | None => {}
        }
        shaped_spans(text, &mut spans);
        if spans.is_empty() {
            return Cow::Borrowed(text);
        }
        merge(&mut spans);
        let mut masked = String::with_capacity(text.len());
        let mut copied = 0;
        for span in spans {
            masked.push_str(&text[copied..span.start]);
            masked.push_str(REDACTED);
            copied = span.end;
        }
        masked.push_str(&text[copied..]);
        Cow::Owned(masked)
    }

    pub fn scrub(&self, text: &str) -> String {
        self.mask(text).into_owned()
    }

    pub fn scrub_in_place(&self, text: &mut String) {
        if let Cow::Owned(masked) = self.mask(text) {
            *text = masked;
        }
    }

    pub fn scrub_option(&self, text: &mut Option<String>) {
        if let Some(text) = text {
            self.scrub_in_place(text);
        }
    }

    /// Whether a known secret contains a newline: text can then be scrubbed only whole,
    /// never one line at a time (see [`crate::report::scrubbing_writer`]).
    pub fn knows_a_multiline_secret(&self) -> bool {
        self.known
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .secrets
            .iter()
            .any(|secret| secret.expose().contains('\n'))
    }

    /// The automaton over the known secrets, rebuilt if a registration made it stale.
    fn matcher(&self) -> Option<Arc<Matcher>> {
        {
            let known = self.known.read().unwrap_or_else(PoisonError::into_inner);
            if known.secrets.is_empty() {
                return None;
            }
            if let Some(matcher) = &known.matcher {
                return Some(matcher.clone());
            }
        }
        let mut known = self.known.write().unwrap_or_else(PoisonError::into_inner);
        if known.matcher.is_none() {
            // Leftmost-longest, so a secret containing another is masked whole.
            let built = AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(known.secrets.iter().map(SecretString::expose));
            let matcher = built.map_or(Matcher::Everything, Matcher::Secrets);
            known.matcher = Some(Arc::new(matcher));
        }
        known.matcher.clone()
    }
}

/// Sorts `spans` and merges the ones that overlap or touch.
pub(crate) fn merge(spans: &mut Vec<Range<usize>>) {
    spans.sort_by_key(|span| (span.start, std::cmp::Reverse(span.end)));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(spans.len());
    for span in spans.drain(..) {
        match merged.last_mut() {
            Some(last) if span.start <= last.end => last.end = last.end.max(span.end),
            _ => merged.push(span),
        }
    }
    *spans = merged;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_every_known_secret_and_keeps_the_rest() {
        let redactor = Redactor::new(&[
            SecretString::new("hunter2"),
            SecretString::new(""),
            SecretString::new("hunter2-long"),
        ]);
        assert_eq!(
            redactor.scrub("bad password hunter2-long then hunter2."),
            "bad password *** then ***."
        );
        assert!(matches!(redactor.mask("nothing here"), Cow::Borrowed(_)));
    }

    #[test]
    fn a_secret_registered_through_one_clone_is_masked_by_every_clone() {
        let scheduler = Redactor::new(&[SecretString::new("Pa55word!")]);
        let identity = scheduler.clone();
        assert_eq!(scheduler.scrub("issued tok-123"), "issued tok-123");
        identity.register_str("tok-123");
        identity.register_str("tok-123");
        identity.register_str("");
        assert_eq!(
            scheduler.scrub("issued tok-123 for Pa55word!"),
            "issued *** for ***"
        );
        assert_eq!(scheduler, identity);
        assert_ne!(scheduler, Redactor::default());
    }

    #[test]
    fn shapes_are_masked_without_registration_in_the_same_pass() {
        let redactor = Redactor::new(&[SecretString::new("hunter2")]);
        let jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln";
        assert_eq!(
            redactor.scrub(&format!(
                "pw hunter2 token {jwt}, key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY."
            )),
            "pw *** token ***, key ***."
        );
    }

    #[test]
    fn overlapping_known_and_shaped_spans_become_one_mask() {
        let token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln";
        let redactor = Redactor::new(&[SecretString::new(&token[10..30])]);
        assert_eq!(redactor.scrub(&format!("<{token}>")), "<***>");
    }

    #[test]
    fn many_secrets_cost_one_pass() {
        let secrets: Vec<SecretString> = (0..2000)
            .map(|n| SecretString::new(format!("secret-{n:05}-value")))
            .collect();
        let redactor = Redactor::new(&secrets);
        let text = "x".repeat(100_000) + "secret-01999-value";
        let started = std::time::Instant::now();
        for _ in 0..20 {
            assert!(redactor.scrub(&text).ends_with(REDACTED));
        }
        // 20 scans of 100 kB against 2000 secrets; a scan per secret would take seconds.
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
    }
}
