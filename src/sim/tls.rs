//! TLS for local staging: a certificate authority generated when the server starts (never
//! written anywhere by the server itself), and a certificate for 127.0.0.1 and `localhost`
//! it signs. Clients trust the authority's certificate, so requests arrive with
//! `aws:SecureTransport` true, as on AWS's HTTPS endpoints.
//! See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-securetransport>.

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose,
};
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::time::Duration;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};

/// How long the generated certificates are valid: a day before now (clock skew between the
/// host and a client) to thirty days after, longer than any `sim serve` session.
const VALID_BEFORE: Duration = Duration::from_secs(24 * 3600);
const VALID_AFTER: Duration = Duration::from_secs(30 * 24 * 3600);

/// Why TLS could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum TlsSetupError {
    #[error("failed to generate local staging's certificate")]
    Certificate(#[from] rcgen::Error),
    #[error("failed to configure TLS")]
    Config(#[from] tokio_rustls::rustls::Error),
}

/// The server side of local staging's TLS and what a client needs to trust it.
#[derive(Clone)]
pub struct StagingTls {
    acceptor: TlsAcceptor,
    authority_pem: String,
    authority_sha256: String,
}

impl std::fmt::Debug for StagingTls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StagingTls")
            .field("authority_sha256", &self.authority_sha256)
            .finish_non_exhaustive()
    }
}

impl StagingTls {
    /// Generates a fresh authority and a server certificate for 127.0.0.1 and `localhost`.
    pub fn generate() -> Result<StagingTls, TlsSetupError> {
        let now = time::OffsetDateTime::now_utc();
        let validity = |params: &mut CertificateParams| {
            params.not_before = now - VALID_BEFORE;
            params.not_after = now + VALID_AFTER;
        };

        let mut authority_params = CertificateParams::new(Vec::<String>::new())?;
        authority_params
            .distinguished_name
            .push(DnType::CommonName, "xtenant local staging CA");
        authority_params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
        authority_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        validity(&mut authority_params);
        let authority = CertifiedIssuer::self_signed(authority_params, KeyPair::generate()?)?;

        let server_key = KeyPair::generate()?;
        let mut server_params =
            CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()])?;
        server_params
            .distinguished_name
            .push(DnType::CommonName, "127.0.0.1");
        validity(&mut server_params);
        let server_certificate = server_params.signed_by(&server_key, &authority)?;

        let private_key =
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der()));
        let provider = Arc::new(tokio_rustls::rustls::crypto::aws_lc_rs::default_provider());
        let mut config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .with_no_client_auth()
            .with_single_cert(
                vec![server_certificate.der().clone(), authority.der().clone()],
                private_key,
            )?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(StagingTls {
            acceptor: TlsAcceptor::from(Arc::new(config)),
            authority_sha256: fingerprint(authority.der()),
            authority_pem: authority.pem(),
        })
    }

    pub fn acceptor(&self) -> &TlsAcceptor {
        &self.acceptor
    }

    /// The authority's certificate (PEM): what a client adds to its trust store.
    pub fn authority_pem(&self) -> &str {
        &self.authority_pem
    }

    /// SHA-256 of the authority's certificate, as `AB:CD:...`, to compare with what a
    /// client was given.
    pub fn authority_sha256(&self) -> &str {
        &self.authority_sha256
    }
}

fn fingerprint(der: &[u8]) -> String {
    Sha256::digest(der)
        .iter()
        .map(|byte| format!("{byte:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_start_has_its_own_authority_in_pem_with_a_colon_fingerprint() {
        let first = StagingTls::generate().unwrap();
        let second = StagingTls::generate().unwrap();
        assert!(
            first
                .authority_pem()
                .starts_with("-----BEGIN CERTIFICATE-----")
        );
        assert_eq!(first.authority_sha256().split(':').count(), 32);
        assert_ne!(first.authority_sha256(), second.authority_sha256());
    }
}
