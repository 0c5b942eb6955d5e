//! French native menus.

use tauri::menu::{Menu, MenuItem, PredefinedMenuItem, Submenu};
use tauri::{AppHandle, Manager, Runtime};

pub fn build<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<Menu<R>> {
    let item =
        |id: &str, text: &str, accel: Option<&str>| MenuItem::with_id(app, id, text, true, accel);
    let fichier = Submenu::with_items(
        app,
        "Fichier",
        true,
        &[
            &item("server", "Changer de serveur…", Some("CmdOrCtrl+Shift+S"))?,
            &PredefinedMenuItem::separator(app)?,
            &item("print", "Imprimer…", Some("CmdOrCtrl+P"))?,
            &PredefinedMenuItem::separator(app)?,
            &item("quit", "Quitter", Some("CmdOrCtrl+Q"))?,
        ],
    )?;
    let edition = Submenu::with_items(
        app,
        "Édition",
        true,
        &[
            &PredefinedMenuItem::undo(app, Some("Annuler"))?,
            &PredefinedMenuItem::redo(app, Some("Rétablir"))?,
            &PredefinedMenuItem::separator(app)?,
            &PredefinedMenuItem::cut(app, Some("Couper"))?,
            &PredefinedMenuItem::copy(app, Some("Copier"))?,
            &PredefinedMenuItem::paste(app, Some("Coller"))?,
            &PredefinedMenuItem::select_all(app, Some("Tout sélectionner"))?,
        ],
    )?;
    let affichage = Submenu::with_items(
        app,
        "Affichage",
        true,
        &[
            &item("reload", "Recharger", Some("CmdOrCtrl+R"))?,
            &PredefinedMenuItem::separator(app)?,
            &item("zoom_in", "Zoom avant", Some("CmdOrCtrl+="))?,
            &item("zoom_out", "Zoom arrière", Some("CmdOrCtrl+-"))?,
            &item("zoom_reset", "Taille réelle", Some("CmdOrCtrl+0"))?,
            &PredefinedMenuItem::separator(app)?,
            &item("fullscreen", "Plein écran", Some("F11"))?,
        ],
    )?;
    let aide = Submenu::with_items(
        app,
        "Aide",
        true,
        &[
            &item("docs", "Documentation de l'API", None)?,
            &item("about", "À propos de Gestion Usinage", None)?,
        ],
    )?;
    Menu::with_items(app, &[&fichier, &edition, &affichage, &aide])
}

pub fn handle<R: Runtime>(app: &AppHandle<R>, id: &str) {
    let Some(win) = app.get_webview_window(crate::MAIN) else {
        return;
    };
    let desktop = app.state::<crate::Desktop>();
    let res = match id {
        "server" => {
            crate::show_launcher(app);
            Ok(())
        }
        "print" => win.print(),
        "quit" => {
            app.exit(0);
            Ok(())
        }
        "reload" => win.reload(),
        "zoom_in" | "zoom_out" | "zoom_reset" => {
            let mut z = desktop.zoom.lock().expect("zoom lock");
            *z = match id {
                "zoom_in" => (*z + 0.1).min(3.0),
                "zoom_out" => (*z - 0.1).max(0.5),
                _ => 1.0,
            };
            win.set_zoom(*z)
        }
        "fullscreen" => win.is_fullscreen().and_then(|f| win.set_fullscreen(!f)),
        "docs" => crate::open_docs(app),
        "about" => {
            let text = crate::about_text(app);
            win.eval(format!("alert({})", serde_json::Value::String(text)))
        }
        _ => Ok(()),
    };
    if let Err(e) = res {
        tracing::warn!(%e, id, "menu action failed");
    }
}
