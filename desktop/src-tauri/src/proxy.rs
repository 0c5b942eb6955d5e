//! The loopback proxy: the webview loads `http://127.0.0.1:<port>/`, and every request is
//! forwarded, bodies streamed both ways (server-sent events included), to the chosen server.
//! It also hosts the small bridge the web UI uses in the app (`/__desktop/…`, guarded by a
//! secret made at each launch and known only to the page's initialization script).

use std::net::SocketAddr;
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use futures_util::TryStreamExt;
use serde_json::json;

use crate::tokens::{TokenStore, Tokens};
use crate::upstream;

pub const SECRET_HEADER: &str = "x-usinage-desktop";

/// Where requests go now.
pub struct Upstream {
    /// `https://nas-atelier:8443`.
    pub base: String,
    /// Key of its tokens in the credential store (the address, or `essai`).
    pub token_key: String,
    pub client: upstream::Client,
}

type Callback = Box<dyn Fn() + Send + Sync>;

pub struct Proxy {
    pub addr: SocketAddr,
    pub secret: String,
    upstream: RwLock<Option<Arc<Upstream>>>,
    pub tokens: Arc<TokenStore>,
    to_launcher: RwLock<Option<Callback>>,
}

impl Proxy {
    /// Binds 127.0.0.1 on `preferred` (the previous launch's port, so the page keeps its
    /// origin and therefore its local preferences) or else a free port; serves in the background.
    pub async fn start(
        tokens: Arc<TokenStore>,
        preferred: Option<u16>,
    ) -> anyhow::Result<Arc<Proxy>> {
        let listener = match preferred {
            Some(port) => match tokio::net::TcpListener::bind(("127.0.0.1", port)).await {
                Ok(l) => l,
                Err(_) => tokio::net::TcpListener::bind("127.0.0.1:0").await?,
            },
            None => tokio::net::TcpListener::bind("127.0.0.1:0").await?,
        };
        let addr = listener.local_addr()?;
        let proxy = Arc::new(Proxy {
            addr,
            secret: random_secret(),
            upstream: RwLock::default(),
            tokens,
            to_launcher: RwLock::default(),
        });
        let app = router(proxy.clone());
        tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, app).await {
                tracing::error!(%e, "proxy stopped");
            }
        });
        tracing::info!(%addr, "loopback proxy");
        Ok(proxy)
    }

    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn set_upstream(&self, up: Option<Upstream>) {
        *self.upstream.write().expect("upstream lock") = up.map(Arc::new);
    }

    pub fn upstream(&self) -> Option<Arc<Upstream>> {
        self.upstream.read().expect("upstream lock").clone()
    }

    pub fn on_launcher(&self, f: impl Fn() + Send + Sync + 'static) {
        *self.to_launcher.write().expect("callback lock") = Some(Box::new(f));
    }
}

fn random_secret() -> String {
    use rand::Rng;
    let bytes: [u8; 24] = rand::rng().random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn router(proxy: Arc<Proxy>) -> Router {
    Router::new()
        .route(
            "/__desktop/tokens",
            get(get_tokens).put(put_tokens).delete(delete_tokens),
        )
        .route("/__desktop/state", get(state))
        .route("/__desktop/launcher", post(launcher))
        .fallback(forward)
        .with_state(proxy)
}

/// The bridge answers only the page of this launch (secret) on this address (no DNS rebinding).
fn authorised(p: &Proxy, headers: &HeaderMap) -> bool {
    let secret_ok = headers
        .get(SECRET_HEADER)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| constant_time_eq(v.as_bytes(), p.secret.as_bytes()));
    let host_ok = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|h| h == p.addr.to_string());
    secret_ok && host_ok
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn forbidden() -> Response {
    problem(
        StatusCode::FORBIDDEN,
        "desktop_forbidden",
        "Accès refusé",
        "Réservé à l'application de bureau.".into(),
    )
}

async fn state(State(p): State<Arc<Proxy>>, headers: HeaderMap) -> Response {
    if !authorised(&p, &headers) {
        return forbidden();
    }
    let up = p.upstream();
    axum::Json(json!({
        "server": up.as_ref().map(|u| u.base.clone()),
        "essai": up.as_ref().is_some_and(|u| u.token_key == "essai"),
        "version": env!("CARGO_PKG_VERSION"),
        "token_store": p.tokens.backend().label(),
    }))
    .into_response()
}

async fn launcher(State(p): State<Arc<Proxy>>, headers: HeaderMap) -> Response {
    if !authorised(&p, &headers) {
        return forbidden();
    }
    if let Some(f) = p.to_launcher.read().expect("callback lock").as_ref() {
        f();
    }
    StatusCode::NO_CONTENT.into_response()
}

async fn get_tokens(State(p): State<Arc<Proxy>>, headers: HeaderMap) -> Response {
    if !authorised(&p, &headers) {
        return forbidden();
    }
    let Some(up) = p.upstream() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let tokens = p.tokens.clone();
    let key = up.token_key.clone();
    match tokio::task::spawn_blocking(move || tokens.get(&key)).await {
        Ok(Some(t)) => axum::Json(t).into_response(),
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn put_tokens(
    State(p): State<Arc<Proxy>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    if !authorised(&p, &headers) {
        return forbidden();
    }
    let Ok(t) = serde_json::from_slice::<Tokens>(&body) else {
        return StatusCode::UNPROCESSABLE_ENTITY.into_response();
    };
    save_tokens(&p, Some(t)).await
}

async fn delete_tokens(State(p): State<Arc<Proxy>>, headers: HeaderMap) -> Response {
    if !authorised(&p, &headers) {
        return forbidden();
    }
    save_tokens(&p, None).await
}

async fn save_tokens(p: &Proxy, t: Option<Tokens>) -> Response {
    let Some(up) = p.upstream() else {
        return StatusCode::CONFLICT.into_response();
    };
    let tokens = p.tokens.clone();
    let key = up.token_key.clone();
    let _ = tokio::task::spawn_blocking(move || tokens.set(&key, t)).await;
    StatusCode::NO_CONTENT.into_response()
}

/// RFC 9457 problem in French, marked as the proxy's own (`x-usinage-desktop-proxy`).
pub fn problem(status: StatusCode, code: &str, title: &str, detail: String) -> Response {
    let body = json!({
        "type": format!("https://gestion-usinage.fr/errors/{code}"),
        "title": title,
        "status": status.as_u16(),
        "code": code,
        "detail": detail,
    });
    let mut res = (status, body.to_string()).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    h.insert(
        HeaderName::from_static("x-usinage-desktop-proxy"),
        HeaderValue::from_str(code).unwrap_or(HeaderValue::from_static("error")),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

const HOP_BY_HOP: [&str; 9] = [
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
];

fn copy_headers(from: &HeaderMap, to: &mut HeaderMap, skip: &[&str]) {
    for (name, value) in from {
        let n = name.as_str();
        if HOP_BY_HOP.contains(&n) || skip.contains(&n) {
            continue;
        }
        to.append(name.clone(), value.clone());
    }
}

async fn forward(State(p): State<Arc<Proxy>>, req: Request) -> Response {
    let Some(up) = p.upstream() else {
        return problem(
            StatusCode::SERVICE_UNAVAILABLE,
            "no_server",
            "Aucun serveur choisi",
            "Choisissez un serveur (Fichier › Changer de serveur).".into(),
        );
    };
    let (parts, body) = req.into_parts();
    let path = parts
        .uri
        .path_and_query()
        .map(|pq| pq.as_str())
        .unwrap_or("/");
    let url = format!("{}{}", up.base, path);
    let mut headers = HeaderMap::new();
    copy_headers(
        &parts.headers,
        &mut headers,
        &["host", "origin", SECRET_HEADER],
    );
    if parts.headers.contains_key(header::ORIGIN)
        && let Ok(v) = HeaderValue::from_str(&up.base)
    {
        headers.insert(header::ORIGIN, v);
    }
    // A request without a body (most GETs) is sent without one, not as an empty chunked body.
    let has_body = parts.headers.contains_key(header::TRANSFER_ENCODING)
        || parts
            .headers
            .get(header::CONTENT_LENGTH)
            .is_some_and(|v| v.as_bytes() != b"0");
    let mut outgoing = up.client.http.request(parts.method, &url).headers(headers);
    if has_body {
        outgoing = outgoing.body(reqwest::Body::wrap_stream(body.into_data_stream()));
    }
    let sent = outgoing.send().await;
    let res = match sent {
        Ok(r) => r,
        Err(e) => {
            tracing::warn!(%url, error = %e, "upstream request failed");
            if up.client.cert_refused().is_some() {
                return problem(
                    StatusCode::BAD_GATEWAY,
                    "certificate_changed",
                    "Certificat du serveur changé",
                    format!(
                        "Le serveur {} présente un autre certificat que celui accepté sur ce poste : la connexion a été refusée (possible interception). Vérifiez auprès de l'administrateur, puis Fichier › Changer de serveur pour remplacer le certificat.",
                        up.base
                    ),
                );
            }
            return problem(
                StatusCode::BAD_GATEWAY,
                "server_unreachable",
                "Serveur injoignable",
                format!(
                    "Le serveur de l'atelier ({}) ne répond pas. Reconnexion automatique…",
                    up.base
                ),
            );
        }
    };
    let mut out = Response::builder().status(res.status());
    if let Some(h) = out.headers_mut() {
        copy_headers(res.headers(), h, &[]);
        // A redirect to the server itself stays in the app.
        if let Some(loc) = h.get(header::LOCATION).and_then(|v| v.to_str().ok())
            && let Some(rest) = loc.strip_prefix(&up.base)
            && let Ok(v) = HeaderValue::from_str(if rest.is_empty() { "/" } else { rest })
        {
            h.insert(header::LOCATION, v);
        }
    }
    let stream = res.bytes_stream().map_err(std::io::Error::other);
    out.body(Body::from_stream(stream))
        .unwrap_or_else(|_| StatusCode::BAD_GATEWAY.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// A stand-in for the shop's server: `/api/v1/info`, an echo, a slow event stream.
    async fn fake_server() -> (String, tokio::task::JoinHandle<()>) {
        use axum::routing::{any, get};
        let app = Router::new()
            .route(
                "/api/v1/info",
                get(|| async {
                    axum::Json(
                        json!({"name": "Gestion Usinage", "version": "0.1.0", "api_version": 1}),
                    )
                }),
            )
            .route(
                "/echo",
                any(|req: Request| async move {
                    let (parts, body) = req.into_parts();
                    let bytes = axum::body::to_bytes(body, 1 << 20).await.unwrap();
                    axum::Json(json!({
                        "method": parts.method.as_str(),
                        "uri": parts.uri.to_string(),
                        "auth": parts.headers.get("authorization").and_then(|v| v.to_str().ok()),
                        "secret": parts.headers.get(SECRET_HEADER).is_some(),
                        "body": String::from_utf8_lossy(&bytes),
                    }))
                }),
            )
            .route(
                "/events",
                get(|| async {
                    let s = futures_util::stream::unfold(0u32, |i| async move {
                        if i > 0 {
                            tokio::time::sleep(Duration::from_millis(300)).await;
                        }
                        (i < 3).then(|| (Ok::<_, std::io::Error>(format!("data: {i}\n\n")), i + 1))
                    });
                    (
                        [(header::CONTENT_TYPE, "text/event-stream")],
                        Body::from_stream(s),
                    )
                }),
            );
        let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", l.local_addr().unwrap());
        let task = tokio::spawn(async move {
            axum::serve(l, app).await.unwrap();
        });
        (url, task)
    }

    async fn proxy_to(url: &str) -> Arc<Proxy> {
        let p = Proxy::start(Arc::new(TokenStore::memory()), None)
            .await
            .unwrap();
        p.set_upstream(Some(Upstream {
            base: url.to_string(),
            token_key: url.to_string(),
            client: upstream::client(None).unwrap(),
        }));
        p
    }

    fn plain() -> reqwest::Client {
        reqwest::Client::builder().no_proxy().build().unwrap()
    }

    #[tokio::test]
    async fn forwards_requests_and_streams_events() {
        let _ = crate::tls::ring_provider().install_default();
        let (url, _srv) = fake_server().await;
        let p = proxy_to(&url).await;
        let c = plain();
        let r = c
            .post(format!("{}/echo?a=1&b=%C3%A9", p.origin()))
            .header("authorization", "Bearer xyz")
            .header(SECRET_HEADER, &p.secret)
            .body("corps")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let v: serde_json::Value = serde_json::from_slice(&r.bytes().await.unwrap()).unwrap();
        assert_eq!(v["method"], "POST");
        assert_eq!(v["uri"], "/echo?a=1&b=%C3%A9");
        assert_eq!(v["auth"], "Bearer xyz");
        assert_eq!(v["body"], "corps");
        assert_eq!(
            v["secret"], false,
            "the bridge secret never leaves the workstation"
        );

        // Events arrive one by one, before the stream ends.
        let started = std::time::Instant::now();
        let mut r = c
            .get(format!("{}/events", p.origin()))
            .send()
            .await
            .unwrap();
        let first = r.chunk().await.unwrap().unwrap();
        assert_eq!(&first[..], b"data: 0\n\n");
        assert!(
            started.elapsed() < Duration::from_millis(250),
            "first event not buffered"
        );
        let mut rest = Vec::new();
        while let Some(c) = r.chunk().await.unwrap() {
            rest.extend_from_slice(&c);
        }
        assert_eq!(String::from_utf8(rest).unwrap(), "data: 1\n\ndata: 2\n\n");
    }

    #[tokio::test]
    async fn unreachable_server_is_a_french_problem() {
        let _ = crate::tls::ring_provider().install_default();
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", l.local_addr().unwrap());
        drop(l);
        let p = proxy_to(&url).await;
        let r = plain()
            .get(format!("{}/api/v1/info", p.origin()))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 502);
        assert_eq!(r.headers()["content-type"], "application/problem+json");
        let v: serde_json::Value = serde_json::from_slice(&r.bytes().await.unwrap()).unwrap();
        assert_eq!(v["code"], "server_unreachable");
        assert_eq!(v["title"], "Serveur injoignable");
        assert_eq!(
            v["type"],
            "https://gestion-usinage.fr/errors/server_unreachable"
        );
        assert!(v["detail"].as_str().unwrap().contains(&url));
    }

    #[tokio::test]
    async fn token_bridge_needs_the_secret() {
        let _ = crate::tls::ring_provider().install_default();
        let (url, _srv) = fake_server().await;
        let p = proxy_to(&url).await;
        let c = plain();
        let tokens = format!("{}/__desktop/tokens", p.origin());
        let r = c.get(&tokens).send().await.unwrap();
        assert_eq!(r.status(), 403);
        let r = c
            .put(&tokens)
            .header(SECRET_HEADER, "wrong")
            .body(r#"{"access":"a","refresh":"r"}"#)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        let r = c
            .get(&tokens)
            .header(SECRET_HEADER, &p.secret)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 404);
        let r = c
            .put(&tokens)
            .header(SECRET_HEADER, &p.secret)
            .body(r#"{"access":"a","refresh":"r"}"#)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 204);
        let r = c
            .get(&tokens)
            .header(SECRET_HEADER, &p.secret)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let t: Tokens = serde_json::from_slice(&r.bytes().await.unwrap()).unwrap();
        assert_eq!(
            t,
            Tokens {
                access: "a".into(),
                refresh: "r".into()
            }
        );
        let r = c
            .delete(&tokens)
            .header(SECRET_HEADER, &p.secret)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 204);
        let r = c
            .get(&tokens)
            .header(SECRET_HEADER, &p.secret)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 404);
    }
}
