use super::export;
use super::instruments::paris_today;
use crate::AppState;
use crate::extract::{
    ApiJson, ApiQuery, Authorized, Id, Lang, MachinesCreate, MachinesRead, MachinesUpdate,
};
use crate::problem::{ApiResult, Problem};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use usinage_app::audit::{self, AuditEntry};
use usinage_app::listing::{Format, ListParams, ListQuery, Page, parse_bool};
use usinage_app::resources::machines::{
    self, MachineFields, MachineFilter, MachinePatch, MachineView, Transition, TransitionRequest,
};
use usinage_app::rights::Module;
use usinage_documents::table_export::{Cell, Table};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MachineFilterParams {
    /// kind code, e.g. `fraiseuse_5axes`
    pub kind: Option<String>,
    /// `disponible`, `en_maintenance`, `en_panne`
    pub status: Option<String>,
    /// `true` or `false`
    pub active: Option<String>,
}

fn table(items: &[MachineView], english: bool) -> Table {
    let h: &[&str] = if english {
        &[
            "Code",
            "Name",
            "Kind",
            "Make",
            "Model",
            "Year",
            "Control",
            "X mm",
            "Y mm",
            "Z mm",
            "Max rpm",
            "Power kW",
            "Status",
            "Location",
            "Machine €/h",
            "Operator €/h",
            "Hours",
        ]
    } else {
        &[
            "Code",
            "Nom",
            "Type",
            "Marque",
            "Modèle",
            "Année",
            "Commande",
            "X mm",
            "Y mm",
            "Z mm",
            "tr/min max",
            "Puissance kW",
            "Statut",
            "Emplacement",
            "Taux machine €/h",
            "Taux opérateur €/h",
            "Compteur h",
        ]
    };
    Table {
        headers: h.iter().map(|s| s.to_string()).collect(),
        rows: items
            .iter()
            .map(|m| {
                vec![
                    m.code.clone().into(),
                    m.name.clone().into(),
                    m.kind_label.clone().into(),
                    m.brand.clone().into(),
                    m.model.clone().into(),
                    m.year
                        .map(|y| Cell::Int(i64::from(y)))
                        .unwrap_or(Cell::Empty),
                    m.cnc_controller_label.clone().into(),
                    m.travel_x_mm.clone().into(),
                    m.travel_y_mm.clone().into(),
                    m.travel_z_mm.clone().into(),
                    m.max_spindle_rpm
                        .map(|y| Cell::Int(i64::from(y)))
                        .unwrap_or(Cell::Empty),
                    m.spindle_power_kw.clone().into(),
                    m.status_label.clone().into(),
                    m.location.clone().into(),
                    m.machine_rate.clone().into(),
                    m.operator_rate.clone().into(),
                    m.hour_counter_h.clone().into(),
                ]
            })
            .collect(),
    }
}

#[utoipa::path(get, path = "/api/v1/machines", tag = "machines", security(("bearer" = [])), params(ListParams, MachineFilterParams),
    responses((status = 200, body = Page<MachineView>, description = "JSON page, or a CSV/XLSX file with `format`"), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn list(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<MachinesRead>,
    lang: Lang,
    ApiQuery(p): ApiQuery<ListParams>,
    ApiQuery(f): ApiQuery<MachineFilterParams>,
) -> ApiResult<Response> {
    let q = ListQuery::parse(&p, machines::SORTABLE)?;
    let filter = MachineFilter {
        kind: f.kind,
        status: f.status,
        active: parse_bool("active", f.active.as_deref())?,
    };
    let page = machines::list(&s.db, &ctx, &q, &filter).await?;
    let items: Vec<MachineView> = page
        .items
        .iter()
        .map(|m| machines::view(m, &s.cfg.public_base_url, lang.english, false))
        .collect();
    match q.format {
        Format::Json => Ok(Json(Page {
            items,
            total: page.total,
            page: page.page,
            per_page: page.per_page,
        })
        .into_response()),
        f => export(&table(&items, lang.english), f, "machines"),
    }
}

#[utoipa::path(post, path = "/api/v1/machines", tag = "machines", security(("bearer" = [])), request_body = MachineFields,
    responses((status = 201, body = MachineView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<MachinesCreate>,
    lang: Lang,
    ApiJson(n): ApiJson<MachineFields>,
) -> ApiResult<(StatusCode, Json<MachineView>)> {
    let m = machines::create(&s.db, &ctx, paris_today(), n).await?;
    Ok((
        StatusCode::CREATED,
        Json(machines::view(
            &m,
            &s.cfg.public_base_url,
            lang.english,
            true,
        )),
    ))
}

#[utoipa::path(get, path = "/api/v1/machines/{id}", tag = "machines", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = MachineView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<MachinesRead>,
    lang: Lang,
    Id(id): Id,
) -> ApiResult<Json<MachineView>> {
    let m = machines::get(&s.db, &ctx, id).await?;
    Ok(Json(machines::view(
        &m,
        &s.cfg.public_base_url,
        lang.english,
        true,
    )))
}

#[utoipa::path(patch, path = "/api/v1/machines/{id}", tag = "machines", security(("bearer" = [])), params(("id" = i64, Path)), request_body = MachinePatch,
    responses((status = 200, body = MachineView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn patch(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<MachinesUpdate>,
    lang: Lang,
    Id(id): Id,
    ApiJson(p): ApiJson<MachinePatch>,
) -> ApiResult<Json<MachineView>> {
    let m = machines::update(&s.db, &ctx, paris_today(), id, p).await?;
    Ok(Json(machines::view(
        &m,
        &s.cfg.public_base_url,
        lang.english,
        true,
    )))
}

#[utoipa::path(get, path = "/api/v1/machines/{id}/transitions", tag = "machines", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Transition>), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn transitions(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<MachinesRead>,
    lang: Lang,
    Id(id): Id,
) -> ApiResult<Json<Vec<Transition>>> {
    Ok(Json(
        machines::transitions(&s.db, &ctx, id, lang.english).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/machines/{id}/transitions", tag = "machines", security(("bearer" = [])), params(("id" = i64, Path)), request_body = TransitionRequest,
    responses((status = 200, body = MachineView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn transition(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<MachinesUpdate>,
    lang: Lang,
    Id(id): Id,
    ApiJson(t): ApiJson<TransitionRequest>,
) -> ApiResult<Json<MachineView>> {
    let m = machines::transition(&s.db, &ctx, id, t).await?;
    Ok(Json(machines::view(
        &m,
        &s.cfg.public_base_url,
        lang.english,
        true,
    )))
}

#[utoipa::path(get, path = "/api/v1/machines/{id}/history", tag = "machines", security(("bearer" = [])), params(("id" = i64, Path), ListParams),
    responses((status = 200, body = Page<AuditEntry>), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn history(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<MachinesRead>,
    Id(id): Id,
    ApiQuery(p): ApiQuery<ListParams>,
) -> ApiResult<Json<Page<AuditEntry>>> {
    let q = ListQuery::parse(&p, audit::SORTABLE)?;
    machines::get(&s.db, &ctx, id).await?;
    Ok(Json(
        audit::history(
            &s.db,
            &ctx,
            Module::Machines,
            "machine",
            &id.to_string(),
            &q,
        )
        .await?,
    ))
}
