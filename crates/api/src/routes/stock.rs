//! Stock routes: storage locations, tools (cutting data, stock, movements, purchase requests),
//! materials (grades, lots, stock items, movements, suggestions, alerts) and reservations.
//! Handlers parse HTTP and call one service function each (`usinage_app::stock`).

use super::export;
use crate::AppState;
use crate::extract::{
    ApiJson, ApiQuery, Auth, Authorized, Id, Lang, MaterialsCreate, MaterialsRead, MaterialsUpdate,
    SubId, ToolsCreate, ToolsRead, ToolsUpdate,
};
use crate::problem::{ApiResult, Problem};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use usinage_app::Ctx;
use usinage_app::audit::{self, AuditEntry};
use usinage_app::error::AppError;
use usinage_app::listing::{Format, ListParams, ListQuery, Page, parse_bool};
use usinage_app::rights::Module;
use usinage_app::stock::locations::{
    self, LocationFilter, LocationInput, LocationPatch, LocationView,
};
use usinage_app::stock::materials::{
    self as mat, AlertView, GradeInput, GradePatch, GradeView, LotInput, LotPatch, LotView,
    MaterialMovementInput, MaterialMovementView, MinimumInput, MinimumUpdate, StockFilter,
    StockItemInput, StockItemPatch, StockItemView, StorageSuggestion, SuggestParams,
    SuggestionView,
};
use usinage_app::stock::reservations::{
    self as resv, ReleaseRequest, ReservationFilter, ReservationInput, ReservationView,
};
use usinage_app::stock::tools::{
    self, CuttingDataInput, CuttingDataUpdate, CuttingDataView, LifeInput, MovementView, PrFilter,
    PurchaseRequestInput, PurchaseRequestView, StockLineView, ToolFilter, ToolInput,
    ToolMovementInput, ToolPatch, ToolView,
};
use usinage_app::stock::{Transition, TransitionRequest};
use usinage_documents::table_export::{Cell, Table};

fn page_of<T, U>(p: &Page<T>, items: Vec<U>) -> Page<U> {
    Page {
        items,
        total: p.total,
        page: p.page,
        per_page: p.per_page,
    }
}

fn table(english: bool, fr: &[&str], en: &[&str], rows: Vec<Vec<Cell>>) -> Table {
    Table {
        headers: if english { en } else { fr }
            .iter()
            .map(|s| s.to_string())
            .collect(),
        rows,
    }
}

fn opt_i64(field: &str, v: Option<&str>) -> Result<Option<i64>, AppError> {
    match v.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s.parse::<i64>().map(Some).map_err(|_| {
            AppError::field(
                field,
                "invalid_id",
                format!("Identifiant « {s} » invalide."),
                format!("Invalid id “{s}”."),
            )
        }),
    }
}

async fn history_of(
    s: &AppState,
    ctx: &Ctx,
    module: Module,
    entity: &str,
    id: i64,
    p: &ListParams,
) -> ApiResult<Json<Page<AuditEntry>>> {
    let q = ListQuery::parse(p, audit::SORTABLE)?;
    Ok(Json(
        audit::history(&s.db, ctx, module, entity, &id.to_string(), &q).await?,
    ))
}

// ================================================================ locations

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LocationFilterParams {
    /// armoire, tiroir, case, rack, zone
    pub kind: Option<String>,
    pub active: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/locations", tag = "stock", security(("bearer" = [])), params(ListParams, LocationFilterParams),
    responses((status = 200, body = Page<LocationView>, description = "JSON page, or a CSV/XLSX file with `format`"), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn list_locations(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    ApiQuery(p): ApiQuery<ListParams>,
    ApiQuery(f): ApiQuery<LocationFilterParams>,
) -> ApiResult<Response> {
    let q = ListQuery::parse(&p, locations::SORTABLE)?;
    let filter = LocationFilter {
        kind: f.kind.filter(|k| !k.trim().is_empty()),
        active: parse_bool("active", f.active.as_deref())?,
    };
    let page = locations::list(&s.db, &ctx, &q, &filter).await?;
    let items: Vec<LocationView> = page
        .items
        .iter()
        .map(|l| locations::view(l, &s.cfg.public_base_url, lang.english))
        .collect();
    match q.format {
        Format::Json => Ok(Json(page_of(&page, items)).into_response()),
        f => export(
            &table(
                lang.english,
                &["Id", "Code", "Nom", "Type", "Distance scie (m)", "Statut"],
                &["Id", "Code", "Name", "Kind", "Saw distance (m)", "Status"],
                items
                    .iter()
                    .map(|l| {
                        vec![
                            Cell::Int(l.id),
                            l.code.clone().into(),
                            l.name.clone().into(),
                            l.kind_label.clone().into(),
                            l.saw_distance_m.clone().into(),
                            l.status_label.clone().into(),
                        ]
                    })
                    .collect(),
            ),
            f,
            if lang.english {
                "locations"
            } else {
                "emplacements"
            },
        ),
    }
}

#[utoipa::path(post, path = "/api/v1/locations", tag = "stock", security(("bearer" = [])), request_body = LocationInput,
    responses((status = 201, body = LocationView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_location(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    ApiJson(i): ApiJson<LocationInput>,
) -> ApiResult<(StatusCode, Json<LocationView>)> {
    let l = locations::create(&s.db, &ctx, i).await?;
    Ok((
        StatusCode::CREATED,
        Json(locations::view(&l, &s.cfg.public_base_url, lang.english)),
    ))
}

#[utoipa::path(get, path = "/api/v1/locations/{id}", tag = "stock", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = LocationView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get_location(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    Id(id): Id,
) -> ApiResult<Json<LocationView>> {
    let l = locations::get(&s.db, &ctx, id).await?;
    Ok(Json(locations::view(
        &l,
        &s.cfg.public_base_url,
        lang.english,
    )))
}

#[utoipa::path(patch, path = "/api/v1/locations/{id}", tag = "stock", security(("bearer" = [])), params(("id" = i64, Path)), request_body = LocationPatch,
    responses((status = 200, body = LocationView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn patch_location(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    Id(id): Id,
    ApiJson(p): ApiJson<LocationPatch>,
) -> ApiResult<Json<LocationView>> {
    let l = locations::update(&s.db, &ctx, id, p).await?;
    Ok(Json(locations::view(
        &l,
        &s.cfg.public_base_url,
        lang.english,
    )))
}

#[utoipa::path(get, path = "/api/v1/locations/{id}/history", tag = "stock", security(("bearer" = [])), params(("id" = i64, Path), ListParams),
    responses((status = 200, body = Page<AuditEntry>), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn location_history(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    Id(id): Id,
    ApiQuery(p): ApiQuery<ListParams>,
) -> ApiResult<Json<Page<AuditEntry>>> {
    locations::get(&s.db, &ctx, id).await?;
    let module = if ctx
        .require(Module::Tools, usinage_app::rights::Action::Read)
        .is_ok()
    {
        Module::Tools
    } else {
        Module::Materials
    };
    history_of(&s, &ctx, module, "storage_location", id, &p).await
}

// ================================================================ tools

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ToolFilterParams {
    /// Tool type code, e.g. `fraise`
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub tool_type: Option<String>,
    /// `true`: only tools under their minimum stock
    pub below_min: Option<String>,
    pub active: Option<String>,
}

async fn tool_views(
    s: &AppState,
    items: &[usinage_store::entities::tool::Model],
    english: bool,
) -> ApiResult<Vec<ToolView>> {
    let ids: Vec<i64> = items.iter().map(|t| t.id).collect();
    let sums = tools::summaries(&s.db.conn, &ids).await?;
    Ok(items
        .iter()
        .map(|t| {
            tools::view(
                t,
                sums.get(&t.id).copied().unwrap_or((0, 0)),
                &s.cfg.public_base_url,
                english,
            )
        })
        .collect())
}

#[utoipa::path(get, path = "/api/v1/tools", tag = "stock", security(("bearer" = [])), params(ListParams, ToolFilterParams),
    responses((status = 200, body = Page<ToolView>, description = "JSON page, or a CSV/XLSX file with `format`"), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn list_tools(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<ToolsRead>,
    lang: Lang,
    ApiQuery(p): ApiQuery<ListParams>,
    ApiQuery(f): ApiQuery<ToolFilterParams>,
) -> ApiResult<Response> {
    let q = ListQuery::parse(&p, tools::SORTABLE)?;
    let filter = ToolFilter {
        tool_type: f.tool_type.filter(|t| !t.trim().is_empty()),
        below_min: parse_bool("below_min", f.below_min.as_deref())?,
        active: parse_bool("active", f.active.as_deref())?,
    };
    let page = tools::list(&s.db, &ctx, &q, &filter).await?;
    let items = tool_views(&s, &page.items, lang.english).await?;
    match q.format {
        Format::Json => Ok(Json(page_of(&page, items)).into_response()),
        f => export(
            &table(
                lang.english,
                &[
                    "Id",
                    "Code",
                    "Désignation",
                    "Type",
                    "Désignation ISO",
                    "Ø (mm)",
                    "Fournisseur",
                    "Prix (€)",
                    "Stock",
                    "Réservé",
                    "Disponible",
                    "Minimum",
                    "Sous minimum",
                ],
                &[
                    "Id",
                    "Code",
                    "Name",
                    "Type",
                    "ISO designation",
                    "Ø (mm)",
                    "Supplier",
                    "Price (€)",
                    "On hand",
                    "Reserved",
                    "Available",
                    "Minimum",
                    "Below minimum",
                ],
                items
                    .iter()
                    .map(|t| {
                        vec![
                            Cell::Int(t.id),
                            t.code.clone().into(),
                            t.name.clone().into(),
                            t.type_label.clone().into(),
                            t.iso_designation.clone().into(),
                            t.diameter_mm.clone().into(),
                            t.supplier_name.clone().into(),
                            t.unit_price.clone().into(),
                            Cell::Int(t.on_hand),
                            Cell::Int(t.reserved),
                            Cell::Int(t.available),
                            Cell::Int(t.min_stock),
                            if t.below_min { "oui" } else { "non" }.into(),
                        ]
                    })
                    .collect(),
            ),
            f,
            if lang.english { "tools" } else { "outils" },
        ),
    }
}

#[utoipa::path(post, path = "/api/v1/tools", tag = "stock", security(("bearer" = [])), request_body = ToolInput,
    responses((status = 201, body = ToolView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_tool(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<ToolsCreate>,
    lang: Lang,
    ApiJson(i): ApiJson<ToolInput>,
) -> ApiResult<(StatusCode, Json<ToolView>)> {
    let t = tools::create(&s.db, &ctx, i).await?;
    let v = tool_views(&s, &[t], lang.english).await?.remove(0);
    Ok((StatusCode::CREATED, Json(v)))
}

#[utoipa::path(get, path = "/api/v1/tools/{id}", tag = "stock", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = ToolView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get_tool(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<ToolsRead>,
    lang: Lang,
    Id(id): Id,
) -> ApiResult<Json<ToolView>> {
    let t = tools::get(&s.db, &ctx, id).await?;
    Ok(Json(tool_views(&s, &[t], lang.english).await?.remove(0)))
}

#[utoipa::path(patch, path = "/api/v1/tools/{id}", tag = "stock", security(("bearer" = [])), params(("id" = i64, Path)), request_body = ToolPatch,
    responses((status = 200, body = ToolView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn patch_tool(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<ToolsUpdate>,
    lang: Lang,
    Id(id): Id,
    ApiJson(p): ApiJson<ToolPatch>,
) -> ApiResult<Json<ToolView>> {
    let t = tools::update(&s.db, &ctx, id, p).await?;
    Ok(Json(tool_views(&s, &[t], lang.english).await?.remove(0)))
}

#[utoipa::path(get, path = "/api/v1/tools/{id}/history", tag = "stock", security(("bearer" = [])), params(("id" = i64, Path), ListParams),
    responses((status = 200, body = Page<AuditEntry>), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn tool_history(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<ToolsRead>,
    Id(id): Id,
    ApiQuery(p): ApiQuery<ListParams>,
) -> ApiResult<Json<Page<AuditEntry>>> {
    tools::get(&s.db, &ctx, id).await?;
    history_of(&s, &ctx, Module::Tools, "tool", id, &p).await
}

#[utoipa::path(get, path = "/api/v1/tools/{id}/cutting-data", tag = "stock", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Vec<CuttingDataView>), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn list_cutting_data(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<ToolsRead>,
    lang: Lang,
    Id(id): Id,
) -> ApiResult<Json<Vec<CuttingDataView>>> {
    Ok(Json(
        tools::list_cutting(&s.db, &ctx, id)
            .await?
            .iter()
            .map(|c| tools::cutting_view(c, lang.english))
            .collect(),
    ))
}

#[utoipa::path(post, path = "/api/v1/tools/{id}/cutting-data", tag = "stock", security(("bearer" = [])), params(("id" = i64, Path)), request_body = CuttingDataInput,
    responses((status = 201, body = CuttingDataView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_cutting_data(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<ToolsUpdate>,
    lang: Lang,
    Id(id): Id,
    ApiJson(i): ApiJson<CuttingDataInput>,
) -> ApiResult<(StatusCode, Json<CuttingDataView>)> {
    let c = tools::add_cutting(&s.db, &ctx, id, i).await?;
    Ok((
        StatusCode::CREATED,
        Json(tools::cutting_view(&c, lang.english)),
    ))
}

#[utoipa::path(patch, path = "/api/v1/tools/{id}/cutting-data/{cd_id}", tag = "stock", security(("bearer" = [])), params(("id" = i64, Path), ("cd_id" = i64, Path)), request_body = CuttingDataUpdate,
    responses((status = 200, body = CuttingDataView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn patch_cutting_data(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<ToolsUpdate>,
    lang: Lang,
    SubId(id, cd_id): SubId,
    ApiJson(u): ApiJson<CuttingDataUpdate>,
) -> ApiResult<Json<CuttingDataView>> {
    let c = tools::update_cutting(&s.db, &ctx, id, cd_id, u).await?;
    Ok(Json(tools::cutting_view(&c, lang.english)))
}

#[utoipa::path(delete, path = "/api/v1/tools/{id}/cutting-data/{cd_id}", tag = "stock", security(("bearer" = [])), params(("id" = i64, Path), ("cd_id" = i64, Path)),
    responses((status = 204, description = "Deleted"), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn delete_cutting_data(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<ToolsUpdate>,
    SubId(id, cd_id): SubId,
) -> ApiResult<StatusCode> {
    tools::delete_cutting(&s.db, &ctx, id, cd_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Adds use to the tool's life counter (minutes or pieces) or resets it with a reason.
#[utoipa::path(post, path = "/api/v1/tools/{id}/life", tag = "stock", security(("bearer" = [])), params(("id" = i64, Path)), request_body = LifeInput,
    responses((status = 200, body = ToolView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn record_tool_life(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<ToolsUpdate>,
    lang: Lang,
    Id(id): Id,
    ApiJson(i): ApiJson<LifeInput>,
) -> ApiResult<Json<ToolView>> {
    let t = tools::record_life(&s.db, &ctx, id, i).await?;
    Ok(Json(tool_views(&s, &[t], lang.english).await?.remove(0)))
}

#[utoipa::path(get, path = "/api/v1/tools/{id}/stock", tag = "stock", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Vec<StockLineView>), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn tool_stock_lines(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<ToolsRead>,
    Id(id): Id,
) -> ApiResult<Json<Vec<StockLineView>>> {
    Ok(Json(tools::stock_lines(&s.db, &ctx, id).await?))
}

#[utoipa::path(get, path = "/api/v1/tools/{id}/movements", tag = "stock", security(("bearer" = [])), params(("id" = i64, Path), ListParams),
    responses((status = 200, body = Page<MovementView>), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn tool_movements(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<ToolsRead>,
    lang: Lang,
    Id(id): Id,
    ApiQuery(p): ApiQuery<ListParams>,
) -> ApiResult<Json<Page<MovementView>>> {
    let q = ListQuery::parse(&p, &["id"])?;
    let page = tools::movements(&s.db, &ctx, id, &q).await?;
    let items = page
        .items
        .iter()
        .map(|m| tools::movement_view(m, lang.english))
        .collect();
    Ok(Json(page_of(&page, items)))
}

#[utoipa::path(post, path = "/api/v1/tools/{id}/movements", tag = "stock", security(("bearer" = [])), params(("id" = i64, Path)), request_body = ToolMovementInput,
    responses((status = 201, body = MovementView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem, description = "insufficient stock"), (status = 422, body = Problem)))]
pub async fn add_tool_movement(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<ToolsUpdate>,
    lang: Lang,
    Id(id): Id,
    ApiJson(i): ApiJson<ToolMovementInput>,
) -> ApiResult<(StatusCode, Json<MovementView>)> {
    let m = tools::move_stock(&s.db, &ctx, id, i).await?;
    Ok((
        StatusCode::CREATED,
        Json(tools::movement_view(&m, lang.english)),
    ))
}

// ================================================================ tool purchase requests

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PrFilterParams {
    /// brouillon, demandee, validee, refusee, commandee
    pub status: Option<String>,
    pub urgent: Option<String>,
    pub tool_id: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/tool-purchase-requests", tag = "stock", security(("bearer" = [])), params(ListParams, PrFilterParams),
    responses((status = 200, body = Page<PurchaseRequestView>), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn list_purchase_requests(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<ToolsRead>,
    lang: Lang,
    ApiQuery(p): ApiQuery<ListParams>,
    ApiQuery(f): ApiQuery<PrFilterParams>,
) -> ApiResult<Response> {
    let q = ListQuery::parse(&p, tools::PR_SORTABLE)?;
    let filter = PrFilter {
        status: f.status.filter(|t| !t.trim().is_empty()),
        urgent: parse_bool("urgent", f.urgent.as_deref())?,
        tool_id: opt_i64("tool_id", f.tool_id.as_deref())?,
    };
    let page = tools::list_requests(&s.db, &ctx, &q, &filter).await?;
    let items = tools::pr_views(&s.db, &page.items, &s.cfg.public_base_url, lang.english).await?;
    match q.format {
        Format::Json => Ok(Json(page_of(&page, items)).into_response()),
        f => export(
            &table(
                lang.english,
                &[
                    "Id",
                    "Outil",
                    "Désignation",
                    "Quantité",
                    "Urgent",
                    "Statut",
                    "Demandé par",
                ],
                &[
                    "Id",
                    "Tool",
                    "Name",
                    "Quantity",
                    "Urgent",
                    "Status",
                    "Requested by",
                ],
                items
                    .iter()
                    .map(|r| {
                        vec![
                            Cell::Int(r.id),
                            r.tool_code.clone().into(),
                            r.tool_name.clone().into(),
                            Cell::Int(r.quantity),
                            if r.urgent { "oui" } else { "non" }.into(),
                            r.status_label.clone().into(),
                            r.requested_by.clone().into(),
                        ]
                    })
                    .collect(),
            ),
            f,
            if lang.english {
                "tool-purchase-requests"
            } else {
                "demandes-achat-outils"
            },
        ),
    }
}

#[utoipa::path(post, path = "/api/v1/tool-purchase-requests", tag = "stock", security(("bearer" = [])), request_body = PurchaseRequestInput,
    responses((status = 201, body = PurchaseRequestView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_purchase_request(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<ToolsCreate>,
    lang: Lang,
    ApiJson(i): ApiJson<PurchaseRequestInput>,
) -> ApiResult<(StatusCode, Json<PurchaseRequestView>)> {
    let r = tools::create_request(&s.db, &ctx, i).await?;
    let v = tools::pr_views(&s.db, &[r], &s.cfg.public_base_url, lang.english)
        .await?
        .remove(0);
    Ok((StatusCode::CREATED, Json(v)))
}

#[utoipa::path(get, path = "/api/v1/tool-purchase-requests/{id}", tag = "stock", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = PurchaseRequestView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get_purchase_request(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<ToolsRead>,
    lang: Lang,
    Id(id): Id,
) -> ApiResult<Json<PurchaseRequestView>> {
    let r = tools::get_request(&s.db, &ctx, id).await?;
    Ok(Json(
        tools::pr_views(&s.db, &[r], &s.cfg.public_base_url, lang.english)
            .await?
            .remove(0),
    ))
}

#[utoipa::path(get, path = "/api/v1/tool-purchase-requests/{id}/transitions", tag = "stock", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Transition>), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn purchase_request_transitions(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<ToolsRead>,
    lang: Lang,
    Id(id): Id,
) -> ApiResult<Json<Vec<Transition>>> {
    Ok(Json(
        tools::request_transitions(&s.db, &ctx, id, lang.english).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/tool-purchase-requests/{id}/transitions", tag = "stock", security(("bearer" = [])), params(("id" = i64, Path)), request_body = TransitionRequest,
    responses((status = 200, body = PurchaseRequestView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn purchase_request_transition(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<ToolsUpdate>,
    lang: Lang,
    Id(id): Id,
    ApiJson(t): ApiJson<TransitionRequest>,
) -> ApiResult<Json<PurchaseRequestView>> {
    let r = tools::transition_request(&s.db, &ctx, id, t).await?;
    Ok(Json(
        tools::pr_views(&s.db, &[r], &s.cfg.public_base_url, lang.english)
            .await?
            .remove(0),
    ))
}

#[utoipa::path(get, path = "/api/v1/tool-purchase-requests/{id}/history", tag = "stock", security(("bearer" = [])), params(("id" = i64, Path), ListParams),
    responses((status = 200, body = Page<AuditEntry>), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn purchase_request_history(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<ToolsRead>,
    Id(id): Id,
    ApiQuery(p): ApiQuery<ListParams>,
) -> ApiResult<Json<Page<AuditEntry>>> {
    tools::get_request(&s.db, &ctx, id).await?;
    history_of(&s, &ctx, Module::Tools, "tool_purchase_request", id, &p).await
}

// ================================================================ material grades

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GradeFilterParams {
    /// P, M, K, N, S, H
    pub iso_group: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/materials", tag = "stock", security(("bearer" = [])), params(ListParams, GradeFilterParams),
    responses((status = 200, body = Page<GradeView>, description = "JSON page, or a CSV/XLSX file with `format`"), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn list_grades(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<MaterialsRead>,
    lang: Lang,
    ApiQuery(p): ApiQuery<ListParams>,
    ApiQuery(f): ApiQuery<GradeFilterParams>,
) -> ApiResult<Response> {
    let q = ListQuery::parse(&p, mat::GRADE_SORTABLE)?;
    let page = mat::list_grades(
        &s.db,
        &ctx,
        &q,
        f.iso_group.filter(|g| !g.trim().is_empty()),
    )
    .await?;
    let items: Vec<GradeView> = page
        .items
        .iter()
        .map(|g| mat::grade_view(g, &s.cfg.public_base_url, lang.english))
        .collect();
    match q.format {
        Format::Json => Ok(Json(page_of(&page, items)).into_response()),
        f => export(
            &table(
                lang.english,
                &[
                    "Id",
                    "Code",
                    "Désignation AFNOR",
                    "N° EN",
                    "Nom EN",
                    "AISI",
                    "DIN",
                    "Groupe ISO",
                    "Masse volumique (kg/dm³)",
                ],
                &[
                    "Id",
                    "Code",
                    "AFNOR designation",
                    "EN number",
                    "EN name",
                    "AISI",
                    "DIN",
                    "ISO group",
                    "Density (kg/dm³)",
                ],
                items
                    .iter()
                    .map(|g| {
                        vec![
                            Cell::Int(g.id),
                            g.code.clone().into(),
                            g.afnor.clone().into(),
                            g.en_number.clone().into(),
                            g.en_name.clone().into(),
                            g.aisi.clone().into(),
                            g.din.clone().into(),
                            g.iso_group.clone().into(),
                            g.density.clone().into(),
                        ]
                    })
                    .collect(),
            ),
            f,
            if lang.english {
                "materials"
            } else {
                "matieres"
            },
        ),
    }
}

#[utoipa::path(post, path = "/api/v1/materials", tag = "stock", security(("bearer" = [])), request_body = GradeInput,
    responses((status = 201, body = GradeView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_grade(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<MaterialsCreate>,
    lang: Lang,
    ApiJson(i): ApiJson<GradeInput>,
) -> ApiResult<(StatusCode, Json<GradeView>)> {
    let g = mat::create_grade(&s.db, &ctx, i).await?;
    Ok((
        StatusCode::CREATED,
        Json(mat::grade_view(&g, &s.cfg.public_base_url, lang.english)),
    ))
}

#[utoipa::path(get, path = "/api/v1/materials/{id}", tag = "stock", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = GradeView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get_grade(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<MaterialsRead>,
    lang: Lang,
    Id(id): Id,
) -> ApiResult<Json<GradeView>> {
    let g = mat::get_grade(&s.db, &ctx, id).await?;
    Ok(Json(mat::grade_view(
        &g,
        &s.cfg.public_base_url,
        lang.english,
    )))
}

#[utoipa::path(patch, path = "/api/v1/materials/{id}", tag = "stock", security(("bearer" = [])), params(("id" = i64, Path)), request_body = GradePatch,
    responses((status = 200, body = GradeView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn patch_grade(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<MaterialsUpdate>,
    lang: Lang,
    Id(id): Id,
    ApiJson(p): ApiJson<GradePatch>,
) -> ApiResult<Json<GradeView>> {
    let g = mat::update_grade(&s.db, &ctx, id, p).await?;
    Ok(Json(mat::grade_view(
        &g,
        &s.cfg.public_base_url,
        lang.english,
    )))
}

#[utoipa::path(get, path = "/api/v1/materials/{id}/history", tag = "stock", security(("bearer" = [])), params(("id" = i64, Path), ListParams),
    responses((status = 200, body = Page<AuditEntry>), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn grade_history(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<MaterialsRead>,
    Id(id): Id,
    ApiQuery(p): ApiQuery<ListParams>,
) -> ApiResult<Json<Page<AuditEntry>>> {
    mat::get_grade(&s.db, &ctx, id).await?;
    history_of(&s, &ctx, Module::Materials, "material_grade", id, &p).await
}

#[utoipa::path(get, path = "/api/v1/materials/{id}/storage-suggestion", tag = "stock", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Vec<StorageSuggestion>, description = "racks and areas, best first: frequently cut grades near the saw"), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn storage_suggestion(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<MaterialsRead>,
    lang: Lang,
    Id(id): Id,
) -> ApiResult<Json<Vec<StorageSuggestion>>> {
    Ok(Json(
        mat::storage_suggestion(&s.db, &ctx, id, &s.cfg.public_base_url, lang.english).await?,
    ))
}

// ================================================================ material lots

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LotFilterParams {
    pub grade_id: Option<String>,
    pub certified: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/material-lots", tag = "stock", security(("bearer" = [])), params(ListParams, LotFilterParams),
    responses((status = 200, body = Page<LotView>), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn list_lots(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<MaterialsRead>,
    lang: Lang,
    ApiQuery(p): ApiQuery<ListParams>,
    ApiQuery(f): ApiQuery<LotFilterParams>,
) -> ApiResult<Response> {
    let q = ListQuery::parse(&p, mat::LOT_SORTABLE)?;
    let page = mat::list_lots(
        &s.db,
        &ctx,
        &q,
        opt_i64("grade_id", f.grade_id.as_deref())?,
        parse_bool("certified", f.certified.as_deref())?,
    )
    .await?;
    let items = mat::lot_views(&s.db, &page.items, &s.cfg.public_base_url, lang.english).await?;
    match q.format {
        Format::Json => Ok(Json(page_of(&page, items)).into_response()),
        f => export(
            &table(
                lang.english,
                &[
                    "Id",
                    "Matière",
                    "Coulée / lot",
                    "Fournisseur",
                    "Certificat",
                    "Réf. certificat",
                    "Certifiée",
                ],
                &[
                    "Id",
                    "Grade",
                    "Heat / lot",
                    "Supplier",
                    "Certificate",
                    "Certificate ref.",
                    "Certified",
                ],
                items
                    .iter()
                    .map(|l| {
                        vec![
                            Cell::Int(l.id),
                            l.grade_code.clone().into(),
                            l.heat_number.clone().into(),
                            l.supplier_name.clone().into(),
                            l.certificate_label.clone().into(),
                            l.certificate_ref.clone().into(),
                            if l.certified { "oui" } else { "non" }.into(),
                        ]
                    })
                    .collect(),
            ),
            f,
            if lang.english {
                "material-lots"
            } else {
                "lots-matiere"
            },
        ),
    }
}

#[utoipa::path(post, path = "/api/v1/material-lots", tag = "stock", security(("bearer" = [])), request_body = LotInput,
    responses((status = 201, body = LotView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_lot(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<MaterialsCreate>,
    lang: Lang,
    ApiJson(i): ApiJson<LotInput>,
) -> ApiResult<(StatusCode, Json<LotView>)> {
    let l = mat::create_lot(&s.db, &ctx, i).await?;
    let v = mat::lot_views(&s.db, &[l], &s.cfg.public_base_url, lang.english)
        .await?
        .remove(0);
    Ok((StatusCode::CREATED, Json(v)))
}

#[utoipa::path(get, path = "/api/v1/material-lots/{id}", tag = "stock", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = LotView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get_lot(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<MaterialsRead>,
    lang: Lang,
    Id(id): Id,
) -> ApiResult<Json<LotView>> {
    let l = mat::get_lot(&s.db, &ctx, id).await?;
    Ok(Json(
        mat::lot_views(&s.db, &[l], &s.cfg.public_base_url, lang.english)
            .await?
            .remove(0),
    ))
}

#[utoipa::path(patch, path = "/api/v1/material-lots/{id}", tag = "stock", security(("bearer" = [])), params(("id" = i64, Path)), request_body = LotPatch,
    responses((status = 200, body = LotView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn patch_lot(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<MaterialsUpdate>,
    lang: Lang,
    Id(id): Id,
    ApiJson(p): ApiJson<LotPatch>,
) -> ApiResult<Json<LotView>> {
    let l = mat::update_lot(&s.db, &ctx, id, p).await?;
    Ok(Json(
        mat::lot_views(&s.db, &[l], &s.cfg.public_base_url, lang.english)
            .await?
            .remove(0),
    ))
}

#[utoipa::path(get, path = "/api/v1/material-lots/{id}/history", tag = "stock", security(("bearer" = [])), params(("id" = i64, Path), ListParams),
    responses((status = 200, body = Page<AuditEntry>), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn lot_history(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<MaterialsRead>,
    Id(id): Id,
    ApiQuery(p): ApiQuery<ListParams>,
) -> ApiResult<Json<Page<AuditEntry>>> {
    mat::get_lot(&s.db, &ctx, id).await?;
    history_of(&s, &ctx, Module::Materials, "material_lot", id, &p).await
}

// ================================================================ material stock

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StockFilterParams {
    pub grade_id: Option<String>,
    /// rond, carre, hexagone, plat, tube, tole
    pub shape: Option<String>,
    /// `true`: offcuts only; `false`: full bars only
    pub is_offcut: Option<String>,
    pub location_id: Option<String>,
    /// `true`: only items with available pieces
    pub available: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/material-stock", tag = "stock", security(("bearer" = [])), params(ListParams, StockFilterParams),
    responses((status = 200, body = Page<StockItemView>, description = "JSON page, or a CSV/XLSX file with `format`"), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn list_stock(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<MaterialsRead>,
    lang: Lang,
    ApiQuery(p): ApiQuery<ListParams>,
    ApiQuery(f): ApiQuery<StockFilterParams>,
) -> ApiResult<Response> {
    let q = ListQuery::parse(&p, mat::STOCK_SORTABLE)?;
    let filter = StockFilter {
        grade_id: opt_i64("grade_id", f.grade_id.as_deref())?,
        shape: f.shape.filter(|x| !x.trim().is_empty()),
        is_offcut: parse_bool("is_offcut", f.is_offcut.as_deref())?,
        location_id: opt_i64("location_id", f.location_id.as_deref())?,
        available_only: parse_bool("available", f.available.as_deref())?.unwrap_or(false),
    };
    let page = mat::list_stock(&s.db, &ctx, &q, &filter).await?;
    let items = mat::stock_views(&s.db, &page.items, &s.cfg.public_base_url, lang.english).await?;
    match q.format {
        Format::Json => Ok(Json(page_of(&page, items)).into_response()),
        f => export(
            &table(
                lang.english,
                &[
                    "Id",
                    "Repère",
                    "Matière",
                    "Forme",
                    "Ø / côté (mm)",
                    "Longueur (mm)",
                    "Chute",
                    "Lot",
                    "Certifiée",
                    "Stock",
                    "Réservé",
                    "Disponible",
                    "Emplacement",
                ],
                &[
                    "Id",
                    "Label",
                    "Grade",
                    "Shape",
                    "Ø / side (mm)",
                    "Length (mm)",
                    "Offcut",
                    "Lot",
                    "Certified",
                    "On hand",
                    "Reserved",
                    "Available",
                    "Location",
                ],
                items
                    .iter()
                    .map(|i| {
                        vec![
                            Cell::Int(i.id),
                            i.label.clone().into(),
                            i.grade_code.clone().into(),
                            i.shape_label.clone().into(),
                            i.diameter_mm.clone().into(),
                            i.length_mm.clone().into(),
                            if i.is_offcut { "oui" } else { "non" }.into(),
                            i.heat_number.clone().into(),
                            if i.certified { "oui" } else { "non" }.into(),
                            Cell::Int(i.quantity),
                            Cell::Int(i.reserved),
                            Cell::Int(i.available),
                            i.location_code.clone().into(),
                        ]
                    })
                    .collect(),
            ),
            f,
            if lang.english {
                "material-stock"
            } else {
                "stock-matiere"
            },
        ),
    }
}

#[utoipa::path(post, path = "/api/v1/material-stock", tag = "stock", security(("bearer" = [])), request_body = StockItemInput,
    responses((status = 201, body = StockItemView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_stock(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<MaterialsCreate>,
    lang: Lang,
    ApiJson(i): ApiJson<StockItemInput>,
) -> ApiResult<(StatusCode, Json<StockItemView>)> {
    let m = mat::create_stock(&s.db, &ctx, i).await?;
    let v = mat::stock_views(&s.db, &[m], &s.cfg.public_base_url, lang.english)
        .await?
        .remove(0);
    Ok((StatusCode::CREATED, Json(v)))
}

#[utoipa::path(get, path = "/api/v1/material-stock/{id}", tag = "stock", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = StockItemView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get_stock(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<MaterialsRead>,
    lang: Lang,
    Id(id): Id,
) -> ApiResult<Json<StockItemView>> {
    let m = mat::get_stock(&s.db, &ctx, id).await?;
    Ok(Json(
        mat::stock_views(&s.db, &[m], &s.cfg.public_base_url, lang.english)
            .await?
            .remove(0),
    ))
}

#[utoipa::path(patch, path = "/api/v1/material-stock/{id}", tag = "stock", security(("bearer" = [])), params(("id" = i64, Path)), request_body = StockItemPatch,
    responses((status = 200, body = StockItemView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn patch_stock(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<MaterialsUpdate>,
    lang: Lang,
    Id(id): Id,
    ApiJson(p): ApiJson<StockItemPatch>,
) -> ApiResult<Json<StockItemView>> {
    let m = mat::update_stock(&s.db, &ctx, id, p).await?;
    Ok(Json(
        mat::stock_views(&s.db, &[m], &s.cfg.public_base_url, lang.english)
            .await?
            .remove(0),
    ))
}

#[utoipa::path(get, path = "/api/v1/material-stock/{id}/history", tag = "stock", security(("bearer" = [])), params(("id" = i64, Path), ListParams),
    responses((status = 200, body = Page<AuditEntry>), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn stock_history(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<MaterialsRead>,
    Id(id): Id,
    ApiQuery(p): ApiQuery<ListParams>,
) -> ApiResult<Json<Page<AuditEntry>>> {
    mat::get_stock(&s.db, &ctx, id).await?;
    history_of(&s, &ctx, Module::Materials, "material_stock", id, &p).await
}

#[utoipa::path(get, path = "/api/v1/material-stock/{id}/movements", tag = "stock", security(("bearer" = [])), params(("id" = i64, Path), ListParams),
    responses((status = 200, body = Page<MaterialMovementView>), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn stock_movements(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<MaterialsRead>,
    lang: Lang,
    Id(id): Id,
    ApiQuery(p): ApiQuery<ListParams>,
) -> ApiResult<Json<Page<MaterialMovementView>>> {
    let q = ListQuery::parse(&p, &["id"])?;
    let page = mat::movements(&s.db, &ctx, id, &q).await?;
    let items = page
        .items
        .iter()
        .map(|m| mat::movement_view(m, lang.english))
        .collect();
    Ok(Json(page_of(&page, items)))
}

/// A recorded material movement, and the offcut it created if any.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MaterialMovementResult {
    pub movement: MaterialMovementView,
    pub offcut: Option<StockItemView>,
}

#[utoipa::path(post, path = "/api/v1/material-stock/{id}/movements", tag = "stock", security(("bearer" = [])), params(("id" = i64, Path)), request_body = MaterialMovementInput,
    responses((status = 201, body = MaterialMovementResult), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem, description = "insufficient stock, reserved for another job, or certified stock"), (status = 422, body = Problem)))]
pub async fn add_stock_movement(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<MaterialsUpdate>,
    lang: Lang,
    Id(id): Id,
    ApiJson(i): ApiJson<MaterialMovementInput>,
) -> ApiResult<(StatusCode, Json<MaterialMovementResult>)> {
    let r = mat::move_stock(&s.db, &ctx, id, i).await?;
    let offcut = match r.offcut {
        Some(o) => Some(
            mat::stock_views(&s.db, &[o], &s.cfg.public_base_url, lang.english)
                .await?
                .remove(0),
        ),
        None => None,
    };
    Ok((
        StatusCode::CREATED,
        Json(MaterialMovementResult {
            movement: mat::movement_view(&r.movement, lang.english),
            offcut,
        }),
    ))
}

#[utoipa::path(get, path = "/api/v1/material-stock/suggest", tag = "stock", security(("bearer" = [])), params(SuggestParams),
    responses((status = 200, body = Vec<SuggestionView>, description = "fitting stock, offcuts first, least waste first"), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn suggest_stock(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<MaterialsRead>,
    lang: Lang,
    ApiQuery(p): ApiQuery<SuggestParams>,
) -> ApiResult<Json<Vec<SuggestionView>>> {
    Ok(Json(
        mat::suggest(&s.db, &ctx, p, &s.cfg.public_base_url, lang.english).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AlertParams {
    /// `false` to list every minimum, not only those under it (default `true`)
    pub below_only: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/material-stock/alerts", tag = "stock", security(("bearer" = [])), params(AlertParams),
    responses((status = 200, body = Vec<AlertView>), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn stock_alerts(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<MaterialsRead>,
    ApiQuery(p): ApiQuery<AlertParams>,
) -> ApiResult<Json<Vec<AlertView>>> {
    let only = parse_bool("below_only", p.below_only.as_deref())?.unwrap_or(true);
    Ok(Json(mat::alerts(&s.db, &ctx, only).await?))
}

#[utoipa::path(post, path = "/api/v1/material-minimums", tag = "stock", security(("bearer" = [])), request_body = MinimumInput,
    responses((status = 201, body = AlertView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn create_minimum(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<MaterialsUpdate>,
    ApiJson(i): ApiJson<MinimumInput>,
) -> ApiResult<(StatusCode, Json<AlertView>)> {
    let m = mat::create_minimum(&s.db, &ctx, i).await?;
    Ok((
        StatusCode::CREATED,
        Json(minimum_view(&s, &ctx, m.id).await?),
    ))
}

async fn minimum_view(s: &AppState, ctx: &Ctx, id: i64) -> Result<AlertView, AppError> {
    mat::alerts(&s.db, ctx, false)
        .await?
        .into_iter()
        .find(|a| a.minimum_id == id)
        .ok_or_else(|| AppError::internal("minimum"))
}

#[utoipa::path(patch, path = "/api/v1/material-minimums/{id}", tag = "stock", security(("bearer" = [])), params(("id" = i64, Path)), request_body = MinimumUpdate,
    responses((status = 200, body = AlertView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn patch_minimum(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<MaterialsUpdate>,
    Id(id): Id,
    ApiJson(u): ApiJson<MinimumUpdate>,
) -> ApiResult<Json<AlertView>> {
    let m = mat::update_minimum(&s.db, &ctx, id, u).await?;
    Ok(Json(minimum_view(&s, &ctx, m.id).await?))
}

#[utoipa::path(delete, path = "/api/v1/material-minimums/{id}", tag = "stock", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 204, description = "Deleted"), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn delete_minimum(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<MaterialsUpdate>,
    Id(id): Id,
) -> ApiResult<StatusCode> {
    mat::delete_minimum(&s.db, &ctx, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ================================================================ reservations

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReservationFilterParams {
    /// outil or matiere
    pub item_type: Option<String>,
    pub item_id: Option<String>,
    pub job_ref: Option<String>,
    /// active, soldee, liberee
    pub status: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/reservations", tag = "stock", security(("bearer" = [])), params(ListParams, ReservationFilterParams),
    responses((status = 200, body = Page<ReservationView>), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn list_reservations(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    ApiQuery(p): ApiQuery<ListParams>,
    ApiQuery(f): ApiQuery<ReservationFilterParams>,
) -> ApiResult<Response> {
    let q = ListQuery::parse(&p, resv::SORTABLE)?;
    let filter = ReservationFilter {
        item_type: f.item_type.filter(|x| !x.trim().is_empty()),
        item_id: opt_i64("item_id", f.item_id.as_deref())?,
        job_ref: f.job_ref.filter(|x| !x.trim().is_empty()),
        status: f.status.filter(|x| !x.trim().is_empty()),
    };
    let page = resv::list(&s.db, &ctx, &q, &filter).await?;
    let items = resv::views(&s.db, &page.items, lang.english).await?;
    match q.format {
        Format::Json => Ok(Json(page_of(&page, items)).into_response()),
        f => export(
            &table(
                lang.english,
                &[
                    "Id",
                    "Type",
                    "Article",
                    "Affaire / OF",
                    "Réservée",
                    "Consommée",
                    "Reste",
                    "Statut",
                    "Par",
                ],
                &[
                    "Id",
                    "Type",
                    "Item",
                    "Job",
                    "Reserved",
                    "Consumed",
                    "Remaining",
                    "Status",
                    "By",
                ],
                items
                    .iter()
                    .map(|r| {
                        vec![
                            Cell::Int(r.id),
                            r.item_type_label.clone().into(),
                            r.item_label.clone().into(),
                            r.job_ref.clone().into(),
                            Cell::Int(r.quantity),
                            Cell::Int(r.consumed),
                            Cell::Int(r.remaining),
                            r.status_label.clone().into(),
                            r.created_by.clone().into(),
                        ]
                    })
                    .collect(),
            ),
            f,
            if lang.english {
                "reservations"
            } else {
                "reservations-stock"
            },
        ),
    }
}

#[utoipa::path(post, path = "/api/v1/reservations", tag = "stock", security(("bearer" = [])), request_body = ReservationInput,
    responses((status = 201, body = ReservationView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem, description = "not enough free stock"), (status = 422, body = Problem)))]
pub async fn create_reservation(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    ApiJson(i): ApiJson<ReservationInput>,
) -> ApiResult<(StatusCode, Json<ReservationView>)> {
    let r = resv::create(&s.db, &ctx, i).await?;
    let v = resv::views(&s.db, &[r], lang.english).await?.remove(0);
    Ok((StatusCode::CREATED, Json(v)))
}

#[utoipa::path(get, path = "/api/v1/reservations/{id}", tag = "stock", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = ReservationView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get_reservation(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    Id(id): Id,
) -> ApiResult<Json<ReservationView>> {
    let r = resv::get(&s.db, &ctx, id).await?;
    Ok(Json(
        resv::views(&s.db, &[r], lang.english).await?.remove(0),
    ))
}

#[utoipa::path(post, path = "/api/v1/reservations/{id}/release", tag = "stock", security(("bearer" = [])), params(("id" = i64, Path)), request_body = ReleaseRequest,
    responses((status = 200, body = ReservationView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn release_reservation(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    Id(id): Id,
    ApiJson(r): ApiJson<ReleaseRequest>,
) -> ApiResult<Json<ReservationView>> {
    let r = resv::release(&s.db, &ctx, id, r).await?;
    Ok(Json(
        resv::views(&s.db, &[r], lang.english).await?.remove(0),
    ))
}
