//! QR label sheets as PDF (A4, 3 × 8 labels of 70 × 37 mm).

use crate::AppState;
use crate::extract::{ApiJson, Auth};
use crate::problem::{ApiError, ApiResult, Problem};
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use usinage_app::error::{AppError, Validator};
use usinage_app::rights::Action;
use usinage_documents::labels::{Label, sheet};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct LabelRequest {
    /// Entity path as in record URLs, e.g. `users`.
    pub entity: String,
    /// Record ids, in label order (1–240).
    pub ids: Vec<i64>,
    /// Labels already used on the first sheet (0–23), left blank.
    #[serde(default)]
    pub skip: usize,
}

/// Title and subtitle of one record's label; each entity with a QR adds its case here.
async fn label_of(
    s: &AppState,
    ctx: &usinage_app::Ctx,
    entity: &str,
    id: i64,
) -> Result<Label, AppError> {
    let url = format!(
        "{}/{entity}/{id}",
        s.cfg.public_base_url.trim_end_matches('/')
    );
    match entity {
        "users" => {
            let u = usinage_app::users::get(&s.db, ctx, id).await?;
            Ok(Label {
                title: u.login,
                subtitle: u.full_name,
                url,
            })
        }
        _ => Err(AppError::not_found("Type d'enregistrement", "Record type")),
    }
}

#[utoipa::path(post, path = "/api/v1/labels", tag = "qr", security(("bearer" = [])), request_body = LabelRequest,
    responses((status = 200, content_type = "application/pdf", description = "PDF label sheet(s)"), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn labels(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    ApiJson(req): ApiJson<LabelRequest>,
) -> ApiResult<Response> {
    let module = super::qr::module_of(&req.entity)
        .ok_or_else(|| ApiError(AppError::not_found("Type d'enregistrement", "Record type")))?;
    ctx.require(module, Action::Read)?;
    let mut v = Validator::default();
    if req.ids.is_empty() || req.ids.len() > 240 {
        v.add(
            "ids",
            "invalid_count",
            "Choisissez entre 1 et 240 étiquettes.",
            "Choose between 1 and 240 labels.",
        );
    }
    if req.skip > 23 {
        v.add(
            "skip",
            "invalid_skip",
            "Le nombre d'étiquettes déjà utilisées va de 0 à 23.",
            "Used labels range from 0 to 23.",
        );
    }
    v.finish()?;
    let mut labels = Vec::with_capacity(req.ids.len());
    for id in &req.ids {
        labels.push(label_of(&s, &ctx, &req.entity, *id).await?);
    }
    let today = chrono::Utc::now().date_naive();
    let pdf = tokio::task::spawn_blocking(move || sheet(&labels, req.skip, today))
        .await
        .map_err(|_| AppError::internal("PDF"))?
        .map_err(|e| {
            tracing::error!(error = %e, "label sheet");
            AppError::internal("PDF")
        })?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"etiquettes-{}.pdf\"", req.entity),
            ),
        ],
        pdf,
    )
        .into_response())
}
