mod common;

use serde_json::json;

on_all_backends! {
    async fn an_operator_is_denied_the_rights_screen_in_french_until_granted(app) {
        let app = app.with_demo().await;
        let admin = app.login("admin").await;
        let op = app.login("operateur").await;
        let p = app.get("/api/v1/rights", &op).await.problem(403, "forbidden");
        assert_eq!(p["title"], "Accès refusé");
        assert_eq!(p["detail"], "Accès refusé : votre profil ne permet pas de consulter dans le module « Système ».");
        let p = app.request(axum::http::Method::GET, "/api/v1/rights", Some(&op), None, &[("accept-language", "en-GB,en;q=0.9")]).await.problem(403, "forbidden");
        assert!(p["detail"].as_str().unwrap().starts_with("Access denied"));
        app.get("/api/v1/users", &op).await.problem(403, "forbidden");

        // Admin grants users.read to operators: applies on the operator's next request.
        let mut m = app.get("/api/v1/rights", &admin).await.json();
        assert_eq!(m["modules"].as_array().unwrap().len(), 22);
        assert_eq!(m["roles"].as_array().unwrap().len(), 8);
        m["grants"]["operateur"]["users"] = json!(["read"]);
        let saved = app.put("/api/v1/rights", &admin, json!({"grants": m["grants"]})).await;
        saved.assert(200);
        assert_eq!(saved.json()["grants"]["operateur"]["users"], json!(["read"]));
        app.get("/api/v1/users", &op).await.assert(200);
        assert_eq!(app.get("/api/v1/auth/me", &op).await.json()["permissions"]["users"], json!(["read"]));

        // And removes it again.
        let mut g = saved.json()["grants"].clone();
        g["operateur"].as_object_mut().unwrap().remove("users");
        app.put("/api/v1/rights", &admin, json!({"grants": g})).await.assert(200);
        app.get("/api/v1/users", &op).await.problem(403, "forbidden");

        // Both changes are in the audit trail, with what was added and removed.
        let a = app.get("/api/v1/audit?entity_type=rights", &admin).await.json();
        assert_eq!(a["total"], 2);
        assert_eq!(a["items"][0]["before"]["removed"], json!(["operateur:users:read"]));
        assert_eq!(a["items"][1]["after"]["added"], json!(["operateur:users:read"]));
        app
    }

    async fn the_admin_cannot_be_locked_out_and_only_he_edits_rights(app) {
        let app = app.with_demo().await;
        let admin = app.login("admin").await;
        let direction = app.login("direction").await;
        // An empty matrix keeps the admin's rights.
        app.put("/api/v1/rights", &admin, json!({"grants": {"admin": {}}})).await.assert(200);
        app.get("/api/v1/rights", &admin).await.assert(200);
        app.get("/api/v1/users", &direction).await.problem(403, "forbidden");
        // Direction reads rights by default but may not change them — 403 even with a bad body,
        // because the right is checked before the body.
        let r = app.request(axum::http::Method::PUT, "/api/v1/rights", Some(&direction), None, &[("content-type", "application/json")]).await;
        r.problem(403, "forbidden");
        // Unknown codes are refused, naming them.
        let p = app.put("/api/v1/rights", &admin, json!({"grants": {"patron": {}, "operateur": {"fusee": ["read"], "users": ["voler"]}}})).await.problem(422, "validation");
        assert_eq!(p["errors"].as_array().unwrap().len(), 3);
        app
    }

    async fn the_audit_log_filters_and_its_chain_detects_tampering(app) {
        let app = app.with_demo().await;
        let admin = app.login("admin").await;
        app.post("/api/v1/users", &admin, json!({"login": "s.pelletier", "full_name": "Sébastien Pelletier", "password": "Soudure-TIG-2026", "roles": ["operateur"]})).await.assert(201);
        let me = app.get("/api/v1/auth/me", &admin).await.json();
        let a = app.get(&format!("/api/v1/audit?user_id={}&entity_type=user", me["id"]), &admin).await.json();
        assert_eq!(a["total"], 1);
        assert_eq!(a["items"][0]["after"]["login"], "s.pelletier");
        let today = chrono::Utc::now().date_naive();
        let a = app.get(&format!("/api/v1/audit?from={today}&to={today}&per_page=500"), &admin).await.json();
        assert!(a["total"].as_i64().unwrap() >= 12);
        let a = app.get("/api/v1/audit?from=2001-01-01&to=2001-01-31", &admin).await.json();
        assert_eq!(a["total"], 0);
        app.get("/api/v1/audit?from=27/11/2026", &admin).await.problem(422, "validation");
        app.get("/api/v1/audit", &app.login("chef").await).await.problem(403, "forbidden");

        let v = app.get("/api/v1/audit/verify", &admin).await.json();
        assert_eq!(v["ok"], true);
        // Someone edits an audit row directly in the database.
        app.exec("UPDATE audit_log SET actor_login = 'direction' WHERE id = 3").await;
        let v = app.get("/api/v1/audit/verify", &admin).await.json();
        assert_eq!(v["ok"], false);
        assert_eq!(v["first_bad_id"], 3);
        app
    }

    async fn removing_audit_rows_is_detected(app) {
        let app = app.with_demo().await;
        app.exec("DELETE FROM audit_log WHERE id = 5").await;
        let r = usinage_app::audit::verify(&app.db).await.unwrap();
        assert!(!r.ok);
        assert_eq!(r.first_bad_id, Some(5));
        app
    }

    async fn removing_the_newest_audit_row_is_detected(app) {
        let app = app.with_demo().await;
        let last = app.count("audit_log").await;
        app.exec(&format!("DELETE FROM audit_log WHERE id = {last}")).await;
        let r = usinage_app::audit::verify(&app.db).await.unwrap();
        assert!(!r.ok, "{r:?}");
        app
    }

    async fn a_user_qr_decodes_to_that_users_url(app) {
        let app = app.with_demo().await;
        let admin = app.login("admin").await;
        let u = app.get("/api/v1/users?q=operateur2", &admin).await.json()["items"][0].clone();
        let id = u["id"].as_i64().unwrap();
        let png = app.get(&format!("/api/v1/qr/users/{id}.png"), &admin).await;
        png.assert(200);
        assert_eq!(png.content_type(), "image/png");
        let img = image::load_from_memory(&png.bytes).unwrap().to_luma8();
        let mut prepared = rqrr::PreparedImage::prepare(img);
        let grids = prepared.detect_grids();
        assert_eq!(grids.len(), 1);
        let (_, content) = grids[0].decode().unwrap();
        assert_eq!(content, format!("{}/users/{id}", common::BASE_URL));
        assert_eq!(content, u["url"].as_str().unwrap());
        let svg = app.get(&format!("/api/v1/qr/users/{id}.svg"), &admin).await;
        svg.assert(200);
        assert_eq!(svg.content_type(), "image/svg+xml");
        app.get("/api/v1/qr/users/999.svg", &admin).await.problem(404, "not_found");
        app.get("/api/v1/qr/fusees/1.svg", &admin).await.problem(404, "not_found");
        app.get(&format!("/api/v1/qr/users/{id}.gif"), &admin).await.problem(404, "not_found");
        app.get(&format!("/api/v1/qr/users/{id}.png"), &app.login("operateur").await).await.problem(403, "forbidden");
        app
    }
}
