//! Talking to the shop's server: one HTTP client per server (pinned certificate for https),
//! and the probe of `/api/v1/info` the launcher runs before opening the UI.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::tls::PinVerifier;

/// The API contract this build speaks (`api_version` of `/api/v1/info`).
pub const SUPPORTED_API_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ServerInfo {
    pub name: String,
    pub version: String,
    /// Absent on servers older than the field: they speak version 1.
    #[serde(default = "one")]
    pub api_version: u32,
    #[serde(default)]
    pub company: Option<String>,
    #[serde(default)]
    pub database: Option<String>,
    #[serde(default)]
    pub demo: bool,
}

fn one() -> u32 {
    1
}

/// What the launcher learns from a first contact.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Probe {
    Ok {
        url: String,
        info: ServerInfo,
    },
    /// https, never seen: ask the user to trust this certificate.
    Untrusted {
        url: String,
        fingerprint: String,
    },
    /// https, another certificate than the pinned one: possible interception.
    Mismatch {
        url: String,
        expected: String,
        fingerprint: String,
    },
    Incompatible {
        url: String,
        info: ServerInfo,
        message: String,
    },
    Error {
        url: String,
        message: String,
    },
}

/// A client for one server; `seen` holds the fingerprint of the last certificate presented.
pub struct Client {
    pub http: reqwest::Client,
    pub seen: Arc<Mutex<Option<String>>>,
    pub pin: Option<String>,
}

pub fn client(pin: Option<String>) -> anyhow::Result<Client> {
    let builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(5))
        .pool_idle_timeout(Duration::from_secs(30))
        .tcp_keepalive(Duration::from_secs(20))
        .no_proxy();
    let verifier = PinVerifier::new(pin.clone());
    let seen = verifier.seen();
    // Our own TLS configuration even for http:// (where it is never used): left alone, reqwest
    // builds one on the system's certificate store and fails where there is none (a minimal
    // system without ca-certificates, seen with the AppImage). Shop servers are trusted by pin.
    let mut tls = verifier.client_config()?;
    tls.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    let builder = builder.tls_backend_preconfigured(tls);
    Ok(Client {
        http: builder.build()?,
        seen,
        pin,
    })
}

impl Client {
    /// The certificate presented differs from the pin (or nothing is pinned yet).
    pub fn cert_refused(&self) -> Option<String> {
        let seen = self.seen.lock().expect("fingerprint lock").clone()?;
        (self.pin.as_deref() != Some(seen.as_str())).then_some(seen)
    }
}

pub fn version_message(info: &ServerInfo) -> Option<String> {
    (info.api_version != SUPPORTED_API_VERSION).then(|| {
        format!(
            "Ce poste (version {}) ne peut pas utiliser ce serveur (API v{}) : mettez à jour l'application{}.",
            env!("CARGO_PKG_VERSION"),
            info.api_version,
            if info.api_version < SUPPORTED_API_VERSION {
                " du serveur"
            } else {
                ""
            }
        )
    })
}

pub async fn probe(url: &str, pin: Option<String>) -> Probe {
    let url = url.to_string();
    let c = match client(pin.clone()) {
        Ok(c) => c,
        Err(e) => {
            return Probe::Error {
                url,
                message: format!("Connexion impossible : {e}"),
            };
        }
    };
    let res = c
        .http
        .get(format!("{url}/api/v1/info"))
        .timeout(Duration::from_secs(8))
        .send()
        .await;
    match res {
        Ok(r) if r.status().is_success() => match r.bytes().await.map(|b| serde_json::from_slice::<ServerInfo>(&b)) {
            Ok(Ok(info)) => match version_message(&info) {
                Some(message) => Probe::Incompatible { url, info, message },
                None => Probe::Ok { url, info },
            },
            _ => Probe::Error {
                url,
                message: "Ce serveur répond, mais ce n'est pas Gestion Usinage (réponse /api/v1/info illisible).".into(),
            },
        },
        Ok(r) => Probe::Error {
            url,
            message: format!(
                "Ce serveur répond {} à /api/v1/info : est-ce bien Gestion Usinage ?",
                r.status()
            ),
        },
        Err(e) => match (c.cert_refused(), pin) {
            (Some(fingerprint), None) => Probe::Untrusted { url, fingerprint },
            (Some(fingerprint), Some(expected)) => Probe::Mismatch {
                url,
                expected,
                fingerprint,
            },
            (None, _) => Probe::Error {
                message: unreachable_message(&url, &e),
                url,
            },
        },
    }
}

fn unreachable_message(url: &str, e: &reqwest::Error) -> String {
    if e.is_timeout() {
        format!(
            "Le serveur {url} ne répond pas (délai dépassé). Est-il allumé et sur le même réseau ?"
        )
    } else if e.is_connect() {
        format!(
            "Impossible de joindre {url} : vérifiez l'adresse, le port, et que le serveur est démarré."
        )
    } else {
        format!("Impossible de joindre {url} : {e}")
    }
}
