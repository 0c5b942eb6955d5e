//! Routes, one module per resource. Every route is declared with `#[utoipa::path]` and
//! registered through `utoipa_axum::routes!`, so the OpenAPI document cannot miss one.

pub mod alerts;
pub mod attachments;
pub mod audit;
pub mod auth;
pub mod crm;
pub mod employees;
pub mod health;
pub mod imports;
pub mod instruments;
pub mod labels;
pub mod machines;
pub mod orders;
pub mod planning;
pub mod production;
pub mod qr;
pub mod quotes;
pub mod rights;
pub mod settings;
pub mod shopfloor;
pub mod stock;
pub mod time;
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
        (name = "stock", description = "Emplacements, outils, matières, réservations"),
        (name = "qr", description = "QR codes des enregistrements"),
        (name = "crm", description = "Clients et fournisseurs"),
        (name = "settings", description = "Paramètres généraux, assistant d'installation, grille tarifaire"),
        (name = "machines", description = "Parc machines"),
        (name = "instruments", description = "Instruments de contrôle et étalonnages"),
        (name = "hr", description = "Personnel, compétences et habilitations"),
        (name = "imports", description = "Imports CSV/XLSX des données de base"),
        (name = "attachments", description = "Pièces jointes des enregistrements (documents, certificats matière, photos)"),
        (name = "quotes", description = "Devis : plans analysés, chiffrage, revue, PDF"),
        (name = "orders", description = "Commandes clients, import des bons de commande, livraisons"),
        (name = "production", description = "OF, gammes, fiches méthode, conditions de coupe, fiche suiveuse"),
        (name = "shop_floor", description = "Atelier : tâches, démarrage / pause / fin d'opération, débit, outil cassé, vue en direct"),
        (name = "planning", description = "Planning : Gantt, propositions du planificateur à valider, déplacements, absences, charge, temps de travail"),
        (name = "time", description = "Pointage : présence, saisies manuelles, demandes, feuille de temps"),
        (name = "alerts", description = "Alertes : stocks sous le minimum, étalonnages, habilitations"),
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
        .routes(routes!(stock::list_locations, stock::create_location))
        .routes(routes!(stock::get_location, stock::patch_location))
        .routes(routes!(stock::location_history))
        .routes(routes!(stock::list_tools, stock::create_tool))
        .routes(routes!(stock::get_tool, stock::patch_tool))
        .routes(routes!(stock::tool_history))
        .routes(routes!(stock::list_cutting_data, stock::add_cutting_data))
        .routes(routes!(
            stock::patch_cutting_data,
            stock::delete_cutting_data
        ))
        .routes(routes!(stock::record_tool_life))
        .routes(routes!(stock::tool_stock_lines))
        .routes(routes!(stock::tool_movements, stock::add_tool_movement))
        .routes(routes!(
            stock::list_purchase_requests,
            stock::create_purchase_request
        ))
        .routes(routes!(stock::get_purchase_request))
        .routes(routes!(
            stock::purchase_request_transitions,
            stock::purchase_request_transition
        ))
        .routes(routes!(stock::purchase_request_history))
        .routes(routes!(stock::list_grades, stock::create_grade))
        .routes(routes!(stock::get_grade, stock::patch_grade))
        .routes(routes!(stock::grade_history))
        .routes(routes!(stock::storage_suggestion))
        .routes(routes!(stock::list_lots, stock::create_lot))
        .routes(routes!(stock::get_lot, stock::patch_lot))
        .routes(routes!(stock::lot_history))
        .routes(routes!(stock::list_stock, stock::create_stock))
        .routes(routes!(stock::suggest_stock))
        .routes(routes!(stock::stock_alerts))
        .routes(routes!(stock::get_stock, stock::patch_stock))
        .routes(routes!(stock::stock_history))
        .routes(routes!(stock::stock_movements, stock::add_stock_movement))
        .routes(routes!(stock::create_minimum))
        .routes(routes!(stock::patch_minimum, stock::delete_minimum))
        .routes(routes!(stock::list_reservations, stock::create_reservation))
        .routes(routes!(stock::get_reservation))
        .routes(routes!(stock::release_reservation))
        .routes(routes!(qr::qr))
        .routes(routes!(alerts::list))
        .routes(routes!(alerts::count))
        .routes(routes!(alerts::refresh))
        .routes(routes!(labels::labels))
        .routes(routes!(health::info))
        .routes(routes!(crm::list_clients, crm::create_client))
        .routes(routes!(crm::get_client, crm::patch_client))
        .routes(routes!(crm::client_transitions, crm::client_transition))
        .routes(routes!(crm::client_history))
        .routes(routes!(crm::list_suppliers, crm::create_supplier))
        .routes(routes!(crm::get_supplier, crm::patch_supplier))
        .routes(routes!(crm::supplier_transitions, crm::supplier_transition))
        .routes(routes!(crm::supplier_history))
        .routes(routes!(crm::list_evaluations, crm::add_evaluation))
        .routes(routes!(crm::options))
        .routes(routes!(settings::get_company, settings::put_company))
        .routes(routes!(settings::get_activities, settings::put_activities))
        .routes(routes!(settings::get_setup))
        .routes(routes!(settings::complete_setup))
        .routes(routes!(settings::get_rates, settings::put_rates))
        .routes(routes!(settings::rates_history))
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
        .routes(routes!(imports::import))
        .routes(routes!(imports::template))
        .routes(routes!(attachments::list))
        .routes(routes!(attachments::content, attachments::delete))
        .routes(routes!(quotes::list, quotes::create))
        .routes(routes!(quotes::get, quotes::patch, quotes::delete))
        .routes(routes!(quotes::status))
        .routes(routes!(quotes::add_line))
        .routes(routes!(quotes::pdf))
        .routes(routes!(
            quotes::get_line,
            quotes::patch_line,
            quotes::delete_line
        ))
        .routes(routes!(quotes::reanalyze))
        .routes(routes!(quotes::drawing))
        .routes(routes!(quotes::page))
        .routes(routes!(quotes::get_prices, quotes::put_prices))
        .routes(routes!(orders::list, orders::create))
        .routes(routes!(orders::get, orders::patch, orders::delete))
        .routes(routes!(orders::status))
        .routes(routes!(orders::history))
        .routes(routes!(orders::acknowledgment))
        .routes(routes!(orders::po_file))
        .routes(routes!(orders::deliver))
        .routes(routes!(orders::delivery_pdf))
        .routes(routes!(orders::po_confirm))
        .routes(routes!(production::list))
        .routes(routes!(production::get))
        .routes(routes!(production::status))
        .routes(routes!(production::history))
        .routes(routes!(production::add_operation))
        .routes(routes!(
            production::get_operation,
            production::patch_operation,
            production::delete_operation
        ))
        .routes(routes!(production::reorder))
        .routes(routes!(production::validate))
        .routes(routes!(production::regenerate))
        .routes(routes!(production::versions))
        .routes(routes!(production::diff))
        .routes(routes!(production::restore))
        .routes(routes!(production::traveler))
        .routes(routes!(production::drawing))
        .routes(routes!(production::get_sheet, production::put_sheet))
        .routes(routes!(production::sheet_of_operation))
        .routes(routes!(production::sheet_versions))
        .routes(routes!(production::sheet_version))
        .routes(routes!(production::sheet_pdf))
        .routes(routes!(production::compute))
        .routes(routes!(
            production::get_cutting_settings,
            production::put_cutting_settings
        ))
        .routes(routes!(shopfloor::tasks))
        .routes(routes!(shopfloor::operation))
        .routes(routes!(shopfloor::start))
        .routes(routes!(shopfloor::pause))
        .routes(routes!(shopfloor::resume))
        .routes(routes!(shopfloor::report))
        .routes(routes!(shopfloor::finish))
        .routes(routes!(shopfloor::tool_change))
        .routes(routes!(shopfloor::instrument_check))
        .routes(routes!(shopfloor::saw_plan))
        .routes(routes!(
            shopfloor::broken_tool_proposal,
            shopfloor::broken_tool
        ))
        .routes(routes!(shopfloor::add_comment))
        .routes(routes!(shopfloor::comments))
        .routes(routes!(shopfloor::handle_comment))
        .routes(routes!(
            shopfloor::scrap_reasons,
            shopfloor::create_scrap_reason
        ))
        .routes(routes!(shopfloor::update_scrap_reason))
        .routes(routes!(shopfloor::board))
        .routes(routes!(shopfloor::events))
        .routes(routes!(time::clock_get, time::clock_post))
        .routes(routes!(time::entries_list, time::entries_create))
        .routes(routes!(time::requests_list))
        .routes(routes!(time::decide))
        .routes(routes!(time::timesheet))
        .routes(routes!(planning::board))
        .routes(routes!(planning::check_move))
        .routes(routes!(planning::move_op))
        .routes(routes!(planning::unpin))
        .routes(routes!(
            planning::proposals_list,
            planning::proposals_create
        ))
        .routes(routes!(planning::proposal_get))
        .routes(routes!(planning::proposal_accept))
        .routes(routes!(planning::proposal_reject))
        .routes(routes!(
            planning::unavailability_list,
            planning::unavailability_create
        ))
        .routes(routes!(planning::unavailability_delete))
        .routes(routes!(planning::load))
        .routes(routes!(planning::working_time))
        .routes(routes!(planning::settings_get, planning::settings_put))
        .routes(routes!(
            planning::machine_calendar_get,
            planning::machine_calendar_put
        ))
        .routes(routes!(
            planning::person_calendar_get,
            planning::person_calendar_put
        ))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(orders::po_import))
                .layer(axum::extract::DefaultBodyLimit::max(
                    attachments::UPLOAD_LIMIT_BYTES,
                )),
        )
        .merge(OpenApiRouter::new().routes(routes!(quotes::upload)).layer(
            axum::extract::DefaultBodyLimit::max(quotes::UPLOAD_LIMIT_BYTES),
        ))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(attachments::upload))
                .layer(axum::extract::DefaultBodyLimit::max(
                    attachments::UPLOAD_LIMIT_BYTES,
                )),
        )
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
