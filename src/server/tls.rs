//! TLS for the whole listener (`serve --tls-cert PEM --tls-key PEM`): rustls on ring
//! through tonic's transport. Owns reading the PEM pair and checking it before the
//! server listens, so a wrong file is reported at start naming the file at fault, not at
//! the first client's handshake. Health and reflection go over TLS too: one listener.
//!
//! API keys are bearer secrets: outside a private network, serve them over TLS (here, or
//! at a proxy in front), or anyone on the path can read and replay them.

use std::fmt;
use std::time::Duration;

use tonic::transport::{Identity, ServerTlsConfig};

/// Longest a client may take over its TLS handshake: one that connects and never
/// finishes must not hold its task forever.
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// A certificate and key pair that cannot be served.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    /// The certificate file holds no PEM certificate.
    #[error("no PEM certificate (-----BEGIN CERTIFICATE-----) in the file")]
    NoCertificate,
    /// The key file holds no PEM private key.
    #[error("no PEM private key (-----BEGIN … PRIVATE KEY-----) in the file")]
    NoKey,
    /// rustls refused the pair (a certificate or key it cannot parse, a key that does
    /// not go with the certificate).
    #[error("the certificate and key cannot be served: {0}")]
    Pair(String),
}

/// The server's TLS identity, checked.
#[derive(Clone)]
pub struct Tls {
    config: ServerTlsConfig,
}

impl fmt::Debug for Tls {
    /// Nothing of the key.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("Tls { .. }")
    }
}

impl Tls {
    /// The identity in `certificate` (PEM, the chain from the server's certificate up)
    /// and `key` (PEM, PKCS#8, PKCS#1 or SEC1), checked by building the acceptor the
    /// server will use.
    pub fn from_pem(certificate: &[u8], key: &[u8]) -> Result<Tls, TlsError> {
        let has = |text: &[u8], marker: &str| String::from_utf8_lossy(text).contains(marker);
        if !has(certificate, "-----BEGIN CERTIFICATE-----") {
            return Err(TlsError::NoCertificate);
        }
        if !has(key, "PRIVATE KEY-----") {
            return Err(TlsError::NoKey);
        }
        let config = ServerTlsConfig::new()
            .identity(Identity::from_pem(certificate, key))
            .timeout(HANDSHAKE_TIMEOUT);
        tonic::transport::Server::builder()
            .tls_config(config.clone())
            .map_err(|error| TlsError::Pair(error_chain(&error)))?;
        Ok(Tls { config })
    }

    /// What tonic's server builder takes.
    pub fn server_config(&self) -> ServerTlsConfig {
        self.config.clone()
    }
}

/// An error and its sources on one line (tonic's own message is only "transport error").
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text = format!("{text}: {cause}");
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_a_pair_and_names_the_file_at_fault() {
        let pair = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
        let (cert, key) = (pair.cert.pem(), pair.signing_key.serialize_pem());
        assert!(Tls::from_pem(cert.as_bytes(), key.as_bytes()).is_ok());
        let swapped = Tls::from_pem(key.as_bytes(), cert.as_bytes());
        assert!(
            matches!(swapped, Err(TlsError::NoCertificate)),
            "{swapped:?}"
        );
        let no_key = Tls::from_pem(cert.as_bytes(), cert.as_bytes());
        assert!(matches!(no_key, Err(TlsError::NoKey)), "{no_key:?}");
        let garbled = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
        match Tls::from_pem(cert.as_bytes(), garbled.as_bytes()) {
            Err(TlsError::Pair(message)) => assert!(!message.is_empty()),
            other => panic!("{other:?}"),
        }
    }
}
