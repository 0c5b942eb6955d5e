//! Configuration, declared once: each option is a command-line flag, a `USINAGE_*` environment
//! variable and a key of the optional TOML file (same name, `-` → `_`), documented here only.
//! Precedence: command line > environment > file > default.

use clap::Args;
use serde::Deserialize;
use std::path::PathBuf;

#[derive(Debug, Clone, Default, Args, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// Fichier de configuration TOML (par défaut : <data-dir>/usinage.toml s'il existe).
    #[arg(long, env = "USINAGE_CONFIG", global = true)]
    #[serde(skip)]
    pub config: Option<PathBuf>,

    /// Dossier des données (base SQLite, sauvegardes, documents). Défaut : ./data
    #[arg(long, env = "USINAGE_DATA_DIR", global = true)]
    pub data_dir: Option<PathBuf>,

    /// Base de données : sqlite://chemin?mode=rwc ou postgres://utilisateur@hôte/base.
    /// Défaut : le fichier SQLite <data-dir>/usinage.db
    #[arg(long, env = "USINAGE_DATABASE_URL", global = true)]
    pub database_url: Option<String>,

    /// Adresse d'écoute du serveur. Défaut : 127.0.0.1:8080 (0.0.0.0:8080 pour le réseau local)
    #[arg(long, env = "USINAGE_LISTEN", global = true)]
    pub listen: Option<String>,

    /// URL publique de l'interface vue des postes et des téléphones (encodée dans les QR codes),
    /// ex. http://atelier.local:8080. Défaut : http://<listen>
    #[arg(long, env = "USINAGE_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,

    /// Servir l'interface web aux navigateurs (true/false). Défaut : true
    #[arg(long, env = "USINAGE_SERVE_UI", global = true)]
    pub serve_ui: Option<bool>,

    /// Format des journaux : text ou json. Défaut : text
    #[arg(long, env = "USINAGE_LOG_FORMAT", global = true)]
    pub log_format: Option<String>,

    /// Intervalle de recalcul des alertes (stocks, étalonnages, habilitations), en minutes,
    /// de 1 à 1440. Défaut : 15
    #[arg(long, env = "USINAGE_ALERTS_INTERVAL_MINUTES", global = true)]
    pub alerts_interval_minutes: Option<u64>,

    /// HTTPS : off (HTTP simple), auto (certificat auto-signé créé au premier démarrage dans
    /// <data-dir>/tls/, empreinte affichée au démarrage) ou files (certificat et clé fournis par
    /// tls-cert et tls-key). Défaut : off, ou files si tls-cert est donné
    #[arg(long, env = "USINAGE_TLS", global = true)]
    pub tls: Option<String>,

    /// Certificat du serveur (PEM, chaîne complète) pour tls = files
    #[arg(long, env = "USINAGE_TLS_CERT", global = true)]
    pub tls_cert: Option<PathBuf>,

    /// Clé privée du certificat (PEM, PKCS#8, RSA ou EC) pour tls = files
    #[arg(long, env = "USINAGE_TLS_KEY", global = true)]
    pub tls_key: Option<PathBuf>,
}

/// Options once merged, with defaults applied.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub data_dir: PathBuf,
    pub database_url: String,
    pub listen: String,
    pub public_url: String,
    pub serve_ui: bool,
    pub log_format: String,
    pub alerts_interval_minutes: u64,
    pub tls: crate::tls::Mode,
    /// Whether `public_url` was given (else it is derived from the address actually bound).
    pub public_url_explicit: bool,
}

fn merge(cli: Options, file: Options) -> Options {
    Options {
        config: cli.config,
        data_dir: cli.data_dir.or(file.data_dir),
        database_url: cli.database_url.or(file.database_url),
        listen: cli.listen.or(file.listen),
        public_url: cli.public_url.or(file.public_url),
        serve_ui: cli.serve_ui.or(file.serve_ui),
        log_format: cli.log_format.or(file.log_format),
        alerts_interval_minutes: cli.alerts_interval_minutes.or(file.alerts_interval_minutes),
        tls: cli.tls.or(file.tls),
        tls_cert: cli.tls_cert.or(file.tls_cert),
        tls_key: cli.tls_key.or(file.tls_key),
    }
}

pub fn resolve(cli: Options) -> anyhow::Result<Resolved> {
    let default_dir = cli
        .data_dir
        .clone()
        .unwrap_or_else(|| PathBuf::from("./data"));
    let file_path = cli
        .config
        .clone()
        .or_else(|| Some(default_dir.join("usinage.toml")).filter(|p| p.exists()));
    let file = match &file_path {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .map_err(|e| anyhow::anyhow!("lecture de {} impossible : {e}", p.display()))?;
            toml::from_str::<Options>(&text).map_err(|e| {
                anyhow::anyhow!("fichier de configuration {} invalide : {e}", p.display())
            })?
        }
        None => Options::default(),
    };
    let o = merge(cli, file);
    let data_dir = o.data_dir.unwrap_or_else(|| PathBuf::from("./data"));
    let database_url = o.database_url.unwrap_or_else(|| {
        format!(
            "sqlite://{}?mode=rwc",
            data_dir.join("usinage.db").display()
        )
    });
    let listen = o.listen.unwrap_or_else(|| "127.0.0.1:8080".into());
    let tls = crate::tls::Mode::resolve(o.tls.as_deref(), o.tls_cert, o.tls_key)?;
    let public_url_explicit = o.public_url.is_some();
    let scheme = if tls == crate::tls::Mode::Off {
        "http"
    } else {
        "https"
    };
    let public_url = o
        .public_url
        .unwrap_or_else(|| format!("{scheme}://{listen}"));
    let log_format = o.log_format.unwrap_or_else(|| "text".into());
    if !matches!(log_format.as_str(), "text" | "json") {
        anyhow::bail!("log-format doit valoir text ou json (reçu : {log_format})");
    }
    let alerts_interval_minutes = o.alerts_interval_minutes.unwrap_or(15);
    if !(1..=1440).contains(&alerts_interval_minutes) {
        anyhow::bail!(
            "alerts-interval-minutes doit être compris entre 1 et 1440 (reçu : {alerts_interval_minutes})"
        );
    }
    Ok(Resolved {
        data_dir,
        database_url,
        listen,
        public_url: public_url.trim_end_matches('/').to_string(),
        serve_ui: o.serve_ui.unwrap_or(true),
        log_format,
        alerts_interval_minutes,
        tls,
        public_url_explicit,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_line_beats_file_and_defaults_fill_the_rest() {
        let cli = Options {
            listen: Some("0.0.0.0:9000".into()),
            ..Default::default()
        };
        let file: Options = toml::from_str("listen = \"127.0.0.1:1\"\npublic_url = \"http://atelier.local:9000/\"\nserve_ui = false").unwrap();
        let merged = merge(cli, file);
        assert_eq!(merged.listen.as_deref(), Some("0.0.0.0:9000"));
        assert_eq!(merged.serve_ui, Some(false));
        let dir = std::env::temp_dir().join(format!("usinage-cfg-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("usinage.toml"),
            "public_url = \"http://atelier.local:9000/\"\n",
        )
        .unwrap();
        let r = resolve(Options {
            data_dir: Some(dir.clone()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(r.public_url, "http://atelier.local:9000");
        assert_eq!(r.listen, "127.0.0.1:8080");
        assert_eq!(r.alerts_interval_minutes, 15);
        assert!(
            r.database_url.starts_with("sqlite://")
                && r.database_url.ends_with("usinage.db?mode=rwc")
        );
        std::fs::remove_dir_all(dir).ok();
    }

    #[test]
    fn unknown_keys_in_the_file_are_refused() {
        assert!(toml::from_str::<Options>("lisen = \"x\"").is_err());
    }
}
