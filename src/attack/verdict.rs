//! Attempts of attacks: what was called, what came back, and the verdict, in the shape the
//! probe records use.

use super::refusal::{IdentityCall, classify_refusal};
use crate::probe::{Attempt, Classification, Observation, Verdict};

/// The attack obtained what it tried for.
pub fn obtained(call: IdentityCall, method: &str, reason: String) -> Attempt {
    Attempt {
        api_call: call.api().to_owned(),
        method: method.to_owned(),
        observation: Some(Observation::success(None, None)),
        classification: Classification {
            verdict: Verdict::Allowed,
            denial: None,
            reason,
        },
        read_evidence: None,
    }
}

/// The call gave nothing: a documented refusal (Denied) or Inconclusive.
pub fn refused(call: IdentityCall, method: &str, observation: Observation) -> Attempt {
    let classification = classify_refusal(call, &observation);
    Attempt {
        api_call: call.api().to_owned(),
        method: method.to_owned(),
        observation: Some(observation),
        classification,
        read_evidence: None,
    }
}

/// Proved nothing, for `reason`.
pub fn not_tried(call: IdentityCall, method: &str, reason: String) -> Attempt {
    Attempt::not_made(call.api(), method, reason)
}

/// Denied by evidence other than an error: the pool answered, but not with what the
/// attack asked for (for example credentials for the user's own role, CustomRoleArn
/// ignored).
pub fn not_obtained(call: IdentityCall, method: &str, reason: String) -> Attempt {
    Attempt {
        api_call: call.api().to_owned(),
        method: method.to_owned(),
        observation: Some(Observation::success(None, None)),
        classification: Classification {
            verdict: Verdict::Denied,
            denial: None,
            reason,
        },
        read_evidence: None,
    }
}
