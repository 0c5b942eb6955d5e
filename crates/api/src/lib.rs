//! HTTP API of Gestion Usinage: axum routes under `/api/v1`, authentication and rights
//! extractors, RFC 9457 problem+json, OpenAPI 3.1, and the embedded web UI.
//! Handlers only translate HTTP to service calls: rules live in `usinage_app`.

pub mod extract;
pub mod problem;
pub mod routes;
pub mod static_ui;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, Request};
use std::sync::Arc;
use std::time::Duration;
use tower::ServiceBuilder;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use usinage_app::quotes::worker::Analyzer;
use usinage_app::throttle::Throttle;
use usinage_store::Db;

/// JSON bodies above this size get 413. Drawings and imports will use their own upload routes.
pub const BODY_LIMIT_BYTES: usize = 2 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct ApiConfig {
    /// Absolute base URL of the UI as seen from phones (what QR codes encode),
    /// e.g. `http://atelier.local:8080`.
    pub public_base_url: String,
    /// Serve the web UI to plain browsers (on for the PWA and tests; can be turned off).
    pub serve_ui: bool,
    pub demo: bool,
}

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub cfg: Arc<ApiConfig>,
    pub throttle: Arc<Throttle>,
    /// Background analysis of quote drawings.
    pub analyzer: Arc<Analyzer>,
    /// Live shop-floor events (server-sent events).
    pub bus: usinage_app::shopfloor::events::Bus,
}

impl AppState {
    /// Also starts the drawing analysis worker (needs a Tokio runtime).
    pub fn new(db: Db, cfg: ApiConfig) -> Self {
        AppState {
            analyzer: Analyzer::start(db.clone()),
            bus: usinage_app::shopfloor::events::Bus::default(),
            db,
            cfg: Arc::new(cfg),
            throttle: Arc::new(Throttle::default()),
        }
    }
}

/// The API contract's version (`/api/v1/info` → `api_version`); raised on a breaking change.
pub const API_VERSION: u32 = 1;

pub static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The whole application: API, docs, health, UI.
pub fn router(state: AppState) -> Router {
    let (api, openapi) = routes::api_router().split_for_parts();
    let openapi = routes::finish_openapi(openapi);
    let serve_ui = state.cfg.serve_ui;
    let mut app = Router::new()
        .merge(api)
        .merge(utoipa_swagger_ui::SwaggerUi::new("/api/docs").url("/api/v1/openapi.json", openapi))
        .route("/healthz", axum::routing::get(routes::health::healthz))
        .route("/readyz", axum::routing::get(routes::health::readyz))
        .route("/api/{*rest}", axum::routing::any(problem::api_not_found))
        .route("/api", axum::routing::any(problem::api_not_found));
    app = if serve_ui {
        app.fallback(static_ui::serve)
    } else {
        app.fallback(problem::api_not_found)
    };
    app.with_state(state).layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES)).layer(
        ServiceBuilder::new()
            .layer(SetRequestIdLayer::new(REQUEST_ID.clone(), MakeRequestUuid))
            .layer(TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
                let rid = req.headers().get(&REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
                tracing::info_span!("http", method = %req.method(), path = %req.uri().path(), request_id = %rid)
            }))
            .layer(PropagateRequestIdLayer::new(REQUEST_ID.clone()))
            .layer(axum::middleware::from_fn(problem::render_problems))
            // A panic is a bug, but the caller still gets a problem+json 500 (rendered by the
            // layer above) instead of a dropped connection, and the server keeps serving.
            .layer(tower_http::catch_panic::CatchPanicLayer::new())
            .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::SERVICE_UNAVAILABLE, Duration::from_secs(60))),
    )
}
