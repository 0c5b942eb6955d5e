//! Clients and suppliers (module `crm`), supplier evaluations.

use super::export;
use crate::AppState;
use crate::extract::{ApiJson, ApiQuery, Authorized, CrmCreate, CrmRead, CrmUpdate, Id, Lang};
use crate::problem::{ApiResult, Problem};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use usinage_app::audit::{self, AuditEntry};
use usinage_app::crm::{
    self, EvaluationView, NewEvaluation, NewPartner, PartnerFilter, PartnerKind, PartnerPatch,
    PartnerView, Transition, TransitionRequest,
};
use usinage_app::listing::{Format, ListParams, ListQuery, Page, parse_bool};
use usinage_app::rights::Module;
use usinage_app::{AppError, Ctx};
use usinage_documents::table_export::{Cell, Table};
use usinage_documents::time::ParisTz;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PartnerFilterParams {
    /// `actif` or `archive`
    pub status: Option<String>,
    /// sector code, e.g. `aeronautique`
    pub sector: Option<String>,
    /// `true` or `false`
    pub critical: Option<String>,
    /// suppliers: kind code, e.g. `matiere`
    pub supplier_kind: Option<String>,
}

fn table(items: &[PartnerView], kind: PartnerKind, english: bool) -> Table {
    let supplier = kind == PartnerKind::Supplier;
    let mut h: Vec<&str> = if english {
        vec![
            "Id",
            "Name",
            "SIRET",
            "VAT number",
            "Sectors",
            "Critical",
            "Payment terms",
            "E-mail",
            "Phone",
            "Billing address",
            "Status",
        ]
    } else {
        vec![
            "Id",
            "Raison sociale",
            "SIRET",
            "N° TVA",
            "Secteurs",
            "Critique",
            "Conditions de paiement",
            "E-mail",
            "Téléphone",
            "Adresse de facturation",
            "Statut",
        ]
    };
    if supplier {
        h.extend(if english {
            ["Kinds", "Quality", "Delivery", "Price", "Overall"]
        } else {
            ["Types", "Qualité", "Délai", "Prix", "Note globale"]
        });
    }
    h.push(if english { "Updated" } else { "Modifié le" });
    let fmt = |d: chrono::DateTime<chrono::Utc>| {
        d.with_timezone(&ParisTz)
            .format("%d/%m/%Y %H:%M")
            .to_string()
    };
    let yes = |b: bool| {
        match (b, english) {
            (true, false) => "oui",
            (false, false) => "non",
            (true, true) => "yes",
            (false, true) => "no",
        }
        .to_string()
    };
    Table {
        headers: h.iter().map(|s| s.to_string()).collect(),
        rows: items
            .iter()
            .map(|p| {
                let mut r: Vec<Cell> = vec![
                    Cell::Int(p.id),
                    p.name.clone().into(),
                    p.siret.clone().into(),
                    p.vat_number.clone().into(),
                    p.sector_labels.join(", ").into(),
                    yes(p.critical).into(),
                    p.payment_terms_label.clone().into(),
                    p.email.clone().into(),
                    p.phone.clone().into(),
                    p.billing_address.clone().into(),
                    p.status_label.clone().into(),
                ];
                if supplier {
                    r.push(p.supplier_kind_labels.join(", ").into());
                    match &p.score {
                        Some(s) => r.extend([
                            Cell::Int(s.quality.into()),
                            Cell::Int(s.delivery.into()),
                            Cell::Int(s.price.into()),
                            Cell::Int(s.overall.into()),
                        ]),
                        None => r.extend(std::iter::repeat_n(Cell::from(None::<String>), 4)),
                    }
                }
                r.push(fmt(p.updated_at).into());
                r
            })
            .collect(),
    }
}

async fn views(
    s: &AppState,
    kind: PartnerKind,
    items: &[usinage_store::entities::partner::Model],
    english: bool,
) -> Result<Vec<PartnerView>, AppError> {
    let latest = if kind == PartnerKind::Supplier {
        let ids: Vec<i64> = items.iter().map(|p| p.id).collect();
        crm::latest_evaluations(&s.db.conn, &ids).await?
    } else {
        Default::default()
    };
    Ok(items
        .iter()
        .map(|p| crm::view(p, latest.get(&p.id), &s.cfg.public_base_url, english))
        .collect())
}

async fn one(
    s: &AppState,
    kind: PartnerKind,
    p: &usinage_store::entities::partner::Model,
    english: bool,
) -> Result<PartnerView, AppError> {
    Ok(views(s, kind, std::slice::from_ref(p), english)
        .await?
        .remove(0))
}

async fn do_list(
    s: &AppState,
    ctx: &Ctx,
    kind: PartnerKind,
    english: bool,
    p: ListParams,
    f: PartnerFilterParams,
) -> ApiResult<Response> {
    let q = ListQuery::parse(&p, crm::SORTABLE)?;
    let nonempty = |v: Option<String>| v.map(|x| x.trim().to_string()).filter(|x| !x.is_empty());
    let filter = PartnerFilter {
        status: nonempty(f.status),
        sector: nonempty(f.sector),
        supplier_kind: nonempty(f.supplier_kind),
        critical: parse_bool("critical", f.critical.as_deref())?,
    };
    let page = crm::list(&s.db, ctx, kind, &q, &filter).await?;
    let items = views(s, kind, &page.items, english).await?;
    match q.format {
        Format::Json => Ok(Json(Page {
            items,
            total: page.total,
            page: page.page,
            per_page: page.per_page,
        })
        .into_response()),
        f => {
            let name = match (kind, english) {
                (PartnerKind::Client, false) => "clients",
                (PartnerKind::Client, true) => "clients",
                (PartnerKind::Supplier, false) => "fournisseurs",
                (PartnerKind::Supplier, true) => "suppliers",
            };
            export(&table(&items, kind, english), f, name)
        }
    }
}

macro_rules! partner_routes {
    ($kind:expr, $tag:literal, $base:literal, $entity:literal,
     $list:ident, $create:ident, $get:ident, $patch:ident, $transitions:ident, $transition:ident, $history:ident) => {
        #[utoipa::path(get, path = $base, tag = $tag, security(("bearer" = [])), params(ListParams, PartnerFilterParams),
            responses((status = 200, body = Page<PartnerView>, description = "JSON page, or a CSV/XLSX file with `format`"), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
        pub async fn $list(
            State(s): State<AppState>,
            Authorized(ctx, _): Authorized<CrmRead>,
            lang: Lang,
            ApiQuery(p): ApiQuery<ListParams>,
            ApiQuery(f): ApiQuery<PartnerFilterParams>,
        ) -> ApiResult<Response> {
            do_list(&s, &ctx, $kind, lang.english, p, f).await
        }

        #[utoipa::path(post, path = $base, tag = $tag, security(("bearer" = [])), request_body = NewPartner,
            responses((status = 201, body = PartnerView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
        pub async fn $create(
            State(s): State<AppState>,
            Authorized(ctx, _): Authorized<CrmCreate>,
            lang: Lang,
            ApiJson(n): ApiJson<NewPartner>,
        ) -> ApiResult<(StatusCode, Json<PartnerView>)> {
            let p = crm::create(&s.db, &ctx, $kind, n).await?;
            Ok((StatusCode::CREATED, Json(one(&s, $kind, &p, lang.english).await?)))
        }

        #[utoipa::path(get, path = concat!($base, "/{id}"), tag = $tag, security(("bearer" = [])), params(("id" = i64, Path)),
            responses((status = 200, body = PartnerView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
        pub async fn $get(
            State(s): State<AppState>,
            Authorized(ctx, _): Authorized<CrmRead>,
            lang: Lang,
            Id(id): Id,
        ) -> ApiResult<Json<PartnerView>> {
            let p = crm::get(&s.db, &ctx, $kind, id).await?;
            Ok(Json(one(&s, $kind, &p, lang.english).await?))
        }

        #[utoipa::path(patch, path = concat!($base, "/{id}"), tag = $tag, security(("bearer" = [])), params(("id" = i64, Path)), request_body = PartnerPatch,
            responses((status = 200, body = PartnerView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
        pub async fn $patch(
            State(s): State<AppState>,
            Authorized(ctx, _): Authorized<CrmUpdate>,
            lang: Lang,
            Id(id): Id,
            ApiJson(p): ApiJson<PartnerPatch>,
        ) -> ApiResult<Json<PartnerView>> {
            let p = crm::update(&s.db, &ctx, $kind, id, p).await?;
            Ok(Json(one(&s, $kind, &p, lang.english).await?))
        }

        #[utoipa::path(get, path = concat!($base, "/{id}/transitions"), tag = $tag, security(("bearer" = [])), params(("id" = i64, Path)),
            responses((status = 200, body = Vec<Transition>), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
        pub async fn $transitions(
            State(s): State<AppState>,
            Authorized(ctx, _): Authorized<CrmRead>,
            lang: Lang,
            Id(id): Id,
        ) -> ApiResult<Json<Vec<Transition>>> {
            Ok(Json(crm::transitions(&s.db, &ctx, $kind, id, lang.english).await?))
        }

        #[utoipa::path(post, path = concat!($base, "/{id}/transitions"), tag = $tag, security(("bearer" = [])), params(("id" = i64, Path)), request_body = TransitionRequest,
            responses((status = 200, body = PartnerView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
        pub async fn $transition(
            State(s): State<AppState>,
            Authorized(ctx, _): Authorized<CrmUpdate>,
            lang: Lang,
            Id(id): Id,
            ApiJson(t): ApiJson<TransitionRequest>,
        ) -> ApiResult<Json<PartnerView>> {
            let p = crm::transition(&s.db, &ctx, $kind, id, t).await?;
            Ok(Json(one(&s, $kind, &p, lang.english).await?))
        }

        #[utoipa::path(get, path = concat!($base, "/{id}/history"), tag = $tag, security(("bearer" = [])), params(("id" = i64, Path), ListParams),
            responses((status = 200, body = Page<AuditEntry>), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
        pub async fn $history(
            State(s): State<AppState>,
            Authorized(ctx, _): Authorized<CrmRead>,
            Id(id): Id,
            ApiQuery(p): ApiQuery<ListParams>,
        ) -> ApiResult<Json<Page<AuditEntry>>> {
            let q = ListQuery::parse(&p, audit::SORTABLE)?;
            crm::get(&s.db, &ctx, $kind, id).await?;
            Ok(Json(
                audit::history(&s.db, &ctx, Module::Crm, $entity, &id.to_string(), &q).await?,
            ))
        }
    };
}

partner_routes!(
    PartnerKind::Client,
    "crm",
    "/api/v1/clients",
    "client",
    list_clients,
    create_client,
    get_client,
    patch_client,
    client_transitions,
    client_transition,
    client_history
);

partner_routes!(
    PartnerKind::Supplier,
    "crm",
    "/api/v1/suppliers",
    "supplier",
    list_suppliers,
    create_supplier,
    get_supplier,
    patch_supplier,
    supplier_transitions,
    supplier_transition,
    supplier_history
);

#[utoipa::path(get, path = "/api/v1/suppliers/{id}/evaluations", tag = "crm", security(("bearer" = [])), params(("id" = i64, Path), ListParams),
    responses((status = 200, body = Page<EvaluationView>, description = "Newest first"), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn list_evaluations(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<CrmRead>,
    Id(id): Id,
    ApiQuery(p): ApiQuery<ListParams>,
) -> ApiResult<Json<Page<EvaluationView>>> {
    let q = ListQuery::parse(&p, crm::EVALUATION_SORTABLE)?;
    let page = crm::evaluations(&s.db, &ctx, id, &q).await?;
    Ok(Json(Page {
        items: page.items.iter().map(crm::evaluation_view).collect(),
        total: page.total,
        page: page.page,
        per_page: page.per_page,
    }))
}

#[utoipa::path(post, path = "/api/v1/suppliers/{id}/evaluations", tag = "crm", security(("bearer" = [])), params(("id" = i64, Path)), request_body = NewEvaluation,
    responses((status = 201, body = EvaluationView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_evaluation(
    State(s): State<AppState>,
    Authorized(ctx, _): Authorized<CrmUpdate>,
    Id(id): Id,
    ApiJson(n): ApiJson<NewEvaluation>,
) -> ApiResult<(StatusCode, Json<EvaluationView>)> {
    let e = crm::add_evaluation(&s.db, &ctx, id, n).await?;
    Ok((StatusCode::CREATED, Json(crm::evaluation_view(&e))))
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct CodeLabel {
    pub code: String,
    pub label: String,
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct CrmOptions {
    pub payment_terms: Vec<CodeLabel>,
    pub sectors: Vec<CodeLabel>,
    pub supplier_kinds: Vec<CodeLabel>,
}

/// Code lists for the forms (payment terms, sectors, supplier kinds) with their labels.
#[utoipa::path(get, path = "/api/v1/crm/options", tag = "crm", security(("bearer" = [])),
    responses((status = 200, body = CrmOptions), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn options(
    Authorized(_ctx, _): Authorized<CrmRead>,
    lang: Lang,
) -> ApiResult<Json<CrmOptions>> {
    let conv = |l: crm::CodeLabels| {
        l.iter()
            .map(|(c, fr, en)| CodeLabel {
                code: c.to_string(),
                label: if lang.english { en } else { fr }.to_string(),
            })
            .collect()
    };
    Ok(Json(CrmOptions {
        payment_terms: conv(crm::PAYMENT_TERMS),
        sectors: conv(crm::SECTORS),
        supplier_kinds: conv(crm::SUPPLIER_KINDS),
    }))
}
