use super::export;
use crate::AppState;
use crate::extract::{
    ApiJson, ApiQuery, Authorized, Id, InstrumentsCreate, InstrumentsRead, InstrumentsUpdate,
    InstrumentsValidate, Lang,
};
use crate::problem::{ApiResult, Problem};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use usinage_app::audit::{self, AuditEntry};
use usinage_app::listing::{Format, ListParams, ListQuery, Page, parse_bool};
use usinage_app::resources::instruments::{
    self, CalibrationView, ExceptionView, InstrumentFields, InstrumentFilter, InstrumentPatch,
    InstrumentView, NewCalibration, NewException, NewUse, UseView,
};
use usinage_app::rights::Module;
use usinage_documents::table_export::{Cell, Table};
use usinage_documents::time::ParisTz;

/// Today's calendar date in Europe/Paris (the date every validity rule is checked against).
pub fn paris_today() -> chrono::NaiveDate {
    chrono::Utc::now().with_timezone(&ParisTz).date_naive()
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InstrumentFilterParams {
    /// type code, e.g. `micrometre`
    pub instrument_type: Option<String>,
    /// `valide`, `a_etalonner`, `expire`, `non_conforme` (computed for today)
    pub state: Option<String>,
    /// `true` (en service) or `false` (hors service)
    pub active: Option<String>,
}

async fn views(
    s: &AppState,
    items: &[usinage_store::entities::instrument::Model],
    english: bool,
) -> ApiResult<Vec<InstrumentView>> {
    let ids: Vec<i64> = items.iter().map(|m| m.id).collect();
    let ex = instruments::exceptions_of(&s.db, &ids).await?;
    let today = paris_today();
    Ok(items
        .iter()
        .map(|m| {
            let mine: Vec<_> = ex
                .iter()
                .filter(|e| e.instrument_id == m.id)
                .cloned()
                .collect();
            instruments::view(m, &mine, today, &s.cfg.public_base_url, english)
        })
        .collect())
}

fn table(items: &[InstrumentView], english: bool) -> Table {
    let h: &[&str] = if english {
        &[
            "Code",
            "Name",
            "Type",
            "Range",
            "Resolution",
            "Serial",
            "Location",
            "Interval (months)",
            "Last calibration",
            "Next calibration",
            "State",
            "Certificate",
        ]
    } else {
        &[
            "Code",
            "Désignation",
            "Type",
            "Étendue",
            "Résolution",
            "N° de série",
            "Emplacement",
            "Périodicité (mois)",
            "Dernier étalonnage",
            "Prochain étalonnage",
            "État",
            "Certificat",
        ]
    };
    let date = |d: Option<chrono::NaiveDate>| -> Cell {
        d.map(|d| Cell::Text(d.format("%d/%m/%Y").to_string()))
            .unwrap_or(Cell::Empty)
    };
    Table {
        headers: h.iter().map(|s| s.to_string()).collect(),
        rows: items
            .iter()
            .map(|m| {
                vec![
                    m.code.clone().into(),
                    m.name.clone().into(),
                    m.instrument_type_label.clone().into(),
                    m.range.clone().into(),
                    m.resolution.clone().into(),
                    m.serial.clone().into(),
                    m.location.clone().into(),
                    Cell::Int(i64::from(m.calibration_interval_months)),
                    date(m.last_calibration),
                    date(m.next_calibration),
                    m.state_label.clone().into(),
                    m.certificate_ref.clone().into(),
                ]
            })
            .collect(),
    }
}

#[utoipa::path(get, path = "/api/v1/instruments", tag = "instruments", security(("bearer" = [])), params(ListParams, InstrumentFilterParams),
    responses((status = 200, body = Page<InstrumentView>, description = "JSON page, or a CSV/XLSX file with `format`"), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn list(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<InstrumentsRead>,
    lang: Lang,
    ApiQuery(p): ApiQuery<ListParams>,
    ApiQuery(f): ApiQuery<InstrumentFilterParams>,
) -> ApiResult<Response> {
    let q = ListQuery::parse(&p, instruments::SORTABLE)?;
    let filter = InstrumentFilter {
        instrument_type: f.instrument_type,
        state: f.state,
        active: parse_bool("active", f.active.as_deref())?,
    };
    let page = instruments::list(&s.db, &ctx, paris_today(), &q, &filter).await?;
    let items = views(&s, &page.items, lang.english).await?;
    match q.format {
        Format::Json => Ok(Json(Page {
            items,
            total: page.total,
            page: page.page,
            per_page: page.per_page,
        })
        .into_response()),
        f => export(&table(&items, lang.english), f, "instruments"),
    }
}

#[utoipa::path(post, path = "/api/v1/instruments", tag = "instruments", security(("bearer" = [])), request_body = InstrumentFields,
    responses((status = 201, body = InstrumentView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<InstrumentsCreate>,
    lang: Lang,
    ApiJson(n): ApiJson<InstrumentFields>,
) -> ApiResult<(StatusCode, Json<InstrumentView>)> {
    let m = instruments::create(&s.db, &ctx, paris_today(), n).await?;
    let v = views(&s, &[m], lang.english).await?.remove(0);
    Ok((StatusCode::CREATED, Json(v)))
}

#[utoipa::path(get, path = "/api/v1/instruments/{id}", tag = "instruments", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = InstrumentView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<InstrumentsRead>,
    lang: Lang,
    Id(id): Id,
) -> ApiResult<Json<InstrumentView>> {
    let m = instruments::get(&s.db, &ctx, id).await?;
    Ok(Json(views(&s, &[m], lang.english).await?.remove(0)))
}

#[utoipa::path(patch, path = "/api/v1/instruments/{id}", tag = "instruments", security(("bearer" = [])), params(("id" = i64, Path)), request_body = InstrumentPatch,
    responses((status = 200, body = InstrumentView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn patch(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<InstrumentsUpdate>,
    lang: Lang,
    Id(id): Id,
    ApiJson(p): ApiJson<InstrumentPatch>,
) -> ApiResult<Json<InstrumentView>> {
    let m = instruments::update(&s.db, &ctx, paris_today(), id, p).await?;
    Ok(Json(views(&s, &[m], lang.english).await?.remove(0)))
}

#[utoipa::path(get, path = "/api/v1/instruments/{id}/calibrations", tag = "instruments", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Vec<CalibrationView>), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn calibrations(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<InstrumentsRead>,
    lang: Lang,
    Id(id): Id,
) -> ApiResult<Json<Vec<CalibrationView>>> {
    Ok(Json(
        instruments::calibrations(&s.db, &ctx, id)
            .await?
            .iter()
            .map(|c| instruments::calibration_view(c, lang.english))
            .collect(),
    ))
}

#[utoipa::path(post, path = "/api/v1/instruments/{id}/calibrations", tag = "instruments", security(("bearer" = [])), params(("id" = i64, Path)), request_body = NewCalibration,
    responses((status = 201, body = InstrumentView, description = "The instrument with its new last/next calibration"), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn record_calibration(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<InstrumentsUpdate>,
    lang: Lang,
    Id(id): Id,
    ApiJson(n): ApiJson<NewCalibration>,
) -> ApiResult<(StatusCode, Json<InstrumentView>)> {
    let (m, _) = instruments::record_calibration(&s.db, &ctx, paris_today(), id, n).await?;
    Ok((
        StatusCode::CREATED,
        Json(views(&s, &[m], lang.english).await?.remove(0)),
    ))
}

#[utoipa::path(get, path = "/api/v1/instruments/{id}/exceptions", tag = "instruments", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Vec<ExceptionView>), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn exceptions(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<InstrumentsRead>,
    Id(id): Id,
) -> ApiResult<Json<Vec<ExceptionView>>> {
    Ok(Json(
        instruments::exceptions(&s.db, &ctx, paris_today(), id).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/instruments/{id}/exceptions", tag = "instruments", security(("bearer" = [])), params(("id" = i64, Path)), request_body = NewException,
    responses((status = 201, body = ExceptionView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn grant_exception(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<InstrumentsValidate>,
    Id(id): Id,
    ApiJson(n): ApiJson<NewException>,
) -> ApiResult<(StatusCode, Json<ExceptionView>)> {
    let e = instruments::grant_exception(&s.db, &ctx, paris_today(), id, n).await?;
    Ok((StatusCode::CREATED, Json(e)))
}

#[utoipa::path(get, path = "/api/v1/instruments/{id}/uses", tag = "instruments", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Vec<UseView>), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn uses(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<InstrumentsRead>,
    Id(id): Id,
) -> ApiResult<Json<Vec<UseView>>> {
    Ok(Json(
        instruments::uses(&s.db, &ctx, id)
            .await?
            .iter()
            .map(instruments::use_view)
            .collect(),
    ))
}

#[utoipa::path(post, path = "/api/v1/instruments/{id}/use", tag = "instruments", security(("bearer" = [])), params(("id" = i64, Path)), request_body = NewUse,
    responses((status = 201, body = UseView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem, description = "`instrument_blocked`: expired or non-conforming without a current exception; `instrument_out_of_service`"), (status = 422, body = Problem)))]
pub async fn record_use(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<InstrumentsRead>,
    Id(id): Id,
    ApiJson(n): ApiJson<NewUse>,
) -> ApiResult<(StatusCode, Json<UseView>)> {
    let u = instruments::record_use(&s.db, &ctx, paris_today(), id, n).await?;
    Ok((StatusCode::CREATED, Json(instruments::use_view(&u))))
}

#[utoipa::path(get, path = "/api/v1/instruments/{id}/history", tag = "instruments", security(("bearer" = [])), params(("id" = i64, Path), ListParams),
    responses((status = 200, body = Page<AuditEntry>), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn history(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<InstrumentsRead>,
    Id(id): Id,
    ApiQuery(p): ApiQuery<ListParams>,
) -> ApiResult<Json<Page<AuditEntry>>> {
    let q = ListQuery::parse(&p, audit::SORTABLE)?;
    instruments::get(&s.db, &ctx, id).await?;
    Ok(Json(
        audit::history(
            &s.db,
            &ctx,
            Module::Instruments,
            "instrument",
            &id.to_string(),
            &q,
        )
        .await?,
    ))
}
