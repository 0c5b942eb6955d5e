//! Time tracking (pointage, `/api/v1/time/…`): clock in/out, manual entries, requests the chef
//! d'atelier decides, weekly timesheet. See `docs/time-tracking.md`; rules in
//! `usinage_app::timeclock`.

use super::shopfloor::{idempotency_key, mark_replayed};
use crate::AppState;
use crate::extract::{ApiJson, ApiQuery, Auth, Id, Lang};
use crate::problem::{ApiResult, Problem};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use usinage_app::shopfloor::events::FloorEvent;
use usinage_app::timeclock::{
    self, ClockInput, ClockView, Decision, EntryFilter, EntryInput, RequestFilter, TimeEntryView,
    TimesheetQuery, TimesheetView,
};

#[utoipa::path(get, path = "/api/v1/time/clock", tag = "time", security(("bearer" = [])),
    responses((status = 200, body = ClockView, description = "Am I clocked in, since when, today's and this week's minutes"), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn clock_get(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
) -> ApiResult<Json<ClockView>> {
    Ok(Json(
        timeclock::clock_status(&s.db, &ctx, lang.english).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/time/clock", tag = "time", security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays with the same key change nothing (≤ 100 chars)")),
    request_body = ClockInput,
    responses((status = 200, body = ClockView, headers(("Idempotency-Replayed" = String, description = "`true` on a replay"))), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn clock_post(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    headers: HeaderMap,
    ApiJson(i): ApiJson<ClockInput>,
) -> ApiResult<Response> {
    let key = idempotency_key(&headers);
    let v = timeclock::clock(&s.db, &ctx, i, key.as_deref(), lang.english).await?;
    let replayed = v.replayed;
    if !replayed {
        // The office board shows who is clocked in (and clocking out pauses his operations).
        s.bus.publish(FloorEvent {
            kind: "clock".into(),
            operation_id: None,
            job_id: None,
            machine_id: None,
            user_id: ctx.actor_id(),
            status: Some(if v.clocked_in { "in" } else { "out" }.into()),
            at: chrono::Utc::now(),
        });
    }
    Ok(mark_replayed(Json(v).into_response(), replayed))
}

#[utoipa::path(get, path = "/api/v1/time/entries", tag = "time", security(("bearer" = [])), params(EntryFilter),
    responses((status = 200, body = Vec<TimeEntryView>), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn entries_list(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    ApiQuery(f): ApiQuery<EntryFilter>,
) -> ApiResult<Json<Vec<TimeEntryView>>> {
    Ok(Json(
        timeclock::list_entries(&s.db, &ctx, &f, lang.english).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/time/entries", tag = "time", security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays with the same key change nothing (≤ 100 chars)")),
    request_body = EntryInput,
    responses((status = 201, body = TimeEntryView, description = "The request (en_attente) with the limits it would pass once approved", headers(("Idempotency-Replayed" = String, description = "`true` on a replay"))), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn entries_create(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    headers: HeaderMap,
    ApiJson(i): ApiJson<EntryInput>,
) -> ApiResult<Response> {
    let key = idempotency_key(&headers);
    let (v, replayed) =
        timeclock::create_entry(&s.db, &ctx, i, key.as_deref(), lang.english).await?;
    Ok(mark_replayed(
        (StatusCode::CREATED, Json(v)).into_response(),
        replayed,
    ))
}

#[utoipa::path(get, path = "/api/v1/time/requests", tag = "time", security(("bearer" = [])), params(RequestFilter),
    responses((status = 200, body = Vec<TimeEntryView>, description = "Requests waiting for a decision, oldest first (chef d'atelier, direction, admin)"), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn requests_list(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    ApiQuery(f): ApiQuery<RequestFilter>,
) -> ApiResult<Json<Vec<TimeEntryView>>> {
    Ok(Json(
        timeclock::requests(&s.db, &ctx, &f, lang.english).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/time/requests/{id}/decision", tag = "time", security(("bearer" = [])), params(("id" = i64, Path)), request_body = Decision,
    responses((status = 200, body = TimeEntryView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn decide(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    Id(id): Id,
    ApiJson(d): ApiJson<Decision>,
) -> ApiResult<Json<TimeEntryView>> {
    Ok(Json(
        timeclock::decide(&s.db, &ctx, id, d, lang.english).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/time/timesheet", tag = "time", security(("bearer" = [])), params(TimesheetQuery),
    responses((status = 200, body = TimesheetView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn timesheet(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    ApiQuery(q): ApiQuery<TimesheetQuery>,
) -> ApiResult<Json<TimesheetView>> {
    Ok(Json(
        timeclock::timesheet(&s.db, &ctx, &q, lang.english).await?,
    ))
}
