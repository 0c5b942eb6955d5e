//! Trust on first use for the shop's server. Its certificate is usually self-signed (the server
//! generates one at install, see `usinage::tls`), so it will not chain to a CA: the SHA-256
//! fingerprint the user accepted once is the trust, and any other certificate is refused (and
//! reported, so the desktop launcher can explain and offer to replace the pin).
//!
//! A crate of its own so that the desktop app can pin without embedding the server, and the
//! server's tests use the very verifier the app uses.

use rustls::DigitallySignedStruct;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use sha2::{Digest, Sha256};
use std::sync::{Arc, Mutex};

/// The `ring` provider (the embedded server uses it too). rustls 0.23.48 deprecates it for
/// lacking post-quantum key exchange; aws-lc-rs would add a C/cmake build for no gain on a LAN.
#[allow(deprecated)]
pub fn ring_provider() -> CryptoProvider {
    rustls::crypto::ring::default_provider()
}

/// `AA:BB:…` (upper-case hex pairs) of the SHA-256 of a DER certificate.
pub fn fingerprint(der: &[u8]) -> String {
    Sha256::digest(der)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// Accepts exactly the pinned certificate; remembers the last one seen either way.
#[derive(Debug)]
pub struct PinVerifier {
    pin: Option<String>,
    seen: Arc<Mutex<Option<String>>>,
    provider: Arc<CryptoProvider>,
}

impl PinVerifier {
    pub fn new(pin: Option<String>) -> Self {
        PinVerifier {
            pin,
            seen: Arc::default(),
            provider: Arc::new(ring_provider()),
        }
    }

    /// The fingerprint of the last certificate the server presented.
    pub fn seen(&self) -> Arc<Mutex<Option<String>>> {
        self.seen.clone()
    }

    /// A client configuration (ring provider, no ALPN: the caller sets the protocols it speaks)
    /// checking the server against this pin.
    pub fn client_config(self) -> Result<rustls::ClientConfig, rustls::Error> {
        let provider = self.provider.clone();
        Ok(rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(self))
            .with_no_client_auth())
    }
}

impl ServerCertVerifier for PinVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let fp = fingerprint(end_entity.as_ref());
        let accepted = self.pin.as_deref() == Some(fp.as_str());
        *self.seen.lock().expect("fingerprint lock") = Some(fp);
        if accepted {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::InvalidCertificate(
                rustls::CertificateError::ApplicationVerificationFailure,
            ))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_format() {
        let fp = fingerprint(b"abc");
        assert_eq!(fp.len(), 32 * 3 - 1);
        assert!(fp.starts_with("BA:78:16:BF:8F:01:CF:EA"));
    }

    fn check(v: &PinVerifier, der: &[u8]) -> bool {
        let name = ServerName::try_from("nas.atelier.lan").unwrap();
        v.verify_server_cert(
            &CertificateDer::from(der.to_vec()),
            &[],
            &name,
            &[],
            UnixTime::now(),
        )
        .is_ok()
    }

    #[test]
    fn only_the_pinned_certificate_passes_and_the_last_one_seen_is_kept() {
        let pinned = PinVerifier::new(Some(fingerprint(b"certificat du NAS")));
        let seen = pinned.seen();
        assert!(check(&pinned, b"certificat du NAS"));
        assert_eq!(
            seen.lock().unwrap().as_deref(),
            Some(fingerprint(b"certificat du NAS").as_str())
        );
        assert!(!check(&pinned, b"autre certificat"));
        assert_eq!(
            seen.lock().unwrap().as_deref(),
            Some(fingerprint(b"autre certificat").as_str())
        );
        // No pin yet (first connection): refused, but the fingerprint is there to show the user.
        let first = PinVerifier::new(None);
        assert!(!check(&first, b"certificat du NAS"));
        assert!(first.seen().lock().unwrap().is_some());
        assert!(first.client_config().is_ok());
    }
}
