//! An independent client side of Cognito's SRP for the unit and integration tests,
//! written from amazon-cognito-identity-js's AuthenticationHelper: it works on hex strings (`padHex`, `hexHash`) and computes HKDF
//! by hand, so it shares no arithmetic helpers with local staging's server half
//! (`src/sim/cognito_idp/srp.rs`).

#![allow(dead_code)]

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use num_bigint::BigUint;
use sha2::{Digest, Sha256};

/// RFC 5054's 3072-bit prime, typed independently of the server's copy.
const N: &str = "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF";

fn big(hex: &str) -> BigUint {
    BigUint::parse_bytes(hex.as_bytes(), 16).unwrap()
}

/// `padHex`: even length, and a leading `00` when the first nibble has its top bit set.
pub fn pad_hex(value: &BigUint) -> String {
    let mut hex = value.to_str_radix(16);
    if hex.len() % 2 == 1 {
        hex.insert(0, '0');
    }
    if "89abcdef".contains(&hex[..1]) {
        hex.insert_str(0, "00");
    }
    hex
}

/// `hexHash`: SHA-256 of the bytes a hex string spells, as hex.
fn hex_hash(hex_string: &str) -> String {
    hex::encode(Sha256::digest(hex::decode(hex_string).unwrap()))
}

fn hmac(key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap();
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().to_vec()
}

/// The client's secret exponent and public value A.
pub struct SrpClient {
    a: BigUint,
    /// `SRP_A`, hex.
    pub srp_a: String,
}

impl SrpClient {
    pub fn new() -> Self {
        use rand::RngCore;
        let mut bytes = [0u8; 128];
        rand::thread_rng().fill_bytes(&mut bytes);
        let n = big(N);
        let a = BigUint::from_bytes_be(&bytes) % &n;
        let srp_a = BigUint::from(2u32).modpow(&a, &n).to_str_radix(16);
        SrpClient { a, srp_a }
    }

    /// k = H(padHex(N) | padHex(g)).
    pub fn k() -> BigUint {
        big(&hex_hash(&format!(
            "{}{}",
            pad_hex(&big(N)),
            pad_hex(&BigUint::from(2u32))
        )))
    }

    /// PASSWORD_CLAIM_SIGNATURE for the server's PASSWORD_VERIFIER challenge parameters.
    pub fn signature(
        &self,
        pool_name: &str,
        password: &str,
        challenge: &serde_json::Value,
        timestamp: &str,
    ) -> String {
        let field = |name: &str| challenge[name].as_str().unwrap_or_default().to_string();
        let (user_id_for_srp, srp_b, salt, secret_block) = (
            field("USER_ID_FOR_SRP"),
            field("SRP_B"),
            field("SALT"),
            field("SECRET_BLOCK"),
        );
        let n = big(N);
        let g = BigUint::from(2u32);
        let big_a = big(&self.srp_a);
        let big_b = big(&srp_b);
        let u = big(&hex_hash(&format!(
            "{}{}",
            pad_hex(&big_a),
            pad_hex(&big_b)
        )));
        let username_password_hash = hex::encode(Sha256::digest(format!(
            "{pool_name}{user_id_for_srp}:{password}"
        )));
        let x = big(&hex_hash(&format!(
            "{}{}",
            pad_hex(&big(&salt)),
            username_password_hash
        )));
        let g_x_k = (Self::k() * g.modpow(&x, &n)) % &n;
        let base = (big_b + &n - g_x_k) % &n;
        let s = base.modpow(&(&self.a + &u * &x), &n);
        // HKDF-SHA256 by hand: extract with u as salt, expand one block.
        let prk = hmac(
            &hex::decode(pad_hex(&u)).unwrap(),
            &[&hex::decode(pad_hex(&s)).unwrap()],
        );
        let okm = hmac(&prk, &[b"Caldera Derived Key", &[1u8]]);
        let key = &okm[..16];
        let signature = hmac(
            key,
            &[
                pool_name.as_bytes(),
                user_id_for_srp.as_bytes(),
                &STANDARD.decode(&secret_block).unwrap(),
                timestamp.as_bytes(),
            ],
        );
        STANDARD.encode(signature)
    }
}

#[test]
fn the_client_derives_the_published_k() {
    // k as pycognito and amazon-cognito-identity-js compute it for the 3072-bit group.
    assert_eq!(
        SrpClient::k().to_str_radix(16),
        "538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6"
    );
}
