//! `usinage`: the one binary of Gestion Usinage.

use anyhow::Context;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::time::Instant;
use usinage::{app_error, config, open};
use usinage_app::{Ctx, audit, backup, bootstrap, demo};

#[derive(Parser)]
#[command(
    name = "usinage",
    version,
    about = "Gestion Usinage : ERP/MES pour ateliers d'usinage (un seul binaire, SQLite ou PostgreSQL).",
    disable_help_subcommand = true
)]
struct Cli {
    #[command(flatten)]
    options: config::Options,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Démarre le serveur (API, interface web, documentation /api/docs).
    Serve {
        /// Charge les données de démonstration si la base est vide.
        #[arg(long, env = "USINAGE_DEMO")]
        demo: bool,
    },
    /// Applique les migrations de la base de données.
    Migrate,
    /// Charge les données de démonstration dans une base vide.
    Demo,
    /// Administration des comptes.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Sauvegarde toute la base dans un fichier JSON (SQLite ou PostgreSQL).
    Backup {
        /// Fichier de sortie.
        file: PathBuf,
    },
    /// Restaure une sauvegarde dans une base vide.
    Restore {
        /// Fichier de sauvegarde.
        file: PathBuf,
    },
    /// Affiche l'empreinte SHA-256 du certificat HTTPS (à comparer avec celle que montre
    /// l'application de bureau à la première connexion) ; le crée si tls = auto.
    Tls,
    /// Journal d'audit.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Crée un compte ; le mot de passe provisoire affiché devra être changé à la première connexion.
    CreateUser {
        /// Identifiant (a-z, 0-9, . _ -).
        #[arg(long)]
        login: String,
        /// Nom complet.
        #[arg(long)]
        full_name: String,
        /// Rôles séparés par des virgules (admin, direction, chef_atelier, methode, qualite, commercial, comptabilite, operateur).
        #[arg(long, value_delimiter = ',')]
        roles: Vec<String>,
        /// Adresse e-mail.
        #[arg(long)]
        email: Option<String>,
    },
    /// Remplace le mot de passe d'un compte par un mot de passe provisoire affiché une fois.
    ResetPassword {
        /// Identifiant du compte.
        #[arg(long)]
        login: String,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Vérifie la chaîne d'empreintes du journal d'audit (code de sortie 1 si elle est rompue).
    Verify,
}

fn init_logs(format: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("USINAGE_LOG")
        .unwrap_or_else(|_| "info,sqlx=warn,sea_orm=warn".into());
    let b = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if format == "json" {
        b.json().init();
    } else {
        b.init();
    }
}

fn temp_password() -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut b = [0u8; 12];
    rand::rng().fill_bytes(&mut b);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

#[tokio::main]
async fn main() {
    if let Err(e) = run().await {
        eprintln!("erreur : {e:#}");
        std::process::exit(2);
    }
}

async fn run() -> anyhow::Result<()> {
    let started = Instant::now();
    let cli = Cli::parse();
    let cfg = config::resolve(cli.options)?;
    init_logs(&cfg.log_format);
    match cli.command {
        Command::Serve { demo } => serve(cfg, demo, started).await,
        Command::Migrate => {
            open(&cfg).await?;
            println!("Migrations appliquées.");
            Ok(())
        }
        Command::Demo => {
            let db = open(&cfg).await?;
            let r = demo::load(&db).await.map_err(app_error)?;
            if r.skipped {
                println!("La base contient déjà des comptes : démo non chargée.");
            } else {
                println!(
                    "Démo chargée : {} comptes (mot de passe {}).",
                    r.created_users,
                    demo::DEMO_PASSWORD
                );
            }
            Ok(())
        }
        Command::Admin { command } => admin(cfg, command).await,
        Command::Tls => match usinage::tls::prepare(&cfg.tls, &cfg.data_dir, &cfg.public_url)? {
            Some(t) => {
                println!("Certificat : {}", t.cert_path.display());
                println!("Empreinte SHA-256 : {}", t.fingerprint);
                Ok(())
            }
            None => anyhow::bail!("HTTPS désactivé (tls = off) : rien à afficher"),
        },
        Command::Backup { file } => {
            let db = open(&cfg).await?;
            let b = backup::dump(&db).await.map_err(app_error)?;
            let json = serde_json::to_vec_pretty(&b)?;
            let tmp = file.with_extension("tmp");
            std::fs::write(&tmp, &json)
                .with_context(|| format!("écriture de {}", tmp.display()))?;
            std::fs::rename(&tmp, &file)?;
            println!(
                "Sauvegarde écrite : {} ({} utilisateurs, {} lignes d'audit, {} octets).",
                file.display(),
                b.tables.users.len(),
                b.tables.audit_log.len(),
                json.len()
            );
            Ok(())
        }
        Command::Restore { file } => {
            let db = open(&cfg).await?;
            let text =
                std::fs::read(&file).with_context(|| format!("lecture de {}", file.display()))?;
            let b: backup::Backup = serde_json::from_slice(&text)
                .context("ce fichier n'est pas une sauvegarde lisible")?;
            backup::restore(&db, b).await.map_err(app_error)?;
            let v = audit::verify(&db).await.map_err(app_error)?;
            println!(
                "Restauration terminée ; journal d'audit : {} lignes vérifiées, {}.",
                v.checked,
                if v.ok { "intègre" } else { "ROMPU" }
            );
            Ok(())
        }
        Command::Audit {
            command: AuditCommand::Verify,
        } => {
            let db = open(&cfg).await?;
            let v = audit::verify(&db).await.map_err(app_error)?;
            if v.ok {
                println!(
                    "OK : journal d'audit intègre ({} lignes vérifiées).",
                    v.checked
                );
                Ok(())
            } else {
                println!(
                    "ALTÉRÉ : première ligne en cause n° {} — {}.",
                    v.first_bad_id.unwrap_or(0),
                    v.reason.unwrap_or_default()
                );
                std::process::exit(1);
            }
        }
    }
}

async fn admin(cfg: config::Resolved, command: AdminCommand) -> anyhow::Result<()> {
    let db = open(&cfg).await?;
    bootstrap::ensure_initialized(&db, false)
        .await
        .map_err(app_error)?;
    let ctx = Ctx::system("cli");
    match command {
        AdminCommand::CreateUser {
            login,
            full_name,
            roles,
            email,
        } => {
            let password = temp_password();
            let u = usinage_app::users::create(
                &db,
                &ctx,
                usinage_app::users::NewUser {
                    login,
                    full_name,
                    email,
                    password: password.clone(),
                    roles,
                    active: Some(true),
                    employee_id: None,
                    must_change_password: Some(true),
                },
            )
            .await
            .map_err(app_error)?;
            println!(
                "Compte « {} » créé (n° {}). Mot de passe provisoire, affiché une seule fois : {password}",
                u.login, u.id
            );
        }
        AdminCommand::ResetPassword { login } => {
            use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
            let u = usinage_store::entities::user::Entity::find()
                .filter(
                    usinage_store::entities::user::Column::Login.eq(login.trim().to_lowercase()),
                )
                .one(&db.conn)
                .await?
                .ok_or_else(|| anyhow::anyhow!("aucun compte « {login} »"))?;
            let password = temp_password();
            usinage_app::users::update(
                &db,
                &ctx,
                u.id,
                usinage_app::users::UserPatch {
                    version: u.version,
                    password: Some(password.clone()),
                    must_change_password: Some(true),
                    active: Some(true),
                    ..Default::default()
                },
            )
            .await
            .map_err(app_error)?;
            println!(
                "Mot de passe de « {} » réinitialisé. Mot de passe provisoire, affiché une seule fois : {password}",
                u.login
            );
        }
    }
    Ok(())
}

async fn serve(cfg: config::Resolved, demo_flag: bool, started: Instant) -> anyhow::Result<()> {
    let mut server = usinage::start(&cfg, demo_flag).await?;
    println!(
        "Gestion Usinage {} — base {} — prêt en {} ms",
        env!("CARGO_PKG_VERSION"),
        server.backend,
        started.elapsed().as_millis()
    );
    let public = &server.public_url;
    println!("Ouvrez {public}/ (documentation de l'API : {public}/api/docs)");
    if let Some(fp) = &server.tls_fingerprint {
        println!(
            "HTTPS — empreinte SHA-256 du certificat (à vérifier à la première connexion) : {fp}"
        );
    }
    if let Some(pw) = &server.admin_password {
        println!(
            "Premier démarrage : compte « admin », mot de passe provisoire (affiché une seule fois, à changer à la première connexion) : {pw}"
        );
    }
    if demo_flag {
        println!(
            "Comptes de démonstration (mot de passe « {} ») : {}",
            demo::DEMO_PASSWORD,
            demo::DEMO_USERS
                .iter()
                .map(|u| u.0)
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let signal = async {
        let ctrl_c = tokio::signal::ctrl_c();
        #[cfg(unix)]
        {
            let mut term =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                    .expect("signal handler");
            tokio::select! { _ = ctrl_c => {}, _ = term.recv() => {} }
        }
        #[cfg(not(unix))]
        {
            let _ = ctrl_c.await;
        }
    };
    let ended = tokio::select! {
        _ = signal => None,
        r = server.wait() => Some(r),
    };
    match ended {
        Some(r) => r,
        None => {
            server.shutdown().await;
            Ok(())
        }
    }
}
