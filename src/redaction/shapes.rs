//! Masking by shape: text that looks like a token or a credential is masked even when
//! nobody registered it (a token local staging or AWS issued to a call the harness never
//! saw the answer of, a value an error message echoes in part).
//!
//! Two shapes, chosen so that what a report must show stays readable (ARNs, request ids,
//! UUIDs, identity ids, SHA-256 prefixes, access key ids, SigV4 signatures):
//!
//! - **JWT-shaped**: a run of base64url characters and dots that starts with `eyJ` (the
//!   base64url of `{"`, how every JWS and JWE header starts: RFC 7515 §7.1, RFC 7516 §7.1)
//!   and is at least [`MIN_JWT_LEN`] long. Cognito's ID and access tokens are JWS, its
//!   refresh tokens JWE, GetOpenIdToken's token a JWS
//!   (https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-with-identity-providers.html).
//!   A truncated token (an echo cut short) is masked too: the dots are not required.
//! - **Credential-shaped**: a run of standard base64 characters (`A-Z a-z 0-9 + / =`, and `%`
//!   for a URL-encoded one) at least [`MIN_CREDENTIAL_LEN`] long that mixes upper case,
//!   lower case and digits. A secret access key is 40 such characters
//!   (`wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY` in
//!   https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html); a
//!   session token is longer, of no fixed size
//!   (https://docs.aws.amazon.com/STS/latest/APIReference/API_Credentials.html). Hex
//!   (SHA-256, signatures, S3 request ids) is never mixed case, ARNs and UUIDs break into
//!   short runs at `:` and `-`, and access key ids are 20 characters.

use std::ops::Range;

/// The shortest `eyJ…` run masked as a token.
pub const MIN_JWT_LEN: usize = 16;
/// The shortest base64 run masked as a credential: a secret access key's length.
pub const MIN_CREDENTIAL_LEN: usize = 40;

/// Appends the byte ranges of every token- or credential-shaped run in `text`. The ranges
/// may overlap; the caller merges them.
pub fn shaped_spans(text: &str, spans: &mut Vec<Range<usize>>) {
    jwt_spans(text.as_bytes(), spans);
    credential_spans(text.as_bytes(), spans);
}

/// `eyJ` not preceded by a letter or digit, then base64url characters and dots.
fn jwt_spans(bytes: &[u8], spans: &mut Vec<Range<usize>>) {
    let mut at = 0;
    while let Some(found) = find_jwt_start(&bytes[at..]) {
        let start = at + found;
        let end = run_end(bytes, start, is_jwt_char);
        let at_boundary = start == 0 || !bytes[start - 1].is_ascii_alphanumeric();
        if at_boundary && end - start >= MIN_JWT_LEN {
            spans.push(start..end);
        }
        at = end.max(start + 1);
    }
}

/// Maximal runs of base64 characters (padding only at the end, so `key=value` splits).
fn credential_spans(bytes: &[u8], spans: &mut Vec<Range<usize>>) {
    let mut at = 0;
    while at < bytes.len() {
        if !is_base64(bytes[at]) {
            at += 1;
            continue;
        }
        let body_end = run_end(bytes, at, is_base64);
        let end = run_end(bytes, body_end, |byte| byte == b'=');
        if end - at >= MIN_CREDENTIAL_LEN && mixes_cases_and_digits(&bytes[at..body_end]) {
            spans.push(at..end);
        }
        at = end;
    }
}

/// The first `eyJ` in `haystack`, by aho-corasick's vectorised substring search: every
/// report is scanned whole, and a window-by-window comparison was most of the time it took
/// to write one.
fn find_jwt_start(haystack: &[u8]) -> Option<usize> {
    static JWT_START: std::sync::LazyLock<aho_corasick::AhoCorasick> =
        std::sync::LazyLock::new(|| {
            aho_corasick::AhoCorasick::new([b"eyJ"])
                .expect("a three-byte literal is a valid pattern")
        });
    JWT_START.find(haystack).map(|found| found.start())
}

fn run_end(bytes: &[u8], start: usize, member: fn(u8) -> bool) -> usize {
    bytes[start..]
        .iter()
        .position(|&byte| !member(byte))
        .map_or(bytes.len(), |length| start + length)
}

/// Byte classes by table: one load per byte of every report scanned.
const fn class_table(extra: &[u8]) -> [bool; 256] {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = (byte as u8).is_ascii_alphanumeric();
        byte += 1;
    }
    let mut i = 0;
    while i < extra.len() {
        table[extra[i] as usize] = true;
        i += 1;
    }
    table
}

static JWT_CHARS: [bool; 256] = class_table(b"-_.");
static BASE64_CHARS: [bool; 256] = class_table(b"+/%");

fn is_jwt_char(byte: u8) -> bool {
    JWT_CHARS[byte as usize]
}

fn is_base64(byte: u8) -> bool {
    BASE64_CHARS[byte as usize]
}

fn mixes_cases_and_digits(run: &[u8]) -> bool {
    run.iter().any(u8::is_ascii_uppercase)
        && run.iter().any(u8::is_ascii_lowercase)
        && run.iter().any(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked(text: &str) -> Vec<&str> {
        let mut spans = Vec::new();
        shaped_spans(text, &mut spans);
        crate::redaction::redactor::merge(&mut spans);
        spans.into_iter().map(|span| &text[span]).collect()
    }

    const JWT: &str = "eyJraWQiOiJrMSIsImFsZyI6IlJTMjU2In0.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl-_x";
    const SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    #[test]
    fn a_jwt_is_masked_whole_wherever_it_sits() {
        let text =
            format!("Value '{{cognito-idp.us-east-1.amazonaws.com/pool={JWT}}}' at 'logins'");
        assert_eq!(masked(&text), [JWT]);
        assert_eq!(masked(&format!("\"IdToken\":\"{JWT}\"")), [JWT]);
        assert_eq!(masked(&format!("Bearer_{JWT}")), [JWT]);
    }

    #[test]
    fn a_jwe_refresh_token_and_a_truncated_jwt_are_masked() {
        let jwe = "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIn0.a2V5.aXY.Y2lwaGVy.dGFn";
        assert_eq!(masked(jwe), [jwe]);
        assert_eq!(
            masked("token eyJraWQiOiJrMSIsImFsZy..."),
            ["eyJraWQiOiJrMSIsImFsZy..."]
        );
    }

    #[test]
    fn secret_keys_and_session_tokens_are_masked() {
        let session_token = format!("IQoJb3JpZ2luX2VjE{}/+Zz9==", "A1b2".repeat(60));
        let text = format!("key={SECRET_KEY}; X-Amz-Security-Token: {session_token}");
        assert_eq!(masked(&text), [SECRET_KEY, session_token.as_str()]);
        assert_eq!(
            masked("tok=IQoJb3JpZ2luX2VjE%2BAbCdEfGh1234567890%2FAbCdEfGhIjKlMnOp%3D"),
            ["IQoJb3JpZ2luX2VjE%2BAbCdEfGh1234567890%2FAbCdEfGhIjKlMnOp%3D"]
        );
    }

    #[test]
    fn what_reports_must_show_stays_readable() {
        for readable in [
            "arn:aws:iam::111122223333:role/PacificTenantAcme",
            "arn:aws:sts::111122223333:assumed-role/PacificTenantAcme/xtenant-acme-alice",
            "arn:aws:s3:::pacific-tenant-data/globex/documents/contract.txt",
            "arn:aws:iam::111122223333:role/service-role/VeryLongRoleNameWithoutAnyDigitsInItAtAll",
            "request id 9f3b2c1e-4d5a-4b6c-8d7e-0f1a2b3c4d5e",
            "x-amz-request-id 4442587FB7D0A2F9",
            "sha256 prefix 3a7bd3e2360a3d29 of eeeeeeeeeeeeeeee",
            "sha256 3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b",
            "identity us-east-1:0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
            "Credential=ASIAIOSFODNN7EXAMPLE/20260101/us-east-1/s3/aws4_request",
            "Signature=fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024",
            "acme-alice::globex/contract::read is not authorized to perform: s3:GetObject",
            "eyJ is just three letters, eyJhbGci is short, keyJustWordsHereAndMore stays",
        ] {
            assert_eq!(masked(readable), Vec::<&str>::new(), "{readable}");
        }
    }
}
