//! The client side of Cognito's SRP-6a (USER_SRP_AUTH / PASSWORD_VERIFIER).
//!
//! Written here rather than taken from a crate: the maintained candidate (`aws-cognito-srp`)
//! is passively maintained, skips SRP-6a's `B mod N != 0` and `u != 0` safety checks, and
//! pulls a second generation of the RustCrypto crates. The math follows AWS's own clients
//! (amazon-cognito-identity-js `AuthenticationHelper`) and is pinned by a published vector.

use crate::secret::SecretString;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use num_bigint::BigUint;
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::fmt;
use std::sync::LazyLock;
use time::OffsetDateTime;
use time::macros::format_description;

/// The 3072-bit MODP group prime of RFC 3526 §4, which Cognito uses with g = 2.
const N_HEX: &str = concat!(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74",
    "020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437",
    "4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED",
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05",
    "98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB",
    "9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B",
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718",
    "3995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33",
    "A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7",
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864",
    "D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E2",
    "08E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
);

static N: LazyLock<BigUint> =
    LazyLock::new(|| BigUint::parse_bytes(N_HEX.as_bytes(), 16).expect("N is valid hex"));
static G: LazyLock<BigUint> = LazyLock::new(|| BigUint::from(2u8));
/// k = H(pad(N) || pad(g)).
static K: LazyLock<BigUint> = LazyLock::new(|| hash_to_int(&[&pad(&N), &pad(&G)]));

/// The HKDF info Cognito uses to derive the 16-byte password authentication key.
const DERIVED_KEY_INFO: &[u8] = b"Caldera Derived Key";

/// Why the server's challenge cannot be answered.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SrpError {
    #[error("challenge parameter {parameter} is not valid {encoding}")]
    Malformed {
        parameter: &'static str,
        encoding: &'static str,
    },
    /// SRP-6a requires aborting when B ≡ 0 (mod N) or u = 0: answering would reveal a key
    /// an attacker can compute.
    #[error("server sent an unsafe SRP value ({0})")]
    Unsafe(&'static str),
}

/// One SRP session's ephemeral secret `a` and public `A = g^a mod N`.
pub struct SrpClient {
    a: BigUint,
    public_a: BigUint,
}

impl fmt::Debug for SrpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SrpClient")
            .field("a", &"***")
            .finish_non_exhaustive()
    }
}

/// The PASSWORD_VERIFIER answer, except the username (USER_ID_FOR_SRP) and SECRET_HASH.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordClaim {
    pub secret_block: String,
    pub signature: String,
    pub timestamp: String,
}

impl SrpClient {
    /// A fresh client with a random 1024-bit `a`.
    pub fn new() -> SrpClient {
        let mut bytes = [0u8; 128];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        SrpClient::with_secret(BigUint::from_bytes_be(&bytes))
    }

    fn with_secret(a: BigUint) -> SrpClient {
        let a = a % &*N;
        let public_a = G.modpow(&a, &N);
        SrpClient { a, public_a }
    }

    /// SRP_A for InitiateAuth, in lowercase hex.
    pub fn public_a_hex(&self) -> String {
        self.public_a.to_str_radix(16)
    }

    /// Answers a PASSWORD_VERIFIER challenge with the current time.
    pub fn password_claim(
        &self,
        pool_name: &str,
        user_id_for_srp: &str,
        password: &SecretString,
        challenge: &VerifierChallenge<'_>,
    ) -> Result<PasswordClaim, SrpError> {
        self.password_claim_at(
            pool_name,
            user_id_for_srp,
            password,
            challenge,
            &cognito_timestamp(OffsetDateTime::now_utc()),
        )
    }

    fn password_claim_at(
        &self,
        pool_name: &str,
        user_id_for_srp: &str,
        password: &SecretString,
        challenge: &VerifierChallenge<'_>,
        timestamp: &str,
    ) -> Result<PasswordClaim, SrpError> {
        let salt = parse_hex("SALT", challenge.salt_hex)?;
        let public_b = parse_hex("SRP_B", challenge.srp_b_hex)?;
        let secret_block =
            STANDARD
                .decode(challenge.secret_block_b64)
                .map_err(|_| SrpError::Malformed {
                    parameter: "SECRET_BLOCK",
                    encoding: "base64",
                })?;
        let key =
            self.authentication_key(pool_name, user_id_for_srp, password, &salt, &public_b)?;
        let mut mac = Hmac::<Sha256>::new_from_slice(&key).expect("HMAC accepts any key length");
        mac.update(pool_name.as_bytes());
        mac.update(user_id_for_srp.as_bytes());
        mac.update(&secret_block);
        mac.update(timestamp.as_bytes());
        Ok(PasswordClaim {
            secret_block: challenge.secret_block_b64.to_owned(),
            signature: STANDARD.encode(mac.finalize().into_bytes()),
            timestamp: timestamp.to_owned(),
        })
    }

    /// The 16-byte key both sides derive from the shared secret S.
    fn authentication_key(
        &self,
        pool_name: &str,
        user_id_for_srp: &str,
        password: &SecretString,
        salt: &BigUint,
        public_b: &BigUint,
    ) -> Result<Vec<u8>, SrpError> {
        if (public_b % &*N) == BigUint::ZERO {
            return Err(SrpError::Unsafe("SRP_B is a multiple of N"));
        }
        let u = hash_to_int(&[&pad(&self.public_a), &pad(public_b)]);
        if u == BigUint::ZERO {
            return Err(SrpError::Unsafe("u is zero"));
        }
        let x = private_key_x(pool_name, user_id_for_srp, password, salt);
        // S = (B - k·g^x)^(a + u·x) mod N, kept non-negative by adding N.
        let k_gx = (&*K * G.modpow(&x, &N)) % &*N;
        let base = ((public_b % &*N) + &*N - k_gx) % &*N;
        let shared = base.modpow(&(&self.a + &u * &x), &N);
        Ok(derive_key(&u, &shared))
    }
}

impl Default for SrpClient {
    fn default() -> Self {
        SrpClient::new()
    }
}

/// The PASSWORD_VERIFIER challenge parameters the math needs.
#[derive(Debug, Clone, Copy)]
pub struct VerifierChallenge<'a> {
    pub salt_hex: &'a str,
    pub srp_b_hex: &'a str,
    pub secret_block_b64: &'a str,
}

/// x = H(pad(salt) || H(poolName || userId || ":" || password)).
fn private_key_x(
    pool_name: &str,
    user_id: &str,
    password: &SecretString,
    salt: &BigUint,
) -> BigUint {
    let mut inner = Sha256::new();
    inner.update(pool_name.as_bytes());
    inner.update(user_id.as_bytes());
    inner.update(b":");
    inner.update(password.expose().as_bytes());
    let inner = inner.finalize();
    hash_to_int(&[&pad(salt), &inner])
}

/// HKDF-SHA256 with salt pad(u), input pad(S), info "Caldera Derived Key", 16 bytes.
fn derive_key(u: &BigUint, shared: &BigUint) -> Vec<u8> {
    let mut extract = Hmac::<Sha256>::new_from_slice(&pad(u)).expect("HMAC accepts any key length");
    extract.update(&pad(shared));
    let prk = extract.finalize().into_bytes();
    let mut expand = Hmac::<Sha256>::new_from_slice(&prk).expect("HMAC accepts any key length");
    expand.update(DERIVED_KEY_INFO);
    expand.update(&[1]);
    expand.finalize().into_bytes()[..16].to_vec()
}

/// Big-endian bytes with a leading zero byte when the high bit is set, as the AWS clients'
/// `padHex` does, so the value reads as positive.
fn pad(value: &BigUint) -> Vec<u8> {
    let bytes = value.to_bytes_be();
    if bytes.first().is_some_and(|first| first & 0x80 != 0) {
        let mut padded = Vec::with_capacity(bytes.len() + 1);
        padded.push(0);
        padded.extend_from_slice(&bytes);
        padded
    } else {
        bytes
    }
}

fn hash_to_int(parts: &[&[u8]]) -> BigUint {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part);
    }
    BigUint::from_bytes_be(&hasher.finalize())
}

fn parse_hex(parameter: &'static str, text: &str) -> Result<BigUint, SrpError> {
    BigUint::parse_bytes(text.as_bytes(), 16).ok_or(SrpError::Malformed {
        parameter,
        encoding: "hex",
    })
}

/// `Sun Nov 22 00:08:59 UTC 2026`: English day and month, the day of month unpadded.
// The TIMESTAMP format of AWS's clients (amazon-cognito-identity-js getNowString).
pub fn cognito_timestamp(now: OffsetDateTime) -> String {
    let format = format_description!(
        "[weekday repr:short] [month repr:short] [day padding:none] [hour]:[minute]:[second] UTC [year]"
    );
    now.to_offset(time::UtcOffset::UTC)
        .format(&format)
        .expect("the timestamp format only uses fields every date has")
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    /// The published vector of the aws-cognito-srp crate (src/client/user.rs tests):
    /// a = 128 bytes of 0x01, pool `us-west-2_abc`, user `user_id`, password `password`.
    const VECTOR_A: &str = "b1ce118779e27c1c015d7a226ecae2ea1fcd017049e4f5c6f9908c686d496dce12a1c017a7523d43e2f3a6bb7e75e266bab0471e0720030edb64d8b5aef428356bc72198d41d319cf36eb0c4b4063fb99f90bc3b25b0d1196f84836bc05be0dfe1e6d1e21ba4c77098f6e6119127981395b0f4da67e26f63ecbfb2ded5d9c091c9850c08f0c372e5101df27967250254d6748a75c9be2f59324d31241f950d79224af0d5ff1c169af541b04a063bd0d4f79216a9da1e1874bc041b97ca2d456310f0b29f3644eca4d0e0c21660cbc5774a7319746bf53024a3bbb9c1251002854d1e6fac951d3a160771cdaf681a95e8cd51eb0630c825cd6227f22edefd35b3789df41dfca6cbd4d90e90ec7e38d3cbdf2b5f3534b016267f6a42190690d4225131811c6ea3b8265cff2fc44497887995eb95357747c3db40dab7199af3b9cbaba28a75d800d809421c5da1b0a24ec3120b3738750dcd42a61d1e9d272118ec2e6db632c241ab33558502dc9bbac1f4a34b3243082b89dcc0620a626d83a483";
    const VECTOR_B_AND_SALT: &str = "36ef01c6dde9fe503da333b1acc758ba";
    const VECTOR_SECRET_BLOCK: &str = "9ae77ec7154c14dcc487b47707fee4b4920cb96d8a8c045e4c8df879a7b375524aa736acdec6c9ad4ea606774d00621b";

    fn vector_client() -> SrpClient {
        SrpClient::with_secret(BigUint::from_bytes_be(&[1u8; 128]))
    }

    #[test]
    fn public_a_matches_the_published_vector() {
        assert_eq!(vector_client().public_a_hex(), VECTOR_A);
    }

    #[test]
    fn password_claim_signature_matches_the_published_vector() {
        let claim = vector_client()
            .password_claim_at(
                "abc",
                "user_id",
                &SecretString::new("password"),
                &VerifierChallenge {
                    salt_hex: VECTOR_B_AND_SALT,
                    srp_b_hex: VECTOR_B_AND_SALT,
                    secret_block_b64: VECTOR_SECRET_BLOCK,
                },
                "Mon Feb 10 18:30:12 UTC 2025",
            )
            .unwrap();
        assert_eq!(
            claim.signature,
            "apNSb5GZpJciVc6cVNkDf4elCMoWUZcH4aukLlMPiFA="
        );
    }

    #[test]
    fn client_and_server_derive_the_same_key() {
        // The server side of SRP-6a: v = g^x, B = k·v + g^b, S = (A·v^u)^b.
        let password = SecretString::new("Correct-Horse-9");
        let salt = BigUint::parse_bytes(b"0fe3a1b2c3d4e5f60718293a4b5c6d7e", 16).unwrap();
        let client = SrpClient::new();
        let x = private_key_x("Pool1", "alice-sub", &password, &salt);
        let verifier = G.modpow(&x, &N);
        let b = BigUint::from_bytes_be(&[7u8; 64]);
        let public_b = (&*K * &verifier + G.modpow(&b, &N)) % &*N;
        let u = hash_to_int(&[&pad(&client.public_a), &pad(&public_b)]);
        let server_shared = (&client.public_a * verifier.modpow(&u, &N)).modpow(&b, &N);
        let server_key = derive_key(&u, &server_shared);

        let client_key = client
            .authentication_key("Pool1", "alice-sub", &password, &salt, &public_b)
            .unwrap();
        assert_eq!(client_key, server_key);

        let wrong = client
            .authentication_key(
                "Pool1",
                "alice-sub",
                &SecretString::new("wrong"),
                &salt,
                &public_b,
            )
            .unwrap();
        assert_ne!(wrong, server_key);
    }

    #[test]
    fn an_srp_b_that_is_a_multiple_of_n_is_refused() {
        let result = vector_client().authentication_key(
            "abc",
            "user",
            &SecretString::new("p"),
            &BigUint::from(1u8),
            &N.clone(),
        );
        assert_eq!(result, Err(SrpError::Unsafe("SRP_B is a multiple of N")));
    }

    #[test]
    fn timestamp_has_an_unpadded_day_and_padded_time() {
        assert_eq!(
            cognito_timestamp(datetime!(2026-11-02 00:08:59 UTC)),
            "Mon Nov 2 00:08:59 UTC 2026"
        );
        assert_eq!(
            cognito_timestamp(datetime!(2026-11-22 13:05:09 UTC)),
            "Sun Nov 22 13:05:09 UTC 2026"
        );
    }

    #[test]
    fn debug_never_shows_the_ephemeral_secret() {
        let client = vector_client();
        assert!(!format!("{client:?}").contains(&client.a.to_str_radix(16)));
    }
}
