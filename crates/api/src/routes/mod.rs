//! Routes, one module per resource. Every route is declared with `#[utoipa::path]` and
//! registered through `utoipa_axum::routes!`, so the OpenAPI document cannot miss one.

pub mod audit;
pub mod auth;
pub mod employees;
pub mod health;
pub mod instruments;
pub mod machines;
pub mod qr;
pub mod rights;
pub mod users;

use crate::AppState;
use crate::problem::{ApiError, Problem};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use usinage_app::error::AppError;
use usinage_app::listing::Format;
use usinage_documents::table_export::{Table, to_csv, to_xlsx};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(title = "Gestion Usinage API", description = "ERP/MES pour ateliers d'usinage. Erreurs au format RFC 9457 (application/problem+json), messages en français (anglais avec Accept-Language: en)."),
    components(schemas(Problem)),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Connexion et session"),
        (name = "users", description = "Utilisateurs"),
        (name = "rights", description = "Droits par rôle et module"),
        (name = "audit", description = "Journal d'audit chaîné"),
        (name = "qr", description = "QR codes des enregistrements"),
        (name = "machines", description = "Parc machines"),
        (name = "instruments", description = "Instruments de contrôle et étalonnages"),
        (name = "hr", description = "Personnel, compétences et habilitations"),
        (name = "system", description = "Santé et informations")
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(auth::login))
        .routes(routes!(auth::refresh))
        .routes(routes!(auth::logout))
        .routes(routes!(auth::me))
        .routes(routes!(auth::change_password))
        .routes(routes!(users::list, users::create))
        .routes(routes!(users::get, users::patch))
        .routes(routes!(users::transitions, users::transition))
        .routes(routes!(users::history))
        .routes(routes!(rights::get, rights::put))
        .routes(routes!(audit::list))
        .routes(routes!(audit::verify))
        .routes(routes!(qr::qr))
        .routes(routes!(health::info))
        .routes(routes!(machines::list, machines::create))
        .routes(routes!(machines::get, machines::patch))
        .routes(routes!(machines::transitions, machines::transition))
        .routes(routes!(machines::history))
        .routes(routes!(instruments::list, instruments::create))
        .routes(routes!(instruments::get, instruments::patch))
        .routes(routes!(
            instruments::calibrations,
            instruments::record_calibration
        ))
        .routes(routes!(
            instruments::exceptions,
            instruments::grant_exception
        ))
        .routes(routes!(instruments::uses))
        .routes(routes!(instruments::record_use))
        .routes(routes!(instruments::history))
        .routes(routes!(employees::list, employees::create))
        .routes(routes!(employees::reminders))
        .routes(routes!(employees::get, employees::patch))
        .routes(routes!(employees::add_certification))
        .routes(routes!(employees::patch_certification))
        .routes(routes!(employees::history))
}

/// Final touches on the generated document: errors are `application/problem+json` (declared
/// once here rather than on every route), and list exports declare their file types.
pub fn finish_openapi(mut doc: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    use utoipa::openapi::RefOr;
    doc.info.version = env!("CARGO_PKG_VERSION").to_string();
    for item in doc.paths.paths.values_mut() {
        for op in [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ]
        .into_iter()
        .flatten()
        {
            let has_format = op.parameters.as_ref().is_some_and(|ps| {
                ps.iter()
                    .any(|p| matches!(p, RefOr::T(p) if p.name == "format"))
            });
            for (status, resp) in op.responses.responses.iter_mut() {
                let RefOr::T(resp) = resp else { continue };
                if status.starts_with('4') || status.starts_with('5') {
                    if let Some(c) = resp.content.shift_remove("application/json") {
                        resp.content
                            .insert("application/problem+json".to_string(), c);
                    }
                } else if status == "200" && has_format {
                    for mime in [
                        "text/csv",
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    ] {
                        let file = utoipa::openapi::ObjectBuilder::new()
                            .schema_type(utoipa::openapi::schema::Type::String)
                            .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                                utoipa::openapi::KnownFormat::Binary,
                            )));
                        resp.content.insert(
                            mime.to_string(),
                            RefOr::T(
                                utoipa::openapi::ContentBuilder::new()
                                    .schema(Some(file))
                                    .build(),
                            ),
                        );
                    }
                }
            }
        }
    }
    doc
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
