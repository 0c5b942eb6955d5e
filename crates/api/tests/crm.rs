mod common;

use serde_json::json;

fn fields(p: &serde_json::Value) -> Vec<String> {
    p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect()
}

on_all_backends! {
    async fn commercial_creates_a_critical_aero_client_with_contacts_audit_and_history(app) {
        let app = app.with_demo().await;
        let com = app.login("commercial").await;
        let r = app.post("/api/v1/clients", &com, json!({
            "name": "Lauragais Aéro Usinage SAS", "siret": "732 829 320 00074", "vat_number": "FR44732829320",
            "billing_address": "3 rue des Pins, 31000 Toulouse", "payment_terms": "45j_fdm",
            "sectors": ["aeronautique", "defense"], "critical": true,
            "contacts": [{"name": "Anne Lefort", "function": "Acheteuse", "email": "A.Lefort@lauragais-aero.fr", "phone": "05 61 00 00 00"}]
        })).await;
        r.assert(201);
        let c = r.json();
        let id = c["id"].as_i64().unwrap();
        assert_eq!(c["siret"], "73282932000074");
        assert_eq!(c["siren"], "732829320");
        assert_eq!(c["payment_terms_label"], "45 jours fin de mois (date + 45 j, puis fin de mois)");
        assert_eq!(c["sector_labels"], json!(["Aéronautique", "Défense"]));
        assert_eq!(c["critical"], true);
        assert_eq!(c["contacts"][0]["email"], "a.lefort@lauragais-aero.fr");
        assert_eq!(c["status"], "actif");
        assert_eq!(c["url"], format!("{}/clients/{id}", common::BASE_URL));
        // Contacts are edited with the record and audited.
        let r = app.patch(&format!("/api/v1/clients/{id}"), &com, json!({"version": 1,
            "contacts": [{"name": "Anne Lefort", "function": "Responsable achats"}, {"name": "Paul Azéma", "email": "p.azema@lauragais-aero.fr"}]})).await;
        r.assert(200);
        assert_eq!(r.json()["contacts"].as_array().unwrap().len(), 2);
        let h = app.get(&format!("/api/v1/clients/{id}/history"), &com).await.json();
        let items = h["items"].as_array().unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0]["action"], "update");
        assert_eq!(items[0]["before"]["contacts"][0]["function"], "Acheteuse");
        assert_eq!(items[0]["after"]["contacts"][1]["name"], "Paul Azéma");
        // QR of the record.
        let q = app.get(&format!("/api/v1/qr/clients/{id}.svg"), &com).await;
        q.assert(200);
        app.get("/api/v1/qr/clients/99999.svg", &com).await.problem(404, "not_found");
        app
    }

    async fn a_siret_with_a_wrong_key_gets_a_french_422_naming_siret_and_nothing_is_written(app) {
        let app = app.with_demo().await;
        let admin = app.login("admin").await;
        let partners = app.count("partners").await;
        let audits = app.count("audit_log").await;
        let p = app.post("/api/v1/clients", &admin, json!({"name": "Mauvaise Clé SAS", "siret": "73282932000075"})).await.problem(422, "validation");
        assert_eq!(fields(&p), ["siret"]);
        assert_eq!(p["errors"][0]["code"], "invalid_siret_key");
        assert!(p["detail"].as_str().unwrap().contains("clé de contrôle (Luhn)"), "{p}");
        // Every bad field at once.
        let p = app.post("/api/v1/suppliers", &admin, json!({"name": " ", "siret": "123", "vat_number": "FR00732829320",
            "email": "pas-un-mail", "payment_terms": "90j", "sectors": ["spatiale"], "supplier_kinds": ["magie"],
            "contacts": [{"name": ""}]})).await.problem(422, "validation");
        assert_eq!(fields(&p), ["name", "siret", "vat_number", "email", "payment_terms", "sectors", "supplier_kinds", "contacts[0].name"]);
        // An existing record is not changed by a bad SIRET either.
        let c = app.get("/api/v1/clients?q=Aviaxe", &admin).await.json()["items"][0].clone();
        let id = c["id"].as_i64().unwrap();
        app.patch(&format!("/api/v1/clients/{id}"), &admin, json!({"version": c["version"], "siret": "76568732200213"})).await.problem(422, "validation");
        assert_eq!(app.get(&format!("/api/v1/clients/{id}"), &admin).await.json()["siret"], "76568732200212");
        assert_eq!(app.count("partners").await, partners);
        assert_eq!(app.count("audit_log").await, audits);
        app
    }

    async fn a_wrong_french_vat_key_gets_a_422_naming_vat_number(app) {
        let app = app.with_demo().await;
        let admin = app.login("admin").await;
        let partners = app.count("partners").await;
        // FR46… instead of FR64… for SIREN 735840530 (transposed key).
        let p = app.post("/api/v1/clients", &admin, json!({"name": "Clé TVA SAS", "vat_number": "FR46735840530"})).await.problem(422, "validation");
        assert_eq!(fields(&p), ["vat_number"]);
        assert_eq!(p["errors"][0]["code"], "invalid_vat_key");
        // A valid key but another company's SIREN.
        let p = app.post("/api/v1/clients", &admin, json!({"name": "Clé TVA SAS", "siret": "73584053000019", "vat_number": "FR31765687322"})).await.problem(422, "validation");
        assert_eq!(p["errors"][0]["field"], "vat_number");
        assert_eq!(p["errors"][0]["code"], "vat_siren_mismatch");
        // English on request.
        let r = app.request(axum::http::Method::POST, "/api/v1/clients", Some(&admin), Some(json!({"name": "X", "vat_number": "FR46735840530"})), &[("accept-language", "en")]).await;
        assert!(r.json()["detail"].as_str().unwrap().contains("Invalid VAT number"));
        // A foreign EU number is accepted as typed (shape only).
        app.post("/api/v1/suppliers", &admin, json!({"name": "Schweizer Präzision GmbH", "vat_number": "DE 811 907 980", "supplier_kinds": ["sous_traitance_usinage"]})).await.assert(201);
        assert_eq!(app.count("partners").await, partners + 1);
        app
    }

    async fn the_same_siret_cannot_be_registered_twice_as_client(app) {
        let app = app.with_demo().await;
        let admin = app.login("admin").await;
        let p = app.post("/api/v1/clients", &admin, json!({"name": "Doublon", "siret": "76568732200212"})).await.problem(422, "validation");
        assert_eq!(p["errors"][0]["code"], "siret_taken");
        assert!(p["detail"].as_str().unwrap().contains("Aviaxe"));
        // The same company may be a supplier too.
        app.post("/api/v1/suppliers", &admin, json!({"name": "Aviaxe Structures SAS", "siret": "76568732200212"})).await.assert(201);
        app
    }

    async fn demo_clients_list_filters_searches_and_exports(app) {
        let app = app.with_demo().await;
        let com = app.login("commercial").await;
        let p = app.get("/api/v1/clients?per_page=100", &com).await.json();
        assert_eq!(p["total"], 10);
        let p = app.get("/api/v1/clients?critical=true", &com).await.json();
        assert_eq!(p["total"], 5);
        let p = app.get("/api/v1/clients?sector=defense&sort=name", &com).await.json();
        let names: Vec<&str> = p["items"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["Pyréos Défense SAS", "Savoie Optronique SA"]);
        // Search by SIRET typed with spaces, by contact name.
        assert_eq!(app.get("/api/v1/clients?q=846%20023%20901", &com).await.json()["total"], 1);
        assert_eq!(app.get("/api/v1/clients?q=vuillermoz", &com).await.json()["items"][0]["name"], "Savoie Optronique SA");
        app.get("/api/v1/clients?sector=lunaire", &com).await.problem(422, "validation");
        app.get("/api/v1/clients?status=supprime", &com).await.problem(422, "validation");
        app.get("/api/v1/clients?sort=notes", &com).await.problem(422, "validation");
        let r = app.get("/api/v1/clients?format=csv&sort=name", &com).await;
        r.assert(200);
        let text = String::from_utf8(r.bytes.clone()).unwrap();
        let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
        assert_eq!(lines.len(), 11);
        assert!(lines[0].starts_with("Id;Raison sociale;SIRET"));
        assert!(lines[1].contains("Agroval Process SAS"));
        let r = app.get("/api/v1/suppliers?format=xlsx", &com).await;
        r.assert(200);
        use calamine::{Reader, Xlsx};
        let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(r.bytes.clone())).unwrap();
        assert_eq!(wb.worksheet_range("fournisseurs").unwrap().height(), 9);
        // A supplier id is not a client.
        let sid = app.get("/api/v1/suppliers?per_page=1", &com).await.json()["items"][0]["id"].as_i64().unwrap();
        app.get(&format!("/api/v1/clients/{sid}"), &com).await.problem(404, "not_found");
        app
    }

    async fn archiving_a_client_goes_through_the_status_bar_and_a_stale_version_is_a_409(app) {
        let app = app.with_demo().await;
        let com = app.login("commercial").await;
        let c = app.get("/api/v1/clients?q=Hydrol", &com).await.json()["items"][0].clone();
        let id = c["id"].as_i64().unwrap();
        assert_eq!(app.get(&format!("/api/v1/clients/{id}/transitions"), &com).await.json(), json!([{"to": "archive", "label": "Archiver"}]));
        app.post(&format!("/api/v1/clients/{id}/transitions"), &com, json!({"to": "actif", "version": 1})).await.problem(409, "illegal_transition");
        app.post(&format!("/api/v1/clients/{id}/transitions"), &com, json!({"to": "efface", "version": 1})).await.problem(422, "validation");
        let v = app.post(&format!("/api/v1/clients/{id}/transitions"), &com, json!({"to": "archive", "version": 1})).await.json();
        assert_eq!(v["status_label"], "Archivé");
        assert_eq!(v["version"], 2);
        assert_eq!(app.get("/api/v1/clients?status=actif", &com).await.json()["total"], 9);
        assert_eq!(app.get("/api/v1/clients?status=archive", &com).await.json()["total"], 1);
        app.patch(&format!("/api/v1/clients/{id}"), &com, json!({"version": 1, "notes": "trop tard"})).await.problem(409, "stale_version");
        app.patch(&format!("/api/v1/clients/{id}"), &com, json!({"version": 2, "notes": "Client archivé : plus de commandes depuis 2024"})).await.assert(200);
        let h = app.get(&format!("/api/v1/clients/{id}/history"), &com).await.json();
        assert_eq!(h["items"][1]["action"], "transition");
        assert_eq!(h["items"][1]["after"]["status"], "archive");
        app
    }

    async fn supplier_evaluations_are_dated_and_the_latest_is_the_current_score(app) {
        let app = app.with_demo().await;
        let qual = app.login("commercial").await;
        let s = app.get("/api/v1/suppliers?q=Calor", &qual).await.json()["items"][0].clone();
        let id = s["id"].as_i64().unwrap();
        assert_eq!(s["supplier_kind_labels"], json!(["Sous-traitance traitement thermique"]));
        assert_eq!(s["score"]["quality"], 86);
        let before = app.get(&format!("/api/v1/suppliers/{id}/evaluations"), &qual).await.json();
        assert_eq!(before["total"], 2);
        let e = app.post(&format!("/api/v1/suppliers/{id}/evaluations"), &qual, json!({"quality": 90, "delivery": 60, "price": 71, "comment": "Retard sur le lot de nitruration"})).await;
        e.assert(201);
        assert_eq!(e.json()["overall"], 74);
        assert_eq!(e.json()["source"], "manuel");
        let s = app.get(&format!("/api/v1/suppliers/{id}"), &qual).await.json();
        assert_eq!(s["score"], json!({"quality": 90, "delivery": 60, "price": 71, "overall": 74, "evaluated_on": e.json()["evaluated_on"]}));
        // An older evaluation entered afterwards does not become the current score.
        app.post(&format!("/api/v1/suppliers/{id}/evaluations"), &qual, json!({"evaluated_on": "2024-01-15", "quality": 10, "delivery": 10, "price": 10})).await.assert(201);
        assert_eq!(app.get(&format!("/api/v1/suppliers/{id}"), &qual).await.json()["score"]["quality"], 90);
        let list = app.get(&format!("/api/v1/suppliers/{id}/evaluations"), &qual).await.json();
        assert_eq!(list["total"], 4);
        assert_eq!(list["items"][0]["quality"], 90);
        assert_eq!(list["items"][3]["evaluated_on"], "2024-01-15");
        // Bad scores, future date: all named, nothing written.
        let n = app.count("supplier_evaluations").await;
        let p = app.post(&format!("/api/v1/suppliers/{id}/evaluations"), &qual, json!({"evaluated_on": "2999-01-01", "quality": 101, "delivery": -1, "price": 50})).await.problem(422, "validation");
        assert_eq!(fields(&p), ["evaluated_on", "quality", "delivery"]);
        assert_eq!(app.count("supplier_evaluations").await, n);
        // Evaluations belong to suppliers only.
        let cid = app.get("/api/v1/clients?per_page=1", &qual).await.json()["items"][0]["id"].as_i64().unwrap();
        app.post(&format!("/api/v1/suppliers/{cid}/evaluations"), &qual, json!({"quality": 1, "delivery": 1, "price": 1})).await.problem(404, "not_found");
        // The evaluation is in the supplier's history.
        let h = app.get(&format!("/api/v1/suppliers/{id}/history"), &qual).await.json();
        assert_eq!(h["items"][0]["action"], "evaluation");
        app
    }

    async fn a_receipt_outcome_adds_an_automatic_evaluation(app) {
        let app = app.with_demo().await;
        let admin = app.login("admin").await;
        let s = app.get("/api/v1/suppliers?q=Anodia", &admin).await.json()["items"][0].clone();
        let id = s["id"].as_i64().unwrap();
        assert_eq!(s["score"]["delivery"], 70);
        let tx = app.db.write().await.unwrap();
        let ctx = usinage_app::Ctx::system("test-receipt");
        let e = usinage_app::crm::record_outcome(&tx.tx, &ctx, id, usinage_app::crm::SupplierOutcome::Receipt { days_late: 2, conforming: true }).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!((e.quality, e.delivery, e.price), (94, 72, 72));
        let s = app.get(&format!("/api/v1/suppliers/{id}"), &admin).await.json();
        assert_eq!(s["score"]["delivery"], 72);
        let list = app.get(&format!("/api/v1/suppliers/{id}/evaluations"), &admin).await.json();
        assert_eq!(list["items"][0]["source"], "auto");
        app
    }

    async fn roles_without_crm_rights_are_refused(app) {
        let app = app.with_demo().await;
        let op = app.login("operateur").await;
        let qual = app.login("qualite").await;
        let n = app.count("partners").await;
        app.get("/api/v1/clients", &op).await.problem(403, "forbidden");
        // Quality reads clients but does not create them (even with a malformed body: 403 first).
        app.get("/api/v1/clients", &qual).await.assert(200);
        app.post("/api/v1/clients", &qual, json!({"name": 3})).await.problem(403, "forbidden");
        let sid = app.get("/api/v1/suppliers?per_page=1", &qual).await.json()["items"][0]["id"].as_i64().unwrap();
        app.post(&format!("/api/v1/suppliers/{sid}/evaluations"), &qual, json!({"quality": 1, "delivery": 1, "price": 1})).await.problem(403, "forbidden");
        assert_eq!(app.get(&format!("/api/v1/suppliers/{sid}/transitions"), &qual).await.json(), json!([]));
        assert_eq!(app.count("partners").await, n);
        app
    }

    async fn the_rate_grid_holds_demo_rates_in_cents_and_only_direction_and_admin_change_it(app) {
        let app = app.with_demo().await;
        let com = app.login("commercial").await;
        let g = app.get("/api/v1/rates", &com).await.json();
        let rate = |g: &serde_json::Value, list: &str, code: &str| g[list].as_array().unwrap().iter().find(|l| l["code"] == code).unwrap()["rate"].clone();
        assert_eq!(rate(&g, "machine_kinds", "fraiseuse_5axes"), "105.00");
        assert_eq!(rate(&g, "activities", "programmation"), "72.00");
        assert_eq!(rate(&g, "activities", "reglage"), serde_json::Value::Null);
        assert_eq!(rate(&g, "machine_kinds", "electroerosion"), serde_json::Value::Null);
        assert_eq!(g["min_margin_pct"], "8");
        assert_eq!(g["express_coef"], "1.3");
        assert_eq!(g["economy_coef"], "0.93");
        assert_eq!(g["version"], 1);
        let body = json!({"version": 1, "activities": {"programmation": "75,50", "reglage": "70"}, "machine_kinds": {"mmt": null},
            "min_margin_pct": "10", "target_margin_pct": "15", "express_coef": "1.30", "express_48h_coef": "1.5", "economy_coef": "0.93"});
        // Sales and the shop foreman read but do not change it; the operator does not even read it.
        app.put("/api/v1/rates", &com, body.clone()).await.problem(403, "forbidden");
        app.get("/api/v1/rates", &app.login("operateur").await).await.problem(403, "forbidden");
        let dir = app.login("direction").await;
        let g = app.put("/api/v1/rates", &dir, body.clone()).await.json();
        assert_eq!(rate(&g, "activities", "programmation"), "75.50");
        assert_eq!(rate(&g, "activities", "reglage"), "70.00");
        assert_eq!(rate(&g, "machine_kinds", "mmt"), serde_json::Value::Null);
        assert_eq!(rate(&g, "machine_kinds", "tour"), "65.00");
        assert_eq!(g["min_margin_pct"], "10");
        assert_eq!(g["version"], 2);
        let cents: i64 = {
            use sea_orm::{ConnectionTrait, Statement};
            let row = app.db.conn.query_one_raw(Statement::from_string(app.db.db_backend(), "SELECT rate_cents FROM rates WHERE code = 'programmation'".to_string())).await.unwrap().unwrap();
            row.try_get("", "rate_cents").unwrap()
        };
        assert_eq!(cents, 7550);
        // Same version twice: the second is stale.
        app.put("/api/v1/rates", &dir, body).await.problem(409, "stale_version");
        // Bad values: every field named, nothing written.
        let audits = app.count("audit_log").await;
        let p = app.put("/api/v1/rates", &dir, json!({"version": 2, "activities": {"programmation": "-5", "magie": "10"}, "machine_kinds": {"tour": "65.005"},
            "min_margin_pct": "20", "target_margin_pct": "15", "express_coef": "0.9", "express_48h_coef": "1.5", "economy_coef": "1.2"})).await.problem(422, "validation");
        assert_eq!(fields(&p), ["activities.magie", "activities.programmation", "machine_kinds.tour", "target_margin_pct", "express_coef", "economy_coef"]);
        assert_eq!(app.count("audit_log").await, audits);
        let h = app.get("/api/v1/rates/grid/history", &com).await.json();
        assert_eq!(h["total"], 2);
        let r = app.get("/api/v1/rates?format=csv", &com).await;
        assert!(String::from_utf8(r.bytes.clone()).unwrap().contains("fraiseuse_5axes;Fraiseuse 5 axes;105.00"));
        app
    }

    async fn the_setup_wizard_saves_identity_and_activities_then_completes(app) {
        // A fresh installation: no demo, only the admin created for the test.
        usinage_app::users::create(&app.db, &usinage_app::Ctx::system("test"), usinage_app::users::NewUser {
            login: "admin".into(), full_name: "Admin".into(), email: None, password: common::DEMO_PASSWORD.into(),
            roles: vec!["admin".into()], active: None, employee_id: None, must_change_password: None,
        }).await.unwrap();
        let admin = app.login("admin").await;
        let s = app.get("/api/v1/setup", &admin).await.json();
        assert_eq!(s["completed"], false);
        let codes: Vec<&str> = s["steps"].as_array().unwrap().iter().map(|x| x["code"].as_str().unwrap()).collect();
        assert_eq!(codes, ["entreprise", "activites", "grille_tarifaire", "machines", "utilisateurs"]);
        // Completing needs the company identity.
        let p = app.post("/api/v1/setup/complete", &admin, json!({})).await.problem(422, "validation");
        assert_eq!(p["errors"][0]["field"], "company");
        // Activities: usinage proposed by default.
        let a = app.get("/api/v1/settings/activities", &admin).await.json();
        assert_eq!(a["configured"], false);
        assert_eq!(a["main_activity"], "usinage");
        let p = app.put("/api/v1/settings/activities", &admin, json!({"version": 0, "activities": ["usinage", "tolerie"], "main_activity": "soudure"})).await.problem(422, "validation");
        assert_eq!(p["errors"][0]["field"], "main_activity");
        let a = app.put("/api/v1/settings/activities", &admin, json!({"version": 0, "activities": ["usinage", "tolerie", "soudure"], "main_activity": "usinage"})).await.json();
        assert_eq!(a["version"], 1);
        // Company: wrong SIRET key and oversized logo are named.
        let big = format!("data:image/png;base64,{}", "A".repeat(210 * 1024));
        let p = app.put("/api/v1/settings/company", &admin, json!({"version": 0, "name": "Mécanique du Gier", "siret": "73584053000018", "logo": big})).await.problem(422, "validation");
        assert_eq!(fields(&p), ["siret", "logo"]);
        let c = app.put("/api/v1/settings/company", &admin, json!({"version": 0, "name": "Mécanique du Gier", "siret": "735 840 530 00019", "vat_number": "FR64735840530",
            "address": "1 rue du Gier, 42400 Saint-Chamond", "logo": "data:image/png;base64,iVBORw0KGgo="})).await.json();
        assert_eq!(c["version"], 1);
        assert_eq!(c["siret"], "73584053000019");
        app.put("/api/v1/settings/company", &admin, json!({"version": 0, "name": "Autre"})).await.problem(409, "stale_version");
        // The login screen shows the new name.
        let info = app.request(axum::http::Method::GET, "/api/v1/info", None, None, &[]).await.json();
        assert_eq!(info["company"], "Mécanique du Gier");
        let s = app.post("/api/v1/setup/complete", &admin, json!({})).await.json();
        assert_eq!(s["completed"], true);
        assert_eq!(s["completed_by"], "admin");
        assert_eq!(s["steps"][0]["done"], true);
        assert_eq!(s["steps"][1]["done"], true);
        let h = app.get("/api/v1/audit?entity_type=settings", &admin).await.json();
        assert_eq!(h["total"], 3);
        app
    }

    async fn the_demo_shop_has_completed_its_setup_and_only_boss_roles_edit_settings(app) {
        let app = app.with_demo().await;
        let op = app.login("operateur").await;
        let s = app.get("/api/v1/setup", &op).await.json();
        assert_eq!(s["completed"], true);
        let c = app.get("/api/v1/settings/company", &op).await.json();
        assert_eq!(c["name"], "Usinage Démo SARL");
        let a = app.get("/api/v1/settings/activities", &op).await.json();
        assert_eq!(a["activities"], json!(["usinage", "soudure", "rectification"]));
        app.put("/api/v1/settings/company", &op, json!({"version": 0, "name": "X"})).await.problem(403, "forbidden");
        app.put("/api/v1/settings/company", &app.login("chef").await, json!({"version": 0, "name": "X"})).await.problem(403, "forbidden");
        app.post("/api/v1/setup/complete", &op, json!({})).await.problem(403, "forbidden");
        let dir = app.login("direction").await;
        app.put("/api/v1/settings/company", &dir, json!({"version": c["version"], "name": "Usinage Démo SARL", "siret": "73584053000019", "vat_number": "FR64735840530"})).await.assert(200);
        // Direction still cannot edit the rights matrix.
        app.put("/api/v1/rights", &dir, json!({"grants": {}})).await.problem(403, "forbidden");
        app
    }
}
