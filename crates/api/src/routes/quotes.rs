//! Quotes: `/api/v1/quotes` (list, create, get, patch, delete, status, drawings upload, manual
//! line, PDF) and `/api/v1/quote-lines/{id}` (get, patch, delete, reanalyze, drawing, page
//! images), `/api/v1/quote-prices` (purchase and treatment prices used by the estimate). See
//! `docs/quotes.md`.

use super::attachments::{bad_form, disposition, multipart_error, text_field, too_large};
use super::instruments::paris_today;
use crate::AppState;
use crate::extract::{ApiJson, ApiQuery, Auth, Id, Lang, SubId};
use crate::problem::{ApiResult, Problem};
use axum::Json;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use usinage_app::attachments::MAX_BYTES;
use usinage_app::listing::{ListParams, ListQuery, Page};
use usinage_app::quotes::lines::{self, LinePatch, LineView, Upload};
use usinage_app::quotes::shop::{QUOTE_PRICES, QuotePrices};
use usinage_app::quotes::{self, QuoteFilter, QuoteInput, QuoteSummary, QuoteView, StatusChange};
use usinage_app::rights::{Action, Module};

/// Room for [`lines::MAX_FILES`] drawings of a usual size, capped at 200 MB.
pub const UPLOAD_LIMIT_BYTES: usize = 200 * 1024 * 1024;

#[utoipa::path(get, path = "/api/v1/quotes", tag = "quotes", security(("bearer" = [])), params(ListParams, QuoteFilter),
    responses((status = 200, body = Page<QuoteSummary>), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn list(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    ApiQuery(p): ApiQuery<ListParams>,
    ApiQuery(f): ApiQuery<QuoteFilter>,
) -> ApiResult<Json<Page<QuoteSummary>>> {
    let q = ListQuery::parse(&p, quotes::SORTABLE)?;
    Ok(Json(quotes::list(&s.db, &ctx, &q, &f, lang.english).await?))
}

#[utoipa::path(post, path = "/api/v1/quotes", tag = "quotes", security(("bearer" = [])), request_body = QuoteInput,
    responses((status = 201, body = QuoteView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    ApiJson(i): ApiJson<QuoteInput>,
) -> ApiResult<(StatusCode, Json<QuoteView>)> {
    let v = quotes::create(&s.db, &ctx, i, paris_today(), lang.english).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

#[utoipa::path(get, path = "/api/v1/quotes/{id}", tag = "quotes", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = QuoteView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    Id(id): Id,
) -> ApiResult<Json<QuoteView>> {
    Ok(Json(quotes::get(&s.db, &ctx, id, lang.english).await?))
}

#[utoipa::path(patch, path = "/api/v1/quotes/{id}", tag = "quotes", security(("bearer" = [])), params(("id" = i64, Path)), request_body = QuoteInput,
    responses((status = 200, body = QuoteView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn patch(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    Id(id): Id,
    ApiJson(i): ApiJson<QuoteInput>,
) -> ApiResult<Json<QuoteView>> {
    Ok(Json(
        quotes::update(&s.db, &ctx, id, i, paris_today(), lang.english).await?,
    ))
}

#[utoipa::path(delete, path = "/api/v1/quotes/{id}", tag = "quotes", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 204, description = "Deleted"), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn delete(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    Id(id): Id,
) -> ApiResult<StatusCode> {
    quotes::delete(&s.db, &ctx, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/quotes/{id}/status", tag = "quotes", security(("bearer" = [])), params(("id" = i64, Path)), request_body = StatusChange,
    responses((status = 200, body = QuoteView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn status(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    Id(id): Id,
    ApiJson(c): ApiJson<StatusChange>,
) -> ApiResult<Json<QuoteView>> {
    Ok(Json(
        quotes::set_status(&s.db, &ctx, id, c, lang.english).await?,
    ))
}

/// The multipart form of a drawings upload.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct DrawingsUpload {
    /// Quantity breaks for every line, e.g. "1, 10, 50" (optional).
    quantities: Option<String>,
    /// One or many files (repeat the field).
    #[schema(value_type = Vec<String>, format = Binary)]
    file: Vec<Vec<u8>>,
}

#[utoipa::path(post, path = "/api/v1/quotes/{id}/drawings", tag = "quotes", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body(content = DrawingsUpload, content_type = "multipart/form-data"),
    responses((status = 202, body = Vec<LineView>, description = "Lines created, analysis queued"), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn upload(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    Id(id): Id,
    form: Result<Multipart, MultipartRejection>,
) -> ApiResult<(StatusCode, Json<Vec<LineView>>)> {
    ctx.require(Module::Quotes, Action::Update)?;
    let mut form = form.map_err(bad_form)?;
    let mut files = Vec::new();
    let mut quantities = None;
    while let Some(field) = form.next_field().await.map_err(multipart_error)? {
        match field.name().unwrap_or("") {
            "quantities" => quantities = Some(text_field(field).await?),
            "file" | "files" | "files[]" => {
                let filename = field.file_name().unwrap_or("plan").to_string();
                let bytes = field.bytes().await.map_err(multipart_error)?;
                if bytes.len() > MAX_BYTES {
                    return Err(too_large());
                }
                files.push(Upload {
                    filename,
                    bytes: bytes.to_vec(),
                });
            }
            _ => {}
        }
    }
    let quantities = lines::quantities_field(quantities.as_deref())?;
    let out = lines::add_drawings(&s.db, &ctx, id, files, quantities, lang.english).await?;
    s.analyzer.wake();
    Ok((StatusCode::ACCEPTED, Json(out)))
}

#[utoipa::path(post, path = "/api/v1/quotes/{id}/lines", tag = "quotes", security(("bearer" = [])), params(("id" = i64, Path)), request_body = LinePatch,
    responses((status = 201, body = LineView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn add_line(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    Id(id): Id,
    ApiJson(p): ApiJson<LinePatch>,
) -> ApiResult<(StatusCode, Json<LineView>)> {
    let v = lines::add_manual(&s.db, &ctx, id, p, lang.english).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

#[utoipa::path(get, path = "/api/v1/quotes/{id}/pdf", tag = "quotes", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/pdf", description = "The quote as PDF"), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn pdf(State(s): State<AppState>, Auth(ctx): Auth, Id(id): Id) -> ApiResult<Response> {
    let (name, bytes) =
        quotes::doc::pdf(&s.db, &ctx, id, Some(&s.cfg.public_base_url), paris_today()).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (header::CONTENT_DISPOSITION, disposition(true, &name)),
        ],
        bytes,
    )
        .into_response())
}

#[utoipa::path(get, path = "/api/v1/quote-lines/{id}", tag = "quotes", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = LineView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get_line(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    Id(id): Id,
) -> ApiResult<Json<LineView>> {
    Ok(Json(lines::get(&s.db, &ctx, id, lang.english).await?))
}

#[utoipa::path(patch, path = "/api/v1/quote-lines/{id}", tag = "quotes", security(("bearer" = [])), params(("id" = i64, Path)), request_body = LinePatch,
    responses((status = 200, body = LineView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn patch_line(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    Id(id): Id,
    ApiJson(p): ApiJson<LinePatch>,
) -> ApiResult<Json<LineView>> {
    Ok(Json(lines::patch(&s.db, &ctx, id, p, lang.english).await?))
}

#[utoipa::path(delete, path = "/api/v1/quote-lines/{id}", tag = "quotes", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 204, description = "Deleted"), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn delete_line(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    Id(id): Id,
) -> ApiResult<StatusCode> {
    lines::delete(&s.db, &ctx, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/quote-lines/{id}/reanalyze", tag = "quotes", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 202, body = LineView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn reanalyze(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    Id(id): Id,
) -> ApiResult<(StatusCode, Json<LineView>)> {
    let v = lines::reanalyze(&s.db, &ctx, id, lang.english).await?;
    s.analyzer.wake();
    Ok((StatusCode::ACCEPTED, Json(v)))
}

#[utoipa::path(get, path = "/api/v1/quote-lines/{id}/drawing", tag = "quotes", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, description = "The drawing as uploaded (type sniffed from its bytes)", content(("application/pdf"), ("image/png"), ("image/jpeg"), ("image/tiff"), ("image/gif"), ("image/webp"), ("model/step"), ("text/plain"), ("application/zip"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), ("application/vnd.openxmlformats-officedocument.wordprocessingml.document"), ("application/octet-stream"))), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn drawing(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    Id(id): Id,
) -> ApiResult<Response> {
    let (name, content_type, bytes) = lines::drawing(&s.db, &ctx, id).await?;
    let inline = matches!(
        content_type.as_str(),
        "application/pdf" | "image/png" | "image/jpeg"
    );
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_DISPOSITION, disposition(inline, &name)),
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

#[utoipa::path(get, path = "/api/v1/quote-lines/{id}/pages/{page}", tag = "quotes", security(("bearer" = [])), params(("id" = i64, Path), ("page" = u32, Path, description = "1-based page number")),
    responses((status = 200, content_type = "image/png", description = "The page as PNG"), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn page(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    SubId(id, page): SubId,
) -> ApiResult<Response> {
    let png = lines::page_png(&s.db, &ctx, id, u32::try_from(page).unwrap_or(0)).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/png".to_string()),
            (header::CACHE_CONTROL, "private, max-age=300".to_string()),
        ],
        png,
    )
        .into_response())
}

#[utoipa::path(get, path = "/api/v1/quote-prices", tag = "quotes", security(("bearer" = [])),
    responses((status = 200, body = QuotePrices), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn get_prices(
    State(s): State<AppState>,
    Auth(ctx): Auth,
) -> ApiResult<Json<QuotePrices>> {
    ctx.require(Module::Quotes, Action::Read)?;
    Ok(Json(
        usinage_app::settings::get(&s.db.conn, QUOTE_PRICES)
            .await?
            .unwrap_or_default(),
    ))
}

#[utoipa::path(put, path = "/api/v1/quote-prices", tag = "quotes", security(("bearer" = [])), request_body = QuotePrices,
    responses((status = 200, body = QuotePrices), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn put_prices(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    ApiJson(p): ApiJson<QuotePrices>,
) -> ApiResult<Json<QuotePrices>> {
    Ok(Json(
        usinage_app::quotes::shop::save_prices(&s.db, &ctx, p).await?,
    ))
}
