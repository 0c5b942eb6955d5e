//! Gestion Usinage on the desktop: a launcher (choose the shop's server, or a local trial),
//! then the server's own web UI through a loopback proxy (see `proxy`), with tokens in the
//! system's credential store, French menus, remembered window state, downloads opened by
//! the system. Design and limits: docs/desktop.md.

mod alerts;
mod essai;
mod menu;
mod proxy;
mod servers;
mod tls;
mod tokens;
mod upstream;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use serde_json::json;
use tauri::webview::DownloadEvent;
use tauri::{AppHandle, Manager, Runtime, State, WebviewUrl, WebviewWindowBuilder};

use proxy::{Proxy, Upstream};
use servers::{KnownServer, ServerList};
use upstream::Probe;

pub const MAIN: &str = "main";
const ESSAI_KEY: &str = "essai";

/// How the app was asked to start (for scripts and tests; the launcher otherwise).
#[derive(Debug, Clone, PartialEq)]
enum AutoStart {
    None,
    Essai,
    Server(String),
}

fn auto_start() -> AutoStart {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--essai")
        || std::env::var("USINAGE_DESKTOP_MODE").is_ok_and(|m| m == "essai")
    {
        return AutoStart::Essai;
    }
    let from_args = args
        .iter()
        .position(|a| a == "--serveur" || a == "--server")
        .and_then(|i| args.get(i + 1).cloned());
    match from_args.or_else(|| std::env::var("USINAGE_DESKTOP_SERVER").ok()) {
        Some(s) if !s.trim().is_empty() => AutoStart::Server(s),
        _ => AutoStart::None,
    }
}

pub struct Desktop {
    proxy: Arc<Proxy>,
    config_dir: PathBuf,
    data_dir: PathBuf,
    servers: Mutex<()>,
    essai: essai::Essai,
    pub zoom: Mutex<f64>,
    launcher_url: Mutex<Option<tauri::Url>>,
    /// What the automatic start (env/CLI) is doing or why it failed, for the launcher.
    auto: Mutex<serde_json::Value>,
}

impl Desktop {
    fn list_path(&self) -> PathBuf {
        servers::list_path(&self.config_dir)
    }
    fn load(&self) -> ServerList {
        ServerList::load(&self.list_path())
    }
    fn update(&self, f: impl FnOnce(&mut ServerList)) -> Result<(), String> {
        let _g = self.servers.lock().expect("servers lock");
        let mut list = self.load();
        f(&mut list);
        list.save(&self.list_path())
            .map_err(|e| format!("Impossible d'enregistrer la liste des serveurs : {e}"))
    }
}

fn navigate_to_ui<R: Runtime>(app: &AppHandle<R>) -> Result<(), String> {
    let d = app.state::<Desktop>();
    let url: tauri::Url = format!("{}/", d.proxy.origin())
        .parse()
        .map_err(|e| format!("{e}"))?;
    let win = app
        .get_webview_window(MAIN)
        .ok_or("Fenêtre principale absente")?;
    win.navigate(url).map_err(|e| e.to_string())
}

/// Back to the launcher page (menu Fichier › Changer de serveur, or the banner's button).
pub fn show_launcher<R: Runtime>(app: &AppHandle<R>) {
    let d = app.state::<Desktop>();
    let url = d.launcher_url.lock().expect("launcher lock").clone();
    if let (Some(win), Some(url)) = (app.get_webview_window(MAIN), url)
        && let Err(e) = win.navigate(url)
    {
        tracing::warn!(%e, "back to the launcher failed");
    }
}

pub fn open_docs<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    let d = app.state::<Desktop>();
    if d.proxy.upstream().is_none() {
        return Ok(());
    }
    if let Some(w) = app.get_webview_window("docs") {
        return w.set_focus();
    }
    let url: tauri::Url = format!("{}/api/docs", d.proxy.origin())
        .parse()
        .expect("loopback url");
    WebviewWindowBuilder::new(app, "docs", WebviewUrl::External(url))
        .title("Gestion Usinage — documentation de l'API")
        .inner_size(1100.0, 800.0)
        .build()
        .map(|_| ())
}

pub fn about_text<R: Runtime>(app: &AppHandle<R>) -> String {
    let d = app.state::<Desktop>();
    let server = d
        .proxy
        .upstream()
        .map(|u| {
            if u.token_key == ESSAI_KEY {
                "essai sur ce poste".to_string()
            } else {
                u.base.clone()
            }
        })
        .unwrap_or_else(|| "aucun".into());
    format!(
        "Gestion Usinage — application de bureau {}\nAPI prise en charge : v{}\nServeur : {}\nJetons de session : {}",
        env!("CARGO_PKG_VERSION"),
        upstream::SUPPORTED_API_VERSION,
        server,
        d.proxy.tokens.backend().label()
    )
}

// ---- commands of the launcher page ------------------------------------------------------------

#[tauri::command]
fn launcher_state(d: State<'_, Desktop>) -> serde_json::Value {
    let list = d.load();
    json!({
        "servers": list.servers,
        "last": list.last,
        "version": env!("CARGO_PKG_VERSION"),
        "api_version": upstream::SUPPORTED_API_VERSION,
        "essai_available": essai::Essai::available(),
        "essai_dir": d.data_dir.join("essai"),
        "token_store": d.proxy.tokens.backend().label(),
        "auto": *d.auto.lock().expect("auto lock"),
    })
}

#[tauri::command]
async fn probe_server(d: State<'_, Desktop>, address: String) -> Result<Probe, String> {
    let url = servers::normalise(&address)?;
    let pin = d.load().get(&url).and_then(|s| s.fingerprint.clone());
    Ok(upstream::probe(&url, pin).await)
}

/// Pins `fingerprint` for `url` (first use, or "Remplacer le certificat").
#[tauri::command]
fn trust_certificate(
    d: State<'_, Desktop>,
    url: String,
    fingerprint: String,
) -> Result<(), String> {
    let url = servers::normalise(&url)?;
    d.update(|l| {
        l.upsert(KnownServer {
            url,
            company: None,
            version: None,
            fingerprint: Some(fingerprint),
        })
    })
}

#[tauri::command]
fn forget_server(d: State<'_, Desktop>, url: String) -> Result<(), String> {
    d.update(|l| l.forget(&url))
}

#[tauri::command]
async fn open_server(app: AppHandle, address: String) -> Result<(), String> {
    connect(&app, &address).await
}

#[tauri::command]
async fn start_essai(app: AppHandle) -> Result<(), String> {
    essai(&app).await
}

async fn connect<R: Runtime>(app: &AppHandle<R>, address: &str) -> Result<(), String> {
    let d = app.state::<Desktop>();
    let url = servers::normalise(address)?;
    let pin = d.load().get(&url).and_then(|s| s.fingerprint.clone());
    let info = match upstream::probe(&url, pin.clone()).await {
        Probe::Ok { info, .. } => info,
        Probe::Untrusted { fingerprint, .. } => {
            return Err(format!(
                "Certificat à accepter d'abord (empreinte {fingerprint})."
            ));
        }
        Probe::Mismatch { .. } => {
            return Err("Le certificat du serveur a changé : connexion refusée.".into());
        }
        Probe::Incompatible { message, .. } | Probe::Error { message, .. } => return Err(message),
    };
    let client = upstream::client(pin).map_err(|e| e.to_string())?;
    d.update(|l| {
        l.upsert(KnownServer {
            url: url.clone(),
            company: info.company.clone(),
            version: Some(info.version.clone()),
            fingerprint: None,
        });
        l.last = Some(url.clone());
    })?;
    d.proxy.set_upstream(Some(Upstream {
        base: url.clone(),
        token_key: url,
        client,
    }));
    navigate_to_ui(app)
}

async fn essai<R: Runtime>(app: &AppHandle<R>) -> Result<(), String> {
    let d = app.state::<Desktop>();
    let url = d.essai.ensure(&d.data_dir).await?;
    let client = upstream::client(None).map_err(|e| e.to_string())?;
    d.proxy.set_upstream(Some(Upstream {
        base: url,
        token_key: ESSAI_KEY.into(),
        client,
    }));
    navigate_to_ui(app)
}

// ---- set-up ---------------------------------------------------------------------------------------

fn init_script(proxy: &Proxy) -> String {
    include_str!("init.js")
        .replace("__ORIGIN__", &proxy.origin())
        .replace("__SECRET__", &proxy.secret)
        .replace("__VERSION__", env!("CARGO_PKG_VERSION"))
}

/// Downloads (PDFs of quotes, labels…) land in the Downloads folder and open in the system's
/// viewer, which also prints them.
fn on_download<R: Runtime>(webview: tauri::Webview<R>, event: DownloadEvent<'_>) -> bool {
    match event {
        DownloadEvent::Requested { url, destination } => {
            let dir = webview
                .app_handle()
                .path()
                .download_dir()
                .unwrap_or_else(|_| std::env::temp_dir());
            let name = destination
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .filter(|n| !n.is_empty())
                .or_else(|| {
                    url.path_segments()
                        .and_then(|mut s| s.next_back().map(str::to_string))
                })
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| "document.pdf".into());
            *destination = unique_path(&dir, &name);
            true
        }
        DownloadEvent::Finished {
            path: Some(path),
            success: true,
            ..
        } => {
            if let Err(e) = tauri_plugin_opener::open_path(&path, None::<&str>) {
                tracing::warn!(%e, path = %path.display(), "could not open the download");
            }
            true
        }
        _ => true,
    }
}

fn unique_path(dir: &std::path::Path, name: &str) -> PathBuf {
    let first = dir.join(name);
    if !first.exists() {
        return first;
    }
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) => (s.to_string(), format!(".{e}")),
        None => (name.to_string(), String::new()),
    };
    (1..)
        .map(|i| dir.join(format!("{stem} ({i}){ext}")))
        .find(|p| !p.exists())
        .expect("a free name")
}

#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("USINAGE_DESKTOP_LOG")
                .unwrap_or_else(|_| "info".into()),
        )
        .try_init();
    // One TLS provider for the whole process (the embedded server and the proxy both use ring).
    let _ = crate::tls::ring_provider().install_default();

    let auto = auto_start();
    tauri::Builder::default()
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_opener::init())
        .invoke_handler(tauri::generate_handler![
            launcher_state,
            probe_server,
            trust_certificate,
            forget_server,
            open_server,
            start_essai
        ])
        .setup(move |app| {
            let handle = app.handle().clone();
            let config_dir = app.path().app_config_dir()?;
            let data_dir = app.path().app_data_dir()?;
            let tokens = Arc::new(tokens::TokenStore::detect());
            let port_file = config_dir.join("port-local.txt");
            let preferred = std::fs::read_to_string(&port_file)
                .ok()
                .and_then(|s| s.trim().parse().ok());
            let proxy = tauri::async_runtime::block_on(Proxy::start(tokens, preferred))?;
            if preferred != Some(proxy.addr.port()) {
                let _ = std::fs::create_dir_all(&config_dir);
                let _ = std::fs::write(&port_file, proxy.addr.port().to_string());
            }
            {
                let h = handle.clone();
                proxy.on_launcher(move || {
                    let h2 = h.clone();
                    let _ = h.run_on_main_thread(move || show_launcher(&h2));
                });
            }
            let script = init_script(&proxy);
            app.manage(Desktop {
                proxy,
                config_dir,
                data_dir,
                servers: Mutex::default(),
                essai: essai::Essai::new(),
                zoom: Mutex::new(1.0),
                launcher_url: Mutex::default(),
                auto: Mutex::new(match &auto {
                    AutoStart::None => serde_json::Value::Null,
                    _ => json!({"pending": true}),
                }),
            });
            app.set_menu(menu::build(&handle)?)?;
            app.on_menu_event(|app, e| menu::handle(app, e.id().as_ref()));
            let win = WebviewWindowBuilder::new(app, MAIN, WebviewUrl::App("index.html".into()))
                .title("Gestion Usinage")
                .inner_size(1280.0, 800.0)
                .min_inner_size(800.0, 560.0)
                .initialization_script(&script)
                // The webview gets the files dropped from the file manager as ordinary HTML5
                // drops, which the quote page already accepts.
                .disable_drag_drop_handler()
                .on_download(on_download)
                .build()?;
            *app.state::<Desktop>()
                .launcher_url
                .lock()
                .expect("launcher lock") = Some(win.url()?);

            alerts::spawn(handle.clone());
            if auto != AutoStart::None {
                tauri::async_runtime::spawn(async move {
                    let res = match &auto {
                        AutoStart::Essai => essai(&handle).await,
                        AutoStart::Server(s) => connect(&handle, s).await,
                        AutoStart::None => Ok(()),
                    };
                    let d = handle.state::<Desktop>();
                    *d.auto.lock().expect("auto lock") = match res {
                        Ok(()) => serde_json::Value::Null,
                        Err(e) => {
                            tracing::error!(error = %e, "automatic start failed");
                            json!({"error": e})
                        }
                    };
                });
            }
            Ok(())
        })
        .build(tauri::generate_context!())
        .expect("démarrage de l'application")
        .run(|app, event| {
            if let tauri::RunEvent::Exit = event {
                let d = app.state::<Desktop>();
                tauri::async_runtime::block_on(d.essai.stop());
            }
        });
}
