//! Orders: `/api/v1/orders` (list, create, get, patch, delete, status, history,
//! acknowledgment PDF, customer PO file, deliveries), `/api/v1/deliveries/{id}/pdf`, and the
//! customer PO import (`/api/v1/orders/po-import`, `/confirm`). See `docs/orders.md`.

use super::attachments::{bad_form, disposition, multipart_error, too_large};
use super::export;
use crate::AppState;
use crate::extract::{ApiJson, ApiQuery, Auth, Id, Lang};
use crate::problem::{ApiResult, Problem};
use axum::Json;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use usinage_app::attachments::MAX_BYTES;
use usinage_app::audit::{self, AuditEntry};
use usinage_app::listing::{Format, ListParams, ListQuery, Page};
use usinage_app::orders::deliveries::{self, DeliveryInput};
use usinage_app::orders::po_import::{self, PoConfirm, PoImportView};
use usinage_app::orders::{
    self, OrderFilter, OrderInput, OrderStatusChange, OrderSummary, OrderView,
};
use usinage_app::rights::{Action, Module};
use usinage_documents::table_export::{Cell, Table};

fn table(items: &[OrderSummary], english: bool) -> Table {
    let h: &[&str] = if english {
        &[
            "Number",
            "Client",
            "Customer PO",
            "PO date",
            "Requested",
            "Promised",
            "Priority",
            "Status",
            "Lines",
            "Total excl. VAT",
            "Late",
        ]
    } else {
        &[
            "Numéro",
            "Client",
            "Commande client",
            "Date commande",
            "Souhaitée",
            "Promise",
            "Priorité",
            "Statut",
            "Lignes",
            "Total HT",
            "En retard",
        ]
    };
    let date = |d: Option<chrono::NaiveDate>| -> Cell {
        d.map(|d| d.format("%d/%m/%Y").to_string()).into()
    };
    Table {
        headers: h.iter().map(|s| s.to_string()).collect(),
        rows: items
            .iter()
            .map(|o| {
                vec![
                    o.number.clone().into(),
                    o.client_name.clone().into(),
                    o.customer_po_number.clone().into(),
                    date(o.customer_po_date),
                    date(o.requested_date),
                    date(o.promised_date),
                    o.priority_label.clone().into(),
                    o.status_label.clone().into(),
                    (o.line_count as i64).into(),
                    o.total.clone().into(),
                    (if o.late { "oui" } else { "" }).to_string().into(),
                ]
            })
            .collect(),
    }
}

#[utoipa::path(get, path = "/api/v1/orders", tag = "orders", security(("bearer" = [])), params(ListParams, OrderFilter),
    responses((status = 200, body = Page<OrderSummary>, description = "JSON page, or a CSV/XLSX file with `format`"), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn list(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    ApiQuery(p): ApiQuery<ListParams>,
    ApiQuery(f): ApiQuery<OrderFilter>,
) -> ApiResult<Response> {
    let q = ListQuery::parse(&p, orders::SORTABLE)?;
    let page = orders::list(&s.db, &ctx, &q, &f, lang.english).await?;
    match q.format {
        Format::Json => Ok(Json(page).into_response()),
        fmt => export(&table(&page.items, lang.english), fmt, "commandes"),
    }
}

#[utoipa::path(post, path = "/api/v1/orders", tag = "orders", security(("bearer" = [])), request_body = OrderInput,
    responses((status = 201, body = OrderView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    ApiJson(i): ApiJson<OrderInput>,
) -> ApiResult<(StatusCode, Json<OrderView>)> {
    let v = orders::create(&s.db, &ctx, i, lang.english).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

#[utoipa::path(get, path = "/api/v1/orders/{id}", tag = "orders", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = OrderView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    Id(id): Id,
) -> ApiResult<Json<OrderView>> {
    Ok(Json(orders::get(&s.db, &ctx, id, lang.english).await?))
}

#[utoipa::path(patch, path = "/api/v1/orders/{id}", tag = "orders", security(("bearer" = [])), params(("id" = i64, Path)), request_body = OrderInput,
    responses((status = 200, body = OrderView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn patch(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    Id(id): Id,
    ApiJson(i): ApiJson<OrderInput>,
) -> ApiResult<Json<OrderView>> {
    Ok(Json(
        orders::update(&s.db, &ctx, id, i, lang.english).await?,
    ))
}

#[utoipa::path(delete, path = "/api/v1/orders/{id}", tag = "orders", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 204, description = "Deleted"), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn delete(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    Id(id): Id,
) -> ApiResult<StatusCode> {
    orders::delete(&s.db, &ctx, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/orders/{id}/status", tag = "orders", security(("bearer" = [])), params(("id" = i64, Path)), request_body = OrderStatusChange,
    responses((status = 200, body = OrderView, description = "Validating generates the jobs and their routings"), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn status(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    Id(id): Id,
    ApiJson(c): ApiJson<OrderStatusChange>,
) -> ApiResult<Json<OrderView>> {
    Ok(Json(
        orders::set_status(&s.db, &ctx, id, c, lang.english).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/orders/{id}/history", tag = "orders", security(("bearer" = [])), params(("id" = i64, Path), ListParams),
    responses((status = 200, body = Page<AuditEntry>), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn history(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    Id(id): Id,
    ApiQuery(p): ApiQuery<ListParams>,
) -> ApiResult<Json<Page<AuditEntry>>> {
    let q = ListQuery::parse(&p, audit::SORTABLE)?;
    orders::get(&s.db, &ctx, id, false).await?;
    Ok(Json(
        audit::history(&s.db, &ctx, Module::Orders, "order", &id.to_string(), &q).await?,
    ))
}

fn pdf_response(name: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (header::CONTENT_DISPOSITION, disposition(true, name)),
        ],
        bytes,
    )
        .into_response()
}

#[utoipa::path(get, path = "/api/v1/orders/{id}/acknowledgment.pdf", tag = "orders", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/pdf", description = "Order acknowledgment (accusé de réception)"), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn acknowledgment(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    Id(id): Id,
) -> ApiResult<Response> {
    let (name, bytes) = orders::docs::acknowledgment_pdf(
        &s.db,
        &ctx,
        id,
        &s.cfg.public_base_url,
        usinage_app::paris_today(),
    )
    .await?;
    Ok(pdf_response(&name, bytes))
}

#[utoipa::path(get, path = "/api/v1/deliveries/{id}/pdf", tag = "orders", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/pdf", description = "Delivery note (bon de livraison)"), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn delivery_pdf(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    Id(id): Id,
) -> ApiResult<Response> {
    let (name, bytes) = orders::docs::delivery_pdf(
        &s.db,
        &ctx,
        id,
        &s.cfg.public_base_url,
        usinage_app::paris_today(),
    )
    .await?;
    Ok(pdf_response(&name, bytes))
}

#[utoipa::path(post, path = "/api/v1/orders/{id}/deliveries", tag = "orders", security(("bearer" = [])), params(("id" = i64, Path)), request_body = DeliveryInput,
    responses((status = 201, body = OrderView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn deliver(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    Id(id): Id,
    ApiJson(i): ApiJson<DeliveryInput>,
) -> ApiResult<(StatusCode, Json<OrderView>)> {
    let v = deliveries::create(&s.db, &ctx, id, i, lang.english).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

#[utoipa::path(get, path = "/api/v1/orders/{id}/po-file", tag = "orders", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, description = "The customer's purchase order as received", content(("application/pdf"), ("image/png"), ("image/jpeg"), ("image/tiff"), ("application/octet-stream"))), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn po_file(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    Id(id): Id,
) -> ApiResult<Response> {
    let (name, content_type, bytes) = po_import::po_file(&s.db, &ctx, id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_DISPOSITION, disposition(true, &name)),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; sandbox".to_string(),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// The multipart form of a PO import.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct PoUpload {
    /// The customer's PO (PDF with text, scanned PDF, PNG/JPEG/TIFF).
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

#[utoipa::path(post, path = "/api/v1/orders/po-import", tag = "orders", security(("bearer" = [])),
    request_body(content = PoUpload, content_type = "multipart/form-data"),
    responses((status = 200, body = PoImportView, description = "The PO as read, matched to a quote: to confirm"), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn po_import(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    form: Result<Multipart, MultipartRejection>,
) -> ApiResult<Json<PoImportView>> {
    ctx.require(Module::Orders, Action::Create)?;
    let mut form = form.map_err(bad_form)?;
    let mut file = None;
    while let Some(field) = form.next_field().await.map_err(multipart_error)? {
        if matches!(field.name().unwrap_or(""), "file" | "files" | "files[]") {
            let filename = field.file_name().unwrap_or("commande.pdf").to_string();
            let bytes = field.bytes().await.map_err(multipart_error)?;
            if bytes.len() > MAX_BYTES {
                return Err(too_large());
            }
            file = Some((filename, bytes.to_vec()));
        }
    }
    let Some((filename, bytes)) = file else {
        return Err(usinage_app::AppError::field(
            "file",
            "required",
            "Joignez le bon de commande du client (PDF ou image).",
            "Attach the customer's purchase order (PDF or image).",
        )
        .into());
    };
    Ok(Json(
        po_import::import(&s.db, &ctx, &filename, bytes, lang.english).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/orders/po-import/confirm", tag = "orders", security(("bearer" = [])), request_body = PoConfirm,
    responses((status = 200, body = OrderView, description = "The quote's order, completed with the PO"), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn po_confirm(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    ApiJson(c): ApiJson<PoConfirm>,
) -> ApiResult<Json<OrderView>> {
    Ok(Json(
        po_import::confirm(&s.db, &ctx, c, lang.english).await?,
    ))
}
