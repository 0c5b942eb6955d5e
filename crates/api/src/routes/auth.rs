use crate::AppState;
use crate::extract::{Anonymous, ApiJson, Auth};
use crate::problem::{ApiResult, Problem};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use usinage_app::auth::{self, LoginRequest, Me, PasswordChange, RefreshRequest, TokenResponse};

#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = TokenResponse), (status = 400, body = Problem), (status = 401, body = Problem), (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn login(
    State(s): State<AppState>,
    Anonymous(ctx): Anonymous,
    ApiJson(req): ApiJson<LoginRequest>,
) -> ApiResult<Json<TokenResponse>> {
    Ok(Json(auth::login(&s.db, &s.throttle, &ctx, req).await?))
}

#[utoipa::path(post, path = "/api/v1/auth/refresh", tag = "auth", request_body = RefreshRequest,
    responses((status = 200, body = TokenResponse), (status = 400, body = Problem), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn refresh(
    State(s): State<AppState>,
    Anonymous(ctx): Anonymous,
    ApiJson(req): ApiJson<RefreshRequest>,
) -> ApiResult<Json<TokenResponse>> {
    Ok(Json(auth::refresh(&s.db, &ctx, req).await?))
}

#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = Problem)))]
pub async fn logout(State(s): State<AppState>, Auth(ctx): Auth) -> ApiResult<StatusCode> {
    auth::logout(&s.db, &ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/auth/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = Me), (status = 401, body = Problem)))]
pub async fn me(State(s): State<AppState>, Auth(ctx): Auth) -> ApiResult<Json<Me>> {
    Ok(Json(auth::me(&s.db, &ctx).await?))
}

#[utoipa::path(post, path = "/api/v1/auth/password", tag = "auth", security(("bearer" = [])), request_body = PasswordChange,
    responses((status = 204), (status = 400, body = Problem), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn change_password(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    ApiJson(req): ApiJson<PasswordChange>,
) -> ApiResult<StatusCode> {
    auth::change_password(&s.db, &ctx, req).await?;
    Ok(StatusCode::NO_CONTENT)
}
