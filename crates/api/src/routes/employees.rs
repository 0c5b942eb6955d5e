use super::export;
use super::instruments::paris_today;
use crate::AppState;
use crate::extract::{ApiJson, ApiQuery, Authorized, HrCreate, HrRead, HrUpdate, Id, Lang};
use crate::problem::{ApiError, ApiResult, Problem};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use usinage_app::audit::{self, AuditEntry};
use usinage_app::error::AppError;
use usinage_app::listing::{Format, ListParams, ListQuery, Page, parse_bool, parse_date};
use usinage_app::resources::employees::{
    self, CertificationFields, CertificationPatch, CertificationReminder, CertificationView,
    EmployeeFields, EmployeeFilter, EmployeePatch, EmployeeView,
};
use usinage_app::rights::Module;
use usinage_documents::table_export::Table;
use usinage_store::entities::employee;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EmployeeFilterParams {
    /// `tns`, `cadre`, `etam`, `employe`, `ouvrier`, `apprenti`, `interimaire`
    pub category: Option<String>,
    /// `true` or `false`
    pub active: Option<String>,
    /// skill code, e.g. `MILL5`: only people with at least `min_level` on it
    pub skill: Option<String>,
    /// 1–3, default 2 (autonomous)
    pub min_level: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReminderParams {
    /// `YYYY-MM-DD`, default today (Europe/Paris)
    pub date: Option<String>,
}

async fn views(
    s: &AppState,
    items: &[employee::Model],
    english: bool,
) -> ApiResult<Vec<EmployeeView>> {
    let ids: Vec<i64> = items.iter().map(|e| e.id).collect();
    let (skills, certs) = employees::details_of(&s.db, &ids).await?;
    let today = paris_today();
    Ok(items
        .iter()
        .map(|e| employees::view(e, &skills, &certs, today, &s.cfg.public_base_url, english))
        .collect())
}

fn table(items: &[EmployeeView], english: bool) -> Table {
    let mut h: Vec<String> = if english {
        [
            "Matricule",
            "Last name",
            "First name",
            "Job",
            "Category",
            "Hire date",
            "Hours/week",
            "Hourly cost €",
            "Status",
            "Certifications",
        ]
        .map(String::from)
        .to_vec()
    } else {
        [
            "Matricule",
            "Nom",
            "Prénom",
            "Poste",
            "Catégorie",
            "Embauche",
            "Heures/semaine",
            "Coût horaire €",
            "Statut",
            "Habilitations",
        ]
        .map(String::from)
        .to_vec()
    };
    let skills: Vec<&str> = employees::SKILLS.iter().map(|(c, _, _)| *c).collect();
    h.extend(skills.iter().map(|s| s.to_string()));
    Table {
        headers: h,
        rows: items
            .iter()
            .map(|e| {
                let mut row = vec![
                    e.matricule.clone().into(),
                    e.last_name.clone().into(),
                    e.first_name.clone().into(),
                    e.job_title.clone().into(),
                    e.category_label.clone().into(),
                    e.hire_date.map(|d| d.format("%d/%m/%Y").to_string()).into(),
                    e.weekly_total.clone().into(),
                    e.hourly_cost.clone().into(),
                    e.status_label.clone().into(),
                    e.certifications_state.clone().into(),
                ];
                row.extend(
                    skills
                        .iter()
                        .map(|s| i64::from(e.skills.get(*s).copied().unwrap_or(0)).into()),
                );
                row
            })
            .collect(),
    }
}

#[utoipa::path(get, path = "/api/v1/employees", tag = "hr", security(("bearer" = [])), params(ListParams, EmployeeFilterParams),
    responses((status = 200, body = Page<EmployeeView>, description = "JSON page, or a CSV/XLSX file with `format` (with the skills matrix)"), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn list(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<HrRead>,
    lang: Lang,
    ApiQuery(p): ApiQuery<ListParams>,
    ApiQuery(f): ApiQuery<EmployeeFilterParams>,
) -> ApiResult<Response> {
    let q = ListQuery::parse(&p, employees::SORTABLE)?;
    let min_level = match f
        .min_level
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(v) => Some(v.parse::<i32>().map_err(|_| {
            ApiError(AppError::field(
                "min_level",
                "invalid_level",
                "Le niveau minimal va de 1 à 3.",
                "The minimum level is 1 to 3.",
            ))
        })?),
    };
    let filter = EmployeeFilter {
        category: f.category,
        active: parse_bool("active", f.active.as_deref())?,
        skill: f.skill.filter(|s| !s.trim().is_empty()),
        min_level,
    };
    let page = employees::list(&s.db, &ctx, &q, &filter).await?;
    let items = views(&s, &page.items, lang.english).await?;
    match q.format {
        Format::Json => Ok(Json(Page {
            items,
            total: page.total,
            page: page.page,
            per_page: page.per_page,
        })
        .into_response()),
        f => export(
            &table(&items, lang.english),
            f,
            if lang.english {
                "employees"
            } else {
                "personnel"
            },
        ),
    }
}

#[utoipa::path(post, path = "/api/v1/employees", tag = "hr", security(("bearer" = [])), request_body = EmployeeFields,
    responses((status = 201, body = EmployeeView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<HrCreate>,
    lang: Lang,
    ApiJson(n): ApiJson<EmployeeFields>,
) -> ApiResult<(StatusCode, Json<EmployeeView>)> {
    let e = employees::create(&s.db, &ctx, paris_today(), n).await?;
    Ok((
        StatusCode::CREATED,
        Json(views(&s, &[e], lang.english).await?.remove(0)),
    ))
}

#[utoipa::path(get, path = "/api/v1/employees/{id}", tag = "hr", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = EmployeeView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<HrRead>,
    lang: Lang,
    Id(id): Id,
) -> ApiResult<Json<EmployeeView>> {
    let e = employees::get(&s.db, &ctx, id).await?;
    Ok(Json(views(&s, &[e], lang.english).await?.remove(0)))
}

#[utoipa::path(patch, path = "/api/v1/employees/{id}", tag = "hr", security(("bearer" = [])), params(("id" = i64, Path)), request_body = EmployeePatch,
    responses((status = 200, body = EmployeeView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn patch(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<HrUpdate>,
    lang: Lang,
    Id(id): Id,
    ApiJson(p): ApiJson<EmployeePatch>,
) -> ApiResult<Json<EmployeeView>> {
    let e = employees::update(&s.db, &ctx, paris_today(), id, p).await?;
    Ok(Json(views(&s, &[e], lang.english).await?.remove(0)))
}

#[utoipa::path(post, path = "/api/v1/employees/{id}/certifications", tag = "hr", security(("bearer" = [])), params(("id" = i64, Path)), request_body = CertificationFields,
    responses((status = 201, body = CertificationView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_certification(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<HrUpdate>,
    lang: Lang,
    Id(id): Id,
    ApiJson(f): ApiJson<CertificationFields>,
) -> ApiResult<(StatusCode, Json<CertificationView>)> {
    let today = paris_today();
    let c = employees::add_certification(&s.db, &ctx, today, id, f).await?;
    Ok((
        StatusCode::CREATED,
        Json(employees::certification_view(&c, today, lang.english)),
    ))
}

#[utoipa::path(patch, path = "/api/v1/employees/{id}/certifications/{cert_id}", tag = "hr", security(("bearer" = [])), params(("id" = i64, Path), ("cert_id" = i64, Path)), request_body = CertificationPatch,
    responses((status = 200, body = CertificationView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn patch_certification(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<HrUpdate>,
    lang: Lang,
    Path((id, cert_id)): Path<(String, String)>,
    ApiJson(p): ApiJson<CertificationPatch>,
) -> ApiResult<Json<CertificationView>> {
    let not_found = || ApiError(AppError::not_found("Habilitation", "Certification"));
    let id: i64 = id.parse().ok().filter(|v| *v > 0).ok_or_else(not_found)?;
    let cert_id: i64 = cert_id
        .parse()
        .ok()
        .filter(|v| *v > 0)
        .ok_or_else(not_found)?;
    let today = paris_today();
    let c = employees::update_certification(&s.db, &ctx, today, id, cert_id, p).await?;
    Ok(Json(employees::certification_view(&c, today, lang.english)))
}

#[utoipa::path(get, path = "/api/v1/employees/reminders", tag = "hr", security(("bearer" = [])), params(ReminderParams),
    responses((status = 200, body = Vec<CertificationReminder>, description = "Certification reminders due on the date (J-30, J-10, expired)"), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn reminders(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<HrRead>,
    lang: Lang,
    ApiQuery(p): ApiQuery<ReminderParams>,
) -> ApiResult<Json<Vec<CertificationReminder>>> {
    let date = parse_date("date", p.date.as_deref())?.unwrap_or_else(paris_today);
    Ok(Json(
        employees::reminders(&s.db, &ctx, date, &s.cfg.public_base_url, lang.english).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/employees/{id}/history", tag = "hr", security(("bearer" = [])), params(("id" = i64, Path), ListParams),
    responses((status = 200, body = Page<AuditEntry>), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn history(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<HrRead>,
    Id(id): Id,
    ApiQuery(p): ApiQuery<ListParams>,
) -> ApiResult<Json<Page<AuditEntry>>> {
    let q = ListQuery::parse(&p, audit::SORTABLE)?;
    employees::get(&s.db, &ctx, id).await?;
    Ok(Json(
        audit::history(&s.db, &ctx, Module::Hr, "employee", &id.to_string(), &q).await?,
    ))
}
