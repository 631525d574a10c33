//! One probe attempt: the call made, how it was made, what came back and what it proves.

use super::classify::{Classification, classify};
use super::observation::Observation;
use super::record::ReadEvidence;
use super::service::AwsService;
use super::wire_response::{SeenResponse, WireResponse};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_types::request_id::RequestId;
use sha2::{Digest, Sha256};

/// The result of one probe's calls, before it is joined with the plan into a record.
#[derive(Debug, Clone, PartialEq)]
pub struct Attempt {
    /// `service:Operation` of the call that decided the verdict.
    pub api_call: String,
    /// How the probe proved what it proved (see `ProbeRecord::method`).
    pub method: String,
    pub observation: Option<Observation>,
    pub classification: Classification,
    pub read_evidence: Option<ReadEvidence>,
}

impl Attempt {
    /// Classifies the result of one SDK call made with `wire` attached
    /// (`.customize().interceptor(wire.clone())`), which gives the status seen on the wire.
    pub fn from_result<T, E>(
        service: AwsService,
        api_call: &str,
        method: &str,
        result: &Result<T, SdkError<E, HttpResponse>>,
        wire: &WireResponse,
    ) -> Attempt
    where
        T: RequestId,
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        Attempt::from_checked_result(service, api_call, method, result, wire, |_, _| None)
    }

    /// As `from_result`, with `shape` saying what about a success output is not what the
    /// API reference documents (`None` when it is well-formed).
    pub fn from_checked_result<T, E>(
        service: AwsService,
        api_call: &str,
        method: &str,
        result: &Result<T, SdkError<E, HttpResponse>>,
        wire: &WireResponse,
        shape: impl FnOnce(&T, &SeenResponse) -> Option<String>,
    ) -> Attempt
    where
        T: RequestId,
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        let observation = match result {
            Ok(output) => {
                let seen = wire.seen();
                let mut observation = Observation::success(
                    seen.map(|seen| seen.status),
                    output.request_id().map(str::to_owned),
                );
                observation.shape_problem = seen.as_ref().and_then(|seen| shape(output, seen));
                observation
            }
            Err(error) => Observation::from_sdk_error(error),
        };
        Attempt::from_observation(service, api_call, method, observation)
    }

    pub fn from_observation(
        service: AwsService,
        api_call: &str,
        method: &str,
        observation: Observation,
    ) -> Attempt {
        let classification = classify(service, api_call, &observation);
        Attempt {
            api_call: api_call.to_owned(),
            method: method.to_owned(),
            observation: Some(observation),
            classification,
            read_evidence: None,
        }
    }

    /// A probe that could not be made at all (an action the target does not support, a
    /// ledger that could not be written): Inconclusive, with the reason.
    pub fn not_made(api_call: &str, method: &str, reason: impl Into<String>) -> Attempt {
        Attempt {
            api_call: api_call.to_owned(),
            method: method.to_owned(),
            observation: None,
            classification: Classification::inconclusive(reason),
            read_evidence: None,
        }
    }

    /// Appends a note to the reason (for example that a canary stays in the ledger).
    pub fn with_note(mut self, note: impl AsRef<str>) -> Attempt {
        self.classification.reason.push_str("; ");
        self.classification.reason.push_str(note.as_ref());
        self
    }
}

/// Evidence that `content` was readable: its size and a SHA-256 prefix, never the content.
pub fn read_evidence_of(content: &[u8]) -> ReadEvidence {
    let mut digest = StreamingDigest::default();
    digest.update(content);
    digest.finish()
}

/// Size and SHA-256 of content that arrives in chunks.
#[derive(Default)]
pub struct StreamingDigest {
    hasher: Sha256,
    size_bytes: u64,
}

impl StreamingDigest {
    pub fn update(&mut self, chunk: &[u8]) {
        self.hasher.update(chunk);
        self.size_bytes += chunk.len() as u64;
    }

    /// The first 16 hex digits of the SHA-256, and the size.
    pub fn finish(self) -> ReadEvidence {
        let digest = self.hasher.finalize();
        ReadEvidence {
            size_bytes: self.size_bytes,
            sha256_prefix: hex::encode(&digest[..8]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_evidence_is_size_and_sixteen_hex_digits_of_sha256() {
        let evidence = read_evidence_of(b"abc");
        assert_eq!(evidence.size_bytes, 3);
        // SHA-256("abc") = ba7816bf8f01cfea...
        assert_eq!(evidence.sha256_prefix, "ba7816bf8f01cfea");
    }
}
