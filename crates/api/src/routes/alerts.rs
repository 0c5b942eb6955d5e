//! Alerts: the snapshot computed by the background job, filtered by the caller's read rights.

use super::export;
use super::instruments::paris_today;
use crate::AppState;
use crate::extract::{ApiQuery, Auth, Lang};
use crate::problem::{ApiResult, Problem};
use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use usinage_app::alerts::{self, AlertCount, AlertFilter, AlertItem};
use usinage_app::listing::{Format, ListParams, ListQuery};
use usinage_documents::table_export::{Cell, Table};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AlertFilterParams {
    /// `stock_outil`, `stock_matiere`, `etalonnage`, `habilitation`
    pub kind: Option<String>,
    /// `critique`, `attention`, `info`
    pub severity: Option<String>,
}

/// The alerts the caller may see, critical first.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AlertList {
    pub items: Vec<AlertItem>,
    pub total: u64,
    /// When the snapshot was computed (absent before the first run).
    pub computed_at: Option<chrono::DateTime<chrono::Utc>>,
}

fn table(items: &[AlertItem], english: bool) -> Table {
    let h: &[&str] = if english {
        &["Severity", "Kind", "Title", "Detail", "Due date", "Link"]
    } else {
        &["Gravité", "Type", "Alerte", "Détail", "Échéance", "Lien"]
    };
    Table {
        headers: h.iter().map(|s| s.to_string()).collect(),
        rows: items
            .iter()
            .map(|a| {
                vec![
                    Cell::from(a.severity_label.clone()),
                    Cell::from(a.kind_label.clone()),
                    Cell::from(a.title.clone()),
                    Cell::from(a.detail.clone()),
                    a.due_date.map_or(Cell::Empty, |d| {
                        Cell::from(d.format("%d/%m/%Y").to_string())
                    }),
                    Cell::from(a.url.clone()),
                ]
            })
            .collect(),
    }
}

#[utoipa::path(get, path = "/api/v1/alerts", tag = "alerts", security(("bearer" = [])), params(ListParams, AlertFilterParams),
    responses((status = 200, body = AlertList, description = "JSON list, or a CSV/XLSX file with `format`"), (status = 400, body = Problem), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn list(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    ApiQuery(p): ApiQuery<ListParams>,
    ApiQuery(f): ApiQuery<AlertFilterParams>,
) -> ApiResult<Response> {
    let q = ListQuery::parse(&p, &[])?;
    let filter = AlertFilter {
        q: q.q.clone(),
        kind: f.kind.filter(|k| !k.trim().is_empty()),
        severity: f.severity.filter(|k| !k.trim().is_empty()),
    };
    let rows = alerts::list(&s.db, &ctx, &filter).await?;
    let items: Vec<AlertItem> = rows
        .iter()
        .map(|a| alerts::view(a, &s.cfg.public_base_url, lang.english))
        .collect();
    match q.format {
        Format::Json => Ok(Json(AlertList {
            total: items.len() as u64,
            computed_at: alerts::computed_at(&s.db).await?,
            items,
        })
        .into_response()),
        f => export(&table(&items, lang.english), f, "alertes"),
    }
}

#[utoipa::path(get, path = "/api/v1/alerts/count", tag = "alerts", security(("bearer" = [])),
    responses((status = 200, body = AlertCount), (status = 401, body = Problem)))]
pub async fn count(State(s): State<AppState>, Auth(ctx): Auth) -> ApiResult<Json<AlertCount>> {
    Ok(Json(alerts::count(&s.db, &ctx).await?))
}

#[utoipa::path(post, path = "/api/v1/alerts/refresh", tag = "alerts", security(("bearer" = [])),
    responses((status = 200, body = AlertCount, description = "Recomputed now; the caller's count"), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn refresh(State(s): State<AppState>, Auth(ctx): Auth) -> ApiResult<Json<AlertCount>> {
    alerts::refresh(&s.db, &ctx, paris_today()).await?;
    Ok(Json(alerts::count(&s.db, &ctx).await?))
}
