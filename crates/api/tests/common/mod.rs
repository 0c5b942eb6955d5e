//! `TestApp`: every API test goes through the real router against a fresh SQLite database and,
//! when `USINAGE_TEST_POSTGRES_URL` is set, against a fresh PostgreSQL schema too.
#![allow(dead_code)]

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;
use usinage_api::{ApiConfig, AppState};
use usinage_store::Db;

pub const BASE_URL: &str = "http://atelier.test:8080";
pub const DEMO_PASSWORD: &str = "usinage-demo";

pub struct TestApp {
    pub db: Db,
    pub router: Router,
    pub backend: &'static str,
    cleanup: Option<(String, String)>,
    _dir: Option<TempDir>,
}

/// A temporary directory removed on drop.
pub struct TempDir(pub std::path::PathBuf);

impl TempDir {
    pub fn new(prefix: &str) -> TempDir {
        let p = std::env::temp_dir().join(format!("{prefix}-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&p).expect("temp dir");
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub struct Resp {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub bytes: Vec<u8>,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes).unwrap_or_else(|_| {
            panic!(
                "not JSON ({}): {}",
                self.status,
                String::from_utf8_lossy(&self.bytes)
            )
        })
    }
    pub fn content_type(&self) -> String {
        self.headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    }
    #[track_caller]
    pub fn assert(&self, status: u16) -> &Self {
        assert_eq!(
            self.status.as_u16(),
            status,
            "body: {}",
            String::from_utf8_lossy(&self.bytes)
        );
        self
    }
    /// Asserts a problem+json error with this status and code, and returns it.
    #[track_caller]
    pub fn problem(&self, status: u16, code: &str) -> Value {
        self.assert(status);
        assert!(
            self.content_type().starts_with("application/problem+json"),
            "content-type {}",
            self.content_type()
        );
        let j = self.json();
        assert_eq!(j["code"], code, "{j}");
        assert_eq!(j["status"], status);
        assert!(j["request_id"].as_str().is_some_and(|s| !s.is_empty()));
        j
    }
}

impl TestApp {
    pub async fn sqlite() -> TestApp {
        let dir = TempDir::new("usinage-test");
        let url = format!("sqlite://{}?mode=rwc", dir.0.join("t.db").display());
        let db = Db::connect(&url, None).await.expect("sqlite");
        Self::finish(db, "sqlite", None, Some(dir)).await
    }

    pub async fn postgres(url: &str) -> TestApp {
        let schema = format!("t_{}", uuid::Uuid::new_v4().simple());
        let admin = Db::connect(url, None).await.expect("postgres");
        use sea_orm::ConnectionTrait;
        admin
            .conn
            .execute_unprepared(&format!("CREATE SCHEMA {schema}"))
            .await
            .expect("schema");
        let db = Db::connect(url, Some(&schema))
            .await
            .expect("postgres schema");
        Self::finish(db, "postgres", Some((url.to_string(), schema)), None).await
    }

    async fn finish(
        db: Db,
        backend: &'static str,
        cleanup: Option<(String, String)>,
        dir: Option<TempDir>,
    ) -> TestApp {
        db.migrate().await.expect("migrate");
        usinage_app::bootstrap::ensure_initialized(&db, false)
            .await
            .expect("bootstrap");
        let state = AppState::new(
            db.clone(),
            ApiConfig {
                public_base_url: BASE_URL.into(),
                serve_ui: true,
                demo: true,
            },
        );
        let router = usinage_api::router(state);
        TestApp {
            db,
            router,
            backend,
            cleanup,
            _dir: dir,
        }
    }

    /// Loads the demo shop (one account per role).
    pub async fn with_demo(self) -> TestApp {
        usinage_app::demo::load(&self.db).await.expect("demo");
        self
    }

    /// Every backend configured for this run.
    pub async fn all() -> Vec<TestApp> {
        let mut v = vec![TestApp::sqlite().await];
        if let Ok(url) = std::env::var("USINAGE_TEST_POSTGRES_URL")
            && !url.is_empty()
        {
            v.push(TestApp::postgres(&url).await);
        }
        v
    }

    pub async fn close(self) {
        if let Some((url, schema)) = &self.cleanup {
            use sea_orm::ConnectionTrait;
            self.db.conn.clone().close().await.ok();
            let admin = Db::connect(url, None).await.expect("postgres");
            admin
                .conn
                .execute_unprepared(&format!("DROP SCHEMA {schema} CASCADE"))
                .await
                .expect("drop schema");
        }
    }

    pub async fn request(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
        extra: &[(&str, &str)],
    ) -> Resp {
        let mut b = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        for (k, v) in extra {
            b = b.header(*k, *v);
        }
        let req = match body {
            Some(j) => b
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(j.to_string()))
                .unwrap(),
            None => b.body(Body::empty()).unwrap(),
        };
        self.send(req).await
    }

    pub async fn send(&self, req: Request<Body>) -> Resp {
        let res = self.router.clone().oneshot(req).await.expect("infallible");
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes()
            .to_vec();
        Resp {
            status,
            headers,
            bytes,
        }
    }

    pub async fn get(&self, path: &str, token: &str) -> Resp {
        self.request(Method::GET, path, Some(token), None, &[])
            .await
    }
    pub async fn post(&self, path: &str, token: &str, body: Value) -> Resp {
        self.request(Method::POST, path, Some(token), Some(body), &[])
            .await
    }
    pub async fn patch(&self, path: &str, token: &str, body: Value) -> Resp {
        self.request(Method::PATCH, path, Some(token), Some(body), &[])
            .await
    }
    pub async fn put(&self, path: &str, token: &str, body: Value) -> Resp {
        self.request(Method::PUT, path, Some(token), Some(body), &[])
            .await
    }

    pub async fn login_with(&self, login: &str, password: &str) -> Resp {
        self.request(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(serde_json::json!({"login": login, "password": password})),
            &[],
        )
        .await
    }

    /// Logs in a demo account and returns its access token.
    pub async fn login(&self, login: &str) -> String {
        let r = self.login_with(login, DEMO_PASSWORD).await;
        r.assert(200);
        r.json()["access_token"]
            .as_str()
            .expect("token")
            .to_string()
    }

    pub async fn count(&self, table: &str) -> i64 {
        use sea_orm::{ConnectionTrait, Statement};
        let row = self
            .db
            .conn
            .query_one_raw(Statement::from_string(
                self.db.db_backend(),
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await
            .unwrap()
            .unwrap();
        row.try_get::<i64>("", "n").unwrap()
    }

    pub async fn exec(&self, sql: &str) {
        use sea_orm::ConnectionTrait;
        self.db.conn.execute_unprepared(sql).await.expect("sql");
    }
}

/// Runs a test body on every configured backend, naming the backend on failure.
#[macro_export]
macro_rules! on_all_backends {
    ($($(#[$m:meta])* async fn $name:ident($app:ident) $body:block)*) => {
        $(
            $(#[$m])*
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                for $app in common::TestApp::all().await {
                    let backend = $app.backend;
                    eprintln!("-- {} on {backend}", stringify!($name));
                    let $app = $body;
                    $app.close().await;
                }
            }
        )*
    };
}
