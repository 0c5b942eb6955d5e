use crate::AppState;
use crate::extract::{
    ApiJson, ApiQuery, Authorized, Id, Lang, UsersCreate, UsersRead, UsersUpdate,
};
use crate::problem::{ApiError, ApiResult, Problem};
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use usinage_app::audit::{self, AuditEntry};
use usinage_app::error::AppError;
use usinage_app::listing::{Format, ListParams, ListQuery, Page, parse_bool};
use usinage_app::rights::Module;
use usinage_app::users::{
    self, NewUser, Transition, TransitionRequest, UserFilter, UserPatch, UserView,
};
use usinage_documents::table_export::{Cell, Table, to_csv, to_xlsx};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserFilterParams {
    /// `true` or `false`
    pub active: Option<String>,
    /// role code, e.g. `operateur`
    pub role: Option<String>,
}

/// Sends a table as a CSV or XLSX download.
pub fn export(table: &Table, format: Format, name: &str) -> Result<Response, ApiError> {
    let (bytes, mime, ext) = match format {
        Format::Csv => (
            to_csv(table).map_err(|_| AppError::internal("export"))?,
            "text/csv; charset=utf-8",
            "csv",
        ),
        _ => (
            to_xlsx(table, name).map_err(|_| AppError::internal("export"))?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
    };
    let disposition = format!(
        "attachment; filename=\"{name}-{}.{ext}\"",
        chrono::Utc::now().format("%Y%m%d")
    );
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
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
        d.with_timezone(&chrono_tz_paris())
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

/// Exports show local time; Europe/Paris is UTC+1 in winter and UTC+2 in summer (last Sunday
/// of March to last Sunday of October, EU rule), computed without a time-zone database.
fn chrono_tz_paris() -> ParisTz {
    ParisTz
}

#[derive(Clone, Copy)]
struct ParisTz;

impl ParisTz {
    fn offset_for_utc(utc: &chrono::NaiveDateTime) -> chrono::FixedOffset {
        use chrono::{Datelike, NaiveDate, Weekday};
        let y = utc.year();
        let last_sunday = |m: u32| {
            let mut d = NaiveDate::from_ymd_opt(y, m, 31).expect("valid");
            while d.weekday() != Weekday::Sun {
                d = d.pred_opt().expect("valid");
            }
            d.and_hms_opt(1, 0, 0).expect("valid")
        };
        let summer = *utc >= last_sunday(3) && *utc < last_sunday(10);
        chrono::FixedOffset::east_opt(if summer { 7200 } else { 3600 }).expect("valid")
    }
}

impl chrono::TimeZone for ParisTz {
    type Offset = chrono::FixedOffset;
    fn from_offset(_: &chrono::FixedOffset) -> Self {
        ParisTz
    }
    fn offset_from_local_date(
        &self,
        _: &chrono::NaiveDate,
    ) -> chrono::LocalResult<chrono::FixedOffset> {
        chrono::LocalResult::None
    }
    fn offset_from_local_datetime(
        &self,
        local: &chrono::NaiveDateTime,
    ) -> chrono::LocalResult<chrono::FixedOffset> {
        chrono::LocalResult::Single(Self::offset_for_utc(local))
    }
    fn offset_from_utc_date(&self, _: &chrono::NaiveDate) -> chrono::FixedOffset {
        chrono::FixedOffset::east_opt(3600).expect("valid")
    }
    fn offset_from_utc_datetime(&self, utc: &chrono::NaiveDateTime) -> chrono::FixedOffset {
        Self::offset_for_utc(utc)
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn paris_time_follows_the_eu_summer_rule() {
        let winter = chrono::Utc
            .with_ymd_and_hms(2026, 11, 27, 14, 5, 0)
            .unwrap();
        assert_eq!(
            winter
                .with_timezone(&ParisTz)
                .format("%d/%m/%Y %H:%M")
                .to_string(),
            "27/11/2026 15:05"
        );
        let summer = chrono::Utc.with_ymd_and_hms(2026, 7, 14, 10, 0, 0).unwrap();
        assert_eq!(
            summer.with_timezone(&ParisTz).format("%H:%M").to_string(),
            "12:00"
        );
        // 2026-03-29 is the last Sunday of March: 01:00 UTC switches to summer time.
        let before = chrono::Utc.with_ymd_and_hms(2026, 3, 29, 0, 59, 0).unwrap();
        let after = chrono::Utc.with_ymd_and_hms(2026, 3, 29, 1, 0, 0).unwrap();
        assert_eq!(
            before.with_timezone(&ParisTz).format("%H:%M").to_string(),
            "01:59"
        );
        assert_eq!(
            after.with_timezone(&ParisTz).format("%H:%M").to_string(),
            "03:00"
        );
    }
}
