//! QR codes of records: the QR encodes the record's absolute UI URL, so a phone scan opens it
//! (after login).

use crate::AppState;
use crate::extract::Auth;
use crate::problem::{ApiError, ApiResult, Problem};
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use usinage_app::error::AppError;
use usinage_app::rights::Module;
use usinage_documents::qr;

/// Entities that have a QR: URL segment → module whose read right is needed. Later modules add
/// their entities here (machines, tools, bars, offcuts, instruments, operations…).
pub fn module_of(entity: &str) -> Option<Module> {
    match entity {
        "users" => Some(Module::Users),
        "tools" | "tool-purchase-requests" => Some(Module::Tools),
        "materials" | "material-lots" | "material-stock" => Some(Module::Materials),
        "locations" => Some(Module::Tools),
        "clients" | "suppliers" => Some(Module::Crm),
        "machines" => Some(Module::Machines),
        "instruments" => Some(Module::Instruments),
        "employees" => Some(Module::Hr),
        _ => None,
    }
}

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
    match entity.as_str() {
        "users" => {
            usinage_app::users::get(&s.db, &ctx, id).await?;
        }
        "machines" => {
            usinage_app::resources::machines::get(&s.db, &ctx, id).await?;
        }
        "instruments" => {
            usinage_app::resources::instruments::get(&s.db, &ctx, id).await?;
        }
        "employees" => {
            usinage_app::resources::employees::get(&s.db, &ctx, id).await?;
        }
        "clients" => {
            usinage_app::crm::get(&s.db, &ctx, usinage_app::crm::PartnerKind::Client, id).await?;
        }
        "suppliers" => {
            usinage_app::crm::get(&s.db, &ctx, usinage_app::crm::PartnerKind::Supplier, id).await?;
        }
        other => {
            if !super::stock::exists(&s, &ctx, other, id).await? {
                return Err(not_found());
            }
        }
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
