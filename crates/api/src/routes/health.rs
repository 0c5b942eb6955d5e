use crate::AppState;
use crate::problem::ApiResult;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde::Serialize;
use usinage_app::settings::{self, Company};

pub async fn healthz() -> impl IntoResponse {
    Json(serde_json::json!({"status": "ok"}))
}

/// Ready when the database answers.
pub async fn readyz(State(s): State<AppState>) -> impl IntoResponse {
    match s.db.ping().await {
        Ok(()) => (
            StatusCode::OK,
            Json(serde_json::json!({"status": "ready", "database": s.db.backend().as_str()})),
        ),
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(serde_json::json!({"status": "unavailable", "database": s.db.backend().as_str()})),
        ),
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Info {
    pub name: String,
    pub version: String,
    /// Version of this API's contract: a client (the desktop app) built for another one must
    /// not use this server.
    pub api_version: u32,
    pub company: Option<String>,
    pub database: String,
    pub demo: bool,
}

/// Public information for the login screen.
#[utoipa::path(get, path = "/api/v1/info", tag = "system", responses((status = 200, body = Info)))]
pub async fn info(State(s): State<AppState>) -> ApiResult<Json<Info>> {
    let company: Option<Company> = settings::get(&s.db.conn, settings::COMPANY).await?;
    Ok(Json(Info {
        name: "Gestion Usinage".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        api_version: crate::API_VERSION,
        company: company.map(|c| c.name),
        database: s.db.backend().as_str().into(),
        demo: s.cfg.demo,
    }))
}
