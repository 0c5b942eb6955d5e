use super::export;
use crate::AppState;
use crate::extract::{
    ApiJson, ApiQuery, Authorized, Id, Lang, UsersCreate, UsersRead, UsersUpdate,
};
use crate::problem::{ApiResult, Problem};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use usinage_app::audit::{self, AuditEntry};
use usinage_app::listing::{Format, ListParams, ListQuery, Page, parse_bool};
use usinage_app::rights::Module;
use usinage_app::users::{
    self, NewUser, Transition, TransitionRequest, UserFilter, UserPatch, UserView,
};
use usinage_documents::table_export::{Cell, Table};
use usinage_documents::time::ParisTz;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserFilterParams {
    /// `true` or `false`
    pub active: Option<String>,
    /// role code, e.g. `operateur`
    pub role: Option<String>,
}

fn user_table(items: &[UserView], english: bool) -> Table {
    let h: &[&str] = if english {
        &[
            "Id",
            "Login",
            "Full name",
            "E-mail",
            "Roles",
            "Status",
            "Created",
            "Updated",
        ]
    } else {
        &[
            "Id",
            "Identifiant",
            "Nom complet",
            "E-mail",
            "Rôles",
            "Statut",
            "Créé le",
            "Modifié le",
        ]
    };
    let fmt = |d: chrono::DateTime<chrono::Utc>| {
        d.with_timezone(&ParisTz)
            .format("%d/%m/%Y %H:%M")
            .to_string()
    };
    Table {
        headers: h.iter().map(|s| s.to_string()).collect(),
        rows: items
            .iter()
            .map(|u| {
                vec![
                    Cell::Int(u.id),
                    u.login.clone().into(),
                    u.full_name.clone().into(),
                    u.email.clone().into(),
                    u.role_labels.join(", ").into(),
                    u.status_label.clone().into(),
                    fmt(u.created_at).into(),
                    fmt(u.updated_at).into(),
                ]
            })
            .collect(),
    }
}

#[utoipa::path(get, path = "/api/v1/users", tag = "users", security(("bearer" = [])), params(ListParams, UserFilterParams),
    responses((status = 200, body = Page<UserView>, description = "JSON page, or a CSV/XLSX file with `format`"), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn list(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<UsersRead>,
    lang: Lang,
    ApiQuery(p): ApiQuery<ListParams>,
    ApiQuery(f): ApiQuery<UserFilterParams>,
) -> ApiResult<Response> {
    let q = ListQuery::parse(&p, users::SORTABLE)?;
    let filter = UserFilter {
        active: parse_bool("active", f.active.as_deref())?,
        role: f.role.filter(|r| !r.trim().is_empty()),
    };
    let page = users::list(&s.db, &ctx, &q, &filter).await?;
    let items: Vec<UserView> = page
        .items
        .iter()
        .map(|u| users::view(u, &s.cfg.public_base_url, lang.english))
        .collect();
    match q.format {
        Format::Json => Ok(Json(Page {
            items,
            total: page.total,
            page: page.page,
            per_page: page.per_page,
        })
        .into_response()),
        f => export(
            &user_table(&items, lang.english),
            f,
            if lang.english {
                "users"
            } else {
                "utilisateurs"
            },
        ),
    }
}

#[utoipa::path(post, path = "/api/v1/users", tag = "users", security(("bearer" = [])), request_body = NewUser,
    responses((status = 201, body = UserView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<UsersCreate>,
    lang: Lang,
    ApiJson(n): ApiJson<NewUser>,
) -> ApiResult<(StatusCode, Json<UserView>)> {
    let u = users::create(&s.db, &ctx, n).await?;
    Ok((
        StatusCode::CREATED,
        Json(users::view(&u, &s.cfg.public_base_url, lang.english)),
    ))
}

#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "users", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = UserView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<UsersRead>,
    lang: Lang,
    Id(id): Id,
) -> ApiResult<Json<UserView>> {
    let u = users::get(&s.db, &ctx, id).await?;
    Ok(Json(users::view(&u, &s.cfg.public_base_url, lang.english)))
}

#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "users", security(("bearer" = [])), params(("id" = i64, Path)), request_body = UserPatch,
    responses((status = 200, body = UserView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn patch(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<UsersUpdate>,
    lang: Lang,
    Id(id): Id,
    ApiJson(p): ApiJson<UserPatch>,
) -> ApiResult<Json<UserView>> {
    let u = users::update(&s.db, &ctx, id, p).await?;
    Ok(Json(users::view(&u, &s.cfg.public_base_url, lang.english)))
}

#[utoipa::path(get, path = "/api/v1/users/{id}/transitions", tag = "users", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Transition>), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn transitions(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<UsersRead>,
    lang: Lang,
    Id(id): Id,
) -> ApiResult<Json<Vec<Transition>>> {
    Ok(Json(
        users::transitions(&s.db, &ctx, id, lang.english).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/users/{id}/transitions", tag = "users", security(("bearer" = [])), params(("id" = i64, Path)), request_body = TransitionRequest,
    responses((status = 200, body = UserView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn transition(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<UsersUpdate>,
    lang: Lang,
    Id(id): Id,
    ApiJson(t): ApiJson<TransitionRequest>,
) -> ApiResult<Json<UserView>> {
    let u = users::transition(&s.db, &ctx, id, t).await?;
    Ok(Json(users::view(&u, &s.cfg.public_base_url, lang.english)))
}

#[utoipa::path(get, path = "/api/v1/users/{id}/history", tag = "users", security(("bearer" = [])), params(("id" = i64, Path), ListParams),
    responses((status = 200, body = Page<AuditEntry>), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn history(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<UsersRead>,
    Id(id): Id,
    ApiQuery(p): ApiQuery<ListParams>,
) -> ApiResult<Json<Page<AuditEntry>>> {
    let q = ListQuery::parse(&p, audit::SORTABLE)?;
    users::get(&s.db, &ctx, id).await?;
    Ok(Json(
        audit::history(&s.db, &ctx, Module::Users, "user", &id.to_string(), &q).await?,
    ))
}
