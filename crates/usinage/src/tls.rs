//! HTTPS for the server: a certificate given by the shop (its own CA or a NAS certificate), or
//! one generated at the first start and kept in `<data-dir>/tls/`. Clients on the shop's
//! network trust it on first use: the desktop app shows the SHA-256 fingerprint printed by
//! `usinage serve` (and `usinage tls`) and pins it.

use anyhow::Context;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How the server speaks: plain HTTP, a generated self-signed certificate, or the shop's files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    Off,
    Auto,
    Files { cert: PathBuf, key: PathBuf },
}

impl Mode {
    /// From the `tls`, `tls-cert` and `tls-key` options.
    pub fn resolve(
        mode: Option<&str>,
        cert: Option<PathBuf>,
        key: Option<PathBuf>,
    ) -> anyhow::Result<Mode> {
        let files = |cert: Option<PathBuf>, key: Option<PathBuf>| match (cert, key) {
            (Some(cert), Some(key)) => Ok(Mode::Files { cert, key }),
            _ => Err(anyhow::anyhow!(
                "tls = files demande tls-cert (certificat PEM) et tls-key (clé privée PEM)"
            )),
        };
        match mode.map(str::trim) {
            None if cert.is_some() || key.is_some() => files(cert, key),
            None | Some("off") => Ok(Mode::Off),
            Some("auto") => Ok(Mode::Auto),
            Some("files") => files(cert, key),
            Some(other) => anyhow::bail!("tls doit valoir off, auto ou files (reçu : {other})"),
        }
    }
}

/// The acceptor and what clients should be told about the certificate.
pub struct Prepared {
    pub acceptor: tokio_rustls::TlsAcceptor,
    pub fingerprint: String,
    pub cert_path: PathBuf,
}

/// `AA:BB:…` (upper-case hex pairs) of the SHA-256 of a DER certificate: what the desktop app
/// pins on first connection.
pub use usinage_pin::fingerprint;

/// The certificate and key files of `mode`, generating the self-signed pair when needed.
pub fn files(
    mode: &Mode,
    data_dir: &Path,
    public_url: &str,
) -> anyhow::Result<Option<(PathBuf, PathBuf)>> {
    match mode {
        Mode::Off => Ok(None),
        Mode::Files { cert, key } => Ok(Some((cert.clone(), key.clone()))),
        Mode::Auto => {
            let dir = data_dir.join("tls");
            let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
            let expired = std::fs::read_to_string(dir.join("expires"))
                .ok()
                .and_then(|t| chrono::NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d").ok())
                .is_some_and(|d| d <= chrono::Utc::now().date_naive() + chrono::Days::new(30));
            if expired {
                tracing::warn!(
                    "the generated certificate expires within 30 days: a new one is generated (clients confirm its new fingerprint)"
                );
            }
            if expired || !(cert.exists() && key.exists()) {
                std::fs::create_dir_all(&dir)
                    .with_context(|| format!("création du dossier {}", dir.display()))?;
                let (c, k) = generate(&hosts(public_url))?;
                write_private(&key, k.as_bytes())?;
                std::fs::write(&cert, c)
                    .with_context(|| format!("écriture de {}", cert.display()))?;
                let expires =
                    chrono::Utc::now().date_naive() + chrono::Days::new(GENERATED_DAYS as u64 - 1);
                std::fs::write(
                    dir.join("expires"),
                    expires.format("%Y-%m-%d\n").to_string(),
                )?;
                tracing::info!(cert = %cert.display(), "self-signed certificate generated");
            }
            Ok(Some((cert, key)))
        }
    }
}

/// Loads the certificate of `mode` for serving; `None` for plain HTTP.
pub fn prepare(mode: &Mode, data_dir: &Path, public_url: &str) -> anyhow::Result<Option<Prepared>> {
    let Some((cert_path, key_path)) = files(mode, data_dir, public_url)? else {
        return Ok(None);
    };
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&cert_path)
        .with_context(|| format!("lecture du certificat {}", cert_path.display()))?
        .collect::<Result<_, _>>()
        .with_context(|| format!("certificat {} illisible (PEM attendu)", cert_path.display()))?;
    let first = certs
        .first()
        .ok_or_else(|| anyhow::anyhow!("aucun certificat dans {}", cert_path.display()))?;
    let fingerprint = fingerprint(first.as_ref());
    let key = PrivateKeyDer::from_pem_file(&key_path)
        .with_context(|| format!("clé privée {} illisible (PEM attendu)", key_path.display()))?;
    let provider = Arc::new(usinage_pin::ring_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .context("le certificat et la clé ne correspondent pas")?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(Some(Prepared {
        acceptor: tokio_rustls::TlsAcceptor::from(Arc::new(config)),
        fingerprint,
        cert_path,
    }))
}

/// Names the generated certificate is valid for: localhost, the machine's name (and its
/// `.local` mDNS name, as Synology and QNAP announce it), and the public URL's host.
pub fn hosts(public_url: &str) -> Vec<String> {
    let mut v = vec!["localhost".to_string(), "127.0.0.1".into(), "::1".into()];
    if let Ok(h) = std::fs::read_to_string("/proc/sys/kernel/hostname") {
        let h = h.trim();
        if !h.is_empty() {
            v.push(h.to_string());
            v.push(format!("{h}.local"));
        }
    }
    let host = public_url
        .split("://")
        .nth(1)
        .unwrap_or(public_url)
        .split('/')
        .next()
        .unwrap_or("");
    let host = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or("")
    } else {
        host.rsplit_once(':').map_or(host, |(h, _)| h)
    };
    if !host.is_empty() && host != "0.0.0.0" && host != "::" {
        v.push(host.to_string());
    }
    let mut seen = std::collections::HashSet::new();
    v.retain(|h| seen.insert(h.clone()));
    v
}

/// Lifetime of a generated certificate: Apple devices refuse a server certificate valid for more
/// than 825 days (and one without the serverAuth usage).
pub const GENERATED_DAYS: i64 = 825;

/// A self-signed certificate (ECDSA P-256, [`GENERATED_DAYS`], serverAuth) for `hosts`:
/// (certificate PEM, key PEM).
pub fn generate(hosts: &[String]) -> anyhow::Result<(String, String)> {
    use chrono::Datelike;
    let mut params =
        rcgen::CertificateParams::new(hosts.to_vec()).context("noms du certificat invalides")?;
    params.distinguished_name.push(
        rcgen::DnType::CommonName,
        "Gestion Usinage — serveur de l'atelier",
    );
    params
        .distinguished_name
        .push(rcgen::DnType::OrganizationName, "Gestion Usinage");
    params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth];
    params.key_usages = vec![rcgen::KeyUsagePurpose::DigitalSignature];
    let ymd = |d: chrono::NaiveDate| rcgen::date_time_ymd(d.year(), d.month() as u8, d.day() as u8);
    let today = chrono::Utc::now().date_naive();
    params.not_before = ymd(today - chrono::Days::new(1));
    params.not_after = ymd(today + chrono::Days::new(GENERATED_DAYS as u64 - 1));
    let key = rcgen::KeyPair::generate().context("génération de la clé")?;
    let cert = params
        .self_signed(&key)
        .context("signature du certificat")?;
    Ok((cert.pem(), key.serialize_pem()))
}

fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(path)
            .with_context(|| format!("écriture de {}", path.display()))?;
        f.write_all(bytes)?;
        Ok(())
    }
    #[cfg(not(unix))]
    {
        std::fs::write(path, bytes).with_context(|| format!("écriture de {}", path.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_are_read_from_the_options_with_french_errors() {
        assert_eq!(Mode::resolve(None, None, None).unwrap(), Mode::Off);
        assert_eq!(Mode::resolve(Some("auto"), None, None).unwrap(), Mode::Auto);
        let m = Mode::resolve(None, Some("c.pem".into()), Some("k.pem".into())).unwrap();
        assert!(matches!(m, Mode::Files { .. }));
        let e = Mode::resolve(Some("files"), Some("c.pem".into()), None).unwrap_err();
        assert!(e.to_string().contains("tls-key"), "{e}");
        let e = Mode::resolve(Some("oui"), None, None).unwrap_err();
        assert!(e.to_string().contains("off, auto ou files"), "{e}");
    }

    #[test]
    fn the_certificate_names_the_public_host_and_localhost_once() {
        let h = hosts("https://nas-atelier.local:8443/");
        assert_eq!(h.iter().filter(|x| *x == "localhost").count(), 1);
        assert!(h.contains(&"nas-atelier.local".to_string()), "{h:?}");
        let h = hosts("https://192.168.1.20:8443");
        assert!(h.contains(&"192.168.1.20".to_string()), "{h:?}");
        let h = hosts("https://[fd00::20]:8443");
        assert!(h.contains(&"fd00::20".to_string()), "{h:?}");
        assert!(!hosts("https://0.0.0.0:8443").contains(&"0.0.0.0".to_string()));
    }

    #[test]
    fn a_generated_certificate_is_kept_and_its_fingerprint_is_stable() {
        let dir = std::env::temp_dir().join(format!("usinage-tls-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let a = prepare(&Mode::Auto, &dir, "https://atelier:8443")
            .unwrap()
            .unwrap();
        let b = prepare(&Mode::Auto, &dir, "https://atelier:8443")
            .unwrap()
            .unwrap();
        assert_eq!(a.fingerprint, b.fingerprint);
        assert_eq!(a.fingerprint.len(), 32 * 3 - 1);
        // Renewed 30 days before it expires (new fingerprint).
        std::fs::write(dir.join("tls/expires"), "2000-01-01\n").unwrap();
        let renewed = prepare(&Mode::Auto, &dir, "https://atelier:8443")
            .unwrap()
            .unwrap();
        assert_ne!(renewed.fingerprint, a.fingerprint);
        let c = prepare(&Mode::Auto, &dir, "https://atelier:8443")
            .unwrap()
            .unwrap();
        assert_eq!(c.fingerprint, renewed.fingerprint);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.join("tls/key.pem"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o077, 0, "the key is readable by its owner only");
        }
        // A key that does not match the certificate is refused in French.
        let (_, other_key) = generate(&["x".into()]).unwrap();
        std::fs::write(dir.join("tls/key.pem"), other_key).unwrap();
        let e = prepare(&Mode::Auto, &dir, "https://atelier:8443")
            .err()
            .unwrap();
        assert!(format!("{e:#}").contains("ne correspondent pas"), "{e:#}");
        std::fs::remove_dir_all(dir).ok();
    }
}
