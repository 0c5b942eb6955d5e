use crate::AppState;
use crate::extract::{ApiJson, Authorized, Lang, SystemRead, SystemUpdate};
use crate::problem::{ApiResult, Problem};
use axum::Json;
use axum::extract::State;
use usinage_app::rights::{self, RightsMatrix, RightsUpdate};

#[utoipa::path(get, path = "/api/v1/rights", tag = "rights", security(("bearer" = [])),
    responses((status = 200, body = RightsMatrix), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn get(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<SystemRead>,
    lang: Lang,
) -> ApiResult<Json<RightsMatrix>> {
    Ok(Json(rights::get_matrix(&s.db, &ctx, lang.english).await?))
}

#[utoipa::path(put, path = "/api/v1/rights", tag = "rights", security(("bearer" = [])), request_body = RightsUpdate,
    responses((status = 200, body = RightsMatrix), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn put(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<SystemUpdate>,
    lang: Lang,
    ApiJson(u): ApiJson<RightsUpdate>,
) -> ApiResult<Json<RightsMatrix>> {
    Ok(Json(
        rights::put_matrix(&s.db, &ctx, u, lang.english).await?,
    ))
}
