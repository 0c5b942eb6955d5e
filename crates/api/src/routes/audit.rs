use crate::AppState;
use crate::extract::{ApiQuery, Authorized, SystemRead};
use crate::problem::{ApiResult, Problem};
use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use usinage_app::audit::{self, AuditEntry, AuditFilter, VerifyReport};
use usinage_app::error::AppError;
use usinage_app::listing::{ListParams, ListQuery, Page, parse_date};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditFilterParams {
    /// e.g. `user`, `rights`, `session`
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    /// id of the acting user
    pub user_id: Option<String>,
    /// first day, `YYYY-MM-DD`
    pub from: Option<String>,
    /// last day included, `YYYY-MM-DD`
    pub to: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", security(("bearer" = [])), params(ListParams, AuditFilterParams),
    responses((status = 200, body = Page<AuditEntry>), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn list(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<SystemRead>,
    ApiQuery(p): ApiQuery<ListParams>,
    ApiQuery(f): ApiQuery<AuditFilterParams>,
) -> ApiResult<Json<Page<AuditEntry>>> {
    let q = ListQuery::parse(&p, audit::SORTABLE)?;
    let user_id = match f
        .user_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(v) => Some(v.parse::<i64>().map_err(|_| {
            AppError::field(
                "user_id",
                "invalid_id",
                "L'identifiant d'utilisateur doit être un entier.",
                "user_id must be an integer.",
            )
        })?),
    };
    let nonempty = |o: Option<String>| o.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let filter = AuditFilter {
        entity_type: nonempty(f.entity_type),
        entity_id: nonempty(f.entity_id),
        user_id,
        from: parse_date("from", f.from.as_deref())?,
        to: parse_date("to", f.to.as_deref())?,
    };
    Ok(Json(audit::list(&s.db, &ctx, &q, &filter).await?))
}

#[utoipa::path(get, path = "/api/v1/audit/verify", tag = "audit", security(("bearer" = [])),
    responses((status = 200, body = VerifyReport), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn verify(
    State(s): State<AppState>,
    _auth: Authorized<SystemRead>,
) -> ApiResult<Json<VerifyReport>> {
    Ok(Json(audit::verify(&s.db).await?))
}
