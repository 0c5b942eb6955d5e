//! The servers this workstation knows (JSON in the app's config folder): address, what it
//! said about itself, and the pinned certificate for https.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct KnownServer {
    /// Normalised origin: `https://nas-atelier:8443`.
    pub url: String,
    #[serde(default)]
    pub company: Option<String>,
    #[serde(default)]
    pub version: Option<String>,
    /// SHA-256 of the accepted certificate (`AA:BB:…`), https only.
    #[serde(default)]
    pub fingerprint: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ServerList {
    #[serde(default)]
    pub last: Option<String>,
    #[serde(default)]
    pub servers: Vec<KnownServer>,
}

impl ServerList {
    pub fn load(path: &Path) -> ServerList {
        std::fs::read(path)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    pub fn save(&self, path: &Path) -> anyhow::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, serde_json::to_vec_pretty(self)?)?;
        std::fs::rename(tmp, path)?;
        Ok(())
    }

    pub fn get(&self, url: &str) -> Option<&KnownServer> {
        self.servers.iter().find(|s| s.url == url)
    }

    /// Adds or updates a server (keeps its pin unless `update` carries one).
    pub fn upsert(&mut self, update: KnownServer) {
        match self.servers.iter_mut().find(|s| s.url == update.url) {
            Some(s) => {
                s.company = update.company.or(s.company.take());
                s.version = update.version.or(s.version.take());
                if update.fingerprint.is_some() {
                    s.fingerprint = update.fingerprint;
                }
            }
            None => self.servers.push(update),
        }
    }

    pub fn forget(&mut self, url: &str) {
        self.servers.retain(|s| s.url != url);
        if self.last.as_deref() == Some(url) {
            self.last = None;
        }
    }
}

pub fn list_path(config_dir: &Path) -> PathBuf {
    config_dir.join("serveurs.json")
}

/// `nas-atelier:8443` → `http://nas-atelier:8443`; keeps only scheme, host and port.
pub fn normalise(input: &str) -> Result<String, String> {
    let input = input.trim();
    if input.is_empty() {
        return Err("Saisissez l'adresse du serveur de l'atelier.".into());
    }
    let with_scheme = if input.contains("://") {
        input.to_string()
    } else {
        format!("http://{input}")
    };
    let url = url::Url::parse(&with_scheme)
        .map_err(|_| format!("« {input} » n'est pas une adresse valide."))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err("L'adresse doit commencer par http:// ou https://.".into());
    }
    let host = url
        .host_str()
        .ok_or_else(|| format!("« {input} » n'a pas de nom de serveur."))?;
    Ok(match url.port() {
        Some(p) => format!("{}://{host}:{p}", url.scheme()),
        None => format!("{}://{host}", url.scheme()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_addresses() {
        assert_eq!(
            normalise("nas-atelier:8080").unwrap(),
            "http://nas-atelier:8080"
        );
        assert_eq!(
            normalise(" https://nas-atelier:8443/login ").unwrap(),
            "https://nas-atelier:8443"
        );
        assert_eq!(
            normalise("http://192.168.1.10:8080/").unwrap(),
            "http://192.168.1.10:8080"
        );
        assert!(normalise("ftp://x").is_err());
        assert!(normalise("").is_err());
    }

    #[test]
    fn keeps_pins_and_round_trips() {
        let dir = std::env::temp_dir().join(format!("usinage-desktop-{}", std::process::id()));
        let path = list_path(&dir);
        let mut list = ServerList::default();
        list.upsert(KnownServer {
            url: "https://a:8443".into(),
            company: Some("ACME".into()),
            version: None,
            fingerprint: Some("AA:BB".into()),
        });
        list.upsert(KnownServer {
            url: "https://a:8443".into(),
            company: None,
            version: Some("0.1.0".into()),
            fingerprint: None,
        });
        list.last = Some("https://a:8443".into());
        list.save(&path).unwrap();
        let back = ServerList::load(&path);
        let a = back.get("https://a:8443").unwrap();
        assert_eq!(a.fingerprint.as_deref(), Some("AA:BB"));
        assert_eq!(a.company.as_deref(), Some("ACME"));
        assert_eq!(a.version.as_deref(), Some("0.1.0"));
        let _ = std::fs::remove_dir_all(dir);
    }
}
