mod common;

use axum::http::Method;
use serde_json::json;

on_all_backends! {
    async fn login_me_refresh_logout(app) {
        let app = app.with_demo().await;
        let r = app.login_with("admin", "usinage-demo").await;
        r.assert(200);
        let j = r.json();
        assert_eq!(j["token_type"], "Bearer");
        assert_eq!(j["user"]["login"], "admin");
        let access = j["access_token"].as_str().unwrap().to_string();
        let refresh = j["refresh_token"].as_str().unwrap().to_string();

        let me = app.get("/api/v1/auth/me", &access).await;
        me.assert(200);
        assert_eq!(me.json()["roles"], json!(["admin"]));
        assert_eq!(me.json()["permissions"]["system"], json!(["read", "create", "update", "delete", "validate"]));

        // Refresh rotates both tokens: the old ones stop working.
        let r2 = app.request(Method::POST, "/api/v1/auth/refresh", None, Some(json!({"refresh_token": refresh})), &[]).await;
        r2.assert(200);
        let access2 = r2.json()["access_token"].as_str().unwrap().to_string();
        app.get("/api/v1/auth/me", &access).await.problem(401, "unauthenticated");
        app.get("/api/v1/auth/me", &access2).await.assert(200);
        app.request(Method::POST, "/api/v1/auth/refresh", None, Some(json!({"refresh_token": refresh})), &[]).await.problem(401, "unauthenticated");

        // Logout revokes the session.
        app.request(Method::POST, "/api/v1/auth/logout", Some(&access2), None, &[]).await.assert(204);
        app.get("/api/v1/auth/me", &access2).await.problem(401, "unauthenticated");
        app
    }

    async fn wrong_password_is_a_french_401_and_guessing_is_throttled(app) {
        let app = app.with_demo().await;
        let r = app.login_with("chef", "mauvais-mot-de-passe").await;
        let p = r.problem(401, "invalid_credentials");
        assert_eq!(p["detail"], "Identifiant ou mot de passe incorrect.");
        app.login_with("inconnu", "mauvais-mot-de-passe").await.problem(401, "invalid_credentials");
        for _ in 0..4 {
            app.login_with("chef", "mauvais-mot-de-passe").await.problem(401, "invalid_credentials");
        }
        // Sixth attempt: blocked even with the right password.
        let r = app.login_with("chef", "usinage-demo").await;
        let p = r.problem(429, "too_many_attempts");
        assert!(p["detail"].as_str().unwrap().contains("Réessayez dans"));
        assert!(r.headers.get("retry-after").is_some());
        // Other accounts are unaffected.
        app.login_with("methode", "usinage-demo").await.assert(200);
        app
    }

    async fn deactivating_a_user_or_changing_his_role_applies_on_his_next_request(app) {
        let app = app.with_demo().await;
        let admin = app.login("admin").await;
        let chef = app.login("chef").await;
        app.get("/api/v1/users", &chef).await.assert(200);

        let u = app.get("/api/v1/users?q=chef", &admin).await.json()["items"][0].clone();
        let id = u["id"].as_i64().unwrap();
        // Role change: chef_atelier → operateur; the chef's open session loses users.read at once.
        app.patch(&format!("/api/v1/users/{id}"), &admin, json!({"version": u["version"], "roles": ["operateur"]})).await.assert(200);
        app.get("/api/v1/users", &chef).await.problem(403, "forbidden");

        // Deactivation: his session stops working on the next request.
        let u = app.get(&format!("/api/v1/users/{id}"), &admin).await.json();
        app.post(&format!("/api/v1/users/{id}/transitions"), &admin, json!({"to": "inactif", "version": u["version"]})).await.assert(200);
        app.get("/api/v1/auth/me", &chef).await.problem(401, "unauthenticated");
        let p = app.login_with("chef", "usinage-demo").await.problem(401, "account_disabled");
        assert!(p["detail"].as_str().unwrap().contains("désactivé"));
        app
    }

    async fn a_fresh_install_forces_the_one_time_admin_password_to_be_changed(app) {
        // Without demo data: bootstrap creates `admin` with a printed one-time password.
        let boot = usinage_app::bootstrap::ensure_initialized(&app.db, true).await.unwrap();
        let pw = boot.admin_password.expect("one-time password");
        assert!(usinage_app::bootstrap::ensure_initialized(&app.db, true).await.unwrap().admin_password.is_none(), "printed once only");
        let r = app.login_with("admin", &pw).await;
        r.assert(200);
        assert_eq!(r.json()["user"]["must_change_password"], true);
        let token = r.json()["access_token"].as_str().unwrap().to_string();
        app.get("/api/v1/users", &token).await.problem(403, "password_change_required");
        app.get("/api/v1/auth/me", &token).await.assert(200);
        app.post("/api/v1/auth/password", &token, json!({"current_password": "faux", "new_password": "Atelier-2026-ok"})).await.problem(422, "validation");
        let p = app.post("/api/v1/auth/password", &token, json!({"current_password": pw, "new_password": "court"})).await.problem(422, "validation");
        assert_eq!(p["errors"][0]["field"], "new_password");
        app.post("/api/v1/auth/password", &token, json!({"current_password": pw, "new_password": "Atelier-2026-ok"})).await.assert(204);
        app.get("/api/v1/users", &token).await.assert(200);
        app.login_with("admin", &pw).await.problem(401, "invalid_credentials");
        app.login_with("admin", "Atelier-2026-ok").await.assert(200);
        app
    }
}
