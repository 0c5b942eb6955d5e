//! RFC 9457 problem+json. Services return `AppError`; handlers wrap it in [`ApiError`], which
//! only marks the response; [`render_problems`] then writes the body once, in the caller's
//! language and with the request id. Errors produced by axum itself (404, 405, 413, bad JSON…)
//! on `/api` are rewritten to the same format, so a client sees one error grammar.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use usinage_app::error::{AppError, Kind};

pub const ERROR_TYPE_BASE: &str = "https://gestion-usinage.fr/errors/";

/// Wrapper returned by handlers.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError(e)
    }
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(e: sea_orm::DbErr) -> Self {
        ApiError(e.into())
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

pub fn status_of(kind: Kind) -> StatusCode {
    match kind {
        Kind::BadRequest => StatusCode::BAD_REQUEST,
        Kind::Unauthenticated => StatusCode::UNAUTHORIZED,
        Kind::Forbidden => StatusCode::FORBIDDEN,
        Kind::NotFound => StatusCode::NOT_FOUND,
        Kind::Conflict => StatusCode::CONFLICT,
        Kind::Validation => StatusCode::UNPROCESSABLE_ENTITY,
        Kind::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
        Kind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        Kind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut res = status_of(self.0.kind).into_response();
        res.extensions_mut().insert(self.0);
        res
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ProblemField {
    pub field: String,
    pub code: String,
    pub message: String,
}

/// RFC 9457 problem details.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub type_: String,
    pub title: String,
    pub status: u16,
    pub code: String,
    pub detail: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemField>,
    pub request_id: String,
}

pub fn wants_english(h: &HeaderMap) -> bool {
    h.get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|s| s.split(',').next())
        .map(|first| first.trim().to_ascii_lowercase().starts_with("en"))
        .unwrap_or(false)
}

fn title(status: StatusCode, english: bool) -> &'static str {
    match (status.as_u16(), english) {
        (400, false) => "Requête invalide",
        (400, true) => "Bad request",
        (401, false) => "Authentification requise",
        (401, true) => "Authentication required",
        (403, false) => "Accès refusé",
        (403, true) => "Forbidden",
        (404, false) => "Introuvable",
        (404, true) => "Not found",
        (405, false) => "Méthode non autorisée",
        (405, true) => "Method not allowed",
        (409, false) => "Conflit",
        (409, true) => "Conflict",
        (413, false) => "Requête trop volumineuse",
        (413, true) => "Payload too large",
        (415, false) => "Type de contenu non pris en charge",
        (415, true) => "Unsupported media type",
        (422, false) => "Données invalides",
        (422, true) => "Invalid data",
        (429, false) => "Trop de requêtes",
        (429, true) => "Too many requests",
        (503, false) => "Service indisponible",
        (503, true) => "Service unavailable",
        (_, false) => "Erreur interne",
        (_, true) => "Internal error",
    }
}

fn generic(status: StatusCode) -> AppError {
    let (kind, code, fr, en) = match status.as_u16() {
        404 => (
            Kind::NotFound,
            "not_found",
            "Cette adresse n'existe pas dans l'API.",
            "This address does not exist in the API.",
        ),
        405 => (
            Kind::BadRequest,
            "method_not_allowed",
            "Cette méthode HTTP n'est pas permise sur cette adresse.",
            "This HTTP method is not allowed on this address.",
        ),
        413 => (
            Kind::BadRequest,
            "payload_too_large",
            "Le corps de la requête dépasse la taille permise (2 Mo).",
            "The request body exceeds the allowed size (2 MB).",
        ),
        415 => (
            Kind::BadRequest,
            "unsupported_media_type",
            "Le corps doit être du JSON (Content-Type: application/json).",
            "The body must be JSON (Content-Type: application/json).",
        ),
        408 | 503 => (
            Kind::Unavailable,
            "unavailable",
            "Le serveur n'a pas pu répondre à temps ; réessayez.",
            "The server could not answer in time; try again.",
        ),
        s if s < 500 => (
            Kind::BadRequest,
            "bad_request",
            "Requête invalide.",
            "Bad request.",
        ),
        _ => (
            Kind::Internal,
            "internal",
            "Erreur interne. L'incident est journalisé.",
            "Internal error. The incident is logged.",
        ),
    };
    AppError::new(kind, code, fr, en)
}

pub fn render(status: StatusCode, err: &AppError, english: bool, request_id: &str) -> Response {
    let body = Problem {
        type_: format!("{ERROR_TYPE_BASE}{}", err.code),
        title: title(status, english).to_string(),
        status: status.as_u16(),
        code: err.code.to_string(),
        detail: err.detail.get(english).to_string(),
        errors: err
            .errors
            .iter()
            .map(|f| ProblemField {
                field: f.field.clone(),
                code: f.code.clone(),
                message: f.message.get(english).to_string(),
            })
            .collect(),
        request_id: request_id.to_string(),
    };
    let mut res = Response::new(Body::from(serde_json::to_vec(&body).unwrap_or_default()));
    *res.status_mut() = status;
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    res.headers_mut().insert(
        header::CONTENT_LANGUAGE,
        HeaderValue::from_static(if english { "en" } else { "fr" }),
    );
    if let Kind::TooManyRequests { retry_after_secs } = err.kind
        && let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string())
    {
        res.headers_mut().insert(header::RETRY_AFTER, v);
    }
    if status == StatusCode::UNAUTHORIZED {
        res.headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    res
}

/// Middleware writing every error body.
pub async fn render_problems(req: Request, next: Next) -> Response {
    let english = wants_english(req.headers());
    let rid = req
        .headers()
        .get(&crate::REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
        .to_string();
    let is_api = req.uri().path().starts_with("/api/") || req.uri().path() == "/api";
    let mut res = next.run(req).await;
    let status = res.status();
    if let Some(err) = res.extensions_mut().remove::<AppError>() {
        if status.is_server_error() {
            tracing::error!(code = err.code, detail = %err.detail.en, "server error");
        }
        return render(status, &err, english, &rid);
    }
    let is_problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"));
    if is_api && (status.is_client_error() || status.is_server_error()) && !is_problem {
        if status.is_server_error() {
            tracing::error!(status = status.as_u16(), "unhandled server error");
        }
        return render(status, &generic(status), english, &rid);
    }
    res
}

pub async fn api_not_found() -> ApiError {
    ApiError(AppError::new(
        Kind::NotFound,
        "not_found",
        "Cette adresse n'existe pas dans l'API.",
        "This address does not exist in the API.",
    ))
}
