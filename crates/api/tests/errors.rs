mod common;

use axum::http::Method;
use serde_json::json;

on_all_backends! {
    async fn every_error_is_problem_json_in_french_or_english(app) {
        let app = app.with_demo().await;
        let admin = app.login("admin").await;
        let p = app.get("/api/v1/nexiste/pas", &admin).await.problem(404, "not_found");
        assert_eq!(p["title"], "Introuvable");
        let p = app.request(Method::GET, "/api/v1/nexiste", None, None, &[("accept-language", "en")]).await.problem(404, "not_found");
        assert_eq!(p["title"], "Not found");
        app.request(Method::DELETE, "/api/v1/users", Some(&admin), None, &[]).await.problem(405, "method_not_allowed");
        app.get("/api/v1/users", "jeton-bidon").await.problem(401, "unauthenticated");
        app.request(Method::GET, "/api/v1/users", None, None, &[]).await.problem(401, "unauthenticated");
        app.get("/api/v1/users/abc", &admin).await.problem(404, "not_found");
        app.get("/api/v1/users/0", &admin).await.problem(404, "not_found");
        app.get("/api/v1/users/99999999999999999999", &admin).await.problem(404, "not_found");
        app.get("/api/v1/users/424242", &admin).await.problem(404, "not_found");
        app.get("/api/v1/users?page=-1", &admin).await.problem(422, "validation");
        app
    }

    async fn malformed_oversized_or_non_json_bodies_change_nothing(app) {
        let app = app.with_demo().await;
        let admin = app.login("admin").await;
        let users = app.count("users").await;
        let auth = format!("Bearer {admin}");
        let send = |body: Vec<u8>, ct: &'static str| {
            axum::http::Request::post("/api/v1/users").header("authorization", auth.clone()).header("content-type", ct).body(axum::body::Body::from(body)).unwrap()
        };
        app.send(send(b"{\"login\": ".to_vec(), "application/json")).await.problem(400, "bad_request");
        app.send(send(b"[1,2]".to_vec(), "application/json")).await.problem(422, "validation");
        app.send(send(b"login=x".to_vec(), "application/x-www-form-urlencoded")).await.problem(400, "unsupported_media_type");
        let big = format!("{{\"login\":\"x\",\"full_name\":\"{}\"}}", "a".repeat(3 * 1024 * 1024));
        app.send(send(big.into_bytes(), "application/json")).await.problem(400, "payload_too_large");
        app.post("/api/v1/users", &admin, json!({"login": "ok.login", "full_name": "Nom", "password": "Abcdefghij-1", "roles": ["operateur"], "active": "oui"})).await.problem(422, "validation");
        app.post("/api/v1/users", &admin, json!({"login": "ok.login", "full_name": "x".repeat(201), "password": "Abcdefghij-1", "roles": ["operateur"]})).await.problem(422, "validation");
        assert_eq!(app.count("users").await, users);
        app
    }

    async fn openapi_health_and_ui_are_served(app) {
        let r = app.request(Method::GET, "/api/v1/openapi.json", None, None, &[]).await;
        r.assert(200);
        let doc = r.json();
        assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
        for path in ["/api/v1/auth/login", "/api/v1/auth/refresh", "/api/v1/auth/logout", "/api/v1/auth/me", "/api/v1/auth/password", "/api/v1/users", "/api/v1/users/{id}", "/api/v1/users/{id}/transitions", "/api/v1/users/{id}/history", "/api/v1/rights", "/api/v1/audit", "/api/v1/audit/verify", "/api/v1/qr/{entity}/{file}", "/api/v1/info"] {
            assert!(doc["paths"].get(path).is_some(), "{path} missing from the spec");
        }
        let docs = app.request(Method::GET, "/api/docs/", None, None, &[]).await;
        docs.assert(200);
        assert!(String::from_utf8_lossy(&docs.bytes).contains("swagger"));
        assert_eq!(app.request(Method::GET, "/healthz", None, None, &[]).await.json()["status"], "ok");
        assert_eq!(app.request(Method::GET, "/readyz", None, None, &[]).await.json()["database"], app.backend);
        let ui = app.request(Method::GET, "/users/3", None, None, &[]).await;
        ui.assert(200);
        assert!(ui.content_type().starts_with("text/html"));
        let r = app.request(Method::GET, "/api/v1/info", None, None, &[]).await;
        assert_eq!(r.json()["name"], "Gestion Usinage");
        assert!(r.headers.get("x-request-id").is_some());
        app
    }
}

on_all_backends! {
    async fn a_vat_number_with_a_multibyte_character_is_a_422_not_a_dropped_connection(app) {
        // Found by the schemathesis fuzz: byte slicing split "\u{80}" and the handler panicked.
        let app = app.with_demo().await;
        let admin = app.login("admin").await;
        let p = app.post("/api/v1/suppliers", &admin, json!({"name": "Fournisseur test", "vat_number": "0\u{80}0"})).await.problem(422, "validation");
        assert_eq!(p["errors"][0]["field"], "vat_number");
        app.post("/api/v1/clients", &admin, json!({"name": "Client test", "vat_number": "FRé\u{80}35840530"})).await.problem(422, "validation");
        app
    }
}
