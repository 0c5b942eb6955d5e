//! Planning (`/api/v1/planning/…`): the current plan for the Gantt, manual moves, the planner's
//! proposals and their validation, absences and downtime with their repair, load per machine
//! and week, planned working time, settings and calendars. See `docs/planning.md`.

use crate::AppState;
use crate::extract::{ApiJson, ApiQuery, Auth, Id, Lang};
use crate::problem::{ApiResult, Problem};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use usinage_app::planning::moves::{self, CheckResult, MoveInput, MoveResult, RevisionView};
use usinage_app::planning::proposals::{
    self, ComputeInput, DecisionInput, ProposalFilter, ProposalSummary, ProposalView,
};
use usinage_app::planning::unavailability::{
    self, CalendarInput, CalendarView, SettingsInput, SettingsView, UnavailabilityCreated,
    UnavailabilityFilter, UnavailabilityInput, UnavailabilityView,
};
use usinage_app::planning::views::{
    self, Board, BoardQuery, LoadQuery, LoadView, WeekQuery, WorkingTimeView,
};

#[utoipa::path(get, path = "/api/v1/planning/board", tag = "planning", security(("bearer" = [])), params(BoardQuery),
    responses((status = 200, body = Board), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn board(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    ApiQuery(q): ApiQuery<BoardQuery>,
) -> ApiResult<Json<Board>> {
    Ok(Json(views::board(&s.db, &ctx, &q).await?))
}

/// Dry run of a move from the Gantt: the reasons it would be refused, or where it would end.
#[utoipa::path(post, path = "/api/v1/planning/check-move", tag = "planning", security(("bearer" = [])), request_body = MoveInput,
    responses((status = 200, body = CheckResult), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn check_move(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    ApiJson(i): ApiJson<MoveInput>,
) -> ApiResult<Json<CheckResult>> {
    Ok(Json(moves::check(&s.db, &ctx, i).await?))
}

/// Moves an operation by hand (it stays where it is put); 422 with the reasons if refused.
#[utoipa::path(post, path = "/api/v1/planning/moves", tag = "planning", security(("bearer" = [])), request_body = MoveInput,
    responses((status = 200, body = MoveResult), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn move_op(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    ApiJson(i): ApiJson<MoveInput>,
) -> ApiResult<Json<MoveResult>> {
    Ok(Json(moves::apply(&s.db, &ctx, i).await?))
}

#[utoipa::path(post, path = "/api/v1/planning/moves/{id}/unpin", tag = "planning", security(("bearer" = [])), params(("id" = i64, Path, description = "Job operation id")),
    responses((status = 200, body = RevisionView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn unpin(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    Id(id): Id,
) -> ApiResult<Json<RevisionView>> {
    Ok(Json(moves::unpin(&s.db, &ctx, id).await?))
}

#[utoipa::path(get, path = "/api/v1/planning/proposals", tag = "planning", security(("bearer" = [])), params(ProposalFilter),
    responses((status = 200, body = Vec<ProposalSummary>), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn proposals_list(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    ApiQuery(f): ApiQuery<ProposalFilter>,
) -> ApiResult<Json<Vec<ProposalSummary>>> {
    Ok(Json(proposals::list(&s.db, &ctx, &f, lang.english).await?))
}

/// Runs the planner now (`manuel`, or `urgence` for one job): the result waits for a manager.
#[utoipa::path(post, path = "/api/v1/planning/proposals", tag = "planning", security(("bearer" = [])), request_body = ComputeInput,
    responses((status = 201, body = ProposalView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn proposals_create(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    ApiJson(i): ApiJson<ComputeInput>,
) -> ApiResult<(StatusCode, Json<ProposalView>)> {
    let p = proposals::compute(&s.db, &ctx, &s.bus, i, lang.english).await?;
    Ok((StatusCode::CREATED, Json(p)))
}

#[utoipa::path(get, path = "/api/v1/planning/proposals/{id}", tag = "planning", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = ProposalView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn proposal_get(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    Id(id): Id,
) -> ApiResult<Json<ProposalView>> {
    Ok(Json(proposals::get(&s.db, &ctx, id, lang.english).await?))
}

/// A manager accepts: the proposal becomes the plan (409 if the plan changed since).
#[utoipa::path(post, path = "/api/v1/planning/proposals/{id}/accept", tag = "planning", security(("bearer" = [])), params(("id" = i64, Path)), request_body = DecisionInput,
    responses((status = 200, body = ProposalView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn proposal_accept(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    Id(id): Id,
    ApiJson(i): ApiJson<DecisionInput>,
) -> ApiResult<Json<ProposalView>> {
    Ok(Json(
        proposals::accept(&s.db, &ctx, &s.bus, id, i, lang.english).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/planning/proposals/{id}/reject", tag = "planning", security(("bearer" = [])), params(("id" = i64, Path)), request_body = DecisionInput,
    responses((status = 200, body = ProposalView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn proposal_reject(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    Id(id): Id,
    ApiJson(i): ApiJson<DecisionInput>,
) -> ApiResult<Json<ProposalView>> {
    Ok(Json(
        proposals::reject(&s.db, &ctx, id, i, lang.english).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/planning/unavailability", tag = "planning", security(("bearer" = [])), params(UnavailabilityFilter),
    responses((status = 200, body = Vec<UnavailabilityView>), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn unavailability_list(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    ApiQuery(f): ApiQuery<UnavailabilityFilter>,
) -> ApiResult<Json<Vec<UnavailabilityView>>> {
    Ok(Json(unavailability::list(&s.db, &ctx, &f).await?))
}

/// Declares an absence or a downtime; answers with the repair proposal (or the applied repair).
#[utoipa::path(post, path = "/api/v1/planning/unavailability", tag = "planning", security(("bearer" = [])), request_body = UnavailabilityInput,
    responses((status = 201, body = UnavailabilityCreated), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn unavailability_create(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    ApiJson(i): ApiJson<UnavailabilityInput>,
) -> ApiResult<(StatusCode, Json<UnavailabilityCreated>)> {
    let r = unavailability::create(&s.db, &ctx, &s.bus, i, lang.english).await?;
    Ok((StatusCode::CREATED, Json(r)))
}

#[utoipa::path(delete, path = "/api/v1/planning/unavailability/{id}", tag = "planning", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 204, description = "Deleted"), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn unavailability_delete(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    Id(id): Id,
) -> ApiResult<StatusCode> {
    unavailability::delete(&s.db, &ctx, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/planning/load", tag = "planning", security(("bearer" = [])), params(LoadQuery),
    responses((status = 200, body = LoadView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn load(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    ApiQuery(q): ApiQuery<LoadQuery>,
) -> ApiResult<Json<LoadView>> {
    Ok(Json(views::load_view(&s.db, &ctx, &q).await?))
}

#[utoipa::path(get, path = "/api/v1/planning/working-time", tag = "planning", security(("bearer" = [])), params(WeekQuery),
    responses((status = 200, body = WorkingTimeView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn working_time(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    ApiQuery(q): ApiQuery<WeekQuery>,
) -> ApiResult<Json<WorkingTimeView>> {
    Ok(Json(views::working_time_view(&s.db, &ctx, &q).await?))
}

#[utoipa::path(get, path = "/api/v1/planning/settings", tag = "planning", security(("bearer" = [])),
    responses((status = 200, body = SettingsView), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn settings_get(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
) -> ApiResult<Json<SettingsView>> {
    Ok(Json(
        unavailability::get_settings(&s.db, &ctx, lang.english).await?,
    ))
}

#[utoipa::path(put, path = "/api/v1/planning/settings", tag = "planning", security(("bearer" = [])), request_body = SettingsInput,
    responses((status = 200, body = SettingsView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn settings_put(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    ApiJson(i): ApiJson<SettingsInput>,
) -> ApiResult<Json<SettingsView>> {
    Ok(Json(
        unavailability::put_settings(&s.db, &ctx, i, lang.english).await?,
    ))
}

macro_rules! calendar_routes {
    ($get:ident, $put:ident, $path:literal, $resource:literal) => {
        #[utoipa::path(get, path = $path, tag = "planning", security(("bearer" = [])), params(("id" = i64, Path)),
            responses((status = 200, body = CalendarView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
        pub async fn $get(
            State(s): State<AppState>,
            Auth(ctx): Auth,
            Id(id): Id,
        ) -> ApiResult<Json<CalendarView>> {
            Ok(Json(
                unavailability::get_calendar(&s.db, &ctx, $resource, id).await?,
            ))
        }

        #[utoipa::path(put, path = $path, tag = "planning", security(("bearer" = [])), params(("id" = i64, Path)), request_body = CalendarInput,
            responses((status = 200, body = CalendarView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
        pub async fn $put(
            State(s): State<AppState>,
            Auth(ctx): Auth,
            Id(id): Id,
            ApiJson(i): ApiJson<CalendarInput>,
        ) -> ApiResult<Json<CalendarView>> {
            Ok(Json(
                unavailability::put_calendar(&s.db, &ctx, $resource, id, i).await?,
            ))
        }
    };
}

calendar_routes!(
    machine_calendar_get,
    machine_calendar_put,
    "/api/v1/planning/calendars/machines/{id}",
    "machine"
);
calendar_routes!(
    person_calendar_get,
    person_calendar_put,
    "/api/v1/planning/calendars/people/{id}",
    "person"
);
