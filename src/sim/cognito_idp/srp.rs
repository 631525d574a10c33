//! The server half of SRP-6a as Amazon Cognito runs it for `USER_SRP_AUTH`.
//!
//! Cognito uses the 3072-bit group of RFC 5054 with g = 2, k = H(N | g), SHA-256 over
//! big-endian values padded so their top bit is clear, x = H(salt | H(poolSuffix |
//! username | ":" | password)), and derives a 16-byte key with HKDF-SHA256 (salt = u,
//! info = "Caldera Derived Key"). The client proves the password with
//! PASSWORD_CLAIM_SIGNATURE = HMAC-SHA256(key, poolSuffix | username | secretBlock |
//! timestamp).
//! See <https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-authentication-flow-methods.html#amazon-cognito-user-pools-user-srp-authentication>.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use num_bigint::BigUint;
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

/// RFC 5054's 3072-bit group prime, the one Cognito's SRP uses.
/// See <https://datatracker.ietf.org/doc/html/rfc5054#appendix-A>.
pub const N_HEX: &str = concat!(
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

/// The HKDF `info` Cognito's SRP uses.
const DERIVED_KEY_INFO: &[u8] = b"Caldera Derived Key";

/// Why an SRP exchange failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SrpError {
    #[error("SRP_A is not a hexadecimal number")]
    MalformedA,
    /// A ≡ 0 (mod N) would let a client force the shared secret.
    #[error("SRP_A is zero modulo N")]
    IllegalA,
    #[error("PASSWORD_CLAIM_SECRET_BLOCK or PASSWORD_CLAIM_SIGNATURE is not valid base64")]
    MalformedClaim,
}

struct Group {
    n: BigUint,
    g: BigUint,
    k: BigUint,
}

fn group() -> &'static Group {
    static GROUP: OnceLock<Group> = OnceLock::new();
    GROUP.get_or_init(|| {
        let n = BigUint::parse_bytes(N_HEX.as_bytes(), 16).expect("N_HEX is hexadecimal");
        let g = BigUint::from(2u32);
        let k = hash_to_int(&[&padded(&n), &padded(&g)]);
        Group { n, g, k }
    })
}

/// A value's big-endian bytes with a leading zero byte when the top bit is set, as
/// Cognito's `padHex` does before hashing.
pub fn padded(value: &BigUint) -> Vec<u8> {
    let mut bytes = value.to_bytes_be();
    if bytes[0] & 0x80 != 0 {
        bytes.insert(0, 0);
    }
    bytes
}

fn hash_to_int(parts: &[&[u8]]) -> BigUint {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part);
    }
    BigUint::from_bytes_be(&hasher.finalize())
}

/// x = H(salt | H(poolSuffix | username | ":" | password)).
fn private_x(pool_suffix: &str, username: &str, password: &str, salt: &BigUint) -> BigUint {
    let inner = Sha256::digest(format!("{pool_suffix}{username}:{password}").as_bytes());
    hash_to_int(&[&padded(salt), &inner])
}

/// The server's state between InitiateAuth and RespondToAuthChallenge. Holds the private
/// exponent: never printed.
pub struct ServerSession {
    b: BigUint,
    big_a: BigUint,
    big_b: BigUint,
    verifier: BigUint,
}

impl std::fmt::Debug for ServerSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ServerSession(***)")
    }
}

/// What the server sends back in the PASSWORD_VERIFIER challenge.
#[derive(Debug, Clone)]
pub struct ServerChallenge {
    /// `SRP_B`, lowercase hex.
    pub srp_b: String,
    /// `SALT`, lowercase hex.
    pub salt: String,
}

/// Starts an exchange: draws a salt and b, computes the verifier from the stored password
/// and B = k·v + g^b (mod N).
pub fn begin(
    pool_suffix: &str,
    username: &str,
    password: &str,
    srp_a_hex: &str,
) -> Result<(ServerSession, ServerChallenge), SrpError> {
    let grp = group();
    let big_a = BigUint::parse_bytes(srp_a_hex.as_bytes(), 16).ok_or(SrpError::MalformedA)?;
    if (&big_a % &grp.n) == BigUint::ZERO {
        return Err(SrpError::IllegalA);
    }
    let mut rng = rand::thread_rng();
    let mut salt_bytes = [0u8; 16];
    rng.fill_bytes(&mut salt_bytes);
    let salt = BigUint::from_bytes_be(&salt_bytes);
    let x = private_x(pool_suffix, username, password, &salt);
    let verifier = grp.g.modpow(&x, &grp.n);
    let (b, big_b) = loop {
        let mut b_bytes = [0u8; 128];
        rng.fill_bytes(&mut b_bytes);
        let b = BigUint::from_bytes_be(&b_bytes) % &grp.n;
        let big_b = (&grp.k * &verifier + grp.g.modpow(&b, &grp.n)) % &grp.n;
        if big_b != BigUint::ZERO {
            break (b, big_b);
        }
    };
    let challenge = ServerChallenge {
        srp_b: big_b.to_str_radix(16),
        salt: salt.to_str_radix(16),
    };
    Ok((
        ServerSession {
            b,
            big_a,
            big_b,
            verifier,
        },
        challenge,
    ))
}

impl ServerSession {
    /// The 16-byte key both sides derive: S = (A·v^u)^b (mod N), HKDF(S, salt = u).
    fn derived_key(&self) -> Option<[u8; 16]> {
        let grp = group();
        let u = hash_to_int(&[&padded(&self.big_a), &padded(&self.big_b)]);
        if u == BigUint::ZERO {
            return None;
        }
        let base = (&self.big_a * self.verifier.modpow(&u, &grp.n)) % &grp.n;
        let s = base.modpow(&self.b, &grp.n);
        let hkdf = hkdf::Hkdf::<Sha256>::new(Some(&padded(&u)), &padded(&s));
        let mut key = [0u8; 16];
        hkdf.expand(DERIVED_KEY_INFO, &mut key).ok()?;
        Some(key)
    }

    /// Checks PASSWORD_CLAIM_SIGNATURE; `Ok(false)` means a wrong password.
    pub fn verify_claim(
        &self,
        pool_suffix: &str,
        username: &str,
        secret_block_b64: &str,
        timestamp: &str,
        signature_b64: &str,
    ) -> Result<bool, SrpError> {
        let secret_block = STANDARD
            .decode(secret_block_b64)
            .map_err(|_| SrpError::MalformedClaim)?;
        let signature = STANDARD
            .decode(signature_b64)
            .map_err(|_| SrpError::MalformedClaim)?;
        let Some(key) = self.derived_key() else {
            return Ok(false);
        };
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&key).expect("HMAC accepts keys of any length");
        mac.update(pool_suffix.as_bytes());
        mac.update(username.as_bytes());
        mac.update(&secret_block);
        mac.update(timestamp.as_bytes());
        Ok(mac.verify_slice(&signature).is_ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn k_is_the_hash_of_padded_n_and_g() {
        // Pins the group: any typo in N changes k, and N must be a 3072-bit number.
        let grp = group();
        assert_eq!(grp.n.bits(), 3072);
        assert_eq!(
            grp.k.to_str_radix(16),
            "538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6"
        );
    }

    #[test]
    fn a_zero_a_is_refused() {
        assert_eq!(begin("P", "u", "pw", "0").unwrap_err(), SrpError::IllegalA);
        assert_eq!(
            begin("P", "u", "pw", N_HEX).unwrap_err(),
            SrpError::IllegalA
        );
        assert_eq!(
            begin("P", "u", "pw", "xyz").unwrap_err(),
            SrpError::MalformedA
        );
    }
}
