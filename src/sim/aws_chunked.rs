//! The `aws-chunked` content encoding that aws-sdk-s3 uses for streamed uploads: decoding
//! the frames, checking each chunk's signature (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]`,
//! the SDK's choice over plain HTTP) and the trailing checksum
//! (`STREAMING-UNSIGNED-PAYLOAD-TRAILER` too).
//! See <https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html> and
//! <https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html>.

use super::auth_error::AuthError;
use aws_smithy_checksums::ChecksumAlgorithm;
use base64::Engine;
use bytes::{Bytes, BytesMut};

/// The trailer that carries the signature of the other trailers.
pub const TRAILER_SIGNATURE: &str = "x-amz-trailer-signature";

/// A decoded aws-chunked body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedBody {
    pub payload: Bytes,
    /// Every chunk in order, the final empty one included.
    pub chunks: Vec<ChunkRecord>,
    /// Trailer headers, names lower-cased, for example `x-amz-checksum-crc32`.
    pub trailers: Vec<(String, String)>,
}

/// What a chunk contributes to the signature chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChunkRecord {
    /// Hex SHA-256 of the chunk's data.
    pub data_sha256: String,
    /// The `chunk-signature` extension, when the chunk has one.
    pub signature: Option<String>,
}

impl DecodedBody {
    /// The trailers other than the trailer signature, as the trailer signature covers
    /// them: sorted by name, each `name:value\n`.
    pub fn canonical_trailers(&self) -> String {
        let mut signed: Vec<&(String, String)> = self
            .trailers
            .iter()
            .filter(|(name, _)| name != TRAILER_SIGNATURE)
            .collect();
        signed.sort();
        signed
            .iter()
            .map(|(name, value)| format!("{name}:{value}\n"))
            .collect()
    }

    pub fn trailer(&self, name: &str) -> Option<&str> {
        self.trailers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Decodes `hex-size[;extensions]\r\n data\r\n ... 0\r\n trailers \r\n`.
pub fn decode(body: &[u8]) -> Result<DecodedBody, AuthError> {
    let malformed = |detail: &str| AuthError::MalformedChunkedBody(detail.to_string());
    let mut payload = BytesMut::new();
    let mut chunks = Vec::new();
    let mut rest = body;
    loop {
        let line_end = find_crlf(rest).ok_or_else(|| malformed("a chunk header has no CRLF"))?;
        let header = std::str::from_utf8(&rest[..line_end])
            .map_err(|_| malformed("a chunk header is not text"))?;
        let mut fields = header.split(';');
        let size_text = fields.next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_text, 16)
            .map_err(|_| malformed("a chunk size is not hexadecimal"))?;
        let signature = fields
            .filter_map(|f| f.trim().strip_prefix("chunk-signature="))
            .map(str::to_string)
            .next();
        rest = &rest[line_end + 2..];
        if size == 0 {
            chunks.push(ChunkRecord {
                data_sha256: super::sigv4::sha256_hex(b""),
                signature,
            });
            break;
        }
        // A hostile size near usize::MAX must not overflow the bounds check.
        let chunk_end = size
            .checked_add(2)
            .filter(|&end| end <= rest.len())
            .ok_or_else(|| malformed("a chunk is shorter than its size"))?;
        if &rest[size..chunk_end] != b"\r\n" {
            return Err(malformed("a chunk is shorter than its size"));
        }
        payload.extend_from_slice(&rest[..size]);
        chunks.push(ChunkRecord {
            data_sha256: super::sigv4::sha256_hex(&rest[..size]),
            signature,
        });
        rest = &rest[size + 2..];
    }
    let mut trailers = Vec::new();
    loop {
        let line_end = find_crlf(rest).ok_or_else(|| malformed("the trailer has no CRLF"))?;
        let line = std::str::from_utf8(&rest[..line_end])
            .map_err(|_| malformed("a trailer is not text"))?;
        rest = &rest[line_end + 2..];
        if line.is_empty() {
            break;
        }
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| malformed("a trailer has no `:`"))?;
        trailers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
    }
    if !rest.is_empty() {
        return Err(malformed("bytes follow the final CRLF"));
    }
    Ok(DecodedBody {
        payload: payload.freeze(),
        chunks,
        trailers,
    })
}

/// Checks every `x-amz-checksum-*` trailer against the payload, and that each trailer the
/// `x-amz-trailer` header announced is present.
pub fn verify_trailers(decoded: &DecodedBody, announced: &[String]) -> Result<(), AuthError> {
    for name in announced {
        if !decoded.trailers.iter().any(|(n, _)| n == name) {
            return Err(AuthError::MalformedChunkedBody(format!(
                "the announced trailer `{name}` is missing"
            )));
        }
    }
    for (name, value) in &decoded.trailers {
        let Some(algorithm_name) = name.strip_prefix("x-amz-checksum-") else {
            continue;
        };
        let algorithm: ChecksumAlgorithm = algorithm_name
            .parse()
            .map_err(|_| AuthError::UnsupportedPayload(format!("checksum {algorithm_name}")))?;
        let mut checksum = algorithm.into_impl();
        checksum.update(&decoded.payload);
        let expected = base64::engine::general_purpose::STANDARD.encode(checksum.finalize());
        if &expected != value {
            return Err(AuthError::ChecksumMismatch(algorithm_name.to_uppercase()));
        }
    }
    Ok(())
}

fn find_crlf(bytes: &[u8]) -> Option<usize> {
    bytes.windows(2).position(|w| w == b"\r\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// CRC32 of `Hello world` is 0x8bd69e52, base64 `i9aeUg==`.
    const BODY: &[u8] = b"6\r\nHello \r\n5\r\nworld\r\n0\r\nx-amz-checksum-crc32:i9aeUg==\r\n\r\n";

    #[test]
    fn decodes_frames_and_verifies_the_crc32_trailer() {
        let decoded = decode(BODY).unwrap();
        assert_eq!(&decoded.payload[..], b"Hello world");
        assert_eq!(
            decoded.trailers,
            vec![("x-amz-checksum-crc32".to_string(), "i9aeUg==".to_string())]
        );
        verify_trailers(&decoded, &["x-amz-checksum-crc32".to_string()]).unwrap();
    }

    #[test]
    fn a_wrong_checksum_is_refused() {
        let body = b"5\r\nworld\r\n0\r\nx-amz-checksum-crc32:i9aeUg==\r\n\r\n";
        let decoded = decode(body).unwrap();
        assert_eq!(
            verify_trailers(&decoded, &[]),
            Err(AuthError::ChecksumMismatch("CRC32".to_string()))
        );
    }

    #[test]
    fn a_missing_announced_trailer_is_refused() {
        let decoded = decode(b"0\r\n\r\n").unwrap();
        assert!(matches!(
            verify_trailers(&decoded, &["x-amz-checksum-crc32".to_string()]),
            Err(AuthError::MalformedChunkedBody(_))
        ));
    }

    #[test]
    fn a_truncated_chunk_is_refused() {
        assert!(matches!(
            decode(b"a\r\nshort\r\n0\r\n\r\n"),
            Err(AuthError::MalformedChunkedBody(_))
        ));
    }

    #[test]
    fn a_chunk_size_near_the_address_space_is_refused_not_a_panic() {
        for body in [
            &b"ffffffffffffffff\r\nHello\r\n0\r\n\r\n"[..],
            b"fffffffffffffffe\r\nHello\r\n0\r\n\r\n",
            b"fffffffffffffffffffffffff\r\nHello\r\n0\r\n\r\n",
        ] {
            assert!(matches!(
                decode(body),
                Err(AuthError::MalformedChunkedBody(_))
            ));
        }
    }
}
