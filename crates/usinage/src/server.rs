//! Starting and stopping the server: database, demo data, background jobs, HTTP or HTTPS.

use crate::config::Resolved;
use crate::tls;
use anyhow::Context;
use axum::extract::ConnectInfo;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use usinage_api::{ApiConfig, AppState};
use usinage_app::{bootstrap, demo};
use usinage_store::Db;

/// Opens the configured database (creating the SQLite folder) and applies the migrations.
pub async fn open(cfg: &Resolved) -> anyhow::Result<Db> {
    if cfg.database_url.starts_with("sqlite:") {
        std::fs::create_dir_all(&cfg.data_dir)
            .with_context(|| format!("création du dossier {}", cfg.data_dir.display()))?;
    }
    let db = Db::connect(&cfg.database_url, None)
        .await
        .with_context(|| "connexion à la base de données impossible".to_string())?;
    db.migrate().await.context("migrations")?;
    Ok(db)
}

/// An application error as a French message for the terminal.
pub fn app_error(e: usinage_app::AppError) -> anyhow::Error {
    let mut msg = e.detail.fr.clone();
    for f in &e.errors {
        msg.push_str(&format!("\n  - {} : {}", f.field, f.message.fr));
    }
    anyhow::anyhow!(msg)
}

/// Runs `job` at once, then every `period` (a late tick waits rather than bursts), until `stop`
/// changes. A job reports its own errors: one bad run never stops the next.
fn spawn_every<F, Fut>(period: Duration, mut stop: watch::Receiver<bool>, mut job: F)
where
    F: FnMut() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(period);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = stop.changed() => return,
            }
            job().await;
        }
    });
}

/// Background jobs: the alerts snapshot (at start, then every `alerts_minutes`), and the
/// planner's nightly proposal (between 02:00 and 06:00, once a night, if the planning setting
/// asks for it; checked every 10 minutes).
fn spawn_jobs(
    db: &Db,
    bus: usinage_app::shopfloor::events::Bus,
    alerts_minutes: u64,
    stop: &watch::Receiver<bool>,
) {
    let alerts_db = db.clone();
    spawn_every(
        Duration::from_secs(alerts_minutes * 60),
        stop.clone(),
        move || {
            let db = alerts_db.clone();
            async move {
                let today = usinage_api::routes::instruments::paris_today();
                match usinage_app::alerts::recompute(&db, today).await {
                    Ok(n) => tracing::info!(alerts = n, "alerts recomputed"),
                    Err(e) => tracing::warn!(error = %e.detail.fr, "alerts recompute failed"),
                }
            }
        },
    );
    let plan_db = db.clone();
    spawn_every(Duration::from_secs(600), stop.clone(), move || {
        let (db, bus) = (plan_db.clone(), bus.clone());
        async move {
            match usinage_app::planning::proposals::nightly(&db, &bus).await {
                Ok(Some(id)) => tracing::info!(proposal = id, "nightly plan proposed"),
                Ok(None) => {}
                Err(e) => tracing::warn!(error = %e.detail.fr, "nightly plan failed"),
            }
        }
    });
}

/// A server that runs until [`Running::shutdown`].
pub struct Running {
    /// The address actually bound (the port chosen by the system when asked for port 0).
    pub addr: SocketAddr,
    /// `http://…` or `https://…` on that address.
    pub url: String,
    /// The address users reach (QR codes, links in PDFs): the configured public URL, or `url`
    /// when none was given.
    pub public_url: String,
    /// The database backend (`sqlite` or `postgres`).
    pub backend: &'static str,
    /// The first start's temporary admin password (shown once), when no demo was loaded.
    pub admin_password: Option<String>,
    /// SHA-256 fingerprint of the served certificate (`AA:BB:…`), when HTTPS.
    pub tls_fingerprint: Option<String>,
    stop: watch::Sender<bool>,
    task: JoinHandle<anyhow::Result<()>>,
}

impl Running {
    /// Stops accepting, lets open requests finish (10 s at most), stops the background jobs.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = tokio::time::timeout(Duration::from_secs(10), self.task).await;
    }

    /// Waits until the server stops by itself (an accept error) — never, in practice.
    pub async fn wait(&mut self) -> anyhow::Result<()> {
        (&mut self.task).await.context("serveur arrêté")?
    }
}

/// Starts the server described by `cfg` (with the demo data when `demo`).
pub async fn start(cfg: &Resolved, demo_flag: bool) -> anyhow::Result<Running> {
    let db = open(cfg).await?;
    let boot = bootstrap::ensure_initialized(&db, !demo_flag)
        .await
        .map_err(app_error)?;
    if demo_flag {
        let r = demo::load(&db).await.map_err(app_error)?;
        if !r.skipped {
            tracing::info!(users = r.created_users, "demo data loaded");
        }
    }
    let tls = tls::prepare(&cfg.tls, &cfg.data_dir, &cfg.public_url)?;
    let listener = tokio::net::TcpListener::bind(&cfg.listen)
        .await
        .with_context(|| format!("écoute sur {} impossible", cfg.listen))?;
    let addr = listener.local_addr()?;
    let scheme = if tls.is_some() { "https" } else { "http" };
    let url = format!("{scheme}://{addr}");
    // A listen address on port 0 has no public URL of its own: the bound one is used.
    let public_url = if cfg.public_url_explicit {
        cfg.public_url.clone()
    } else {
        url.clone()
    };
    let state = AppState::new(
        db.clone(),
        ApiConfig {
            public_base_url: public_url.clone(),
            serve_ui: cfg.serve_ui,
            demo: demo_flag,
        },
    );
    let bus = state.bus.clone();
    let app = usinage_api::router(state);
    let (stop, stop_rx) = watch::channel(false);
    spawn_jobs(&db, bus, cfg.alerts_interval_minutes, &stop_rx);
    let tls_fingerprint = tls.as_ref().map(|t| t.fingerprint.clone());
    let task = match tls {
        None => tokio::spawn(async move {
            let mut rx = stop_rx;
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .with_graceful_shutdown(async move {
                let _ = rx.changed().await;
            })
            .await?;
            Ok(())
        }),
        Some(t) => tokio::spawn(serve_tls(listener, app, t.acceptor, stop_rx)),
    };
    Ok(Running {
        addr,
        url,
        public_url,
        backend: db.backend().as_str(),
        admin_password: boot.admin_password,
        tls_fingerprint,
        stop,
        task,
    })
}

/// HTTPS: each connection's handshake runs in its own task (a slow client blocks nobody), then
/// HTTP/1.1 or HTTP/2 with the client's address for the login throttle.
async fn serve_tls(
    listener: tokio::net::TcpListener,
    app: axum::Router,
    acceptor: tokio_rustls::TlsAcceptor,
    mut stop: watch::Receiver<bool>,
) -> anyhow::Result<()> {
    use hyper_util::rt::{TokioExecutor, TokioIo};
    use tower::ServiceExt;
    loop {
        let (tcp, peer) = tokio::select! {
            r = listener.accept() => match r {
                Ok(x) => x,
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = stop.changed() => return Ok(()),
        };
        let acceptor = acceptor.clone();
        let app = app.clone();
        let mut stop = stop.clone();
        tokio::spawn(async move {
            let tls =
                match tokio::time::timeout(Duration::from_secs(10), acceptor.accept(tcp)).await {
                    Ok(Ok(s)) => s,
                    Ok(Err(e)) => {
                        tracing::debug!(error = %e, %peer, "TLS handshake refused");
                        return;
                    }
                    Err(_) => return,
                };
            let svc =
                app.map_request(move |mut req: axum::http::Request<hyper::body::Incoming>| {
                    req.extensions_mut().insert(ConnectInfo(peer));
                    req
                });
            let svc = hyper_util::service::TowerToHyperService::new(svc);
            let builder = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
            let conn = builder.serve_connection_with_upgrades(TokioIo::new(tls), svc);
            tokio::pin!(conn);
            tokio::select! {
                _ = conn.as_mut() => {}
                _ = stop.changed() => {
                    conn.as_mut().graceful_shutdown();
                    let _ = conn.await;
                }
            }
        });
    }
}

/// What the desktop app's trial mode needs: a data folder, an address, demo data or not.
#[derive(Debug, Clone)]
pub struct StartOptions {
    pub data_dir: PathBuf,
    /// `127.0.0.1:0` for a free port.
    pub listen: String,
    pub demo: bool,
}

/// Starts a server on SQLite in `data_dir` (the desktop app's "Essai sur ce poste").
pub async fn start_embedded(opts: StartOptions) -> anyhow::Result<Running> {
    let cfg = crate::config::resolve(crate::config::Options {
        data_dir: Some(opts.data_dir),
        listen: Some(opts.listen),
        ..Default::default()
    })?;
    start(&cfg, opts.demo).await
}
