//! QR codes of records: the QR encodes the record's absolute UI URL, so a phone scan opens it
//! (after login).

use crate::AppState;
use crate::extract::Auth;
use crate::problem::{ApiError, ApiResult, Problem};
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use usinage_app::error::AppError;
use usinage_documents::qr;

pub use usinage_app::records::module_of;

#[utoipa::path(get, path = "/api/v1/qr/{entity}/{file}", tag = "qr", security(("bearer" = [])),
    params(("entity" = String, Path, description = "e.g. `users`"), ("file" = String, Path, description = "`{id}.svg` or `{id}.png`")),
    responses((status = 200, content_type = "image/svg+xml", description = "SVG or PNG image"), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn qr(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    Path((entity, file)): Path<(String, String)>,
) -> ApiResult<Response> {
    let not_found = || ApiError(AppError::not_found("Enregistrement", "Record"));
    let module = module_of(&entity).ok_or_else(not_found)?;
    let (id, ext) = file.rsplit_once('.').ok_or_else(not_found)?;
    let id: i64 = id.parse().ok().filter(|v| *v > 0).ok_or_else(not_found)?;
    if entity != "locations" {
        ctx.require(module, usinage_app::rights::Action::Read)?;
    }
    if !usinage_app::records::exists(&s.db, &ctx, &entity, id).await? {
        return Err(not_found());
    }
    let url = format!(
        "{}/{entity}/{id}",
        s.cfg.public_base_url.trim_end_matches('/')
    );
    let err = |_| ApiError(AppError::internal("QR"));
    match ext {
        "svg" => Ok((
            [(header::CONTENT_TYPE, "image/svg+xml")],
            qr::svg(&url).map_err(err)?,
        )
            .into_response()),
        "png" => Ok((
            [(header::CONTENT_TYPE, "image/png")],
            qr::png(&url, 8).map_err(err)?,
        )
            .into_response()),
        _ => Err(not_found()),
    }
}
