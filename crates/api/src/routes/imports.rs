//! Spreadsheet imports of master data: `POST /api/v1/imports/{kind}` and templates.

use super::export;
use super::instruments::paris_today;
use crate::AppState;
use crate::extract::{ApiQuery, Auth, Lang};
use crate::problem::{ApiError, ApiResult, Problem};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::Response;
use serde::Deserialize;
use usinage_app::error::AppError;
use usinage_app::imports::{self, ImportKind, ImportReport};
use usinage_app::listing::{Format, parse_bool};
use usinage_app::rights::Action;
use usinage_documents::table_export::Table;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// `true` (default: validate only, nothing written) or `false` (import)
    pub dry_run: Option<String>,
}

/// Imports a CSV or XLSX file (raw body). All rows are validated by the create rules of the
/// target module and written in one transaction: one bad row imports nothing.
#[utoipa::path(post, path = "/api/v1/imports/{kind}", tag = "imports", security(("bearer" = [])),
    params(("kind" = String, Path, description = "clients, suppliers, machines, tools, materials, material-stock, employees"), ImportParams),
    request_body(content = Vec<u8>, content_type = "text/csv"),
    responses((status = 200, body = ImportReport), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn import(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    Path(kind): Path<String>,
    ApiQuery(p): ApiQuery<ImportParams>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<ImportReport>> {
    let kind = ImportKind::parse(&kind)?;
    let dry_run = parse_bool("dry_run", p.dry_run.as_deref())?.unwrap_or(true);
    let xlsx = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("spreadsheetml") || v.contains("excel"));
    let report = imports::run(
        &s.db,
        &ctx,
        paris_today(),
        kind,
        &body,
        xlsx,
        dry_run,
        lang.english,
    )
    .await?;
    Ok(Json(report))
}

/// Empty template (header row only, French labels): `template.csv` or `template.xlsx`.
#[utoipa::path(get, path = "/api/v1/imports/{kind}/{file}", tag = "imports", security(("bearer" = [])),
    params(("kind" = String, Path), ("file" = String, Path, description = "template.csv or template.xlsx")),
    responses((status = 200, description = "CSV or XLSX file"), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn template(
    Auth(ctx): Auth,
    Path((kind, file)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let kind = ImportKind::parse(&kind)?;
    ctx.require(kind.module(), Action::Create)?;
    let format = match file.as_str() {
        "template.csv" => Format::Csv,
        "template.xlsx" => Format::Xlsx,
        _ => return Err(AppError::not_found("Modèle", "Template").into()),
    };
    let table = Table {
        headers: imports::template_headers(kind),
        rows: Vec::new(),
    };
    export(&table, format, &format!("modele-import-{}", kind.code()))
}
