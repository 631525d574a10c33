//! The run's redactor: masks every secret it knows (the scenario's passwords and client
//! secret, and every token and credential issued while the run goes on) and everything
//! token- or credential-shaped (see [`super::shapes`]) in text that leaves the process.

use super::shapes::shaped_spans;
use crate::secret::SecretString;
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::ops::Range;
use std::sync::{Arc, PoisonError, RwLock};

/// The mask that replaces a secret.
pub const REDACTED: &str = "***";

/// Masks known and secret-shaped text. Cloning shares what it knows: a secret registered
/// through one clone (the identity layer, when a token is issued) is masked by every other
/// (the scheduler, the console, the report writers).
///
/// The known secrets are held in a few Aho-Corasick automata, in tiers of decreasing sizes
/// (a new secret is a tier of one, which absorbs the newest tiers while they are at most
/// [`TIER_RATIO`] times its size). Registering n secrets rebuilds O(n log n) pattern bytes
/// instead of O(n²) for one automaton rebuilt after every registration, and a scrub is at
/// most log₁₆ n + 1 passes plus one linear scan for shapes.
#[derive(Clone, Default)]
pub struct Redactor {
    known: Arc<RwLock<Known>>,
}

#[derive(Default)]
struct Known {
    secrets: HashSet<SecretString>,
    /// Whether a secret of `secrets` contains a newline.
    multiline: bool,
    /// Every secret of `secrets` in exactly one tier, oldest and largest first.
    tiers: Vec<Tier>,
    /// The tiers' automata, shared with scrubs in progress so a registration never waits
    /// for a scan (and a scan never sees a half-built tier).
    matchers: Arc<[Arc<Matcher>]>,
}

struct Tier {
    /// Shared with the tier's matcher, which checks candidates against them.
    secrets: Arc<[SecretString]>,
    matcher: Arc<Matcher>,
}

/// How many times the size of the next tier a tier is at least: a scrub scans each tier,
/// so few tiers keep the reports' last pass quick.
const TIER_RATIO: usize = 16;

/// How much of a long secret the automata hold: its last this-many bytes. A scan finds
/// that tail and then checks that the whole secret ends there, so a tier of tokens a few
/// thousand bytes long costs a few dozen bytes of automaton each, not their length (the
/// automata were most of what each signed-in user added to a run). The tail, not the head:
/// a pool's tokens share their first hundred bytes (the JWT header), not their signatures.
const TAIL: usize = 32;

enum Matcher {
    Secrets {
        /// One pattern per distinct tail (a secret no longer than [`TAIL`] is its own).
        tails: AhoCorasick,
        /// For each pattern of `tails`, the secrets (places in `secrets`) that end with it.
        ending_with: Vec<Vec<usize>>,
        secrets: Arc<[SecretString]>,
    },
    /// The automaton exceeded its size limits: masking every known secret is impossible,
    /// so everything is masked instead of leaking.
    Everything,
}

impl Matcher {
    /// Every occurrence of every secret, overlapping ones included, so that a secret
    /// containing another, or overlapping another, is masked whole (the spans are merged).
    /// A contiguous NFA, not a DFA: tiers are rebuilt as secrets arrive, a DFA of a few
    /// thousand-byte tokens took most of a sign-in's CPU to build, and the texts scanned
    /// (record fields, report lines) are short.
    fn build(secrets: Arc<[SecretString]>) -> Matcher {
        let mut tails: Vec<&[u8]> = Vec::new();
        let mut ending_with: Vec<Vec<usize>> = Vec::new();
        let mut pattern_of: HashMap<&[u8], usize> = HashMap::new();
        for (place, secret) in secrets.iter().enumerate() {
            let bytes = secret.expose().as_bytes();
            let tail = &bytes[bytes.len().saturating_sub(TAIL)..];
            let pattern = *pattern_of.entry(tail).or_insert_with(|| {
                tails.push(tail);
                ending_with.push(Vec::new());
                tails.len() - 1
            });
            ending_with[pattern].push(place);
        }
        let tails = AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .match_kind(MatchKind::Standard)
            .build(tails);
        match tails {
            Ok(tails) => Matcher::Secrets {
                tails,
                ending_with,
                secrets,
            },
            Err(_) => Matcher::Everything,
        }
    }
}

/// Adds to `spans` the span of each occurrence in `text` of a secret ending with the tail
/// `found` matched.
fn secret_spans(
    text: &str,
    found: &aho_corasick::Match,
    ending_with: &[Vec<usize>],
    secrets: &[SecretString],
    spans: &mut Vec<Range<usize>>,
) {
    let end = found.end();
    for place in &ending_with[found.pattern().as_usize()] {
        let secret = secrets[*place].expose().as_bytes();
        if let Some(start) = end.checked_sub(secret.len())
            && &text.as_bytes()[start..end] == secret
        {
            spans.push(start..end);
        }
    }
}

impl Known {
    /// Adds `secret` in a new tier that absorbs the newest tiers while they are at most
    /// [`TIER_RATIO`] times its size: each tier is more than that many times the size of
    /// the next (at most log₁₆ n + 1 tiers, each a pass of every scrub), and since a tier
    /// holds only tails, rebuilding it costs a few dozen bytes per secret.
    fn add(&mut self, secret: SecretString) {
        self.multiline |= secret.expose().contains('\n');
        let mut secrets = vec![secret];
        while let Some(newest) = self
            .tiers
            .pop_if(|newest| newest.secrets.len() <= TIER_RATIO * secrets.len())
        {
            secrets.extend(newest.secrets.iter().cloned());
        }
        let secrets: Arc<[SecretString]> = secrets.into();
        self.tiers.push(Tier {
            matcher: Arc::new(Matcher::build(secrets.clone())),
            secrets,
        });
        self.publish();
    }

    /// Makes the current tiers the ones the next scrubs scan.
    fn publish(&mut self) {
        self.matchers = self.tiers.iter().map(|tier| tier.matcher.clone()).collect();
    }
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
        let secret = SecretString::new(secret);
        let already_known = self
            .known
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .secrets
            .contains(&secret);
        if already_known {
            return;
        }
        let mut known = self.known.write().unwrap_or_else(PoisonError::into_inner);
        if known.secrets.insert(secret.clone()) {
            known.add(secret);
        }
    }

    /// `text` with every known secret and every secret-shaped run masked; borrowed when
    /// there was nothing to mask.
    pub fn mask<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let matchers = self
            .known
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .matchers
            .clone();
        let mut spans = Vec::new();
        for matcher in matchers.iter() {
            match &**matcher {
                Matcher::Secrets {
                    tails,
                    ending_with,
                    secrets,
                } => {
                    for found in tails.find_overlapping_iter(text) {
                        secret_spans(text, &found, ending_with, secrets, &mut spans);
                    }
                }
                Matcher::Everything if text.is_empty() => {}
                Matcher::Everything => return Cow::Owned(REDACTED.to_owned()),
            }
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
            .multiline
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
    fn every_registered_secret_is_masked_whole_after_each_registration() {
        // Secrets of many lengths, some containing earlier ones and some overlapping them,
        // registered one at a time with a scrub after each (as sign-ins and probes
        // interleave in a run): the tiers merge and split differently at every step.
        let mut secrets: Vec<String> = Vec::new();
        for n in 0..300 {
            let secret = match n % 5 {
                0 => format!("tok{n:03}"),
                1 => format!("<{}>", secrets[n - 1]),
                2 => format!("{}-tail{n}", &secrets[n - 2][..4]),
                3 => format!("key-{}", "z".repeat(n % 13 + 1)),
                _ => format!("ASIA{n:016}"),
            };
            secrets.push(secret);
        }
        let redactor = Redactor::default();
        for (n, secret) in secrets.iter().enumerate() {
            let unregistered = format!("ok{n}");
            redactor.register_str(secret);
            let known = &secrets[..=n];
            let text = format!("{} | {unregistered}", known.join(" | "));
            let expected = format!("{} | {unregistered}", vec![REDACTED; n + 1].join(" | "));
            assert_eq!(redactor.scrub(&text), expected, "after registering {n}");
            let known = redactor.known.read().unwrap();
            let sizes: Vec<usize> = known.tiers.iter().map(|tier| tier.secrets.len()).collect();
            // Each tier more than TIER_RATIO times the next, so at most log₁₆ n + 1 of them.
            assert!(
                sizes.windows(2).all(|pair| pair[0] > TIER_RATIO * pair[1]),
                "{sizes:?}"
            );
            assert!(
                sizes.len() <= (n + 1).ilog(TIER_RATIO) as usize + 1,
                "{sizes:?}"
            );
            assert_eq!(sizes.iter().sum::<usize>(), known.secrets.len());
            assert_eq!(known.matchers.len(), sizes.len());
        }
    }

    #[test]
    fn secrets_that_overlap_are_masked_whole_whichever_tier_holds_them() {
        let redactor = Redactor::new(&[SecretString::new("abcd")]);
        redactor.register_str("one");
        redactor.register_str("cdef");
        assert_eq!(redactor.scrub("xabcdefx"), "x***x");
        redactor.register_str("bc");
        redactor.register_str("efgh");
        assert_eq!(redactor.scrub("abcdefgh abc fgh"), "*** a*** fgh");
    }

    #[test]
    fn a_tier_that_could_not_be_built_masks_everything() {
        let redactor = Redactor::new(&[SecretString::new("hunter2")]);
        {
            let mut known = redactor.known.write().unwrap();
            known.tiers.push(Tier {
                secrets: vec![SecretString::new("unbuildable")].into(),
                matcher: Arc::new(Matcher::Everything),
            });
            known.publish();
        }
        assert_eq!(redactor.scrub("nothing secret here"), REDACTED);
        assert_eq!(redactor.scrub(""), "");
        // A later registration rebuilds the failed tier with the others and keeps masking.
        redactor.register_str("tok-2");
        assert_eq!(redactor.scrub("hunter2 tok-2 unbuildable"), "*** *** ***");
    }

    #[test]
    fn long_secrets_are_found_by_their_tail_and_masked_whole() {
        // Tokens of one pool share a long head and differ in the tail; words with spaces,
        // so that no shape rule masks them.
        let head = "the same long header every token of this pool starts with, ".repeat(3);
        let first = format!("{head}and then the first signature");
        let second = format!("{head}and then the second signature");
        // Same last 32 bytes as `first`, a different head: both are checked.
        let third = format!("another head entirely {}", &first[first.len() - TAIL..]);
        let redactor = Redactor::default();
        for secret in [&first, &second, &third] {
            redactor.register_str(secret);
        }
        assert_eq!(
            redactor.scrub(&format!("{first}|{second}|{third}")),
            "***|***|***"
        );
        // The tail alone, or a head with a signature no one issued, is no known secret.
        let tail_only = &first[first.len() - TAIL..];
        assert_eq!(redactor.scrub(tail_only), tail_only);
        let forged = format!("{head}and then a forged signature");
        assert_eq!(redactor.scrub(&forged), forged);
        // A secret cut off at the start of the text is not matched past its beginning.
        let cut = &first[10..];
        assert_eq!(redactor.scrub(cut), cut);
        // Inside a secret that contains it, a shorter secret is masked with it.
        redactor.register_str("first signature");
        assert_eq!(
            redactor.scrub(&format!("<{first}> first signature")),
            "<***> ***"
        );
    }

    #[test]
    fn a_tier_holds_tails_not_whole_tokens() {
        // Distinct from their first byte, as tokens' payloads are.
        let tokens: Vec<SecretString> = (0..64usize)
            .map(|n| {
                let token: String = (0..2000usize)
                    .map(|i| char::from(b'a' + ((n * 7919 + i * i * 104_729) % 26) as u8))
                    .collect();
                SecretString::new(token)
            })
            .collect();
        let redactor = Redactor::new(&tokens);
        let known = redactor.known.read().unwrap();
        let held: usize = known
            .matchers
            .iter()
            .map(|matcher| match &**matcher {
                Matcher::Secrets { tails, .. } => tails.memory_usage(),
                Matcher::Everything => 0,
            })
            .sum();
        // 64 tokens of 2 kB: the automata hold their 32-byte tails, far below the 128 kB
        // the whole tokens would take.
        assert!(held < 64 * 2000 / 4, "{held} bytes of automata");
        drop(known);
        assert_eq!(redactor.scrub(tokens[17].expose()), REDACTED);
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
