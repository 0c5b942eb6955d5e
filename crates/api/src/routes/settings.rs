//! Setup wizard and shop-wide parameters: company identity, activities, rate grid, setup state.

use super::export;
use crate::AppState;
use crate::extract::{ApiJson, ApiQuery, Auth, Authorized, Lang, SystemValidate};
use crate::problem::{ApiResult, Problem};
use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use usinage_app::audit::{self, AuditEntry};
use usinage_app::listing::{Format, ListParams, ListQuery, Page};
use usinage_app::rates::{self, RateGrid, RateGridUpdate};
use usinage_app::rights::{Action, Module};
use usinage_app::setup::{
    self, ActivitiesUpdate, ActivitiesView, CompanyIdentity, CompanyUpdate, SetupStatus,
};
use usinage_documents::table_export::{Cell, Table};

#[utoipa::path(get, path = "/api/v1/settings/company", tag = "settings", security(("bearer" = [])),
    responses((status = 200, body = CompanyIdentity), (status = 401, body = Problem)))]
pub async fn get_company(
    State(s): State<AppState>,
    Auth(ctx): Auth,
) -> ApiResult<Json<CompanyIdentity>> {
    Ok(Json(setup::company(&s.db, &ctx).await?))
}

#[utoipa::path(put, path = "/api/v1/settings/company", tag = "settings", security(("bearer" = [])), request_body = CompanyUpdate,
    responses((status = 200, body = CompanyIdentity), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn put_company(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<SystemValidate>,
    ApiJson(u): ApiJson<CompanyUpdate>,
) -> ApiResult<Json<CompanyIdentity>> {
    Ok(Json(setup::put_company(&s.db, &ctx, u).await?))
}

#[utoipa::path(get, path = "/api/v1/settings/activities", tag = "settings", security(("bearer" = [])),
    responses((status = 200, body = ActivitiesView), (status = 401, body = Problem)))]
pub async fn get_activities(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
) -> ApiResult<Json<ActivitiesView>> {
    Ok(Json(setup::activities(&s.db, &ctx, lang.english).await?))
}

#[utoipa::path(put, path = "/api/v1/settings/activities", tag = "settings", security(("bearer" = [])), request_body = ActivitiesUpdate,
    responses((status = 200, body = ActivitiesView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn put_activities(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<SystemValidate>,
    lang: Lang,
    ApiJson(u): ApiJson<ActivitiesUpdate>,
) -> ApiResult<Json<ActivitiesView>> {
    Ok(Json(
        setup::put_activities(&s.db, &ctx, u, lang.english).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/setup", tag = "settings", security(("bearer" = [])),
    responses((status = 200, body = SetupStatus), (status = 401, body = Problem)))]
pub async fn get_setup(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
) -> ApiResult<Json<SetupStatus>> {
    Ok(Json(setup::status(&s.db, &ctx, lang.english).await?))
}

#[utoipa::path(post, path = "/api/v1/setup/complete", tag = "settings", security(("bearer" = [])),
    responses((status = 200, body = SetupStatus), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn complete_setup(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<SystemValidate>,
    lang: Lang,
) -> ApiResult<Json<SetupStatus>> {
    Ok(Json(setup::complete(&s.db, &ctx, lang.english).await?))
}

fn grid_table(g: &RateGrid, english: bool) -> Table {
    let h: &[&str] = if english {
        &["Kind", "Code", "Label", "Rate € HT/h"]
    } else {
        &["Type", "Code", "Libellé", "Taux € HT/h"]
    };
    let mut rows = Vec::new();
    for (kind, lines) in [
        (if english { "Activity" } else { "Activité" }, &g.activities),
        (
            if english {
                "Machine kind"
            } else {
                "Type de machine"
            },
            &g.machine_kinds,
        ),
    ] {
        for l in lines {
            rows.push(vec![
                Cell::from(kind.to_string()),
                l.code.clone().into(),
                l.label.clone().into(),
                l.rate.clone().into(),
            ]);
        }
    }
    Table {
        headers: h.iter().map(|s| s.to_string()).collect(),
        rows,
    }
}

/// The rate grid: every activity and machine kind with its rate (or `null`), and the pricing
/// parameters. Readable with `system`, `quotes` or `finance` read; `format=csv|xlsx` exports it.
#[utoipa::path(get, path = "/api/v1/rates", tag = "settings", security(("bearer" = [])), params(ListParams),
    responses((status = 200, body = RateGrid, description = "JSON, or a CSV/XLSX file with `format`"), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn get_rates(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    ApiQuery(p): ApiQuery<ListParams>,
) -> ApiResult<Response> {
    let q = ListQuery::parse(&p, &[])?;
    let g = rates::get(&s.db, &ctx, lang.english).await?;
    match q.format {
        Format::Json => Ok(Json(g).into_response()),
        f => export(
            &grid_table(&g, lang.english),
            f,
            if lang.english {
                "rates"
            } else {
                "grille-tarifaire"
            },
        ),
    }
}

/// Saves the grid (lines sent; `null` clears one) and the pricing parameters. Right:
/// `system` × `validate` (administrator and direction).
#[utoipa::path(put, path = "/api/v1/rates", tag = "settings", security(("bearer" = [])), request_body = RateGridUpdate,
    responses((status = 200, body = RateGrid), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn put_rates(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<SystemValidate>,
    lang: Lang,
    ApiJson(u): ApiJson<RateGridUpdate>,
) -> ApiResult<Json<RateGrid>> {
    Ok(Json(rates::put(&s.db, &ctx, u, lang.english).await?))
}

#[utoipa::path(get, path = "/api/v1/rates/grid/history", tag = "settings", security(("bearer" = [])), params(ListParams),
    responses((status = 200, body = Page<AuditEntry>), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn rates_history(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    ApiQuery(p): ApiQuery<ListParams>,
) -> ApiResult<Json<Page<AuditEntry>>> {
    let q = ListQuery::parse(&p, audit::SORTABLE)?;
    rates::get(&s.db, &ctx, false).await?;
    // Whoever may read the grid reads its history, through the module that grants it.
    let module = [Module::System, Module::Quotes, Module::Finance]
        .into_iter()
        .find(|m| {
            ctx.principal
                .as_ref()
                .is_none_or(|p| p.can(*m, Action::Read))
        })
        .unwrap_or(Module::System);
    Ok(Json(
        audit::history(&s.db, &ctx, module, "rate_grid", "1", &q).await?,
    ))
}
