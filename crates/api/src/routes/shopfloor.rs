//! Shop floor (`/api/v1/shop-floor/…`): operators' tasks, actions on an operation (start, pause,
//! resume, report, finish, tool change, instrument check, broken tool, comments), the saw plan,
//! the office board, scrap reasons and comments for méthode; and the live event stream
//! (`/api/v1/events`, server-sent events). See `docs/shop-floor.md`.

use crate::AppState;
use crate::extract::{ApiJson, ApiQuery, Auth, Id, Lang};
use crate::problem::{ApiResult, Problem};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use std::convert::Infallible;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;
use usinage_app::rights::{Action, Module};
use usinage_app::shopfloor::actions::{
    self, CommentInput, FinishInput, FloorAction, InstrumentCheckInput, PauseInput, QuantityInput,
    TimeOnly, ToolChangeInput,
};
use usinage_app::shopfloor::board::{self, BoardView};
use usinage_app::shopfloor::broken_tool::{
    self, BrokenToolInput, BrokenToolProposal, BrokenToolQuery, BrokenToolResult,
};
use usinage_app::shopfloor::reasons::{
    self, CommentFilter, CommentView, HandleInput, ReasonInput, ScrapReasonView,
};
use usinage_app::shopfloor::sawing::{self, SawPlanQuery, SawPlanView};
use usinage_app::shopfloor::{self, FloorOperationView, TaskFilter, TaskView};

pub static IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");
pub static REPLAYED: HeaderName = HeaderName::from_static("idempotency-replayed");

/// The client's `Idempotency-Key` header (queued offline actions).
pub fn idempotency_key(h: &HeaderMap) -> Option<String> {
    h.get(&IDEMPOTENCY_KEY)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// Marks the answer to a replayed request (same `Idempotency-Key`: nothing was changed).
pub fn mark_replayed(mut res: Response, replayed: bool) -> Response {
    if replayed {
        res.headers_mut()
            .insert(REPLAYED.clone(), HeaderValue::from_static("true"));
    }
    res
}

fn floor_response(v: FloorOperationView) -> Response {
    let replayed = v.replayed;
    mark_replayed(Json(v).into_response(), replayed)
}

async fn run(
    s: &AppState,
    ctx: &usinage_app::ctx::Ctx,
    english: bool,
    id: i64,
    headers: &HeaderMap,
    a: FloorAction,
) -> ApiResult<Response> {
    let key = idempotency_key(headers);
    let v = actions::act(&s.db, ctx, &s.bus, id, a, key.as_deref(), english).await?;
    Ok(floor_response(v))
}

#[utoipa::path(get, path = "/api/v1/shop-floor/tasks", tag = "shop_floor", security(("bearer" = [])), params(TaskFilter),
    responses((status = 200, body = Vec<TaskView>), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn tasks(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    ApiQuery(f): ApiQuery<TaskFilter>,
) -> ApiResult<Json<Vec<TaskView>>> {
    Ok(Json(shopfloor::tasks(&s.db, &ctx, &f, lang.english).await?))
}

#[utoipa::path(get, path = "/api/v1/shop-floor/operations/{id}", tag = "shop_floor", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = FloorOperationView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn operation(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    Id(id): Id,
) -> ApiResult<Json<FloorOperationView>> {
    Ok(Json(shopfloor::get(&s.db, &ctx, id, lang.english).await?))
}

macro_rules! action_route {
    ($name:ident, $path:literal, $input:ty, $variant:ident, $doc:literal) => {
        #[doc = $doc]
        #[utoipa::path(post, path = $path, tag = "shop_floor", security(("bearer" = [])),
            params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header, description = "Key of a queued action: a replay changes nothing")),
            request_body = $input,
            responses((status = 200, body = FloorOperationView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
        pub async fn $name(
            State(s): State<AppState>,
            Auth(ctx): Auth,
            lang: Lang,
            Id(id): Id,
            headers: HeaderMap,
            ApiJson(i): ApiJson<$input>,
        ) -> ApiResult<Response> {
            run(&s, &ctx, lang.english, id, &headers, FloorAction::$variant(i)).await
        }
    };
}

action_route!(
    start,
    "/api/v1/shop-floor/operations/{id}/start",
    TimeOnly,
    Start,
    "Starts the operation (opens the operator's work session)."
);
action_route!(
    pause,
    "/api/v1/shop-floor/operations/{id}/pause",
    PauseInput,
    Pause,
    "Pauses the operator's work with a reason."
);
action_route!(
    resume,
    "/api/v1/shop-floor/operations/{id}/resume",
    TimeOnly,
    Resume,
    "Resumes after a pause."
);
action_route!(
    report,
    "/api/v1/shop-floor/operations/{id}/report",
    QuantityInput,
    Report,
    "Declares parts made so far (transfer batch)."
);
action_route!(
    finish,
    "/api/v1/shop-floor/operations/{id}/finish",
    FinishInput,
    Finish,
    "Finishes the operation with its quantities and the operator's time."
);
action_route!(
    tool_change,
    "/api/v1/shop-floor/operations/{id}/tool-change",
    ToolChangeInput,
    ToolChange,
    "Records a tool change."
);
action_route!(
    instrument_check,
    "/api/v1/shop-floor/operations/{id}/instrument-check",
    InstrumentCheckInput,
    InstrumentCheck,
    "Records the measuring instrument used (refused when expired without an exception)."
);

#[utoipa::path(get, path = "/api/v1/shop-floor/operations/{id}/saw-plan", tag = "shop_floor", security(("bearer" = [])), params(("id" = i64, Path), SawPlanQuery),
    responses((status = 200, body = SawPlanView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn saw_plan(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    Id(id): Id,
    ApiQuery(q): ApiQuery<SawPlanQuery>,
) -> ApiResult<Json<SawPlanView>> {
    Ok(Json(sawing::plan(&s.db, &ctx, id, &q, lang.english).await?))
}

#[utoipa::path(get, path = "/api/v1/shop-floor/operations/{id}/broken-tool", tag = "shop_floor", security(("bearer" = [])), params(("id" = i64, Path), BrokenToolQuery),
    responses((status = 200, body = BrokenToolProposal), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn broken_tool_proposal(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    Id(id): Id,
    ApiQuery(q): ApiQuery<BrokenToolQuery>,
) -> ApiResult<Json<BrokenToolProposal>> {
    Ok(Json(
        broken_tool::proposal(&s.db, &ctx, id, q.tool_id).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/shop-floor/operations/{id}/broken-tool", tag = "shop_floor", security(("bearer" = [])),
    params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header, description = "Key of a queued action")), request_body = BrokenToolInput,
    responses((status = 200, body = BrokenToolResult), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn broken_tool(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    Id(id): Id,
    headers: HeaderMap,
    ApiJson(i): ApiJson<BrokenToolInput>,
) -> ApiResult<Response> {
    let key = idempotency_key(&headers);
    let r = broken_tool::declare(&s.db, &ctx, &s.bus, id, i, key.as_deref(), lang.english).await?;
    let replayed = r.operation.replayed;
    Ok(mark_replayed(Json(r).into_response(), replayed))
}

#[utoipa::path(post, path = "/api/v1/shop-floor/operations/{id}/comments", tag = "shop_floor", security(("bearer" = [])), params(("id" = i64, Path)), request_body = CommentInput,
    responses((status = 201, body = CommentView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_comment(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    Id(id): Id,
    ApiJson(i): ApiJson<CommentInput>,
) -> ApiResult<(StatusCode, Json<CommentView>)> {
    let c = actions::comment(&s.db, &ctx, id, i, lang.english).await?;
    Ok((StatusCode::CREATED, Json(c)))
}

#[utoipa::path(get, path = "/api/v1/shop-floor/comments", tag = "shop_floor", security(("bearer" = [])), params(CommentFilter),
    responses((status = 200, body = Vec<CommentView>), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn comments(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    ApiQuery(f): ApiQuery<CommentFilter>,
) -> ApiResult<Json<Vec<CommentView>>> {
    Ok(Json(
        reasons::comments(&s.db, &ctx, &f, lang.english).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/shop-floor/comments/{id}/handle", tag = "shop_floor", security(("bearer" = [])), params(("id" = i64, Path)), request_body = HandleInput,
    responses((status = 200, body = CommentView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn handle_comment(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    Id(id): Id,
    ApiJson(i): ApiJson<HandleInput>,
) -> ApiResult<Json<CommentView>> {
    Ok(Json(
        reasons::handle(&s.db, &ctx, id, i, lang.english).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/shop-floor/scrap-reasons", tag = "shop_floor", security(("bearer" = [])),
    responses((status = 200, body = Vec<ScrapReasonView>), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn scrap_reasons(
    State(s): State<AppState>,
    Auth(ctx): Auth,
) -> ApiResult<Json<Vec<ScrapReasonView>>> {
    Ok(Json(reasons::list_reasons(&s.db, &ctx).await?))
}

#[utoipa::path(post, path = "/api/v1/shop-floor/scrap-reasons", tag = "shop_floor", security(("bearer" = [])), request_body = ReasonInput,
    responses((status = 201, body = ScrapReasonView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_scrap_reason(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    ApiJson(i): ApiJson<ReasonInput>,
) -> ApiResult<(StatusCode, Json<ScrapReasonView>)> {
    Ok((
        StatusCode::CREATED,
        Json(reasons::create_reason(&s.db, &ctx, i).await?),
    ))
}

#[utoipa::path(patch, path = "/api/v1/shop-floor/scrap-reasons/{id}", tag = "shop_floor", security(("bearer" = [])), params(("id" = i64, Path)), request_body = ReasonInput,
    responses((status = 200, body = ScrapReasonView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update_scrap_reason(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    Id(id): Id,
    ApiJson(i): ApiJson<ReasonInput>,
) -> ApiResult<Json<ScrapReasonView>> {
    Ok(Json(reasons::update_reason(&s.db, &ctx, id, i).await?))
}

#[utoipa::path(get, path = "/api/v1/shop-floor/board", tag = "shop_floor", security(("bearer" = [])),
    responses((status = 200, body = BoardView), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn board(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
) -> ApiResult<Json<BoardView>> {
    Ok(Json(board::board(&s.db, &ctx, lang.english).await?))
}

/// Live shop-floor events (server-sent events). Browsers read it with `fetch` (bearer header);
/// a keep-alive comment every 15 s keeps proxies from closing it.
#[utoipa::path(get, path = "/api/v1/events", tag = "shop_floor", security(("bearer" = [])),
    responses((status = 200, content_type = "text/event-stream", body = String, description = "`event: shop_floor` lines with a JSON FloorEvent"), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn events(State(s): State<AppState>, Auth(ctx): Auth) -> ApiResult<Response> {
    ctx.require(Module::TimeTracking, Action::Read)?;
    let stream = BroadcastStream::new(s.bus.subscribe()).filter_map(|e| {
        e.ok().map(|e| {
            Ok::<Event, Infallible>(
                Event::default()
                    .event("shop_floor")
                    .data(serde_json::to_string(&e).unwrap_or_default()),
            )
        })
    });
    let first = tokio_stream::once(Ok::<Event, Infallible>(
        Event::default().event("ready").data("{}"),
    ));
    Ok(Sse::new(first.chain(stream))
        .keep_alive(KeepAlive::new().interval(std::time::Duration::from_secs(15)))
        .into_response())
}
