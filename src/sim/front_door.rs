//! Authentication of a signed request: clock skew, the access key, the session token, the
//! SigV4 signature and the payload (hash or aws-chunked trailer checksum).

use super::auth_error::AuthError;
use super::aws_chunked;
use super::core::SimCore;
use super::principal::{Principal, PrincipalKind};
use super::router::ServiceName;
use super::sigv4::{self, CanonicalInput, SignatureClaim};
use super::state::SimState;
use crate::secret::SecretString;
use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// How far a request's time may be from the server's.
/// See <https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList> (RequestTimeTooSkewed).
const MAX_CLOCK_SKEW: Duration = Duration::from_secs(15 * 60);
/// A presigned URL lives at most seven days.
/// See <https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html>.
const MAX_PRESIGNED_SECONDS: u64 = 604_800;

/// `x-amz-content-sha256` values that are not a hash.
/// See <https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html>.
const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
const STREAMING_UNSIGNED_TRAILER: &str = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
/// Signed chunks, with or without a signed trailer.
/// See <https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html>.
const STREAMING_SIGNED: &str = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
const STREAMING_SIGNED_TRAILER: &str = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";

/// A request whose signature checked out. No `Debug`: the headers carry the signature and
/// the session token.
pub struct Authenticated {
    pub caller: Arc<Principal>,
    /// The payload, with aws-chunked framing removed.
    pub body: Bytes,
    /// The headers, with `aws-chunked` removed from `Content-Encoding` and trailer
    /// checksums added as headers.
    pub headers: HeaderMap,
}

/// The parts of the request the signature covers. No `Debug`, for the same reason.
pub struct SignedParts<'a> {
    pub service: ServiceName,
    pub method: &'a Method,
    pub raw_path: &'a str,
    pub raw_query: &'a str,
    pub headers: HeaderMap,
    pub body: Bytes,
}

pub fn authenticate(
    state: &SimState,
    claim: &SignatureClaim,
    parts: SignedParts<'_>,
) -> Result<Authenticated, AuthError> {
    // IAM is global: AWS's endpoint is signed for us-east-1 whatever the account's region
    // (https://docs.aws.amazon.com/general/latest/gr/iam-service.html); a client pointed at
    // local staging's endpoint signs for its own configured region, the world's.
    let iam_global = parts.service == ServiceName::Iam && claim.region == "us-east-1";
    if claim.region != state.region() && !iam_global {
        return Err(AuthError::WrongRegion(claim.region.clone()));
    }
    check_time(claim, state.now())?;
    let (secret, caller) = resolve_credentials(state, claim)?;

    let mut headers = parts.headers;
    let content_sha256 = headers
        .get("x-amz-content-sha256")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let payload_hash = match &content_sha256 {
        Some(value) => value.clone(),
        None if claim.presigned_expires_seconds.is_some() && parts.service == ServiceName::S3 => {
            UNSIGNED_PAYLOAD.to_string()
        }
        None => sigv4::sha256_hex(&parts.body),
    };
    let canonical = sigv4::canonical_request(&CanonicalInput {
        method: parts.method.as_str(),
        raw_path: parts.raw_path,
        raw_query: parts.raw_query,
        headers: &headers,
        signed_headers: &claim.signed_headers,
        payload_hash: &payload_hash,
        double_encode_path: parts.service.double_encodes_path(),
    })?;
    let signing_key = state.signing_keys().key(&secret, claim);
    let expected = sigv4::signature_with_key(&signing_key, claim, &canonical);
    if !sigv4::signatures_match(&expected, &claim.signature) {
        return Err(AuthError::SignatureMismatch);
    }

    let body = match payload_hash.as_str() {
        UNSIGNED_PAYLOAD => parts.body,
        STREAMING_UNSIGNED_TRAILER => decode_chunked(&mut headers, &parts.body, None)?,
        STREAMING_SIGNED | STREAMING_SIGNED_TRAILER => {
            let chain = SignatureChain {
                signing_key,
                claim,
                signed_trailer: payload_hash == STREAMING_SIGNED_TRAILER,
            };
            decode_chunked(&mut headers, &parts.body, Some(&chain))?
        }
        hash if hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()) => {
            if sigv4::sha256_hex(&parts.body) != hash.to_ascii_lowercase() {
                return Err(AuthError::ContentHashMismatch);
            }
            parts.body
        }
        other => return Err(AuthError::UnsupportedPayload(other.to_string())),
    };
    Ok(Authenticated {
        caller,
        body,
        headers,
    })
}

fn check_time(claim: &SignatureClaim, now: SystemTime) -> Result<(), AuthError> {
    let signed_at = sigv4::parse_amz_date(&claim.amz_date)
        .ok_or_else(|| AuthError::Malformed("X-Amz-Date is not YYYYMMDDTHHMMSSZ".into()))?;
    if signed_at > now + MAX_CLOCK_SKEW {
        return Err(AuthError::RequestTimeTooSkewed);
    }
    match claim.presigned_expires_seconds {
        Some(expires) => {
            if expires > MAX_PRESIGNED_SECONDS {
                return Err(AuthError::Malformed(
                    "X-Amz-Expires must be at most 604800 seconds".into(),
                ));
            }
            if now > signed_at + Duration::from_secs(expires) {
                return Err(AuthError::PresignedExpired);
            }
        }
        None => {
            if signed_at + MAX_CLOCK_SKEW < now {
                return Err(AuthError::RequestTimeTooSkewed);
            }
        }
    }
    Ok(())
}

/// The secret that signs for the access key, and the caller it stands for. A session's
/// token must come with it, and the session must not have expired.
fn resolve_credentials(
    state: &SimState,
    claim: &SignatureClaim,
) -> Result<(SecretString, Arc<Principal>), AuthError> {
    if let Some(key) = state.iam().access_key(&claim.access_key_id) {
        if claim.session_token.is_some() {
            return Err(AuthError::InvalidToken);
        }
        let user = state
            .iam()
            .user_by_arn(&key.user_arn)
            .ok_or(AuthError::UnknownAccessKey)?;
        let principal = Principal {
            kind: PrincipalKind::IamUser {
                user_name: user.name.clone(),
            },
            arn: user.arn.clone(),
            account: user.account.clone(),
            userid: user.user_id.clone(),
            access_key_id: claim.access_key_id.clone(),
            principal_tags: user.tags.clone(),
            session_policies: None,
            federated_context: Default::default(),
            expires: None,
        };
        return Ok((key.secret_access_key.clone(), Arc::new(principal)));
    }
    let session = state
        .sessions()
        .get(&claim.access_key_id)
        .ok_or(AuthError::UnknownAccessKey)?;
    let token_matches = claim.session_token.as_ref().is_some_and(|token| {
        sigv4::signatures_match(session.session_token.expose(), token.expose())
    });
    if !token_matches {
        return Err(AuthError::InvalidToken);
    }
    if session
        .principal
        .expires
        .is_some_and(|expires| expires <= state.now())
    {
        return Err(AuthError::ExpiredToken);
    }
    Ok((session.secret_access_key, session.principal))
}

/// What a signed streaming upload's chunks are checked against.
struct SignatureChain<'a> {
    signing_key: sigv4::DerivedKey,
    claim: &'a SignatureClaim,
    signed_trailer: bool,
}

impl SignatureChain<'_> {
    /// Each chunk signs over the previous signature, starting from the request's; the
    /// trailer signs over the last chunk's.
    fn verify(&self, decoded: &aws_chunked::DecodedBody) -> Result<(), AuthError> {
        let mut previous = self.claim.signature.clone();
        for chunk in &decoded.chunks {
            let expected = sigv4::streaming_signature(
                &self.signing_key,
                self.claim,
                "AWS4-HMAC-SHA256-PAYLOAD",
                &previous,
                &format!("{}\n{}", sigv4::sha256_hex(b""), chunk.data_sha256),
            );
            let given = chunk.signature.as_deref().unwrap_or_default();
            if !sigv4::signatures_match(&expected, given) {
                return Err(AuthError::SignatureMismatch);
            }
            previous = expected;
        }
        let has_trailers = decoded
            .trailers
            .iter()
            .any(|(name, _)| name != aws_chunked::TRAILER_SIGNATURE);
        if !has_trailers {
            return Ok(());
        }
        if !self.signed_trailer {
            // Trailers on a body whose mode signs none would be unsigned data.
            return Err(AuthError::MalformedChunkedBody(
                "trailers on a body without a signed trailer".into(),
            ));
        }
        let expected = sigv4::streaming_signature(
            &self.signing_key,
            self.claim,
            "AWS4-HMAC-SHA256-TRAILER",
            &previous,
            &sigv4::sha256_hex(decoded.canonical_trailers().as_bytes()),
        );
        let given = decoded
            .trailer(aws_chunked::TRAILER_SIGNATURE)
            .unwrap_or_default();
        if !sigv4::signatures_match(&expected, given) {
            return Err(AuthError::SignatureMismatch);
        }
        Ok(())
    }
}

fn decode_chunked(
    headers: &mut HeaderMap,
    body: &[u8],
    chain: Option<&SignatureChain<'_>>,
) -> Result<Bytes, AuthError> {
    let decoded = aws_chunked::decode(body)?;
    if let Some(chain) = chain {
        chain.verify(&decoded)?;
    }
    let announced: Vec<String> = headers
        .get_all("x-amz-trailer")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|v| v.trim().to_ascii_lowercase())
        .filter(|v| !v.is_empty())
        .collect();
    aws_chunked::verify_trailers(&decoded, &announced)?;
    if let Some(length) = headers
        .get("x-amz-decoded-content-length")
        .and_then(|v| v.to_str().ok())
        && length.parse::<usize>().ok() != Some(decoded.payload.len())
    {
        return Err(AuthError::MalformedChunkedBody(
            "the payload length differs from x-amz-decoded-content-length".into(),
        ));
    }
    // The service sees the object's own encoding, without the transfer framing.
    let remaining: Vec<String> = headers
        .get_all(http::header::CONTENT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|v| !v.is_empty() && !v.eq_ignore_ascii_case("aws-chunked"))
        .map(str::to_string)
        .collect();
    headers.remove(http::header::CONTENT_ENCODING);
    if !remaining.is_empty()
        && let Ok(value) = HeaderValue::from_str(&remaining.join(","))
    {
        headers.insert(http::header::CONTENT_ENCODING, value);
    }
    headers.insert(
        http::header::CONTENT_LENGTH,
        HeaderValue::from(decoded.payload.len()),
    );
    for (name, value) in &decoded.trailers {
        if name == aws_chunked::TRAILER_SIGNATURE {
            continue;
        }
        if let (Ok(name), Ok(value)) = (
            http::HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            headers.insert(name, value);
        }
    }
    Ok(decoded.payload)
}
