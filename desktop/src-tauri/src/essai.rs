//! "Essai sur ce poste": the whole server runs inside the app, on SQLite in the user's data
//! folder (`<app_data_dir>/essai/`), with the demo data, on 127.0.0.1 with a free port.

use std::path::Path;

#[cfg(feature = "essai")]
pub struct Essai(tokio::sync::Mutex<Option<usinage::Running>>);

#[cfg(not(feature = "essai"))]
pub struct Essai;

impl Essai {
    pub fn new() -> Essai {
        #[cfg(feature = "essai")]
        return Essai(tokio::sync::Mutex::new(None));
        #[cfg(not(feature = "essai"))]
        Essai
    }

    pub fn available() -> bool {
        cfg!(feature = "essai")
    }

    /// Starts the local server once; returns its address.
    #[cfg(feature = "essai")]
    pub async fn ensure(&self, app_data_dir: &Path) -> Result<String, String> {
        let mut running = self.0.lock().await;
        if let Some(r) = running.as_ref() {
            return Ok(r.url.clone());
        }
        let data_dir = app_data_dir.join("essai");
        std::fs::create_dir_all(&data_dir).map_err(|e| {
            format!(
                "Impossible de créer le dossier d'essai {} : {e}",
                data_dir.display()
            )
        })?;
        let r = usinage::start_embedded(usinage::StartOptions {
            data_dir,
            listen: "127.0.0.1:0".into(),
            demo: true,
        })
        .await
        .map_err(|e| format!("L'essai local n'a pas pu démarrer : {e:#}"))?;
        tracing::info!(url = %r.url, "trial server started");
        let url = r.url.clone();
        *running = Some(r);
        Ok(url)
    }

    #[cfg(not(feature = "essai"))]
    pub async fn ensure(&self, _app_data_dir: &Path) -> Result<String, String> {
        Err("L'essai local n'est pas inclus dans cette version de l'application.".into())
    }

    pub async fn stop(&self) {
        #[cfg(feature = "essai")]
        if let Some(r) = self.0.lock().await.take() {
            r.shutdown().await;
        }
    }
}
