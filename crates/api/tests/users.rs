mod common;

use serde_json::json;

on_all_backends! {
    async fn admin_creates_an_operator_with_audit_and_history(app) {
        let app = app.with_demo().await;
        let admin = app.login("admin").await;
        let r = app.post("/api/v1/users", &admin, json!({"login": "m.aitali", "full_name": "Mehdi Aït-Ali", "email": "M.AitAli@usinage-demo.fr", "password": "Fraisage-3axes!", "roles": ["operateur"]})).await;
        r.assert(201);
        let u = r.json();
        assert_eq!(u["login"], "m.aitali");
        assert_eq!(u["email"], "m.aitali@usinage-demo.fr");
        assert_eq!(u["status"], "actif");
        assert_eq!(u["role_labels"], json!(["Opérateur"]));
        assert_eq!(u["version"], 1);
        assert!(u.get("password_hash").is_none());
        let id = u["id"].as_i64().unwrap();
        assert_eq!(u["url"], format!("{}/users/{id}", common::BASE_URL));

        // The new operator can log in.
        app.login_with("m.aitali", "Fraisage-3axes!").await.assert(200);

        // History of the record, from the audit trail.
        let h = app.get(&format!("/api/v1/users/{id}/history"), &admin).await;
        h.assert(200);
        let items = h.json()["items"].as_array().unwrap().clone();
        assert_eq!(items.len(), 1);
        assert_eq!(items[0]["action"], "create");
        assert_eq!(items[0]["actor_login"], "admin");
        assert_eq!(items[0]["after"]["login"], "m.aitali");
        assert!(items[0]["after"].get("password_hash").is_none());
        app
    }

    async fn invalid_users_get_a_french_422_naming_each_field_and_nothing_is_written(app) {
        let app = app.with_demo().await;
        let admin = app.login("admin").await;
        let users = app.count("users").await;
        let audits = app.count("audit_log").await;
        let p = app.post("/api/v1/users", &admin, json!({"login": "a", "full_name": " ", "email": "pas-un-mail", "password": "court", "roles": []})).await.problem(422, "validation");
        let fields: Vec<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert_eq!(fields, ["login", "full_name", "email", "roles", "password"]);
        assert_eq!(p["errors"][3]["message"], "Choisissez au moins un rôle.");
        // Missing field and wrong type are 422 too, naming the field.
        let p = app.post("/api/v1/users", &admin, json!({"login": "abc", "full_name": "A B", "password": "Abcdefghij-1"})).await.problem(422, "validation");
        assert_eq!(p["errors"][0]["field"], "roles");
        let p = app.post("/api/v1/users", &admin, json!({"login": "abc", "full_name": "A B", "password": "Abcdefghij-1", "roles": "operateur"})).await.problem(422, "validation");
        assert_eq!(p["errors"][0]["field"], "roles");
        // Duplicate login.
        let p = app.post("/api/v1/users", &admin, json!({"login": "chef", "full_name": "Autre", "password": "Abcdefghij-1", "roles": ["operateur"]})).await.problem(422, "validation");
        assert_eq!(p["errors"][0]["code"], "login_taken");
        assert_eq!(app.count("users").await, users);
        assert_eq!(app.count("audit_log").await, audits);
        app
    }

    async fn list_pages_sorts_filters_and_searches(app) {
        let app = app.with_demo().await;
        let admin = app.login("admin").await;
        let p = app.get("/api/v1/users?page=2&per_page=4&sort=login", &admin).await.json();
        assert_eq!(p["total"], 9);
        assert_eq!(p["page"], 2);
        let logins: Vec<&str> = p["items"].as_array().unwrap().iter().map(|u| u["login"].as_str().unwrap()).collect();
        assert_eq!(logins, ["direction", "methode", "operateur", "operateur2"]);
        let p = app.get("/api/v1/users?sort=-login&per_page=1", &admin).await.json();
        assert_eq!(p["items"][0]["login"], "qualite");
        let p = app.get("/api/v1/users?role=operateur", &admin).await.json();
        assert_eq!(p["total"], 2);
        let p = app.get("/api/v1/users?q=BRUNEL", &admin).await.json();
        assert_eq!(p["total"], 1);
        assert_eq!(p["items"][0]["login"], "operateur2");
        let p = app.get("/api/v1/users?active=false", &admin).await.json();
        assert_eq!(p["total"], 0);
        app.get("/api/v1/users?per_page=501", &admin).await.problem(422, "validation");
        app.get("/api/v1/users?sort=password_hash", &admin).await.problem(422, "validation");
        app.get("/api/v1/users?role=patron", &admin).await.problem(422, "validation");
        app.get("/api/v1/users?active=peut-etre", &admin).await.problem(422, "validation");
        app
    }

    async fn lists_export_to_csv_and_xlsx(app) {
        let app = app.with_demo().await;
        let admin = app.login("admin").await;
        let r = app.get("/api/v1/users?format=csv&sort=login&role=operateur", &admin).await;
        r.assert(200);
        assert!(r.content_type().starts_with("text/csv"));
        let text = String::from_utf8(r.bytes.clone()).unwrap();
        let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[0].starts_with("Id;Identifiant;Nom complet"));
        assert!(lines[1].contains(";operateur;Kévin Dumas;"));
        let r = app.get("/api/v1/users?format=xlsx", &admin).await;
        r.assert(200);
        use calamine::{Reader, Xlsx};
        let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(r.bytes.clone())).unwrap();
        let range = wb.worksheet_range("utilisateurs").unwrap();
        assert_eq!(range.height(), 10);
        app
    }

    async fn a_stale_version_is_a_409_and_changes_nothing(app) {
        let app = app.with_demo().await;
        let admin = app.login("admin").await;
        let u = app.get("/api/v1/users?q=operateur2", &admin).await.json()["items"][0].clone();
        let id = u["id"].as_i64().unwrap();
        app.patch(&format!("/api/v1/users/{id}"), &admin, json!({"version": 1, "full_name": "Lucas Brunel (équipe B)"})).await.assert(200);
        let p = app.patch(&format!("/api/v1/users/{id}"), &admin, json!({"version": 1, "full_name": "Autre"})).await.problem(409, "stale_version");
        assert!(p["detail"].as_str().unwrap().contains("modifié par quelqu'un d'autre"));
        let now = app.get(&format!("/api/v1/users/{id}"), &admin).await.json();
        assert_eq!(now["full_name"], "Lucas Brunel (équipe B)");
        assert_eq!(now["version"], 2);
        app.patch(&format!("/api/v1/users/{id}"), &admin, json!({"version": 2, "email": null})).await.assert(200);
        assert_eq!(app.get(&format!("/api/v1/users/{id}"), &admin).await.json()["email"], serde_json::Value::Null);
        app
    }

    async fn status_bar_offers_only_the_allowed_transition(app) {
        let app = app.with_demo().await;
        let admin = app.login("admin").await;
        let u = app.get("/api/v1/users?q=commercial", &admin).await.json()["items"][0].clone();
        let id = u["id"].as_i64().unwrap();
        let t = app.get(&format!("/api/v1/users/{id}/transitions"), &admin).await.json();
        assert_eq!(t, json!([{"to": "inactif", "label": "Désactiver"}]));
        app.post(&format!("/api/v1/users/{id}/transitions"), &admin, json!({"to": "actif", "version": 1})).await.problem(409, "illegal_transition");
        app.post(&format!("/api/v1/users/{id}/transitions"), &admin, json!({"to": "supprime", "version": 1})).await.problem(422, "validation");
        let v = app.post(&format!("/api/v1/users/{id}/transitions"), &admin, json!({"to": "inactif", "version": 1})).await.json();
        assert_eq!(v["status_label"], "Inactif");
        let t = app.get(&format!("/api/v1/users/{id}/transitions"), &admin).await.json();
        assert_eq!(t[0]["to"], "actif");
        // Nobody deactivates himself.
        let me = app.get("/api/v1/auth/me", &admin).await.json();
        assert_eq!(app.get(&format!("/api/v1/users/{}/transitions", me["id"]), &admin).await.json(), json!([]));
        app
    }

    async fn concurrent_writes_keep_the_audit_chain_intact(app) {
        let app = app.with_demo().await;
        let admin = app.login("admin").await;
        let mut handles = Vec::new();
        for i in 0..12 {
            let router = app.router.clone();
            let token = admin.clone();
            handles.push(tokio::spawn(async move {
                use tower::ServiceExt;
                let body = json!({"login": format!("op{i:02}"), "full_name": format!("Opérateur {i}"), "password": "Tournage-CN-2026", "roles": ["operateur"]});
                let req = axum::http::Request::post("/api/v1/users").header("authorization", format!("Bearer {token}")).header("content-type", "application/json").body(axum::body::Body::from(body.to_string())).unwrap();
                router.oneshot(req).await.unwrap().status().as_u16()
            }));
        }
        for h in handles {
            assert_eq!(h.await.unwrap(), 201);
        }
        let v = app.get("/api/v1/audit/verify", &admin).await.json();
        assert_eq!(v["ok"], true, "{v}");
        assert_eq!(app.count("users").await, 21);
        app
    }
}
