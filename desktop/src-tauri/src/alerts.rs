//! Native notifications for new critical alerts: every minute, with the session the web UI
//! stored, the app reads `/api/v1/alerts?severity=critique` of the current server and notifies
//! the ones it has not seen since it started (the ones present at the first look are only
//! remembered, not notified: the user sees them in the UI).

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use serde::Deserialize;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_notification::NotificationExt;

#[derive(Deserialize)]
struct AlertList {
    items: Vec<AlertItem>,
}

#[derive(Deserialize)]
struct AlertItem {
    id: i64,
    title: String,
    #[serde(default)]
    detail: String,
}

pub fn spawn<R: Runtime>(app: AppHandle<R>) {
    tauri::async_runtime::spawn(async move {
        // Per server: the critical alerts already known.
        let mut known: HashMap<String, HashSet<i64>> = HashMap::new();
        tokio::time::sleep(Duration::from_secs(20)).await;
        loop {
            if let Err(e) = poll(&app, &mut known).await {
                tracing::debug!(error = %e, "alerts poll");
            }
            tokio::time::sleep(Duration::from_secs(60)).await;
        }
    });
}

async fn poll<R: Runtime>(
    app: &AppHandle<R>,
    known: &mut HashMap<String, HashSet<i64>>,
) -> anyhow::Result<()> {
    let d = app.state::<crate::Desktop>();
    let Some(up) = d.proxy.upstream() else {
        return Ok(());
    };
    let store = d.proxy.tokens.clone();
    let key = up.token_key.clone();
    let Some(tokens) = tokio::task::spawn_blocking(move || store.get(&key)).await? else {
        return Ok(());
    };
    let res = up
        .client
        .http
        .get(format!(
            "{}/api/v1/alerts?severity=critique&per_page=200",
            up.base
        ))
        .bearer_auth(&tokens.access)
        .header("accept-language", "fr")
        .timeout(Duration::from_secs(15))
        .send()
        .await?;
    if !res.status().is_success() {
        return Ok(()); // expired session: the UI refreshes it when it is used
    }
    let list: AlertList = serde_json::from_slice(&res.bytes().await?)?;
    let first = !known.contains_key(&up.token_key);
    let seen = known.entry(up.token_key.clone()).or_default();
    for a in list.items {
        if seen.insert(a.id) && !first {
            let shown = app
                .notification()
                .builder()
                .title(format!("Alerte critique — {}", a.title))
                .body(a.detail)
                .show();
            if let Err(e) = shown {
                tracing::warn!(%e, "notification not shown");
            }
        }
    }
    Ok(())
}
