//! The web UI, embedded in the binary at build time from `web/dist`. Unknown non-API paths get
//! `index.html` so the UI's router handles deep links (e.g. a scanned `/users/42`).

use axum::http::{StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "../../web/dist"]
#[allow_missing = true]
struct Assets;

const NOT_BUILT: &str = "<!doctype html><html lang=\"fr\"><meta charset=\"utf-8\"><title>Gestion Usinage</title><body style=\"font-family:sans-serif;margin:3em\"><h1>Gestion Usinage</h1><p>L'interface web n'a pas été compilée dans ce binaire. Lancez <code>bash scripts/start.sh</code> (ou <code>npm run build</code> dans <code>web/</code> puis recompilez). L'API répond sous <a href=\"/api/docs\">/api/docs</a>.</p></body></html>";

pub async fn serve(uri: Uri) -> Response {
    let path = uri.path().trim_start_matches('/');
    if !path.is_empty()
        && let Some(f) = Assets::get(path)
    {
        let mime = f.metadata.mimetype().to_string();
        // Vite puts a content hash in asset names: they can be cached for good.
        let cache = if path.starts_with("assets/") {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        return (
            [
                (header::CONTENT_TYPE, mime),
                (header::CACHE_CONTROL, cache.to_string()),
            ],
            f.data.into_owned(),
        )
            .into_response();
    }
    // A build's file that no longer exists (a page from the previous build asking for a chunk
    // replaced by an update) is a 404, not the HTML shell the browser would run as a script.
    if path.starts_with("assets/") || path.starts_with("icons/") {
        return (
            StatusCode::NOT_FOUND,
            [(header::CACHE_CONTROL, "no-store")],
            "fichier introuvable",
        )
            .into_response();
    }
    match Assets::get("index.html") {
        Some(f) => (
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8".to_string()),
                (header::CACHE_CONTROL, "no-cache".to_string()),
            ],
            f.data.into_owned(),
        )
            .into_response(),
        None => (StatusCode::OK, Html(NOT_BUILT)).into_response(),
    }
}
