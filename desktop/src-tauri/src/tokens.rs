//! The session tokens of each server, kept in the system's credential store (never in the
//! web page's localStorage). On Linux: the Secret Service (GNOME Keyring, KWallet) when a
//! daemon runs, else the kernel keyring (kept for the login session only: after a reboot the
//! user signs in again). When neither works the tokens stay in memory for this launch.

use std::collections::HashMap;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

const SERVICE: &str = "gestion-usinage";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Tokens {
    pub access: String,
    pub refresh: String,
}

/// Which store holds the tokens (shown in the logs and in "À propos").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Backend {
    SecretService,
    KernelKeyring,
    System,
    Memory,
}

impl Backend {
    pub fn label(self) -> &'static str {
        match self {
            Backend::SecretService => "trousseau du système (Secret Service)",
            Backend::KernelKeyring => "trousseau du noyau (session)",
            Backend::System => "trousseau du système",
            Backend::Memory => "mémoire (session en cours uniquement)",
        }
    }
}

pub struct TokenStore {
    backend: Backend,
    cache: Mutex<HashMap<String, Option<Tokens>>>,
}

impl TokenStore {
    /// Finds a store that works here (tries a harmless read).
    pub fn detect() -> TokenStore {
        let backend = [
            Backend::SecretService,
            Backend::KernelKeyring,
            Backend::System,
        ]
        .into_iter()
        .find(|b| match entry(*b, "__probe__") {
            Some(e) => matches!(e.get_password(), Ok(_) | Err(keyring::Error::NoEntry)),
            None => false,
        })
        .unwrap_or(Backend::Memory);
        tracing::info!(store = backend.label(), "tokens store");
        TokenStore {
            backend,
            cache: Mutex::default(),
        }
    }

    /// Tokens kept in memory only (tests).
    #[cfg(test)]
    pub fn memory() -> TokenStore {
        TokenStore {
            backend: Backend::Memory,
            cache: Mutex::default(),
        }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn get(&self, server: &str) -> Option<Tokens> {
        if let Some(t) = self.cache.lock().expect("tokens lock").get(server) {
            return t.clone();
        }
        let found = entry(self.backend, server)
            .and_then(|e| e.get_password().ok())
            .and_then(|s| serde_json::from_str::<Tokens>(&s).ok());
        self.cache
            .lock()
            .expect("tokens lock")
            .insert(server.to_string(), found.clone());
        found
    }

    pub fn set(&self, server: &str, tokens: Option<Tokens>) {
        if let Some(e) = entry(self.backend, server) {
            let res = match &tokens {
                Some(t) => e.set_password(&serde_json::to_string(t).expect("tokens json")),
                None => match e.delete_credential() {
                    Err(keyring::Error::NoEntry) => Ok(()),
                    other => other,
                },
            };
            if let Err(err) = res {
                tracing::warn!(%err, "credential store write failed; tokens kept in memory");
            }
        }
        self.cache
            .lock()
            .expect("tokens lock")
            .insert(server.to_string(), tokens);
    }
}

fn entry(backend: Backend, user: &str) -> Option<keyring::Entry> {
    match backend {
        #[cfg(target_os = "linux")]
        Backend::SecretService => {
            keyring::secret_service::SsCredential::new_with_target(None, SERVICE, user)
                .ok()
                .map(|c| keyring::Entry::new_with_credential(Box::new(c)))
        }
        #[cfg(target_os = "linux")]
        Backend::KernelKeyring => {
            keyring::keyutils::KeyutilsCredential::new_with_target(None, SERVICE, user)
                .ok()
                .map(|c| keyring::Entry::new_with_credential(Box::new(c)))
        }
        #[cfg(not(target_os = "linux"))]
        Backend::System => keyring::Entry::new(SERVICE, user).ok(),
        Backend::Memory => None,
        #[allow(unreachable_patterns)]
        _ => None,
    }
}
