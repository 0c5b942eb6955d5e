//! The server over HTTPS with its generated certificate, reached by a client that pins the
//! fingerprint (what the desktop app does), and the embedded start/stop of the trial mode.

use rustls::pki_types::ServerName;
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use usinage_pin::PinVerifier;

/// One HTTP/1.1 request over TLS pinned to `fingerprint`: (status line, body).
async fn request(
    addr: std::net::SocketAddr,
    fingerprint: &str,
    raw: String,
) -> Result<(String, String), String> {
    // The desktop app's verifier (no ALPN here: the request below is raw HTTP/1.1).
    let config = PinVerifier::new(Some(fingerprint.to_string()))
        .client_config()
        .unwrap();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let tcp = tokio::net::TcpStream::connect(addr)
        .await
        .map_err(|e| e.to_string())?;
    let mut tls = connector
        .connect(ServerName::try_from("localhost").unwrap().to_owned(), tcp)
        .await
        .map_err(|e| e.to_string())?;
    tls.write_all(raw.as_bytes())
        .await
        .map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    tls.read_to_end(&mut out).await.map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&out).to_string();
    let status = text.lines().next().unwrap_or_default().to_string();
    let body = text
        .split("\r\n\r\n")
        .nth(1)
        .unwrap_or_default()
        .to_string();
    Ok((status, body))
}

fn get(path: &str) -> String {
    format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_with_a_generated_certificate_is_reached_by_a_pinning_client() {
    let dir = std::env::temp_dir().join(format!("usinage-https-{}", uuid::Uuid::new_v4()));
    let cfg = usinage::config::resolve(usinage::config::Options {
        data_dir: Some(dir.clone()),
        listen: Some("127.0.0.1:0".into()),
        tls: Some("auto".into()),
        ..Default::default()
    })
    .unwrap();
    let server = usinage::start(&cfg, false).await.unwrap();
    assert!(
        server.url.starts_with("https://127.0.0.1:"),
        "{}",
        server.url
    );
    let fp = server.tls_fingerprint.clone().expect("fingerprint");
    assert!(dir.join("tls/cert.pem").exists());

    let (status, body) = request(server.addr, &fp, get("/api/v1/info"))
        .await
        .unwrap();
    assert!(status.contains("200"), "{status}");
    let info: serde_json::Value = serde_json::from_str(body.trim()).unwrap_or_else(|_| {
        // A chunked body: the JSON object is the line that starts with '{'.
        let line = body.lines().find(|l| l.starts_with('{')).unwrap_or("{}");
        serde_json::from_str(line).unwrap()
    });
    assert_eq!(info["api_version"], 1, "{info}");

    // The login reads the client's address (throttle): a wrong password is a 401, not a 500.
    let login = r#"{"login":"admin","password":"faux-mot-de-passe"}"#;
    let raw = format!(
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{login}",
        login.len()
    );
    let (status, _) = request(server.addr, &fp, raw).await.unwrap();
    assert!(status.contains("401"), "{status}");

    // A client that pinned another certificate refuses this server.
    let other = "00:".repeat(31) + "00";
    let e = request(server.addr, &other, get("/healthz"))
        .await
        .unwrap_err();
    assert!(e.contains("invalid peer certificate"), "{e}");

    // After a restart the same certificate is served: the pin stays valid.
    server.shutdown().await;
    let again = usinage::start(&cfg, false).await.unwrap();
    assert_eq!(again.tls_fingerprint.as_deref(), Some(fp.as_str()));
    let (status, _) = request(again.addr, &fp, get("/healthz")).await.unwrap();
    assert!(status.contains("200"), "{status}");
    again.shutdown().await;
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_trial_server_starts_on_a_free_port_and_stops() {
    let dir = std::env::temp_dir().join(format!("usinage-essai-{}", uuid::Uuid::new_v4()));
    let server = usinage::start_embedded(usinage::StartOptions {
        data_dir: dir.clone(),
        listen: "127.0.0.1:0".into(),
        demo: false,
    })
    .await
    .unwrap();
    assert_ne!(server.addr.port(), 0);
    assert_eq!(server.url, format!("http://{}", server.addr));
    // Port 0 has no public URL of its own: links and QR codes use the bound address.
    assert_eq!(server.public_url, server.url);
    assert!(server.tls_fingerprint.is_none());
    assert!(dir.join("usinage.db").exists());
    let mut tcp = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    tcp.write_all(get("/healthz").as_bytes()).await.unwrap();
    let mut out = String::new();
    tcp.read_to_string(&mut out).await.unwrap();
    assert!(out.starts_with("HTTP/1.1 200"), "{out}");
    let addr = server.addr;
    server.shutdown().await;
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "the port is closed after shutdown"
    );
    std::fs::remove_dir_all(dir).ok();
}
