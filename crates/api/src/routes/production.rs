//! Production: jobs (`/api/v1/jobs`), their routing (operations, reorder, validate, regenerate,
//! versions with diff and restore), the traveler PDF, method sheets (`/api/v1/method-sheets`)
//! and the cutting engine (`/api/v1/cutting/…`). See `docs/orders.md`.

use super::attachments::disposition;
use crate::AppState;
use crate::extract::{ApiJson, ApiQuery, Auth, Id, Lang, SubId};
use crate::problem::{ApiResult, Problem};
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use usinage_app::audit::{self, AuditEntry};
use usinage_app::listing::{ListParams, ListQuery, Page};
use usinage_app::production::method_sheets::{
    self, CuttingConditions, CuttingRequest, CuttingSettings, MethodSheetView, SheetUpdate,
    SheetVersionView,
};
use usinage_app::production::routing::{
    self, JobVersion, OperationInput, Reorder, RoutingDiff, RoutingVersionView,
};
use usinage_app::production::{
    self, JobFilter, JobStatusChange, JobSummary, JobView, OperationRef,
};
use usinage_app::rights::Module;

#[utoipa::path(get, path = "/api/v1/jobs", tag = "production", security(("bearer" = [])), params(ListParams, JobFilter),
    responses((status = 200, body = Page<JobSummary>), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn list(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    ApiQuery(p): ApiQuery<ListParams>,
    ApiQuery(f): ApiQuery<JobFilter>,
) -> ApiResult<Json<Page<JobSummary>>> {
    let q = ListQuery::parse(&p, production::SORTABLE)?;
    Ok(Json(
        production::list(&s.db, &ctx, &q, &f, lang.english).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/jobs/{id}", tag = "production", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = JobView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    Id(id): Id,
) -> ApiResult<Json<JobView>> {
    Ok(Json(production::get(&s.db, &ctx, id, lang.english).await?))
}

#[utoipa::path(post, path = "/api/v1/jobs/{id}/status", tag = "production", security(("bearer" = [])), params(("id" = i64, Path)), request_body = JobStatusChange,
    responses((status = 200, body = JobView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn status(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    Id(id): Id,
    ApiJson(c): ApiJson<JobStatusChange>,
) -> ApiResult<Json<JobView>> {
    Ok(Json(
        production::set_status(&s.db, &ctx, id, c, lang.english).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/jobs/{id}/history", tag = "production", security(("bearer" = [])), params(("id" = i64, Path), ListParams),
    responses((status = 200, body = Page<AuditEntry>), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn history(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    Id(id): Id,
    ApiQuery(p): ApiQuery<ListParams>,
) -> ApiResult<Json<Page<AuditEntry>>> {
    let q = ListQuery::parse(&p, audit::SORTABLE)?;
    production::get(&s.db, &ctx, id, false).await?;
    Ok(Json(
        audit::history(&s.db, &ctx, Module::Routings, "job", &id.to_string(), &q).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/jobs/{id}/operations", tag = "production", security(("bearer" = [])), params(("id" = i64, Path)), request_body = OperationInput,
    responses((status = 201, body = JobView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn add_operation(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    Id(id): Id,
    ApiJson(i): ApiJson<OperationInput>,
) -> ApiResult<(StatusCode, Json<JobView>)> {
    let v = routing::add_operation(&s.db, &ctx, id, i, lang.english).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

#[utoipa::path(get, path = "/api/v1/job-operations/{id}", tag = "production", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = OperationRef, description = "The operation with its job (what a scanned operation QR opens)"), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get_operation(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    Id(id): Id,
) -> ApiResult<Json<OperationRef>> {
    Ok(Json(
        production::get_operation(&s.db, &ctx, id, lang.english).await?,
    ))
}

#[utoipa::path(patch, path = "/api/v1/job-operations/{id}", tag = "production", security(("bearer" = [])), params(("id" = i64, Path)), request_body = OperationInput,
    responses((status = 200, body = JobView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn patch_operation(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    Id(id): Id,
    ApiJson(i): ApiJson<OperationInput>,
) -> ApiResult<Json<JobView>> {
    Ok(Json(
        routing::update_operation(&s.db, &ctx, id, i, lang.english).await?,
    ))
}

#[utoipa::path(delete, path = "/api/v1/job-operations/{id}", tag = "production", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = JobView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn delete_operation(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    Id(id): Id,
) -> ApiResult<Json<JobView>> {
    Ok(Json(
        routing::delete_operation(&s.db, &ctx, id, lang.english).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/jobs/{id}/routing/reorder", tag = "production", security(("bearer" = [])), params(("id" = i64, Path)), request_body = Reorder,
    responses((status = 200, body = JobView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn reorder(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    Id(id): Id,
    ApiJson(r): ApiJson<Reorder>,
) -> ApiResult<Json<JobView>> {
    Ok(Json(
        routing::reorder(&s.db, &ctx, id, r, lang.english).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/jobs/{id}/routing/validate", tag = "production", security(("bearer" = [])), params(("id" = i64, Path)), request_body = JobVersion,
    responses((status = 200, body = JobView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn validate(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    Id(id): Id,
    ApiJson(v): ApiJson<JobVersion>,
) -> ApiResult<Json<JobView>> {
    Ok(Json(
        routing::validate(&s.db, &ctx, id, v, lang.english).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/jobs/{id}/routing/regenerate", tag = "production", security(("bearer" = [])), params(("id" = i64, Path)), request_body = JobVersion,
    responses((status = 200, body = JobView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn regenerate(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    Id(id): Id,
    ApiJson(v): ApiJson<JobVersion>,
) -> ApiResult<Json<JobView>> {
    Ok(Json(
        production::generate::regenerate(&s.db, &ctx, id, v, lang.english).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/jobs/{id}/routing/versions", tag = "production", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Vec<RoutingVersionView>), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn versions(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    Id(id): Id,
) -> ApiResult<Json<Vec<RoutingVersionView>>> {
    Ok(Json(routing::versions(&s.db, &ctx, id).await?))
}

#[utoipa::path(get, path = "/api/v1/jobs/{id}/routing/versions/{version}/diff", tag = "production", security(("bearer" = [])), params(("id" = i64, Path), ("version" = i32, Path)),
    responses((status = 200, body = RoutingDiff, description = "From that version to the current routing"), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn diff(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    SubId(id, v): SubId,
) -> ApiResult<Json<RoutingDiff>> {
    let v = i32::try_from(v).unwrap_or(i32::MAX);
    Ok(Json(routing::diff(&s.db, &ctx, id, v).await?))
}

#[utoipa::path(post, path = "/api/v1/jobs/{id}/routing/versions/{version}/restore", tag = "production", security(("bearer" = [])), params(("id" = i64, Path), ("version" = i32, Path)), request_body = JobVersion,
    responses((status = 200, body = JobView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn restore(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    SubId(id, v): SubId,
    ApiJson(jv): ApiJson<JobVersion>,
) -> ApiResult<Json<JobView>> {
    let v = i32::try_from(v).unwrap_or(i32::MAX);
    Ok(Json(
        routing::restore(&s.db, &ctx, id, v, jv, lang.english).await?,
    ))
}

fn pdf_response(name: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (header::CONTENT_DISPOSITION, disposition(true, name)),
        ],
        bytes,
    )
        .into_response()
}

#[utoipa::path(get, path = "/api/v1/jobs/{id}/traveler.pdf", tag = "production", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/pdf", description = "Traveler (fiche suiveuse) with a QR per operation"), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn traveler(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    Id(id): Id,
) -> ApiResult<Response> {
    let (name, bytes) = production::docs::traveler_pdf(
        &s.db,
        &ctx,
        id,
        &s.cfg.public_base_url,
        usinage_app::paris_today(),
    )
    .await?;
    Ok(pdf_response(&name, bytes))
}

#[utoipa::path(get, path = "/api/v1/jobs/{id}/drawing.png", tag = "production", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, content_type = "image/png", description = "First page of the part's drawing"), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn drawing(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    Id(id): Id,
) -> ApiResult<Response> {
    let png = production::docs::drawing_png(&s.db, &ctx, id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/png".to_string()),
            (header::CACHE_CONTROL, "private, max-age=300".to_string()),
        ],
        png,
    )
        .into_response())
}

#[utoipa::path(get, path = "/api/v1/method-sheets/{id}", tag = "production", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = MethodSheetView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get_sheet(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    Id(id): Id,
) -> ApiResult<Json<MethodSheetView>> {
    Ok(Json(method_sheets::get(&s.db, &ctx, id).await?))
}

#[utoipa::path(put, path = "/api/v1/method-sheets/{id}", tag = "production", security(("bearer" = [])), params(("id" = i64, Path)), request_body = SheetUpdate,
    responses((status = 200, body = MethodSheetView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn put_sheet(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    Id(id): Id,
    ApiJson(u): ApiJson<SheetUpdate>,
) -> ApiResult<Json<MethodSheetView>> {
    Ok(Json(method_sheets::update(&s.db, &ctx, id, u).await?))
}

#[utoipa::path(get, path = "/api/v1/job-operations/{id}/method-sheet", tag = "production", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = MethodSheetView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn sheet_of_operation(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    Id(id): Id,
) -> ApiResult<Json<MethodSheetView>> {
    Ok(Json(
        method_sheets::get_for_operation(&s.db, &ctx, id).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/method-sheets/{id}/versions", tag = "production", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Vec<SheetVersionView>), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn sheet_versions(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    Id(id): Id,
) -> ApiResult<Json<Vec<SheetVersionView>>> {
    Ok(Json(method_sheets::versions(&s.db, &ctx, id).await?))
}

#[utoipa::path(get, path = "/api/v1/method-sheets/{id}/versions/{version}", tag = "production", security(("bearer" = [])), params(("id" = i64, Path), ("version" = i32, Path)),
    responses((status = 200, body = MethodSheetView, description = "That version, read-only"), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn sheet_version(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    SubId(id, v): SubId,
) -> ApiResult<Json<MethodSheetView>> {
    let v = i32::try_from(v).unwrap_or(i32::MAX);
    Ok(Json(method_sheets::version(&s.db, &ctx, id, v).await?))
}

#[utoipa::path(get, path = "/api/v1/method-sheets/{id}/pdf", tag = "production", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/pdf", description = "The method sheet"), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn sheet_pdf(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    Id(id): Id,
) -> ApiResult<Response> {
    let (name, bytes) = production::docs::method_sheet_pdf(
        &s.db,
        &ctx,
        id,
        &s.cfg.public_base_url,
        usinage_app::paris_today(),
    )
    .await?;
    Ok(pdf_response(&name, bytes))
}

#[utoipa::path(post, path = "/api/v1/cutting/compute", tag = "production", security(("bearer" = [])), request_body(content = Object, description = "CuttingRequest (see docs/cutting-engine.md)"),
    responses((status = 200, body = Object, description = "CuttingConditions"), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn compute(
    Auth(ctx): Auth,
    ApiJson(r): ApiJson<CuttingRequest>,
) -> ApiResult<Json<CuttingConditions>> {
    Ok(Json(method_sheets::compute_preview(&ctx, &r)?))
}

#[utoipa::path(get, path = "/api/v1/cutting/settings", tag = "production", security(("bearer" = [])),
    responses((status = 200, body = Object, description = "CuttingSettings: source priority, NORMS defaults, chip thinning"), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn get_cutting_settings(
    State(s): State<AppState>,
    Auth(ctx): Auth,
) -> ApiResult<Json<CuttingSettings>> {
    Ok(Json(method_sheets::cutting_settings(&s.db, &ctx).await?))
}

#[utoipa::path(put, path = "/api/v1/cutting/settings", tag = "production", security(("bearer" = [])), request_body(content = Object, description = "CuttingSettings"),
    responses((status = 200, body = Object), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn put_cutting_settings(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    ApiJson(c): ApiJson<CuttingSettings>,
) -> ApiResult<Json<CuttingSettings>> {
    Ok(Json(
        method_sheets::save_cutting_settings(&s.db, &ctx, c).await?,
    ))
}
