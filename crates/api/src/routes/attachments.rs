//! Attached files: `GET/POST /api/v1/attachments`, `GET /api/v1/attachments/{id}/content`,
//! `DELETE /api/v1/attachments/{id}`. Rights are those of the record the file belongs to.

use crate::AppState;
use crate::extract::{ApiQuery, Auth, Id, Lang};
use crate::problem::{ApiError, ApiResult, Problem};
use axum::Json;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use usinage_app::attachments::{self, AttachmentView, NewAttachment};
use usinage_app::error::AppError;

/// Room for the largest file plus the multipart envelope.
pub const UPLOAD_LIMIT_BYTES: usize = attachments::MAX_BYTES + 64 * 1024;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AttachmentListParams {
    /// Record kind as in the UI path: clients, suppliers, machines, instruments, employees,
    /// tools, materials, material-lots, material-stock
    pub entity: String,
    pub entity_id: String,
}

/// The multipart form of an upload.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct AttachmentUpload {
    entity: String,
    entity_id: i64,
    /// document, certificat, plan, photo, fiche_securite, autre (default document)
    kind: Option<String>,
    note: Option<String>,
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

#[utoipa::path(get, path = "/api/v1/attachments", tag = "attachments", security(("bearer" = [])), params(AttachmentListParams),
    responses((status = 200, body = Vec<AttachmentView>), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn list(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    ApiQuery(p): ApiQuery<AttachmentListParams>,
) -> ApiResult<Json<Vec<AttachmentView>>> {
    let id = p
        .entity_id
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|v| *v > 0)
        .ok_or_else(|| {
            AppError::field(
                "entity_id",
                "invalid_number",
                "Le numéro de l'enregistrement doit être un entier positif.",
                "The record id must be a positive integer.",
            )
        })?;
    Ok(Json(
        attachments::list(&s.db, &ctx, p.entity.trim(), id, lang.english).await?,
    ))
}

pub(crate) fn bad_form(detail: impl std::fmt::Display) -> ApiError {
    tracing::debug!(%detail, "multipart rejected");
    ApiError(AppError::bad_request(
        "Formulaire d'envoi illisible : envoyez un multipart/form-data avec les champs entity, entity_id et file.",
        "Unreadable upload form: send multipart/form-data with the fields entity, entity_id and file.",
    ))
}

pub(crate) fn too_large() -> ApiError {
    ApiError(AppError::field(
        "file",
        "too_large",
        format!(
            "Le fichier dépasse la taille permise ({} Mo).",
            attachments::MAX_BYTES / 1024 / 1024
        ),
        format!(
            "The file exceeds the allowed size ({} MB).",
            attachments::MAX_BYTES / 1024 / 1024
        ),
    ))
}

/// Maps a multipart read error: too large → 413 problem, anything else → unreadable form.
pub(crate) fn multipart_error(e: axum::extract::multipart::MultipartError) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        too_large()
    } else {
        bad_form(e)
    }
}

pub(crate) async fn text_field(
    field: axum::extract::multipart::Field<'_>,
) -> Result<String, ApiError> {
    let t = field.text().await.map_err(bad_form)?;
    if t.len() > 4000 {
        return Err(ApiError(AppError::bad_request(
            "Champ de formulaire trop long.",
            "Form field too long.",
        )));
    }
    Ok(t)
}

#[utoipa::path(post, path = "/api/v1/attachments", tag = "attachments", security(("bearer" = [])),
    request_body(content = AttachmentUpload, content_type = "multipart/form-data"),
    responses((status = 201, body = AttachmentView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn upload(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    form: Result<Multipart, MultipartRejection>,
) -> ApiResult<(StatusCode, Json<AttachmentView>)> {
    let mut form = form.map_err(bad_form)?;
    let mut n = NewAttachment::default();
    let mut bad_id = false;
    while let Some(field) = form.next_field().await.map_err(multipart_error)? {
        match field.name().unwrap_or("") {
            "entity" => n.entity = text_field(field).await?,
            "entity_id" => {
                let t = text_field(field).await?;
                n.entity_id = t.trim().parse().ok();
                bad_id = n.entity_id.is_none();
            }
            "kind" => n.kind = Some(text_field(field).await?),
            "note" => n.note = Some(text_field(field).await?),
            "file" => {
                n.filename = field.file_name().map(str::to_string);
                let bytes = field.bytes().await.map_err(multipart_error)?;
                n.bytes = Some(bytes.to_vec());
            }
            _ => {}
        }
    }
    if bad_id {
        n.entity_id = Some(0);
    }
    let v = attachments::upload(&s.db, &ctx, n, lang.english).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// RFC 6266 `Content-Disposition` with an ASCII fallback and the UTF-8 name.
pub(crate) fn disposition(inline: bool, filename: &str) -> String {
    let ascii: String = filename
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for b in filename.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!(
        "{}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}",
        if inline { "inline" } else { "attachment" }
    )
}

#[utoipa::path(get, path = "/api/v1/attachments/{id}/content", tag = "attachments", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, description = "The file (type sniffed from its bytes)", content(("application/pdf"), ("image/png"), ("image/jpeg"), ("image/tiff"), ("image/gif"), ("image/webp"), ("model/step"), ("text/plain"), ("application/zip"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), ("application/vnd.openxmlformats-officedocument.wordprocessingml.document"), ("application/octet-stream"))), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn content(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    Id(id): Id,
) -> ApiResult<Response> {
    let (a, bytes) = attachments::content(&s.db, &ctx, id).await?;
    // Only inert formats are shown in the browser; anything else is a download.
    let inline = matches!(
        a.content_type.as_str(),
        "application/pdf" | "image/png" | "image/jpeg" | "image/gif" | "image/webp"
    );
    Ok((
        [
            (header::CONTENT_TYPE, a.content_type.clone()),
            (
                header::CONTENT_DISPOSITION,
                disposition(inline, &a.filename),
            ),
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

#[utoipa::path(delete, path = "/api/v1/attachments/{id}", tag = "attachments", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 204, description = "Deleted"), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn delete(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    Id(id): Id,
) -> ApiResult<StatusCode> {
    attachments::delete(&s.db, &ctx, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    #[test]
    fn disposition_keeps_utf8_names() {
        assert_eq!(
            super::disposition(false, "Certificat 3.1 — lot «A».pdf"),
            "attachment; filename=\"Certificat 3.1 _ lot _A_.pdf\"; filename*=UTF-8''Certificat%203.1%20%E2%80%94%20lot%20%C2%ABA%C2%BB.pdf"
        );
    }
}
