//! Routes, one module per resource. Every route is declared with `#[utoipa::path]` and
//! registered through `utoipa_axum::routes!`, so the OpenAPI document cannot miss one.

pub mod audit;
pub mod auth;
pub mod health;
pub mod qr;
pub mod rights;
pub mod users;

use crate::AppState;
use crate::problem::Problem;
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
}

pub fn finish_openapi(mut doc: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    doc.info.version = env!("CARGO_PKG_VERSION").to_string();
    doc
}
